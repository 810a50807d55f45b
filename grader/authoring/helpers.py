"""Shared steps of checks: call the student and the reference alike, then judge with an oracle.

`wrong` maps the name of a known misconception (as the student should read it, e.g. "the factor 2
forgotten") to the wrong formula, called with the same arguments. When an answer fails, the message
names the formula that reproduces it if that formula's value on the call is apart from the right
answer, from zero and from every other formula's value (`grader.oracles.misconceptions.told_apart`:
where two formulas coincide neither is named); otherwise it names a plain relation (a sign flip, a
factor, a transpose), or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from grader.grading.marker import fail, require
from grader.grading.proxy import StudentProxy
from grader.grading.reference_memo import remembered
from grader.oracles.compare import Verdict, check_array, check_label, check_number, check_tuple
from grader.oracles.misconceptions import with_hint
from grader.oracles.values import is_real_number

Wrong = Mapping[str, Callable[..., Any]]
# How a wrong formula says it has no value on some arguments (an int-only mistake given a float,
# a division by zero): it cannot be the student's mistake there.
NO_VALUE_HERE = (ArithmeticError, ValueError, TypeError, IndexError)
_NO_LABEL = object()


def same_number(student: StudentProxy, reference: Any, function: str, *args: Any,
                rtol: float = 1e-8, atol: float = 1e-12, wrong: Wrong | None = None,
                **kwargs: Any) -> float:  # fmt: skip
    """The student's number must match the reference's (anchored on the reference)."""
    got = getattr(student, function)(*args, **kwargs)
    expected = getattr(reference, function)(*args, **kwargs)
    verdict = check_number(got, expected, call=student.last_call, rtol=rtol, atol=atol)
    require(explain(verdict, got, expected, wrong, args, kwargs))
    return got


def same_array(student: StudentProxy, reference: Any, function: str, *args: Any,
               rtol: float = 1e-8, atol: float = 1e-12, wrong: Wrong | None = None,
               **kwargs: Any) -> np.ndarray:  # fmt: skip
    """The student's array must have the reference's type, shape and values."""
    got = getattr(student, function)(*args, **kwargs)
    expected = getattr(reference, function)(*args, **kwargs)
    verdict = check_array(got, expected, call=student.last_call, rtol=rtol, atol=atol)
    require(explain(verdict, got, expected, wrong, args, kwargs))
    return got


def explain(verdict: Verdict, got: Any, expected: Any, wrong: Wrong | None, args: Sequence[Any],
            kwargs: Mapping[str, Any]) -> Verdict:  # fmt: skip
    """A failing verdict with the misconception it matches (or the relation it shows) appended;
    a formula is named only where its value is told apart from the right answer, from zero and
    from the other formulas' values on these arguments."""
    if verdict.ok:
        return verdict
    return with_hint(verdict, got, expected, wrong_values(wrong, args, kwargs))


def wrong_values(wrong: Wrong | None, args: Sequence[Any], kwargs: Mapping[str, Any]) -> dict:
    """Each wrong formula's value on these arguments, leaving out those with none here.

    Values are remembered (`grader.grading.reference_memo.remembered`): every submission that fails
    a check fails it on the same inputs, so each formula is worked out once per input.
    """
    values = {}
    for name, formula in (wrong or {}).items():
        try:
            values[name] = remembered(formula)(*args, **kwargs)
        except NO_VALUE_HERE:
            continue
    return values


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


def unchanged_arguments(student: StudentProxy, function: str, *args: Any, reference: Any = None,
                        judge: Callable[[Any, str], Verdict] | None = None) -> None:  # fmt: skip
    """Calling the function must leave its array arguments as they were, and, when `reference` is
    given, return the reference's answer: not touching the input earns nothing on its own.

    `judge` (the student's answer, the call in words) -> Verdict stands in for `reference` where
    the answer is judged otherwise (against central differences, with a tolerance of its own)."""
    result = getattr(student, function).with_args(*args)
    call = student.last_call
    for position, (before, after) in enumerate(zip(args, result.args_after or (), strict=False)):
        if isinstance(before, (np.ndarray, list)) and not np.array_equal(
            np.asarray(before), np.asarray(after)
        ):
            fail(f"{call} changed its argument number {position + 1} in place; "
                 "compute a new array instead of updating the one you were given.")  # fmt: skip
    if judge is not None:
        require(judge(result.value, call))
    elif reference is not None:
        expected = getattr(reference, function)(*args)
        require(same_value(result.value, expected, call))


def same_value(got: Any, expected: Any, call: str) -> Verdict:
    """The oracle that fits the reference's answer: a number (in any of its forms, a 0-d array
    included), or an array (of any nesting)."""
    if is_real_number(expected):
        return check_number(got, float(expected), call=call)
    return check_array(got, np.asarray(expected), call=call)


def same_labels(student: StudentProxy, reference: Any, function: str,
                cases: Sequence[tuple[tuple, dict]], *, vocabulary: tuple[str, ...],
                wrong: Wrong | None = None) -> None:  # fmt: skip
    """A label for each case, given as (positional arguments, keyword arguments).

    A wrong one names the mistake that gives all the answers the student gave, when only one
    does: one label alone fits too many mistakes, and where two mistakes agree on every case
    (d == tol says 'increasing' both for `d >= tol` and for `d > 0`) naming either would be a
    guess, so neither is named.
    """
    answers, failure = [], None
    for args, kwargs in cases:
        got = getattr(student, function)(*args, **kwargs)
        expected = getattr(reference, function)(*args, **kwargs)
        verdict = check_label(got, expected, call=student.last_call, vocabulary=vocabulary)
        answers.append(got)
        if failure is None and not verdict.ok:
            failure = verdict
    if failure is None:
        return
    matches = [
        name
        for name, formula in (wrong or {}).items()
        if all(
            isinstance(got, str) and _label_of(formula, args, kwargs) == got
            for (args, kwargs), got in zip(cases, answers, strict=True)
        )
    ]
    if len(matches) == 1:
        fail(f"{failure.message} This looks like {matches[0]}.")
    fail(failure.message)


def _label_of(formula: Callable[..., Any], args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
    """A wrong rule's label on one case, or `_NO_LABEL` where it has none (it matches no
    answer then)."""
    try:
        return remembered(formula)(*args, **kwargs)
    except NO_VALUE_HERE:
        return _NO_LABEL
