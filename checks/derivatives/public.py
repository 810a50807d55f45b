"""Public checks of assignment `derivatives`: students run these themselves with `grader check`.

The worked examples of the exercise docstrings. Finite differences are judged against the same
formula at the same step within the method's own rounding error
(`check_fd`). Students receive this module without the rest of
`checks/derivatives/`, so it imports only `grader.authoring` and names the common mistakes with
formulas of its own (`known.py` holds the full lists).
"""

import functools
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from grader.authoring import (
    Outcome,
    Smoothness,
    StudentProxy,
    SymbolicFunction,
    Verdict,
    check,
    check_fd,
    check_symbolic,
    equivalent,
    explain,
    parse_expression,
    require,
    same_array,
    same_labels,
    same_number,
    scalar_function,
    smoothness,
)

SIGNS = ("increasing", "decreasing", "stationary")
SQUARE = scalar_function("x**2")
SQUARE_SLOPE = scalar_function("2*x", label="df(x) = 2*x")
CUBE = scalar_function("x**3")  # the finite differences' example, at x = 2 with h = 0.1
METHOD = {"forward_difference": "forward", "central_difference": "central",
          "second_derivative": "second"}  # fmt: skip


# --- known wrong formulas, named as the student reads them after "This looks like" -----------


def _floats(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _repeated(x: Any) -> list:
    if not isinstance(x, list):
        raise TypeError("only a list is repeated by 2 * x")
    return x * 2


DERIVATIVE_MISTAKES: dict[str, Callable[..., Any]] = {
    "the factor 2 forgotten (x instead of 2 * x)": _floats,
    "x**2, the function itself instead of its derivative 2 * x": lambda x: _floats(x) ** 2,
    "2 * x on a list, which repeats the list instead of doubling its numbers (convert it with "
    "np.asarray(x, dtype=float) first)": _repeated,
}
TANGENT_MISTAKES: dict[str, Callable[..., float]] = {
    "using the slope at x + delta_x, f'(x + delta_x), instead of the slope at x": (
        lambda f, df, x, dx: f(x) + df(x + dx) * dx
    ),
    "delta_x left out: f(x) + f'(x) instead of f(x) + f'(x) * delta_x": (
        lambda f, df, x, dx: f(x) + df(x)
    ),
    "the exact value f(x + delta_x) instead of the tangent-line estimate": (
        lambda f, df, x, dx: f(x + dx)
    ),
    "the change f'(x) * delta_x alone, without f(x)": lambda f, df, x, dx: df(x) * dx,
    "subtracting the change: f(x) - f'(x) * delta_x": lambda f, df, x, dx: f(x) - df(x) * dx,
}


def _quotient(ahead: float, behind: float, over: Callable[[float], float]) -> Callable:
    """(f(x + ahead h) - f(x - behind h)) / over(h)."""
    return lambda f, x, h: float((f(x + ahead * h) - f(x - behind * h)) / over(h))


def _second(step: float, over: float) -> Callable:
    """(f(x + step h) - 2 f(x) + f(x - step h)) / (over h**2)."""
    return lambda f, x, h: float((f(x + step * h) - 2 * f(x) + f(x - step * h)) / (over * h**2))


DIFFERENCE_MISTAKES: dict[str, dict[str, Callable[..., float]]] = {
    "forward_difference": {
        "a central difference instead of a forward one": _quotient(1, 1, lambda h: 2 * h),
        "a backward difference (f(x) - f(x - h)) / h instead of a forward one": (
            _quotient(0, 1, lambda h: h)
        ),
        "dividing by 2h instead of h": _quotient(1, 0, lambda h: 2 * h),
        "f(x + h) - f(x) / h, the brackets around the difference left out": (
            lambda f, x, h: float(f(x + h) - f(x) / h)
        ),
        "the difference f(x + h) - f(x) not divided by h": _quotient(1, 0, lambda h: 1.0),
    },
    "central_difference": {
        "a forward difference instead of a central one": _quotient(1, 0, lambda h: h),
        "a backward difference instead of a central one": _quotient(0, 1, lambda h: h),
        "dividing by h instead of 2h": _quotient(1, 1, lambda h: h),
        "dividing by 2 * h without brackets, which multiplies by h instead of dividing": (
            _quotient(1, 1, lambda h: 2 / h)
        ),
        "(f(x + h) - f(x - h)) / 2, not divided by h": _quotient(1, 1, lambda h: 2.0),
    },
    "second_derivative": {
        "dividing by 2 * h**2 instead of h**2": _second(1, 2),
        "the -2 * f(x) term left out": lambda f, x, h: float((f(x + h) + f(x - h)) / h**2),
        "-f(x) instead of -2 * f(x)": lambda f, x, h: float((f(x + h) - f(x) + f(x - h)) / h**2),
        "dividing by h instead of h**2": lambda f, x, h: _second(1, 1)(f, x, h) * h,
        "a forward second difference (f(x + 2h) - 2 f(x + h) + f(x)) / h**2, only first-order "
        "accurate": lambda f, x, h: _second(1, 1)(f, x + h, h),
    },
}


def _rule(up: float, down: float, *, inclusive: bool = False, swapped: bool = False) -> Callable:
    """interpret_sign with the edges at `up` and `down` (multiples of tol), maybe included, maybe
    with the two labels swapped."""

    def label(d: float, tol: float = 1e-8) -> str:
        rising = d >= up * tol if inclusive else d > up * tol
        falling = d <= down * tol if inclusive else d < down * tol
        if not (rising or falling):
            return "stationary"
        return "increasing" if rising != swapped else "decreasing"

    return label


SIGN_MISTAKES: dict[str, Callable[..., str]] = {
    "'increasing' and 'decreasing' swapped": _rule(1, -1, swapped=True),
    "comparing d with 0 instead of tol (d > 0 where d > tol is asked)": _rule(0, 0),
    "tol ignored on the positive side (d > 0 where d > tol is asked)": _rule(0, -1),
    "tol ignored on the negative side (d < 0 where d < -tol is asked)": _rule(1, 0),
}


@functools.lru_cache(maxsize=8)
def _bounds(f: SymbolicFunction, x: float, h: float) -> Smoothness:
    """Smoothness bounds of f around x, once per session (SymPy is slow)."""
    (variable,) = f.symbols
    return smoothness(f.expression, variable, x, h)


# --- derivative and tangent_estimate ---------------------------------------------------------


@check("derivative")
def test_derivative_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """f(x) = x**2: f'(-0.5) = -1, and the list [-1, 0, 2] gives the array [-2, 0, 4]."""
    same_number(student, reference, "derivative", -0.5, wrong=DERIVATIVE_MISTAKES)
    same_array(student, reference, "derivative", [-1, 0, 2], wrong=DERIVATIVE_MISTAKES)


@check("tangent_estimate")
def test_tangent_estimate_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """The tangent line of x**2 at 3 predicts f(3.1) ~ 9.6 (the exact value is 9.61)."""
    same_number(student, reference, "tangent_estimate", SQUARE, SQUARE_SLOPE, 3.0, 0.1,
                wrong=TANGENT_MISTAKES)  # fmt: skip


# --- forward_difference, central_difference, second_derivative -------------------------------


def difference_of_cube(student: StudentProxy, reference: ModuleType, function: str) -> None:
    """`function` of x**3 at 2.0 with h = 0.1, against the reference's same formula."""
    x, h = 2.0, 0.1
    got = getattr(student, function)(CUBE, x, h=h)
    call = student.last_call
    expected = getattr(reference, function)(CUBE, x, h=h)
    verdict = check_fd(got, expected, call=call, method=METHOD[function], h=h, x=x,
                       bounds=_bounds(CUBE, x, h))  # fmt: skip
    require(explain(verdict, got, expected, DIFFERENCE_MISTAKES[function], (CUBE, x, h), {}))


@check("forward_difference")
def test_forward_difference_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """x**3 at 2 with h = 0.1: (2.1**3 - 2**3) / 0.1 = 12.61."""
    difference_of_cube(student, reference, "forward_difference")


@check("central_difference")
def test_central_difference_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """x**3 at 2 with h = 0.1: (2.1**3 - 1.9**3) / 0.2 = 12.01."""
    difference_of_cube(student, reference, "central_difference")


@check("second_derivative")
def test_second_derivative_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """x**3 at 2 with h = 0.1: (2.1**3 - 2 * 2**3 + 1.9**3) / 0.01 = 12."""
    difference_of_cube(student, reference, "second_derivative")


# --- interpret_sign --------------------------------------------------------------------------


@check("interpret_sign")
def test_interpret_sign_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """-1, 0 and 1 are decreasing, stationary and increasing; 1e-9 is within the default tol:
    stationary."""
    cases = [((d,), {}) for d in (-1.0, 0.0, 1.0, 1e-9)]
    # One label fits many mistakes: same_labels names the one rule that gives every answer the
    # student gave, and none when two do.
    same_labels(student, reference, "interpret_sign", cases, vocabulary=SIGNS, wrong=SIGN_MISTAKES)


# --- symbolic_derivative ---------------------------------------------------------------------

SYMBOLIC_MISTAKES = {
    "the expression itself, not its derivative": lambda expression, variable: expression,
    "0, as if the expression did not depend on the variable (a Symbol made with assumptions "
    "such as real=True is another symbol than the one sympify makes)": lambda e, v: "0",
}


@functools.lru_cache(maxsize=1024)
def _symbolic_verdict(got: str, expected: str, variables: tuple[str, ...], call: str,
                      wrong: tuple[tuple[str, str], ...]) -> Verdict:  # fmt: skip
    """Equivalence is costly and answers repeat: each distinct string is judged once. Only a
    counterexample looks for a named wrong answer; other failures keep their own message."""
    outcome = check_symbolic(got, expected, variables, call=call, seed=1)
    if outcome.ok or getattr(outcome, "outcome", None) is not Outcome.NOT_EQUAL:
        return Verdict(outcome.ok, outcome.message)
    answer = parse_expression(got, variables)
    for name, text in wrong:
        if equivalent(answer, parse_expression(text, variables), variables, seed=1).ok:
            return Verdict(False, f"{outcome.message} This looks like {name}.")
    return Verdict(False, outcome.message)


def same_derivative(student: StudentProxy, reference: ModuleType, expression: str,
                    variables: tuple[str, ...], wrong: dict[str, str]) -> None:  # fmt: skip
    """symbolic_derivative(expression, variables[0]): a str equivalent to the reference's."""
    args = (expression,) if variables[0] == "x" else (expression, variables[0])
    got = student.symbolic_derivative(*args)
    call = str(student.last_call)
    expected = reference.symbolic_derivative(*args)
    if not isinstance(got, str):
        require(check_symbolic(got, expected, variables, call=call, seed=1))
    require(_symbolic_verdict(got, expected, variables, call, tuple(wrong.items())))


@check("symbolic_derivative")
def test_symbolic_derivative_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """d/dx of x**2*sin(x), and d/dy of x*y**3 (x a constant there), in any equivalent form."""
    for expression, variables, other in (("x**2*sin(x)", ("x",), {}),
                                         ("x*y**3", ("y", "x"), {"y**3": "x"})):  # fmt: skip
        wrong = {name: text(expression, variables[0]) for name, text in SYMBOLIC_MISTAKES.items()}
        for text, variable in other.items():
            wrong[f"differentiating with respect to {variable} instead of {variables[0]}"] = text
        same_derivative(student, reference, expression, variables, wrong)
