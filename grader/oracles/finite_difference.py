"""Judging finite differences: tolerances from the method's own error, and convergence order.

A generic relative tolerance is wrong in both directions: rel_tol 1e-9 fails a correct central
difference at x = 1000 (rounding x + h alone costs about eps * |x| / h), while a loose one lets a
forward difference pass for a central one. Here the tolerance is built from the two errors of the
method at the step used:

- truncation: forward/backward h/2 |f''|, central h^2/6 |f'''|, second difference h^2/12 |f''''|,
  mixed second partial h^2/3 |f''''|;
- rounding: eps |f| / h for a first difference (eps |f| / h^2 for a second one), plus the error of
  the rounded points x +- h, eps |x| |f'| / h (or / h^2).

Compared with the reference's *same formula at the same h*, both answers carry the same truncation
error, so only rounding may separate them; the truncation term is added only when the comparison is
with the exact derivative or with another scheme of the same order (``same_formula=False``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from grader.oracles.compare import Verdict, check_array, check_number
from grader.oracles.values import format_number

EPS = float(np.finfo(float).eps)
# Two answers (the student's and the reference's), each within the estimate, plus slack for
# bounds that are sampled rather than proven.
SAFETY = 4.0
FIRST_ORDER = ("forward", "backward")
METHODS = ("forward", "backward", "central", "second", "mixed")


@dataclass(frozen=True)
class Smoothness:
    """Upper bounds, on [x - h, x + h], of |f| and of its first four derivatives' magnitudes."""

    value: float
    first: float = 0.0
    second: float = 0.0
    third: float = 0.0
    fourth: float = 0.0


def smoothness(
    expression: sympy.Expr, variable: sympy.Symbol, x: float, h: float, samples: int = 9
) -> Smoothness:
    """Bounds for a check author's own function of one variable, sampled on [x - h, x + h].

    Sampling is not a proof; `SAFETY` covers the gap for the smooth functions checks use.
    """
    points = np.linspace(x - h, x + h, samples)
    bounds = [float(np.max(np.abs(derivative_at(expression, variable, order, points))))
              for order in range(5)]  # fmt: skip
    return Smoothness(*bounds)


def derivative_at(
    expression: sympy.Expr, variable: sympy.Symbol, order: int, points: float | np.ndarray
) -> np.ndarray:
    """The `order`-th derivative of a check author's expression at `points`, in float64.

    The derivative is worked out and compiled to NumPy once per expression and order: inputs
    drawn per student make every point new, and SymPy's own substitution costs some 0.6 ms a
    point where the compiled function costs microseconds.
    """
    values = _compiled(expression, variable, order)(np.asarray(points, dtype=float))
    return np.broadcast_to(np.asarray(values, dtype=float), np.shape(points))


@functools.lru_cache(maxsize=512)
def _compiled(expression: sympy.Expr, variable: sympy.Symbol, order: int) -> Any:
    worked_out = sympy.diff(expression, variable, order) if order else expression
    return sympy.lambdify(variable, worked_out, "numpy")


def truncation_error(method: str, h: float, bounds: Smoothness) -> float:
    """The method's truncation error bound at step h."""
    _known(method)
    if method in FIRST_ORDER:
        return h / 2 * bounds.second
    if method == "central":
        return h**2 / 6 * bounds.third
    if method == "second":
        return h**2 / 12 * bounds.fourth
    return h**2 / 3 * bounds.fourth


def rounding_error(method: str, h: float, x: float | np.ndarray, bounds: Smoothness) -> float:
    """The rounding error estimate at step h: f's values, the rounded points, the final result."""
    _known(method)
    scale = float(np.max(np.abs(x)))
    if method in FIRST_ORDER:
        return EPS * ((2 * bounds.value + scale * bounds.first) / h + bounds.first)
    if method == "central":
        return EPS * ((bounds.value + scale * bounds.first) / h + bounds.first)
    if method == "second":
        return EPS * ((4 * bounds.value + 2 * scale * bounds.first) / h**2 + bounds.second)
    return EPS * ((bounds.value + scale * bounds.first) / h**2 + bounds.second)


def fd_tolerance(
    method: str,
    *,
    h: float,
    x: float | np.ndarray,
    bounds: Smoothness,
    same_formula: bool = True,
    safety: float = SAFETY,
) -> float:
    """The absolute tolerance for a finite difference by `method` at step h around x."""
    error = rounding_error(method, h, x, bounds)
    if not same_formula:
        error += truncation_error(method, h, bounds)
    return safety * error


def check_fd(
    got: Any,
    expected: Any,
    *,
    call: str,
    method: str,
    h: float,
    x: float | np.ndarray,
    bounds: Smoothness,
    same_formula: bool = True,
) -> Verdict:
    """A finite-difference answer (number or array) against the reference, with `fd_tolerance`.

    `expected` is the same formula at the same h (or, with ``same_formula=False``, the exact
    derivative or another scheme of the same order).
    """
    tolerance = fd_tolerance(method, h=h, x=x, bounds=bounds, same_formula=same_formula)
    if isinstance(expected, np.ndarray) and expected.ndim > 0:
        return check_array(got, expected, call=call, rtol=0.0, atol=tolerance)
    return check_number(got, expected, call=call, rtol=0.0, atol=tolerance)


def geometric_steps(first: float = 1e-1, last: float = 1e-4, count: int = 7) -> np.ndarray:
    """Steps h from `first` down to `last`, evenly spaced in log scale.

    The default range suits first differences; for the second difference stop near 1e-2, where
    its rounding error (eps / h^2) is still far below its truncation error.
    """
    return np.geomspace(first, last, count)


def convergence_order(hs: Sequence[float], errors: Sequence[float]) -> float:
    """The least-squares slope of log(error) against log(h): about 1 or 2 for FD methods."""
    steps, sizes = np.asarray(hs, dtype=float), np.asarray(errors, dtype=float)
    if steps.shape != sizes.shape or steps.ndim != 1 or steps.size < 2:
        raise ValueError("convergence_order needs two sequences of the same length, at least 2")
    if np.any(steps <= 0) or np.unique(steps).size < 2:
        raise ValueError("convergence_order needs positive, distinct steps")
    if not np.all(np.isfinite(sizes)) or np.any(sizes <= 0):
        raise ValueError("convergence_order needs positive, finite errors")
    log_h, log_e = np.log(steps), np.log(sizes)
    centred = log_h - log_h.mean()
    return float(centred @ (log_e - log_e.mean()) / (centred @ centred))


def check_convergence_order(
    hs: Sequence[float],
    errors: Sequence[float],
    expected_order: float,
    *,
    call: str,
    slack: float = 0.25,
) -> Verdict:
    """The error of `call` must shrink like h**expected_order, within `slack` of the slope."""
    steps = [float(h) for h in hs]
    for h, error in zip(steps, errors, strict=True):
        if not np.isfinite(error):
            return Verdict(
                False,
                f"{call} gave {format_number(float(error))} at h = "
                f"{format_number(h)}, so its accuracy cannot be measured.",
            )
        if error == 0:
            return Verdict(
                False,
                f"{call} had an error of exactly 0 at h = {format_number(h)}; "
                "a finite difference on this function should not be exact.",
            )
    order = convergence_order(steps, [abs(float(e)) for e in errors])
    if abs(order - expected_order) <= slack:
        return Verdict(True)
    span = f"as h goes from {format_number(max(steps))} to {format_number(min(steps))}"
    wanted = f"expected about h^{expected_order:g}"
    if order < slack:
        return Verdict(
            False, f"{call}: the error does not shrink {span} (order {order:.2f}), {wanted}."
        )
    return Verdict(False, f"{call}: the error shrinks like h^{order:.2f} {span}, {wanted}.")


def _known(method: str) -> None:
    """Reject a method name no formula here belongs to (a mistake in a check)."""
    if method not in METHODS:
        raise ValueError(f"unknown finite-difference method {method!r}; use one of {METHODS}")
