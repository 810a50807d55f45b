"""Correct in other valid forms: in-place updates of private copies, the spectral norm, .dot."""

import numpy as np


def descent_step(x, grad, lr):
    """A copy of x, updated in place."""
    new = np.array(x, dtype=float, copy=True)
    new -= lr * np.asarray(grad, dtype=float)
    return new


def gradient_descent(grad_fn, x0, lr, n_steps):
    """One private x updated in place, copied into the rows."""
    x = np.array(x0, dtype=float)
    rows = np.empty((n_steps + 1, x.size))
    rows[0] = x
    for k in range(1, n_steps + 1):
        x -= lr * np.asarray(grad_fn(x.copy()), dtype=float)
        rows[k, :] = x
    return rows


def learning_rate_regime(lr, curvature):
    """A table of upper bounds."""
    r = float(lr) * float(curvature)
    for label, bound in (("monotone", 1.0), ("oscillating", 2.0)):
        if r <= bound and not (label == "oscillating" and r == bound):
            return label
    return "diverging"


def max_stable_learning_rate(H):
    """For a symmetric positive-definite H, the spectral norm is its largest eigenvalue."""
    return 2.0 / np.linalg.norm(np.asarray(H, dtype=float), 2)


def mse_gradient(w, X, y):
    """X.T.dot(residuals) * 2 / m."""
    X = np.asarray(X, dtype=float)
    residuals = X.dot(np.asarray(w, dtype=float)) - np.asarray(y, dtype=float)
    return X.T.dot(residuals) * 2.0 / len(residuals)


def minibatches(n_samples, batch_size, seed):
    """Generator.shuffle of arange, the same order as permutation."""
    order = np.arange(n_samples)
    np.random.default_rng(seed).shuffle(order)
    return list(order[i : i + batch_size] for i in range(0, n_samples, batch_size))


def sgd_epoch(w, X, y, lr, batch_size, seed):
    """A private copy of w, updated in place."""
    w = np.array(w, dtype=float, copy=True)
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    for batch in minibatches(y.shape[0], batch_size, seed):
        w -= lr * mse_gradient(w, X[batch], y[batch])
    return w


def momentum_step(x, velocity, grad, lr, beta=0.9):
    """np.add and np.subtract into new arrays."""
    v_new = np.add(np.multiply(beta, velocity), np.asarray(grad, dtype=float))
    return np.subtract(np.asarray(x, dtype=float), lr * v_new), v_new
