"""Bob's assignment 4, with typical mistakes.

Mistakes, on purpose:
- chain_rule_derivative takes the outer derivative at x instead of at g(x): df(x) * dg(x);
- mlp_gradients sums over the samples where the loss takes the mean (the 1 / m forgotten:
  every gradient m times too large);
- clip_by_norm clips each component to [-max_norm, max_norm], which turns the direction;
- adam_step leaves out the bias correction, so its first steps are too long.
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def sigmoid(z: ArrayLike) -> float | np.ndarray:
    """The given sigmoid."""
    z = np.asarray(z, dtype=float)
    small = np.exp(-np.abs(z))
    value = np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))
    return float(value) if value.ndim == 0 else value


def mlp_loss(
    W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: float, X: ArrayLike, y: ArrayLike
) -> float:
    """The given loss."""
    hidden = np.tanh(np.asarray(X, dtype=float) @ np.asarray(W1, dtype=float)
                     + np.asarray(b1, dtype=float))  # fmt: skip
    prediction = hidden @ np.asarray(W2, dtype=float) + float(b2)
    return float(np.mean((prediction - np.asarray(y, dtype=float)) ** 2))


def chain_rule_derivative(
    df: Callable[[float], float], g: Callable[[float], float], dg: Callable[[float], float],
    x: float,
) -> float:  # fmt: skip
    """Chain rule (wrong: the outer derivative is taken at x, not at g(x))."""
    return float(df(x) * dg(x))


def sigmoid_derivative(z: ArrayLike) -> float | np.ndarray:
    """s * (1 - s)."""
    s = sigmoid(z)
    return s * (1 - s)


def relu_derivative(z: ArrayLike) -> np.ndarray:
    """1 where z is positive."""
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, 0.0)


def mlp_gradients(
    W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: float, X: ArrayLike, y: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Backpropagation (wrong: a sum over the samples instead of the mean)."""
    X = np.asarray(X, dtype=float)
    W2 = np.asarray(W2, dtype=float)
    a = np.tanh(X @ np.asarray(W1, dtype=float) + np.asarray(b1, dtype=float))
    dp = 2 * (a @ W2 + b2 - np.asarray(y, dtype=float))
    dz = np.outer(dp, W2) * (1 - a**2)
    return X.T @ dz, dz.sum(axis=0), a.T @ dp, float(dp.sum())


def clip_by_norm(grad: ArrayLike, max_norm: float) -> np.ndarray:
    """Clipping (wrong: each component on its own, not the norm)."""
    return np.clip(np.asarray(grad, dtype=float), -max_norm, max_norm)


def adagrad_step(
    x: ArrayLike, accum: ArrayLike, grad: ArrayLike, lr: float = 0.01, eps: float = 1e-8
) -> tuple[np.ndarray, np.ndarray]:
    """AdaGrad."""
    grad = np.asarray(grad, dtype=float)
    accum = np.asarray(accum, dtype=float) + grad**2
    return np.asarray(x, dtype=float) - lr * grad / (np.sqrt(accum) + eps), accum


def rmsprop_step(
    x: ArrayLike, sq_avg: ArrayLike, grad: ArrayLike, lr: float = 0.001, rho: float = 0.9,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """RMSProp."""
    grad = np.asarray(grad, dtype=float)
    sq = rho * np.asarray(sq_avg, dtype=float) + (1 - rho) * grad**2
    return np.asarray(x, dtype=float) - lr * grad / (np.sqrt(sq) + eps), sq


def adam_step(
    x: ArrayLike, m: ArrayLike, v: ArrayLike, grad: ArrayLike, t: int, lr: float = 0.001,
    beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Adam (wrong: no bias correction)."""
    grad = np.asarray(grad, dtype=float)
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad**2
    return np.asarray(x, dtype=float) - lr * m / (np.sqrt(v) + eps), m, v


def newton_step(x: ArrayLike, grad: ArrayLike, H: ArrayLike) -> np.ndarray:
    """x - H^-1 grad, by a solve."""
    return np.asarray(x, dtype=float) - np.linalg.solve(np.asarray(H, dtype=float), grad)
