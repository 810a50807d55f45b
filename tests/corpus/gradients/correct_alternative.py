"""Correct: copies stepped in place, einsum, a Hessian from the Jacobian of the gradient at its
default step 1e-5 (not symmetrised), and np.divide with `where` for the zero gradient."""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def partial_derivative(
    f: Callable[[np.ndarray], float], x: ArrayLike, i: int, h: float = 1e-5
) -> float:
    """Two float copies of x, each stepped in place."""
    x = np.array(x, dtype=float)
    plus, minus = x.copy(), x.copy()
    plus[i] += h
    minus[i] -= h
    return float((f(plus) - f(minus)) / (2 * h))


def gradient(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """A list of partial derivatives, converted."""
    return np.array([partial_derivative(f, x, i, h) for i in range(len(x))])


def quadratic_gradient(A: ArrayLike, b: ArrayLike, x: ArrayLike) -> np.ndarray:
    """The symmetric part of A with einsum."""
    A, b, x = np.array(A, dtype=float), np.array(b, dtype=float), np.array(x, dtype=float)
    return np.einsum("ij,j->i", (A + A.T) / 2, x) + b


def hessian(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-4) -> np.ndarray:
    """Row i is the central difference, with step h, of the gradient at its own default step."""
    x = np.array(x, dtype=float)
    rows = []
    for i in range(len(x)):
        step = np.zeros(len(x))
        step[i] = h
        rows.append((gradient(f, x + step) - gradient(f, x - step)) / (2 * h))
    return np.array(rows)


def directional_derivative(grad: ArrayLike, v: ArrayLike) -> float:
    """The dot product over the square root of v @ v."""
    grad, v = np.array(grad, dtype=float), np.array(v, dtype=float)
    return float(grad @ v) / float(np.sqrt(v @ v))


def steepest_ascent_direction(grad: ArrayLike) -> np.ndarray:
    """np.divide writes only where the length is positive."""
    grad = np.array(grad, dtype=float)
    length = np.linalg.norm(grad)
    return np.divide(grad, length, out=np.zeros_like(grad), where=length > 0)


def classify_stationary_point(H: ArrayLike, tol: float = 1e-8) -> str:
    """The smallest and largest eigenvalue decide."""
    eigenvalues = np.linalg.eigh(np.array(H, dtype=float))[0]
    low, high = eigenvalues.min(), eigenvalues.max()
    if low > tol:
        return "minimum"
    if high < -tol:
        return "maximum"
    if high > tol and low < -tol:
        return "saddle"
    return "degenerate"


def gradient_check(
    f: Callable[[np.ndarray], float],
    grad_fn: Callable[[np.ndarray], np.ndarray],
    x: ArrayLike,
    h: float = 1e-5,
) -> float:
    """The formula as written."""
    x = np.array(x, dtype=float)
    ga = np.asarray(grad_fn(x.copy()), dtype=float)
    gn = gradient(f, x, h)
    return float(np.linalg.norm(ga - gn) / max(np.linalg.norm(ga) + np.linalg.norm(gn), 1e-12))
