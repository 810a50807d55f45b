"""The judges of the finite differences of assignment `derivatives`: call, compare, explain.

- `same_difference`: a finite difference against the reference's same formula at the same step,
  within the method's rounding error; a wrong answer at an int x is asked again at float(x), and
  one at the default step again with that step given, so that the message blames the int or the
  default only when that call is right;
- `same_default_step`: the same at the contract's default step where every other usual step
  gives another answer, naming the step used when it alone reproduces the answer;
- `converges`: the error against the exact derivative over several steps must shrink with the
  method's order, and a wrong order names the one formula that gives every answer.

A wrong formula is named by the engine's rule (`explain`): only where its value on the call is
apart from the right answer, from zero and from the other formulas' values. Otherwise the message
says what came back and what was expected, with what a second call showed for certain.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

import numpy as np
import sympy

from grader.authoring import (
    NO_VALUE_HERE,
    Smoothness,
    StudentProxy,
    SymbolicFunction,
    Verdict,
    Wrong,
    check_convergence_order,
    check_fd,
    check_number,
    derivative_at,
    diagnose,
    explain,
    fail,
    fd_tolerance,
    is_real_number,
    remembered,
    require,
    smoothness,
)

from .known import (
    ACCURACY,
    DEFAULT_STEP,
    DERIVATIVE_ORDER,
    FORMULA,
    METHOD,
    NEEDS,
    OTHER_STEPS,
    TRUNCATING,
)


@functools.lru_cache(maxsize=256)
def _bounds(expression: sympy.Expr, variable: sympy.Symbol, x: float, h: float) -> Smoothness:
    return smoothness(expression, variable, x, h)


def bounds_near(f: SymbolicFunction, x: float, h: float) -> Smoothness:
    """The oracle's `smoothness` of f on [x - h, x + h], cached: every submission gets the same
    inputs, and sampling five derivatives with SymPy costs more than a call."""
    (variable,) = f.symbols
    return _bounds(f.expression, variable, float(x), float(h))


def _exact(expression: sympy.Expr, variable: sympy.Symbol, x: float, order: int) -> float:
    return float(derivative_at(expression, variable, order, x))


def exact_at(f: SymbolicFunction, x: float, order: int) -> float:
    """The exact derivative of the given order of f at x."""
    (variable,) = f.symbols
    return _exact(f.expression, variable, float(x), order)


def evaluation_hint(function: str, evaluations: int) -> str:
    """What the count of f's evaluations says about a wrong finite difference, or ''.

    Only a count below what the formula needs is telling; a vectorised f(np.array([...])) call
    counts once, so the hint is given only when no known mistake was named.
    """
    needed = NEEDS[function].count("f(")
    if evaluations == 0:
        return f" f was never called, but the formula needs {NEEDS[function]}."
    if evaluations < needed:
        times = "once" if evaluations == 1 else f"{evaluations} times"
        return f" f was called only {times}, but the formula needs {NEEDS[function]}."
    return ""


def value_of(formula: Callable[..., Any], args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
    """A wrong formula's value on these arguments, or None where it has none (a division by
    zero, an argument it cannot take)."""
    try:
        return remembered(formula)(*args, **kwargs)
    except NO_VALUE_HERE:
        return None


def fd_verdict(got: Any, expected: float, call: Any, function: str, f: SymbolicFunction,
               x: Any, h: float) -> Verdict:  # fmt: skip
    """A finite difference against the reference's same formula at step h, within the method's
    rounding error there."""
    return check_fd(got, expected, call=call, method=METHOD[function], h=h, x=float(x),
                    bounds=bounds_near(f, x, h))  # fmt: skip


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def formula_named(verdict: Verdict, got: Any, expected: Any, wrong: Wrong | None,
                  args: Sequence[Any], kwargs: Mapping[str, Any]) -> Verdict | None:  # fmt: skip
    """The failing verdict naming a wrong formula of `wrong` (by the engine's rule), or None
    when none is named (a plain relation such as "zeros" is not a formula: a second call can
    say more)."""
    named = explain(verdict, got, expected, wrong, args, kwargs)
    return None if named == explain(verdict, got, expected, None, args, kwargs) else named


def plain(verdict: Verdict, got: Any, expected: Any, function: str, evaluations: int) -> str:
    """The message when no cause is certain: the relation the answer shows, if any, else what
    the count of f's evaluations says."""
    related = explain(verdict, got, expected, None, (), {})
    if related.message != verdict.message:
        return related.message
    return verdict.message + evaluation_hint(function, evaluations)


def right_with(student: StudentProxy, reference: ModuleType, function: str, f: SymbolicFunction,
               x: Any, step: float, **kwargs: Any) -> bool:  # fmt: skip
    """Whether the student's `function(f, x, **kwargs)`, whose step is `step`, is right (a second
    call, made to tell one cause of a wrong answer from another)."""
    got = getattr(student, function)(f, x, **kwargs)
    expected = getattr(reference, function)(f, x, **kwargs)
    return fd_verdict(got, expected, "", function, f, x, step).ok


def same_difference(student: StudentProxy, reference: ModuleType, function: str,
                    f: SymbolicFunction, x: Any, h: float | None = None, *,
                    wrong: Wrong | None = None) -> float:  # fmt: skip
    """A finite difference of f at x against the reference's same formula at the same step.

    `h` is passed by keyword unless None (the contract's default step). The tolerance is the
    method's rounding error (both answers carry the same truncation error). A wrong answer at an
    int x is asked again at float(x): only when that one is right is the int the cause (a step
    too small for x, or a wrong formula, fails both and is not called a truncation). Without h,
    it is asked again with the default step given: only when that one is right is the default
    the cause.
    """
    kwargs = {} if h is None else {"h": h}
    result = getattr(student, function).call(f, x, **kwargs)
    call = student.last_call
    expected = getattr(reference, function)(f, x, **kwargs)
    step = DEFAULT_STEP[function] if h is None else float(h)
    verdict = fd_verdict(result.value, expected, call, function, f, x, step)
    if verdict.ok:
        return result.value
    if _is_int(x):
        if right_with(student, reference, function, f, float(x), step, **kwargs):
            fail(f"{verdict.message} The same call with x = {float(x)!r} is right: this looks "
                 f"like {TRUNCATING}; start with x = float(x).")  # fmt: skip
        wrong = {name: formula for name, formula in (wrong or {}).items() if name != TRUNCATING}
    named = formula_named(verdict, result.value, expected, wrong, (f, x), kwargs)
    if named is not None:
        fail(named.message)
    if h is None and right_with(student, reference, function, f, x, step, h=step):
        fail(f"{verdict.message} Called with h = {step:g} given, it is right: the default value "
             f"of h is not the contract's {step:g}.")  # fmt: skip
    fail(plain(verdict, result.value, expected, function, result.evaluations))


def step_distance(got: Any, reference: ModuleType, function: str, f: SymbolicFunction, x: float,
                  h: float) -> float:  # fmt: skip
    """How far `got` is from the reference's `function(f, x, h=h)`, in units of the method's
    rounding error there (at most 1: the same answer)."""
    expected = getattr(reference, function)(f, x, h=h)
    tolerance = fd_tolerance(METHOD[function], h=h, x=float(x), bounds=bounds_near(f, x, h))
    return abs(float(got) - float(expected)) / tolerance


# An answer within this fraction of a step's rounding error of the formula at that step is that
# step's formula, computed in another order at most; it must also be this many times closer to
# it than to the formula at any other such step, or the step is not named.
SAME_COMPUTATION = 0.01
CLOSER_BY = 100.0


def steps_matching(got: Any, reference: ModuleType, function: str, f: SymbolicFunction,
                   x: float) -> list[float]:  # fmt: skip
    """The step of `OTHER_STEPS` at which the contract's formula gives `got`, as a list of one,
    or [] when no step or several do.

    Below the default step the answers at all smaller steps are within rounding of each other,
    so being within one step's rounding error says little: a step is named only when the answer
    is its formula up to the order of the arithmetic (`SAME_COMPUTATION`) and far closer to it
    than to any other step's (`CLOSER_BY`). A step lost in rounding (x + h == x at 1e-15 and
    1e-14 alike) gives the same bits at several steps, and none is named.
    """
    if not is_real_number(got) or not math.isfinite(float(got)):
        return []
    default = DEFAULT_STEP[function]
    close = [h for h in OTHER_STEPS
             if h != default and step_distance(got, reference, function, f, x, h)
             <= SAME_COMPUTATION]  # fmt: skip
    off = {h: abs(float(got) - getattr(reference, function)(f, x, h=h)) for h in close}
    best = min(off, key=off.get, default=None)
    if best is None or any(off[h] <= CLOSER_BY * off[best] for h in close if h != best):
        return []
    return [best]


def same_default_step(student: StudentProxy, reference: ModuleType, function: str,
                      f: SymbolicFunction, x: float, *,
                      wrong: Wrong | None = None) -> None:  # fmt: skip
    """`function(f, x)` without h: the reference's answer at the contract's default step.

    f and x are chosen so that the truncation error at the default step is far above the rounding
    error at the usual other steps. A wrong answer is asked again with the default step given:
    only when that one is right is the default step the cause, and a step is named only when it
    alone of `OTHER_STEPS` reproduces the answer (a more accurate formula at the right step, or
    a tiny step lost in rounding, reproduces no step, or several).
    """
    result = getattr(student, function).call(f, x)
    call = student.last_call
    expected = getattr(reference, function)(f, x)
    step = DEFAULT_STEP[function]
    verdict = fd_verdict(result.value, expected, call, function, f, x, step)
    if verdict.ok:
        return
    named = formula_named(verdict, result.value, expected, wrong, (f, x), {})
    if named is not None:
        fail(named.message)
    if not right_with(student, reference, function, f, x, step, h=step):
        fail(f"{verdict.message} With h = {step:g} given it is wrong too: it does not compute "
             f"{FORMULA[function]} at the h it is given."
             + evaluation_hint(function, result.evaluations))  # fmt: skip
    steps = steps_matching(result.value, reference, function, f, x)
    if len(steps) == 1:
        fail(f"{verdict.message} This looks like a default step h = {steps[0]:g} instead of "
             f"the contract's h = {step:g}.")  # fmt: skip
    fail(f"{verdict.message} Called with h = {step:g} given, it is right: the default value of h "
         f"is not the contract's {step:g}.")  # fmt: skip


def converges(student: StudentProxy, function: str, f: SymbolicFunction, x: float,
              steps: Sequence[float], *, wrong: Wrong | None = None) -> None:  # fmt: skip
    """The error against the exact derivative must shrink like h**order over `steps`; a wrong
    order names the one known formula that gives every answer, if only one does."""
    exact = exact_at(f, x, DERIVATIVE_ORDER[function])
    answers, evaluations = [], 0
    for h in steps:
        result = getattr(student, function).call(f, x, h=float(h))
        got = result.value
        if not is_real_number(got) or not math.isfinite(float(got)):
            require(check_number(got, exact, call=student.last_call))
        answers.append(float(got))
        evaluations += result.evaluations
    where = f"{function}({f!r}, {x!r}, h)"
    verdict = check_convergence_order(
        steps, [answer - exact for answer in answers], ACCURACY[function], call=where
    )
    if verdict.ok:
        return
    if len(set(answers)) == 1:
        fail(f"{verdict.message} It gave the same answer at every h: is h used?")
    matches = []
    for name, formula in (wrong or {}).items():
        values = [value_of(formula, (f, x, float(h)), {}) for h in steps]
        if all(diagnose(got, {name: value}) for got, value in zip(answers, values, strict=True)):
            matches.append(name)
    if len(matches) == 1:
        fail(f"{verdict.message} This looks like {matches[0]}.")
    fail(verdict.message + (evaluation_hint(function, 0) if evaluations == 0 else ""))
