"""The judges of assignment `backprop`'s hidden checks, naming a mistake only where it is certain.

A mistake is named only when its value on the call is the student's answer, differs from the
right answer and from zero, and no other mistake gives that value there (naming one of two would
be a guess); `same_answers` asks the same of a check's calls together. Judges:

- `same_answer`: a number or an array, naming the mistake that reproduces it (nan included);
- `same_answers`: several calls of one function, naming the one mistake that gives every
  answer (the right ones included), where single calls cannot tell two mistakes apart;
- `same_floats`: the same for 0s and 1s that must be floats (booleans and ints told so);
- `same_tuple`: a tuple of arrays (and numbers), each part like the reference's, naming the
  mistake that reproduces every part;
- `same_steps`: an optimiser stepped several times, the student's own returned state fed back;
- `leaves_arguments_alone`: no array argument changed in place, and the right answer;
- `plain_inputs`: a call on int or list input that, when it fails, is retried on float arrays.

`network_judges.py` judges `mlp_gradients`; `known.py` declares the wrong formulas.
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
