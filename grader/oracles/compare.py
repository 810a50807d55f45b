"""Comparison with a reference value: type first, then shape, then values anchored on the reference.

Every check returns a `Verdict` whose message is the one or two sentences a student reads: which
call, what came back, what was expected. Values are compared with the reference in the anchor slot,
``abs(got - ref) <= atol + rtol * abs(ref)``, so a wrong answer cannot widen its own tolerance
(``np.allclose(got, ref)`` would scale by the student's value).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.oracles.values import (
    describe,
    format_array,
    format_number,
    format_pair,
    is_real_number,
    real_scalar,
)

__all__ = [
    "OK",
    "Verdict",
    "check_array",
    "check_label",
    "check_number",
    "check_tuple",
    "describe",
]

# Arrays up to this size are shown in full in a message; larger ones by their worst entry only.
SHOWN_SIZE = 6


@dataclass(frozen=True)
class Verdict:
    """Whether an answer is right, and the sentence the student reads if it is not."""

    ok: bool
    message: str = ""


OK = Verdict(True)


def check_number(
    got: Any, expected: float, *, call: str, rtol: float = 1e-8, atol: float = 1e-12
) -> Verdict:
    """A real number within atol + rtol * |expected| of it: a Python or numpy int or float, or a
    0-d array of either (see `is_real_number`), judged by its value as a float64."""
    reference = _finite_reference(expected)
    if not is_real_number(got):
        return Verdict(False, _not_a_number(got, call))
    got = real_scalar(got)
    value = _as_float(got)
    if not np.isfinite(value):
        why = "an undefined operation such as 0/0" if np.isnan(value) else "an overflow or 1/0"
        return Verdict(
            False,
            f"{call} returned {format_number(value)}, expected {format_number(reference)}; "
            f"{format_number(value)} usually comes from {why}.",
        )
    allowed = atol + rtol * abs(reference)
    difference = abs(value - reference)
    if difference <= allowed:
        return OK
    shown, wanted = format_pair(value, reference)
    message = f"{call} returned {shown}, expected {wanted}."
    if difference <= 1e-3 * abs(reference):
        message += f" They differ by {difference:.2g}, more than the {allowed:.2g} allowed here."
    return Verdict(False, message + _precision_hint(got, difference, reference))


def check_array(
    got: Any,
    expected: Any,
    *,
    call: str,
    rtol: float = 1e-8,
    atol: float = 1e-12,
    shape: tuple[int, ...] | None = None,
) -> Verdict:
    """A numpy array of real numbers, of the expected shape, elementwise close to the reference."""
    reference = np.asarray(expected, dtype=float)
    want = reference.shape if shape is None else tuple(shape)
    if reference.shape != want:
        raise ValueError(f"the reference has shape {reference.shape}, the check asks for {want}")
    if not np.all(np.isfinite(reference)):
        raise ValueError("the reference array holds nan or inf")
    if not isinstance(got, np.ndarray):
        return Verdict(False, _not_an_array(got, call, want))
    if got.shape != want:
        return Verdict(False, _wrong_shape(got.shape, want, call))
    if got.dtype.kind not in "iuf":
        return Verdict(False, f"{call} returned {describe(got)}, expected an array of numbers.")
    values = got.astype(float)
    finite = np.isfinite(values)
    if not np.all(finite):
        first = tuple(np.argwhere(~finite)[0])
        where, bad = _index(first), format_number(values[first])
        return Verdict(
            False, f"{call} returned an array holding {bad} at {where}, expected finite numbers."
        )
    allowed = atol + rtol * np.abs(reference)
    difference = np.abs(values - reference)
    failing = difference > allowed
    if not np.any(failing):
        return OK
    hint = _precision_hint(got, float(np.max(difference)), float(np.max(np.abs(reference))))
    # the worst entry is the one furthest outside its own tolerance (inf where none is allowed)
    excess = np.where(failing, difference / np.where(allowed > 0, allowed, 1.0), 0.0)
    excess[failing & (allowed == 0)] = np.inf
    worst = np.unravel_index(int(np.argmax(excess)), excess.shape)
    shown, wanted = format_pair(values[worst], reference[worst])
    detail = f"at {_index(worst)} it holds {shown} instead of {wanted}"
    if got.size <= SHOWN_SIZE:
        return Verdict(
            False,
            f"{call} returned {format_array(values)}, expected "
            f"{format_array(reference)}; {detail}.{hint}",
        )
    wrong = int(np.count_nonzero(failing))
    return Verdict(
        False,
        f"{call} returned an array that differs from the expected one at "
        f"{wrong} of {got.size} positions; {detail}.{hint}",
    )


def check_label(got: Any, expected: str, *, call: str, vocabulary: Sequence[str]) -> Verdict:
    """A str from the exercise's vocabulary, equal to the reference's label."""
    if expected not in vocabulary:
        raise ValueError(f"the expected label {expected!r} is not in the vocabulary")
    labels = _one_of(vocabulary)
    if not isinstance(got, str):
        return Verdict(False, f"{call} returned {describe(got)}, expected a str, one of {labels}.")
    if got not in vocabulary:
        message = f"{call} returned {describe(got)}, which is not one of {labels}."
        near = [label for label in vocabulary if label == got.strip().lower()]
        if near:
            message += f" Did you mean {near[0]!r}? Labels must match exactly."
        return Verdict(False, message)
    if got != expected:
        return Verdict(False, f"{call} returned {got!r}, expected {expected!r}.")
    return OK


def check_tuple(got: Any, expected_len: int, *, call: str) -> Verdict:
    """A tuple of exactly `expected_len` items (their values are checked separately)."""
    wanted = f"a tuple of {expected_len} items"
    if isinstance(got, list) and len(got) == expected_len:
        return Verdict(
            False,
            f"{call} returned {describe(got)}, expected {wanted}; "
            "return them separated by commas, as in `return a, b`.",
        )
    if not isinstance(got, tuple) or len(got) != expected_len:
        return Verdict(False, f"{call} returned {describe(got)}, expected {wanted}.")
    return OK


def _finite_reference(expected: Any) -> float:
    """The reference as a float; a non-finite reference is a bug in the check, not the answer."""
    reference = float(expected)
    if not np.isfinite(reference):
        raise ValueError(f"the reference value {reference} is not finite")
    return reference


def _as_float(value: Any) -> float:
    """A real number as a float; an int too large for a float becomes inf, like any overflow."""
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")


def _precision_hint(got: Any, difference: float, reference: float) -> str:
    """Why a close float32 (or float16) answer is refused, or ''.

    Such a number keeps about 6 (or 3) significant digits, and is judged like any other by its
    value: it passes where the tolerance allows that much rounding and fails where it does not
    (rtol 1e-8 for a closed form). A failing one that is close (within 1e-3) hears that the dtype,
    rather than the formula, is the likely cause.
    """
    dtype = getattr(got, "dtype", None)
    if dtype is None or dtype.kind != "f" or dtype.itemsize >= 8:
        return ""
    if difference > 1e-3 * max(abs(reference), 1.0):
        return ""
    return (
        f" The answer is a numpy {dtype.name}, which keeps only about "
        f"{np.finfo(dtype).precision} significant digits: compute in float64, numpy's default, "
        "instead (converting the result afterwards does not bring the digits back)."
    )


def _not_a_number(got: Any, call: str) -> str:
    """The message for an answer that is not a real number, with a hint where one helps."""
    if got is None:
        return f"{call} returned None, expected a number; is a return statement missing?"
    if isinstance(got, str):
        return f"{call} returned the text {describe(got)}, expected a number, not a str."
    number = _complex_value(got)
    if number is not None and number.imag == 0:
        return (
            f"{call} returned {describe(got)}, expected a number; its imaginary part is 0, "
            "so return its real part (.real) as a float."
        )
    if isinstance(got, np.ndarray) and got.size == 1 and got.dtype.kind in "iuf":
        return (
            f"{call} returned {describe(got)}, expected a single number; "
            "take it out with float(...)."
        )
    if isinstance(got, (bool, np.bool_)) or getattr(got, "dtype", None) == np.bool_:
        return f"{call} returned {describe(got)}, expected a number, not a bool."
    return f"{call} returned {describe(got)}, expected a number."


def _complex_value(got: Any) -> complex | None:
    """A complex scalar (Python, numpy, or a 0-d complex array) as a complex, else None."""
    if isinstance(got, np.ndarray):
        got = got[()] if got.ndim == 0 else None
    if isinstance(got, (complex, np.complexfloating)):
        return complex(got)
    return None


def _not_an_array(got: Any, call: str, want: tuple[int, ...]) -> str:
    """The message for an answer that is not a numpy array at all."""
    if isinstance(got, (list, tuple)):
        return (
            f"{call} returned {describe(got)}, expected a numpy array of shape {want}; "
            "convert it with np.array(...)."
        )
    if is_real_number(got):
        return f"{call} returned the number {describe(got)}, expected an array of shape {want}."
    return f"{call} returned {describe(got)}, expected a numpy array of shape {want}."


def _wrong_shape(shape: tuple[int, ...], want: tuple[int, ...], call: str) -> str:
    """The message for an array of the wrong shape, naming the usual column/flat mix-up."""
    message = f"{call} returned an array of shape {shape}, expected shape {want}."
    if len(want) == 1 and shape in ((want[0], 1), (1, want[0])):
        return message[:-1] + "; it is 2-D where a flat 1-D array was asked (see .ravel())."
    if len(shape) == 1 and want in ((shape[0], 1), (1, shape[0])):
        return message[:-1] + f"; it is flat where a 2-D array was asked (see .reshape{want})."
    return message


def _index(position: Any) -> str:
    """An array position as students write it: `index 2` or `index (1, 0)`."""
    numbers = tuple(int(i) for i in position)
    return f"index {numbers[0]}" if len(numbers) == 1 else f"index {numbers}"


def _one_of(vocabulary: Sequence[str]) -> str:
    """'a', 'b' or 'c'."""
    quoted = [repr(label) for label in vocabulary]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
