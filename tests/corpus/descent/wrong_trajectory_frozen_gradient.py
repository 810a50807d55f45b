"""Mistake: gradient_descent uses the gradient at x0 for every step.

Breaks: gradient_descent
Named in gradient_descent: the gradient at x0 used for every step
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def _vector(x: ArrayLike) -> np.ndarray:
    """A float copy of x, so that the caller's array is never written to."""
    return np.array(x, dtype=float)


def descent_step(x: ArrayLike, grad: ArrayLike, lr: float) -> np.ndarray:
    """Reference: x - lr * grad, a new array."""
    return _vector(x) - float(lr) * _vector(grad)


def gradient_descent(
    grad_fn: Callable[[np.ndarray], np.ndarray], x0: ArrayLike, lr: float, n_steps: int
) -> np.ndarray:
    """Reference: the (n_steps + 1, n) array of iterates of x = x - lr * grad_fn(x), x0 first."""
    x = _vector(x0)
    trajectory = np.empty((int(n_steps) + 1, *x.shape))
    trajectory[0] = x
    start = grad_fn(x.copy())
    for k in range(1, int(n_steps) + 1):
        x = descent_step(x, start, lr)
        trajectory[k] = x
    return trajectory


def learning_rate_regime(lr: float, curvature: float) -> str:
    """Reference: "monotone" if r <= 1, "oscillating" if 1 < r < 2, "diverging" if r >= 2."""
    if not (lr > 0 and curvature > 0):
        raise ValueError(
            f"learning_rate_regime: lr ({lr}) and curvature ({curvature}) must both be positive."
        )
    r = float(lr) * float(curvature)
    if r <= 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    return "diverging"


def max_stable_learning_rate(H: ArrayLike) -> float:
    """Reference: 2 / largest eigenvalue of the symmetric positive-definite H."""
    largest = float(np.linalg.eigvalsh(_vector(H))[-1])
    if largest <= 0:
        raise ValueError(
            "max_stable_learning_rate: H has no positive eigenvalue; pass a positive-definite H."
        )
    return 2.0 / largest


def mse_gradient(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Reference: (2 / m) * X.T @ (X @ w - y), the gradient of mean((X @ w - y) ** 2)."""
    w, X, y = _vector(w), _vector(X), _vector(y)
    return (2.0 / len(y)) * X.T @ (X @ w - y)


def minibatches(n_samples: int, batch_size: int, seed: int) -> list[np.ndarray]:
    """Reference: default_rng(seed).permutation(n_samples) cut into chunks of batch_size."""
    if batch_size < 1:
        raise ValueError(f"minibatches: batch_size is {batch_size}; it must be at least 1.")
    order = np.random.default_rng(seed).permutation(n_samples)
    return [order[start : start + batch_size].copy() for start in range(0, len(order), batch_size)]


def sgd_epoch(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, lr: float, batch_size: int, seed: int
) -> np.ndarray:
    """Reference: one epoch of w = w - lr * mse_gradient(w, X[b], y[b]) over the minibatches."""
    w, X, y = _vector(w), _vector(X), _vector(y)
    for batch in minibatches(len(y), batch_size, seed):
        w = w - float(lr) * mse_gradient(w, X[batch], y[batch])
    return w


def momentum_step(
    x: ArrayLike, velocity: ArrayLike, grad: ArrayLike, lr: float, beta: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Reference: v_new = beta * velocity + grad, x_new = x - lr * v_new; returns (x_new, v_new)."""
    v_new = float(beta) * _vector(velocity) + _vector(grad)
    return _vector(x) - float(lr) * v_new, v_new
