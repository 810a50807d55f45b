"""Symbolic answers: a whitelist parser for students' expression strings, and equivalence.

`check_symbolic` is what a check calls; `parse_expression` and `equivalent` are its two steps.
"""

from grader.oracles.symbolic.check import check_symbolic
from grader.oracles.symbolic.equivalence import Equivalence, Outcome, equivalent
from grader.oracles.symbolic.parser import parse_expression
from grader.oracles.symbolic.tokens import SymbolicParseError

__all__ = [
    "Equivalence",
    "Outcome",
    "SymbolicParseError",
    "check_symbolic",
    "equivalent",
    "parse_expression",
]
