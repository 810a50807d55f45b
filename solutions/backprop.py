"""Reference solutions for assignment 4, backprop: the trusted answers the grader compares with.

Same names and signatures as exercises/backprop.py; the contract is CURRICULUM.md.
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def _vector(x: ArrayLike) -> np.ndarray:
    """A float copy of x, so that the caller's array is never written to."""
    return np.array(x, dtype=float)


def _number_or_array(value: np.ndarray) -> float | np.ndarray:
    """A 0-d result as a Python float, anything else as the array itself."""
    return float(value) if value.ndim == 0 else value


def sigmoid(z: ArrayLike) -> float | np.ndarray:
    """Given: 1 / (1 + exp(-z)) elementwise, identical to the stub's (no overflow for any z)."""
    z = np.asarray(z, dtype=float)
    small = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return _number_or_array(np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small)))


def mlp_loss(
    W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: float, X: ArrayLike, y: ArrayLike
) -> float:
    """Given: mean((tanh(X @ W1 + b1) @ W2 + b2 - y) ** 2), identical to the stub's."""
    hidden = np.tanh(_vector(X) @ _vector(W1) + _vector(b1))
    return float(np.mean((hidden @ _vector(W2) + float(b2) - _vector(y)) ** 2))


def chain_rule_derivative(
    df: Callable[[float], float], g: Callable[[float], float], dg: Callable[[float], float],
    x: float,
) -> float:  # fmt: skip
    """Reference: df(g(x)) * dg(x), the derivative of f(g(x)) at x."""
    x = float(x)
    return float(df(g(x)) * dg(x))


def sigmoid_derivative(z: ArrayLike) -> float | np.ndarray:
    """Reference: s * (1 - s) with s = sigmoid(z), written as e / (1 + e)**2 with e = exp(-|z|),
    which is the same number, finite for every z and exact in the tails where 1 - s rounds to 0."""
    small = np.exp(-np.abs(np.asarray(z, dtype=float)))
    return _number_or_array(small / (1.0 + small) ** 2)


def relu_derivative(z: ArrayLike) -> np.ndarray:
    """Reference: a float array of z's shape, 1.0 where z > 0 and 0.0 elsewhere (z = 0 too)."""
    return (np.asarray(z, dtype=float) > 0).astype(float)


def mlp_gradients(
    W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: float, X: ArrayLike, y: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Reference: (dW1, db1, dW2, db2), the gradients of `mlp_loss` by backpropagation."""
    W1, b1, W2, X, y = _vector(W1), _vector(b1), _vector(W2), _vector(X), _vector(y)
    hidden = np.tanh(X @ W1 + b1)  # (m, k)
    residual = hidden @ W2 + float(b2) - y  # (m,)
    d_prediction = 2.0 * residual / len(y)  # d loss / d prediction, the mean's 1/m included
    d_pre_activation = np.outer(d_prediction, W2) * (1.0 - hidden**2)  # tanh' = 1 - tanh**2
    return (
        X.T @ d_pre_activation,
        d_pre_activation.sum(axis=0),
        hidden.T @ d_prediction,
        float(d_prediction.sum()),
    )


def clip_by_norm(grad: ArrayLike, max_norm: float) -> np.ndarray:
    """Reference: grad scaled to norm max_norm when its norm exceeds it, else a copy of grad."""
    grad = _vector(grad)
    norm = float(np.linalg.norm(grad))
    if norm > max_norm:
        return grad * (float(max_norm) / norm)
    return grad


def adagrad_step(
    x: ArrayLike, accum: ArrayLike, grad: ArrayLike, lr: float = 0.01, eps: float = 1e-8
) -> tuple[np.ndarray, np.ndarray]:
    """Reference: accum_new = accum + grad**2, x_new = x - lr * grad / (sqrt(accum_new) + eps)."""
    grad = _vector(grad)
    accum_new = _vector(accum) + grad**2
    return _vector(x) - float(lr) * grad / (np.sqrt(accum_new) + float(eps)), accum_new


def rmsprop_step(
    x: ArrayLike, sq_avg: ArrayLike, grad: ArrayLike, lr: float = 0.001, rho: float = 0.9,
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Reference: sq_new = rho * sq_avg + (1 - rho) * grad**2,
    x_new = x - lr * grad / (sqrt(sq_new) + eps)."""
    grad, rho = _vector(grad), float(rho)
    sq_new = rho * _vector(sq_avg) + (1.0 - rho) * grad**2
    return _vector(x) - float(lr) * grad / (np.sqrt(sq_new) + float(eps)), sq_new


def adam_step(
    x: ArrayLike, m: ArrayLike, v: ArrayLike, grad: ArrayLike, t: int, lr: float = 0.001,
    beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Reference: Adam's moments and bias-corrected step for step number t >= 1 (the contract
    asks nothing of t < 1, so no guard: its mutants could not be told apart)."""
    grad, beta1, beta2 = _vector(grad), float(beta1), float(beta2)
    m_new = beta1 * _vector(m) + (1.0 - beta1) * grad
    v_new = beta2 * _vector(v) + (1.0 - beta2) * grad**2
    m_hat = m_new / (1.0 - beta1 ** int(t))
    v_hat = v_new / (1.0 - beta2 ** int(t))
    return _vector(x) - float(lr) * m_hat / (np.sqrt(v_hat) + float(eps)), m_new, v_new


def newton_step(x: ArrayLike, grad: ArrayLike, H: ArrayLike) -> np.ndarray:
    """Reference: x - solve(H, grad), the Newton update for an invertible H."""
    return _vector(x) - np.linalg.solve(_vector(H), _vector(grad))
