"""Known wrong formulas of assignment `descent`, named as the student reads them.

Each `*_MISTAKES` mapping names a misconception as the student reads it after "This looks like"
and gives the wrong formula, called grader-side with the arguments of the failing call (the
contract's defaults included). The judges that compare and name are in `judges.py`; they name a
formula only where its value is apart from the right answer and from the other formulas.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from grader.authoring import wrong_formulas

from .judges import X_NOT_TRANSPOSED, floats

BETA = 0.9  # momentum_step's default, which the wrong formulas must share with the student's
ASCENT = "gradient ascent instead of descent (the sign of the step)"


# --- descent_step ----------------------------------------------------------------------------


def _ascent_step(x: Any, grad: Any, lr: float) -> np.ndarray:
    x, grad = floats(x, grad)
    return x + lr * grad


def _no_lr_step(x: Any, grad: Any, lr: float) -> np.ndarray:
    x, grad = floats(x, grad)
    return x - grad


def _lr_on_x(x: Any, grad: Any, lr: float) -> np.ndarray:
    x, grad = floats(x, grad)
    return lr * (x - grad)


STEP_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    ASCENT: _ascent_step,
    "the learning rate left out (x - grad)": _no_lr_step,
    "the learning rate applied to x as well: lr * (x - grad)": _lr_on_x,
}


# --- gradient_descent ------------------------------------------------------------------------


def _iterates(grad_fn: Callable, x0: Any, lr: float, steps: int, sign: float = -1.0,
              frozen: bool = False) -> np.ndarray:  # fmt: skip
    """steps + 1 iterates of x + sign * lr * g, with g the gradient at x (at x0 if frozen)."""
    (x,) = floats(x0)
    start = np.asarray(grad_fn(x.copy()), dtype=float)
    rows = [x]
    for _ in range(int(steps)):
        g = start if frozen else np.asarray(grad_fn(x.copy()), dtype=float)
        x = x + sign * lr * g
        rows.append(x)
    return np.array(rows)


def _aliased(grad_fn: Callable, x0: Any, lr: float, n_steps: int) -> np.ndarray:
    path = _iterates(grad_fn, x0, lr, n_steps)
    return np.repeat(path[-1:], len(path), axis=0)


def _ascent_path(grad_fn: Callable, x0: Any, lr: float, n_steps: int) -> np.ndarray:
    return _iterates(grad_fn, x0, lr, n_steps, sign=1.0)


def _without_x0(grad_fn: Callable, x0: Any, lr: float, n_steps: int) -> np.ndarray:
    return _iterates(grad_fn, x0, lr, n_steps)[1:]


def _one_too_many(grad_fn: Callable, x0: Any, lr: float, n_steps: int) -> np.ndarray:
    return _iterates(grad_fn, x0, lr, int(n_steps) + 1)


def _frozen_gradient(grad_fn: Callable, x0: Any, lr: float, n_steps: int) -> np.ndarray:
    return _iterates(grad_fn, x0, lr, n_steps, frozen=True)


def _last_only(grad_fn: Callable, x0: Any, lr: float, n_steps: int) -> np.ndarray:
    return _iterates(grad_fn, x0, lr, n_steps)[-1]


ALIASING = (
    "an in-place update that aliases the trajectory: every row is the same array, updated after "
    "it was stored (store x.copy(), or build a new x each step)"
)

TRAJECTORY_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    ALIASING: _aliased,
    ASCENT: _ascent_path,
    "the trajectory without x0 as its first row (n_steps rows instead of n_steps + 1)": _without_x0,
    "one step too many (n_steps + 1 steps after x0)": _one_too_many,
    "the gradient at x0 used for every step instead of the gradient at the current x":
        _frozen_gradient,
    "the last point only instead of the whole trajectory": _last_only,
}  # fmt: skip


# --- learning_rate_regime --------------------------------------------------------------------


def _regime(r: float, monotone_if_equal: bool = True, diverging_if_equal: bool = True) -> str:
    if r < 1 or (r == 1 and monotone_if_equal):
        return "monotone"
    if r < 2 or (r == 2 and not diverging_if_equal):
        return "oscillating"
    return "diverging"


REGIME_MISTAKES: dict[str, Callable[..., str]] = {
    "r < 1 for 'monotone', where r = 1 is 'monotone' too": lambda lr, c: _regime(
        lr * c, monotone_if_equal=False
    ),
    "r > 2 for 'diverging', where r = 2 is 'diverging' too": lambda lr, c: _regime(
        lr * c, diverging_if_equal=False
    ),
    "the curvature ignored: lr alone compared with 1 and 2": lambda lr, c: _regime(lr),
    "r = lr / curvature instead of lr * curvature": lambda lr, c: _regime(lr / c),
    "r = 2 * lr * curvature, as for curvature * x**2 without the / 2": lambda lr, c: _regime(
        2 * lr * c
    ),
    "the thresholds 1 and 2 applied to lr * curvature / 2": lambda lr, c: _regime(lr * c / 2),
}


# --- max_stable_learning_rate ----------------------------------------------------------------


def _eigenvalues(H: Any) -> np.ndarray:
    return np.linalg.eigvalsh(np.asarray(H, dtype=float))


STABLE_MISTAKES: dict[str, Callable[..., float]] = {
    "2 / the smallest eigenvalue instead of the largest": lambda H: 2 / _eigenvalues(H)[0],
    "1 / the largest eigenvalue, the factor 2 forgotten": lambda H: 1 / _eigenvalues(H)[-1],
    "2 / the trace of H (the sum of all eigenvalues) instead of the largest eigenvalue":
        lambda H: 2 / np.trace(np.asarray(H, dtype=float)),
    # On a positive-definite H the largest entry is a diagonal one: np.max(H) is this mistake.
    "2 / the largest diagonal entry of H (on a positive-definite H also its largest entry), which "
    "is the largest eigenvalue only for a diagonal H":
        lambda H: 2 / np.max(np.diag(np.asarray(H, dtype=float))),
    "the largest eigenvalue / 2, the fraction upside down": lambda H: _eigenvalues(H)[-1] / 2,
    "2 * the largest eigenvalue instead of 2 / it": lambda H: 2 * _eigenvalues(H)[-1],
    "2 / the Frobenius norm of H instead of its largest eigenvalue":
        lambda H: 2 / np.linalg.norm(np.asarray(H, dtype=float)),
    "2 / the first eigenvalue np.linalg.eigvals gives, which are not sorted (take the largest)":
        lambda H: 2 / np.real(np.linalg.eigvals(np.asarray(H, dtype=float))[0]),
}  # fmt: skip


# --- mse_gradient ----------------------------------------------------------------------------


def _residual(w: Any, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    w, X, y = floats(w, X, y)
    return X, X @ w - y


def _mse(w: Any, X: Any, y: Any, factor: float = 2.0, by: str = "m", transpose: bool = True,
         sign: float = 1.0) -> np.ndarray:  # fmt: skip
    """A variant of (factor / count) * X.T @ r, count being m, d or 1."""
    X, r = _residual(w, X, y)
    count = {"m": X.shape[0], "d": X.shape[1], "none": 1}[by]
    return sign * (factor / count) * ((X.T if transpose else X) @ r)


MSE_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    "the factor 2 forgotten (the derivative of the square)": lambda w, X, y: _mse(
        w, X, y, factor=1.0
    ),
    "the 1 / m of the mean forgotten (the gradient of the sum of squares)": lambda w, X, y: _mse(
        w, X, y, by="none"
    ),
    "both the factor 2 and the 1 / m forgotten": lambda w, X, y: _mse(w, X, y, 1.0, "none"),
    "the residual y - X @ w instead of X @ w - y (the sign flipped)": lambda w, X, y: _mse(
        w, X, y, sign=-1.0
    ),
    "dividing by d, the number of weights, instead of m, the number of samples": lambda w, X, y: (
        _mse(w, X, y, by="d")
    ),
    X_NOT_TRANSPOSED: lambda w, X, y: _mse(w, X, y, transpose=False),
}


# --- minibatches -----------------------------------------------------------------------------


def _cut(order: np.ndarray, batch_size: int) -> list[np.ndarray]:
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


def _shuffle(n_samples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).permutation(n_samples)


def _legacy(n_samples: int, batch_size: int, seed: int) -> list[np.ndarray]:
    return _cut(np.random.RandomState(seed).permutation(n_samples), batch_size)


def _unshuffled(n_samples: int, batch_size: int, seed: int) -> list[np.ndarray]:
    return _cut(np.arange(n_samples), batch_size)


def _sorted_batches(n_samples: int, batch_size: int, seed: int) -> list[np.ndarray]:
    return [np.sort(b) for b in _cut(_shuffle(n_samples, seed), batch_size)]


def _dropped_last(n_samples: int, batch_size: int, seed: int) -> list[np.ndarray]:
    return [b for b in _cut(_shuffle(n_samples, seed), batch_size) if len(b) == batch_size]


def _choice(n_samples: int, batch_size: int, seed: int) -> list[np.ndarray]:
    order = np.random.default_rng(seed).choice(n_samples, n_samples, replace=False)
    return _cut(order, batch_size)


def _split_evenly(n_samples: int, batch_size: int, seed: int) -> list[np.ndarray]:
    return np.array_split(_shuffle(n_samples, seed), math.ceil(n_samples / batch_size))


MINIBATCH_MISTAKES: dict[str, Callable[..., list[np.ndarray]]] = {
    "the legacy np.random.seed(seed) with np.random.permutation instead of "
    "np.random.default_rng(seed).permutation": _legacy,
    "no shuffle: the indices in their order 0, 1, 2, ...": _unshuffled,
    "each batch sorted after cutting; keep the order of the permutation": _sorted_batches,
    "the last, shorter batch dropped": _dropped_last,
    "default_rng(seed).choice(n_samples, n_samples, replace=False), which shuffles differently "
    "from default_rng(seed).permutation(n_samples)": _choice,
    "np.array_split into the number of batches, which evens out the sizes instead of cutting "
    "batches of batch_size": _split_evenly,
}


# --- sgd_epoch -------------------------------------------------------------------------------

Gradient = Callable[[np.ndarray, np.ndarray, np.ndarray, int], np.ndarray]


def _batch_gradient(w: np.ndarray, Xb: np.ndarray, yb: np.ndarray, m: int) -> np.ndarray:
    return (2.0 / len(yb)) * Xb.T @ (Xb @ w - yb)


def _epoch(w: Any, X: Any, y: Any, lr: float, batches: list[np.ndarray],
           gradient: Gradient = _batch_gradient, sign: float = -1.0,
           stale: bool = False) -> np.ndarray:  # fmt: skip
    """One epoch over the given batches; `stale` takes every gradient at the starting w."""
    w, X, y = floats(w, X, y)
    start = w
    for batch in batches:
        at = start if stale else w
        w = w + sign * lr * gradient(at, X[batch], y[batch], len(y))
    return w


def _sgd_variant(batches: Callable[[int, int, int], list[np.ndarray]] | None = None,
                 gradient: Gradient = _batch_gradient,
                 **options: Any) -> Callable[..., Any]:  # fmt: skip
    """An sgd_epoch with another cut of the batches, another batch gradient or step."""

    def epoch(w: Any, X: Any, y: Any, lr: float, batch_size: int, seed: int) -> np.ndarray:
        m = len(np.asarray(y))
        cut = (batches or _right_batches)(m, batch_size, seed)
        return _epoch(w, X, y, lr, cut, gradient, **options)

    return epoch


def _right_batches(n_samples: int, batch_size: int, seed: int) -> list[np.ndarray]:
    return _cut(_shuffle(n_samples, seed), batch_size)


def _full_data(w: Any, X: Any, y: Any, lr: float, batch_size: int, seed: int) -> np.ndarray:
    w, X, y = floats(w, X, y)
    for _ in _right_batches(len(y), batch_size, seed):
        w = w - lr * _batch_gradient(w, X, y, len(y))
    return w


SGD_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    "the factor 2 of mse_gradient forgotten": _sgd_variant(
        gradient=lambda w, Xb, yb, m: _batch_gradient(w, Xb, yb, m) / 2
    ),
    ASCENT: _sgd_variant(sign=1.0),
    "the whole data set's gradient at every step (X and y instead of X[b] and y[b])": _full_data,
    "every batch's gradient taken at the starting w (the steps added up, not taken in turn)":
        _sgd_variant(stale=True),
    "the batches in index order 0, 1, 2, ... instead of minibatches(len(y), batch_size, seed)":
        _sgd_variant(_unshuffled),
    "the legacy np.random.seed / np.random.permutation shuffle instead of "
    "minibatches(len(y), batch_size, seed)": _sgd_variant(_legacy),
    "the last, shorter batch left out": _sgd_variant(_dropped_last),
    "each batch's gradient divided by the number of samples m instead of the batch size":
        _sgd_variant(gradient=lambda w, Xb, yb, m: _batch_gradient(w, Xb, yb, m) * len(yb) / m),
    "the batch gradient summed over its samples instead of averaged (no 1 / batch size)":
        _sgd_variant(gradient=lambda w, Xb, yb, m: _batch_gradient(w, Xb, yb, m) * len(yb)),
}  # fmt: skip


# --- momentum_step ---------------------------------------------------------------------------


def _momentum(x: Any, velocity: Any, grad: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return floats(x, velocity, grad)


def _minus_lr_velocity(x: Any, velocity: Any, grad: Any, lr: float,
                       beta: float = BETA) -> tuple:  # fmt: skip
    x, v, g = _momentum(x, velocity, grad)
    v_new = beta * v - lr * g
    return x + v_new, v_new


def _lr_inside(x: Any, velocity: Any, grad: Any, lr: float, beta: float = BETA) -> tuple:
    x, v, g = _momentum(x, velocity, grad)
    v_new = beta * v + lr * g
    return x - v_new, v_new


def _beta_on_grad(x: Any, velocity: Any, grad: Any, lr: float, beta: float = BETA) -> tuple:
    x, v, g = _momentum(x, velocity, grad)
    v_new = v + beta * g
    return x - lr * v_new, v_new


def _swapped(x: Any, velocity: Any, grad: Any, lr: float, beta: float = BETA) -> tuple:
    x, v, g = _momentum(x, velocity, grad)
    v_new = beta * v + g
    return v_new, x - lr * v_new


def _ascent_momentum(x: Any, velocity: Any, grad: Any, lr: float, beta: float = BETA) -> tuple:
    x, v, g = _momentum(x, velocity, grad)
    v_new = beta * v + g
    return x + lr * v_new, v_new


def _old_velocity(x: Any, velocity: Any, grad: Any, lr: float, beta: float = BETA) -> tuple:
    x, v, g = _momentum(x, velocity, grad)
    return x - lr * v, beta * v + g


def _average(x: Any, velocity: Any, grad: Any, lr: float, beta: float = BETA) -> tuple:
    x, v, g = _momentum(x, velocity, grad)
    v_new = beta * v + (1 - beta) * g
    return x - lr * v_new, v_new


def _no_memory(x: Any, velocity: Any, grad: Any, lr: float, beta: float = BETA) -> tuple:
    x, g = floats(x, grad)
    return x - lr * g, g


MOMENTUM_MISTAKES: dict[str, Callable[..., tuple]] = {
    "(v_new, x_new) returned in swapped order; return (x_new, v_new)": _swapped,
    "v_new = beta * velocity - lr * grad with x_new = x + v_new, another convention than the one "
    "asked (v_new = beta * velocity + grad, x_new = x - lr * v_new)": _minus_lr_velocity,
    "the learning rate applied inside the velocity (v_new = beta * velocity + lr * grad)":
        _lr_inside,
    "beta applied to the gradient instead of the velocity (v_new = velocity + beta * grad)":
        _beta_on_grad,
    ASCENT: _ascent_momentum,
    "the step taken with the old velocity (x - lr * velocity) instead of v_new": _old_velocity,
    "an average v_new = beta * velocity + (1 - beta) * grad instead of beta * velocity + grad":
        _average,
    "the velocity ignored (plain gradient descent, as if beta were 0)": _no_memory,
}  # fmt: skip


# The named wrong formulas of each exercise, declared for `grader validate`: it grades the
# reference with the exercise replaced by each one, and asks that a check name it.
wrong_formulas("descent_step", STEP_MISTAKES)
wrong_formulas("gradient_descent", TRAJECTORY_MISTAKES)
wrong_formulas("learning_rate_regime", REGIME_MISTAKES)
wrong_formulas("max_stable_learning_rate", STABLE_MISTAKES)
wrong_formulas("mse_gradient", MSE_MISTAKES)
wrong_formulas("minibatches", MINIBATCH_MISTAKES)
wrong_formulas("sgd_epoch", SGD_MISTAKES)
wrong_formulas("momentum_step", MOMENTUM_MISTAKES)
