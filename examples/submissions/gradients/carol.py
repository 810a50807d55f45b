"""Assignment 2, gradients: derivatives of functions of many variables.

## Partial derivatives

A machine-learning loss depends on many parameters at once, `f(x) = f(x_0, x_1, ..., x_{n-1})`.
A **partial derivative** `∂f/∂x_i` asks the one-variable question for one coordinate: hold every
other coordinate fixed, move only `x_i`, and measure the rate of change. Take
`f(x, y) = x**2 + 3*x*y` at the point `(1, 2)`:

- `∂f/∂x = 2*x + 3*y` (y is held fixed, so `3*x*y` is `3*y` times x), which is 8 at `(1, 2)`;
- `∂f/∂y = 3*x` (x is held fixed, so `x**2` is a constant with derivative 0), which is 3.

Numerically, a partial derivative is a one-variable central difference along a coordinate
direction: with `e_i` the unit vector that has a 1 in position i and 0 elsewhere,
`∂f/∂x_i ≈ (f(x + h e_i) - f(x - h e_i)) / (2h)`.

## The gradient points uphill

The **gradient** collects all partial derivatives in one vector,
`∇f(x) = (∂f/∂x_0, ..., ∂f/∂x_{n-1})`; above, `∇f(1, 2) = (8, 3)`. It generalises the tangent
line: for a small displacement `d`,

    f(x + d) ≈ f(x) + ∇f(x) · d

How fast does `f` change if we walk from `x` in the direction of a vector `v`? Walking along the
unit vector `u = v / |v|`, the rate is the **directional derivative** `D_u f(x) = ∇f(x) · u`.
Since `∇f · u = |∇f| cos(angle between them)`, this rate is largest, `|∇f|`, when `u` points
along the gradient; it is `-|∇f|` in the opposite direction and 0 in any perpendicular
direction, along which `f` is (to first order) level. So:

- the gradient points in the direction of **steepest ascent**, and its length is that steepest rate;
- `-∇f` is the direction of steepest descent, which gradient descent follows (assignment 3);
- the gradient is perpendicular to the contour lines of `f`.

With `∇f = (3, 4)` (length 5): walking along `(1, 0)` the rate is 3; along `(3, 4)` it is the
maximum, 5; along `(4, -3)` it is 0. The unit direction of steepest ascent is `(0.6, 0.8)`.

## Exact gradients of quadratics

Many losses are quadratic, `f(x) = 0.5 * x @ A @ x + b @ x` with a square matrix `A`. Its
gradient is `0.5 * (A + A.T) @ x + b`. If `A` is symmetric that is the familiar `A @ x + b`,
but for a non-symmetric `A` the shortcut `A @ x + b` is wrong: only the symmetric part
`(A + A.T) / 2` of `A` changes the value of `x @ A @ x`, so only it can appear in the gradient.

## The Hessian measures curvature

The **Hessian** is the matrix of second partial derivatives, `H[i, j] = ∂²f/∂x_i∂x_j`. For smooth
functions the order of differentiation does not matter, so `H` is symmetric. It adds the next
term to the estimate:

    f(x + d) ≈ f(x) + ∇f(x) · d + 0.5 * d @ H @ d

At a **stationary point**, where `∇f(x) = 0`, the first-order term vanishes and the Hessian
decides what happens nearby. Its eigenvectors are the principal directions and its eigenvalues
`λ_k` the curvatures along them:

| eigenvalues of H                | the stationary point is | example at (0, 0)             |
|---------------------------------|-------------------------|-------------------------------|
| all positive                    | a minimum               | `x**2 + y**2`, H = diag(2, 2)   |
| all negative                    | a maximum               | `-x**2 - y**2`, H = diag(-2, -2) |
| some positive, some negative    | a saddle                | `x**2 - y**2`, H = diag(2, -2)  |
| otherwise (some are zero)       | degenerate: undecided   | `x**2 + y**4`, H = diag(2, 0)   |

A saddle goes up along one direction and down along another, like a mountain pass. In the
degenerate case the second-order test says nothing: `x**2 + y**4` has a minimum at the origin
and `x**2 + y**3` does not, yet both have Hessian diag(2, 0) there. With numerical Hessians,
"zero" means "within a tolerance of zero".

Numerically, the diagonal entries are second differences along `e_i`, and the off-diagonal
entries use the four corners of a small square in the (i, j) plane:

    H[i, i] ≈ (f(x + h e_i) - 2 f(x) + f(x - h e_i)) / h**2
    H[i, j] ≈ (f(x + h e_i + h e_j) - f(x + h e_i - h e_j)
               - f(x - h e_i + h e_j) + f(x - h e_i - h e_j)) / (4 h**2)

Both are second-order accurate.

## Gradient checking

Hand-derived gradients and backpropagation code are easy to get subtly wrong, and a wrong
gradient does not crash: training simply goes badly. A **gradient check** compares the
analytic gradient `ga` with the central-difference gradient `gn` through the relative error
`|ga - gn| / (|ga| + |gn|)`. A correct gradient gives about `1e-10` or less; anything near `1e-3`
or above is a bug. A forgotten factor 2 (returning `x` instead of `2 * x`) gives exactly
`|x| / (3 |x|) = 1/3`.

## What to implement

Arrays may arrive as lists or numpy arrays of any real dtype, integers included: convert them to
float arrays first (`np.asarray(x, dtype=float)`), otherwise `x + h` can be silently truncated.
Return floats, float arrays of exactly the stated shape, or one of the stated strings, and never
modify an argument. Here `f` maps an array of shape (n,) to a float and `grad_fn` maps shape
(n,) to shape (n,).
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def partial_derivative(
    f: Callable[[np.ndarray], float], x: ArrayLike, i: int, h: float = 1e-5
) -> float:
    """Approximate the partial derivative of f along coordinate i with a central difference.

    Hold every coordinate but x[i] fixed and take a one-variable central difference: with e_i
    the i-th unit vector, `(f(x + h e_i) - f(x - h e_i)) / (2 * h)`. Build the two shifted
    points as new float arrays so that x itself is left alone.

    Arguments:
        f: a function from an array of shape (n,) to a float.
        x: the point, shape (n,), a list or array of any real dtype.
        i: which coordinate to move, 0 <= i < n.
        h: the step, a small positive float.

    Returns:
        A float, the estimate of ∂f/∂x_i at x.

    Worked example:
        For f(x) = x[0]**2 + 3 * x[0] * x[1] at (1, 2): ∂f/∂x_0 = 2 * 1 + 3 * 2 = 8 and
        ∂f/∂x_1 = 3 * 1 = 3.

        >>> f = lambda x: x[0] ** 2 + 3 * x[0] * x[1]
        >>> round(partial_derivative(f, [1.0, 2.0], 0), 6)
        8.0
        >>> round(partial_derivative(f, [1, 2], 1), 6)
        3.0
    """
    raise NotImplementedError(
        "Return (f(x + h e_i) - f(x - h e_i)) / (2 * h) as a float, with e_i the i-th unit vector."
    )


def gradient(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-5) -> np.ndarray:
    """Approximate the gradient of f at x: the vector of all central-difference partials.

    The gradient points in the direction in which f increases fastest, and its length is that
    fastest rate. Numerically it is just one central difference per coordinate.

    Arguments:
        f: a function from an array of shape (n,) to a float.
        x: the point, shape (n,), a list or array of any real dtype.
        h: the step, a small positive float.

    Returns:
        A float array of shape (n,) whose entry i is
        `(f(x + h e_i) - f(x - h e_i)) / (2 * h)`.

    Worked example:
        For f(x) = x[0]**2 + 3 * x[0] * x[1] at (1, 2) the gradient is (2*1 + 3*2, 3*1) = (8, 3).

        >>> f = lambda x: x[0] ** 2 + 3 * x[0] * x[1]
        >>> np.round(gradient(f, [1.0, 2.0]), 6)
        array([8., 3.])
    """
    raise NotImplementedError(
        "Return a float array of shape (n,) holding the central-difference partial derivative "
        "of f along each coordinate."
    )


def quadratic_gradient(A: ArrayLike, b: ArrayLike, x: ArrayLike) -> np.ndarray:
    """Return the exact gradient of f(x) = 0.5 * x @ A @ x + b @ x for any square matrix A.

    Expanding `x @ A @ x = sum_jk A[j, k] x[j] x[k]` and differentiating along x[i] gives
    `sum_k A[i, k] x[k] + sum_j A[j, i] x[j]`, that is `(A @ x + A.T @ x)[i]`. With the 0.5 in
    front, the gradient is `0.5 * (A + A.T) @ x + b`. For a symmetric A this is `A @ x + b`,
    but A need not be symmetric here.

    Arguments:
        A: a square matrix, shape (n, n), not necessarily symmetric.
        b: the linear coefficients, shape (n,).
        x: the point, shape (n,).

    Returns:
        A float array of shape (n,), `0.5 * (A + A.T) @ x + b`.

    Worked example:
        With A = [[2, 1], [0, 4]], b = [1, -1] and x = [1, 2]: the symmetric part of A is
        [[2, 0.5], [0.5, 4]], so the gradient is [2 + 1, 0.5 + 8] + [1, -1] = [4, 7.5].
        The shortcut A @ x + b would give [5, 7], which is wrong.

        >>> quadratic_gradient([[2, 1], [0, 4]], [1, -1], [1, 2])
        array([4. , 7.5])
    """
    raise NotImplementedError("Return 0.5 * (A + A.T) @ x + b as a float array of shape (n,).")


def hessian(f: Callable[[np.ndarray], float], x: ArrayLike, h: float = 1e-4) -> np.ndarray:
    """Approximate the Hessian of f at x, the symmetric matrix of second partial derivatives.

    Entry (i, j) is the rate at which ∂f/∂x_j changes as x_i moves, the curvature of f. Use the
    second difference on the diagonal and the four-point formula off the diagonal:

        H[i, i] = (f(x + h e_i) - 2 f(x) + f(x - h e_i)) / h**2
        H[i, j] = (f(x + h e_i + h e_j) - f(x + h e_i - h e_j)
                   - f(x - h e_i + h e_j) + f(x - h e_i - h e_j)) / (4 h**2)

    Compute each pair i < j once and store it in both (i, j) and (j, i), so that the result is
    exactly symmetric. Any second-order-accurate central scheme is accepted.

    Arguments:
        f: a function from an array of shape (n,) to a float.
        x: the point, shape (n,), a list or array of any real dtype.
        h: the step, a small positive float.

    Returns:
        A symmetric float array of shape (n, n).

    Worked example:
        For f(x) = x[0]**2 * x[1] + x[1]**3 at (1, 2): ∂²f/∂x_0² = 2 x_1 = 4,
        ∂²f/∂x_0∂x_1 = 2 x_0 = 2 and ∂²f/∂x_1² = 6 x_1 = 12.

        >>> f = lambda x: x[0] ** 2 * x[1] + x[1] ** 3
        >>> np.round(hessian(f, [1.0, 2.0]), 4)
        array([[ 4.,  2.],
               [ 2., 12.]])
    """
    raise NotImplementedError(
        "Return the symmetric (n, n) matrix of central-difference second partial derivatives."
    )


def directional_derivative(grad: ArrayLike, v: ArrayLike) -> float:
    """Return the rate of change of f along the direction of v, given the gradient of f.

    Only the direction of v matters, not its length, so first scale v to unit length:
    `grad @ v / norm(v)`. The result ranges from `-norm(grad)` (walking straight downhill) to
    `norm(grad)` (straight uphill), and is 0 along a contour line.

    Arguments:
        grad: the gradient of f at the point, shape (n,).
        v: a nonzero direction, shape (n,), of any length.

    Returns:
        A float, `grad @ v / norm(v)`.

    Worked example:
        With grad = (3, 4): along (1, 0) the rate is 3; along (3, 4), the gradient's own
        direction, it is the maximum 25 / 5 = 5; along (4, -3) it is 0.

        >>> directional_derivative([3, 4], [1, 0]), directional_derivative([3, 4], [3, 4])
        (3.0, 5.0)
        >>> directional_derivative([3, 4], [4, -3])
        0.0
    """
    raise NotImplementedError("Return grad @ v / norm(v) as a float.")


def steepest_ascent_direction(grad: ArrayLike) -> np.ndarray:
    """Return the unit vector pointing where f increases fastest: grad / norm(grad).

    The gradient already points uphill; dividing by its length keeps the direction and makes
    the length 1, so that directions can be compared. At a stationary point the gradient is
    zero and there is no uphill direction: return the zero vector instead of dividing by 0.

    Arguments:
        grad: the gradient of f at the point, shape (n,).

    Returns:
        A float array of shape (n,): `grad / norm(grad)`, or all zeros when `norm(grad) == 0`.

    Worked example:
        The gradient (3, 4) has length 5, so the direction is (0.6, 0.8).

        >>> steepest_ascent_direction([3, 4])
        array([0.6, 0.8])
        >>> steepest_ascent_direction([0, 0])
        array([0., 0.])
    """
    raise NotImplementedError(
        "Return grad / norm(grad) as a float array, or a zero array when norm(grad) is 0."
    )


def classify_stationary_point(H: ArrayLike, tol: float = 1e-8) -> str:
    """Classify a stationary point from the eigenvalues of the Hessian H there.

    The eigenvalues are the curvatures along the principal directions: up in every direction
    is a minimum, down in every direction a maximum, up in one and down in another a saddle.
    Eigenvalues within tol of zero count as zero, and then the second-order test cannot decide.
    H is symmetric, so `np.linalg.eigvalsh` gives its (real) eigenvalues.

    Arguments:
        H: the Hessian at the stationary point, a symmetric matrix of shape (n, n).
        tol: how close to zero counts as zero (a non-negative float).

    Returns:
        `"minimum"` if every eigenvalue is > tol, `"maximum"` if every eigenvalue is < -tol,
        `"saddle"` if at least one is > tol and at least one is < -tol, and `"degenerate"`
        otherwise (an eigenvalue exactly equal to tol counts as zero).

    Worked example:
        diag(2, 3) curves up both ways; diag(2, -2) (from x**2 - y**2) curves up along x and
        down along y; diag(2, 0) is flat along y.

        >>> classify_stationary_point([[2, 0], [0, 3]])
        'minimum'
        >>> classify_stationary_point([[2, 0], [0, -2]])
        'saddle'
        >>> classify_stationary_point([[2, 0], [0, 0]])
        'degenerate'
    """
    raise NotImplementedError(
        "Return 'minimum', 'maximum', 'saddle' or 'degenerate' from the eigenvalues of H "
        "compared with tol."
    )


def gradient_check(
    f: Callable[[np.ndarray], float],
    grad_fn: Callable[[np.ndarray], np.ndarray],
    x: ArrayLike,
    h: float = 1e-5,
) -> float:
    """Measure how far an analytic gradient is from the central-difference gradient at x.

    Compute `ga = grad_fn(x)` and the numerical gradient `gn` of f at x with step h, then the
    relative error `norm(ga - gn) / max(norm(ga) + norm(gn), 1e-12)`. The relative form makes
    the check independent of the scale of f, and the floor 1e-12 avoids 0 / 0 when both
    gradients vanish. Around 1e-10 or less means the gradient is right; near 1e-3 or more means
    it has a bug.

    Arguments:
        f: a function from an array of shape (n,) to a float.
        grad_fn: the claimed gradient of f, from shape (n,) to shape (n,).
        x: the point, shape (n,), a list or array of any real dtype.
        h: the step of the central differences.

    Returns:
        A float, the relative error, between 0 and 1.

    Worked example:
        For f(x) = x @ x, the right gradient is 2 * x. A buggy gradient that forgets the factor
        2 and returns x has error |x - 2x| / (|x| + |2x|) = 1/3.

        >>> f = lambda x: x @ x
        >>> gradient_check(f, lambda x: 2 * x, [1.0, -2.0]) < 1e-8
        True
        >>> round(gradient_check(f, lambda x: x, [1.0, -2.0]), 6)
        0.333333
    """
    raise NotImplementedError(
        "Return norm(ga - gn) / max(norm(ga) + norm(gn), 1e-12) with ga = grad_fn(x) and gn "
        "the central-difference gradient of f at x."
    )
