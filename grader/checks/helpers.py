"""Shared steps of checks: call the student and the reference alike, then judge with an oracle."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.checking import fail, require
from grader.oracles.compare import check_array, check_label, check_number, check_tuple
from grader.proxy import StudentProxy


def same_number(student: StudentProxy, reference: Any, function: str, *args: Any,
                rtol: float = 1e-8, atol: float = 1e-12, **kwargs: Any) -> float:  # fmt: skip
    """The student's number must match the reference's (anchored on the reference)."""
    got = getattr(student, function)(*args, **kwargs)
    expected = getattr(reference, function)(*args, **kwargs)
    require(check_number(got, expected, call=student.last_call, rtol=rtol, atol=atol))
    return got


def same_array(student: StudentProxy, reference: Any, function: str, *args: Any,
               rtol: float = 1e-8, atol: float = 1e-12, **kwargs: Any) -> np.ndarray:  # fmt: skip
    """The student's array must have the reference's type, shape and values."""
    got = getattr(student, function)(*args, **kwargs)
    expected = getattr(reference, function)(*args, **kwargs)
    require(check_array(got, expected, call=student.last_call, rtol=rtol, atol=atol))
    return got


def same_label(student: StudentProxy, reference: Any, function: str, *args: Any,
               vocabulary: tuple[str, ...], **kwargs: Any) -> str:  # fmt: skip
    """The student's label must be the reference's, from the exercise's vocabulary."""
    got = getattr(student, function)(*args, **kwargs)
    expected = getattr(reference, function)(*args, **kwargs)
    require(check_label(got, expected, call=student.last_call, vocabulary=vocabulary))
    return got


def same_pair(student: StudentProxy, reference: Any, function: str, *args: Any,
              **kwargs: Any) -> tuple:  # fmt: skip
    """A tuple of two arrays, each like the reference's."""
    got = getattr(student, function)(*args, **kwargs)
    call = student.last_call
    expected = getattr(reference, function)(*args, **kwargs)
    require(check_tuple(got, 2, call=call))
    for position, (part, want) in enumerate(zip(got, expected, strict=True)):
        verdict = check_array(part, want, call=f"{call}[{position}]")
        require(verdict)
    return got


def unchanged_arguments(student: StudentProxy, function: str, *args: Any) -> None:
    """Calling the function must leave its array arguments as they were."""
    result = getattr(student, function).with_args(*args)
    call = student.last_call
    for position, (before, after) in enumerate(zip(args, result.args_after or (), strict=False)):
        if isinstance(before, (np.ndarray, list)) and not np.array_equal(
            np.asarray(before), np.asarray(after)
        ):
            fail(f"{call} changed its argument number {position + 1} in place; "
                 "compute a new array instead of updating the one you were given.")  # fmt: skip


def same_batches(student: StudentProxy, reference: Any, *args: Any) -> None:
    """`minibatches`: a list of integer arrays equal, batch by batch, to the reference's."""
    got = student.minibatches(*args)
    call = student.last_call
    expected = reference.minibatches(*args)
    if not isinstance(got, list) or len(got) != len(expected):
        fail(f"{call} should return a list of {len(expected)} integer arrays.")
    for position, (batch, want) in enumerate(zip(got, expected, strict=True)):
        if not isinstance(batch, np.ndarray) or batch.dtype.kind not in "iu":
            fail(f"{call}: batch {position} should be a numpy array of integers.")
        if not np.array_equal(batch, want):
            fail(f"{call}: batch {position} is {batch.tolist()[:10]}, expected {want.tolist()[:10]}"
                 f" (default_rng(seed).permutation(n_samples) cut in order).")  # fmt: skip
