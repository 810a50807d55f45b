"""Mechanical mutants of a Python module: each one changes exactly one node of its syntax tree.

`mutate_source(text)` parses a module with `ast`, and for every node inside its top-level
functions asks each operator of `OPERATORS` for replacements; each replacement gives one mutant,
the whole module written back with `ast.unparse`. A mutant whose text is that of the original (or
of an earlier mutant), or a swap of the arguments of a symmetric function such as `max`, is
equivalent by construction and is left out. Docstrings, annotations, decorators, f-strings and
`raise` statements are never mutated: a change there alters a message, not an answer.
`grader.course.mutation` grades the mutants of a reference solution (`grader validate
--mutants`).

Operators (the name each mutant records):

- ``arithmetic``: ``+`` <-> ``-``, ``*`` <-> ``/``;
- ``power``: the exponent of ``**`` one more or one less;
- ``comparison``: ``<`` <-> ``<=``, ``>`` <-> ``>=``, ``==`` <-> ``!=``;
- ``constant``: a number c becomes c + 1, and 2 -> 1, 0.5 -> 1, 1 -> 0;
- ``minus-removed`` / ``minus-added``: a unary minus dropped, or put before the left operand
  of + or - or before a returned value;
- ``swapped-arguments``: two positional arguments of a call exchanged;
- ``range-bound`` / ``slice-bound``: a bound of ``range(...)`` or of a slice one more or one less;
- ``axis``: ``axis=0`` <-> ``axis=1``;
- ``eigenvalue-pick``: ``eigvalsh(...)[0]`` <-> ``eigvalsh(...)[-1]``;
- ``extreme``: ``max`` <-> ``min`` (and numpy's maximum/minimum, argmax/argmin);
- ``quantifier``: ``all`` <-> ``any`` (numpy's too), the same kind of slip as max/min.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

# Where a node sits in the tree: the fields (and list positions) leading to it from the module.
NodePath = tuple[tuple[str, int | None], ...]
Replacement = tuple[NodePath, ast.expr]
Operator = Callable[[ast.AST, NodePath], Iterator[Replacement]]

# Fields whose content never computes an answer.
SKIPPED_FIELDS = frozenset({"annotation", "returns", "decorator_list", "type_comment"})
SKIPPED_NODES = (ast.JoinedStr, ast.Raise)
SYMMETRIC_FUNCTIONS = frozenset({"max", "min", "maximum", "minimum", "hypot"})


@dataclass(frozen=True)
class Mutant:
    """One changed node: the function it falls in, its line, the statement before and after.

    `original` and `mutated` are the enclosing statement (its header line for an `if`, `for` or
    `def`), written by `ast.unparse`; `source` is the whole mutated module.
    """

    function: str
    line: int
    operator: str
    original: str
    mutated: str
    source: str


@dataclass(frozen=True)
class Mutation:
    """The mutants of one module and how many candidates were left out as equivalent."""

    mutants: tuple[Mutant, ...]
    equivalent: int


def mutate_source(source: str, skip_functions: Collection[str] = ()) -> Mutation:
    """Every single-node mutant of the top-level functions of `source`, in source order.

    Functions named in `skip_functions` (e.g. ones the stub gives and no check grades) are left
    as they are.
    """
    tree = ast.parse(source)
    baseline = ast.unparse(tree)
    seen = {baseline}
    found: list[Mutant] = []
    equivalent = 0
    for index, function in enumerate(tree.body):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name in skip_functions:
            continue
        start: NodePath = (("body", index),)
        for node, path, statement in _sites(function, start, start):
            for name, operator in OPERATORS.items():
                for target, replacement in operator(node, path):
                    mutant = _apply(tree, function.name, name, target, replacement, statement)
                    if mutant is None or mutant.source in seen:
                        equivalent += 1
                        continue
                    seen.add(mutant.source)
                    found.append(mutant)
    return Mutation(tuple(found), equivalent)


def _sites(node: ast.AST, path: NodePath, statement: NodePath) -> Iterator[tuple]:
    """(node, path, path of its statement) for every node that may be mutated, in source order."""
    if isinstance(node, SKIPPED_NODES):
        return
    if isinstance(node, ast.stmt):
        statement = path
    yield node, path, statement
    for field, value in ast.iter_fields(node):
        if field in SKIPPED_FIELDS:
            continue
        if isinstance(value, ast.AST):
            yield from _sites(value, (*path, (field, None)), statement)
        elif isinstance(value, list):
            for position, child in enumerate(value):
                if isinstance(child, ast.AST) and not _is_docstring(node, field, position):
                    yield from _sites(child, (*path, (field, position)), statement)


def _is_docstring(parent: ast.AST, field: str, position: int) -> bool:
    """Whether parent.field[position] is the docstring of a function or class."""
    if field != "body" or position != 0 or not isinstance(parent, ast.FunctionDef | ast.ClassDef):
        return False
    first = parent.body[0]
    return (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )


def _apply(
    tree: ast.Module,
    function: str,
    operator: str,
    target: NodePath,
    replacement: ast.expr,
    statement: NodePath,
) -> Mutant | None:
    """The mutant made by putting `replacement` at `target`, or None if its text is unchanged."""
    mutated = copy.deepcopy(tree)
    _replace(mutated, target, replacement)
    ast.fix_missing_locations(mutated)
    before, after = _header(_node(tree, statement)), _header(_node(mutated, statement))
    if before == after:
        return None
    original = _node(tree, target)
    line = getattr(original, "lineno", None) or _node(tree, statement).lineno
    return Mutant(function, line, operator, before, after, ast.unparse(mutated) + "\n")


def _node(tree: ast.AST, path: NodePath) -> ast.AST:
    node = tree
    for field, position in path:
        value = getattr(node, field)
        node = value if position is None else value[position]
    return node


def _replace(tree: ast.AST, path: NodePath, replacement: ast.AST) -> None:
    parent = _node(tree, path[:-1])
    field, position = path[-1]
    if position is None:
        setattr(parent, field, replacement)
    else:
        getattr(parent, field)[position] = replacement


def _header(statement: ast.AST) -> str:
    """A statement as one line: itself when simple, its header when it has a body."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
        arguments = copy.deepcopy(statement.args)
        for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            argument.annotation = None
        return f"def {statement.name}({ast.unparse(arguments)}):"
    if hasattr(statement, "body"):
        shallow = copy.copy(statement)
        shallow.body = [ast.Pass()]
        for field in ("orelse", "finalbody", "handlers"):
            if hasattr(shallow, field):
                setattr(shallow, field, [])
        return ast.unparse(shallow).splitlines()[0]
    return ast.unparse(statement)


# --- operators: each yields (path of the node to replace, its replacement) ---------------------


def _fresh(node: ast.AST) -> ast.AST:
    """A copy to build a replacement from, so the original tree is never shared."""
    return copy.deepcopy(node)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shifted(node: ast.expr, step: int) -> ast.expr:
    """node + step (folded when node is a number), as one new node."""
    if isinstance(node, ast.Constant) and _number(node.value):
        return ast.Constant(node.value + step)
    op = ast.Add() if step > 0 else ast.Sub()
    return ast.BinOp(left=_fresh(node), op=op, right=ast.Constant(abs(step)))


def _called_name(call: ast.Call) -> str | None:
    """`max` for max(...), `argmax` for np.argmax(...) or a.argmax()."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _renamed(call: ast.Call, name: str) -> ast.Call:
    new = _fresh(call)
    if isinstance(new.func, ast.Name):
        new.func.id = name
    else:
        new.func.attr = name
    return new


ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
COMPARISONS = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
}  # fmt: skip
SPECIAL_CONSTANTS = {2: 1, 0.5: 1, 1: 0}
EXTREMES = {
    "max": "min", "min": "max", "maximum": "minimum", "minimum": "maximum",
    "argmax": "argmin", "argmin": "argmax", "amax": "amin", "amin": "amax",
}  # fmt: skip
QUANTIFIERS = {"all": "any", "any": "all"}
EIGENVALUE_FUNCTIONS = frozenset({"eigvalsh", "eigvals"})


def arithmetic(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """``+`` <-> ``-`` and ``*`` <-> ``/``."""
    if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        new = _fresh(node)
        new.op = ARITHMETIC[type(node.op)]()
        yield path, new


def power(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """The exponent of ``a ** e`` becomes e + 1 or e - 1."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        for step in (1, -1):
            yield (*path, ("right", None)), _shifted(node.right, step)


def comparison(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """One operator of a comparison: ``<`` <-> ``<=``, ``>`` <-> ``>=``, ``==`` <-> ``!=``."""
    if isinstance(node, ast.Compare):
        for position, op in enumerate(node.ops):
            if type(op) in COMPARISONS:
                new = _fresh(node)
                new.ops[position] = COMPARISONS[type(op)]()
                yield path, new


def constant(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """A number c becomes c + 1; also 2 -> 1, 0.5 -> 1 and 1 -> 0, keeping int or float."""
    if isinstance(node, ast.Constant) and _number(node.value):
        value = node.value
        yield path, ast.Constant(value + 1)
        for special, target in SPECIAL_CONSTANTS.items():
            if value == special:
                yield path, ast.Constant(type(value)(target))


def minus_removed(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """``-a`` becomes ``a``."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield path, _fresh(node.operand)


def minus_added(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """``a`` becomes ``-a`` as the left operand of + or -, and for each value a function returns.

    A minus before the right operand of + or - is the arithmetic operator's mutant again, and one
    before any factor of a product negates the whole product, which is an operand or a returned
    value itself; so only these places give mutants of their own.
    """
    additive = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub)
    if additive and not isinstance(node.left, ast.Constant | ast.UnaryOp):
        yield (*path, ("left", None)), _negated(node.left)
    if isinstance(node, ast.Return) and node.value is not None:
        if isinstance(node.value, ast.Tuple):
            for position, item in enumerate(node.value.elts):
                if _numeric_looking(item):
                    yield (*path, ("value", None), ("elts", position)), _negated(item)
        elif _numeric_looking(node.value):
            yield (*path, ("value", None)), _negated(node.value)


def _negated(node: ast.expr) -> ast.expr:
    return ast.UnaryOp(op=ast.USub(), operand=_fresh(node))


def _numeric_looking(node: ast.expr) -> bool:
    """Whether a returned value could be a number or array (not text, a list or a tuple)."""
    if isinstance(node, ast.Constant):
        return _number(node.value)
    if isinstance(node, ast.Call) and _called_name(node) in ("str", "list", "tuple", "dict"):
        return False
    texts = (ast.JoinedStr, ast.List, ast.ListComp, ast.Tuple, ast.Dict, ast.Set)
    return not isinstance(node, (*texts, ast.Compare, ast.BoolOp, ast.UnaryOp))


def swapped_arguments(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """Two positional arguments of a call exchanged (not for max/min, where order is moot)."""
    if not isinstance(node, ast.Call) or _called_name(node) in SYMMETRIC_FUNCTIONS:
        return
    if any(isinstance(argument, ast.Starred) for argument in node.args):
        return
    for first in range(len(node.args)):
        for second in range(first + 1, len(node.args)):
            new = _fresh(node)
            new.args[first], new.args[second] = new.args[second], new.args[first]
            yield path, new


def range_bound(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """A bound of ``range(...)`` (start or stop, not step) one more or one less."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        for position in range(min(len(node.args), 2)):
            for step in (1, -1):
                yield (*path, ("args", position)), _shifted(node.args[position], step)


def slice_bound(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """A bound of a slice ``a[lower:upper]`` one more or one less."""
    if isinstance(node, ast.Slice):
        for side in ("lower", "upper"):
            bound = getattr(node, side)
            if bound is not None:
                for step in (1, -1):
                    yield (*path, (side, None)), _shifted(bound, step)


def axis(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """``axis=0`` <-> ``axis=1``."""
    if isinstance(node, ast.Call):
        for position, keyword in enumerate(node.keywords):
            value = keyword.value
            if keyword.arg == "axis" and isinstance(value, ast.Constant) and value.value in (0, 1):
                target = (*path, ("keywords", position), ("value", None))
                yield target, ast.Constant(1 - value.value)


def eigenvalue_pick(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """``eigvalsh(...)[0]`` (the smallest) <-> ``eigvalsh(...)[-1]`` (the largest)."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Call)):
        return
    if _called_name(node.value) not in EIGENVALUE_FUNCTIONS:
        return
    index = node.slice
    if isinstance(index, ast.Constant) and index.value == 0:
        yield (*path, ("slice", None)), ast.UnaryOp(op=ast.USub(), operand=ast.Constant(1))
    elif _is_minus_one(index):
        yield (*path, ("slice", None)), ast.Constant(0)


def _is_minus_one(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value == -1
    return (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and node.operand.value == 1
    )


def extreme(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """``max`` <-> ``min``, and numpy's maximum/minimum, argmax/argmin, amax/amin."""
    if isinstance(node, ast.Call) and _called_name(node) in EXTREMES:
        yield path, _renamed(node, EXTREMES[_called_name(node)])


def quantifier(node: ast.AST, path: NodePath) -> Iterator[Replacement]:
    """``all`` <-> ``any`` (built-in or numpy)."""
    if isinstance(node, ast.Call) and _called_name(node) in QUANTIFIERS:
        yield path, _renamed(node, QUANTIFIERS[_called_name(node)])


OPERATORS: dict[str, Operator] = {
    "arithmetic": arithmetic,
    "power": power,
    "comparison": comparison,
    "constant": constant,
    "minus-removed": minus_removed,
    "minus-added": minus_added,
    "swapped-arguments": swapped_arguments,
    "range-bound": range_bound,
    "slice-bound": slice_bound,
    "axis": axis,
    "eigenvalue-pick": eigenvalue_pick,
    "extreme": extreme,
    "quantifier": quantifier,
}
