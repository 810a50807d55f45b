"""Known wrong formulas of assignment `derivatives`, named as the student reads them.

Each `*_MISTAKES` mapping names a misconception as the student reads it after "This looks like"
and gives the wrong formula, called grader-side with the arguments of the failing call (the
contract's default steps included). The engine names one only where its value on the call is
apart from the right answer, from zero and from every other formula's value, so the checks'
inputs (in `hidden.py`) are chosen to keep them apart. The judges that use these mappings are in
`judges.py` (finite differences) and `symbolic.py` (`symbolic_derivative`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy

from grader.authoring import Wrong, wrong_formulas

SIGNS = ("increasing", "decreasing", "stationary")
SIGN_TOL = 1e-8
# Per finite-difference exercise: the contract's default step, the oracle's method, the order of
# the derivative it approximates, its order of accuracy, the values of f it needs, its formula.
DEFAULT_STEP = {"forward_difference": 1e-6, "central_difference": 1e-5, "second_derivative": 1e-4}
METHOD = {"forward_difference": "forward", "central_difference": "central",
          "second_derivative": "second"}  # fmt: skip
DERIVATIVE_ORDER = {"forward_difference": 1, "central_difference": 1, "second_derivative": 2}
ACCURACY = {"forward_difference": 1, "central_difference": 2, "second_derivative": 2}
NEEDS = {
    "forward_difference": "f(x + h) and f(x)",
    "central_difference": "f(x + h) and f(x - h)",
    "second_derivative": "f(x + h), f(x) and f(x - h)",
}
FORMULA = {
    "forward_difference": "(f(x + h) - f(x)) / h",
    "central_difference": "(f(x + h) - f(x - h)) / (2 * h)",
    "second_derivative": "(f(x + h) - 2 * f(x) + f(x - h)) / h**2",
}
TRUNCATING = "an integer x silently truncating x + h"
# Defaults a student may put in place of the contract's: powers of ten, sqrt(eps), cbrt(eps).
OTHER_STEPS = (*(float(f"1e-{k}") for k in range(1, 16)), float(np.finfo(float).eps) ** 0.5,
               float(np.finfo(float).eps) ** (1 / 3))  # fmt: skip


# --- derivative ------------------------------------------------------------------------------


def _floats(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _repeated(x: Any) -> list:
    """What `2 * x` gives for a list: the list twice over, not its numbers doubled."""
    if not isinstance(x, list):
        raise TypeError("only a list is repeated by 2 * x")
    return x * 2


DERIVATIVE_MISTAKES: dict[str, Callable[..., Any]] = {
    "the factor 2 forgotten (x instead of 2 * x)": _floats,
    "x**2, the function itself instead of its derivative 2 * x": lambda x: _floats(x) ** 2,
    "2 * x on a list, which repeats the list instead of doubling its numbers (convert it with "
    "np.asarray(x, dtype=float) first)": _repeated,
}


# --- tangent_estimate ------------------------------------------------------------------------


def _shifted_slope(f: Callable, df: Callable, x: float, delta_x: float) -> float:
    return f(x) + df(x + delta_x) * delta_x


TANGENT_MISTAKES: dict[str, Callable[..., float]] = {
    "using the slope at x + delta_x, f'(x + delta_x), instead of the slope at x": _shifted_slope,
    "delta_x left out: f(x) + f'(x) instead of f(x) + f'(x) * delta_x": (
        lambda f, df, x, delta_x: f(x) + df(x)
    ),
    "the exact value f(x + delta_x) instead of the tangent-line estimate": (
        lambda f, df, x, delta_x: f(x + delta_x)
    ),
    "the change f'(x) * delta_x alone, without f(x)": lambda f, df, x, delta_x: df(x) * delta_x,
    "subtracting the change: f(x) - f'(x) * delta_x": (
        lambda f, df, x, delta_x: f(x) - df(x) * delta_x
    ),
}


# --- finite differences as the mistakes compute them -----------------------------------------


def _quotient(f: Callable, x: Any, h: float, ahead: float, behind: float, over: float) -> float:
    """(f(x + ahead h) - f(x - behind h)) / over, on floats."""
    x, h = float(x), float(h)
    return float((f(x + ahead * h) - f(x - behind * h)) / over)


def _truncated(x: Any, offset: float) -> float:
    """x + offset as an array of x's own type holds it: numpy casts the float back towards zero
    for an int x; a float x is not truncated (the mistake then gives the right answer)."""
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return float(math.trunc(int(x) + offset))
    return float(x) + offset


def _forward(f: Callable, x: Any, h: float) -> float:
    return _quotient(f, x, h, 1, 0, h)


def _backward(f: Callable, x: Any, h: float) -> float:
    return _quotient(f, x, h, 0, 1, h)


def _central(f: Callable, x: Any, h: float) -> float:
    return _quotient(f, x, h, 1, 1, 2 * h)


def _second(f: Callable, x: Any, h: float, step: float = 1.0, over: float = 1.0) -> float:
    """(f(x + step h) - 2 f(x) + f(x - step h)) / (over h**2)."""
    x, h = float(x), float(h)
    return float((f(x + step * h) - 2 * f(x) + f(x - step * h)) / (over * h**2))


def _with_default(step: float, formula: Callable[[Callable, Any, float], float]) -> Callable:
    """The formula with the contract's default step, so the diagnosis sees the student's h."""

    def wrong(f: Callable, x: Any, h: float = step) -> float:
        return formula(f, x, h)

    return wrong


def _mistakes(step: float, formulas: dict[str, Callable[[Callable, Any, float], float]]) -> Wrong:
    return {name: _with_default(step, formula) for name, formula in formulas.items()}


FORWARD_MISTAKES = _mistakes(DEFAULT_STEP["forward_difference"], {
    "a central difference instead of a forward one": _central,
    "a backward difference (f(x) - f(x - h)) / h instead of a forward one": _backward,
    "dividing by 2h instead of h": lambda f, x, h: _quotient(f, x, h, 1, 0, 2 * h),
    "f(x + h) - f(x) / h, the brackets around the difference left out": (
        lambda f, x, h: float(f(float(x) + h) - f(float(x)) / h)
    ),
    "the difference f(x + h) - f(x) not divided by h": lambda f, x, h: _quotient(f, x, h, 1, 0, 1),
    TRUNCATING: lambda f, x, h: float((f(_truncated(x, h)) - f(float(x))) / h),
})  # fmt: skip

CENTRAL_MISTAKES = _mistakes(DEFAULT_STEP["central_difference"], {
    "a forward difference instead of a central one": _forward,
    "a backward difference instead of a central one": _backward,
    "dividing by h instead of 2h": lambda f, x, h: _quotient(f, x, h, 1, 1, h),
    "dividing by 2 * h without brackets, which multiplies by h instead of dividing": (
        lambda f, x, h: _quotient(f, x, h, 1, 1, 2) * h
    ),
    "(f(x + h) - f(x - h)) / 2, not divided by h": lambda f, x, h: _quotient(f, x, h, 1, 1, 2),
    TRUNCATING: lambda f, x, h: float((f(_truncated(x, h)) - f(_truncated(x, -h))) / (2 * h)),
})  # fmt: skip

SECOND_MISTAKES = _mistakes(DEFAULT_STEP["second_derivative"], {
    "dividing by 2 * h**2 instead of h**2": lambda f, x, h: _second(f, x, h, over=2),
    "the -2 * f(x) term left out": (
        lambda f, x, h: float((f(float(x) + h) + f(float(x) - h)) / h**2)
    ),
    "-f(x) instead of -2 * f(x)": (
        lambda f, x, h: float((f(float(x) + h) - f(float(x)) + f(float(x) - h)) / h**2)
    ),
    "dividing by h instead of h**2": lambda f, x, h: _second(f, x, h) * h,
    "a central difference of central differences, which steps 2h: "
    "(f(x + 2h) - 2 f(x) + f(x - 2h)) / (4 h**2)": lambda f, x, h: _second(f, x, h, 2, 4),
    "a forward second difference (f(x + 2h) - 2 f(x + h) + f(x)) / h**2, only first-order "
    "accurate": lambda f, x, h: _second(f, float(x) + h, h),
    TRUNCATING: lambda f, x, h: float(
        (f(_truncated(x, h)) - 2 * f(float(x)) + f(_truncated(x, -h))) / h**2
    ),
})  # fmt: skip

DIFFERENCE_MISTAKES: dict[str, Wrong] = {
    "forward_difference": FORWARD_MISTAKES,
    "central_difference": CENTRAL_MISTAKES,
    "second_derivative": SECOND_MISTAKES,
}


# --- interpret_sign --------------------------------------------------------------------------


def _rule(d: float, tol: float, *, up: float, down: float, inclusive: bool = False,
          swapped: bool = False) -> str:  # fmt: skip
    """'increasing' above `up`, 'decreasing' below `down`, else 'stationary' (as a mistake may
    place the edges, include them, or swap the two labels)."""
    d = float(d)
    rising, falling = (d >= up, d <= down) if inclusive else (d > up, d < down)
    if not (rising or falling):
        return "stationary"
    return "increasing" if rising != swapped else "decreasing"


SIGN_MISTAKES: dict[str, Callable[..., str]] = {
    "'increasing' and 'decreasing' swapped": (
        lambda d, tol=SIGN_TOL: _rule(d, tol, up=tol, down=-tol, swapped=True)
    ),
    "comparing d with 0 instead of tol (d > 0 where d > tol is asked)": (
        lambda d, tol=SIGN_TOL: _rule(d, tol, up=0.0, down=0.0)
    ),
    "counting d equal to tol as beyond it (>= tol where > tol is asked)": (
        lambda d, tol=SIGN_TOL: _rule(d, tol, up=tol, down=-tol, inclusive=True)
    ),
    "tol ignored on the negative side (d < 0 where d < -tol is asked)": (
        lambda d, tol=SIGN_TOL: _rule(d, tol, up=tol, down=0.0)
    ),
    "tol ignored on the positive side (d > 0 where d > tol is asked)": (
        lambda d, tol=SIGN_TOL: _rule(d, tol, up=0.0, down=-tol)
    ),
    "d < tol where d < -tol is asked": lambda d, tol=SIGN_TOL: _rule(d, tol, up=tol, down=tol),
    # Any default between 2e-8 and 0.5 gives the same labels on the checks' cases as these two.
    "a default tol larger than the contract's 1e-8": (
        lambda d, tol=1e-6: _rule(d, tol, up=tol, down=-tol)
    ),
    "a default tol smaller than the contract's 1e-8": (
        lambda d, tol=1e-10: _rule(d, tol, up=tol, down=-tol)
    ),
    "the tol given ignored (1e-8 whatever tol is)": (
        lambda d, tol=SIGN_TOL: _rule(d, SIGN_TOL, up=SIGN_TOL, down=-SIGN_TOL)
    ),
    "tol = 0 taken for no tol given (tol or 1e-8), where 0 is a tolerance too": (
        lambda d, tol=SIGN_TOL: _rule(
            d, tol or SIGN_TOL, up=tol or SIGN_TOL, down=-(tol or SIGN_TOL)
        )
    ),
}


# --- symbolic_derivative ---------------------------------------------------------------------


def derivative_text(expression: str, variable: str) -> str:
    """The derivative of a check author's expression as SymPy prints it (trusted input only)."""
    return str(sympy.diff(sympy.sympify(expression), sympy.Symbol(variable)))


def symbolic_mistakes(expression: str, variable: str, variables: Sequence[str]) -> dict[str, str]:
    """Wrong answers of `symbolic_derivative(expression, variable)` any expression can have."""
    mistakes = {
        f"the expression itself, not its derivative with respect to {variable}": expression,
        f"0, as if the expression did not depend on {variable} (a Symbol made with assumptions "
        "such as real=True is another symbol than the one sympify makes)": "0",
    }
    for other in variables:
        if other != variable:
            mistakes[f"differentiating with respect to {other} instead of {variable}"] = (
                derivative_text(expression, other)
            )
    return mistakes


# The named wrong formulas of each exercise, declared for `grader validate`: it grades the
# reference with the exercise replaced by each one, and asks that a check name it.
wrong_formulas("derivative", DERIVATIVE_MISTAKES)
wrong_formulas("tangent_estimate", TANGENT_MISTAKES)
wrong_formulas("forward_difference", FORWARD_MISTAKES)
wrong_formulas("central_difference", CENTRAL_MISTAKES)
wrong_formulas("second_derivative", SECOND_MISTAKES)
wrong_formulas("interpret_sign", SIGN_MISTAKES)
