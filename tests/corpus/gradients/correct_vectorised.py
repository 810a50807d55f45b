"""Correct: vectorised with np.eye, a Hessian from the Jacobian of the central gradient at the same
step, symmetrised, and eigenvalues from the general solver np.linalg.eigvals."""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def partial_derivative(
    f: Callable[[np.ndarray], float], x: ArrayLike, i: int, h: float = 1e-5
) -> float:
    """A row of the identity times h is h e_i."""
    x = np.asarray(x, dtype=float)
    step = h * np.eye(x.size)[i]
    return (f(x + step) - f(x - step)) / (2 * h)


def gradient(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """All steps at once."""
    x = np.asarray(x, dtype=float)
    steps = h * np.eye(x.size)
    return np.array([f(x + step) - f(x - step) for step in steps]) / (2 * h)


def quadratic_gradient(A: ArrayLike, b: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Half of A @ x plus half of A.T @ x."""
    A, b, x = (np.asarray(value, dtype=float) for value in (A, b, x))
    return 0.5 * (A @ x) + 0.5 * (A.T @ x) + b


def hessian(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-4) -> np.ndarray:
    """Central differences of the central gradient, then the symmetric part."""
    x = np.asarray(x, dtype=float)
    steps = h * np.eye(x.size)
    jacobian = np.array([gradient(f, x + s, h) - gradient(f, x - s, h) for s in steps]) / (2 * h)
    return (jacobian + jacobian.T) / 2


def directional_derivative(grad: ArrayLike, v: ArrayLike) -> float:
    """np.dot over the length."""
    v = np.asarray(v, dtype=float)
    return np.dot(np.asarray(grad, dtype=float), v) / np.linalg.norm(v)


def steepest_ascent_direction(grad: ArrayLike) -> np.ndarray:
    """Zeros for a zero gradient."""
    grad = np.asarray(grad, dtype=float)
    length = np.linalg.norm(grad)
    return grad / length if length > 0 else np.zeros_like(grad)


def classify_stationary_point(H: ArrayLike, tol: float = 1e-8) -> str:
    """Real parts of the general eigenvalues."""
    eigenvalues = np.linalg.eigvals(np.asarray(H, dtype=float)).real
    if np.all(eigenvalues > tol):
        return "minimum"
    if np.all(eigenvalues < -tol):
        return "maximum"
    if np.any(eigenvalues > tol) and np.any(eigenvalues < -tol):
        return "saddle"
    return "degenerate"


def gradient_check(
    f: Callable[[np.ndarray], float],
    grad_fn: Callable[[np.ndarray], np.ndarray],
    x: ArrayLike,
    h: float = 1e-5,
) -> float:
    """np.maximum for the floor."""
    x = np.asarray(x, dtype=float)
    analytic = np.asarray(grad_fn(x), dtype=float)
    numeric = gradient(f, x, h)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return np.linalg.norm(analytic - numeric) / np.maximum(scale, 1e-12)
