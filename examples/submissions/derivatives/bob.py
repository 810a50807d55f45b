"""Bob's assignment 1, with typical mistakes.

Mistakes, on purpose:
- derivative forgets the factor 2 of the power rule (returns x instead of 2 * x);
- central_difference divides by h instead of 2 * h (twice the true slope);
- interpret_sign swaps the labels "increasing" and "decreasing".
"""

from collections.abc import Callable

import numpy as np
import sympy
from numpy.typing import ArrayLike


def objective(x: float | np.ndarray) -> float | np.ndarray:
    """The given objective, x squared."""
    return x**2.0


def derivative(x: ArrayLike) -> float | np.ndarray:
    """Derivative of x**2 (wrong: the factor 2 is missing)."""
    result = np.asarray(x, dtype=float)
    return float(result) if result.ndim == 0 else result


def tangent_estimate(
    f: Callable[[float], float], df: Callable[[float], float], x: float, delta_x: float
) -> float:
    """Tangent-line estimate."""
    return float(f(x) + df(x) * delta_x)


def forward_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """Forward difference."""
    return float((f(x + h) - f(x)) / h)


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    """Central difference (wrong: divides by h, but the two points are 2h apart)."""
    return float((f(x + h) - f(x - h)) / h)


def second_derivative(f: Callable[[float], float], x: float, h: float = 1e-4) -> float:
    """Second difference."""
    return float((f(x + h) - 2 * f(x) + f(x - h)) / h**2)


def interpret_sign(d: float, tol: float = 1e-8) -> str:
    """Direction from the sign (wrong: the labels are swapped)."""
    if d > tol:
        return "decreasing"
    if d < -tol:
        return "increasing"
    return "stationary"


def symbolic_derivative(expression: str, variable: str = "x") -> str:
    """SymPy derivative."""
    return str(sympy.diff(sympy.sympify(expression), sympy.Symbol(variable)))
