"""What a check author writes with: the `check` marker, failures with a student message, `require`.

A check is a pytest test function in one of a course's check files (course.toml names them):

    @check("area", weight=2)
    def test_worked_example(student, reference):
        require(check_number(student.area(0.5), reference.area(0.5), call="area(0.5)"))

The exercise's points (course.toml) are shared among its checks in proportion to their weights.
A check fails with the message of the `CheckFailure` it raises (or of the failed call); that message
is what the student reads, so it must be one or two plain sentences.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, Protocol

import pytest

MARKER = "gradkit"


class CheckFailure(AssertionError):
    """A check that failed; `str()` is the sentence the student reads."""


class Judgement(Protocol):
    """Anything with `ok` and `message`, such as the oracles' verdicts."""

    ok: bool
    message: str


def check(exercise: str, *, weight: float = 1.0) -> Callable[[Callable], Callable]:
    """Mark a test function as a check of `exercise`, worth `weight` shares of its points."""
    if weight <= 0:
        raise ValueError("a check's weight must be positive")
    return getattr(pytest.mark, MARKER)(exercise=exercise, weight=float(weight))


def require(judgement: Judgement) -> None:
    """Fail the check with the judgement's message unless it is ok."""
    if not judgement.ok:
        raise CheckFailure(judgement.message)


def fail(message: str) -> None:
    """Fail the check with this message for the student."""
    raise CheckFailure(message)


def short_repr(value: Any, limit: int = 60) -> str:
    """A compact rendering of an argument or a value for messages: arrays on one line, capped.

    Only about as much of the value is rendered as can be shown: of a long string, list, tuple
    or dict, only its first `limit` characters or items, which render to more than `limit`
    characters, so the text is the same as if all of it had been rendered and then cut.
    """
    import numpy as np

    from grader.oracles.values import array_text

    if isinstance(value, np.ndarray):
        text = f"array({array_text(value, precision=6, threshold=8)})"
    elif isinstance(value, float):
        text = repr(float(value))
    elif isinstance(value, str):
        text = repr(value[:limit])
    else:
        if isinstance(value, (list, tuple)) and len(value) > limit:
            value = value[:limit]
        elif isinstance(value, dict) and len(value) > limit:
            value = dict(itertools.islice(value.items(), limit))
        try:
            text = repr(value)
        except RecursionError:  # a container nested past the recursion limit
            text = f"a deeply nested {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_call(function: str, args: tuple, kwargs: dict) -> str:
    """`name(arg, ..., key=value)` as a student would have written the call."""
    parts = [short_repr(arg) for arg in args]
    parts += [f"{key}={short_repr(value)}" for key, value in kwargs.items()]
    return f"{function}({', '.join(parts)})"


class CallDescription:
    """A call, rendered as `describe_call` text only when a message needs it.

    Most checks pass, and rendering arrays costs more than the call itself, so the text waits.
    """

    __slots__ = ("args", "function", "kwargs")

    def __init__(self, function: str, args: tuple, kwargs: dict) -> None:
        self.function = function
        self.args = args
        self.kwargs = kwargs

    def __str__(self) -> str:
        return describe_call(self.function, self.args, self.kwargs)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __add__(self, other: str) -> str:
        return str(self) + other
