"""Public checks of assignment `gradients`: students run these themselves with `grader check`.

The worked examples of the exercise docstrings (a zero gradient among them). A check whose
expected answer is 0 (or all zeros) asks another question too, so that a submission that
computes nothing earns nothing. Finite differences are judged
within their own rounding error (`grader.oracles.finite_difference`), the Hessian against the
exact one within the error of any second-order central scheme. Students receive this module
without the rest of `checks/gradients/`, so it imports only `grader.authoring`.
"""

import functools
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from grader.authoring import (
    Smoothness,
    StudentProxy,
    SymbolicFunction,
    check,
    check_array,
    check_fd,
    check_number,
    diagnose,
    exact_gradient,
    exact_hessian,
    explain,
    fail,
    fd_tolerance,
    field_function,
    gradient_field,
    require,
    same_array,
    same_label,
    same_number,
    smoothness,
    vector_function,
    with_hint,
)

POINTS = ("minimum", "maximum", "saddle", "degenerate")
POINT = (1.0, 2.0)
EXAMPLE = vector_function("x0**2 + 3*x0*x1", n=2)  # partial_derivative's and gradient's
CUBIC = vector_function("x0**2*x1 + x1**3", n=2)  # hessian's
SQUARES = vector_function("x0**2 + x1**2", n=2)  # gradient_check's f(x) = x @ x
SQUARES_GRADIENT = gradient_field(SQUARES)
HALF_GRADIENT = field_function(["x0", "x1"])  # the factor 2 forgotten
CUBIC_HESSIAN = exact_hessian(CUBIC, POINT)
CHECK_POINT = (1.0, -2.0)
SQUARES_GRADIENT_AT = exact_gradient(SQUARES, CHECK_POINT)


@functools.lru_cache(maxsize=16)
def axis_bounds(f: SymbolicFunction, x: tuple[float, ...], h: float) -> Smoothness:
    """The oracle's `smoothness` of f along each axis through x, the largest over the axes.

    The functions here are polynomials of degree 3 at most, so their mixed fourth partials
    vanish like the rest and the axes tell the whole story.
    """
    values = dict(zip(f.symbols, x, strict=True))
    bounds = []
    for symbol, centre in values.items():
        line = f.expression.subs({s: v for s, v in values.items() if s != symbol})
        bounds.append(smoothness(line, symbol, centre, h))
    return Smoothness(
        *(max(getattr(b, name) for b in bounds) for name in Smoothness.__dataclass_fields__)
    )


# --- known wrong formulas, named as the student reads them after "This looks like" -----------
# (known.py holds the full lists; students receive this module alone)


def _shifted(f: Callable, x: Any, i: int, h: float, *, ahead: float, behind: float) -> float:
    """(f(x + ahead h e_i) - f(x - behind h e_i)) / h: the difference quotients below."""
    point = np.array(x, dtype=float)
    step = np.zeros(point.size)
    step[i] = h
    return float((f(point + ahead * step) - f(point - behind * step)) / h)


def _central(f: Callable, x: Any, i: int, h: float = 1e-5) -> float:
    return _shifted(f, x, i, h, ahead=1, behind=1) / 2


PARTIAL_MISTAKES: dict[str, Callable[..., float]] = {
    "a forward difference instead of a central one": lambda f, x, i, h=1e-5: _shifted(
        f, x, i, h, ahead=1, behind=0
    ),
    "a backward difference instead of a central one": lambda f, x, i, h=1e-5: _shifted(
        f, x, i, h, ahead=0, behind=1
    ),
    "dividing by h instead of 2h": lambda f, x, i, h=1e-5: 2 * _central(f, x, i, h),
    "dividing by 2 * h without brackets, which multiplies by h instead of dividing": (
        lambda f, x, i, h=1e-5: _central(f, x, i, h) * h**2
    ),
    "moving every coordinate by h (x + h) instead of only coordinate i (x + h e_i)": (
        lambda f, x, i, h=1e-5: (f(np.array(x, float) + h) - f(np.array(x, float) - h)) / (2 * h)
    ),
}


def _all_partials(partial: Callable[..., float]) -> Callable[..., np.ndarray]:
    """The gradient made of one partial-derivative formula per coordinate."""
    return lambda f, x, h=1e-5: np.array([partial(f, x, i, h) for i in range(np.size(x))])


GRADIENT_MISTAKES = {name: _all_partials(partial) for name, partial in PARTIAL_MISTAKES.items()}
QUADRATIC_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    "A @ x + b, which is the gradient only for a symmetric A": lambda A, b, x: A @ x + b,
    "A.T @ x + b, which is the gradient only for a symmetric A": lambda A, b, x: A.T @ x + b,
    "(A + A.T) @ x + b, the factor 0.5 forgotten": lambda A, b, x: (A + A.T) @ x + b,
}
DIRECTIONAL_MISTAKES: dict[str, Callable[..., float]] = {
    "an unnormalised direction: grad @ v without dividing by norm(v)": lambda g, v: g @ v,
    "dividing by norm(grad) instead of norm(v)": lambda g, v: g @ v / np.linalg.norm(g),
}
ASCENT_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    "-grad / norm(grad), the direction of steepest descent instead of ascent": lambda g: (
        -g / np.linalg.norm(g)
    ),
    "an unnormalised direction: the gradient itself, not scaled to length 1": lambda g: g,
}


def _relative_error(
    denominator: Callable[[float, float], float], partial: Callable[..., float] = _central
) -> Callable[..., float]:
    """`gradient_check` with another denominator, or with gn made by another partial formula."""

    def formula(f: SymbolicFunction, grad_fn: Callable, x: Any, h: float = 1e-5) -> float:
        ga = grad_fn(np.array(x, dtype=float))
        gn = _all_partials(partial)(f, x, h)
        norms = float(np.linalg.norm(ga)), float(np.linalg.norm(gn))
        return float(np.linalg.norm(ga - gn) / denominator(*norms))

    return formula


CHECK_MISTAKES: dict[str, Callable[..., float]] = {
    "dividing by norm(ga) alone instead of norm(ga) + norm(gn)": _relative_error(lambda a, n: a),
    "dividing by norm(gn) alone instead of norm(ga) + norm(gn)": _relative_error(lambda a, n: n),
    "the absolute error norm(ga - gn), not divided by norm(ga) + norm(gn)": _relative_error(
        lambda a, n: 1.0
    ),
    **{
        f"{name}, in the numerical gradient gn": _relative_error(lambda a, n: a + n, partial)
        for name, partial in PARTIAL_MISTAKES.items()
    },
}


# --- partial_derivative and gradient ---------------------------------------------------------


@check("partial_derivative")
def test_partial_derivative_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """∂f/∂x_0 of f = x0**2 + 3*x0*x1 at (1, 2) is 8."""
    x = np.array(POINT)
    got = student.partial_derivative(EXAMPLE, x, 0)
    call = student.last_call
    expected = reference.partial_derivative(EXAMPLE, x, 0)
    verdict = check_fd(got, expected, call=call, method="central", h=1e-5, x=x,
                       bounds=axis_bounds(EXAMPLE, POINT, 1e-5))  # fmt: skip
    require(explain(verdict, got, expected, PARTIAL_MISTAKES, (EXAMPLE, x, 0), {}))


@check("gradient")
def test_gradient_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """The gradient of f = x0**2 + 3*x0*x1 at (1, 2) is (8, 3), shape (2,)."""
    x = np.array(POINT)
    got = student.gradient(EXAMPLE, x)
    call = student.last_call
    expected = reference.gradient(EXAMPLE, x)
    verdict = check_fd(got, expected, call=call, method="central", h=1e-5, x=x,
                       bounds=axis_bounds(EXAMPLE, POINT, 1e-5))  # fmt: skip
    require(explain(verdict, got, expected, GRADIENT_MISTAKES, (EXAMPLE, x), {}))


# --- quadratic_gradient and hessian ----------------------------------------------------------


@check("quadratic_gradient")
def test_quadratic_gradient_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """A = [[2, 1], [0, 4]] is not symmetric: the gradient at (1, 2) is (4, 7.5), not A @ x + b."""
    A, b, x = np.array([[2.0, 1.0], [0.0, 4.0]]), np.array([1.0, -1.0]), np.array(POINT)
    same_array(student, reference, "quadratic_gradient", A, b, x, wrong=QUADRATIC_MISTAKES)


@check("hessian")
def test_hessian_worked_example(student: StudentProxy) -> None:
    """The Hessian of f = x0**2*x1 + x1**3 at (1, 2) is [[4, 2], [2, 12]], symmetric."""
    x, h = np.array(POINT), 1e-4
    got = student.hessian(CUBIC, x)
    # Any second-order central scheme is right, so the answer is compared with the exact Hessian
    # within the larger error of the two usual formulas (some schemes step 2h along an axis).
    bounds = axis_bounds(CUBIC, POINT, 2 * h)
    tolerance = max(
        fd_tolerance(method, h=h, x=x, bounds=bounds, same_formula=False)
        for method in ("second", "mixed")
    )
    exact = CUBIC_HESSIAN
    verdict = check_array(got, exact, call=student.last_call, rtol=0.0, atol=tolerance)
    wrong = {
        "a Hessian that ignores the off-diagonal entries (the mixed partials)": np.diag(
            np.diag(exact)
        ),
        "a Hessian that is not symmetric: only the entries with i <= j filled in": np.triu(exact),
        "a Hessian that is not symmetric: only the entries with i >= j filled in": np.tril(exact),
        "the four-point formula divided by h**2 instead of 4 h**2": 4 * exact
        - 3 * np.diag(np.diag(exact)),
    }
    require(with_hint(verdict, got, exact, wrong))


# --- directional_derivative and steepest_ascent_direction ------------------------------------


@check("directional_derivative")
def test_directional_derivative_worked_example(
    student: StudentProxy, reference: ModuleType
) -> None:
    """grad = (3, 4) along v = (6, 8), the gradient's own direction: the rate is 5, not 50."""
    same_number(student, reference, "directional_derivative", np.array([3.0, 4.0]),
                np.array([6.0, 8.0]), wrong=DIRECTIONAL_MISTAKES)  # fmt: skip


@check("steepest_ascent_direction", weight=2)
def test_steepest_ascent_worked_examples(student: StudentProxy, reference: ModuleType) -> None:
    """(3, 4) becomes (0.6, 0.8); a zero gradient has no direction: all zeros, no nan."""
    same_array(student, reference, "steepest_ascent_direction", np.array([3.0, 4.0]),
               wrong=ASCENT_MISTAKES)  # fmt: skip
    got = student.steepest_ascent_direction(np.zeros(2))
    verdict = check_array(got, np.zeros(2), call=student.last_call)
    if not verdict.ok and isinstance(got, np.ndarray) and np.isnan(got).any():
        fail(f"{verdict.message} Return all zeros when norm(grad) == 0 instead of dividing by it.")
    require(verdict)


# --- classify_stationary_point and gradient_check --------------------------------------------


@check("classify_stationary_point")
def test_classify_worked_examples(student: StudentProxy, reference: ModuleType) -> None:
    """diag(2, 3) is a minimum, diag(2, -2) a saddle and diag(2, 0) degenerate."""
    for diagonal in ((2.0, 3.0), (2.0, -2.0), (2.0, 0.0)):
        same_label(student, reference, "classify_stationary_point", np.diag(diagonal),
                   vocabulary=POINTS)  # fmt: skip


def _same_gradient_check(student: StudentProxy, reference: ModuleType, grad_fn: Callable) -> None:
    """`gradient_check` of x @ x at (1, -2), within what rounding in gn can change."""
    x, h = np.array(CHECK_POINT), 1e-5
    got = student.gradient_check(SQUARES, grad_fn, x)
    call = student.last_call
    expected = reference.gradient_check(SQUARES, grad_fn, x)
    # Rounding moves gn by delta at most, so the ratio by 2 delta / (norm(ga) + norm(gn)).
    delta = np.sqrt(2) * fd_tolerance(
        "central", h=h, x=x, bounds=axis_bounds(SQUARES, CHECK_POINT, h)
    )
    scale = np.linalg.norm(grad_fn(x)) + np.linalg.norm(SQUARES_GRADIENT_AT)
    verdict = check_number(got, expected, call=call, rtol=0.0, atol=2 * delta / scale)
    if verdict.ok:
        return
    # Here several mistakes can give the same value (forward and backward gn, for one): name all.
    matches = [
        name
        for name, wrong in CHECK_MISTAKES.items()
        if diagnose(got, {name: wrong(SQUARES, grad_fn, x)})
    ]
    if matches:
        fail(f"{verdict.message} This looks like {'; or '.join(matches)}.")
    require(with_hint(verdict, got, expected))


@check("gradient_check", weight=2)
def test_gradient_check_worked_examples(student: StudentProxy, reference: ModuleType) -> None:
    """f(x) = x @ x with the gradient x (the factor 2 forgotten): 1/3; with its exact gradient
    2 * x: a tiny relative error (asked second: 0 there is no answer on its own)."""
    _same_gradient_check(student, reference, HALF_GRADIENT)
    _same_gradient_check(student, reference, SQUARES_GRADIENT)
