"""The public API for check authors: everything a course's check files import comes from here.

    from grader.authoring import check, same_number

    @check("area", weight=2)
    def test_worked_example(student, reference):
        same_number(student, reference, "area", 0.5)

A check is a pytest test function marked with `check(exercise, weight=...)`; it asks for the
fixtures `student` (the submission: attribute calls run in its sandbox), `reference` (the
reference solution) and `rng` (a `numpy.random.Generator` seeded from the course seed, the check
and, for hidden checks, the student). It passes unless it raises; `fail` and `require` give the
student's message. The names below are the whole API (docs/authoring.md explains each); the
modules behind them are internal and may change.
"""

from grader.authoring.functions import (
    SymbolicFunction,
    exact_derivative,
    exact_gradient,
    exact_hessian,
    field_function,
    gradient_field,
    scalar_function,
    vector_function,
)
from grader.authoring.helpers import (
    NO_VALUE_HERE,
    Wrong,
    explain,
    same_array,
    same_label,
    same_labels,
    same_number,
    same_pair,
    same_value,
    unchanged_arguments,
    wrong_values,
)
from grader.authoring.shapes import check_dtype, check_shape
from grader.authoring.wrong import WrongFormula, wrong_formula, wrong_formulas
from grader.grading.marker import CheckFailure, check, fail, require
from grader.grading.proxy import StudentCallFailed, StudentProxy
from grader.grading.reference_memo import remembered
from grader.oracles.compare import Verdict, check_array, check_label, check_number, check_tuple
from grader.oracles.finite_difference import (
    Smoothness,
    check_convergence_order,
    check_fd,
    derivative_at,
    fd_tolerance,
    geometric_steps,
    smoothness,
)
from grader.oracles.misconceptions import describe_relation, diagnose, real_array, with_hint
from grader.oracles.symbolic import Outcome, check_symbolic, equivalent, parse_expression
from grader.oracles.values import is_real_number, unsupported_type_name

Student = StudentProxy  # the type of the `student` fixture, for annotations

__all__ = [  # noqa: RUF022 - grouped by use, as docs/authoring.md lists them
    # marking and failing checks
    "check", "fail", "require", "CheckFailure",
    # the student and the functions checks hand to student code
    "Student", "StudentProxy", "StudentCallFailed", "SymbolicFunction", "scalar_function",
    "vector_function", "gradient_field", "field_function", "exact_derivative", "exact_gradient",
    "exact_hessian", "remembered",
    # comparing with the reference: call both, judge with an oracle
    "same_number", "same_array", "same_value", "same_pair", "same_label", "same_labels",
    "unchanged_arguments", "explain", "wrong_values", "Wrong",
    "NO_VALUE_HERE",
    # oracles: verdicts on values
    "Verdict", "check_number", "check_array", "check_tuple", "check_label", "check_shape",
    "check_dtype", "check_symbolic", "equivalent", "parse_expression", "Outcome",
    "is_real_number", "unsupported_type_name", "real_array",
    # finite differences
    "check_fd", "fd_tolerance", "smoothness", "Smoothness", "derivative_at", "geometric_steps",
    "check_convergence_order",
    # naming mistakes
    "diagnose", "describe_relation", "with_hint", "wrong_formulas", "wrong_formula",
    "WrongFormula",
]  # fmt: skip
