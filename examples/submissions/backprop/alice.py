"""Alice's assignment 4: every answer right, backpropagating one sample at a time with a loop,
the sigmoid's derivative through tanh, and the RMSProp average moved towards each new square."""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def sigmoid(z: ArrayLike) -> float | np.ndarray:
    """The given sigmoid, 1 / (1 + exp(-z)) without overflow."""
    z = np.asarray(z, dtype=float)
    small = np.exp(-np.abs(z))
    value = np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))
    return float(value) if value.ndim == 0 else value


def mlp_loss(
    W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: float, X: ArrayLike, y: ArrayLike
) -> float:
    """The given loss of the tanh network."""
    hidden = np.tanh(np.asarray(X, dtype=float) @ np.asarray(W1, dtype=float)
                     + np.asarray(b1, dtype=float))  # fmt: skip
    prediction = hidden @ np.asarray(W2, dtype=float) + float(b2)
    return float(np.mean((prediction - np.asarray(y, dtype=float)) ** 2))


def chain_rule_derivative(
    df: Callable[[float], float], g: Callable[[float], float], dg: Callable[[float], float],
    x: float,
) -> float:  # fmt: skip
    """Evaluate the inner function first, then the outer derivative there."""
    inner = g(float(x))
    return float(df(inner)) * float(dg(float(x)))


def sigmoid_derivative(z: ArrayLike) -> float | np.ndarray:
    """s(z) = (1 + tanh(z / 2)) / 2, so s'(z) = (1 - tanh(z / 2)**2) / 4: finite everywhere."""
    half = np.tanh(np.asarray(z, dtype=float) / 2.0)
    slope = 0.25 * (1.0 - half * half)
    return float(slope) if slope.ndim == 0 else slope


def relu_derivative(z: ArrayLike) -> np.ndarray:
    """The step function, with the value 0 at z = 0."""
    return np.heaviside(np.asarray(z, dtype=float), 0.0)


def mlp_gradients(
    W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: float, X: ArrayLike, y: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Backpropagate each sample's share of the mean and add the shares up."""
    W1, b1, W2 = (np.asarray(a, dtype=float) for a in (W1, b1, W2))
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n_samples = len(y)
    dW1, db1, dW2, db2 = np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), 0.0
    for features, target in zip(X, y, strict=True):
        activation = np.tanh(features @ W1 + b1)  # (k,)
        error = activation @ W2 + float(b2) - target
        d_prediction = 2.0 * error / n_samples
        db2 += d_prediction
        dW2 += d_prediction * activation
        d_pre = d_prediction * W2 * (1.0 - activation**2)  # (k,)
        db1 += d_pre
        dW1 += np.outer(features, d_pre)
    return dW1, db1, dW2, float(db2)


def clip_by_norm(grad: ArrayLike, max_norm: float) -> np.ndarray:
    """Leave a gradient no longer than max_norm alone (zero included); shorten a longer one."""
    grad = np.array(grad, dtype=float)
    length = np.sqrt(np.sum(grad**2))
    if length <= max_norm:
        return grad
    return grad * (max_norm / length)


def adagrad_step(
    x: ArrayLike, accum: ArrayLike, grad: ArrayLike, lr: float = 0.01, eps: float = 1e-8
) -> tuple[np.ndarray, np.ndarray]:
    """Add this gradient's square to the sum, then scale the step by the root of the sum."""
    grad = np.asarray(grad, dtype=float)
    total = np.add(accum, np.square(grad))
    step = lr * grad / (np.sqrt(total) + eps)
    return np.subtract(x, step), total


def rmsprop_step(
    x: ArrayLike, sq_avg: ArrayLike, grad: ArrayLike, lr: float = 0.001, rho: float = 0.9,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Move the average a fraction 1 - rho of the way towards grad**2, then step."""
    grad = np.asarray(grad, dtype=float)
    sq_avg = np.asarray(sq_avg, dtype=float)
    average = sq_avg + (1.0 - rho) * (grad**2 - sq_avg)
    return np.asarray(x, dtype=float) - lr * grad / (np.sqrt(average) + eps), average


def adam_step(
    x: ArrayLike, m: ArrayLike, v: ArrayLike, grad: ArrayLike, t: int, lr: float = 0.001,
    beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Both moments as moving averages, each divided by 1 - beta**t before the step."""
    grad = np.asarray(grad, dtype=float)
    first = beta1 * np.asarray(m, dtype=float) + (1.0 - beta1) * grad
    second = beta2 * np.asarray(v, dtype=float) + (1.0 - beta2) * grad**2
    first_hat = first / (1.0 - beta1**t)
    second_hat = second / (1.0 - beta2**t)
    x_new = np.asarray(x, dtype=float) - lr * first_hat / (np.sqrt(second_hat) + eps)
    return x_new, first, second


def newton_step(x: ArrayLike, grad: ArrayLike, H: ArrayLike) -> np.ndarray:
    """Solve H d = grad for the step d, then move by -d."""
    direction = np.linalg.solve(np.asarray(H, dtype=float), np.asarray(grad, dtype=float))
    return np.asarray(x, dtype=float) - direction
