"""Known wrong formulas of assignment `backprop`, one `*_MISTAKES` mapping per exercise.

Each mapping names a misconception as the student reads it after "This looks like" and gives the
wrong formula, called grader-side with the arguments of the failing call (the contract's defaults
included). `judges.py` names one only where it is certain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from grader.authoring import wrong_formulas

from .judges import floats

# --- chain_rule_derivative -------------------------------------------------------------------

CHAIN_MISTAKES: dict[str, Callable[..., float]] = {
    "the outer derivative taken at x instead of at g(x): df(x) * dg(x)":
        lambda df, g, dg, x: float(df(float(x)) * dg(float(x))),
    "the inner derivative forgotten: df(g(x)) alone":
        lambda df, g, dg, x: float(df(g(float(x)))),
    "df(g(x)) * g(x): the inner function instead of its derivative":
        lambda df, g, dg, x: float(df(g(float(x))) * g(float(x))),
    "df(g(x)) + dg(x): a sum where the chain rule multiplies":
        lambda df, g, dg, x: float(df(g(float(x))) + dg(float(x))),
    "df(dg(x)): the outer derivative taken at the inner derivative":
        lambda df, g, dg, x: float(df(dg(float(x)))),
    "dg(df(x)): the two derivatives composed instead of multiplied":
        lambda df, g, dg, x: float(dg(df(float(x)))),
}  # fmt: skip


# --- sigmoid_derivative ----------------------------------------------------------------------


def _sigmoid(z: Any) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    small = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def _like_input(z: Any, value: np.ndarray) -> float | np.ndarray:
    """A float for a number, the array for an array: the contract's form of the answer."""
    return float(value) if np.ndim(z) == 0 else value


def _overflowing(z: Any) -> float | np.ndarray:
    e = np.exp(-np.asarray(z, dtype=float))
    return _like_input(z, e / (1.0 + e) ** 2)


OVERFLOW = (
    "exp(-z) / (1 + exp(-z))**2, whose exp(-z) overflows to inf for very negative z (inf / inf "
    "is nan); build it from the given sigmoid(z), which never overflows"
)

SIGMOID_MISTAKES: dict[str, Callable[..., Any]] = {
    "sigmoid(z) itself instead of its derivative": lambda z: _like_input(z, _sigmoid(z)),
    "z * (1 - z): the formula applied to z instead of to s = sigmoid(z)":
        lambda z: _like_input(z, np.asarray(z, dtype=float) * (1 - np.asarray(z, dtype=float))),
    "s * (1 + s), a + where the formula has a -":
        lambda z: _like_input(z, _sigmoid(z) * (1 + _sigmoid(z))),
    "1 - s**2, the tanh's derivative formula applied to the sigmoid":
        lambda z: _like_input(z, 1 - _sigmoid(z) ** 2),
    "1 - tanh(z)**2, the tanh's derivative instead of the sigmoid's":
        lambda z: _like_input(z, 1 - np.tanh(np.asarray(z, dtype=float)) ** 2),
    "s**2 * (1 - s): s squared": lambda z: _like_input(z, _sigmoid(z) ** 2 * (1 - _sigmoid(z))),
    OVERFLOW: _overflowing,
}  # fmt: skip


# --- relu_derivative -------------------------------------------------------------------------


def _step(z: Any, where: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    return where(np.asarray(z, dtype=float)).astype(float)


RELU_AT_ZERO = "1 at z = 0 (z >= 0 instead of z > 0); the convention is 0 there"
RELU_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    RELU_AT_ZERO: lambda z: _step(z, lambda a: a >= 0),
    "the ReLU itself, max(z, 0), instead of its derivative":
        lambda z: np.maximum(np.asarray(z, dtype=float), 0.0),
    "1 where z < 0: the comparison the wrong way round": lambda z: _step(z, lambda a: a < 0),
    "np.sign(z), which is -1 for negative z instead of 0":
        lambda z: np.sign(np.asarray(z, dtype=float)),
    "1/2 at z = 0 (np.heaviside(z, 0.5)); the convention is 0 there":
        lambda z: np.heaviside(np.asarray(z, dtype=float), 0.5),
}  # fmt: skip


# --- mlp_gradients ---------------------------------------------------------------------------


def backprop(W1: Any, b1: Any, W2: Any, b2: Any, X: Any, y: Any, *,
             slope: str = "tanh", factor: float = 2.0, mean: bool = True, sign: float = 1.0,
             transposed: bool = False, db1_mean: bool = False,
             pre_activation_dW2: bool = False) -> tuple:  # fmt: skip
    """The gradients of mlp_loss with one deliberate mistake (the keywords say which)."""
    W1, b1, W2, X, y = floats(W1, b1, W2, X, y)
    pre = X @ W1 + b1
    hidden = np.tanh(pre)
    residual = sign * (hidden @ W2 + float(b2) - y)
    d_prediction = factor * residual / (len(y) if mean else 1)
    activation_slope = {
        "tanh": 1.0 - hidden**2,
        "none": np.ones_like(hidden),
        "sigmoid of output": hidden * (1.0 - hidden),
        "sigmoid of input": _sigmoid(pre) * (1.0 - _sigmoid(pre)),
        "no square": 1.0 - hidden,
    }[slope]
    d_pre = np.outer(d_prediction, W2) * activation_slope
    dW1 = d_pre.T @ X if transposed else X.T @ d_pre
    db1 = d_pre.mean(axis=0) if db1_mean else d_pre.sum(axis=0)
    dW2 = (pre if pre_activation_dW2 else hidden).T @ d_prediction
    return dW1, db1, dW2, float(d_prediction.sum())


def _variant(**mistake: Any) -> Callable[..., tuple]:
    return lambda W1, b1, W2, b2, X, y: backprop(W1, b1, W2, b2, X, y, **mistake)


NO_ACTIVATION_SLOPE = "the activation's derivative forgotten (no factor 1 - tanh(z)**2)"
SUM_NOT_MEAN = "a sum where the loss takes a mean (the 1 / m forgotten)"
W1_TRANSPOSED = "dW1 transposed: delta.T @ X instead of X.T @ delta"
MLP_MISTAKES: dict[str, Callable[..., tuple]] = {
    NO_ACTIVATION_SLOPE: _variant(slope="none"),
    "the sigmoid's derivative h * (1 - h) used for tanh, whose derivative is 1 - h**2":
        _variant(slope="sigmoid of output"),
    "the sigmoid's derivative sigmoid(z) * (1 - sigmoid(z)) used for tanh's 1 - tanh(z)**2":
        _variant(slope="sigmoid of input"),
    "tanh's derivative as 1 - tanh(z), the square forgotten": _variant(slope="no square"),
    SUM_NOT_MEAN: _variant(mean=False),
    "the factor 2 of the square forgotten": _variant(factor=1.0),
    "the residual y - prediction instead of prediction - y (every sign flipped)":
        _variant(sign=-1.0),
    W1_TRANSPOSED: _variant(transposed=True),
    "db1 averaged over the samples instead of summed (the 1 / m counted twice)":
        _variant(db1_mean=True),
    "dW2 from the pre-activation X @ W1 + b1 instead of the hidden layer tanh(X @ W1 + b1)":
        _variant(pre_activation_dW2=True),
}  # fmt: skip


# --- clip_by_norm ----------------------------------------------------------------------------


def _norm(grad: Any) -> float:
    return float(np.linalg.norm(np.asarray(grad, dtype=float)))


def _scaled(grad: Any, factor: float) -> np.ndarray:
    return np.asarray(grad, dtype=float) * factor


def _ratio(top: float, bottom: float) -> np.float64:
    """top / bottom as numpy divides (0 / 0 is nan, as in a student's numpy code)."""
    with np.errstate(all="ignore"):
        return np.float64(top) / np.float64(bottom)


def _clip_by(measure: Callable[[np.ndarray], float]) -> Callable[..., np.ndarray]:
    """Clipping with another measure of the gradient's size instead of its norm."""

    def clip(grad: Any, max_norm: float) -> np.ndarray:
        size = float(measure(np.asarray(grad, dtype=float)))
        return _scaled(grad, _ratio(max_norm, size)) if size > max_norm else _scaled(grad, 1.0)

    return clip


EACH_COMPONENT = (
    "each component clipped to [-max_norm, max_norm] instead of scaling the whole vector by its "
    "norm (which keeps the direction)"
)


def _clip_with(factor: Callable[[float, float], float],
               clips: Callable[[float, float], bool] = lambda norm, top: norm > top,
               ) -> Callable[..., np.ndarray]:  # fmt: skip
    """Clipping by the norm with another factor (of norm and max_norm) or another test."""

    def clip(grad: Any, max_norm: float) -> np.ndarray:
        norm = _norm(grad)
        return _scaled(grad, factor(norm, max_norm) if clips(norm, max_norm) else 1.0)

    return clip


CLIP_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    EACH_COMPONENT: lambda grad, max_norm: np.clip(np.asarray(grad, dtype=float), -max_norm,
                                                   max_norm),
    "always scaled to norm max_norm, even when the norm is already below it (and 0 / 0 for a "
    "zero gradient)": _clip_with(lambda norm, top: _ratio(top, norm), lambda norm, top: True),
    "grad * norm / max_norm, the ratio upside down": _clip_with(_ratio),
    "the squared norm (the sum of squares) instead of the norm": _clip_by(lambda g: g @ g),
    "the sum of absolute values (the L1 norm) instead of the Euclidean norm":
        _clip_by(lambda g: np.sum(np.abs(g))),
    "the largest absolute component instead of the Euclidean norm":
        _clip_by(lambda g: np.max(np.abs(g)) if g.size else 0.0),
    "a norm equal to max_norm scaled too (norm >= max_norm), which is 0 / 0 for a zero gradient "
    "with max_norm = 0": _clip_with(lambda norm, top: _ratio(top, norm),
                                    lambda norm, top: norm >= top),
    "grad scaled by max_norm alone (the division by the norm forgotten)":
        _clip_with(lambda norm, top: top),
}  # fmt: skip


# --- adagrad_step ----------------------------------------------------------------------------

# The contract's defaults, which the wrong formulas share with the student's code.
ADAGRAD_LR, RMSPROP_LR, ADAM_LR, EPS = 0.01, 0.001, 0.001, 1e-8
RHO, BETA1, BETA2 = 0.9, 0.9, 0.999


def _adaptive_step(x: Any, grad: np.ndarray, scale: np.ndarray, lr: float, eps: float,
                   how: str = "right") -> np.ndarray:  # fmt: skip
    """x - lr * grad / (sqrt(scale) + eps), or a mistake in the denominator (`how`)."""
    (x,) = floats(x)
    with np.errstate(all="ignore"):
        denominator = {
            "right": np.sqrt(scale) + eps,
            "no root": scale + eps,
            "eps inside": np.sqrt(scale + eps),
        }[how]
        return x - lr * grad / denominator


def _adagrad(x: Any, accum: Any, grad: Any, lr: float = ADAGRAD_LR, eps: float = EPS, *,
             accumulate: str = "squares", how: str = "right", old: bool = False,
             sign: float = 1.0) -> tuple:  # fmt: skip
    accum, grad = floats(accum, grad)
    accum_new = {"squares": accum + grad**2, "none": grad**2, "plain": accum + grad}[accumulate]
    step = _adaptive_step(x, sign * grad, accum if old else accum_new, lr, eps, how)
    return step, accum_new


def _adagrad_variant(**mistake: Any) -> Callable[..., tuple]:
    return lambda x, accum, grad, lr=ADAGRAD_LR, eps=EPS: _adagrad(
        x, accum, grad, lr, eps, **mistake
    )


def _adagrad_swapped(x: Any, accum: Any, grad: Any, lr: float = ADAGRAD_LR,
                     eps: float = EPS) -> tuple:  # fmt: skip
    x_new, accum_new = _adagrad(x, accum, grad, lr, eps)
    return accum_new, x_new


NO_ROOT = "the square root forgotten in the denominator"
EPS_INSIDE = "eps inside the square root: sqrt(... + eps) instead of sqrt(...) + eps"
ADAGRAD_MISTAKES: dict[str, Callable[..., tuple]] = {
    "AdaGrad not accumulating: accum_new = grad**2, the past squares forgotten":
        _adagrad_variant(accumulate="none"),
    "the gradients accumulated instead of their squares (accum + grad)":
        _adagrad_variant(accumulate="plain"),
    "the step divided by the old accum instead of accum_new": _adagrad_variant(old=True),
    NO_ROOT: _adagrad_variant(how="no root"),
    EPS_INSIDE: _adagrad_variant(how="eps inside"),
    "the step taken uphill (x + lr * ...), the sign of the step": _adagrad_variant(sign=-1.0),
    "the given lr ignored (the default 0.01 used)":
        lambda x, accum, grad, lr=ADAGRAD_LR, eps=EPS: _adagrad(x, accum, grad, ADAGRAD_LR, eps),
    "the given eps ignored (the default 1e-8 used)":
        lambda x, accum, grad, lr=ADAGRAD_LR, eps=EPS: _adagrad(x, accum, grad, lr, EPS),
    "(accum_new, x_new) returned in swapped order; return (x_new, accum_new)": _adagrad_swapped,
}  # fmt: skip


# --- rmsprop_step ----------------------------------------------------------------------------


def _rmsprop(x: Any, sq_avg: Any, grad: Any, lr: float = RMSPROP_LR, rho: float = RHO,
             eps: float = EPS, *, average: str = "right", how: str = "right",
             old: bool = False) -> tuple:  # fmt: skip
    sq_avg, grad = floats(sq_avg, grad)
    sq_new = {
        "right": rho * sq_avg + (1 - rho) * grad**2,
        "swapped": (1 - rho) * sq_avg + rho * grad**2,
        "no 1 - rho": rho * sq_avg + grad**2,
        "accumulated": sq_avg + grad**2,
        "plain": rho * sq_avg + (1 - rho) * grad,
    }[average]
    return _adaptive_step(x, grad, sq_avg if old else sq_new, lr, eps, how), sq_new


def _rmsprop_variant(**mistake: Any) -> Callable[..., tuple]:
    def step(x: Any, sq_avg: Any, grad: Any, lr: float = RMSPROP_LR, rho: float = RHO,
             eps: float = EPS) -> tuple:  # fmt: skip
        return _rmsprop(x, sq_avg, grad, lr, rho, eps, **mistake)

    return step


def _rmsprop_defaults(kept: str) -> Callable[..., tuple]:
    """RMSProp with one argument ignored: its default used instead of the given value."""

    def step(x: Any, sq_avg: Any, grad: Any, lr: float = RMSPROP_LR, rho: float = RHO,
             eps: float = EPS) -> tuple:  # fmt: skip
        given = {"lr": lr, "rho": rho, "eps": eps}
        given[kept] = {"lr": RMSPROP_LR, "rho": RHO, "eps": EPS}[kept]
        return _rmsprop(x, sq_avg, grad, **given)

    return step


RMSPROP_MISTAKES: dict[str, Callable[..., tuple]] = {
    "RMSProp's weights swapped: (1 - rho) * sq_avg + rho * grad**2":
        _rmsprop_variant(average="swapped"),
    "rho * sq_avg + grad**2, the (1 - rho) on the new square forgotten":
        _rmsprop_variant(average="no 1 - rho"),
    "AdaGrad's sum sq_avg + grad**2 instead of RMSProp's moving average":
        _rmsprop_variant(average="accumulated"),
    "the gradient averaged instead of its square (... + (1 - rho) * grad)":
        _rmsprop_variant(average="plain"),
    "the step divided by the old sq_avg instead of sq_new": _rmsprop_variant(old=True),
    NO_ROOT: _rmsprop_variant(how="no root"),
    EPS_INSIDE: _rmsprop_variant(how="eps inside"),
    "the given lr ignored (the default 0.001 used)": _rmsprop_defaults("lr"),
    "the given rho ignored (the default 0.9 used)": _rmsprop_defaults("rho"),
    "the given eps ignored (the default 1e-8 used)": _rmsprop_defaults("eps"),
}  # fmt: skip


# --- adam_step -------------------------------------------------------------------------------


def _adam(x: Any, m: Any, v: Any, grad: Any, t: int, lr: float = ADAM_LR, beta1: float = BETA1,
          beta2: float = BETA2, eps: float = EPS, *, correct: str = "both", power: int = 0,
          how: str = "right", moments: str = "right",
          return_corrected: bool = False) -> tuple:  # fmt: skip
    """Adam with one deliberate mistake; `power` shifts the step number of the correction."""
    m, v, grad = floats(m, v, grad)
    first = grad if moments == "no 1 - beta" else (1 - beta1) * grad
    second = {"right": (1 - beta2) * grad**2, "no 1 - beta": grad**2,
              "plain": (1 - beta2) * grad}[moments]  # fmt: skip
    m_new, v_new = beta1 * m + first, beta2 * v + second
    exponent = int(t) + power
    with np.errstate(all="ignore"):
        m_hat = m_new / (1 - beta1**exponent) if correct in ("both", "m") else m_new
        v_hat = v_new / (1 - beta2**exponent) if correct in ("both", "v") else v_new
        x_new = _adaptive_step(x, m_hat, v_hat, lr, eps, how)
    if return_corrected:
        return x_new, m_hat, v_hat
    return x_new, m_new, v_new


def _adam_variant(**mistake: Any) -> Callable[..., tuple]:
    def step(x: Any, m: Any, v: Any, grad: Any, t: int, lr: float = ADAM_LR,
             beta1: float = BETA1, beta2: float = BETA2, eps: float = EPS) -> tuple:  # fmt: skip
        return _adam(x, m, v, grad, t, lr, beta1, beta2, eps, **mistake)

    return step


def _adam_betas_swapped(x: Any, m: Any, v: Any, grad: Any, t: int, lr: float = ADAM_LR,
                        beta1: float = BETA1, beta2: float = BETA2,
                        eps: float = EPS) -> tuple:  # fmt: skip
    return _adam(x, m, v, grad, t, lr, beta2, beta1, eps)


def _adam_ignoring(kept: str) -> Callable[..., tuple]:
    """Adam with one argument ignored: its default used instead of the given value."""

    def step(x: Any, m: Any, v: Any, grad: Any, t: int, lr: float = ADAM_LR,
             beta1: float = BETA1, beta2: float = BETA2, eps: float = EPS) -> tuple:  # fmt: skip
        given = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps}
        given[kept] = {"lr": ADAM_LR, "beta1": BETA1, "beta2": BETA2, "eps": EPS}[kept]
        return _adam(x, m, v, grad, t, **given)

    return step


NO_BIAS_CORRECTION = "Adam without the bias correction (m_new and v_new used as m_hat and v_hat)"
ADAM_MISTAKES: dict[str, Callable[..., tuple]] = {
    NO_BIAS_CORRECTION: _adam_variant(correct="none"),
    "the bias correction of m alone (v_hat = v_new)": _adam_variant(correct="m"),
    "the bias correction of v alone (m_hat = m_new)": _adam_variant(correct="v"),
    "steps counted from 0: the bias correction with beta ** (t + 1) for step t":
        _adam_variant(power=1),
    "the bias correction with beta ** (t - 1), which divides by zero at t = 1":
        _adam_variant(power=-1),
    "Adam without the square root: m_hat / (v_hat + eps)": _adam_variant(how="no root"),
    EPS_INSIDE: _adam_variant(how="eps inside"),
    "beta1 and beta2 swapped": _adam_betas_swapped,
    "the moments without the (1 - beta) factors (beta * m + grad)":
        _adam_variant(moments="no 1 - beta"),
    "v averaging the gradient instead of its square": _adam_variant(moments="plain"),
    "the corrected m_hat and v_hat returned as the state instead of m_new and v_new":
        _adam_variant(return_corrected=True),
    "the given lr ignored (the default 0.001 used)": _adam_ignoring("lr"),
    "the given beta1 ignored (the default 0.9 used)": _adam_ignoring("beta1"),
    "the given beta2 ignored (the default 0.999 used)": _adam_ignoring("beta2"),
    "the given eps ignored (the default 1e-8 used)": _adam_ignoring("eps"),
}  # fmt: skip


# --- newton_step -----------------------------------------------------------------------------


def _newton(x: Any, grad: Any, H: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return floats(x, grad, H)


def _times_h(x: Any, grad: Any, H: Any) -> np.ndarray:
    x, grad, H = _newton(x, grad, H)
    return x - H @ grad


def _transposed_solve(x: Any, grad: Any, H: Any) -> np.ndarray:
    x, grad, H = _newton(x, grad, H)
    return x - np.linalg.solve(H.T, grad)


def _uphill(x: Any, grad: Any, H: Any) -> np.ndarray:
    x, grad, H = _newton(x, grad, H)
    return x + np.linalg.solve(H, grad)


def _by_diagonal(x: Any, grad: Any, H: Any) -> np.ndarray:
    x, grad, H = _newton(x, grad, H)
    return x - grad / np.diag(H)


def _no_h(x: Any, grad: Any, H: Any) -> np.ndarray:
    x, grad, _ = _newton(x, grad, H)
    return x - grad


def _step_only(x: Any, grad: Any, H: Any) -> np.ndarray:
    _, grad, H = _newton(x, grad, H)
    return np.linalg.solve(H, grad)


TIMES_H = "Newton multiplying by H (x - H @ grad) instead of solving H @ step = grad"
NEWTON_MISTAKES: dict[str, Callable[..., np.ndarray]] = {
    TIMES_H: _times_h,
    "H transposed: grad @ inv(H), or solve(H.T, grad), instead of solve(H, grad)":
        _transposed_solve,
    "the step taken uphill: x + solve(H, grad)": _uphill,
    "grad divided by the diagonal of H, which is the Newton step only for a diagonal H":
        _by_diagonal,
    "H ignored: x - grad, a gradient step with learning rate 1": _no_h,
    "the step solve(H, grad) returned instead of x - solve(H, grad)": _step_only,
}  # fmt: skip


# The named wrong formulas of each exercise, declared for `grader validate`: it grades the
# reference with the exercise replaced by each one, and asks that a check name it.
wrong_formulas("chain_rule_derivative", CHAIN_MISTAKES)
wrong_formulas("sigmoid_derivative", SIGMOID_MISTAKES)
wrong_formulas("relu_derivative", RELU_MISTAKES)
wrong_formulas("mlp_gradients", MLP_MISTAKES)
wrong_formulas("clip_by_norm", CLIP_MISTAKES)
wrong_formulas("adagrad_step", ADAGRAD_MISTAKES)
wrong_formulas("rmsprop_step", RMSPROP_MISTAKES)
wrong_formulas("adam_step", ADAM_MISTAKES)
wrong_formulas("newton_step", NEWTON_MISTAKES)
