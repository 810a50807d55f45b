"""The inputs of the hidden checks of assignment `gradients`: functions, points and matrices.

Each is chosen so that the known wrong formulas give different answers from the right one and
from each other (tests/test_checks_gradients.py asserts that they do, for many students' draws).
"""

from __future__ import annotations

import numpy as np
import sympy

from grader.authoring import field_function, gradient_field, vector_function

# Smooth functions with nonzero second derivatives along every axis and nonzero mixed partials,
# so that forward, backward and central differences, and a Hessian without its off-diagonal
# entries, all give different answers.
# The cubes keep every third partial of WAVY along an axis at 4.5 or more on [-1.5, 1.5]^3, so
# that a central difference at another step than the h given is off (by about h**2 / 6 times
# that) along every axis, at every point.
WAVY = vector_function("sin(x0)*x1 + exp(0.3*x2)*x0 + x1**2*x2 + x0**3 + x1**3 + x2**3", n=3)
WAVY_GRADIENT = gradient_field(WAVY)
# A wrong gradient of WAVY (the factor 2 of x1**2*x2 forgotten): a relative error far from 0.
WAVY_WRONG_GRADIENT = field_function(
    [
        "cos(x0)*x1 + exp(0.3*x2) + 3*x0**2",
        "sin(x0) + x1*x2 + 3*x1**2",
        "0.3*exp(0.3*x2)*x0 + x1**2 + 3*x2**2",
    ]
)
# A hundredth of WAVY and a wrong gradient of it, not parallel to the right one and of another
# length, so that every denominator of the relative error gives another value; both gradients
# are shorter than 1, so a floor of 1 instead of 1e-12 shows too.
SMALL = vector_function("(sin(x0)*x1 + exp(0.3*x2)*x0 + x1**2*x2) / 100", n=3)
SMALL_WRONG_GRADIENT = field_function(
    ["cos(x0)*x1 / 100", "(sin(x0) - 2*x1*x2) / 100", "(x1**2 + x0) / 100"]
)
RIDGE = vector_function("x0*x1 + sin(x2)*x3**2 + exp(0.5*x0) + x1**2*x3", n=4)
# Used at x0 = 1000, where rounding x + h costs about eps * 1000 / h.
FAR = vector_function("sin(x0) + x0*x1**2 + cos(x1)*x2", n=3)
# A cubic plus a small sine: at h = 0.1 central schemes stay within h^2/3 of the fourth partials
# (at most 0.5) of the exact Hessian, while forward ones are off by about h times the third.
NEAR_CUBIC = vector_function(
    "x0**3 + x0**2*x1 - 2*x1*x2*x3 + x2**2*x3 + x3**3 - x0*x3 + 0.5*sin(x0 + x2)", n=4
)
# A quadratic plus ripples of period GRID_H in every coordinate. On the grid x + GRID_H * integers
# the ripples are constant, so every Hessian scheme with step GRID_H gives the quadratic's
# Hessian (to rounding), while the exact Hessian, and any scheme at a small step, also has the
# ripples' curvature, about 4: a Hessian that ignores the h it is given shows at once.
GRID_H = 0.1
STEPPED = vector_function(
    "x0**2 - 2*x0*x1 + 1.5*x1**2 + x1*x2 - x2**2"
    " + 0.001*(cos(20*pi*x0) + sin(20*pi*x0)*sin(20*pi*x1) + cos(20*pi*x2))",
    n=3,
)
# Gradients of WAVY as wrong as can be: the opposite one and none at all, whose relative error
# is 1, the top of its range (a denominator other than norm(ga) + norm(gn) gives another value).
WAVY_OPPOSITE_GRADIENT = field_function(
    [str(-sympy.diff(WAVY.expression, symbol)) for symbol in WAVY.symbols]
)
NO_GRADIENT = field_function(["0", "0", "0"])
# Stationary at the origin, where both gradients are exactly zero.
BOWL = vector_function("x0**2 + 3*x1**2 + x0**2*x1**2", n=2)
BOWL_GRADIENT = gradient_field(BOWL)
# Gradients about 1e-13 long, so norm(ga) + norm(gn) is below the floor 1e-12: the floor is
# what the answer is divided by (0.316..., where dividing by the norms gives 0.707...).
TINY = vector_function("1e-13*(x0 - 2*x1)", n=2)
TINY_WRONG_GRADIENT = field_function(["2e-13", "1e-13"])


def rotated(rng: np.random.Generator, eigenvalues: tuple[float, ...]) -> np.ndarray:
    """A symmetric matrix with these eigenvalues and random (off-diagonal) eigenvectors."""
    q, _ = np.linalg.qr(rng.normal(size=(len(eigenvalues), len(eigenvalues))))
    matrix = q @ np.diag(eigenvalues) @ q.T
    return (matrix + matrix.T) / 2


def unrestorable(rng: np.random.Generator, size: int, h: float) -> np.ndarray:
    """A random point in [-1, 1)^size at which stepping any coordinate in place by +h, -2h
    and +h again does not give it back exactly (tried for each coordinate until so).

    Hidden inputs are drawn per student, and whether that round trip is exact depends on the
    binade of the value (for h = 1e-5 it always is in [0.25, 0.5), never in [0.5, 1)): a
    step-and-restore that writes into x would otherwise go unseen for some students.
    """
    x = rng.uniform(-1, 1, size=size)
    for index in range(size):
        for _ in range(1000):  # each draw succeeds with a chance of a third or more
            if ((x[index] + h) - 2 * h) + h != x[index]:
                break
            x[index] = rng.uniform(-1, 1)
    return x


def off_diagonal_cases(rng: np.random.Generator) -> list[tuple]:
    """Hessians with off-diagonal entries: a saddle whose diagonal and determinant are positive,
    a 4x4 saddle with a positive determinant, and a 3x3 maximum with a negative one."""
    return [
        (np.array([[1.0, 2.0, 2.0], [2.0, 1.0, 2.0], [2.0, 2.0, 1.0]]),),  # eigenvalues 5, -1, -1
        (rotated(rng, (3.0, 1.0, -0.5, -2.0)),),
        (rotated(rng, (-1.0, -2.0, -4.0)),),
    ]


def degenerate_cases(rng: np.random.Generator) -> list[tuple]:
    """The boundaries of the rule: a tiny negative eigenvalue within tol of 0 beside positive
    ones (degenerate: neither a saddle, as comparing with 0 says, nor a minimum); with tol =
    0.25 given, eigenvalues exactly at tol and at -tol (degenerate, since only values beyond tol
    count), also beside others beyond the other side (not a saddle); 0 beside a positive and a
    negative eigenvalue (a saddle); and two minima under a non-default tol: eigenvalues just
    beyond 0.25, and an eigenvalue 1e-10 with tol = 1e-12 (degenerate under the default tol).
    Diagonal matrices keep the eigenvalues at +-tol exact."""
    return [
        (rotated(rng, (3.0, -5e-9, 1.0)),),
        ([[2, 0, 0], [0, 0.25, 0], [0, 0, 1]], 0.25),  # a list, as the contract allows
        (np.diag([-1.0, -0.25, -3.0]), 0.25),
        (np.diag([0.25, -1.0, -3.0]), 0.25),
        (np.diag([1.0, -0.25, 2.0]), 0.25),
        (rotated(rng, (2.0, 0.0, -1.0)),),
        (rotated(rng, (0.3, 1.0, 2.0)), 0.25),
        (rotated(rng, (1e-10, 2.0, 3.0)), 1e-12),
    ]


def rate_cases(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """(grad, v) at the ends of the range of the rate: along grad (norm(grad)), against it
    (-norm(grad)), perpendicular to it (0, a contour line), and a zero gradient (0, where a
    cosine formula divides 0 by 0), with directions not of length 1; then a direction of length
    exactly 1, e_1, which needs no scaling (the rate is grad[1])."""
    grad = rng.normal(size=3) * 3
    perpendicular = np.cross(grad, rng.normal(size=3))
    return [
        (grad, 2.5 * grad),
        (grad, -0.5 * grad),
        (grad, 4 * perpendicular / np.linalg.norm(perpendicular)),
        (np.zeros(3), rng.normal(size=3) * 4),
        (grad, np.array([0.0, 1.0, 0.0])),
    ]


def tiny_gradients(rng: np.random.Generator) -> list[np.ndarray]:
    """Gradients that are small but not zero (about 1e-10 and 1e-150 long), so their direction
    is a unit vector, where a habit of `norm(grad) < 1e-8` gives zeros; then one about 1 long
    along the same direction."""
    direction = rng.normal(size=3)
    return [direction * 1e-10, direction * 1e-150, direction]
