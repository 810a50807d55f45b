"""Known wrong formulas of assignment `backprop`, and the judges its hidden checks use.

Each `*_MISTAKES` mapping names a misconception as the student reads it after "This looks like"
and gives the wrong formula, called grader-side with the arguments of the failing call (the
contract's defaults included). A mistake is named only when its value on the call is the
student's answer, differs from the right answer and from zero, and no other mistake gives that
value there (naming one of two would be a guess); `same_answers` asks the same of a check's calls
together. Judges:

- `same_answer`: a number or an array, naming the mistake that reproduces it (nan included);
- `same_answers`: several calls of one function, naming the one mistake that gives every
  answer (the right ones included), where single calls cannot tell two mistakes apart;
- `same_floats`: the same for 0s and 1s that must be floats (booleans and ints told so);
- `same_tuple`: a tuple of arrays (and numbers), each part like the reference's, naming the
  mistake that reproduces every part;
- `same_steps`: an optimiser stepped several times, the student's own returned state fed back;
- `same_gradients` and `gradient_check`: `mlp_gradients` against the reference and against
  central differences of the given `mlp_loss`, saying which parameter's gradient is wrong;
- `leaves_arguments_alone`: no array argument changed in place, and the right answer;
- `plain_inputs`: a call on int or list input that, when it fails, is retried on float arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from grader.authoring import (
    CheckFailure,
    StudentProxy,
    Verdict,
    Wrong,
    check_array,
    check_number,
    check_tuple,
    describe_relation,
    fail,
    is_real_number,
    real_array,
    remembered,
    require,
    same_value,
    wrong_formulas,
)

FLOAT_ADVICE = "convert lists and integer arrays with np.asarray(..., dtype=float) first"
APART = 1e-6  # the precision of a diagnosis: closer than this, two answers are one
# ...unless the answer is a mistake's value to FINE while that value is SLIGHT away from the
# right one: computed alike, a formula's value and the student's agree to rounding (1e-15).
SLIGHT, FINE = 1e-9, 1e-12
PARAMETERS = ("dW1", "db1", "dW2", "db2")


def floats(*values: Any) -> tuple[np.ndarray, ...]:
    """The arguments as float arrays, as a correct solution sees them after converting."""
    return tuple(np.asarray(value, dtype=float) for value in values)


# --- naming a mistake only where it is certain -----------------------------------------------


def flat(value: Any) -> np.ndarray | None:
    """An answer (number, array, or tuple of those) as one flat float array, or None."""
    if isinstance(value, tuple):
        parts = [flat(part) for part in value]
        if any(part is None for part in parts):
            return None
        return np.concatenate(parts) if parts else np.zeros(0)
    array = real_array(value)
    return None if array is None else array.ravel()


def shapes(value: Any) -> tuple:
    """The shapes of an answer's parts, to compare answers of one form only."""
    if isinstance(value, tuple):
        return tuple(shapes(part) for part in value)
    return np.shape(value)


def alike(a: np.ndarray, b: np.ndarray, rtol: float = APART) -> bool:
    """The same answer to within rtol of the larger, elementwise (nan alike at one place)."""
    if a.shape != b.shape:
        return False
    both_nan = np.isnan(a) & np.isnan(b)
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.abs(a - b) <= rtol * np.maximum(np.abs(a), np.abs(b)) + 1e-300
        same_inf = np.isinf(a) & (a == b)
    return bool(np.all(close | both_nan | same_inf))


def value_of(formula: Callable[..., Any], args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
    """A wrong formula's value on these arguments, or None where it has none."""
    try:
        with np.errstate(all="ignore"):
            return remembered(formula)(*args, **kwargs)
    except (ArithmeticError, ValueError, TypeError, IndexError):
        return None


def telling(values: Mapping[str, Any], expected: Any,
            rtol: float = APART) -> dict[str, np.ndarray]:  # fmt: skip
    """The wrong values (flat) that are a mistake here: each differs from the right answer (by
    more than rtol) and from zero (what a function that computes nothing returns)."""
    right = flat(expected)
    kept = {}
    for name, value in values.items():
        array = flat(value)
        if array is None or right is None or array.shape != right.shape:
            continue
        if np.any(array) and not alike(array, right, rtol):
            kept[name] = array
    return kept


def matching(got: Any, values: Mapping[str, Any], expected: Any,
             rtol: float = APART) -> str | None:  # fmt: skip
    """The one mistake whose value is the student's answer, told apart from the others.

    Where two mistakes give one value on a call (at t = 10**6 Adam without any bias correction
    and with m's alone agree), neither is named there: naming one would be a guess. A mistake
    that moves the answer by less than rtol (eps inside the square root, next to gradients near
    1) is named only if it alone reproduces the answer to FINE, far below what it moves.
    """
    answer = flat(got)
    if answer is None:
        return None
    for within, moved in ((rtol, rtol), (FINE, SLIGHT)):
        found = [name for name, value in telling(values, expected, moved).items()
                 if alike(answer, value, within)]  # fmt: skip
        if found:
            return found[0] if len(found) == 1 else None
    return None


def named(got: Any, expected: Any, wrong: Wrong | None, args: Sequence[Any],
          kwargs: Mapping[str, Any] | None = None) -> str | None:  # fmt: skip
    """The mistakes whose value on these arguments is the student's answer."""
    kwargs = dict(kwargs or {})
    values = {name: value_of(formula, args, kwargs) for name, formula in (wrong or {}).items()}
    values = {name: value for name, value in values.items()
              if value is not None and shapes(value) == shapes(expected)}  # fmt: skip
    return matching(got, values, expected)


def hinted(verdict: Verdict, phrase: str | None) -> Verdict:
    """A failing verdict with "This looks like <phrase>." appended when there is a phrase."""
    if verdict.ok or not phrase:
        return verdict
    return Verdict(False, f"{verdict.message} This looks like {phrase}.")


def relation(got: Any, expected: Any) -> str | None:
    """A plain relation (sign, factor, transpose, order), for non-square matrices compared flat."""
    answer, reference = real_array(got), real_array(expected)
    if answer is None or reference is None:
        return None
    if answer.shape == reference.shape and answer.ndim == 2 and answer.shape[0] != answer.shape[1]:
        return describe_relation(answer.ravel(), reference.ravel())
    return describe_relation(answer, reference)


def judge_part(got: Any, expected: Any, call: str, **tolerance: float) -> Verdict:
    """A number or an array like the reference's (the oracle that fits the reference)."""
    if is_real_number(expected):
        return check_number(got, float(expected), call=call, **tolerance)
    return check_array(got, np.asarray(expected), call=call, **tolerance)


def same_answer(student: StudentProxy, reference: ModuleType, function: str, *args: Any,
                wrong: Wrong | None = None, rtol: float = 1e-8, atol: float = 1e-12,
                **kwargs: Any) -> Any:  # fmt: skip
    """A number or an array equal to the reference's, naming the mistake that gives it."""
    got = getattr(student, function)(*args, **kwargs)
    expected = getattr(reference, function)(*args, **kwargs)
    verdict = judge_part(got, expected, student.last_call, rtol=rtol, atol=atol)
    if not verdict.ok:
        phrase = named(got, expected, wrong, args, kwargs)
        require(hinted(verdict, phrase or relation(got, expected)))
    return got


def same_answers(student: StudentProxy, reference: ModuleType, function: str,
                 calls: Sequence[tuple], *, wrong: Wrong | None = None) -> None:  # fmt: skip
    """Calls of one function (positional arguments), each answer the reference's.

    At the first wrong answer, the mistake named is the one that reproduces every answer so far:
    the right ones before it too, which tells apart mistakes that agree on the failing call alone
    (clipping a zero gradient to max_norm = 0 is 0 / 0 both when every gradient is scaled and
    when a norm equal to max_norm is).
    """
    answers: list[Any] = []
    for position, args in enumerate(calls):
        got = getattr(student, function)(*args)
        answers.append(got)
        expected = getattr(reference, function)(*args)
        verdict = judge_part(got, expected, student.last_call)
        if verdict.ok:
            continue
        fits = [
            name
            for name, formula in (wrong or {}).items()
            if name in telling({name: value_of(formula, args, {})}, expected)
            and all(_reproduces(formula, calls[j], answers[j]) for j in range(position + 1))
        ]
        phrase = fits[0] if len(fits) == 1 else relation(got, expected)
        require(hinted(verdict, phrase))


def _reproduces(formula: Callable[..., Any], args: tuple, answer: Any) -> bool:
    """Whether the formula's value on args is this answer."""
    value, given = flat(value_of(formula, args, {})), flat(answer)
    return value is not None and given is not None and alike(value, given)


def same_floats(student: StudentProxy, reference: ModuleType, function: str, *args: Any,
                wrong: Wrong | None = None) -> Any:  # fmt: skip
    """`same_answer` for an answer of 0s and 1s that must be floats: booleans or integers with
    the right values are told so, with the mistake named."""
    got = getattr(student, function)(*args)
    call = student.last_call
    expected = getattr(reference, function)(*args)
    if isinstance(got, np.ndarray) and got.dtype.kind in "biu" and got.shape == np.shape(expected):
        values = judge_part(got.astype(float), expected, call)
        if values.ok:
            kind = "booleans" if got.dtype.kind == "b" else "integers"
            fail(f"{call} returned an array of {got.dtype} values, expected float values (the "
                 f"0s and 1s are right). This looks like the 0s and 1s kept as {kind}; return a "
                 "float array, e.g. (z > 0).astype(float).")  # fmt: skip
        require(hinted(values, named(got.astype(float), expected, wrong, args)))
    verdict = judge_part(got, expected, call)
    require(hinted(verdict, None if verdict.ok else named(got, expected, wrong, args)))
    return got


def tuple_verdict(got: Any, expected: tuple, call: str, labels: Sequence[str],
                  **tolerance: float) -> tuple[Verdict, int | None]:  # fmt: skip
    """The first failing part's verdict (and its position), or OK and None."""
    verdict = check_tuple(got, len(expected), call=call)
    if not verdict.ok:
        return verdict, None
    for position, (part, want) in enumerate(zip(got, expected, strict=True)):
        verdict = judge_part(part, want, f"{call}: {labels[position]}", **tolerance)
        if not verdict.ok:
            return verdict, position
    return verdict, None


def same_tuple(student: StudentProxy, reference: ModuleType, function: str, args: tuple,
               kwargs: Mapping[str, Any] | None = None, *, labels: Sequence[str],
               wrong: Wrong | None = None, **tolerance: float) -> tuple:  # fmt: skip
    """A tuple whose parts are each the reference's; a wrong one names the mistake giving all."""
    kwargs = dict(kwargs or {})
    got = getattr(student, function)(*args, **kwargs)
    call = student.last_call
    expected = getattr(reference, function)(*args, **kwargs)
    verdict, position = tuple_verdict(got, expected, call, labels, **tolerance)
    if verdict.ok:
        return got
    phrase = named(got, expected, wrong, args, kwargs) if isinstance(got, tuple) else None
    if phrase is None and position is not None:
        phrase = relation(got[position], expected[position])
    require(hinted(verdict, phrase))
    return got


def same_steps(student: StudentProxy, reference: ModuleType, function: str, x: np.ndarray,
               state: tuple[np.ndarray, ...], grads: Sequence[np.ndarray], *,
               labels: Sequence[str], wrong: Wrong | None = None, first_t: int | None = None,
               **kwargs: Any) -> None:  # fmt: skip
    """Steps of an optimiser, each on the student's own x and state from the step before.

    Every step is judged against the reference on the same arguments, so a mistake shows at the
    step where it first changes the answer, named with the inputs of that step. `first_t`, for
    Adam, is the step number of the first call (counted on by one per call).
    """
    for number, grad in enumerate(grads):
        timing = () if first_t is None else (first_t + number,)
        args = (x, *state, grad, *timing)
        got = same_tuple(student, reference, function, args, kwargs, labels=labels, wrong=wrong)
        x, state = got[0], tuple(got[1:])


def leaves_arguments_alone(student: StudentProxy, reference: ModuleType, function: str,
                           args: tuple, names: Sequence[str], *,
                           labels: Sequence[str] = (),
                           wrong: Wrong | None = None) -> None:  # fmt: skip
    """The call leaves every array argument as it was (`names`: the signature's names) and
    returns the reference's answer (`labels`: the names of a tuple's parts), naming the mistake
    that gives a wrong one: not touching the input earns nothing on its own."""
    result = getattr(student, function).with_args(*args)
    call = student.last_call
    after = result.args_after or ()
    changed = [
        name
        for name, before, now in zip(names, args, after, strict=False)
        if isinstance(before, np.ndarray) and not np.array_equal(before, np.asarray(now))
    ]
    if changed:
        which = " and ".join(changed)
        fail(f"{call} changed {which} in place; an update such as `{changed[0]} += ...` or "
             f"`{changed[0]} *= ...` writes into the caller's array: compute a new array "
             "instead.")  # fmt: skip
    expected = getattr(reference, function)(*args)
    got = result.value
    if isinstance(expected, tuple):
        verdict, _ = tuple_verdict(got, expected, call, labels)
    else:
        verdict = same_value(got, expected, call)
    require(hinted(verdict, None if verdict.ok else named(got, expected, wrong, args)))


def plain_inputs(judge: Callable[[tuple], Any], given: tuple, as_floats: tuple,
                 advice: str = FLOAT_ADVICE) -> None:  # fmt: skip
    """Judge a call on int or list input; if it fails while the same call on float arrays passes,
    say so and give `advice`."""
    try:
        judge(given)
    except CheckFailure as failure:
        try:
            judge(as_floats)
        except CheckFailure:
            raise failure from None
        fail(f"{failure} The same call with float arrays is right: {advice}.")


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


def which_wrong(got: tuple, expected: tuple, **tolerance: float) -> list[str]:
    """The names of the parameters whose gradient is not the expected one."""
    return [
        name
        for name, part, want in zip(PARAMETERS, got, expected, strict=True)
        if not judge_part(part, want, name, **tolerance).ok
    ]


def gradients_answer(student: StudentProxy, args: tuple, expected: tuple) -> tuple[tuple, str]:
    """The student's (dW1, db1, dW2, db2), checked for form against `expected`: a tuple of four
    parts, each of its shape (a transposed dW1 said so), db2 a number."""
    got = student.mlp_gradients(*args)
    call = student.last_call
    require(check_tuple(got, 4, call=call))
    for name, part, want in zip(PARAMETERS, got, expected, strict=True):
        shape = np.shape(want)
        if shape == ():
            if not is_real_number(part):
                require(check_number(part, float(want), call=f"{call}: db2"))
            continue
        if not isinstance(part, np.ndarray):
            require(check_array(part, want, call=f"{call}: {name}"))
        if part.shape != shape:
            transposed = name == "dW1" and part.shape == shape[::-1]
            fail(f"{call}: {name} has shape {part.shape}, expected {shape}."
                 + (f" This looks like {W1_TRANSPOSED}." if transposed else ""))  # fmt: skip
    return got, call


def listed(names: Sequence[str]) -> str:
    """ "dW1", "dW1 and db1", "dW1, db1 and dW2"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def gradient_message(call: str, wrong_parts: Sequence[str], phrase: str | None) -> str:
    """Which parameters' gradients are wrong, and why when it is known."""
    right = [name for name in PARAMETERS if name not in wrong_parts]
    if not right:
        message = f"{call}: every gradient ({listed(PARAMETERS)}) is wrong."
    else:
        verb, other = ("is", "are") if len(wrong_parts) == 1 else ("are", "are")
        other = "is" if len(right) == 1 else other
        message = f"{call}: {listed(wrong_parts)} {verb} wrong ({listed(right)} {other} right)."
    return message + (f" This looks like {phrase}." if phrase else "")


def same_gradients(student: StudentProxy, reference: ModuleType, args: tuple, *,
                   wrong: Wrong | None = None) -> None:  # fmt: skip
    """mlp_gradients against the reference, part by part, naming the parameters that are wrong
    and the mistake that reproduces all four parts."""
    expected = reference.mlp_gradients(*args)
    got, call = gradients_answer(student, args, expected)
    wrong_parts = which_wrong(got, expected)
    if not wrong_parts:
        return
    phrase = named(got, expected, wrong, args)
    first = PARAMETERS.index(wrong_parts[0])
    detail = judge_part(got[first], expected[first], wrong_parts[0]).message
    if phrase is None:
        phrase = relation(got[first], expected[first])
    fail(f"{gradient_message(call, wrong_parts, phrase)} First: {detail}")


# --- the finite-difference gradient check of mlp_loss ----------------------------------------

FD_STEP = 1e-6


def central_gradients(loss: Callable[..., float], args: tuple, h: float = FD_STEP) -> tuple:
    """Central differences of loss(W1, b1, W2, b2, X, y) along every parameter entry."""
    W1, b1, W2, X, y = floats(args[0], args[1], args[2], args[4], args[5])
    parameters = [W1, b1, W2, np.array(float(args[3]))]
    result = []
    for index, parameter in enumerate(parameters):
        slope = np.zeros_like(parameter)
        for entry in np.ndindex(parameter.shape):
            values = []
            for step in (h, -h):
                moved = [p.copy() for p in parameters]
                moved[index][entry] += step
                values.append(loss(moved[0], moved[1], moved[2], float(moved[3]), X, y))
            slope[entry] = (values[0] - values[1]) / (2 * h)
        result.append(slope)
    return result[0], result[1], result[2], float(result[3])


def fd_tolerance(loss: float, h: float = FD_STEP) -> float:
    """What central differences of this loss may be off by: rounding of the loss (about 1e-16
    of the loss's size per evaluation, over 2h) and the truncation error h**2 / 6 times a third
    derivative, which for these small networks stays below 100 times the loss scale plus 1."""
    scale = abs(loss) + 1.0
    return 4e-16 * scale / h + 100.0 * scale * h**2


def gradient_check(student: StudentProxy, loss: Callable[..., float], args: tuple, *,
                   wrong: Wrong | None = None) -> None:  # fmt: skip
    """mlp_gradients against central differences of the given mlp_loss (not the reference):
    each wrong part named, and the mistake when one reproduces the student's answer."""
    numeric = central_gradients(loss, args)
    got, call = gradients_answer(student, args, numeric)
    allowed = fd_tolerance(loss(*args))
    wrong_parts = which_wrong(got, numeric, rtol=1e-5, atol=allowed)
    if not wrong_parts:
        return
    values = {name: value_of(formula, args, {}) for name, formula in (wrong or {}).items()}
    values = {name: value for name, value in values.items() if value is not None}
    # central differences are right to about 1e-9 here, so a looser match than APART
    phrase = matching(got, values, numeric, rtol=1e-4)
    first = PARAMETERS.index(wrong_parts[0])
    shown = judge_part(got[first], numeric[first], wrong_parts[0], rtol=1e-5, atol=allowed)
    fail(f"{gradient_message(call, wrong_parts, phrase)} Central differences of mlp_loss "
         f"(h = {FD_STEP:g}) disagree: {shown.message}")  # fmt: skip


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
