"""Alice's assignment 1: every answer right, written in her own way (numpy scalars, math, SymPy)."""

import math
from collections.abc import Callable

import numpy as np
import sympy
from numpy.typing import ArrayLike


def objective(x: float | np.ndarray) -> float | np.ndarray:
    """The given objective, x squared."""
    return x**2.0


def derivative(x: ArrayLike) -> float | np.ndarray:
    """Power rule: d/dx x**2 = 2x (a numpy scalar for a number, which the contract allows)."""
    values = np.multiply(np.asarray(x, dtype=np.float64), 2.0)
    return values[()] if values.ndim == 0 else values


def tangent_estimate(
    f: Callable[[float], float], df: Callable[[float], float], x: float, delta_x: float
) -> float:
    """Value plus slope times step."""
    start = float(x)
    return f(start) + delta_x * df(start)


def forward_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """Slope of the secant from x to x + h."""
    here = float(x)
    rise = f(here + h) - f(here)
    return rise / h


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    """Slope of the secant from x - h to x + h, which are 2h apart."""
    here = float(x)
    return (f(here + h) - f(here - h)) / (h + h)


def second_derivative(f: Callable[[float], float], x: float, h: float = 1e-4) -> float:
    """Difference of the two one-sided slopes, divided by h."""
    here = float(x)
    right_slope = (f(here + h) - f(here)) / h
    left_slope = (f(here) - f(here - h)) / h
    return (right_slope - left_slope) / h


def interpret_sign(d: float, tol: float = 1e-8) -> str:
    """Within tol of zero is flat; otherwise the sign decides."""
    if math.fabs(d) <= tol:
        return "stationary"
    return "increasing" if d > 0 else "decreasing"


def symbolic_derivative(expression: str, variable: str = "x") -> str:
    """Differentiate with SymPy and factor the result, an equivalent but different form."""
    parsed = sympy.parse_expr(expression)
    return str(sympy.factor(sympy.Derivative(parsed, sympy.Symbol(variable)).doit()))
