"""The reference solution as the checks see it: each answer computed once per grading session.

A check's inputs come from its own seeded generator, so every submission asks the reference the
same questions; recomputing them (a SymPy derivative, a trajectory of a hundred steps) for each
of 10,000 submissions would cost more than running the student's code. `MemoizedReference`
answers a repeated call from its memory, with a deep copy so that a check which changes an
answer cannot change it for the next submission.

Calls are recognised by the exact value of their arguments: numbers with their type, arrays with
their dtype, shape and bytes, containers element by element, and callables (the grader's own
`FuncSpec` functions) by identity, kept alive with the entry so that an identity is never reused.
A call with any other kind of argument is simply not remembered, and a function remembers its
newest `MAX_ANSWERS` answers only: inputs that vary per submission (a hidden check's are each
student's own) must not make memory grow with the number of submissions.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Hashable
from types import ModuleType
from typing import Any

import numpy as np

MAX_ANSWERS = 1024  # per reference function; checks ask each far fewer distinct questions
# Functions `remembered` keeps answers for, and answers per function: the checks' formulas are
# defined once, at import, and each is asked about a few inputs; a formula made afresh for each
# submission, or inputs that vary, would only fill memory, so past these bounds nothing is kept.
MAX_FUNCTIONS = 256
MAX_FORMULA_ANSWERS = 64


class _Unkeyable(Exception):
    """An argument whose value cannot be told apart reliably: the call is not remembered."""


class MemoizedReference:
    """Attribute access to a reference module (or replay object) whose functions remember calls."""

    def __init__(self, reference: ModuleType | Any) -> None:
        self._reference = reference
        self._functions: dict[str, Callable[..., Any]] = {}

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._reference, name)
        if name.startswith("_") or not callable(value) or isinstance(value, type):
            return value
        if name not in self._functions:
            self._functions[name] = _remembering(value)
        return self._functions[name]


_remembered: dict[Callable[..., Any], Callable[..., Any]] = {}


def remembered(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, answering repeated calls from memory as the reference's functions do.

    For the checks' own trusted formulas (the known wrong answers a failing answer is compared
    with), which are asked the same questions for every submission that fails the same way.
    """
    wrapper = _remembered.get(function)
    if wrapper is None:
        if len(_remembered) >= MAX_FUNCTIONS:
            return function
        wrapper = _remembered[function] = _remembering(function, MAX_FORMULA_ANSWERS)
    return wrapper


def _remembering(function: Callable[..., Any], limit: int | None = None) -> Callable[..., Any]:
    answers: dict[Hashable, tuple[tuple, Any]] = {}

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        kept: list[Any] = []
        try:
            key = (_key(args, kept), _key(sorted(kwargs.items()), kept))
        except _Unkeyable:
            return function(*args, **kwargs)
        if key in answers:
            return copy.deepcopy(answers[key][1])
        answer = function(*args, **kwargs)
        if len(answers) >= (MAX_ANSWERS if limit is None else limit):
            # The oldest answer makes room: a hidden check's inputs are each student's own, and
            # the session asks them twice in a row (rehearsing the plan, then grading).
            del answers[next(iter(answers))]
        answers[key] = (tuple(kept), copy.deepcopy(answer))
        return answer

    return call


def _key(value: Any, kept: list[Any]) -> Hashable:
    """A hashable value, equal for two arguments just when the reference cannot tell them apart."""
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        # The type is part of the key: 1, 1.0 and True are equal in Python but are different
        # inputs to a check (an int input is tested on purpose); repr tells -0.0 from 0.0.
        return (type(value).__name__, repr(value))
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise _Unkeyable
        return ("ndarray", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, np.generic):
        return ("numpy", value.dtype.str, value.tobytes())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_key(item, kept) for item in value))
    if isinstance(value, dict):
        return ("dict", tuple((_key(k, kept), _key(v, kept)) for k, v in value.items()))
    if callable(value):
        kept.append(value)
        return ("callable", id(value))
    raise _Unkeyable
