"""Known wrong formulas of assignment `gradients`, named as the student reads them.

Each `*_MISTAKES` mapping names a misconception as the student reads it after "This looks like"
and gives the wrong formula, called grader-side with the arguments of the failing call (the
contract's defaults included), so that a failing check can name the one the answer reproduces.
`wrong_formulas` declares them for `grader validate`, which grades the reference with the
exercise replaced by each one and asks that a check name it. The judges that use them are in
`judges.py`; the tolerances in `bounds.py`; the checks' inputs in `inputs.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from grader.authoring import wrong_formulas

POINTS = ("minimum", "maximum", "saddle", "degenerate")
# The contract's default steps and tolerance, which the wrong formulas share with the student's.
PARTIAL_H = 1e-5
HESSIAN_H = 1e-4
CLASSIFY_TOL = 1e-8
TRUNCATING = "integer arrays silently truncating x + h"
IGNORED_H = "ignoring the step h it is given (the default step every time)"


# --- finite differences as the mistakes compute them -----------------------------------------


def _step(n: int, i: int, h: float, like: np.ndarray | None = None) -> np.ndarray:
    step = np.zeros(n) if like is None else np.zeros_like(like)
    step[i] = h  # truncated to 0 when `like` is an int array: the mistake being modelled
    return step


def central_partial(f: Callable, x: Any, i: int, h: float = PARTIAL_H) -> float:
    """The right central difference along coordinate i."""
    point = np.array(x, dtype=float)
    step = _step(point.size, i, h)
    return float((f(point + step) - f(point - step)) / (2 * h))


def central_gradient(f: Callable, x: Any, h: float = PARTIAL_H) -> np.ndarray:
    """The right central-difference gradient."""
    point = np.array(x, dtype=float)
    return np.array([central_partial(f, point, i, h) for i in range(point.size)])


def _forward(f: Callable, x: Any, i: int, h: float = PARTIAL_H) -> float:
    point = np.array(x, dtype=float)
    return float((f(point + _step(point.size, i, h)) - f(point)) / h)


def _backward(f: Callable, x: Any, i: int, h: float = PARTIAL_H) -> float:
    point = np.array(x, dtype=float)
    return float((f(point) - f(point - _step(point.size, i, h))) / h)


def _over_h(f: Callable, x: Any, i: int, h: float = PARTIAL_H) -> float:
    return 2 * central_partial(f, x, i, h)


def _times_h(f: Callable, x: Any, i: int, h: float = PARTIAL_H) -> float:
    return central_partial(f, x, i, h) * h**2  # (f+ - f-) / 2 * h is (f+ - f-) * h / 2


def _every_coordinate(f: Callable, x: Any, i: int, h: float = PARTIAL_H) -> float:
    point = np.array(x, dtype=float)
    return float((f(point + h) - f(point - h)) / (2 * h))


def _fixed_step(f: Callable, x: Any, i: int, h: float = PARTIAL_H) -> float:
    return central_partial(f, x, i, PARTIAL_H)


def _integer_copy(x: Any) -> np.ndarray:
    """x as `np.array(x)` gives it, never converted to float: for int input an int array, which
    truncates what is written into it (float input gives the right answer, as such code does)."""
    return np.array(x)


def _truncated(f: Callable, x: Any, i: int, h: float = PARTIAL_H) -> float:
    plus, minus = _integer_copy(x), _integer_copy(x)
    plus[i] += h  # numpy truncates the float result back into the int array
    minus[i] -= h
    return float((f(plus) - f(minus)) / (2 * h))


def _zero_step(f: Callable, x: Any, i: int, h: float = PARTIAL_H) -> float:
    point = _integer_copy(x)
    step = _step(point.size, i, h, like=point)
    return float((f(point + step) - f(point - step)) / (2 * h))


PARTIAL_MISTAKES: dict[str, Callable[..., float]] = {
    "a forward difference instead of a central one": _forward,
    "a backward difference instead of a central one": _backward,
    "dividing by h instead of 2h": _over_h,
    "dividing by 2 * h without brackets, which multiplies by h instead of dividing": _times_h,
    "moving every coordinate by h (x + h) instead of only coordinate i (x + h e_i)":
        _every_coordinate,
    IGNORED_H: _fixed_step,
    TRUNCATING: _truncated,
    f"{TRUNCATING} (the step h e_i, made with np.zeros_like of an int x, became 0)": _zero_step,
}  # fmt: skip


def _per_coordinate(partial: Callable[..., float]) -> Callable[..., np.ndarray]:
    """The gradient a student gets by applying a partial-derivative mistake to every coordinate."""

    def gradient(f: Callable, x: Any, h: float = PARTIAL_H) -> np.ndarray:
        return np.array([partial(f, x, i, h) for i in range(np.size(x))])

    return gradient


GRADIENT_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    name: _per_coordinate(partial) for name, partial in PARTIAL_MISTAKES.items()
}


# --- quadratic_gradient ----------------------------------------------------------------------


def _floats(*values: Any) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(value, dtype=float) for value in values)


def _plain(A: Any, b: Any, x: Any) -> np.ndarray:
    A, b, x = _floats(A, b, x)
    return A @ x + b


def _transposed(A: Any, b: Any, x: Any) -> np.ndarray:
    A, b, x = _floats(A, b, x)
    return A.T @ x + b


def _no_half(A: Any, b: Any, x: Any) -> np.ndarray:
    A, b, x = _floats(A, b, x)
    return (A + A.T) @ x + b


def _half_plain(A: Any, b: Any, x: Any) -> np.ndarray:
    A, b, x = _floats(A, b, x)
    return 0.5 * A @ x + b


def _no_b(A: Any, b: Any, x: Any) -> np.ndarray:
    A, b, x = _floats(A, b, x)
    return 0.5 * (A + A.T) @ x


def _minus_b(A: Any, b: Any, x: Any) -> np.ndarray:
    A, b, x = _floats(A, b, x)
    return 0.5 * (A + A.T) @ x - b


QUADRATIC_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    "A @ x + b, which is the gradient only for a symmetric A": _plain,
    "A.T @ x + b, which is the gradient only for a symmetric A": _transposed,
    "(A + A.T) @ x + b, the factor 0.5 forgotten": _no_half,
    "0.5 * A @ x + b, which misses the A.T @ x half of the derivative of x @ A @ x": _half_plain,
    "the linear term b left out": _no_b,
    "b subtracted instead of added": _minus_b,
}


# --- hessian ---------------------------------------------------------------------------------


def central_hessian(f: Callable, x: Any, h: float = HESSIAN_H) -> np.ndarray:
    """The contract's scheme: second differences on the diagonal, four points off it."""
    point = np.array(x, dtype=float)
    n = point.size
    result = np.empty((n, n))
    for i in range(n):
        ei = _step(n, i, h)
        result[i, i] = (f(point + ei) - 2 * f(point) + f(point - ei)) / h**2
        for j in range(i + 1, n):
            ej = _step(n, j, h)
            corners = f(point + ei + ej) - f(point + ei - ej) - f(point - ei + ej)
            result[i, j] = result[j, i] = (corners + f(point - ei - ej)) / (4 * h**2)
    return result


def _diagonal_only(f: Callable, x: Any, h: float = HESSIAN_H) -> np.ndarray:
    return np.diag(np.diag(central_hessian(f, x, h)))


def _upper_only(f: Callable, x: Any, h: float = HESSIAN_H) -> np.ndarray:
    return np.triu(central_hessian(f, x, h))


def _lower_only(f: Callable, x: Any, h: float = HESSIAN_H) -> np.ndarray:
    return np.tril(central_hessian(f, x, h))


def _corners_over_h2(f: Callable, x: Any, h: float = HESSIAN_H) -> np.ndarray:
    matrix = central_hessian(f, x, h)
    return 4 * matrix - 3 * np.diag(np.diag(matrix))


def _forward_hessian(f: Callable, x: Any, h: float = HESSIAN_H) -> np.ndarray:
    point = np.array(x, dtype=float)
    n = point.size
    steps = [_step(n, i, h) for i in range(n)]
    return np.array(
        [
            [(f(point + a + b) - f(point + a) - f(point + b) + f(point)) / h**2 for b in steps]
            for a in steps
        ]
    )


def _fixed_hessian_step(f: Callable, x: Any, h: float = HESSIAN_H) -> np.ndarray:
    return central_hessian(f, x, HESSIAN_H)


HESSIAN_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    "a Hessian that ignores the off-diagonal entries (the mixed partials)": _diagonal_only,
    "a Hessian that is not symmetric: only the entries with i <= j filled in": _upper_only,
    "a Hessian that is not symmetric: only the entries with i >= j filled in": _lower_only,
    "the four-point formula divided by h**2 instead of 4 h**2": _corners_over_h2,
    "forward differences instead of central ones (first-order accurate)": _forward_hessian,
    IGNORED_H: _fixed_hessian_step,
}


# --- directional_derivative and steepest_ascent_direction ------------------------------------


def _unnormalised(grad: Any, v: Any) -> float:
    grad, v = _floats(grad, v)
    return float(grad @ v)


def _over_grad_norm(grad: Any, v: Any) -> float:
    grad, v = _floats(grad, v)
    return float(grad @ v / np.linalg.norm(grad))


def _over_norm_squared(grad: Any, v: Any) -> float:
    grad, v = _floats(grad, v)
    return float(grad @ v / (v @ v))


def _cosine(grad: Any, v: Any) -> float:
    grad, v = _floats(grad, v)
    return float(grad @ v / (np.linalg.norm(grad) * np.linalg.norm(v)))


def _steepest_rate(grad: Any, v: Any) -> float:
    return float(np.linalg.norm(np.asarray(grad, dtype=float)))


DIRECTIONAL_MISTAKES: dict[str, Callable[..., float]] = {
    "an unnormalised direction: grad @ v without dividing by norm(v)": _unnormalised,
    "dividing by norm(grad) instead of norm(v)": _over_grad_norm,
    "dividing by norm(v) ** 2 instead of norm(v)": _over_norm_squared,
    "the cosine of the angle between grad and v (divided by norm(grad) too)": _cosine,
    "norm(grad), the rate along the gradient, instead of the rate along v": _steepest_rate,
}


def _descent(grad: Any) -> np.ndarray:
    (grad,) = _floats(grad)
    return -grad / np.linalg.norm(grad)


def _not_unit(grad: Any) -> np.ndarray:
    (grad,) = _floats(grad)
    return grad


def _over_square(grad: Any) -> np.ndarray:
    (grad,) = _floats(grad)
    return grad / (grad @ grad)


def _one_norm(grad: Any) -> np.ndarray:
    (grad,) = _floats(grad)
    return grad / np.abs(grad).sum()


def _small_as_zero(grad: Any) -> np.ndarray:
    (grad,) = _floats(grad)
    length = np.linalg.norm(grad)
    return np.zeros_like(grad) if length < 1e-8 else grad / length


ASCENT_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    "-grad / norm(grad), the direction of steepest descent instead of ascent": _descent,
    "an unnormalised direction: the gradient itself, not scaled to length 1": _not_unit,
    "dividing by norm(grad) ** 2 instead of norm(grad)": _over_square,
    "dividing by the sum of |grad| (the 1-norm) instead of the length norm(grad)": _one_norm,
    "zeros for a small gradient that is not zero (norm(grad) < 1e-8 instead of == 0)": (
        _small_as_zero
    ),
}


# --- classify_stationary_point ---------------------------------------------------------------


def _rule(values: np.ndarray, tol: float, strict: bool = True) -> str:
    """The contract's rule on a set of curvatures; `strict=False` lets values equal to tol count."""
    above = values > tol if strict else values >= tol
    below = values < -tol if strict else values <= -tol
    if above.all():
        return "minimum"
    if below.all():
        return "maximum"
    return "saddle" if above.any() and below.any() else "degenerate"


def _eigenvalues(H: Any) -> np.ndarray:
    return np.linalg.eigvalsh(np.asarray(H, dtype=float))


def _by_diagonal(H: Any, tol: float = CLASSIFY_TOL) -> str:
    return _rule(np.diag(np.asarray(H, dtype=float)), tol)


def _by_determinant(H: Any, tol: float = CLASSIFY_TOL) -> str:
    matrix = np.asarray(H, dtype=float)
    determinant = np.linalg.det(matrix)
    if determinant > tol:
        return "minimum" if matrix[0, 0] > 0 else "maximum"
    return "saddle" if determinant < -tol else "degenerate"


def _against_zero(H: Any, tol: float = CLASSIFY_TOL) -> str:
    return _rule(_eigenvalues(H), 0.0)


def _tol_counts(H: Any, tol: float = CLASSIFY_TOL) -> str:
    return _rule(_eigenvalues(H), tol, strict=False)


def _swapped(H: Any, tol: float = CLASSIFY_TOL) -> str:
    label = _rule(_eigenvalues(H), tol)
    return {"minimum": "maximum", "maximum": "minimum"}.get(label, label)


def _zero_first(H: Any, tol: float = CLASSIFY_TOL) -> str:
    values = _eigenvalues(H)
    return "degenerate" if np.any(np.abs(values) <= tol) else _rule(values, tol)


def _semidefinite(H: Any, tol: float = CLASSIFY_TOL) -> str:
    values = _eigenvalues(H)
    if np.all(values >= -tol) and np.any(values > tol):
        return "minimum"
    if np.all(values <= tol) and np.any(values < -tol):
        return "maximum"
    return _rule(values, tol)


def _default_tol(H: Any, tol: float = CLASSIFY_TOL) -> str:
    return _rule(_eigenvalues(H), CLASSIFY_TOL)


CLASSIFY_MISTAKES: dict[str, Callable[..., str]] = {
    "classifying by the diagonal entries of H instead of its eigenvalues": _by_diagonal,
    "classifying by the determinant, a test that holds for 2x2 matrices only": _by_determinant,
    "comparing the eigenvalues with 0 instead of tol": _against_zero,
    "counting an eigenvalue equal to tol as nonzero (>= tol where > tol is asked)": _tol_counts,
    "'minimum' and 'maximum' swapped": _swapped,
    "calling a point degenerate when an eigenvalue is near 0 although others have both signs "
    "(a saddle)": _zero_first,
    "calling a point a minimum or maximum although an eigenvalue is within tol of 0": _semidefinite,
    "ignoring the tol it is given (the default 1e-8 every time)": _default_tol,
}


# --- gradient_check --------------------------------------------------------------------------


def both_gradients(
    f: Callable, grad_fn: Callable, x: Any, h: float
) -> tuple[np.ndarray, np.ndarray]:
    """ga = grad_fn(x) (on a copy of x) and gn, the right central-difference gradient."""
    point = np.array(x, dtype=float)
    return np.asarray(grad_fn(point.copy()), dtype=float), central_gradient(f, point, h)


def _relative_to(denominator: Callable[[np.ndarray, np.ndarray], float]) -> Callable[..., float]:
    """A gradient check with another denominator than norm(ga) + norm(gn)."""

    def relative_error(f: Callable, grad_fn: Callable, x: Any, h: float = PARTIAL_H) -> float:
        ga, gn = both_gradients(f, grad_fn, x, h)
        with np.errstate(divide="ignore", invalid="ignore"):  # both zero: nan, as for a student
            return float(np.linalg.norm(ga - gn) / np.float64(denominator(ga, gn)))

    return relative_error


def _numerical_mistake(partial: Callable[..., float]) -> Callable[..., float]:
    """A right gradient check whose numerical gradient gn has a partial-derivative mistake."""
    wrong_gradient = _per_coordinate(partial)

    def relative_error(f: Callable, grad_fn: Callable, x: Any, h: float = PARTIAL_H) -> float:
        ga = np.asarray(grad_fn(np.array(x, dtype=float)), dtype=float)
        gn = wrong_gradient(f, x, h)
        scale = max(float(np.linalg.norm(ga) + np.linalg.norm(gn)), 1e-12)
        return float(np.linalg.norm(ga - gn) / scale)

    return relative_error


def _norm(vector: np.ndarray) -> float:
    return float(np.linalg.norm(vector))


CHECK_MISTAKES: dict[str, Callable[..., float]] = {
    "dividing by norm(ga) alone instead of norm(ga) + norm(gn)": _relative_to(
        lambda ga, gn: _norm(ga)
    ),
    "dividing by norm(gn) alone instead of norm(ga) + norm(gn)": _relative_to(
        lambda ga, gn: _norm(gn)
    ),
    "the absolute error norm(ga - gn), not divided by norm(ga) + norm(gn)": _relative_to(
        lambda ga, gn: 1.0
    ),
    "dividing by norm(ga + gn) instead of norm(ga) + norm(gn)": _relative_to(
        lambda ga, gn: _norm(ga + gn)
    ),
    "dividing by max(norm(ga), norm(gn)) instead of norm(ga) + norm(gn)": _relative_to(
        lambda ga, gn: max(_norm(ga), _norm(gn))
    ),
    "dividing by norm(ga) + norm(gn) without the floor of max(norm(ga) + norm(gn), 1e-12)": (
        _relative_to(lambda ga, gn: _norm(ga) + _norm(gn))
    ),
    "adding 1e-12 to norm(ga) + norm(gn) instead of taking max(..., 1e-12)": _relative_to(
        lambda ga, gn: _norm(ga) + _norm(gn) + 1e-12
    ),
    # A mistake in the student's own gradient, reused for gn, shows here too.
    **{
        f"{name}, in the numerical gradient gn": _numerical_mistake(partial)
        for name, partial in PARTIAL_MISTAKES.items()
    },
}


wrong_formulas("partial_derivative", PARTIAL_MISTAKES)
wrong_formulas("gradient", GRADIENT_MISTAKES)
wrong_formulas("quadratic_gradient", QUADRATIC_MISTAKES)
wrong_formulas("hessian", HESSIAN_MISTAKES)
wrong_formulas("directional_derivative", DIRECTIONAL_MISTAKES)
wrong_formulas("steepest_ascent_direction", ASCENT_MISTAKES)
wrong_formulas("classify_stationary_point", CLASSIFY_MISTAKES)
wrong_formulas("gradient_check", CHECK_MISTAKES)
