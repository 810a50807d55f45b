"""Alice's assignment 3: every answer right, written with lists, loops and the step factor 1 - r."""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def descent_step(x: ArrayLike, grad: ArrayLike, lr: float) -> np.ndarray:
    """Walk downhill by lr times the gradient."""
    return np.subtract(np.asarray(x, dtype=float), np.multiply(lr, np.asarray(grad, dtype=float)))


def gradient_descent(
    grad_fn: Callable[[np.ndarray], np.ndarray], x0: ArrayLike, lr: float, n_steps: int
) -> np.ndarray:
    """Collect the iterates in a list of fresh arrays and stack them at the end."""
    points = [np.array(x0, dtype=float)]
    for _ in range(n_steps):
        points.append(descent_step(points[-1], grad_fn(points[-1]), lr))
    return np.vstack(points)


def learning_rate_regime(lr: float, curvature: float) -> str:
    """Each step multiplies x by 1 - lr * curvature; its sign and size decide."""
    factor = 1.0 - lr * curvature
    if factor >= 0.0:
        return "monotone"
    if factor > -1.0:
        return "oscillating"
    return "diverging"


def max_stable_learning_rate(H: ArrayLike) -> float:
    """Two over the largest curvature."""
    curvatures = np.linalg.eigh(np.asarray(H, dtype=float))[0]
    return 2.0 / float(max(curvatures))


def mse_gradient(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Average over the samples of 2 * residual * input row."""
    w = np.asarray(w, dtype=float)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    total = np.zeros(w.shape)
    for row, target in zip(X, y, strict=True):
        total += 2.0 * (row @ w - target) * row
    return total / len(y)


def minibatches(n_samples: int, batch_size: int, seed: int) -> list[np.ndarray]:
    """Shuffle once with the seeded generator, then slice."""
    order = np.random.default_rng(seed).permutation(n_samples)
    batches = []
    start = 0
    while start < n_samples:
        batches.append(order[start : start + batch_size])
        start += batch_size
    return batches


def sgd_epoch(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, lr: float, batch_size: int, seed: int
) -> np.ndarray:
    """One descent step per mini-batch, in the order of the shuffle."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    weights = np.array(w, dtype=float)
    for batch in minibatches(len(y), batch_size, seed):
        weights = descent_step(weights, mse_gradient(weights, X[batch], y[batch]), lr)
    return weights


def momentum_step(
    x: ArrayLike, velocity: ArrayLike, grad: ArrayLike, lr: float, beta: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Update the velocity first, then move along it."""
    new_velocity = np.add(np.multiply(beta, velocity), grad, dtype=float)
    return descent_step(x, new_velocity, lr), new_velocity
