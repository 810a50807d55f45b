"""What `grader validate` reads without running anything: the stubs and the reference signatures.

Both modules are read with `ast`, never imported. Every exercise's stub must raise
NotImplementedError (after its docstring), so that a student who has not started scores 0, and
the reference must define it with the stub's parameters: the same names, kinds and defaults in
the same order, since the checks call students' functions as they call the reference's.
Annotations may differ; they change no call.
"""

from __future__ import annotations

import ast
from pathlib import Path

from grader.course.config import Assignment
from grader.course.model import shown


def stub_problems(assignment: Assignment) -> list[str]:
    """One sentence per stub that does not raise NotImplementedError, and per reference function
    whose parameters differ from its stub's."""
    stubs, problem = _functions(assignment.module)
    if problem:
        return [problem]
    references, problem = _functions(assignment.solution)
    if problem:
        return [problem]
    problems = []
    module, solution = shown(assignment.module), shown(assignment.solution)
    for exercise in assignment.exercises:
        stub = stubs.get(exercise.id)
        if stub is None:  # course.toml's own check says so first; nothing more to compare
            continue
        if not raises_not_implemented(stub):
            problems.append(
                f"{module}, line {stub.lineno}: the stub of {exercise.id} {_what_it_does(stub)} "
                "instead of raising NotImplementedError; make its body (after the docstring) "
                f'raise NotImplementedError("...") so that an unstarted {exercise.id} scores 0.'
            )
    for name in (*assignment.points_by_exercise, *assignment.given):
        stub, reference = stubs.get(name), references.get(name)
        if stub is None or reference is None:
            continue
        expected, got = signature(stub), signature(reference)
        if expected != got:
            problems.append(
                f"{solution}, line {reference.lineno}: the reference defines {name}({got}) but "
                f"the stub in {module}, line {stub.lineno}, defines {name}({expected}); give both "
                "the same parameters, in the same order, with the same defaults."
            )
    return problems


def raises_not_implemented(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the function's first statement after its docstring raises NotImplementedError."""
    body = function.body
    if _is_docstring(body[0]) and len(body) > 1:
        body = body[1:]
    first = body[0]
    if not isinstance(first, ast.Raise) or first.exc is None:
        return False
    raised = first.exc.func if isinstance(first.exc, ast.Call) else first.exc
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def signature(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The parameters of a function as written, without annotations: `f, x, h=1e-06, *, n=3`."""
    arguments = ast.arguments(
        posonlyargs=[ast.arg(argument.arg) for argument in function.args.posonlyargs],
        args=[ast.arg(argument.arg) for argument in function.args.args],
        vararg=ast.arg(function.args.vararg.arg) if function.args.vararg else None,
        kwonlyargs=[ast.arg(argument.arg) for argument in function.args.kwonlyargs],
        kw_defaults=function.args.kw_defaults,
        kwarg=ast.arg(function.args.kwarg.arg) if function.args.kwarg else None,
        defaults=function.args.defaults,
    )
    # Unparsed, a default is written one way whatever its spelling: 1e-6 and 0.000001 agree.
    return ast.unparse(arguments)


def _functions(path: Path) -> tuple[dict[str, ast.FunctionDef | ast.AsyncFunctionDef], str]:
    """The top-level functions of a module, the last definition of a name winning (as it does
    when the module runs), or a sentence saying why the module cannot be read."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError) as error:
        # course.toml's checks read these modules first, so this is a file changed since.
        return {}, f"{shown(path)} could not be read ({error}); fix it so that it parses."
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    return functions, ""


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _what_it_does(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """What a stub that does not raise NotImplementedError does first, in a few words."""
    body = function.body[1:] if _is_docstring(function.body[0]) else function.body
    if not body:
        return "has only a docstring, so it returns None,"
    first = body[0]
    if isinstance(first, ast.Return):
        return "returns a value" if first.value is not None else "returns None"
    if isinstance(first, ast.Pass):
        return "does nothing (pass), so it returns None,"
    if isinstance(first, ast.Raise):
        return "raises another exception"
    return "runs code"
