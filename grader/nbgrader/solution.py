"""The source of an nbgrader solution cell: the stub's signature and docstring, the reference body.

nbgrader's `generate_assignment` replaces what lies between `### BEGIN SOLUTION` and
`### END SOLUTION` with `raise NotImplementedError()`, so the region sits inside the function,
after its docstring: the student receives the stub as the plain notebooks show it. The region
holds the reference function's body from `solutions/<assignment>.py` (read with `ast`, never
imported), preceded by what that body needs from the solution module and the stub module does not
provide: its imports (`import sympy`) and its private helpers (`_vector`), defined inside the
function so that clearing the region removes them too.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from grader.student.notebooks import statement_source

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"


class SolutionError(ValueError):
    """The solution module cannot fill a stub; `str()` names the file and the function."""


def solution_cell_source(stub_cell: str, solution: Path, exercise: str, provided: set[str]) -> str:
    """The stub cell `stub_cell` (one function) with its body replaced by a solution region.

    `provided` holds the names the notebook defines before this cell (the stub module's imports
    and functions): the reference may use them without the region bringing its own.
    """
    stub = _function(ast.parse(stub_cell), exercise, "the notebook's stub cell")
    lines = stub_cell.split("\n")
    docstring = _docstring(stub)
    kept = lines[: docstring.end_lineno] if docstring else lines[: stub.body[0].lineno - 1]
    indent = " " * (stub.body[0].col_offset if not docstring else docstring.col_offset)
    body = reference_body(solution, exercise, provided)
    region = [BEGIN, *body.split("\n"), END]
    return "\n".join([*kept, *(indent + line if line else "" for line in region)])


def reference_body(solution: Path, exercise: str, provided: set[str]) -> str:
    """The reference function's body without its docstring, at indentation 0, preceded by the
    imports and module-level definitions it needs that `provided` does not hold."""
    source = solution.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(solution))
    function = _function(tree, exercise, str(solution))
    lines = source.split("\n")
    docstring = _docstring(function)
    start = docstring.end_lineno if docstring else function.body[0].lineno - 1
    body = textwrap.dedent("\n".join(lines[start : function.end_lineno])).strip("\n")
    needed = _needed(tree, function.body, provided | {exercise})
    parts = [statement_source(source, node) for node in needed]
    return "\n".join([*parts, body]) if parts else body


def bound_names(source: str) -> set[str]:
    """The names a module binds at its top level: imports, functions, classes, assignments."""
    return {name for node in ast.parse(source).body for name in _binds(node)}


def _needed(tree: ast.Module, body: list[ast.stmt], provided: set[str]) -> list[ast.stmt]:
    """The top-level statements of `tree` that `body` uses, transitively, in source order, imports
    first; names in `provided` are the notebook's already."""
    definitions: dict[str, ast.stmt] = {}
    for node in tree.body:
        for name in _binds(node):
            definitions.setdefault(name, node)
    chosen: list[ast.stmt] = []
    pending = _used(body)
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen or name in provided or name not in definitions:
            continue
        seen.add(name)
        node = definitions[name]
        if node not in chosen:
            chosen.append(node)
            pending |= _used([node])
    order = {id(node): index for index, node in enumerate(tree.body)}
    imports = (ast.Import, ast.ImportFrom)
    return sorted(chosen, key=lambda node: (not isinstance(node, imports), order[id(node)]))


def _used(nodes: list[ast.stmt]) -> set[str]:
    return {
        node.id
        for statement in nodes
        for node in ast.walk(statement)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


def _binds(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [
            leaf.id for target in targets for leaf in ast.walk(target) if isinstance(leaf, ast.Name)
        ]
    return []


def _function(tree: ast.Module, name: str, where: str) -> ast.FunctionDef:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise SolutionError(f"{where} defines no function {name}; add it with the stub's signature.")


def _docstring(function: ast.FunctionDef) -> ast.Expr | None:
    first = function.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return first if isinstance(first.value.value, str) else None
    return None
