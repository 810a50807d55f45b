"""Mistake: quadratic_gradient does not convert its arguments, so lists fail.

Breaks: quadratic_gradient
Named in quadratic_gradient: The same call with float arrays is right
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def _vector(x: ArrayLike) -> np.ndarray:
    """A float copy of x, so that integer input is never truncated and x is never written to."""
    return np.array(x, dtype=float)


def _unit(n: int, i: int, h: float) -> np.ndarray:
    """The vector h * e_i of length n."""
    step = np.zeros(n)
    step[i] = h
    return step


def partial_derivative(
    f: Callable[[np.ndarray], float], x: ArrayLike, i: int, h: float = 1e-5
) -> float:
    """Reference: (f(x + h e_i) - f(x - h e_i)) / (2h)."""
    x = _vector(x)
    step = _unit(x.size, i, float(h))
    return float((f(x + step) - f(x - step)) / (2.0 * float(h)))


def gradient(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """Reference: the vector of central-difference partial derivatives, shape (n,)."""
    x = _vector(x)
    return np.array([partial_derivative(f, x, i, h) for i in range(x.size)], dtype=float)


def quadratic_gradient(A: ArrayLike, b: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Reference: 0.5 * (A + A.T) @ x + b, the exact gradient of 0.5 x @ A @ x + b @ x."""
    return 0.5 * (A + A.T) @ x + b


def hessian(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-4) -> np.ndarray:
    """Reference: the central-difference Hessian, symmetric by construction, shape (n, n).

    Diagonal: the second difference along e_i. Off-diagonal: the four-point formula, computed
    once per pair i < j and mirrored.
    """
    x = _vector(x)
    h = float(h)
    n = x.size
    f0 = f(x)
    result = np.empty((n, n))
    for i in range(n):
        ei = _unit(n, i, h)
        result[i, i] = (f(x + ei) - 2.0 * f0 + f(x - ei)) / h**2
        for j in range(i + 1, n):
            ej = _unit(n, j, h)
            corners = f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)
            result[i, j] = result[j, i] = corners / (4.0 * h**2)
    return result


def directional_derivative(grad: ArrayLike, v: ArrayLike) -> float:
    """Reference: grad @ v / norm(v), the rate of change along the unit direction of v."""
    grad, v = _vector(grad), _vector(v)
    length = np.linalg.norm(v)
    if length == 0:
        raise ValueError("directional_derivative: v is the zero vector, which has no direction.")
    return float(grad @ v / length)


def steepest_ascent_direction(grad: ArrayLike) -> np.ndarray:
    """Reference: grad / norm(grad), or all zeros when the gradient is zero."""
    grad = _vector(grad)
    length = np.linalg.norm(grad)
    return np.zeros_like(grad) if length == 0 else grad / length


def classify_stationary_point(H: ArrayLike, tol: float = 1e-8) -> str:
    """Reference: "minimum", "maximum", "saddle" or "degenerate" from the eigenvalues of H."""
    eigenvalues = np.linalg.eigvalsh(_vector(H))
    tol = float(tol)
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
    """Reference: norm(ga - gn) / max(norm(ga) + norm(gn), 1e-12), gn the central gradient."""
    x = _vector(x)
    # grad_fn gets its own copy: a gradient that writes into its argument must not shift gn.
    analytic = _vector(grad_fn(x.copy()))
    numeric = gradient(f, x, h)
    scale = max(float(np.linalg.norm(analytic) + np.linalg.norm(numeric)), 1e-12)
    return float(np.linalg.norm(analytic - numeric) / scale)
