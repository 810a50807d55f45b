"""Assignment 3, descent: using the gradient to minimise a loss.

## The update rule

The gradient points uphill, so a small step against it goes downhill. **Gradient descent**
repeats that step, with a **learning rate** `lr > 0` setting its length:

    theta = theta - lr * grad f(theta)

By the tangent-line estimate, one step changes the loss by about
`-lr * |grad f(theta)|**2`, which is negative whenever the gradient is not zero: for a small
enough `lr` every step lowers the loss, and the iterates stop moving only where the gradient
vanishes, at a stationary point. The sign matters: `theta + lr * grad` is gradient *ascent*,
which climbs.

## The learning rate: too small, right, oscillating, diverging

Everything about the learning rate can be seen on one parabola, `f(x) = c * x**2 / 2` with
curvature `c > 0` (its second derivative). Its gradient is `c * x`, so one step gives

    x_new = x - lr * c * x = (1 - r) * x      with  r = lr * c

Each step multiplies `x` by the same factor `1 - r`, so `x` approaches the minimum at 0 exactly
when `|1 - r| < 1`. Reading off the cases:

| r = lr * c | factor 1 - r      | behaviour                                             |
|------------|-------------------|-------------------------------------------------------|
| 0 < r <= 1 | 0 to just under 1 | **monotone**: shrinks to 0 without changing sign      |
| 1 < r < 2  | between -1 and 0  | **oscillating**: flips sign every step, converges     |
| r >= 2     | -1 or below       | **diverging**: bounces for ever (r = 2) or blows up   |

Too small a rate (say r = 0.01) is safe but slow: it shrinks `x` by only 1% per step. A rate
near `r = 1` is just right: `r = 1` lands exactly on the minimum in one step. For `c = 2`:
`lr = 0.1` is monotone, `lr = 0.75` oscillates (factor -0.5), `lr = 1` bounces between `x` and
`-x` forever, `lr = 1.5` explodes (factor -2).

In many dimensions, a quadratic loss with Hessian `H` behaves like one such parabola along each
eigenvector of `H`, with curvature equal to the eigenvalue. One learning rate must work for
all of them at once, so the steepest direction, the largest eigenvalue `lambda_max`, decides:
descent converges when `lr < 2 / lambda_max`, the **largest stable learning rate**. Meanwhile the
flattest direction, the smallest eigenvalue, makes progress at a rate near `lr * lambda_min`:
when the two are very different (an ill-conditioned problem), descent is slow.

## The gradient of the mean squared error

Linear regression fits weights `w` (shape (d,)) so that `X @ w` matches targets `y` for `m`
samples (the rows of `X`, shape (m, d)). Its loss is the mean squared error
`L(w) = mean((X @ w - y) ** 2)`. With the residuals `r = X @ w - y`, the chain rule gives

    grad L(w) = (2 / m) * X.T @ r

The 2 comes from differentiating the square, the `1 / m` from the mean, and `X.T` collects, for
each weight, how much every sample's prediction depends on it.

## Batch, stochastic and mini-batch gradients

The loss is an average over samples, so is its gradient. **Batch** gradient descent uses all
`m` samples for every step: accurate but expensive when `m` is large. **Stochastic** gradient
descent (SGD) uses one sample per step: cheap and noisy. **Mini-batch** gradient descent sits in
between, with small batches of, say, 32 samples: each batch gradient is an unbiased but noisy
estimate of the full gradient, and the batches of an **epoch** (one pass over the data) are
usually cut from a fresh random shuffle of the sample indices. With `m = 5` and batches of 2,
the shuffle `[2, 4, 3, 0, 1]` gives the batches `[2, 4]`, `[3, 0]` and `[1]`: three steps per
epoch.

## Momentum

Plain descent zig-zags across narrow valleys and crawls along flat ones. **Momentum** keeps a
running velocity, a decaying sum of past gradients, and steps along it:

    v = beta * v + grad
    x = x - lr * v

With `beta = 0.9`, a gradient that keeps pointing the same way builds the velocity up to about
`1 / (1 - beta) = 10` times its size, speeding descent along consistent directions, while
gradients that flip sign from step to step cancel out, damping the zig-zag. `beta = 0` is plain
gradient descent.

## What to implement

Arrays may arrive as lists or numpy arrays of any real dtype: convert them to float arrays
(`np.asarray(x, dtype=float)`). Return new arrays of exactly the stated shape, floats, or one of
the stated strings, and never modify an argument in place (`x -= ...` on an argument changes
the caller's array). Here `grad_fn` maps an array of shape (n,) to an array of shape (n,).
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def descent_step(x: ArrayLike, grad: ArrayLike, lr: float) -> np.ndarray:
    """Take one gradient-descent step from x: return the new point x - lr * grad.

    Moving against the gradient lowers the function, by about `lr * |grad|**2` for a small lr.
    Return a new array; x must not change.

    Arguments:
        x: the current point, shape (n,).
        grad: the gradient of the loss at x, shape (n,).
        lr: the learning rate, a positive float.

    Returns:
        A new float array of shape (n,), `x - lr * grad`.

    Worked example:
        From x = (1, 2) with gradient (0.5, -1) and lr = 0.1: (1 - 0.05, 2 + 0.1) = (0.95, 2.1).

        >>> descent_step([1.0, 2.0], [0.5, -1.0], 0.1)
        array([0.95, 2.1 ])
    """
    raise NotImplementedError("Return x - lr * grad as a new float array.")


def gradient_descent(
    grad_fn: Callable[[np.ndarray], np.ndarray], x0: ArrayLike, lr: float, n_steps: int
) -> np.ndarray:
    """Run n_steps of gradient descent from x0 and return the whole trajectory.

    Repeat `x = x - lr * grad_fn(x)` and record every iterate, starting with x0, so that the
    path can be plotted and inspected. Store a copy of each point: updating one array in place
    and appending it every time would leave n_steps + 1 references to the same final point.

    Arguments:
        grad_fn: the gradient of the loss, from shape (n,) to shape (n,).
        x0: the starting point, shape (n,).
        lr: the learning rate, a positive float.
        n_steps: how many steps to take (0 or more).

    Returns:
        A new float array of shape (n_steps + 1, n): row 0 is x0, row k the point after k steps.

    Worked example:
        For f(x) = x**2 (gradient 2 * x) from x0 = (1,) with lr = 0.25, every step multiplies
        x by 1 - 0.25 * 2 = 0.5.

        >>> gradient_descent(lambda x: 2 * x, [1.0], 0.25, 3)
        array([[1.   ],
               [0.5  ],
               [0.25 ],
               [0.125]])
    """
    raise NotImplementedError(
        "Return the (n_steps + 1, n) array of iterates of x = x - lr * grad_fn(x), x0 first."
    )


def learning_rate_regime(lr: float, curvature: float) -> str:
    """Predict how gradient descent behaves on f(x) = curvature * x**2 / 2 for this lr.

    One step multiplies x by `1 - r` with `r = lr * curvature`. With `r <= 1` the factor is
    between 0 and 1, so x shrinks towards 0 without changing sign. With `1 < r < 2` it is
    between -1 and 0: x flips sign every step while shrinking. With `r >= 2` its size is 1 or
    more: x never settles (r = 2 bounces for ever) or blows up.

    Arguments:
        lr: the learning rate, a positive float.
        curvature: the second derivative of the parabola, a positive float.

    Returns:
        `"monotone"` if r <= 1, `"oscillating"` if 1 < r < 2, `"diverging"` if r >= 2
        (r == 1 is "monotone" and r == 2 is "diverging").

    Worked example:
        For curvature 2: lr = 0.1 gives r = 0.2, lr = 0.75 gives r = 1.5, lr = 1 gives r = 2.

        >>> learning_rate_regime(0.1, 2.0), learning_rate_regime(0.75, 2.0)
        ('monotone', 'oscillating')
        >>> learning_rate_regime(1.0, 2.0)
        'diverging'
    """
    raise NotImplementedError(
        "Return 'monotone' if lr * curvature <= 1, 'oscillating' if it is below 2, "
        "and 'diverging' otherwise."
    )


def max_stable_learning_rate(H: ArrayLike) -> float:
    """Return the largest learning rate for which descent on a quadratic still converges.

    On a quadratic loss with Hessian H, descent behaves like one parabola per eigenvector of H,
    with curvature equal to the eigenvalue. Each needs `lr * eigenvalue < 2`, and the largest
    eigenvalue is the strictest: the threshold is `2 / lambda_max`. (H is symmetric, so
    `np.linalg.eigvalsh` gives its eigenvalues.)

    Arguments:
        H: a symmetric positive-definite matrix, shape (n, n).

    Returns:
        A float, `2 / lambda_max` with lambda_max the largest eigenvalue of H.

    Worked example:
        For H = diag(4, 1) the curvatures are 4 and 1; the steeper one limits lr to 2 / 4 = 0.5.

        >>> max_stable_learning_rate([[4, 0], [0, 1]])
        0.5
    """
    raise NotImplementedError("Return 2 divided by the largest eigenvalue of H, as a float.")


def mse_gradient(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Return the gradient of the mean squared error mean((X @ w - y) ** 2) with respect to w.

    With residuals `r = X @ w - y` and m samples, the gradient is `(2 / m) * X.T @ r`: the 2
    from the square, the 1 / m from the mean.

    Arguments:
        w: the weights, shape (d,).
        X: the inputs, one sample per row, shape (m, d).
        y: the targets, shape (m,).

    Returns:
        A float array of shape (d,), `(2 / m) * X.T @ (X @ w - y)`.

    Worked example:
        With w = (1, 0), X = [[1, 2], [3, 4]] and y = (1, 1): X @ w = (1, 3), the residuals are
        (0, 2), X.T @ (0, 2) = (6, 8), and (2 / 2) * (6, 8) = (6, 8).

        >>> mse_gradient([1.0, 0.0], [[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])
        array([6., 8.])
    """
    raise NotImplementedError("Return (2 / m) * X.T @ (X @ w - y) as a float array of shape (d,).")


def minibatches(n_samples: int, batch_size: int, seed: int) -> list[np.ndarray]:
    """Shuffle the sample indices 0 .. n_samples - 1 and cut them into mini-batches.

    Use exactly `p = np.random.default_rng(seed).permutation(n_samples)`, so that the same seed
    always gives the same batches, then cut p into consecutive chunks of batch_size; the last
    chunk is shorter when batch_size does not divide n_samples.

    Arguments:
        n_samples: how many samples there are.
        batch_size: how many indices per batch, a positive int.
        seed: the seed of the random generator.

    Returns:
        A list of 1-D integer numpy arrays whose concatenation is p.

    Worked example:
        With seed 0, the permutation of 5 indices is [2, 4, 3, 0, 1]; batches of 2 give
        [2, 4], [3, 0] and the short last batch [1].

        >>> minibatches(5, 2, seed=0)
        [array([2, 4]), array([3, 0]), array([1])]
    """
    raise NotImplementedError(
        "Cut np.random.default_rng(seed).permutation(n_samples) into a list of consecutive "
        "integer arrays of batch_size indices, the last one possibly shorter."
    )


def sgd_epoch(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, lr: float, batch_size: int, seed: int
) -> np.ndarray:
    """Run one epoch of mini-batch gradient descent on the mean squared error.

    For each batch b of `minibatches(len(y), batch_size, seed)`, in order, take one step
    `w = w - lr * mse_gradient(w, X[b], y[b])`. With batch_size equal to the number of samples
    this is one step of batch gradient descent; with batch_size 1 it is stochastic gradient
    descent, one step per sample.

    Arguments:
        w: the starting weights, shape (d,).
        X: the inputs, shape (m, d).
        y: the targets, shape (m,).
        lr: the learning rate, a positive float.
        batch_size: how many samples per step, a positive int.
        seed: the seed for the shuffle.

    Returns:
        A new float array of shape (d,), the weights after the epoch.

    Worked example:
        With a single batch (batch_size = 2 = m), the epoch is one full-batch step: from
        w = (1, 0) with the gradient (6, 8) of the example in `mse_gradient` and lr = 0.1,
        w becomes (1 - 0.6, 0 - 0.8) = (0.4, -0.8).

        >>> sgd_epoch([1.0, 0.0], [[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0], 0.1, 2, seed=0)
        array([ 0.4, -0.8])
    """
    raise NotImplementedError(
        "Return w after one step w = w - lr * mse_gradient(w, X[b], y[b]) for each batch b "
        "of minibatches(len(y), batch_size, seed), in order."
    )


def momentum_step(
    x: ArrayLike, velocity: ArrayLike, grad: ArrayLike, lr: float, beta: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Take one gradient-descent step with momentum and return the new point and velocity.

    The velocity is a decaying sum of past gradients, `v_new = beta * velocity + grad`, and the
    step follows it, `x_new = x - lr * v_new`. Gradients that agree from step to step add up;
    gradients that flip sign cancel.

    Arguments:
        x: the current point, shape (n,).
        velocity: the current velocity, shape (n,) (zeros at the start).
        grad: the gradient of the loss at x, shape (n,).
        lr: the learning rate, a positive float.
        beta: how much of the old velocity to keep, between 0 and 1.

    Returns:
        A tuple `(x_new, v_new)` of two new float arrays of shape (n,).

    Worked example:
        From x = (1,) with velocity (0.5,), gradient (2,), lr = 0.1 and beta = 0.9:
        v_new = 0.9 * 0.5 + 2 = 2.45 and x_new = 1 - 0.1 * 2.45 = 0.755.

        >>> momentum_step([1.0], [0.5], [2.0], 0.1)
        (array([0.755]), array([2.45]))
    """
    raise NotImplementedError(
        "Return the tuple (x - lr * v_new, v_new) with v_new = beta * velocity + grad."
    )
