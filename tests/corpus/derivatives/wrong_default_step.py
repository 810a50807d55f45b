"""Mistake: the central difference with a default step of 1e-6, the forward difference's.

Breaks: central_difference
Named in central_difference: default step h = 1e-06
"""

from collections.abc import Callable

import numpy as np
import sympy
from numpy.typing import ArrayLike


def objective(x: float | np.ndarray) -> float | np.ndarray:
    """The given objective f(x) = x**2 (3.0 -> 9.0), identical to the stub's."""
    return x**2.0


def _number_or_array(value: np.ndarray) -> float | np.ndarray:
    """Return a 0-d result as a Python float and anything else as the array itself."""
    return float(value) if value.ndim == 0 else value


def derivative(x: ArrayLike) -> float | np.ndarray:
    """Reference: 2 * x, a float for a number and a float array of the same shape for an array."""
    return _number_or_array(2.0 * np.asarray(x, dtype=float))


def tangent_estimate(
    f: Callable[[float], float], df: Callable[[float], float], x: float, delta_x: float
) -> float:
    """Reference: the first-order estimate f(x) + df(x) * delta_x."""
    x, delta_x = float(x), float(delta_x)
    return float(f(x) + df(x) * delta_x)


def forward_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """Reference: (f(x + h) - f(x)) / h."""
    x, h = float(x), float(h)
    return float((f(x + h) - f(x)) / h)


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """The default step 1e-6 instead of the contract's 1e-5."""
    x, h = float(x), float(h)
    return float((f(x + h) - f(x - h)) / (2.0 * h))


def second_derivative(f: Callable[[float], float], x: float, h: float = 1e-4) -> float:
    """Reference: (f(x + h) - 2 * f(x) + f(x - h)) / h**2."""
    x, h = float(x), float(h)
    return float((f(x + h) - 2.0 * f(x) + f(x - h)) / h**2)


def interpret_sign(d: float, tol: float = 1e-8) -> str:
    """Reference: "increasing" if d > tol, "decreasing" if d < -tol, else "stationary"."""
    d, tol = float(d), float(tol)
    if d > tol:
        return "increasing"
    if d < -tol:
        return "decreasing"
    return "stationary"


def symbolic_derivative(expression: str, variable: str = "x") -> str:
    """Reference: the SymPy derivative of a trusted expression, as a string.

    `sympify` evaluates its input, so this is only ever given the grader's own expressions,
    never a student's string.
    """
    return str(sympy.diff(sympy.sympify(expression), sympy.Symbol(variable)))
