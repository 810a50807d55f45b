"""Naming the mistake behind a wrong answer, to append to its message ("This looks like ...").

First the known wrong formulas a check supplies, by name (STACK's potential response trees and
WeBWorK's answer hints work the same way): ``{"the factor 2 forgotten": x @ A @ x, ...}``, each
name a noun phrase that reads after "This looks like". Failing those, a relation between the answer
and the expected value: a constant factor, the opposite sign, zeros, a transpose, a reshape, the
right values in another order. Checks should use inputs on which every wrong formula gives a
different answer (a non-symmetric A, points where f < 0 < f'), or the first match is a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from grader.oracles.compare import Verdict
from grader.oracles.values import is_real_number

# A single number is some multiple of any other, so for numbers only these factors are named.
SIMPLE_DENOMINATORS = range(2, 11)


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
    got: Any, candidates: Mapping[str, Any], *, rtol: float = 1e-6, atol: float = 1e-12
) -> str | None:
    """The name of the first known wrong formula whose value the answer matches, or None."""
    answer = real_array(got)
    if answer is None:
        return None
    for name, value in candidates.items():
        wrong = real_array(value)
        if wrong is not None and wrong.shape == answer.shape and _close(answer, wrong, rtol, atol):
            return name
    return None


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
    """A failing verdict with "This looks like ..." appended when a mistake can be named."""
    if verdict.ok:
        return verdict
    phrase = diagnose(got, candidates or {}, rtol=rtol) or describe_relation(
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
    """Elementwise closeness anchored on the reference, like every oracle here."""
    return bool(np.all(np.abs(answer - reference) <= atol + rtol * np.abs(reference)))


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
    c = float(flat @ base / (base @ base))
    if not _close(flat, c * base, rtol, atol):
        return None
    for n in SIMPLE_DENOMINATORS:
        if abs(abs(c) - n) <= rtol * n:
            return f"{'-' if c < 0 else ''}{n}"
        if abs(abs(c) - 1 / n) <= rtol / n:
            return f"{'-' if c < 0 else ''}1/{n}"
    if np.count_nonzero(base) < 2:
        return None
    return f"{c:.3g}"
