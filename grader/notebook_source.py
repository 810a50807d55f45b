"""Turns IPython-only syntax in a notebook cell into plain Python that does nothing.

Students' notebooks hold `%matplotlib inline`, `!pip install x`, `files = !ls`, `f?` and `%%bash`
cells, none of which is Python. The sandbox runs plain Python, so those lines are rewritten, by
text alone (nothing is ever executed or imported here), into `pass` statements or comments that
keep the indentation and the line count: an error message still points at the student's line.

The self-check cells of gradkit's own notebooks (`from grader.selfcheck import check` and
`check("<exercise>", "<notebook>")`) are the student's tool, not their answer, and the sandbox
has no `grader` to import: `without_self_checks` turns those statements into `pass` too.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass

MARK = "gradkit: IPython syntax ignored:"
SELF_CHECK_MARK = "gradkit: self-check ignored:"
CELL_MARK = "gradkit: IPython cell magic ignored:"

# Cell magics that run their body as ordinary Python in the notebook's namespace, so the functions
# a student defines under them exist afterwards; every other cell magic (%%bash, %%timeit,
# %%writefile, ...) runs elsewhere or not at all, and its body is commented out with it.
BODY_RUNS_AS_PYTHON = frozenset({"time", "capture"})

_NEWLINES = re.compile(r"\r\n|\r|\n")
# `name = !cmd`, `a, b = %magic ...`: IPython's assignment from a shell escape or a line magic.
_ASSIGN_FROM_IPYTHON = re.compile(r"[\w.,\s*()\[\]]+?=\s*[!%]")
_CELL_MAGIC_NAME = re.compile(r"%%(\w+)")


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
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        return _neutralise_cell_magic(lines, first)
    if _parses(cell_source):
        return cell_source
    return "\n".join(_neutralise_lines(lines))


def without_self_checks(cell_source: str) -> str:
    """The cell with each top-level self-check statement replaced by `pass`, one line per line.

    A self-check statement is `from grader.selfcheck import ...` or a call `check(...)` whose
    arguments are all literal strings; everything else in the cell, a student's function
    included, is kept as it is.
    """
    try:
        tree = ast.parse(cell_source)
    except (SyntaxError, ValueError):
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


def _is_self_check(node: ast.stmt) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.module == "grader.selfcheck"
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    call = node.value
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    return (
        isinstance(call.func, ast.Name)
        and call.func.id == "check"
        and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in arguments)
    )


def _neutralise_cell_magic(lines: list[str], first: int) -> str:
    magic = lines[first].strip()
    body = lines[first + 1 :]
    name = _CELL_MAGIC_NAME.match(magic)
    if name is not None and name.group(1) in BODY_RUNS_AS_PYTHON:
        kept = neutralise("\n".join(body)).split("\n")
    else:
        kept = [f"# {line}" if line.strip() else line for line in body]
    return "\n".join([*lines[:first], f"# {CELL_MARK} {magic}", *kept])


def _parses(source: str) -> bool:
    """Whether the source is already Python (parsing only builds a tree; nothing runs)."""
    try:
        with warnings.catch_warnings():
            # Invalid escapes and the like warn at parse time; they are the student's business.
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
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
