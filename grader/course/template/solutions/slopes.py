"""Reference solutions of assignment `slopes`: the trusted answers the checks compare with.

Same names and signatures as exercises/slopes.py. Students never see this file: `grader release`
leaves it out, and `grader grade` runs it only on the grader's side.
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def secant_slope(f: Callable[[float], float], a: float, b: float) -> float:
    """Reference: (f(b) - f(a)) / (b - a), as a float."""
    a, b = float(a), float(b)
    return float((f(b) - f(a)) / (b - a))


def square_slope(x: ArrayLike) -> float | np.ndarray:
    """Reference: 2 * x, a float for a number and a float array of the same shape for an array."""
    slope = 2.0 * np.asarray(x, dtype=float)
    return float(slope) if slope.ndim == 0 else slope
