"""Bob's assignment 3, with typical mistakes.

Mistakes, on purpose:
- gradient_descent updates x in place and appends the same array every step, so every row of
  the trajectory aliases the final point (and a float x0 passed in is modified too);
- mse_gradient forgets the factor 2 of the square (and sgd_epoch, which uses it, is off as a
  consequence);
- momentum_step adds lr * velocity instead of subtracting it: gradient ascent.
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def descent_step(x: ArrayLike, grad: ArrayLike, lr: float) -> np.ndarray:
    """One descent step."""
    return np.asarray(x, dtype=float) - lr * np.asarray(grad, dtype=float)


def gradient_descent(
    grad_fn: Callable[[np.ndarray], np.ndarray], x0: ArrayLike, lr: float, n_steps: int
) -> np.ndarray:
    """Iterates of gradient descent (wrong: in-place updates alias every row)."""
    x = np.asarray(x0, dtype=float)
    path = [x]
    for _ in range(n_steps):
        x -= lr * grad_fn(x)
        path.append(x)
    return np.array(path)


def learning_rate_regime(lr: float, curvature: float) -> str:
    """Regime from r = lr * curvature."""
    r = lr * curvature
    if r <= 1:
        return "monotone"
    if r < 2:
        return "oscillating"
    return "diverging"


def max_stable_learning_rate(H: ArrayLike) -> float:
    """2 over the largest eigenvalue."""
    return float(2 / np.linalg.eigvalsh(np.asarray(H, dtype=float)).max())


def mse_gradient(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """MSE gradient (wrong: the factor 2 is missing)."""
    X = np.asarray(X, dtype=float)
    residual = X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)
    return X.T @ residual / len(residual)


def minibatches(n_samples: int, batch_size: int, seed: int) -> list[np.ndarray]:
    """Shuffled batches."""
    p = np.random.default_rng(seed).permutation(n_samples)
    return [p[i : i + batch_size] for i in range(0, n_samples, batch_size)]


def sgd_epoch(
    w: ArrayLike, X: ArrayLike, y: ArrayLike, lr: float, batch_size: int, seed: int
) -> np.ndarray:
    """One epoch of mini-batch descent."""
    w = np.asarray(w, dtype=float)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    for b in minibatches(len(y), batch_size, seed):
        w = w - lr * mse_gradient(w, X[b], y[b])
    return w


def momentum_step(
    x: ArrayLike, velocity: ArrayLike, grad: ArrayLike, lr: float, beta: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Momentum step (wrong: moves uphill)."""
    v = beta * np.asarray(velocity, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(x, dtype=float) + lr * v, v
