"""The checks of assignment `backprop`, graded by the real engine (sandbox, public and hidden).

Each wrong submission is the reference solution with one exercise rewritten the way a student
makes one mistake of CURRICULUM.md's list (or another one found while writing the checks). It
must lose points on that exercise only, a failing check must name the mistake, and no failing
check may name another one. Right answers written in other styles (loops, `np.where`, a 0-d array
or a numpy scalar for a number, `inv(H) @ grad`, float32 where the answer is exact) keep full
marks. The inputs of the hidden checks are tested too: on them, the wrong formulas of each
exercise give answers apart from the right one.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, by_student, check_file, reference_source

from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.results import SubmissionResult
from grader.grading.run import grade

known = check_file("backprop", "known")
judges = check_file("backprop", "judges")
network_judges = check_file("backprop", "network_judges")
hidden = check_file("backprop", "hidden")
COURSE = load_course(REPO / "course.toml")
ASSIGNMENT = COURSE.assignment("backprop")
# What the generic hints say when no named mistake matches: allowed next to the named one.
RELATIONS = ("opposite sign", "factor of", "transpose", "zeros where", "different order",
             "in shape")  # fmt: skip

# student -> (exercise, a phrase of the mistake's name, the function as the student wrote it)
WRONG = {
    "chain_outer_at_x": (
        "chain_rule_derivative",
        "outer derivative taken at x",
        """
        def chain_rule_derivative(df, g, dg, x):
            return df(x) * dg(x)
    """,
    ),
    "chain_inner_forgotten": (
        "chain_rule_derivative",
        "inner derivative forgotten",
        """
        def chain_rule_derivative(df, g, dg, x):
            return df(g(x))
    """,
    ),
    "chain_sum": (
        "chain_rule_derivative",
        "a sum where the chain rule multiplies",
        """
        def chain_rule_derivative(df, g, dg, x):
            return df(g(x)) + dg(x)
    """,
    ),
    "sigmoid_itself": (
        "sigmoid_derivative",
        "sigmoid(z) itself",
        """
        def sigmoid_derivative(z):
            return sigmoid(z)
    """,
    ),
    "sigmoid_overflowing": (
        "sigmoid_derivative",
        "overflows to inf for very negative z",
        """
        def sigmoid_derivative(z):
            e = np.exp(-np.asarray(z, dtype=float))
            value = e / (1 + e) ** 2
            return float(value) if value.ndim == 0 else value
    """,
    ),
    "sigmoid_tanh_formula": (
        "sigmoid_derivative",
        "1 - s**2",
        """
        def sigmoid_derivative(z):
            s = sigmoid(z)
            return 1 - s ** 2
    """,
    ),
    "sigmoid_one_element_array": (
        "sigmoid_derivative",
        "shape (1,), expected a single number",
        """
        def sigmoid_derivative(z):
            s = np.atleast_1d(sigmoid(z))
            return s * (1 - s)
    """,
    ),
    "relu_one_at_zero": (
        "relu_derivative",
        "1 at z = 0",
        """
        def relu_derivative(z):
            return (np.asarray(z, dtype=float) >= 0).astype(float)
    """,
    ),
    "relu_booleans": (
        "relu_derivative",
        "kept as booleans",
        """
        def relu_derivative(z):
            return np.asarray(z) > 0
    """,
    ),
    "relu_integers": (
        "relu_derivative",
        "kept as integers",
        """
        def relu_derivative(z):
            return (np.asarray(z) > 0).astype(int)
    """,
    ),
    "relu_itself": (
        "relu_derivative",
        "the ReLU itself",
        """
        def relu_derivative(z):
            return np.maximum(np.asarray(z, dtype=float), 0.0)
    """,
    ),
    "mlp_no_activation_slope": (
        "mlp_gradients",
        "activation's derivative forgotten",
        """
        def mlp_gradients(W1, b1, W2, b2, X, y):
            X, W1, W2 = np.asarray(X, float), np.asarray(W1, float), np.asarray(W2, float)
            a = np.tanh(X @ W1 + np.asarray(b1, float))
            dp = 2 * (a @ W2 + b2 - np.asarray(y, float)) / len(y)
            dz = np.outer(dp, W2)
            return X.T @ dz, dz.sum(axis=0), a.T @ dp, float(dp.sum())
    """,
    ),
    "mlp_sigmoid_slope": (
        "mlp_gradients",
        "the sigmoid's derivative h * (1 - h)",
        """
        def mlp_gradients(W1, b1, W2, b2, X, y):
            X, W1, W2 = np.asarray(X, float), np.asarray(W1, float), np.asarray(W2, float)
            a = np.tanh(X @ W1 + np.asarray(b1, float))
            dp = 2 * (a @ W2 + b2 - np.asarray(y, float)) / len(y)
            dz = np.outer(dp, W2) * a * (1 - a)
            return X.T @ dz, dz.sum(axis=0), a.T @ dp, float(dp.sum())
    """,
    ),
    "mlp_sum_not_mean": (
        "mlp_gradients",
        "a sum where the loss takes a mean",
        """
        def mlp_gradients(W1, b1, W2, b2, X, y):
            X, W1, W2 = np.asarray(X, float), np.asarray(W1, float), np.asarray(W2, float)
            a = np.tanh(X @ W1 + np.asarray(b1, float))
            dp = 2 * (a @ W2 + b2 - np.asarray(y, float))
            dz = np.outer(dp, W2) * (1 - a ** 2)
            return X.T @ dz, dz.sum(axis=0), a.T @ dp, float(dp.sum())
    """,
    ),
    "mlp_no_two": (
        "mlp_gradients",
        "factor 2 of the square forgotten",
        """
        def mlp_gradients(W1, b1, W2, b2, X, y):
            X, W1, W2 = np.asarray(X, float), np.asarray(W1, float), np.asarray(W2, float)
            a = np.tanh(X @ W1 + np.asarray(b1, float))
            dp = (a @ W2 + b2 - np.asarray(y, float)) / len(y)
            dz = np.outer(dp, W2) * (1 - a ** 2)
            return X.T @ dz, dz.sum(axis=0), a.T @ dp, float(dp.sum())
    """,
    ),
    "mlp_transposed_w1": (
        "mlp_gradients",
        "dW1 transposed",
        """
        def mlp_gradients(W1, b1, W2, b2, X, y):
            X, W1, W2 = np.asarray(X, float), np.asarray(W1, float), np.asarray(W2, float)
            a = np.tanh(X @ W1 + np.asarray(b1, float))
            dp = 2 * (a @ W2 + b2 - np.asarray(y, float)) / len(y)
            dz = np.outer(dp, W2) * (1 - a ** 2)
            return dz.T @ X, dz.sum(axis=0), a.T @ dp, float(dp.sum())
    """,
    ),
    "clip_each_component": (
        "clip_by_norm",
        "each component clipped",
        """
        def clip_by_norm(grad, max_norm):
            return np.clip(np.asarray(grad, dtype=float), -max_norm, max_norm)
    """,
    ),
    "clip_always_scaled": (
        "clip_by_norm",
        "always scaled to norm max_norm",
        """
        def clip_by_norm(grad, max_norm):
            grad = np.asarray(grad, dtype=float)
            return grad * max_norm / np.linalg.norm(grad)
    """,
    ),
    "clip_at_equal_norm": (
        "clip_by_norm",
        "norm >= max_norm",
        """
        def clip_by_norm(grad, max_norm):
            grad = np.asarray(grad, dtype=float)
            norm = np.linalg.norm(grad)
            if norm >= max_norm:
                return grad * max_norm / norm
            return grad.copy()
    """,
    ),
    "clip_returns_grad_itself": (
        "clip_by_norm",
        "grad itself returned instead of a float copy",
        """
        def clip_by_norm(grad, max_norm):
            norm = np.linalg.norm(grad)
            if norm > max_norm:
                return np.asarray(grad) * (max_norm / norm)
            return np.asarray(grad)
    """,
    ),
    "clip_in_place": (
        "clip_by_norm",
        "changed grad in place",
        """
        def clip_by_norm(grad, max_norm):
            grad = np.asarray(grad, dtype=float)
            norm = np.linalg.norm(grad)
            if norm > max_norm:
                grad *= max_norm / norm
            return grad.copy()
    """,
    ),
    "adagrad_not_accumulating": (
        "adagrad_step",
        "AdaGrad not accumulating",
        """
        def adagrad_step(x, accum, grad, lr=0.01, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            accum_new = grad ** 2
            return np.asarray(x, dtype=float) - lr * grad / (np.sqrt(accum_new) + eps), accum_new
    """,
    ),
    "adagrad_no_root": (
        "adagrad_step",
        "square root forgotten",
        """
        def adagrad_step(x, accum, grad, lr=0.01, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            accum_new = np.asarray(accum, dtype=float) + grad ** 2
            return np.asarray(x, dtype=float) - lr * grad / (accum_new + eps), accum_new
    """,
    ),
    "adagrad_lr_ignored": (
        "adagrad_step",
        "the given lr ignored",
        """
        def adagrad_step(x, accum, grad, lr=0.01, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            accum_new = np.asarray(accum, dtype=float) + grad ** 2
            return np.asarray(x, dtype=float) - 0.01 * grad / (np.sqrt(accum_new) + eps), accum_new
    """,
    ),
    "adagrad_in_place": (
        "adagrad_step",
        "changed accum in place",
        """
        def adagrad_step(x, accum, grad, lr=0.01, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            accum = np.asarray(accum, dtype=float)
            accum += grad ** 2
            return np.asarray(x, dtype=float) - lr * grad / (np.sqrt(accum) + eps), accum.copy()
    """,
    ),
    "rmsprop_weights_swapped": (
        "rmsprop_step",
        "RMSProp's weights swapped",
        """
        def rmsprop_step(x, sq_avg, grad, lr=0.001, rho=0.9, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            sq_new = (1 - rho) * np.asarray(sq_avg, dtype=float) + rho * grad ** 2
            return np.asarray(x, dtype=float) - lr * grad / (np.sqrt(sq_new) + eps), sq_new
    """,
    ),
    "rmsprop_rho_ignored": (
        "rmsprop_step",
        "the given rho ignored",
        """
        def rmsprop_step(x, sq_avg, grad, lr=0.001, rho=0.9, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            sq_new = 0.9 * np.asarray(sq_avg, dtype=float) + 0.1 * grad ** 2
            return np.asarray(x, dtype=float) - lr * grad / (np.sqrt(sq_new) + eps), sq_new
    """,
    ),
    "rmsprop_eps_inside": (
        "rmsprop_step",
        "eps inside the square root",
        """
        def rmsprop_step(x, sq_avg, grad, lr=0.001, rho=0.9, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            sq_new = rho * np.asarray(sq_avg, dtype=float) + (1 - rho) * grad ** 2
            return np.asarray(x, dtype=float) - lr * grad / np.sqrt(sq_new + eps), sq_new
    """,
    ),
    "adam_no_bias_correction": (
        "adam_step",
        "without the bias correction",
        """
        def adam_step(x, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            m_new = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
            v_new = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad ** 2
            return np.asarray(x, dtype=float) - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new
    """,
    ),
    "adam_steps_from_zero": (
        "adam_step",
        "steps counted from 0",
        """
        def adam_step(x, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            m_new = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
            v_new = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad ** 2
            m_hat = m_new / (1 - beta1 ** (t + 1))
            v_hat = v_new / (1 - beta2 ** (t + 1))
            return np.asarray(x, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
    """,
    ),
    "adam_no_root": (
        "adam_step",
        "Adam without the square root",
        """
        def adam_step(x, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            m_new = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
            v_new = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad ** 2
            m_hat = m_new / (1 - beta1 ** t)
            v_hat = v_new / (1 - beta2 ** t)
            return np.asarray(x, dtype=float) - lr * m_hat / (v_hat + eps), m_new, v_new
    """,
    ),
    "adam_corrected_state": (
        "adam_step",
        "the corrected m_hat and v_hat returned",
        """
        def adam_step(x, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            m = (beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad) / (1 - beta1 ** t)
            v = (beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad ** 2) / (1 - beta2 ** t)
            return np.asarray(x, dtype=float) - lr * m / (np.sqrt(v) + eps), m, v
    """,
    ),
    "newton_times_h": (
        "newton_step",
        "multiplying by H",
        """
        def newton_step(x, grad, H):
            return np.asarray(x, dtype=float) - np.asarray(H, float) @ np.asarray(grad, float)
    """,
    ),
    "newton_transposed": (
        "newton_step",
        "H transposed",
        """
        def newton_step(x, grad, H):
            step = np.asarray(grad, float) @ np.linalg.inv(np.asarray(H, float))
            return np.asarray(x, dtype=float) - step
    """,
    ),
}

# More mistakes, as students write them: the ones CURRICULUM.md does not list but the checks name.
WRONG.update({
    "relu_sign": ("relu_derivative", "np.sign(z)", """
        def relu_derivative(z):
            return np.sign(np.asarray(z, dtype=float))
    """),
    "mlp_residual_flipped": ("mlp_gradients", "every sign flipped", """
        def mlp_gradients(W1, b1, W2, b2, X, y):
            X, W1, W2 = np.asarray(X, float), np.asarray(W1, float), np.asarray(W2, float)
            a = np.tanh(X @ W1 + np.asarray(b1, float))
            dp = 2 * (np.asarray(y, float) - a @ W2 - b2) / len(y)
            dz = np.outer(dp, W2) * (1 - a ** 2)
            return X.T @ dz, dz.sum(axis=0), a.T @ dp, float(dp.sum())
    """),
    "mlp_db1_averaged": ("mlp_gradients", "db1 averaged over the samples", """
        def mlp_gradients(W1, b1, W2, b2, X, y):
            X, W1, W2 = np.asarray(X, float), np.asarray(W1, float), np.asarray(W2, float)
            a = np.tanh(X @ W1 + np.asarray(b1, float))
            dp = 2 * (a @ W2 + b2 - np.asarray(y, float)) / len(y)
            dz = np.outer(dp, W2) * (1 - a ** 2)
            return X.T @ dz, dz.mean(axis=0), a.T @ dp, float(dp.sum())
    """),
    "mlp_db2_array": ("mlp_gradients", "db2 returned an array of shape (1,)", """
        def mlp_gradients(W1, b1, W2, b2, X, y):
            X, W1, W2 = np.asarray(X, float), np.asarray(W1, float), np.asarray(W2, float)
            a = np.tanh(X @ W1 + np.asarray(b1, float))
            dp = 2 * (a @ W2 + b2 - np.asarray(y, float)) / len(y)
            dz = np.outer(dp, W2) * (1 - a ** 2)
            return X.T @ dz, dz.sum(axis=0), a.T @ dp, dp.sum(keepdims=True)
    """),
    "clip_l1_norm": ("clip_by_norm", "the sum of absolute values", """
        def clip_by_norm(grad, max_norm):
            grad = np.asarray(grad, dtype=float)
            size = np.abs(grad).sum()
            return grad * (max_norm / size) if size > max_norm else grad.copy()
    """),
    "adagrad_old_accum": ("adagrad_step", "divided by the old accum", """
        def adagrad_step(x, accum, grad, lr=0.01, eps=1e-8):
            grad, accum = np.asarray(grad, dtype=float), np.asarray(accum, dtype=float)
            x_new = np.asarray(x, dtype=float) - lr * grad / (np.sqrt(accum) + eps)
            return x_new, accum + grad ** 2
    """),
    "adagrad_swapped_pair": ("adagrad_step", "returned in swapped order", """
        def adagrad_step(x, accum, grad, lr=0.01, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            accum_new = np.asarray(accum, dtype=float) + grad ** 2
            return accum_new, np.asarray(x, dtype=float) - lr * grad / (np.sqrt(accum_new) + eps)
    """),
    "rmsprop_no_one_minus_rho": ("rmsprop_step", "the (1 - rho) on the new square forgotten", """
        def rmsprop_step(x, sq_avg, grad, lr=0.001, rho=0.9, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            sq_new = rho * np.asarray(sq_avg, dtype=float) + grad ** 2
            return np.asarray(x, dtype=float) - lr * grad / (np.sqrt(sq_new) + eps), sq_new
    """),
    "adam_betas_swapped": ("adam_step", "beta1 and beta2 swapped", """
        def adam_step(x, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            m_new = beta2 * np.asarray(m, dtype=float) + (1 - beta2) * grad
            v_new = beta1 * np.asarray(v, dtype=float) + (1 - beta1) * grad ** 2
            m_hat = m_new / (1 - beta2 ** t)
            v_hat = v_new / (1 - beta1 ** t)
            return np.asarray(x, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
    """),
    "adam_eps_ignored": ("adam_step", "the given eps ignored", """
        def adam_step(x, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            grad = np.asarray(grad, dtype=float)
            m_new = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
            v_new = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad ** 2
            m_hat = m_new / (1 - beta1 ** t)
            v_hat = v_new / (1 - beta2 ** t)
            return np.asarray(x, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + 1e-8), m_new, v_new
    """),
    "newton_diagonal": ("newton_step", "divided by the diagonal of H", """
        def newton_step(x, grad, H):
            H = np.asarray(H, dtype=float)
            return np.asarray(x, dtype=float) - np.asarray(grad, dtype=float) / np.diag(H)
    """),
    "newton_uphill": ("newton_step", "the step taken uphill", """
        def newton_step(x, grad, H):
            return np.asarray(x, dtype=float) + np.linalg.solve(np.asarray(H, float),
                                                               np.asarray(grad, float))
    """),
})  # fmt: skip

# Right answers in other styles: each must keep full marks on every exercise.
RIGHT = {
    "right_other_styles": """
        def chain_rule_derivative(df, g, dg, x):
            return np.array(df(g(x))) * dg(x)            # a 0-d array

        def sigmoid_derivative(z):
            with np.errstate(over="ignore"):
                s = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))   # naive, 0 or 1 far out
            return s * (1 - s)                           # 0-d array for a number

        def relu_derivative(z):
            return np.where(np.asarray(z) > 0, 1.0, 0.0).astype(np.float32)   # exact in float32

        def mlp_gradients(W1, b1, W2, b2, X, y):
            W1, b1, W2 = np.array(W1, float), np.array(b1, float), np.array(W2, float)
            X, y = np.array(X, float), np.array(y, float)
            dW1, db1, dW2, db2 = np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), 0.0
            for xi, yi in zip(X, y):                     # one sample at a time
                h = np.tanh(xi @ W1 + b1)
                dp = 2 * (h @ W2 + b2 - yi) / len(y)
                dz = dp * W2 * (1 - h * h)
                dW1 += np.outer(xi, dz)
                db1 += dz
                dW2 += dp * h
                db2 += dp
            return dW1, db1, dW2, np.float64(db2)

        def clip_by_norm(grad, max_norm):
            grad = np.array(grad, dtype=float)
            norm = np.sqrt(np.sum(grad ** 2))
            return grad * min(1.0, max_norm / norm) if norm > 0 else grad

        def adagrad_step(x, accum, grad, lr=0.01, eps=1e-8):
            x, accum, grad = (np.array(a, dtype=float) for a in (x, accum, grad))
            accum = accum + np.square(grad)
            return x - lr / (accum ** 0.5 + eps) * grad, accum

        def rmsprop_step(x, sq_avg, grad, lr=0.001, rho=0.9, eps=1e-8):
            x, sq_avg, grad = (np.array(a, dtype=float) for a in (x, sq_avg, grad))
            sq_avg = sq_avg + (1 - rho) * (grad * grad - sq_avg)
            return x - lr * grad / (np.sqrt(sq_avg) + eps), sq_avg

        def adam_step(x, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
            x, m, v, grad = (np.array(a, dtype=float) for a in (x, m, v, grad))
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad * grad
            step = lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
            return x - step, m, v

        def newton_step(x, grad, H):
            return np.array(x, dtype=float) - np.linalg.inv(np.array(H, float)) @ np.array(grad)
    """,
}


REFERENCE_COPIES = 8


def submission(body: str) -> str:
    """The reference solution with the functions of `body` written over it."""
    return reference_source("backprop") + "\n\n" + textwrap.dedent(body)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SubmissionResult]:
    """Every submission here, graded once by the real engine."""
    folder: Path = tmp_path_factory.mktemp("backprop")
    for student, (_, _, body) in WRONG.items():
        (folder / f"{student}.py").write_text(submission(body))
    for student, body in RIGHT.items():
        (folder / f"{student}.py").write_text(submission(body))
    for copy in range(REFERENCE_COPIES):  # each student id draws other hidden inputs
        (folder / f"reference_{copy}.py").write_text(reference_source("backprop"))
    return by_student(grade(COURSE, ASSIGNMENT, discover(folder, "backprop"), jobs=2))


def lost(result: SubmissionResult) -> dict[str, list[str]]:
    """Exercise -> the messages of its failing checks, for exercises that lost points."""
    return {
        name: [check.message for check in exercise.checks if not check.passed]
        for name, exercise in result.exercises.items()
        if exercise.points < exercise.max_points
    }


@pytest.mark.parametrize("student", sorted(WRONG))
def test_each_mistake_loses_its_exercise_with_a_message_naming_it(graded, student) -> None:
    """The mistake costs its exercise only, a failing check names it, and no check names another
    mistake (a plain relation such as a constant factor may stand next to it)."""
    exercise, phrase, _ = WRONG[student]
    result = graded[student]
    assert result.error is None
    failures = lost(result)
    assert set(failures) == {exercise}, failures
    messages = failures[exercise]
    assert any(phrase in message for message in messages), messages
    for message in messages:
        if "This looks like" in message:
            hint = message[message.index("This looks like") :]
            assert phrase in hint or any(word in hint for word in RELATIONS), message


@pytest.mark.parametrize("student", [*RIGHT, *(f"reference_{n}" for n in range(REFERENCE_COPIES))])
def test_right_answers_in_other_styles_keep_full_marks(graded, student) -> None:
    """Other styles and the reference under other student ids (other hidden inputs): full marks."""
    result = graded[student]
    assert result.error is None
    assert lost(result) == {}
    assert result.points == sum(exercise.points for exercise in ASSIGNMENT.exercises)


def test_a_wrong_gradient_says_which_parameter_and_why(graded) -> None:
    """The activation's derivative only enters the first layer: dW2 and db2 are named right."""
    messages = lost(graded["mlp_no_activation_slope"])["mlp_gradients"]
    assert any("dW1 and db1 are wrong (dW2 and db2 are right)" in m for m in messages), messages
    every = lost(graded["mlp_sum_not_mean"])["mlp_gradients"]
    assert any("every gradient (dW1, db1, dW2 and db2) is wrong" in m for m in every), every


def test_a_transposed_dw1_is_named_by_its_shape_too(graded) -> None:
    """For d != k a transposed dW1 has the shape (k, d): the shape message names it."""
    messages = lost(graded["mlp_transposed_w1"])["mlp_gradients"]
    assert any("has shape (4, 3), expected (3, 4). This looks like dW1 transposed" in m
               for m in messages), messages  # fmt: skip


def test_the_in_place_mistakes_cost_the_in_place_check_alone(graded) -> None:
    """The values are right: only the check that looks at the arguments after the call fails."""
    for student, exercise in (("clip_in_place", "clip_by_norm"),
                              ("adagrad_in_place", "adagrad_step")):  # fmt: skip
        checks = graded[student].exercises[exercise].checks
        assert [c.name for c in checks if not c.passed] == [
            {"clip_by_norm": "clip_leaves_grad_alone",
             "adagrad_step": "adagrad_leaves_arguments_alone"}[exercise]
        ]  # fmt: skip


# --- the finite-difference judge, on its own ----------------------------------------------


def test_central_differences_of_mlp_loss_agree_with_backpropagation() -> None:
    """The judge's numerical gradients are the reference's, within the judge's own tolerance,
    for every shape the check uses."""
    loss = network_judges  # the finite-difference judge's own functions
    reference = _reference()
    rng = np.random.default_rng(0)
    for d, k, m in ((2, 3, 5), (1, 1, 1), (3, 1, 2), (2, 4, 1), (1, 2, 3)):
        args = hidden.network(rng, d, k, m)
        numeric = loss.central_gradients(reference.mlp_loss, args)
        allowed = loss.fd_tolerance(reference.mlp_loss(*args))
        assert loss.which_wrong(reference.mlp_gradients(*args), numeric, rtol=1e-5,
                                atol=allowed) == []  # fmt: skip
        wrong = known.MLP_MISTAKES[known.NO_ACTIVATION_SLOPE](*args)
        assert loss.which_wrong(wrong, numeric, rtol=1e-5, atol=allowed)[:2] == ["dW1", "db1"]


def _reference():
    import importlib.util

    spec = importlib.util.spec_from_file_location("backprop_solution",
                                                  REPO / "solutions" / "backprop.py")  # fmt: skip
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the hidden checks' inputs tell the wrong formulas apart ----------------------------------


def apart_from_right(values: dict[str, object], right: object) -> list[str]:
    """The names whose value is the right answer (within 1e-6): they cannot be caught there."""
    right_flat = judges.flat(right)
    return [name for name, value in values.items()
            if np.allclose(judges.flat(value), right_flat, rtol=1e-6, atol=1e-12)]  # fmt: skip


@pytest.mark.parametrize("seed", range(5))
def test_the_chain_rule_points_separate_every_mistake(seed: int) -> None:
    """At the random points every wrong composition differs from the right derivative and 0."""
    reference = _reference()
    for x in np.random.default_rng(seed).uniform(0.3, 1.7, size=3):
        args = (hidden.OUTER_SLOPE, hidden.INNER, hidden.INNER_SLOPE, float(x))
        values = {name: f(*args) for name, f in known.CHAIN_MISTAKES.items()}
        assert set(judges.telling(values, reference.chain_rule_derivative(*args))) == set(values)


@pytest.mark.parametrize("seed", range(5))
def test_the_random_network_separates_every_gradient_mistake(seed: int) -> None:
    """On the (3, 4, 5) network every gradient mistake differs from the right one and the others."""
    reference = _reference()
    args = hidden.network(np.random.default_rng(seed), 3, 4, 5)
    # a transposed dW1 has another shape when d != k: the shape check names it
    mistakes = {name: f for name, f in known.MLP_MISTAKES.items() if name != known.W1_TRANSPOSED}
    values = {name: f(*args) for name, f in mistakes.items()}
    right = reference.mlp_gradients(*args)
    assert set(judges.telling(values, right)) == set(values)
    flats = [judges.flat(value) for value in values.values()]
    for i, a in enumerate(flats):
        for b in flats[i + 1 :]:
            assert not judges.alike(a, b)


@pytest.mark.parametrize("seed", range(5))
def test_the_first_adam_steps_separate_every_mistake(seed: int) -> None:
    """At t = 1 with a non-default lr, every Adam mistake changes the answer, but those of the
    defaults (ignoring beta1, beta2 or eps changes nothing here) and eps inside the square root
    (1e-8 next to gradients near 1): the checks of other rates and of tiny gradients see them."""
    reference = _reference()
    rng = np.random.default_rng(seed)
    args = (rng.normal(size=3), np.zeros(3), np.zeros(3), rng.normal(size=3), 1)
    kwargs = {"lr": 0.05}
    values = {name: f(*args, **kwargs) for name, f in known.ADAM_MISTAKES.items()
              if ("ignored" not in name or "lr" in name) and name != known.EPS_INSIDE}  # fmt: skip
    assert apart_from_right(values, reference.adam_step(*args, **kwargs)) == []


def test_validate_names_every_declared_wrong_formula_and_kills_the_mutants() -> None:
    """`grader validate --assignment backprop --mutants`: the reference full marks, the stub 0,
    every named wrong formula caught and named, the release's public checks, and no survivor."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "grader", "validate", "--assignment", "backprop", "--mutants"],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    count = sum(len(getattr(known, name)) for name in dir(known) if name.endswith("_MISTAKES"))
    assert f"{count} named wrong formulas each lose points with a message naming them" in (
        done.stdout
    )
    assert "survivor:" not in done.stdout, done.stdout


def distinct(values: dict[str, object], right: object) -> bool:
    """No two of the values (the right one included) alike within 1e-6."""
    flats = [judges.flat(right), *(judges.flat(value) for value in values.values())]
    return not any(judges.alike(a, b) for i, a in enumerate(flats) for b in flats[i + 1 :])


@pytest.mark.parametrize("seed", range(10))
def test_the_single_answer_inputs_separate_every_mistake(seed: int) -> None:
    """Random sigmoid points, long gradients, and non-symmetric Hessians (well conditioned)."""
    reference = _reference()
    rng = np.random.default_rng(seed)
    z = rng.uniform(-5.0, 5.0, size=6)
    # the overflowing formula is the right number wherever exp(-z) is finite
    sigmoid = {name: f(z) for name, f in known.SIGMOID_MISTAKES.items() if name != known.OVERFLOW}
    assert distinct(sigmoid, reference.sigmoid_derivative(z))
    max_norm = float(rng.uniform(0.5, 3.0))
    grad = hidden.long_gradient(rng, max_norm)
    # above max_norm, scaling always (or at the norm max_norm too) is right: the short and the
    # zero gradients tell those apart
    clip = {
        name: f(grad, max_norm)
        for name, f in known.CLIP_MISTAKES.items()
        if "norm >= max_norm" not in name and "always scaled" not in name
    }
    assert distinct(clip, reference.clip_by_norm(grad, max_norm))
    H = hidden.non_symmetric(rng, 3)
    assert np.linalg.cond(H) < 10 and np.max(np.abs(H - H.T)) >= 1.0
    x, g = rng.normal(size=3), rng.normal(size=3)
    newton = {name: f(x, g, H) for name, f in known.NEWTON_MISTAKES.items()}
    assert distinct(newton, reference.newton_step(x, g, H))


def test_two_mistakes_alike_on_a_call_are_told_apart_by_the_calls_before_it(graded) -> None:
    """clip_by_norm(zeros, 0.0) is 0 / 0 both for `norm >= max_norm` and for scaling always;
    the right answer at max_norm = 1 before it leaves one of them, which alone is named."""
    messages = lost(graded["clip_at_equal_norm"])["clip_by_norm"]
    assert any("norm >= max_norm" in message for message in messages), messages
    assert not any("always scaled" in message for message in messages), messages


def test_a_mistake_is_named_only_where_no_other_gives_the_same_answer() -> None:
    right, answer = np.array([1.0, 2.0]), np.array([2.0, 4.0])
    alone = {"doubled": answer, "negated": -right}
    assert judges.matching(answer, alone, right) == "doubled"
    twins = {"doubled": answer, "twice over": answer.copy(), "negated": -right}
    assert judges.matching(answer, twins, right) is None
    assert judges.matching(np.zeros(2), {"nothing": np.zeros(2)}, right) is None
