"""Public checks of assignment `descent`: students run these themselves with `grader check`.

The worked examples of the exercise docstrings (as lists, the way they are written there), with
an mse_gradient problem where m, d and the factor 2 all show. Students receive this module without
the rest of `checks/descent/`, so it imports only `grader.authoring` and names the common
mistakes with formulas of its own.
"""

from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from grader.authoring import (
    StudentCallFailed,
    StudentProxy,
    check,
    check_array,
    check_tuple,
    fail,
    gradient_field,
    require,
    same_array,
    same_label,
    same_number,
    vector_function,
)

REGIMES = ("monotone", "oscillating", "diverging")
ASCENT = "gradient ascent instead of descent (the sign of the step)"
PARABOLA_GRADIENT = gradient_field(vector_function("x0**2", n=1))  # 2 * x, as in the docstring


def _as_float(*values: Any) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(value, dtype=float) for value in values)


# --- known wrong formulas, named as the student reads them after "This looks like" -----------


def _ascent_step(x: Any, grad: Any, lr: float) -> np.ndarray:
    x, grad = _as_float(x, grad)
    return x + lr * grad


def _path(grad_fn: Callable, x0: Any, lr: float, n_steps: int, sign: float) -> np.ndarray:
    (x,) = _as_float(x0)
    rows = [x]
    for _ in range(n_steps):
        x = x + sign * lr * np.asarray(grad_fn(x), dtype=float)
        rows.append(x)
    return np.array(rows)


TRAJECTORY_MISTAKES = {
    "an in-place update that aliases the trajectory: every row is the same array, updated after "
    "it was stored (store x.copy(), or build a new x each step)": lambda g, x0, lr, n: np.repeat(
        _path(g, x0, lr, n, -1.0)[-1:], n + 1, axis=0
    ),
    ASCENT: lambda g, x0, lr, n: _path(g, x0, lr, n, 1.0),
    "the trajectory without x0 as its first row (n_steps rows instead of n_steps + 1)": (
        lambda g, x0, lr, n: _path(g, x0, lr, n, -1.0)[1:]
    ),
}

STABLE_MISTAKES = {
    "1 / the largest eigenvalue, the factor 2 forgotten": lambda H: (
        1 / np.max(np.linalg.eigvalsh(np.asarray(H, dtype=float)))
    ),
    "2 / the smallest eigenvalue instead of the largest": lambda H: (
        2 / np.min(np.linalg.eigvalsh(np.asarray(H, dtype=float)))
    ),
    "2 / the trace of H (the sum of all eigenvalues) instead of the largest eigenvalue": lambda H: (
        2 / np.trace(np.asarray(H, dtype=float))
    ),
}


def _mse_variant(factor: float, by: str) -> Callable[..., np.ndarray]:
    """(factor / count) * X.T @ (X @ w - y), count being m, d or 1."""

    def gradient(w: Any, X: Any, y: Any) -> np.ndarray:
        w, X, y = _as_float(w, X, y)
        count = {"m": X.shape[0], "d": X.shape[1], "none": 1}[by]
        return factor / count * X.T @ (X @ w - y)

    return gradient


MSE_MISTAKES = {
    "the factor 2 forgotten (the derivative of the square)": _mse_variant(1.0, "m"),
    "the 1 / m of the mean forgotten (the gradient of the sum of squares)": _mse_variant(
        2.0, "none"
    ),
    "both the factor 2 and the 1 / m forgotten": _mse_variant(1.0, "none"),
    "the residual y - X @ w instead of X @ w - y (the sign flipped)": _mse_variant(-2.0, "m"),
    "dividing by d, the number of weights, instead of m, the number of samples": _mse_variant(
        2.0, "d"
    ),
}


def _epoch_variant(factor: float) -> Callable[..., np.ndarray]:
    """sgd_epoch with a step of factor * lr * (2 / |b|) * X[b].T @ r along the seeded batches."""

    def epoch(w: Any, X: Any, y: Any, lr: float, batch_size: int, seed: int) -> np.ndarray:
        w, X, y = _as_float(w, X, y)
        order = np.random.default_rng(seed).permutation(len(y))
        for start in range(0, len(y), batch_size):
            b = order[start : start + batch_size]
            w = w - factor * lr * (2.0 / len(b)) * X[b].T @ (X[b] @ w - y[b])
        return w

    return epoch


SGD_MISTAKES = {
    "the factor 2 of mse_gradient forgotten": _epoch_variant(0.5),
    ASCENT: _epoch_variant(-1.0),
}


def _momentum(order: str) -> Callable[..., tuple]:
    """A wrong momentum step: `order` says which formula ("swapped", "convention", ...)."""

    def step(x: Any, velocity: Any, grad: Any, lr: float, beta: float = 0.9) -> tuple:
        x, v, g = _as_float(x, velocity, grad)
        if order == "convention":
            v_new = beta * v - lr * g
            return x + v_new, v_new
        if order == "lr inside":
            v_new = beta * v + lr * g
            return x - v_new, v_new
        if order == "beta on grad":
            v_new = v + beta * g
            return x - lr * v_new, v_new
        v_new = beta * v + g
        if order == "swapped":
            return v_new, x - lr * v_new
        return x + lr * v_new, v_new  # ascent

    return step


MOMENTUM_MISTAKES = {
    "(v_new, x_new) returned in swapped order; return (x_new, v_new)": _momentum("swapped"),
    "v_new = beta * velocity - lr * grad with x_new = x + v_new, another convention than the one "
    "asked (v_new = beta * velocity + grad, x_new = x - lr * v_new)": _momentum("convention"),
    "the learning rate applied inside the velocity (v_new = beta * velocity + lr * grad)":
        _momentum("lr inside"),
    "beta applied to the gradient instead of the velocity (v_new = velocity + beta * grad)":
        _momentum("beta on grad"),
    ASCENT: _momentum("ascent"),
}  # fmt: skip


def same_momentum(student: StudentProxy, reference: ModuleType, *args: Any) -> None:
    """momentum_step's (x_new, v_new), naming the wrong formula that gives both when one does."""
    got = student.momentum_step(*args)
    call = student.last_call
    expected = reference.momentum_step(*args)
    require(check_tuple(got, 2, call=call))
    for position, (part, want) in enumerate(zip(got, expected, strict=True)):
        verdict = check_array(part, want, call=f"{call}[{position}]")
        if verdict.ok:
            continue
        for name, formula in MOMENTUM_MISTAKES.items():
            pair = zip(got, formula(*args), strict=True)
            if all(check_array(g, w, call="", rtol=1e-6).ok for g, w in pair):
                fail(f"{verdict.message} This looks like {name}.")
        require(verdict)


# --- checks ----------------------------------------------------------------------------------


def _same_batches(first: Any, second: Any) -> bool:
    """Whether two answers of one minibatches call are the same batches (or the same non-list)."""
    if not (isinstance(first, list) and isinstance(second, list)):
        return type(first) is type(second) and repr(first) == repr(second)
    return len(first) == len(second) and all(
        np.array_equal(a, b) if isinstance(a, np.ndarray) else repr(a) == repr(b)
        for a, b in zip(first, second, strict=True)
    )


def same_batches(student: StudentProxy, reference: ModuleType, *args: Any) -> None:
    """`minibatches`, asked twice: a list of integer arrays equal, batch by batch, to the
    reference's (answers that change between calls come from an unseeded shuffle)."""
    got = student.minibatches(*args)
    call = student.last_call
    again = student.minibatches(*args)
    if not _same_batches(got, again):
        fail(f"{call} was called twice and returned two different answers: its answers changed "
             "between calls with the same arguments, as an unseeded shuffle's do; draw the "
             "permutation from numpy.random.default_rng(seed).")  # fmt: skip
    expected = reference.minibatches(*args)
    if not isinstance(got, list) or len(got) != len(expected):
        fail(f"{call} should return a list of {len(expected)} integer arrays.")
    for position, (batch, want) in enumerate(zip(got, expected, strict=True)):
        if not isinstance(batch, np.ndarray) or batch.dtype.kind not in "iu":
            fail(f"{call}: batch {position} should be a numpy array of integers.")
        if not np.array_equal(batch, want):
            fail(f"{call}: batch {position} is {batch.tolist()[:10]}, expected {want.tolist()[:10]}"
                 f" (default_rng(seed).permutation(n_samples) cut in order).")  # fmt: skip


@check("descent_step")
def test_descent_step_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """descent_step([1.0, 2.0], [0.5, -1.0], 0.1) is [0.95, 2.1]."""
    same_array(student, reference, "descent_step", [1.0, 2.0], [0.5, -1.0], 0.1,
               wrong={ASCENT: _ascent_step})  # fmt: skip


@check("gradient_descent")
def test_gradient_descent_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """Three steps on x**2 from [1.0], lr = 0.25: rows 1, 0.5, 0.25, 0.125 (shape (4, 1))."""
    same_array(student, reference, "gradient_descent", PARABOLA_GRADIENT, [1.0], 0.25, 3,
               wrong=TRAJECTORY_MISTAKES)  # fmt: skip


@check("learning_rate_regime")
def test_learning_rate_regime_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """Curvature 2: lr = 0.1 "monotone", lr = 0.75 "oscillating", lr = 1 (r = 2) "diverging"."""
    for lr in (0.1, 0.75, 1.0):
        same_label(student, reference, "learning_rate_regime", lr, 2.0, vocabulary=REGIMES)


@check("max_stable_learning_rate")
def test_max_stable_learning_rate_worked_example(
    student: StudentProxy, reference: ModuleType
) -> None:
    """H = [[4, 0], [0, 1]]: 2 / 4 = 0.5."""
    same_number(student, reference, "max_stable_learning_rate", [[4, 0], [0, 1]],
                wrong=STABLE_MISTAKES)  # fmt: skip


@check("mse_gradient")
def test_mse_gradient_four_samples(student: StudentProxy, reference: ModuleType) -> None:
    """m = 4 samples and d = 3 weights, so the 2, the 1 / m and X.T all change the answer."""
    w, X, y = [0.5, -1.0, 2.0], [[1, 2, 0], [0, 1, 1], [2, 0, 1], [1, 1, 1]], [1.0, 0.0, 2.0, -1.0]
    try:
        same_array(student, reference, "mse_gradient", *_as_float(w, X, y), wrong=MSE_MISTAKES)
    except StudentCallFailed as failure:
        if "matmul" not in str(failure):
            raise
        fail(f"{str(failure).rstrip('.')}. This looks like X @ (X @ w - y) instead of "
             "X.T @ (X @ w - y), whose shapes do not fit.")  # fmt: skip


@check("minibatches")
def test_minibatches_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """minibatches(5, 2, 0) is [array([2, 4]), array([3, 0]), array([1])]."""
    same_batches(student, reference, 5, 2, 0)


@check("sgd_epoch")
def test_sgd_epoch_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """A single batch (batch_size = m = 2) is one full-batch step: [0.4, -0.8]."""
    same_array(student, reference, "sgd_epoch", [1.0, 0.0], [[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0],
               0.1, 2, 0, wrong=SGD_MISTAKES)  # fmt: skip


@check("momentum_step")
def test_momentum_step_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """momentum_step([1.0], [0.5], [2.0], 0.1) is (array([0.755]), array([2.45]))."""
    same_momentum(student, reference, [1.0], [0.5], [2.0], 0.1)
