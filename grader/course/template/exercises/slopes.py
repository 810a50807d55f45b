"""Slopes: how steep a graph is, between two points and at one point.

## The slope between two points

Take a function `f` and two inputs `a` and `b`. Going from `a` to `b`, the input changes by
`b - a` (the *run*) and the output by `f(b) - f(a)` (the *rise*). Their ratio

    (f(b) - f(a)) / (b - a)

is the **slope of the secant**, the straight line through `(a, f(a))` and `(b, f(b))`. It is the
*average rate of change* of `f` over the interval: how many units the output moves, on average,
per unit of input. Swapping the two points changes the sign of both differences, so the slope
is the same whichever point comes first.

## The slope at one point

Slide `b` towards `a`. The secant turns into the **tangent** at `a`, and its slope settles to the
**derivative** `f'(a)`: the rate of change at the point itself. For `f(x) = x**2`:

    (f(b) - f(a)) / (b - a) = (b**2 - a**2) / (b - a) = b + a

and as `b` comes to `a` this is `2 * a`. So the derivative of `x**2` is `2 * x`: negative left of
0 (walking right, the graph goes down), 0 at the minimum, positive on the right.

| a   | b   | secant slope | slope at a, 2 * a |
|-----|-----|--------------|-------------------|
| 1   | 3   | 4            | 2                 |
| 1   | 2   | 3            | 2                 |
| 1   | 1.1 | 2.1          | 2                 |

## What to implement

Implement every function whose body raises `NotImplementedError`, keeping its name and
signature. Numbers may arrive as ints or floats: treat them as floats, return a float where a
number is asked, and never change an argument in place. Check your work with
`grader check exercises/slopes.py`.
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def secant_slope(f: Callable[[float], float], a: float, b: float) -> float:
    """Return the slope of the secant of f between a and b: (f(b) - f(a)) / (b - a).

    The rise over the run: the change of the output divided by the change of the input. It is
    the average rate of change of f between a and b, and the same number when b comes before a.

    Arguments:
        f: the function, float to float.
        a: one input (an int is fine: use it as a float).
        b: the other input, different from a (it may be smaller than a).

    Returns:
        A float, `(f(b) - f(a)) / (b - a)`.

    Worked example:
        For f(x) = x**2 from 1 to 3, the output rises from 1 to 9 over a run of 2:

        >>> secant_slope(lambda x: x**2, 1.0, 3.0)
        4.0
        >>> secant_slope(lambda x: x**2, 3, 1)
        4.0
    """
    raise NotImplementedError("Return (f(b) - f(a)) / (b - a) as a float.")


def square_slope(x: ArrayLike) -> float | np.ndarray:
    """Return the slope of f(x) = x**2 at x, its derivative 2 * x.

    The secant slope of x**2 between x and x + h is 2 * x + h; as h shrinks to 0 it becomes the
    slope of the tangent at x, the derivative 2 * x.

    Arguments:
        x: a number (int or float), or an array of numbers (a list or a numpy array).

    Returns:
        For a number, a float. For an array, a numpy float array of the same shape holding the
        slope at each element.

    Worked example:
        >>> square_slope(3.0)
        6.0
        >>> square_slope([-1, 0, 2])
        array([-2.,  0.,  4.])
    """
    raise NotImplementedError(
        "Return 2 * x: a float for a number, and a float array of the same shape for an array."
    )
