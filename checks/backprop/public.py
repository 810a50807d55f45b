"""Public checks of assignment `backprop`: students run these themselves with `grader check`.

The worked examples of the exercise docstrings, on inputs where the commonest mistake of each
exercise gives another answer. Students receive this module without the rest of
`checks/backprop/`, so it imports only `grader.authoring` and names those mistakes with formulas
of its own.
"""

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from grader.authoring import (
    StudentProxy,
    check,
    check_array,
    check_dtype,
    check_number,
    check_tuple,
    fail,
    is_real_number,
    require,
    same_array,
    same_number,
    scalar_function,
)

# f(u) = sin(u) and g(x) = x**2: the derivative of sin(x**2) is cos(x**2) * 2x.
OUTER_SLOPE = scalar_function("cos(x)", label="df(u) = cos(u)")
INNER = scalar_function("x**2", label="g(x) = x**2")
INNER_SLOPE = scalar_function("2*x", label="dg(x) = 2*x")


def _floats(*values: Any) -> tuple[np.ndarray, ...]:
    return tuple(np.asarray(value, dtype=float) for value in values)


def _sigmoid(z: Any) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def same_parts(student: StudentProxy, reference: ModuleType, function: str, args: tuple,
               labels: Sequence[str], wrong: dict[str, Callable[..., tuple]] | None = None,
               **kwargs: Any) -> None:  # fmt: skip
    """A tuple whose parts are each the reference's, naming the mistake that gives them all."""
    got = getattr(student, function)(*args, **kwargs)
    call = student.last_call
    expected = getattr(reference, function)(*args, **kwargs)
    require(check_tuple(got, len(expected), call=call))
    for label, part, want in zip(labels, got, expected, strict=True):
        where = f"{call}: {label}"
        if is_real_number(want):
            verdict = check_number(part, float(want), call=where)
        else:
            verdict = check_array(part, want, call=where)
        if verdict.ok:
            continue
        for name, formula in (wrong or {}).items():
            pairs = zip(got, formula(*args, **kwargs), strict=True)
            if all(check_array(np.asarray(g, dtype=float), np.asarray(w), call="", rtol=1e-6).ok
                   for g, w in pairs):  # fmt: skip
                fail(f"{verdict.message} This looks like {name}.")
        require(verdict)


# --- known wrong formulas, named as the student reads them after "This looks like" -----------


def _mlp_without_activation_slope(W1: Any, b1: Any, W2: Any, b2: float, X: Any,
                                  y: Any) -> tuple:  # fmt: skip
    W1, b1, W2, X, y = _floats(W1, b1, W2, X, y)
    hidden = np.tanh(X @ W1 + b1)
    d_prediction = 2.0 * (hidden @ W2 + b2 - y) / len(y)
    d_pre = np.outer(d_prediction, W2)
    return X.T @ d_pre, d_pre.sum(axis=0), hidden.T @ d_prediction, float(d_prediction.sum())


def _mlp_summed(W1: Any, b1: Any, W2: Any, b2: float, X: Any, y: Any) -> tuple:
    W1, b1, W2, X, y = _floats(W1, b1, W2, X, y)
    hidden = np.tanh(X @ W1 + b1)
    d_prediction = 2.0 * (hidden @ W2 + b2 - y)
    d_pre = np.outer(d_prediction, W2) * (1 - hidden**2)
    return X.T @ d_pre, d_pre.sum(axis=0), hidden.T @ d_prediction, float(d_prediction.sum())


MLP_MISTAKES = {
    "the activation's derivative forgotten (no factor 1 - tanh(z)**2)":
        _mlp_without_activation_slope,
    "a sum where the loss takes a mean (the 1 / m forgotten)": _mlp_summed,
}  # fmt: skip


def _adam_uncorrected(x: Any, m: Any, v: Any, grad: Any, t: int, lr: float = 0.001,
                      beta1: float = 0.9, beta2: float = 0.999,
                      eps: float = 1e-8) -> tuple:  # fmt: skip
    x, m, v, grad = _floats(x, m, v, grad)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    return x - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new


def _adagrad_forgetting(x: Any, accum: Any, grad: Any, lr: float = 0.01,
                        eps: float = 1e-8) -> tuple:  # fmt: skip
    x, _, grad = _floats(x, accum, grad)
    return x - lr * grad / (np.sqrt(grad**2) + eps), grad**2


def _rmsprop_swapped(x: Any, sq_avg: Any, grad: Any, lr: float = 0.001, rho: float = 0.9,
                     eps: float = 1e-8) -> tuple:  # fmt: skip
    x, sq_avg, grad = _floats(x, sq_avg, grad)
    sq_new = (1 - rho) * sq_avg + rho * grad**2
    return x - lr * grad / (np.sqrt(sq_new) + eps), sq_new


CHAIN_MISTAKES = {
    "the outer derivative taken at x instead of at g(x): df(x) * dg(x)":
        lambda df, g, dg, x: df(x) * dg(x),
    "the inner derivative forgotten: df(g(x)) alone": lambda df, g, dg, x: df(g(x)),
}  # fmt: skip


def _newton_times_h(x: Any, grad: Any, H: Any) -> np.ndarray:
    x, grad, H = _floats(x, grad, H)
    return x - H @ grad


def _newton_transposed(x: Any, grad: Any, H: Any) -> np.ndarray:
    x, grad, H = _floats(x, grad, H)
    return x - np.linalg.solve(H.T, grad)


NEWTON_MISTAKES = {
    "Newton multiplying by H (x - H @ grad) instead of solving": _newton_times_h,
    "H transposed: grad @ inv(H), or solve(H.T, grad), instead of solve(H, grad)":
        _newton_transposed,
}  # fmt: skip


# --- checks ----------------------------------------------------------------------------------


@check("chain_rule_derivative")
def test_chain_rule_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """The derivative of sin(x**2) at x = 1.5 is cos(2.25) * 3."""
    same_number(student, reference, "chain_rule_derivative", OUTER_SLOPE, INNER, INNER_SLOPE,
                1.5, wrong=CHAIN_MISTAKES)  # fmt: skip


@check("sigmoid_derivative")
def test_sigmoid_derivative_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """sigmoid'(0) = 1/4, a float; an array of three numbers gives an array of three slopes;
    sigmoid'(-1000) is 0.0, a finite float (exp(1000) overflows)."""
    wrong = {"sigmoid(z) itself instead of its derivative": _sigmoid,
             "1 - s**2, the tanh's derivative formula applied to the sigmoid":
             lambda z: 1 - _sigmoid(z) ** 2}  # fmt: skip
    same_number(student, reference, "sigmoid_derivative", 0.0, wrong=wrong)
    same_array(student, reference, "sigmoid_derivative", np.array([-2.0, 0.0, 2.0]), wrong=wrong)
    same_number(student, reference, "sigmoid_derivative", -1000.0)


@check("relu_derivative")
def test_relu_derivative_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """relu_derivative([-1.5, 0.0, 2.0]) is array([0., 0., 1.]): 0 at z = 0 too; an int array
    of shape (2, 2) gives a float array of shape (2, 2)."""
    wrong = {"1 at z = 0 (z >= 0 instead of z > 0); the convention is 0 there":
             lambda z: (np.asarray(z) >= 0).astype(float),
             "the ReLU itself, max(z, 0), instead of its derivative":
             lambda z: np.maximum(np.asarray(z, dtype=float), 0.0)}  # fmt: skip
    for z in ([-1.5, 0.0, 2.0], np.array([[3, -3], [0, 1]])):
        got = same_array(student, reference, "relu_derivative", z, wrong=wrong)
        require(check_dtype(got, "f", call=student.last_call))


@check("mlp_gradients")
def test_mlp_gradients_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """The docstring's one-unit network, then one with d = 2 inputs, k = 3 hidden units and
    m = 4 samples, given as lists (where the mean and tanh's derivative show)."""
    same_parts(student, reference, "mlp_gradients", ([[0.0]], [0.0], [1.0], 0.5, [[1.0]], [0.0]),
               ("dW1", "db1", "dW2", "db2"))  # fmt: skip
    W1 = [[0.5, -0.3, 0.8], [0.2, 0.7, -0.6]]
    args = (
        W1,
        [0.1, -0.2, 0.05],
        [1.0, -0.5, 0.3],
        0.2,
        [[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7], [2.0, 1.0]],
        [1.0, 0.0, -1.0, 0.5],
    )
    same_parts(student, reference, "mlp_gradients", args, ("dW1", "db1", "dW2", "db2"),
               MLP_MISTAKES)  # fmt: skip


@check("clip_by_norm")
def test_clip_by_norm_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """[3, 4] has norm 5: clipped to norm 1 it is [0.6, 0.8]; with max_norm 10 it stays."""
    wrong = {
        "each component clipped to [-max_norm, max_norm] instead of scaling the whole "
        "vector by its norm": lambda grad, max_norm: np.clip(grad, -max_norm, max_norm),
        "always scaled to norm max_norm, even when the norm is already below it":
            lambda grad, max_norm: grad * max_norm / np.linalg.norm(grad),
    }  # fmt: skip
    same_array(student, reference, "clip_by_norm", np.array([3.0, 4.0]), 1.0, wrong=wrong)
    same_array(student, reference, "clip_by_norm", np.array([3.0, 4.0]), 10.0, wrong=wrong)


@check("adagrad_step")
def test_adagrad_step_two_steps(student: StudentProxy, reference: ModuleType) -> None:
    """The docstring's step from accum = [0, 0] with lr = 0.1, then three steps of grad [1.0]
    from x = [1.0], each from the state the step before should return: accum adds up to 3."""
    wrong = {"AdaGrad not accumulating: accum_new = grad**2, the past squares forgotten":
             _adagrad_forgetting}  # fmt: skip
    parts = ("x_new", "accum_new")
    same_parts(student, reference, "adagrad_step", ([1.0, 1.0], [0.0, 0.0], [3.0, 0.5]), parts,
               wrong, lr=0.1)  # fmt: skip
    x, accum = np.array([1.0]), np.array([0.0])
    for _ in range(3):
        same_parts(student, reference, "adagrad_step", (x, accum, np.array([1.0])), parts, wrong,
                   lr=0.1)  # fmt: skip
        x, accum = reference.adagrad_step(x, accum, np.array([1.0]), lr=0.1)


@check("rmsprop_step")
def test_rmsprop_step_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """The docstring's step from sq_avg = [0] with lr = 0.01 (sq_new = 0.1 * 2**2 = 0.4), then
    one from sq_avg = [1, 1]: sq_new = 0.9 * 1 + 0.1 * grad**2."""
    wrong = {"RMSProp's weights swapped: (1 - rho) * sq_avg + rho * grad**2": _rmsprop_swapped}
    for args in (([1.0], [0.0], [2.0], 0.01),
                 (np.array([1.0, 2.0]), np.ones(2), np.array([2.0, -0.5]), 0.01)):  # fmt: skip
        same_parts(student, reference, "rmsprop_step", args, ("x_new", "sq_new"), wrong)


@check("adam_step")
def test_adam_step_first_step(student: StudentProxy, reference: ModuleType) -> None:
    """At t = 1 from m = v = 0 the bias correction makes the step lr * grad / |grad|, about
    lr in each coordinate."""
    args = ([1.0, 1.0], [0.0, 0.0], [0.0, 0.0], [100.0, -0.5], 1)
    same_parts(student, reference, "adam_step", args, ("x_new", "m_new", "v_new"),
               {"Adam without the bias correction": _adam_uncorrected}, lr=0.1)  # fmt: skip


@check("newton_step")
def test_newton_step_worked_example(student: StudentProxy, reference: ModuleType) -> None:
    """The docstring's diagonal H, then H = [[2, 1], [0, 4]] (not symmetric) with grad = [3, 4]:
    solve(H, grad) = [1, 1], so from x = [2, 0.5] the step lands on [1, -0.5]."""
    same_array(student, reference, "newton_step", [1.0, 1.0], [2.0, 4.0],
               [[2.0, 0.0], [0.0, 4.0]], wrong=NEWTON_MISTAKES)  # fmt: skip
    same_array(student, reference, "newton_step", np.array([2.0, 0.5]), np.array([3.0, 4.0]),
               np.array([[2.0, 1.0], [0.0, 4.0]]), wrong=NEWTON_MISTAKES)  # fmt: skip
