"""Assignment 1, derivatives: how fast a function changes at a point, and in which direction.

## The derivative is a rate of change at a point

Take a function `f` and a point `x`. Move a little, by `dx`, and watch how much the output moves:
`f(x + dx) - f(x)`. The ratio `(f(x + dx) - f(x)) / dx` is the *average* rate of change over that
small step. The **derivative** `f'(x)` is the number this ratio settles to as the step shrinks
towards zero: the rate of change *at the point itself*, which is also the slope of the tangent
line to the graph at `x`.

A derivative carries two pieces of information:

- its **sign** gives the direction: `f'(x) > 0` means `f` goes up as `x` increases,
  `f'(x) < 0` means it goes down;
- its **magnitude** `|f'(x)|` says how much: roughly how many units the output changes for one
  unit of input, close to `x`. A large magnitude is a steep graph, a small one a flat graph.

Points where `f'(x) = 0` are **stationary points**: to first order the function is flat there.
Minima, maxima and flat inflection points (like `x = 0` for `x**3`) are all stationary, and the
first derivative alone cannot tell them apart. The second derivative, the curvature, helps:
`f''(x) > 0` means the graph bends upwards (a minimum when `f'(x) = 0`), `f''(x) < 0` means it
bends downwards (a maximum).

## A worked example: f(x) = x**2

The `objective` of this assignment is `f(x) = x**2`. The power rule gives `f'(x) = 2 * x`.

| x    | f(x) | f'(x) | reading                   |
|------|------|-------|---------------------------|
| -0.5 | 0.25 | -1    | decreasing                |
| 0    | 0    | 0     | stationary (the minimum)  |
| 0.5  | 0.25 | 1     | increasing                |
| 3    | 9    | 6     | increasing, and steeply   |

Notice that `f(-0.5) = f(0.5) = 0.25`: the values are equal, the slopes are opposite. A slope
describes what happens as `x` *grows*, so a plot must be read from left to right, in the
direction of increasing `x`. On the left of 0, walking to the right takes you downhill: the
parabola is **decreasing** there (`f' < 0`), even though its left branch looks like it "rises"
towards the left edge of the picture. On the right of 0, walking to the right takes you uphill:
it is **increasing** (`f' > 0`). At `x = 0` the walk turns around; that is the minimum. The
magnitude tells the rest: at `x = 3` the slope is 6, six times steeper than at `x = 0.5`.

## The tangent-line estimate

Close to `x`, a smooth function looks like its tangent line:

    f(x + dx) ≈ f(x) + f'(x) * dx

This first-order estimate is the most used fact in machine learning. It predicts how a loss
changes when a parameter is nudged, and it explains why stepping *against* the derivative lowers
the function: with `dx = -lr * f'(x)` the change is about `-lr * f'(x)**2`, which is never
positive. The estimate is not exact: its error is about `f''(x) * dx**2 / 2`, so halving the
step divides the error by four. For `f(x) = x**2` at `x = 3` with `dx = 0.1`, the estimate is
`9 + 6 * 0.1 = 9.6` while the true value is `3.1**2 = 9.61`; the error `0.01` is exactly `dx**2`.

## Three ways to get a derivative on a computer

**Finite differences** replace the limit by a small but finite step `h`:

| name              | formula                                    | error, about            |
|-------------------|--------------------------------------------|-------------------------|
| forward           | `(f(x + h) - f(x)) / h`                    | `f''(x) * h / 2`        |
| central           | `(f(x + h) - f(x - h)) / (2 * h)`          | `f'''(x) * h**2 / 6`    |
| second difference | `(f(x + h) - 2 * f(x) + f(x - h)) / h**2`  | `f''''(x) * h**2 / 12`  |

The forward difference is *first order*: halve `h` and the error halves. The central difference
is *second order*: halve `h` and the error is divided by four. The reason is the Taylor series
on both sides of `x`:

    f(x + h) = f(x) + f'(x) h + f''(x) h**2 / 2 + f'''(x) h**3 / 6 + ...
    f(x - h) = f(x) - f'(x) h + f''(x) h**2 / 2 - f'''(x) h**3 / 6 + ...

Subtracting the second line from the first cancels every even power of `h`, leaving
`2 f'(x) h + f'''(x) h**3 / 3 + ...`; dividing by `2h` gives `f'(x) + f'''(x) h**2 / 6`. The
forward difference keeps the `f''(x) h / 2` term because nothing cancels it. Adding the two
lines instead cancels the odd powers, which gives the second difference for `f''(x)`.

For `f(x) = x**3` at `x = 2` (exact derivative 12) with a large step `h = 0.1`: forward gives
12.61, central gives 12.01, and the second difference gives 12 (exact `f''(2) = 12`).

Smaller `h` is not always better. The errors in the table are *truncation* errors (from cutting
the Taylor series), and they shrink with `h`. But a computer stores every value of `f` with a
relative *rounding* error of about `eps = 2.2e-16`, and subtracting two nearly equal numbers
such as `f(x + h) - f(x)` and then dividing by `h` blows that up to about `eps * |f(x)| / h`:
rounding error *grows* as `h` shrinks. The total error is smallest in between, near
`h ≈ 1e-8` for the forward difference, `h ≈ 1e-5` for the central difference and `h ≈ 1e-4` for
the second difference (divided by `h**2`, it suffers most). Those are the defaults below, give or
take. Take `h = 1e-15` and the answer is mostly rounding noise.

**Symbolic differentiation** (SymPy) applies the rules of calculus to a formula and returns a
formula: the derivative of `x**2*sin(x)` is `x**2*cos(x) + 2*x*sin(x)`. It is exact and
readable, but it needs `f` written as one formula, and the results can grow very large.

**Automatic differentiation** (what PyTorch, JAX and TensorFlow do) applies the chain rule to
the *program* that computes `f`, one elementary operation at a time, carrying derivative values
along with the values. It is exact up to rounding, costs a small constant times one evaluation
of `f`, and works on any code built from differentiable operations, loops and branches included.
Training a neural network relies on it (reverse mode, also called backpropagation). Finite
differences stay useful as the independent check that a derivative is right.

## What to implement

Numbers may arrive as Python ints or floats: treat them as floats. Return a float where a number
is asked and one of the stated strings where a label is asked, and never modify an argument.
In this assignment `f` and `df` map a float to a float (they also work elementwise on numpy
arrays).
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def objective(x: float | np.ndarray) -> float | np.ndarray:
    """The function studied in this assignment, f(x) = x**2 (given, not graded).

    It works on a number and elementwise on a numpy array.

    Worked example:
        >>> objective(3.0)
        9.0
        >>> objective(-0.5) == objective(0.5)
        True
    """
    return x**2.0


def derivative(x: ArrayLike) -> float | np.ndarray:
    """Return the exact derivative of `objective` at x, that is 2 * x.

    When the formula is known, differentiating by hand is the fastest and most accurate method:
    the power rule gives `d/dx x**2 = 2 * x`. The sign of the answer says whether `objective`
    goes down (negative) or up (positive) as x increases; its magnitude says how steeply.

    Arguments:
        x: a number (int or float), or an array of numbers (a list or a numpy array of any
            real dtype).

    Returns:
        For a number, a float. For an array, a numpy float array of the same shape holding the
        derivative at each element.

    Worked example:
        >>> derivative(-0.5), derivative(0.0), derivative(0.5)
        (-1.0, 0.0, 1.0)
        >>> derivative([-1, 0, 2])
        array([-2.,  0.,  4.])
    """
    raise NotImplementedError(
        "Return 2 * x: a float for a number, and a float array of the same shape for an array."
    )


def tangent_estimate(
    f: Callable[[float], float], df: Callable[[float], float], x: float, delta_x: float
) -> float:
    """Estimate f(x + delta_x) with the tangent line at x: f(x) + df(x) * delta_x.

    Close to x, a smooth function is nearly its tangent line, so knowing the value and the slope
    at one point is enough to predict nearby values. The error is about
    `f''(x) * delta_x**2 / 2`: small steps give good estimates, big steps poor ones.

    Arguments:
        f: the function, float to float.
        df: its derivative, float to float.
        x: the point where the tangent line touches the graph.
        delta_x: how far from x to estimate (may be negative).

    Returns:
        A float, the first-order estimate `f(x) + df(x) * delta_x`.

    Worked example:
        With f(x) = x**2 at x = 3, f(3) = 9 and f'(3) = 6, so one step of 0.1 is predicted to
        give 9 + 6 * 0.1 = 9.6 (the true value of 3.1**2 is 9.61).

        >>> tangent_estimate(lambda x: x**2, lambda x: 2 * x, 3.0, 0.1)
        9.6
    """
    raise NotImplementedError("Return the tangent-line estimate f(x) + df(x) * delta_x as a float.")


def forward_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """Approximate f'(x) with the forward difference (f(x + h) - f(x)) / h.

    This is the definition of the derivative with a finite step instead of a limit: the slope
    of the line through (x, f(x)) and (x + h, f(x + h)). Its truncation error is about
    `f''(x) * h / 2`, first order in h; with a tiny h, rounding error `eps * |f(x)| / h` takes
    over.

    Arguments:
        f: the function, float to float.
        x: the point (an int is fine: use it as a float).
        h: the step, a small positive float.

    Returns:
        A float, `(f(x + h) - f(x)) / h`.

    Worked example:
        For f(x) = x**3 at x = 2, the exact derivative is 12. With the large step h = 0.1 the
        forward difference is (2.1**3 - 2**3) / 0.1 = (9.261 - 8) / 0.1 = 12.61, off by 0.61.

        >>> round(forward_difference(lambda x: x**3, 2.0, h=0.1), 6)
        12.61
    """
    raise NotImplementedError("Return the forward difference (f(x + h) - f(x)) / h as a float.")


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    """Approximate f'(x) with the central difference (f(x + h) - f(x - h)) / (2 * h).

    The slope of the line through the two points on either side of x. Taking one step each way
    cancels the `f''` term of the Taylor series, so the truncation error is about
    `f'''(x) * h**2 / 6`: second order in h, far more accurate than the forward difference for
    the same h. Note the 2 * h: the two points are 2 * h apart.

    Arguments:
        f: the function, float to float.
        x: the point (an int is fine: use it as a float).
        h: the step, a small positive float.

    Returns:
        A float, `(f(x + h) - f(x - h)) / (2 * h)`.

    Worked example:
        For f(x) = x**3 at x = 2 (exact derivative 12) with h = 0.1:
        (2.1**3 - 1.9**3) / 0.2 = (9.261 - 6.859) / 0.2 = 12.01, off by only h**2 = 0.01.

        >>> round(central_difference(lambda x: x**3, 2.0, h=0.1), 6)
        12.01
    """
    raise NotImplementedError(
        "Return the central difference (f(x + h) - f(x - h)) / (2 * h) as a float."
    )


def second_derivative(f: Callable[[float], float], x: float, h: float = 1e-4) -> float:
    """Approximate f''(x), the curvature, with the second difference.

    The second derivative is the rate of change of the slope: positive where the graph bends
    upwards (like a cup), negative where it bends downwards. Adding the Taylor series of
    f(x + h) and f(x - h) cancels the odd powers and leaves
    `(f(x + h) - 2 * f(x) + f(x - h)) / h**2 = f''(x) + f''''(x) * h**2 / 12 + ...`.
    Because it divides by h**2, rounding error hits it hardest, hence the larger default step.

    Arguments:
        f: the function, float to float.
        x: the point (an int is fine: use it as a float).
        h: the step, a small positive float.

    Returns:
        A float, `(f(x + h) - 2 * f(x) + f(x - h)) / h**2`.

    Worked example:
        For f(x) = x**3 at x = 2, f''(x) = 6 * x = 12. With h = 0.1:
        (9.261 - 2 * 8 + 6.859) / 0.01 = 12 (exact for a cubic, whose f'''' is 0).

        >>> round(second_derivative(lambda x: x**3, 2.0, h=0.1), 6)
        12.0
    """
    raise NotImplementedError(
        "Return the second difference (f(x + h) - 2 * f(x) + f(x - h)) / h**2 as a float."
    )


def interpret_sign(d: float, tol: float = 1e-8) -> str:
    """Read the direction of a function from the value d of its derivative at a point.

    A positive derivative means the function goes up as x increases, a negative one that it goes
    down. Computed derivatives carry small errors, so anything within `tol` of zero counts as
    zero: the point is stationary.

    Arguments:
        d: the value of the derivative.
        tol: how close to zero counts as zero (a non-negative float).

    Returns:
        `"increasing"` if d > tol, `"decreasing"` if d < -tol, and `"stationary"` otherwise
        (so d == tol and d == -tol are both `"stationary"`).

    Worked example:
        For f(x) = x**2, f'(-0.5) = -1, f'(0) = 0 and f'(0.5) = 1: read left to right, the
        parabola goes down, turns, and goes up.

        >>> interpret_sign(-1.0), interpret_sign(0.0), interpret_sign(1.0)
        ('decreasing', 'stationary', 'increasing')
        >>> interpret_sign(1e-9)
        'stationary'
    """
    raise NotImplementedError(
        "Return 'increasing' if d > tol, 'decreasing' if d < -tol, and 'stationary' otherwise."
    )


def symbolic_derivative(expression: str, variable: str = "x") -> str:
    """Differentiate a formula exactly with SymPy and return the result as a string.

    Symbolic differentiation applies the rules of calculus (power, product, chain rules) to the
    formula itself, so the answer is exact and is again a formula. With SymPy (`import sympy`):
    parse the string into an expression (`sympy.sympify`), differentiate it with respect to the
    symbol named `variable` (`sympy.diff`), and turn the result back into a string (`str`).

    Arguments:
        expression: a formula in SymPy syntax, such as `"x**2*sin(x)"`.
        variable: the name of the variable to differentiate with respect to.

    Returns:
        A str that SymPy can parse. Any mathematically equivalent form is right:
        `"2*x*sin(x) + x**2*cos(x)"` is as good as `"x*(x*cos(x) + 2*sin(x))"`.

    Worked example:
        By the product rule, (x**2 * sin(x))' = 2*x*sin(x) + x**2*cos(x); with respect to y,
        x is a constant, so the derivative of x*y**3 is 3*x*y**2.

        >>> symbolic_derivative("x**2*sin(x)")
        'x**2*cos(x) + 2*x*sin(x)'
        >>> symbolic_derivative("x*y**3", "y")
        '3*x*y**2'
    """
    raise NotImplementedError(
        "Parse the expression with SymPy, differentiate it with respect to the variable, "
        "and return the result as a string."
    )
