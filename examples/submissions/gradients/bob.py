"""Bob's assignment 2, with typical mistakes.

Mistakes, on purpose:
- partial_derivative copies x without converting it to float, so for integer input x + h is
  silently truncated back to an integer;
- gradient uses the forward difference instead of the central difference (and gradient_check,
  which reuses it, is off as a consequence);
- quadratic_gradient returns A @ x + b, which is wrong for a non-symmetric A;
- steepest_ascent_direction returns the gradient itself, not normalised to length 1.
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def partial_derivative(
    f: Callable[[np.ndarray], float], x: ArrayLike, i: int, h: float = 1e-5
) -> float:
    """Central difference along coordinate i (wrong for integer x: the copies stay integer)."""
    plus = np.array(x)
    minus = np.array(x)
    plus[i] += h
    minus[i] -= h
    return float((f(plus) - f(minus)) / (2 * h))


def gradient(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """Gradient (wrong: forward differences)."""
    x = np.asarray(x, dtype=float)
    fx = f(x)
    result = np.zeros(len(x))
    for i in range(len(x)):
        step = np.zeros(len(x))
        step[i] = h
        result[i] = (f(x + step) - fx) / h
    return result


def quadratic_gradient(A: ArrayLike, b: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Gradient of the quadratic (wrong: only right for symmetric A)."""
    return np.asarray(A, dtype=float) @ np.asarray(x, dtype=float) + np.asarray(b, dtype=float)


def hessian(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            ei = np.zeros(n)
            ej = np.zeros(n)
            ei[i] = h
            ej[j] = h
            H[i, j] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                4 * h * h
            )
    return H


def directional_derivative(grad: ArrayLike, v: ArrayLike) -> float:
    """Rate of change along v."""
    v = np.asarray(v, dtype=float)
    return float(np.asarray(grad, dtype=float) @ v / np.linalg.norm(v))


def steepest_ascent_direction(grad: ArrayLike) -> np.ndarray:
    """Direction of steepest ascent (wrong: not divided by its length)."""
    return np.array(grad, dtype=float)


def classify_stationary_point(H: ArrayLike, tol: float = 1e-8) -> str:
    """Classification from the eigenvalues."""
    eig = np.linalg.eigvalsh(np.asarray(H, dtype=float))
    if (eig > tol).all():
        return "minimum"
    if (eig < -tol).all():
        return "maximum"
    if (eig > tol).any() and (eig < -tol).any():
        return "saddle"
    return "degenerate"


def gradient_check(
    f: Callable[[np.ndarray], float],
    grad_fn: Callable[[np.ndarray], np.ndarray],
    x: ArrayLike,
    h: float = 1e-5,
) -> float:
    """Relative error between grad_fn and the numerical gradient."""
    ga = np.asarray(grad_fn(np.asarray(x, dtype=float)), dtype=float)
    gn = gradient(f, x, h)
    return float(np.linalg.norm(ga - gn) / max(np.linalg.norm(ga) + np.linalg.norm(gn), 1e-12))
