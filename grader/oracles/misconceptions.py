"""Naming the mistake behind a wrong answer, to append to its message ("This looks like ...").

First the known wrong formulas a check supplies, by name (STACK's potential response trees and
WeBWorK's answer hints work the same way): ``{"the factor 2 forgotten": x @ A @ x, ...}``, each
name a noun phrase that reads after "This looks like". Failing those, a relation between the answer
and the expected value: a constant factor, the opposite sign, zeros, a transpose, a reshape, the
right values in another order.

A formula is named only where it is certain: its value on the call reproduces the answer and is
apart from the right answer, from zero (what a function that computes nothing returns) and from
every other candidate's value. Where two candidates coincide on a call neither is named, and the
message says nothing specific rather than something wrong; so checks should use inputs on which
every wrong formula gives a different answer (a non-symmetric A, points where f < 0 < f').
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from grader.oracles.compare import Verdict
from grader.oracles.values import is_real_number

# A single number is some multiple of any other, so for numbers only these factors are named.
SIMPLE_DENOMINATORS = range(2, 11)
# Two values closer than this, relatively and entry by entry, are one answer on a call: ten times
# the window in which `diagnose` matches an answer, so an answer that matches one candidate is
# clearly not another, nor the right answer.
APART = 1e-5


def real_array(value: Any) -> np.ndarray | None:
    """`value` as a float array if it is a real number, a real array or a list of those, or None."""
    if is_real_number(value):
        return np.array(float(value))
    if isinstance(value, np.ndarray):
        return value.astype(float) if value.dtype.kind in "iuf" else None
    if isinstance(value, (list, tuple)) and _only_real_numbers(value):
        try:
            return np.array(value, dtype=float)
        except ValueError:  # ragged nesting
            return None
    return None


def diagnose(
    got: Any,
    candidates: Mapping[str, Any],
    *,
    expected: Any = None,
    rtol: float = 1e-6,
    atol: float = 1e-12,
) -> str | None:
    """The name of the known wrong formula whose value the answer matches, or None.

    Only the candidates `told_apart` on this call are considered (apart from `expected`, the
    right answer, when it is given): a value shared by two formulas, or by a formula and the
    right answer or zero, cannot say which mistake was made.
    """
    answer = real_array(got)
    if answer is None:
        return None
    for name, value in told_apart(candidates, expected, atol=atol).items():
        wrong = real_array(value)
        if wrong is not None and wrong.shape == answer.shape and _close(answer, wrong, rtol, atol):
            return name
    return None


def told_apart(
    candidates: Mapping[str, Any],
    expected: Any = None,
    *,
    rtol: float = APART,
    atol: float = 1e-12,
) -> dict[str, Any]:
    """The candidates whose value on this call tells their mistake apart: real values that
    differ by more than `rtol` (relatively, entry by entry) from zero, from `expected` (the
    right answer, unless None) and from every other candidate's value. Two candidates that
    coincide are both left out, so that neither is named where the answer fits both."""
    values = {name: real_array(value) for name, value in candidates.items()}
    values = {name: value for name, value in values.items() if value is not None}
    right = None if expected is None else real_array(expected)
    kept = {}
    for name, value in values.items():
        if _same_answer(value, np.zeros_like(value), rtol, atol):
            continue
        if right is not None and _same_answer(value, right, rtol, atol):
            continue
        if not any(
            _same_answer(value, other, rtol, atol) for key, other in values.items() if key != name
        ):
            kept[name] = candidates[name]
    return kept


def describe_relation(
    got: Any, expected: Any, *, rtol: float = 1e-6, atol: float = 1e-12
) -> str | None:
    """A short noun phrase relating a wrong answer to the expected value, or None."""
    answer, reference = real_array(got), real_array(expected)
    if answer is None or reference is None:
        return None
    if answer.shape != reference.shape:
        return _other_shape(answer, reference, rtol, atol)
    if _close(answer, reference, rtol, atol) or not np.any(reference):
        return None
    if not np.any(answer):
        return "zeros where the expected values are not zero"
    if _close(answer, -reference, rtol, atol):
        return "the expected value with the opposite sign"
    factor = _factor(answer, reference, rtol, atol)
    if factor is not None:
        return f"the expected value off by a factor of {factor}"
    if answer.ndim == 2 and _close(answer, reference.T, rtol, atol):
        return "the transpose of the expected matrix"
    if answer.size > 1 and _close(
        np.sort(answer, axis=None), np.sort(reference, axis=None), rtol, atol
    ):
        return "the expected values in a different order"
    return None


def with_hint(
    verdict: Verdict,
    got: Any,
    expected: Any,
    candidates: Mapping[str, Any] | None = None,
    *,
    rtol: float = 1e-6,
) -> Verdict:
    """A failing verdict with "This looks like ..." appended when a mistake can be named: a
    candidate `diagnose` names (told apart from `expected` too), else a relation to `expected`."""
    if verdict.ok:
        return verdict
    phrase = diagnose(got, candidates or {}, expected=expected, rtol=rtol) or describe_relation(
        got, expected, rtol=rtol
    )
    if phrase is None:
        return verdict
    return Verdict(False, f"{verdict.message} This looks like {phrase}.")


def _only_real_numbers(items: list | tuple) -> bool:
    """True when a (nested) list or tuple holds only real numbers, so numpy reads no objects."""
    return all(
        _only_real_numbers(item) if isinstance(item, (list, tuple)) else is_real_number(item)
        for item in items
    )


def _close(answer: np.ndarray, reference: np.ndarray, rtol: float, atol: float) -> bool:
    """Elementwise closeness anchored on the reference, like every oracle here; an infinite
    reference is matched by itself only (inf * rtol is no tolerance)."""
    with np.errstate(invalid="ignore", over="ignore"):
        near = np.abs(answer - reference) <= atol + rtol * np.abs(reference)
        return bool(np.all(np.where(np.isfinite(reference), near, answer == reference)))


def _same_answer(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    """Whether two values are one answer: the same shape and, entry by entry, within rtol of the
    larger (neither is the anchor here). An infinity equals only itself, NaN nothing."""
    if a.shape != b.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        near = np.abs(a - b) <= atol + rtol * np.maximum(np.abs(a), np.abs(b))
        return bool(np.all(np.where(np.isfinite(a) & np.isfinite(b), near, a == b)))


def _other_shape(answer: np.ndarray, reference: np.ndarray, rtol: float, atol: float) -> str | None:
    """A transpose of a non-square matrix, or the same values in another shape."""
    transposed = answer.ndim == 2 and answer.shape == reference.T.shape
    if transposed and _close(answer, reference.T, rtol, atol):
        return "the transpose of the expected matrix"
    if answer.size == reference.size and _close(answer.ravel(), reference.ravel(), rtol, atol):
        return f"the expected values in shape {answer.shape} instead of {reference.shape}"
    return None


def _factor(answer: np.ndarray, reference: np.ndarray, rtol: float, atol: float) -> str | None:
    """The constant c with answer == c * reference, written for students, or None."""
    flat, base = answer.ravel(), reference.ravel()
    with np.errstate(all="ignore"):  # a huge answer overflows: no factor, not a warning
        c = float(flat @ base / (base @ base))
        if not np.isfinite(c) or not _close(flat, c * base, rtol, atol):
            return None
    for n in SIMPLE_DENOMINATORS:
        if abs(abs(c) - n) <= rtol * n:
            return f"{'-' if c < 0 else ''}{n}"
        if abs(abs(c) - 1 / n) <= rtol / n:
            return f"{'-' if c < 0 else ''}1/{n}"
    if np.count_nonzero(base) < 2:
        return None
    return f"{c:.3g}"
