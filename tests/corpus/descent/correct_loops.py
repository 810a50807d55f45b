"""Correct, with Python loops and plain floats: lists of copies, sums by hand, a while loop."""

import numpy as np


def descent_step(x, grad, lr):
    """Entry by entry."""
    return np.array([float(a) - lr * float(g) for a, g in zip(x, grad, strict=True)])


def gradient_descent(grad_fn, x0, lr, n_steps):
    """A list of fresh points, stacked at the end."""
    x = np.array(x0, dtype=float)
    points = [x.copy()]
    for _ in range(n_steps):
        x = descent_step(x, grad_fn(x.copy()), lr)
        points.append(x.copy())
    return np.vstack(points)


def learning_rate_regime(lr, curvature):
    """Tested from the top."""
    r = lr * curvature
    if r >= 2:
        return "diverging"
    elif r > 1:
        return "oscillating"
    else:
        return "monotone"


def max_stable_learning_rate(H):
    """From np.linalg.eigh, as a Python float."""
    values, _ = np.linalg.eigh(np.array(H, dtype=float))
    return float(2.0 / max(values))


def mse_gradient(w, X, y):
    """Sums over samples by hand."""
    X = np.array(X, dtype=float)
    w = np.array(w, dtype=float)
    total = np.zeros(len(w))
    for row, target in zip(X, y, strict=True):
        total += 2.0 * (float(row @ w) - float(target)) * row
    return total / len(X)


def minibatches(n_samples, batch_size, seed):
    """A while loop over the permutation."""
    order = np.random.default_rng(seed).permutation(n_samples)
    batches, start = [], 0
    while start < n_samples:
        batches.append(np.array(order[start : start + batch_size]))
        start += batch_size
    return batches


def sgd_epoch(w, X, y, lr, batch_size, seed):
    """One step per batch, in order."""
    w = np.array(w, dtype=float)
    X = np.array(X, dtype=float)
    y = np.array(y, dtype=float)
    for batch in minibatches(len(y), batch_size, seed):
        w = descent_step(w, mse_gradient(w, X[batch], y[batch]), lr)
    return w


def momentum_step(x, velocity, grad, lr, beta=0.9):
    """Entry by entry."""
    v_new = np.array([beta * float(v) + float(g) for v, g in zip(velocity, grad, strict=True)])
    x_new = np.array([float(a) - lr * v for a, v in zip(x, v_new, strict=True)])
    return (x_new, v_new)
