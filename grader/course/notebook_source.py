"""Turns IPython-only syntax in a notebook cell into plain Python that does nothing.

Students' notebooks hold `%matplotlib inline`, `!pip install x`, `files = !ls`, `f?` and `%%bash`
cells, none of which is Python. The sandbox runs plain Python, so those lines are rewritten, by
text alone (nothing is ever executed or imported here), into `pass` statements or comments that
keep the indentation and the line count: an error message still points at the student's line.

The self-check cells of gradkit's own notebooks (`from grader.student.selfcheck import check` and
`check("<exercise>", "<notebook>")`) are the student's tool, not their answer, and the sandbox
has no `grader` to import: `without_self_checks` turns those statements into `pass` too.

Everything here runs in the trusted grader on text a student made, so nothing recurses over it
without a bound: `nesting_bound` is one linear scan that bounds how deeply Python's parser would
nest a cell's syntax tree, and a cell past `MAX_NESTING` is never handed to `ast.parse` (whose
C recursion ends in RecursionError, MemoryError or, with a raised recursion limit, a crash of
the whole grading process). `bounded` replaces such a cell by one statement that says why, and
`json_too_deep` does the same kind of scan for a notebook's JSON before `json.loads`.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from itertools import accumulate

MARK = "gradkit: IPython syntax ignored:"
SELF_CHECK_MARK = "gradkit: self-check ignored:"
CELL_MARK = "gradkit: IPython cell magic ignored:"
# The module a self-check cell imports `check` from: today's, and the one notebooks handed out
# before the package was regrouped import (their self-check cells are ignored the same way).
SELF_CHECK_MODULES = frozenset({"grader.student.selfcheck", "grader.selfcheck"})

# Cell magics that run their body as ordinary Python in the notebook's namespace, so the functions
# a student defines under them exist afterwards; every other cell magic (%%bash, %%timeit,
# %%writefile, ...) runs elsewhere or not at all, and its body is commented out with it.
BODY_RUNS_AS_PYTHON = frozenset({"time", "capture"})

_NEWLINES = re.compile(r"\r\n|\r|\n")
# `name = !cmd`, `a, b = %magic ...`: IPython's assignment from a shell escape or a line magic.
_ASSIGN_FROM_IPYTHON = re.compile(r"[\w.,\s*()\[\]]+?=\s*[!%]")
_CELL_MAGIC_NAME = re.compile(r"%%(\w+)")

# How deeply a cell's syntax may nest (as bounded by `nesting_bound`) for the grader to parse it.
# Honest cells stay far below; CPython's own parser gives up near 3000 levels at the default
# recursion limit, so the bound keeps a wide margin however the estimate over-counts.
MAX_NESTING = 1000
# How deeply a notebook's JSON may nest. nbformat's own structure is about 7 levels deep; widget
# state in the metadata adds a few more.
MAX_JSON_DEPTH = 100
TOO_DEEP_MESSAGE = (
    f"this cell is nested too deeply to be graded (more than {MAX_NESTING} levels of brackets "
    "and operators), so none of it was run; split it into simpler statements and resubmit"
)
# What a cell past MAX_NESTING becomes: the sandbox runs it, and the note on the cell says why.
TOO_DEEP_CELL = f"raise SyntaxError({TOO_DEEP_MESSAGE!r})"

# Characters that may each add a level to a syntax tree, and the keywords that may.
_OPERATOR_CHARS = "-+*/%@&|^~<>=!.:"
_BRACKETS = "([{)]}"
_NESTING_KEYWORDS = (
    "not", "lambda", "if", "else", "await", "and", "or", "in", "is", "yield", "for", "async",
)  # fmt: skip
_SIGNIFICANT = re.compile(
    r"[-+*/%@&|^~<>=!.:]+|['\"#\\\n;,()\[\]{}]|\b(?:elif|" + "|".join(_NESTING_KEYWORDS) + r")\b"
)
_STRING_PREFIX = frozenset("rRbBuUfF")
_JSON_ESCAPE = re.compile(r"\\.", re.DOTALL)
_JSON_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_JSON_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def neutralise(cell_source: str) -> str:
    """The cell with IPython-only syntax replaced by Python that does nothing, one line per line.

    A cell that already parses as Python is returned unchanged. A cell whose first non-blank
    line is a `%%` cell magic becomes comments (except the body of `%%time` and `%%capture`,
    which IPython runs as Python). Otherwise each line that starts a statement with a line magic,
    a shell escape, an assignment from either, or help syntax (`f?`, `??f`) becomes
    `pass  # gradkit: IPython syntax ignored: ...` at its own indentation; lines inside strings
    and bracketed continuations are left alone.
    """
    lines = _NEWLINES.split(cell_source)
    head: list[str] = []
    start = 0
    # A loop, not a recursion, over `%%time` cells inside `%%time` cells: a student can stack
    # as many as they like.
    while True:
        first = next((i for i in range(start, len(lines)) if lines[i].strip()), None)
        if first is None or not lines[first].lstrip().startswith("%%"):
            break
        magic = lines[first].strip()
        head += [*lines[start:first], f"# {CELL_MARK} {magic}"]
        start = first + 1
        name = _CELL_MAGIC_NAME.match(magic)
        if name is None or name.group(1) not in BODY_RUNS_AS_PYTHON:
            body = (f"# {line}" if line.strip() else line for line in lines[start:])
            return "\n".join([*head, *body])
    if not head:
        return cell_source if _parses(cell_source) else "\n".join(_neutralise_lines(lines))
    body_lines = lines[start:]
    body_source = "\n".join(body_lines)
    kept = body_source if _parses(body_source) else "\n".join(_neutralise_lines(body_lines))
    return "\n".join([*head, kept])


def without_self_checks(cell_source: str) -> str:
    """The cell with each top-level self-check statement replaced by `pass`, one line per line.

    A self-check statement is `from grader.student.selfcheck import ...` or a call `check(...)`
    whose arguments are all literal strings; everything else in the cell, a student's function
    included, is kept as it is. A cell that names no `check` has none and is not parsed, nor is one
    nested past `MAX_NESTING`.
    """
    if "check" not in cell_source or nesting_bound(cell_source) > MAX_NESTING:
        return cell_source
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(cell_source)
    except (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError):
        return cell_source
    lines = _NEWLINES.split(cell_source)
    for node in tree.body:
        if _is_self_check(node) and node.end_lineno is not None:
            first, last = node.lineno - 1, node.end_lineno - 1
            statement = lines[first].strip()
            lines[first] = f"{lines[first][: node.col_offset]}pass  # {SELF_CHECK_MARK} {statement}"
            for index in range(first + 1, last + 1):
                lines[index] = f"# {lines[index]}"
    return "\n".join(lines)


def bounded(cell_source: str) -> str:
    """The cell itself, or `TOO_DEEP_CELL` when it nests past `MAX_NESTING` (see the module).

    The stand-in raises, in the sandbox, a SyntaxError that says why the cell was not run, so
    the student reads one sentence on that cell and the notebook's other cells are graded.
    """
    return TOO_DEEP_CELL if nesting_bound(cell_source) > MAX_NESTING else cell_source


def nesting_bound(source: str) -> int:
    """An upper bound on how deeply Python's parser would nest the syntax tree of `source`.

    Found by one linear scan of the text, never by parsing it. Every level of a syntax tree
    needs a token of its own: a bracket, an operator, a dot, a keyword such as `not`, `lambda`
    or `if`, a trailer such as `f(x)(y)`, or an `elif` (which nests the next `if` inside the
    previous one). So the bound of a statement is, along its deepest path of brackets, the
    sum of those tokens in each comma-separated part, and the cell's bound is its deepest
    statement's plus the number of `elif`s. Strings and comments count nothing, except the
    code inside f-strings, all of whose operators count. Over-counting is harmless; the bound
    only needs to be above the truth.
    """
    # Most cells have fewer such characters in all than the limit: no scan needed.
    quick = sum(map(source.count, _OPERATOR_CHARS + _BRACKETS))
    quick += sum(map(source.count, _NESTING_KEYWORDS))
    if quick <= MAX_NESTING:
        return quick
    return _Nesting(source).scan()


class _Nesting:
    """The scan of `nesting_bound`: a stack of [operators, deepest child, deepest part] frames,
    one per open bracket."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.stack: list[list[int]] = [[0, 0, 0]]
        self.deepest = 0
        self.elifs = 0

    def scan(self) -> int:
        """The bound for the whole source."""
        source, position = self.source, 0
        while (match := _SIGNIFICANT.search(source, position)) is not None:
            token, position = match.group(), match.end()
            char = token[0]
            if char in "'\"":
                position = self._past_string(match.start())
            elif char == "#":
                newline = source.find("\n", position)
                position = len(source) if newline < 0 else newline
            elif char == "\\":
                # a line continuation: its newline (\n or \r\n) does not end the statement
                position += 2 if source.startswith("\r\n", position) else 1
            elif char in "\n;":
                if len(self.stack) == 1:
                    self._end_statement()
            elif char == ",":
                frame = self.stack[-1]
                frame[2] = max(frame[2], frame[0] + frame[1])
                frame[0] = frame[1] = 0
            elif char in "([{":
                self.stack.append([0, 0, 0])
            elif char in ")]}":
                self._close()
            elif token == "elif":
                self.elifs += 1
            else:
                self.stack[-1][0] += len(token) if char in _OPERATOR_CHARS else 1
        while len(self.stack) > 1:  # brackets never closed: count them all the same
            self._close()
        self._end_statement()
        return self.deepest + self.elifs

    def _close(self) -> None:
        if len(self.stack) == 1:
            return  # a stray closing bracket is the parser's SyntaxError, not a level
        ops, child, best = self.stack.pop()
        parent = self.stack[-1]
        parent[1] = max(parent[1], max(best, ops + child) + 1)
        parent[0] += 1  # the bracketed atom, or a trailer such as a call

    def _end_statement(self) -> None:
        ops, child, best = self.stack[0]
        self.deepest = max(self.deepest, best + 1, ops + child + 1)
        self.stack[0] = [0, 0, 0]

    def _past_string(self, start: int) -> int:
        """Where the string literal opening at `start` ends; f-string code counts its operators."""
        source = self.source
        quote = source[start] * 3 if source.startswith(source[start] * 3, start) else source[start]
        end = _string_end(source, start + len(quote), quote)
        prefix = start
        while prefix > start - 2 and prefix > 0 and source[prefix - 1] in _STRING_PREFIX:
            prefix -= 1
        if "f" in source[prefix:start].lower():
            content = source[start:end]
            self.stack[-1][0] += sum(map(content.count, _OPERATOR_CHARS + _BRACKETS))
        return end


def _string_end(source: str, index: int, quote: str) -> int:
    """The index just past the closing `quote` of a string whose text starts at `index`.

    A one-quote string also ends, unterminated, at an unescaped newline (the parser's error to
    report). Linear: every search moves forward, and a quote's backslashes are counted once.
    """
    newline = -1
    while True:
        closing = source.find(quote, index)
        if len(quote) == 1 and newline < index:
            newline = source.find("\n", index)
            if newline < 0:
                newline = len(source)
        if len(quote) == 1 and (closing < 0 or newline < closing):
            if newline < len(source) and _escaped(source, newline):
                index = newline + 1
                continue
            return newline
        if closing < 0:
            return len(source)
        if _escaped(source, closing):
            index = closing + 1
            continue
        return closing + len(quote)


def _escaped(source: str, index: int) -> bool:
    """Whether the character at `index` follows an odd number of backslashes."""
    start = index
    while start > 0 and source[start - 1] == "\\":
        start -= 1
    return (index - start) % 2 == 1


def json_too_deep(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON `text` nests its arrays and objects more than `limit` levels deep.

    Decided on the text, before any parser recurses into it: escapes and strings are cut out
    (each pass of a regular expression is linear), then the depth is the largest running sum of
    the brackets left. Bytes are read as Latin-1, which keeps every ASCII byte, and so every
    bracket and quote of UTF-8 JSON, where it is.
    """
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", _JSON_ESCAPE.sub("", text)))
    if brackets.count("[") + brackets.count("{") <= limit:
        return False
    return max(accumulate(map(_JSON_STEP.__getitem__, brackets))) > limit


def _is_self_check(node: ast.stmt) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.module in SELF_CHECK_MODULES
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    call = node.value
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    return (
        isinstance(call.func, ast.Name)
        and call.func.id == "check"
        and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in arguments)
    )


def _parses(source: str) -> bool:
    """Whether the source is already Python (parsing only builds a tree; nothing runs).

    A source nested past `MAX_NESTING` is not parsed at all: it is not Python the grader can
    read, and the line-by-line rewriting that follows is linear.
    """
    if nesting_bound(source) > MAX_NESTING:
        return False
    try:
        with warnings.catch_warnings():
            # Invalid escapes and the like warn at parse time; they are the student's business.
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError, OverflowError):
        return False
    return True


def _neutralise_lines(lines: list[str]) -> list[str]:
    scanner = _Scanner()
    out = []
    for line in lines:
        if scanner.at_statement_start() and _is_ipython(line):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}pass  # {MARK} {line.strip()}")
            continue
        scanner.feed(line)
        out.append(line)
    return out


def _is_ipython(line: str) -> bool:
    """Whether a line that starts a statement is IPython syntax rather than Python."""
    text = line.strip()
    if not text:
        return False
    if text[0] in "%!?" or _ASSIGN_FROM_IPYTHON.match(text):
        return True
    # Help syntax `obj?` / `obj??`: the code before any comment ends with `?`, outside strings.
    probe = _Scanner()
    code = probe.feed(line)
    return probe.at_statement_start() and code.rstrip().endswith("?")


@dataclass
class _Scanner:
    """Follows strings, brackets and backslash continuations from line to line.

    Only a line that starts a new statement can be IPython syntax: a `%` or `!` at the start of a
    line inside a triple-quoted string or an open bracket is ordinary text or an operator.
    """

    quote: str | None = None
    depth: int = 0
    continued: bool = False

    def at_statement_start(self) -> bool:
        """Whether the next line begins a new statement."""
        return self.quote is None and self.depth == 0 and not self.continued

    def feed(self, line: str) -> str:
        """Advance over one line; return its code part (the text before a comment)."""
        self.continued = False
        escaped_newline = False
        index, end = 0, len(line)
        while index < end:
            char = line[index]
            if self.quote is not None:
                if char == "\\":
                    escaped_newline = index == end - 1
                    index += 2
                elif line.startswith(self.quote, index):
                    index += len(self.quote)
                    self.quote = None
                else:
                    index += 1
                continue
            if char == "#":
                return line[:index]
            if char in "'\"":
                self.quote = char * 3 if line.startswith(char * 3, index) else char
                index += len(self.quote)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            elif char == "\\" and index == end - 1:
                self.continued = True
            index += 1
        # A one-quote string ends with its line unless a backslash carries it over.
        if self.quote in ("'", '"') and not escaped_newline:
            self.quote = None
        return line
