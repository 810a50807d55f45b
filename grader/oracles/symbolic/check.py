"""One call for a check: the string a student returned, read safely, compared with the reference."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from grader.oracles.compare import Verdict
from grader.oracles.symbolic.equivalence import Equivalence, equivalent
from grader.oracles.symbolic.parser import parse_expression
from grader.oracles.symbolic.tokens import SymbolicParseError
from grader.oracles.values import describe


def check_symbolic(
    got: Any,
    reference: str | sympy.Expr,
    variables: Sequence[str],
    *,
    call: str,
    seed: int,
    timeout: float = 2.0,
) -> Verdict | Equivalence:
    """The student's answer must be a str that parses and is equivalent to the reference.

    The reference (written by the course, or returned by the reference solution) goes through the
    same parser when it is a str; failing to parse it is a bug in the course, raised as such.
    """
    if not isinstance(got, str):
        return Verdict(
            False, f"{call} returned {describe(got)}, expected a str such as 'x**2*sin(x)'."
        )
    try:
        student = parse_expression(got, variables)
    except SymbolicParseError as error:
        return Verdict(False, f"{call} returned {describe(got, 40)}; {error}")
    if isinstance(reference, str):
        reference = parse_expression(reference, variables)
    return equivalent(student, reference, variables, seed=seed, timeout=timeout, call=call)
