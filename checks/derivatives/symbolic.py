"""The judge of `symbolic_derivative`: a student's string against the reference's derivative.

`same_derivative_text` parses the answer with the engine's whitelist parser (never `eval`),
judges it equivalent or not over any set of variables, and, on a counterexample, names the wrong
answer of `known.symbolic_mistakes` (or a check's own) that it is equivalent to. Each distinct
string is judged once: students' answers repeat, and equivalence is costly.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

import sympy

from grader.authoring import (
    Outcome,
    StudentProxy,
    Verdict,
    check_symbolic,
    equivalent,
    fail,
    parse_expression,
    require,
    unsupported_type_name,
)


@functools.lru_cache(maxsize=1)
def _sympy_type_names() -> frozenset[str]:
    """The names of SymPy's expression classes (Add, Mul, Symbol, sin...)."""
    names, pending = set(), [sympy.Basic]
    while pending:
        kind = pending.pop()
        for sub in kind.__subclasses__():
            if sub.__name__ not in names:
                names.add(sub.__name__)
                pending.append(sub)
    return frozenset(names)


def sympy_object_hint(got: Any) -> str:
    """Advice for an answer that came back as a SymPy object rather than a str, else ''."""
    name = unsupported_type_name(got)
    if name is None or name not in _sympy_type_names():
        return ""
    return " This looks like a SymPy expression returned as it is: return str(...) of it."


@functools.lru_cache(maxsize=4096)
def _expression_verdict(got: str, expected: str, variables: tuple[str, ...], call: str, seed: int,
                        wrong: tuple[tuple[str, str], ...]) -> Verdict:  # fmt: skip
    """Students' answers repeat, and equivalence is costly: each distinct string is judged once.

    Only a counterexample (NOT_EQUAL) looks for a named wrong answer: an unreadable, undecided or
    timed-out answer keeps its own message, which says what to do or that it is not the student's
    fault.
    """
    outcome = check_symbolic(got, expected, variables, call=call, seed=seed)
    if outcome.ok or getattr(outcome, "outcome", None) is not Outcome.NOT_EQUAL:
        return Verdict(outcome.ok, outcome.message)
    answer = parse_expression(got, variables)
    for name, text in wrong:
        candidate = parse_expression(text, variables)
        if equivalent(answer, candidate, variables, seed=seed, call=call).ok:
            return Verdict(False, f"{outcome.message} This looks like {name}.")
    return Verdict(False, outcome.message)


def same_derivative_text(student: StudentProxy, reference: ModuleType, expression: str,
                         variable: str = "x", *, variables: Sequence[str] = ("x",), seed: int,
                         wrong: Mapping[str, str] | None = None) -> str:  # fmt: skip
    """`symbolic_derivative(expression, variable)`: a str equivalent to the reference's.

    `variables` are every name the expression uses (the answer may use them all); `wrong` maps
    a misconception to the answer it gives, as a string SymPy prints.
    """
    args = (expression, variable) if variable != "x" else (expression,)
    got = student.symbolic_derivative(*args)
    call = str(student.last_call)
    expected = reference.symbolic_derivative(*args)
    if not isinstance(got, str):
        verdict = check_symbolic(got, expected, list(variables), call=call, seed=seed)
        fail(verdict.message + sympy_object_hint(got))
    mistakes = tuple((wrong or {}).items())
    require(_expression_verdict(got, expected, tuple(variables), call, seed, mistakes))
    return got
