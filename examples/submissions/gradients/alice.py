"""Alice's assignment 2: every answer right, with loops and a Hessian built from gradients."""

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def partial_derivative(
    f: Callable[[np.ndarray], float], x: ArrayLike, i: int, h: float = 1e-5
) -> float:
    """Move coordinate i by h each way and take the slope between the two points."""
    plus = [float(value) for value in np.ravel(x)]
    minus = list(plus)
    plus[i] += h
    minus[i] -= h
    return float(f(np.array(plus)) - f(np.array(minus))) / (2 * h)


def gradient(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """One central difference per coordinate, filled in a loop."""
    n = len(x)
    result = np.zeros(n)
    for i in range(n):
        result[i] = partial_derivative(f, x, i, h)
    return result


def quadratic_gradient(A: ArrayLike, b: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Sum of A @ x and A.T @ x, halved, plus b."""
    A = np.asarray(A, dtype=float)
    x = np.asarray(x, dtype=float)
    return (A.dot(x) + A.T.dot(x)) / 2 + np.asarray(b, dtype=float)


def hessian(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-4) -> np.ndarray:
    """Central differences of the central-difference gradient, then symmetrised.

    Column j is (gradient(x + h e_j) - gradient(x - h e_j)) / (2h); both steps are central, so
    the scheme is second order, and averaging with the transpose makes it exactly symmetric.
    """
    point = np.asarray(x, dtype=float)
    n = point.size
    columns = []
    for j in range(n):
        shift = np.zeros(n)
        shift[j] = h
        columns.append((gradient(f, point + shift, h) - gradient(f, point - shift, h)) / (2 * h))
    matrix = np.column_stack(columns)
    return (matrix + matrix.T) / 2


def directional_derivative(grad: ArrayLike, v: ArrayLike) -> float:
    """Dot product with the unit vector along v."""
    length = math.sqrt(sum(float(c) ** 2 for c in v))
    return sum(float(g) * float(c) / length for g, c in zip(grad, v, strict=True))


def steepest_ascent_direction(grad: ArrayLike) -> np.ndarray:
    """The gradient scaled to length one, or zeros at a stationary point."""
    g = np.asarray(grad, dtype=float)
    length = np.sqrt(np.sum(g * g))
    if length == 0.0:
        return np.zeros(g.shape)
    return g / length


def classify_stationary_point(H: ArrayLike, tol: float = 1e-8) -> str:
    """Count the clearly positive and clearly negative curvatures."""
    eigenvalues = np.linalg.eigh(np.asarray(H, dtype=float))[0]
    positive = int(np.sum(eigenvalues > tol))
    negative = int(np.sum(eigenvalues < -tol))
    if positive == len(eigenvalues):
        return "minimum"
    if negative == len(eigenvalues):
        return "maximum"
    if positive > 0 and negative > 0:
        return "saddle"
    return "degenerate"


def gradient_check(
    f: Callable[[np.ndarray], float],
    grad_fn: Callable[[np.ndarray], np.ndarray],
    x: ArrayLike,
    h: float = 1e-5,
) -> float:
    """Relative distance between the claimed and the numerical gradient."""
    point = np.asarray(x, dtype=float)
    claimed = np.asarray(grad_fn(point.copy()), dtype=float)
    numerical = gradient(f, point, h)
    denominator = np.linalg.norm(claimed) + np.linalg.norm(numerical)
    return float(np.linalg.norm(claimed - numerical) / max(denominator, 1e-12))
