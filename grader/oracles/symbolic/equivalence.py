"""Whether a student's expression equals the reference, decided within a time budget.

The rule, in order:

1. Numeric: both sides are evaluated (30 significant digits, see `numeric`) at seeded random
   points, rounded to two decimals so a message can name them exactly. A point where either side
   is not a finite real number (outside a domain, such as log of a negative, or overflowing) is
   skipped. A point where the sides differ by more than 1e-8 relative is a counterexample:
   NOT_EQUAL.
2. If at least `MIN_POINTS` (8) points agree, the answer is EQUAL: two different expressions
   built from the whitelisted functions agreeing to 8 digits at 8 random points is not a
   coincidence a student can arrange.
3. Otherwise (too few points in the domain) the difference is canonicalised, by construction,
   then `expand`, then `simplify`, each only when the difference is small enough for it; reaching
   0 is EQUAL. Not reaching 0 is UNDECIDED, which counts as wrong.
4. The clock is read before every point and every stage; when `timeout` has passed before a
   decision, the outcome is TIMEOUT, reported as not the student's fault. Each step is short by
   construction (the parser bounds the expression's size, `numeric` costs time in proportion to
   it, and the size caps below keep simplification to small differences), and each is also
   stopped hard, since no bound on a student's input foresees everything (see `limits`): the
   numeric stage by a CPU-time limit of `timeout`, and expand and simplify by running in a
   forked child killed when the rest of the budget is spent. Where neither can run (outside the
   main thread), the clock checks alone remain.

The numeric judge comes first and decides almost every answer, so an answer whose
simplification times out has already been compared at every point in its domain.
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy

from grader.oracles.symbolic.limits import CpuLimit, OutOfTime, can_fork, in_child
from grader.oracles.symbolic.numeric import value_at
from grader.oracles.symbolic.parser import make_symbols
from grader.oracles.values import format_pair

POINTS = 12
MIN_POINTS = 8
MAX_DRAWS = 40
# Simplification cannot be interrupted, so only differences small enough to simplify in about a
# second are tried; larger ones with too few real points are undecided.
MAX_EXPAND_OPS = 60
MAX_EXPANDED_POWER = 8
MAX_SIMPLIFY_OPS = 30
RTOL = 1e-8
ATOL = 1e-10


class Outcome(enum.Enum):
    """The four ways an equivalence question can end."""

    EQUAL = "equal"
    NOT_EQUAL = "not equal"
    UNDECIDED = "undecided"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class Equivalence:
    """The outcome, whether it counts as right (`ok`), and the student's message if not."""

    outcome: Outcome
    ok: bool
    message: str
    points: int


def equivalent(
    student: sympy.Expr,
    reference: sympy.Expr,
    variables: Sequence[str],
    *,
    seed: int,
    timeout: float = 2.0,
    call: str = "your expression",
) -> Equivalence:
    """Decide whether `student` equals `reference` as functions of `variables` (see the module)."""
    deadline = time.monotonic() + timeout
    symbols = make_symbols(variables)
    student, reference = _on(student, symbols), _on(reference, symbols)
    agreed = [0]
    # mpmath's global precision is SymPy's to change, inside evalf; an interruption there must
    # not leave it changed for the next answer.
    precision = mpmath.mp.prec
    try:
        with CpuLimit(timeout):
            decided = _numeric(student, reference, symbols, seed, deadline, call, agreed, timeout)
    except OutOfTime:
        decided = _timeout(call, timeout, agreed[0])
    finally:
        mpmath.mp.prec = precision
    if decided is not None:
        return decided
    if agreed[0] >= MIN_POINTS:
        return Equivalence(Outcome.EQUAL, True, "", agreed[0])
    return _symbolic(student - reference, deadline, call=call, timeout=timeout, agreed=agreed[0])


def _numeric(
    student: sympy.Expr,
    reference: sympy.Expr,
    symbols: dict[str, sympy.Symbol],
    seed: int,
    deadline: float,
    call: str,
    agreed: list[int],
    timeout: float,
) -> Equivalence | None:
    """Steps 1 and 2 of the rule: a counterexample or a timeout, else None with `agreed[0]`
    counting the points where both sides agree (kept there should the CPU limit interrupt)."""
    rng = np.random.default_rng(seed)
    for draw in range(MAX_DRAWS):
        if agreed[0] >= POINTS:
            break
        if time.monotonic() >= deadline:
            return _timeout(call, timeout, agreed[0])
        point = _draw(rng, symbols, positive=draw % 2 == 1)
        got, want = value_at(student, point), value_at(reference, point)
        if got is None or want is None:
            continue
        if abs(got - want) > ATOL + RTOL * max(abs(got), abs(want)):
            return _counterexample(call, point, got, want, agreed[0])
        agreed[0] += 1
    return None


def _symbolic(
    difference: sympy.Expr, deadline: float, *, call: str, timeout: float, agreed: int
) -> Equivalence:
    """Step 3 of the rule: try to reduce the difference to 0 by expand, then simplify."""
    if difference == 0:
        return Equivalence(Outcome.EQUAL, True, "", agreed)
    # both steps may expand powers of sums, whose terms grow combinatorially with the exponent
    ops, small = sympy.count_ops(difference), _small_powers(difference)
    steps: list[Callable[[sympy.Expr], sympy.Expr]] = []
    if small and ops <= MAX_EXPAND_OPS:
        steps.append(sympy.expand)
    if small and ops <= MAX_SIMPLIFY_OPS:
        steps.append(sympy.simplify)
    if not steps:
        return _undecided(call, agreed, "the difference could not be simplified to 0")
    if can_fork():
        reached = in_child(
            lambda: _reduce(difference, steps, math.inf) is True, deadline - time.monotonic()
        )
    else:
        reached = _reduce(difference, steps, deadline)
    if reached is None:
        return _timeout(call, timeout, agreed)
    if reached:
        return Equivalence(Outcome.EQUAL, True, "", agreed)
    return _undecided(call, agreed, "the difference could not be simplified to 0")


def _reduce(
    difference: sympy.Expr, steps: list[Callable[[sympy.Expr], sympy.Expr]], deadline: float
) -> bool | None:
    """Whether the steps, in order, bring the difference to 0; None if the clock ran out first."""
    for step in steps:
        if time.monotonic() >= deadline:
            return None
        difference = step(difference)
        if difference == 0:
            return True
    return False


def _small_powers(expression: sympy.Expr) -> bool:
    """No sum raised to a large power, whose expansion would have too many terms to write."""
    return all(
        power.base.is_Atom or not power.exp.is_Number or abs(power.exp) <= MAX_EXPANDED_POWER
        for power in expression.atoms(sympy.Pow)
    )


def _on(expression: sympy.Expr, symbols: dict[str, sympy.Symbol]) -> sympy.Expr:
    """The expression over the canonical (real) symbols, matched by name."""
    if not isinstance(expression, sympy.Expr):
        raise TypeError("equivalent compares SymPy expressions; parse strings first")
    stray = sorted(s.name for s in expression.free_symbols if s.name not in symbols)
    if stray:
        raise ValueError(f"the expression uses {', '.join(stray)}, not among the variables")
    return expression.xreplace({s: symbols[s.name] for s in expression.free_symbols})


def _draw(
    rng: np.random.Generator, symbols: dict[str, sympy.Symbol], *, positive: bool
) -> dict[sympy.Symbol, sympy.Rational]:
    """A random point with two decimals; every other one positive, for log and sqrt."""
    low = 0.1 if positive else -3.0
    return {
        symbol: sympy.Rational(round(float(rng.uniform(low, 3.0)) * 100), 100)
        for symbol in symbols.values()
    }


def _where(point: dict[sympy.Symbol, sympy.Rational]) -> str:
    return ", ".join(f"{symbol.name} = {float(value):g}" for symbol, value in point.items())


def _counterexample(
    call: str, point: dict[sympy.Symbol, sympy.Rational], got: float, want: float, agreed: int
) -> Equivalence:
    shown, wanted = format_pair(got, want)
    message = (
        f"{call} is not equivalent to the expected answer: at {_where(point)} it is {shown}, "
        f"the expected answer is {wanted}."
    )
    return Equivalence(Outcome.NOT_EQUAL, False, message, agreed)


def _undecided(call: str, agreed: int, why: str) -> Equivalence:
    message = (
        f"{call} could not be confirmed equal to the expected answer: it could be compared at "
        f"only {agreed} test points and {why}; try writing it in a simpler form."
    )
    return Equivalence(Outcome.UNDECIDED, False, message, agreed)


def _timeout(call: str, timeout: float, agreed: int) -> Equivalence:
    message = (
        f"Checking {call} against the expected answer took longer than {timeout:g} s; this is "
        "not your fault, and your instructor can review the answer by hand."
    )
    return Equivalence(Outcome.TIMEOUT, False, message, agreed)
