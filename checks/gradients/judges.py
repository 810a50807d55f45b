"""The judges of assignment `gradients`: call the student and the reference, compare, explain.

- `same_difference`: central differences against the reference's same formula at the same step,
  within the method's rounding error along the axes stepped (`bounds.difference_tolerance`);
- `hessian_verdict` / `same_hessian`: a Hessian against the exact one, within the truncation and
  rounding error of any second-order central scheme, with a note when it is not symmetric;
  `same_grid_hessian`: against the reference at the same step where every scheme on that step's
  grid agrees, so that a Hessian that ignores its h shows;
- `same_gradient_check`: the relative error of `gradient_check`, within what the rounding of the
  numerical gradient can move it;
- `same_closed_form`, `same_direction`: closed forms, with a tight tolerance;
- `same_labels`: several labels, naming the mistake that reproduces all of the student's answers;
- `plain_inputs`: a call on int or list input that, when it fails, is retried on float arrays.

A mistake is named only when it is certain (`certain`): its value on the call is apart from the
right answer, from zero (what a submission that computes nothing returns) and from the other
candidates; otherwise the message says what came back and what was expected, and no more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from grader.authoring import (
    CheckFailure,
    StudentProxy,
    SymbolicFunction,
    Verdict,
    Wrong,
    check_array,
    check_fd,
    check_number,
    fail,
    real_array,
    same_value,
    with_hint,
    wrong_values,
)
from grader.authoring import (
    same_labels as labels,
)

from .bounds import (
    exact_hessian_at,
    gradient_check_tolerance,
    gradient_norms,
    grid_tolerance,
    hessian_tolerance,
    worst_axis,
)
from .known import HESSIAN_H, PARTIAL_H, TRUNCATING

Judge = Callable[[Any, str], Verdict]  # (the student's answer, the call in words) -> verdict


class WrongAnswer(CheckFailure):
    """A failed judgement that keeps the answer, the expected value and every wrong formula's
    value on the call, for `plain_inputs` to tell an input-type mistake from the rest."""

    def __init__(self, message: str, got: Any, expected: Any, candidates: dict[str, Any]) -> None:
        super().__init__(message)
        self.got, self.expected, self.candidates = got, expected, candidates


def reject(verdict: Verdict, got: Any, expected: Any, candidates: dict[str, Any]) -> None:
    """Fail with the verdict's message unless it is ok, keeping what `WrongAnswer` keeps."""
    if not verdict.ok:
        raise WrongAnswer(verdict.message, got, expected, candidates)


# --- naming only what is certain -------------------------------------------------------------


def alike(value: Any, other: Any, rtol: float = 1e-6, atol: float = 1e-12) -> bool:
    """Whether two finite real values (numbers or arrays) agree as `diagnose` would match them."""
    a, b = real_array(value), real_array(other)
    if a is None or b is None or a.shape != b.shape:
        return False
    return bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


def _finite(value: Any) -> bool:
    array = real_array(value)
    return array is not None and bool(np.all(np.isfinite(array)))


def certain(candidates: dict[str, Any], expected: Any, *, zero_too: bool = False) -> dict:
    """The candidates that can be named on this call: finite, apart from the expected value,
    from zero (unless `zero_too`: when the input alone explains the answer) and from each other
    (two formulas alike here are indistinguishable, and naming one would be a guess)."""
    kept = {
        name: value
        for name, value in candidates.items()
        if _finite(value)
        and not alike(value, expected)
        and (zero_too or not alike(value, np.zeros_like(real_array(value))))
    }
    return {
        name: value
        for name, value in kept.items()
        if not any(alike(value, other) for key, other in kept.items() if key != name)
    }


def name_of(got: Any, candidates: dict[str, Any]) -> str | None:
    """The name of the first candidate whose value the answer reproduces, or None."""
    return next((name for name, value in candidates.items() if alike(got, value)), None)


def hinted(verdict: Verdict, got: Any, expected: Any, candidates: dict[str, Any], *,
           zero_too: bool = False) -> Verdict:  # fmt: skip
    """A failing verdict with the certain mistake it reproduces, or the plain relation it shows
    (`zero_too` as for `certain`)."""
    if verdict.ok:
        return verdict
    named = name_of(got, certain(candidates, expected, zero_too=zero_too))
    if named is not None:
        return Verdict(False, f"{verdict.message} This looks like {named}.")
    if not _finite(got):
        return verdict  # no factor or sign relates nan or inf to a number
    return with_hint(verdict, got, expected)


def every_match(verdict: Verdict, got: Any, expected: Any, candidates: dict[str, Any]) -> Verdict:
    """A failing verdict naming every mistake the answer reproduces, apart from the right value
    and from zero; where several agree on this call (gn parallel to ga, say), all of them."""
    if verdict.ok:
        return verdict
    named = {
        name: value
        for name, value in candidates.items()
        if _finite(value)
        and not alike(value, expected)
        and not alike(value, np.zeros_like(real_array(value)))
    }
    matches = [name for name, value in named.items() if alike(got, value)]
    if matches:
        return Verdict(False, f"{verdict.message} This looks like {'; or '.join(matches)}.")
    return with_hint(verdict, got, expected)


# --- finite differences ----------------------------------------------------------------------


def difference_verdict(got: Any, expected: Any, call: str, *, f: SymbolicFunction, at: Any,
                       axes: Iterable[int], h: float = PARTIAL_H) -> Verdict:  # fmt: skip
    """Central differences of f at `at` with step h along `axes`, against the same formula."""
    coordinate, bounds = worst_axis(f, at, h, axes)
    return check_fd(got, expected, call=call, method="central", h=h, x=coordinate, bounds=bounds)


def same_difference(student: StudentProxy, reference: ModuleType, function: str, args: tuple,
                    h: float | None = None, *, f: SymbolicFunction, at: Any, axes: Iterable[int],
                    wrong: Wrong | None = None) -> Any:  # fmt: skip
    """Central differences of f (a number or an array) against the reference's same formula at
    the same step, within `difference_tolerance` along `axes`.

    `args` are the positional arguments and `at` the point among them; `h` is passed by keyword
    unless None (the default step 1e-5).
    """
    kwargs = {} if h is None else {"h": h}
    got = getattr(student, function)(*args, **kwargs)
    call = student.last_call
    expected = getattr(reference, function)(*args, **kwargs)
    verdict = difference_verdict(got, expected, call, f=f, at=at, axes=axes,
                                 h=PARTIAL_H if h is None else h)  # fmt: skip
    candidates = wrong_values(wrong, args, kwargs)
    reject(hinted(verdict, got, expected, candidates), got, expected, candidates)
    return got


# --- hessian ---------------------------------------------------------------------------------


def hessian_verdict(got: Any, call: str, f: SymbolicFunction, x: Any, h: float = HESSIAN_H,
                    wrong: Wrong | None = None) -> Verdict:  # fmt: skip
    """A Hessian of f at x with step h: shape (n, n), within `hessian_tolerance` of the exact."""
    exact = exact_hessian_at(f, x)
    tolerance = hessian_tolerance(f, x, h)
    verdict = check_array(got, exact, call=call, rtol=0.0, atol=tolerance)
    kwargs = {} if h == HESSIAN_H else {"h": h}
    return explained_hessian(verdict, got, exact, tolerance, wrong_values(wrong, (f, x), kwargs))


def explained_hessian(verdict: Verdict, got: Any, expected: np.ndarray, tolerance: float,
                      candidates: dict[str, Any]) -> Verdict:  # fmt: skip
    """A failing Hessian verdict with the certain mistake, else its asymmetry, else a relation."""
    if verdict.ok:
        return verdict
    named = name_of(got, certain(candidates, expected))
    if named is not None:
        return Verdict(False, f"{verdict.message} This looks like {named}.")
    note = asymmetry(got, tolerance)
    if note:
        return Verdict(False, f"{verdict.message} {note}")
    return with_hint(verdict, got, expected)


def same_hessian(student: StudentProxy, f: SymbolicFunction, x: Any, h: float | None = None,
                 *, wrong: Wrong | None = None) -> np.ndarray:  # fmt: skip
    """The student's Hessian of f at x: shape (n, n), within `hessian_tolerance` of the exact."""
    kwargs = {} if h is None else {"h": h}
    got = student.hessian(f, x, **kwargs)
    verdict = hessian_verdict(got, student.last_call, f, x, HESSIAN_H if h is None else h, wrong)
    reject(verdict, got, exact_hessian_at(f, x), wrong_values(wrong, (f, x), kwargs))
    return got


def same_grid_hessian(student: StudentProxy, reference: ModuleType, f: SymbolicFunction, x: Any,
                      h: float, *, wrong: Wrong | None = None) -> np.ndarray:  # fmt: skip
    """The Hessian at step h of an f on whose grid x + h * integers every central scheme agrees
    (f is a quadratic plus a part of period h in each coordinate): within rounding of the
    reference's, so that a Hessian at another step than h, near the exact one, fails."""
    got = student.hessian(f, x, h=h)
    call = student.last_call
    expected = reference.hessian(f, x, h=h)
    tolerance = grid_tolerance(f, x)
    verdict = check_array(got, expected, call=call, rtol=0.0, atol=tolerance)
    candidates = wrong_values(wrong, (f, x), {"h": h})
    reject(explained_hessian(verdict, got, expected, tolerance, candidates), got, expected,
           candidates)  # fmt: skip
    return got


def asymmetry(matrix: Any, tolerance: float) -> str:
    """A sentence pointing at the most asymmetric pair of a square float matrix, or ''."""
    if not isinstance(matrix, np.ndarray) or matrix.ndim != 2 or matrix.dtype.kind not in "iuf":
        return ""
    if matrix.shape[0] != matrix.shape[1] or not np.all(np.isfinite(matrix)):
        return ""
    gap = np.abs(matrix - matrix.T)
    if gap.max() <= tolerance:
        return ""
    i, j = np.unravel_index(int(np.argmax(gap)), gap.shape)
    return (
        f"It is not symmetric: H[{i}, {j}] = {matrix[i, j]:.6g} but H[{j}, {i}] = "
        f"{matrix[j, i]:.6g}, while the mixed partials of a smooth f are equal."
    )


# --- gradient_check --------------------------------------------------------------------------


def gradient_check_verdict(got: Any, expected: Any, call: str, f: SymbolicFunction,
                           grad_fn: Callable, x: Any, h: float = PARTIAL_H) -> Verdict:  # fmt: skip
    """`gradient_check`'s value against the reference's, within `gradient_check_tolerance`."""
    tolerance = gradient_check_tolerance(f, grad_fn, x, h)
    return check_number(got, expected, call=call, rtol=0.0, atol=tolerance)


def same_gradient_check(student: StudentProxy, reference: ModuleType, f: SymbolicFunction,
                        grad_fn: Callable, x: Any, h: float | None = None, *,
                        wrong: Wrong | None = None) -> float:  # fmt: skip
    """`gradient_check`'s value against the reference's, within `gradient_check_tolerance`."""
    kwargs = {} if h is None else {"h": h}
    step = PARTIAL_H if h is None else h
    got = student.gradient_check(f, grad_fn, x, **kwargs)
    call = student.last_call
    expected = reference.gradient_check(f, grad_fn, x, **kwargs)
    verdict = gradient_check_verdict(got, expected, call, f, grad_fn, x, step)
    candidates = wrong_values(wrong, (f, grad_fn, x), kwargs)
    verdict = every_match(verdict, got, expected, candidates)
    if not verdict.ok and gradient_norms(f, grad_fn, x, step) == 0:
        verdict = Verdict(False, verdict.message + zero_gradient_hint(got))
    reject(verdict, got, expected, candidates)
    return got


def zero_gradient_hint(got: Any) -> str:
    """Advice for a nan from `gradient_check` where both gradients are zero, else ''."""
    if isinstance(got, (float, np.floating)) and np.isnan(got):
        return (
            " Both gradients are zero here, so norm(ga) + norm(gn) is 0: divide by "
            "max(norm(ga) + norm(gn), 1e-12) as asked."
        )
    return ""


# --- closed forms ----------------------------------------------------------------------------


def same_closed_form(student: StudentProxy, reference: ModuleType, function: str, *args: Any,
                     wrong: Wrong | None = None,
                     hint: Callable[[Any, tuple], str] | None = None) -> Any:  # fmt: skip
    """A number or an array like the reference's, within the oracles' tight tolerance; `hint`
    adds a sentence of advice to a failure (or '') from the answer and the arguments."""
    got = getattr(student, function)(*args)
    call = student.last_call
    expected = getattr(reference, function)(*args)
    candidates = wrong_values(wrong, args, {})
    verdict = hinted(same_value(got, expected, call), got, expected, candidates)
    if not verdict.ok and hint is not None:
        verdict = Verdict(False, verdict.message + hint(got, args))
    reject(verdict, got, expected, candidates)
    return got


def zero_rate_hint(got: Any, args: tuple) -> str:
    """Advice for a nan from `directional_derivative(grad, v)` on a zero gradient, else ''."""
    if is_nan(got) and not np.any(np.asarray(args[0], dtype=float)):
        return (
            " The gradient is zero here, so every rate is 0: divide by norm(v) only, not by "
            "norm(grad) as a cosine would."
        )
    return ""


def is_nan(value: Any) -> bool:
    """Whether a number or a float array holds a nan."""
    array = real_array(value)
    return array is not None and bool(np.isnan(array).any())


def same_direction(student: StudentProxy, reference: ModuleType, grad: Any, *,
                   wrong: Wrong | None = None, or_zeros: bool = False,
                   zero_too: bool = False) -> np.ndarray:  # fmt: skip
    """`steepest_ascent_direction`: a closed form (tight tolerance); nan for a zero gradient is
    explained. With `or_zeros`, all zeros is accepted too (where norm(grad) underflows to 0).
    With `zero_too`, a mistake that gives zeros may be named (the caller has seen a right
    direction for another gradient, so zeros are not a submission that computes nothing)."""
    got = student.steepest_ascent_direction(grad)
    call = student.last_call
    expected = reference.steepest_ascent_direction(grad)
    if or_zeros and isinstance(got, np.ndarray) and got.shape == expected.shape:
        unit = np.asarray(grad, dtype=float) / np.max(np.abs(grad))
        expected = expected if not np.any(got) else unit / np.linalg.norm(unit)
    candidates = wrong_values(wrong, (grad,), {})
    verdict = check_array(got, expected, call=call)
    verdict = hinted(verdict, got, expected, candidates, zero_too=zero_too)
    if not verdict.ok and not np.any(expected):
        verdict = Verdict(False, verdict.message + zero_direction_hint(got))
    elif not verdict.ok and or_zeros and not _finite(got):
        verdict = Verdict(False, verdict.message + UNDERFLOW_HINT)
    reject(verdict, got, expected, candidates)
    return got


UNDERFLOW_HINT = (
    " Here norm(grad) is 0 in floating point (its square underflows) although some entries are "
    "not: test norm(grad) == 0 rather than the entries, or divide grad by max(abs(grad)) first."
)


def zero_direction_hint(got: Any) -> str:
    """Advice for nan from `steepest_ascent_direction` on a zero gradient, else ''."""
    if isinstance(got, np.ndarray) and got.dtype.kind == "f" and np.isnan(got).any():
        return (
            " A zero gradient has no direction: return all zeros when norm(grad) == 0 "
            "instead of dividing by it."
        )
    return ""


# --- labels, arguments, input types ----------------------------------------------------------


def same_labels(student: StudentProxy, reference: ModuleType, function: str,
                cases: Sequence[tuple], *, vocabulary: tuple[str, ...],
                wrong: Wrong | None = None) -> None:  # fmt: skip
    """`grader.authoring.same_labels` for cases of positional arguments only."""
    labels(student, reference, function, [(args, {}) for args in cases], vocabulary=vocabulary,
           wrong=wrong)  # fmt: skip


def plain_inputs(judge: Callable[[tuple], Any], given: tuple, floats: tuple, advice: str) -> None:
    """Judge a call on int or list input; if it fails while the same call on float arrays passes,
    say so, naming the input-type mistake the answer reproduces, or else giving `advice` (one
    clause, e.g. how to convert the input)."""
    try:
        judge(given)
    except CheckFailure as failure:
        if TRUNCATING in str(failure):
            raise  # already named by a wrong formula
        try:
            judge(floats)
        except CheckFailure:
            raise failure from None
        cause = input_mistake(failure, advice)
        said = str(failure)
        if cause != advice:  # the input-type mistake replaces any relation said before
            said = said.split(" This looks like ")[0]
        fail(f"{said} The same call with float arrays is right: {cause}.")


def input_mistake(failure: CheckFailure, advice: str) -> str:
    """What the failure of a call that is right on float arrays comes from: a truncation mistake
    the answer reproduces (zero included: the float call shows that work was done), or `advice`."""
    if not isinstance(failure, WrongAnswer):
        return advice
    truncating = {name: v for name, v in failure.candidates.items() if TRUNCATING in name}
    named = name_of(failure.got, certain(truncating, failure.expected, zero_too=True))
    if named is None:
        return advice
    return f"this looks like {named}; start with x = np.asarray(x, dtype=float)"


def as_floats(*values: Any) -> tuple:
    """The arguments as float arrays, as a correct solution sees them after converting."""
    return tuple(np.array(value, dtype=float) for value in values)
