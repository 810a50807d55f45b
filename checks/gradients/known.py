"""Known wrong formulas of assignment `gradients`, and the judges its hidden checks use.

Each `*_MISTAKES` mapping names a misconception as the student reads it after "This looks like"
and gives the wrong formula, called grader-side with the arguments of the failing call (the
contract's defaults included), so the helpers' `wrong=` diagnosis can name it. Judges:

- `same_difference`: central differences against the reference's same formula at the same step,
  within the method's rounding error along the axes stepped (`grader.oracles.finite_difference`);
- `same_hessian`: a Hessian against the exact one, within the truncation and rounding error of
  any second-order central scheme, with a note when the answer is not symmetric;
- `same_gradient_check`: the relative error of `gradient_check`, within what the rounding of the
  numerical gradient can move it;
- `same_labels`: several labels, naming the mistake that reproduces all of the student's answers;
- `plain_inputs`: a call on int or list input that, when it fails, is retried on float arrays.

Generic helpers that could move to `grader.authoring.helpers` if other assignments want them:
`box_bounds` (smoothness of a function of several variables), `plain_inputs` and
`name_mistakes` (every matching mistake named, not only the first).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import Any

import numpy as np
import sympy

from grader.authoring import (
    CheckFailure,
    Smoothness,
    StudentProxy,
    SymbolicFunction,
    Verdict,
    Wrong,
    check_array,
    check_fd,
    check_number,
    diagnose,
    exact_hessian,
    explain,
    fail,
    fd_tolerance,
    require,
    with_hint,
    wrong_formulas,
    wrong_values,
)
from grader.authoring import (
    same_labels as labels,
)

POINTS = ("minimum", "maximum", "saddle", "degenerate")
# The contract's default steps, which the wrong formulas must share with the student's code.
PARTIAL_H = 1e-5
HESSIAN_H = 1e-4
CLASSIFY_TOL = 1e-8
TRUNCATING = "integer arrays silently truncating x + h"


# --- smoothness of the checks' own functions -------------------------------------------------


@functools.lru_cache(maxsize=64)
def _derivative_layers(expression: sympy.Expr, symbols: tuple) -> tuple[Callable, ...]:
    """numpy functions giving f, its first partials, and its distinct partials of orders 2 to 4."""
    layers: list[list[sympy.Expr]] = [[expression], [sympy.diff(expression, s) for s in symbols]]
    for _ in range(3):
        # a set: mixed partials commute, so many of the n**k derivatives coincide
        layers.append(sorted({sympy.diff(e, s) for e in layers[-1] for s in symbols}, key=str))
    return tuple(sympy.lambdify(symbols, layer, "numpy") for layer in layers)


@functools.lru_cache(maxsize=256)
def _box_bounds(
    expression: sympy.Expr, symbols: tuple, x: tuple, radius: float, axis: int | None
) -> Smoothness:
    corners = np.array(list(itertools.product((-1.0, 0.0, 1.0), repeat=len(x))))
    points = (np.array(x) + radius * corners).T
    sizes = []
    for layer in _derivative_layers(expression, symbols):
        values = [np.broadcast_to(np.abs(v), points.shape[1:]) for v in layer(*points)]
        sizes.append(np.array(values, dtype=float))
    value, first, *higher = sizes
    # Rounding a point stepped along one axis moves f by eps |x_i| |∂f/∂x_i|; stepped along
    # several, by up to the sum of those.
    slope = first[axis].max() if axis is not None else first.sum(axis=0).max()
    return Smoothness(float(value.max()), float(slope), *(float(s.max()) for s in higher))


def box_bounds(f: SymbolicFunction, x: Any, radius: float, axis: int | None = None) -> Smoothness:
    """Bounds of |f| and of its partial derivatives of orders 1 to 4 on the box x +- radius.

    Sampled at the box's 3**n grid points (centre, faces, corners), like the oracle's one-variable
    `smoothness`. `first` bounds |∂f/∂x_axis| for steps along one axis, or the sum of all
    |∂f/∂x_i| when `axis` is None; the others bound the largest partial of their order. Cached:
    checks draw the same points for every submission.
    """
    return _box_bounds(f.expression, f.symbols, _point(x), float(radius), axis)


def worst_axis(
    f: SymbolicFunction, x: Any, h: float, axes: Iterable[int]
) -> tuple[float, Smoothness]:
    """The coordinate and bounds of the axis whose central difference rounds the most.

    Each axis counts with its own coordinate and slope (rounding x_i + h costs eps |x_i| / h
    times |∂f/∂x_i|), so a point near 1000 in one coordinate does not loosen the others.
    """
    point = np.asarray(x, dtype=float)
    candidates = [(float(point[i]), box_bounds(f, point, h, axis=i)) for i in axes]
    return max(candidates, key=lambda c: fd_tolerance("central", h=h, x=c[0], bounds=c[1]))


def difference_tolerance(f: SymbolicFunction, x: Any, h: float, axes: Iterable[int]) -> float:
    """The rounding tolerance of central differences of f at x with step h along these axes."""
    coordinate, bounds = worst_axis(f, x, h, axes)
    return fd_tolerance("central", h=h, x=coordinate, bounds=bounds)


@functools.lru_cache(maxsize=256)
def _exact_hessian(f: SymbolicFunction, x: tuple) -> np.ndarray:
    matrix = exact_hessian(f, x)
    matrix.flags.writeable = False
    return matrix


def exact_hessian_at(f: SymbolicFunction, x: Any) -> np.ndarray:
    """The exact Hessian of f at x (read-only, cached per function object and point)."""
    return _exact_hessian(f, _point(x))


# --- judges ----------------------------------------------------------------------------------


def same_difference(student: StudentProxy, reference: ModuleType, function: str, args: tuple,
                    h: float | None = None, *, f: SymbolicFunction, at: Any, axes: Iterable[int],
                    wrong: Wrong | None = None) -> Any:  # fmt: skip
    """Central differences of f (a number or an array) against the reference's same formula at
    the same step, within `difference_tolerance` along `axes`.

    `args` are the positional arguments and `at` the point among them; `h` is passed by keyword
    unless None (the default step 1e-5).
    """
    kwargs = {} if h is None else {"h": h}
    got = getattr(student, function)(*args, **kwargs)
    call = student.last_call
    expected = getattr(reference, function)(*args, **kwargs)
    step = PARTIAL_H if h is None else h
    coordinate, bounds = worst_axis(f, at, step, axes)
    verdict = check_fd(got, expected, call=call, method="central", h=step, x=coordinate,
                       bounds=bounds)  # fmt: skip
    require(explain(verdict, got, expected, wrong, args, kwargs))
    return got


def hessian_tolerance(f: SymbolicFunction, x: Any, h: float) -> float:
    """How far any second-order central Hessian at step h may be from the exact one.

    The larger of the second difference's and the four-point formula's errors, truncation
    included; the bounds cover 2h, since some schemes step 2h along an axis.
    """
    return _hessian_tolerance(f, _point(x), float(h))


@functools.lru_cache(maxsize=256)
def _hessian_tolerance(f: SymbolicFunction, x: tuple, h: float) -> float:
    point = np.array(x)
    bounds = box_bounds(f, point, 2 * h)
    return max(
        fd_tolerance(method, h=h, x=point, bounds=bounds, same_formula=False)
        for method in ("second", "mixed")
    )


def _point(x: Any) -> tuple[float, ...]:
    """x as a tuple of floats: a cache key (checks use the same points for every submission)."""
    return tuple(float(v) for v in np.asarray(x, dtype=float))


def same_hessian(student: StudentProxy, f: SymbolicFunction, x: Any, h: float | None = None,
                 *, wrong: Wrong | None = None) -> np.ndarray:  # fmt: skip
    """The student's Hessian of f at x: shape (n, n), within `hessian_tolerance` of the exact."""
    kwargs = {} if h is None else {"h": h}
    step = HESSIAN_H if h is None else h
    got = student.hessian(f, x, **kwargs)
    call = student.last_call
    exact = exact_hessian_at(f, x)
    tolerance = hessian_tolerance(f, x, step)
    verdict = check_array(got, exact, call=call, rtol=0.0, atol=tolerance)
    if verdict.ok:
        return got
    named = diagnose(got, wrong_values(wrong, (f, x), kwargs))
    if named is not None:
        fail(f"{verdict.message} This looks like {named}.")
    note = asymmetry(got, tolerance)
    if note:
        fail(f"{verdict.message} {note}")
    require(with_hint(verdict, got, exact))
    return got


def asymmetry(matrix: Any, tolerance: float) -> str:
    """A sentence pointing at the most asymmetric pair of a square float matrix, or ''."""
    if not isinstance(matrix, np.ndarray) or matrix.ndim != 2 or matrix.dtype.kind not in "iuf":
        return ""
    if matrix.shape[0] != matrix.shape[1] or not np.all(np.isfinite(matrix)):
        return ""
    gap = np.abs(matrix - matrix.T)
    if gap.max() <= tolerance:
        return ""
    i, j = np.unravel_index(int(np.argmax(gap)), gap.shape)
    return (
        f"It is not symmetric: H[{i}, {j}] = {matrix[i, j]:.6g} but H[{j}, {i}] = "
        f"{matrix[j, i]:.6g}, while the mixed partials of a smooth f are equal."
    )


def gradient_check_tolerance(f: SymbolicFunction, grad_fn: Callable, x: Any, h: float) -> float:
    """How far a correct `gradient_check` may be from the reference's value.

    Rounding may move each entry of the numerical gradient gn by `fd_tolerance("central")`, so
    its norm by sqrt(n) times that, delta; that moves norm(ga - gn) / (norm(ga) + norm(gn)) by at
    most 2 delta / (norm(ga) + norm(gn)), since the ratio is at most 1.
    """
    return _check_tolerance(f, grad_fn, _point(x), float(h))


@functools.lru_cache(maxsize=256)
def _check_tolerance(f: SymbolicFunction, grad_fn: Callable, x: tuple, h: float) -> float:
    point = np.array(x)
    delta = np.sqrt(point.size) * difference_tolerance(f, point, h, range(point.size))
    return float(2 * delta / max(_gradient_norms(f, grad_fn, point, h), 1e-12))


def _gradient_norms(f: Callable, grad_fn: Callable, x: np.ndarray, h: float) -> float:
    ga, gn = _gradients(f, grad_fn, x, h)
    return float(np.linalg.norm(ga) + np.linalg.norm(gn))


def same_gradient_check(student: StudentProxy, reference: ModuleType, f: SymbolicFunction,
                        grad_fn: Callable, x: Any, h: float | None = None, *,
                        wrong: Wrong | None = None) -> float:  # fmt: skip
    """`gradient_check`'s value against the reference's, within `gradient_check_tolerance`."""
    kwargs = {} if h is None else {"h": h}
    step = PARTIAL_H if h is None else h
    got = student.gradient_check(f, grad_fn, x, **kwargs)
    call = student.last_call
    expected = reference.gradient_check(f, grad_fn, x, **kwargs)
    tolerance = gradient_check_tolerance(f, grad_fn, x, step)
    verdict = check_number(got, expected, call=call, rtol=0.0, atol=tolerance)
    if not verdict.ok:
        candidates = wrong_values(wrong, (f, grad_fn, x), kwargs)
        verdict = name_mistakes(verdict, got, expected, candidates)
    if not verdict.ok and _gradient_norms(f, grad_fn, np.asarray(x, dtype=float), step) == 0:
        fail(verdict.message + zero_gradient_hint(got))
    require(verdict)
    return got


def same_direction(student: StudentProxy, reference: ModuleType, grad: Any, *,
                   wrong: Wrong | None = None) -> np.ndarray:  # fmt: skip
    """`steepest_ascent_direction`: a closed form (tight tolerance); nan for a zero gradient is
    explained."""
    got = student.steepest_ascent_direction(grad)
    call = student.last_call
    expected = reference.steepest_ascent_direction(grad)
    verdict = explain(check_array(got, expected, call=call), got, expected, wrong, (grad,), {})
    if not verdict.ok and not np.any(expected):
        fail(verdict.message + zero_direction_hint(got))
    require(verdict)
    return got


def same_labels(student: StudentProxy, reference: ModuleType, function: str,
                cases: Sequence[tuple], *, vocabulary: tuple[str, ...],
                wrong: Wrong | None = None) -> None:  # fmt: skip
    """`grader.authoring.helpers.same_labels` for cases of positional arguments only."""
    labels(student, reference, function, [(args, {}) for args in cases], vocabulary=vocabulary,
           wrong=wrong)  # fmt: skip


def plain_inputs(judge: Callable[[tuple], Any], given: tuple, floats: tuple, advice: str) -> None:
    """Judge a call on int or list input; if it fails while the same call on float arrays passes,
    say so and give `advice` (one clause, e.g. how to convert the input)."""
    try:
        judge(given)
    except CheckFailure as failure:
        if TRUNCATING in str(failure):
            raise  # already named by a wrong formula
        try:
            judge(floats)
        except CheckFailure:
            raise failure from None
        fail(f"{failure} The same call with float arrays is right: {advice}.")


def as_floats(*values: Any) -> tuple:
    """The arguments as float arrays, as a correct solution sees them after converting."""
    return tuple(np.array(value, dtype=float) for value in values)


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


def _integer_copy(x: Any) -> np.ndarray:
    """x as the int array `np.array(x)` gives for int input; other input has no such mistake."""
    point = np.array(x)
    if point.dtype.kind not in "iu":
        raise TypeError("only integer input is truncated")
    return point


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


HESSIAN_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    "a Hessian that ignores the off-diagonal entries (the mixed partials)": _diagonal_only,
    "a Hessian that is not symmetric: only the entries with i <= j filled in": _upper_only,
    "a Hessian that is not symmetric: only the entries with i >= j filled in": _lower_only,
    "the four-point formula divided by h**2 instead of 4 h**2": _corners_over_h2,
    "forward differences instead of central ones (first-order accurate)": _forward_hessian,
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


ASCENT_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    "-grad / norm(grad), the direction of steepest descent instead of ascent": _descent,
    "an unnormalised direction: the gradient itself, not scaled to length 1": _not_unit,
    "dividing by norm(grad) ** 2 instead of norm(grad)": _over_square,
    "dividing by the sum of |grad| (the 1-norm) instead of the length norm(grad)": _one_norm,
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


CLASSIFY_MISTAKES: dict[str, Callable[..., str]] = {
    "classifying by the diagonal entries of H instead of its eigenvalues": _by_diagonal,
    "classifying by the determinant, a test that holds for 2x2 matrices only": _by_determinant,
    "comparing the eigenvalues with 0 instead of tol": _against_zero,
    "counting an eigenvalue equal to tol as nonzero (>= tol where > tol is asked)": _tol_counts,
    "'minimum' and 'maximum' swapped": _swapped,
    "calling a point degenerate when an eigenvalue is near 0 although others have both signs "
    "(a saddle)": _zero_first,
    "calling a point a minimum or maximum although an eigenvalue is within tol of 0": _semidefinite,
}


# --- gradient_check --------------------------------------------------------------------------


def _gradients(f: Callable, grad_fn: Callable, x: Any, h: float) -> tuple[np.ndarray, np.ndarray]:
    point = np.array(x, dtype=float)
    return np.asarray(grad_fn(point.copy()), dtype=float), central_gradient(f, point, h)


def _relative_to(denominator: Callable[[np.ndarray, np.ndarray], float]) -> Callable[..., float]:
    """A gradient check with another denominator than norm(ga) + norm(gn)."""

    def relative_error(f: Callable, grad_fn: Callable, x: Any, h: float = PARTIAL_H) -> float:
        ga, gn = _gradients(f, grad_fn, x, h)
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
    # A mistake in the student's own gradient, reused for gn, shows here too.
    **{
        f"{name}, in the numerical gradient gn": _numerical_mistake(partial)
        for name, partial in PARTIAL_MISTAKES.items()
    },
}


def name_mistakes(verdict: Verdict, got: Any, expected: Any, candidates: dict[str, Any]) -> Verdict:
    """A failing verdict naming every known mistake the answer matches (where gn is near 0 or the
    gradients are parallel, several agree, and naming one alone would be a guess); failing
    those, the relation to the expected value."""
    if verdict.ok:
        return verdict
    matches = [name for name, value in candidates.items() if diagnose(got, {name: value})]
    if matches:
        return Verdict(False, f"{verdict.message} This looks like {'; or '.join(matches)}.")
    return with_hint(verdict, got, expected)


def zero_gradient_hint(got: Any) -> str:
    """Advice for a nan from `gradient_check` where both gradients are zero, else ''."""
    if isinstance(got, (float, np.floating)) and np.isnan(got):
        return (
            " Both gradients are zero here, so norm(ga) + norm(gn) is 0: divide by "
            "max(norm(ga) + norm(gn), 1e-12) as asked."
        )
    return ""


def zero_direction_hint(got: Any) -> str:
    """Advice for nan from `steepest_ascent_direction` on a zero gradient, else ''."""
    if isinstance(got, np.ndarray) and got.dtype.kind == "f" and np.isnan(got).any():
        return (
            " A zero gradient has no direction: return all zeros when norm(grad) == 0 "
            "instead of dividing by it."
        )
    return ""


# The named wrong formulas of each exercise, declared for `grader validate`: it grades the
# reference with the exercise replaced by each one, and asks that a check name it.
wrong_formulas("partial_derivative", PARTIAL_MISTAKES)
wrong_formulas("gradient", GRADIENT_MISTAKES)
wrong_formulas("quadratic_gradient", QUADRATIC_MISTAKES)
wrong_formulas("hessian", HESSIAN_MISTAKES)
wrong_formulas("directional_derivative", DIRECTIONAL_MISTAKES)
wrong_formulas("steepest_ascent_direction", ASCENT_MISTAKES)
wrong_formulas("classify_stationary_point", CLASSIFY_MISTAKES)
wrong_formulas("gradient_check", CHECK_MISTAKES)
