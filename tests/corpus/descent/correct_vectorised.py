"""Correct, vectorised: numpy throughout, np.float64 results, np.split for the batches, r @ X."""

import numpy as np


def descent_step(x, grad, lr):
    """x - lr * grad."""
    return np.asarray(x, dtype=float) - lr * np.asarray(grad, dtype=float)


def gradient_descent(grad_fn, x0, lr, n_steps):
    """Preallocated trajectory, x0 first."""
    path = np.zeros((n_steps + 1, np.size(x0)))
    path[0] = x0
    for k in range(n_steps):
        path[k + 1] = path[k] - lr * np.asarray(grad_fn(path[k].copy()), dtype=float)
    return path


def learning_rate_regime(lr, curvature):
    """From r = lr * curvature."""
    r = np.float64(lr) * np.float64(curvature)
    return ("monotone", "oscillating", "diverging")[int(r > 1) + int(r >= 2)]


def max_stable_learning_rate(H):
    """2 / the largest eigenvalue, as np.float64."""
    return 2 / np.linalg.eigvalsh(np.asarray(H, dtype=float)).max()


def mse_gradient(w, X, y):
    """The residuals times X, averaged."""
    X = np.asarray(X, dtype=float)
    r = X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)
    return 2 * (r @ X) / X.shape[0]


def minibatches(n_samples, batch_size, seed):
    """np.split at multiples of batch_size."""
    p = np.random.default_rng(seed).permutation(n_samples)
    return np.split(p, np.arange(batch_size, n_samples, batch_size))


def sgd_epoch(w, X, y, lr, batch_size, seed):
    """One step per batch, in order."""
    w, X, y = (np.asarray(a, dtype=float) for a in (w, X, y))
    for b in minibatches(len(y), batch_size, seed):
        w = w - lr * mse_gradient(w, X[b], y[b])
    return w


def momentum_step(x, velocity, grad, lr, beta=0.9):
    """(x_new, v_new)."""
    v = beta * np.asarray(velocity, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(x, dtype=float) - lr * v, v
