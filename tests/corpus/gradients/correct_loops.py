"""Correct: explicit loops over Python floats, numpy scalars returned, and a Hessian that uses the
four-point formula on the diagonal too (a step of 2h there, still second-order accurate)."""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def partial_derivative(
    f: Callable[[np.ndarray], float], x: ArrayLike, i: int, h: float = 1e-5
) -> float:
    """Step coordinate i of two float copies."""
    plus = [float(value) for value in x]
    minus = list(plus)
    plus[i] += h
    minus[i] -= h
    return np.float64((f(np.array(plus)) - f(np.array(minus))) / (2 * h))


def gradient(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """One partial derivative per coordinate, filled in a loop."""
    result = np.zeros(len(x))
    for i in range(len(x)):
        result[i] = partial_derivative(f, x, i, h)
    return result


def quadratic_gradient(A: ArrayLike, b: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Entry i is sum_k (A[i, k] + A[k, i]) x[k] / 2 + b[i]."""
    n = len(x)
    result = np.zeros(n)
    for i in range(n):
        total = float(b[i])
        for k in range(n):
            total += 0.5 * (float(A[i][k]) + float(A[k][i])) * float(x[k])
        result[i] = total
    return result


def hessian(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-4) -> np.ndarray:
    """The four-point formula for every entry, the diagonal included."""
    x = np.array(x, dtype=float)
    n = len(x)
    result = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            ei = np.zeros(n)
            ej = np.zeros(n)
            ei[i] = h
            ej[j] = h
            corners = f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)
            result[i, j] = corners / (4 * h * h)
    return result


def directional_derivative(grad: ArrayLike, v: ArrayLike) -> float:
    """Dot product and length by hand."""
    dot = sum(float(g) * float(d) for g, d in zip(grad, v, strict=True))
    length = sum(float(d) ** 2 for d in v) ** 0.5
    return np.float64(dot / length)


def steepest_ascent_direction(grad: ArrayLike) -> np.ndarray:
    """Divide each entry by the length, unless the length is 0."""
    values = [float(g) for g in grad]
    length = sum(g * g for g in values) ** 0.5
    if length == 0:
        return np.zeros(len(values))
    return np.array([g / length for g in values])


def classify_stationary_point(H: ArrayLike, tol: float = 1e-8) -> str:
    """Count the eigenvalues above tol and below -tol."""
    eigenvalues = np.linalg.eigvalsh(np.array(H, dtype=float))
    above = sum(1 for value in eigenvalues if value > tol)
    below = sum(1 for value in eigenvalues if value < -tol)
    if above == len(eigenvalues):
        return "minimum"
    if below == len(eigenvalues):
        return "maximum"
    if above and below:
        return "saddle"
    return "degenerate"


def gradient_check(
    f: Callable[[np.ndarray], float],
    grad_fn: Callable[[np.ndarray], np.ndarray],
    x: ArrayLike,
    h: float = 1e-5,
) -> float:
    """Norms by hand."""
    point = np.array(x, dtype=float)
    analytic = [float(g) for g in grad_fn(point.copy())]
    numeric = [float(g) for g in gradient(f, point, h)]
    difference = sum((a - n) ** 2 for a, n in zip(analytic, numeric, strict=True)) ** 0.5
    scale = sum(a * a for a in analytic) ** 0.5 + sum(n * n for n in numeric) ** 0.5
    return np.float64(difference / max(scale, 1e-12))
