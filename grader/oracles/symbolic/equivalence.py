"""Whether a student's expression equals the reference, decided within a time budget.

The rule, in order:

1. Numeric: both sides are evaluated (30 significant digits, in complex arithmetic, see `numeric`)
   at random points (see `_draw`): irrational-looking numbers of 1280 random bits, at several
   scales from 0.05 to 50 and of both signs. No grid: at points with two decimals
   `1000*sin(100*pi*x)` is 0, and so is any `sin(10**k*pi*x)` on a grid of k decimals, or
   `sin(2**k*pi*x)` at doubles; a point of more random bits than the evaluation's precision
   (which grows with the largest intermediate value, 2**k*pi*x included) leaves every such term
   its size. The points are drawn from the check's seed mixed with the two expressions
   themselves: the same answer always gets the same verdict, and no answer can be fitted to
   the points it will be judged at, which it would change by being written.
   A point where the reference is not a finite real number (outside its domain, such as log of
   a negative, or overflowing) or the answer is not finite is skipped, and another drawn.
   Where the reference is real, the answer's complex value must be within
   ``ATOL + RTOL * max(|answer|, |reference|)`` of it, RTOL = 1e-12: a tiny imaginary part left
   by rounding passes (30 digits leave some 1e-40), and so does the rounding of a SymPy Float
   printed with 15 digits, while a term such as `1e-9*x` is a counterexample: NOT_EQUAL.
2. If at least `MIN_POINTS` (8) points agree, the answer is EQUAL: two different expressions
   built from the whitelisted functions agreeing to 12 digits at 8 random points is not a
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
import hashlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy

from grader.oracles.symbolic.limits import CpuLimit, OutOfTime, can_fork, in_child
from grader.oracles.symbolic.numeric import complex_value_at, real_part
from grader.oracles.symbolic.parser import make_symbols
from grader.oracles.values import format_number, format_pair

POINTS = 12
MIN_POINTS = 8
# Draws until 12 points agree: a domain such as |x| < 1 (asin) holds one draw in four.
MAX_DRAWS = 60
# Magnitudes of the points, cycled so that each scale is met: a term like 1e-30*x**20 shows only
# at the largest, one like 1e-14/x**3 only at the smallest.
SCALES = ((0.05, 0.5), (0.5, 2.0), (2.0, 8.0), (8.0, 50.0))
# Random bits of a point: above the most the evaluation ever uses (`numeric` bounds it near 1160
# bits), so that no frequency 2**k or 10**k an answer can write makes a term vanish there.
POINT_BITS = 1280
# Simplification cannot be interrupted, so only differences small enough to simplify in about a
# second are tried; larger ones with too few real points are undecided.
MAX_EXPAND_OPS = 60
MAX_EXPANDED_POWER = 8
MAX_SIMPLIFY_OPS = 30
# Relative: far above the evaluation's rounding and the 15 digits SymPy prints a Float with, far
# below any term written to change the answer (1e-9*x is caught). Absolute: only for values that
# are 0 but for rounding, which 30 digits with guard bits leave far below 1e-30.
RTOL = 1e-12
ATOL = 1e-30


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
    rng = np.random.default_rng([seed, _fingerprint(student, reference)])
    for draw in range(MAX_DRAWS):
        if agreed[0] >= POINTS:
            break
        if time.monotonic() >= deadline:
            return _timeout(call, timeout, agreed[0])
        point = _draw(rng, symbols, draw)
        exact = complex_value_at(reference, point)
        want = None if exact is None else real_part(exact)
        if want is None:
            continue  # outside the reference's domain
        got = complex_value_at(student, point)
        if got is None:
            continue
        if abs(got - want) > ATOL + RTOL * max(abs(got), abs(want)):
            return _counterexample(call, point, got, want, agreed[0])
        agreed[0] += 1
    return None


def _fingerprint(student: sympy.Expr, reference: sympy.Expr) -> int:
    """A number that is the same for the same two expressions, in every process and run.

    SymPy prints an expression in one canonical order, and sha256 does not depend on the
    interpreter's hash seed.
    """
    text = f"{sympy.srepr(student)}\n{sympy.srepr(reference)}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big")


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
    rng: np.random.Generator, symbols: dict[str, sympy.Symbol], draw: int
) -> dict[sympy.Symbol, sympy.Rational]:
    """The `draw`-th random point: each coordinate an exact rational of `POINT_BITS` random bits
    in one of the `SCALES`, cycled by the draw and the coordinate's place; every other point
    positive in all coordinates, for log and sqrt, the others of random signs."""
    point = {}
    for place, symbol in enumerate(symbols.values()):
        low, high = SCALES[(draw // 2 + place) % len(SCALES)]
        fraction = sympy.Rational(int.from_bytes(rng.bytes(POINT_BITS // 8), "big"),
                                  2**POINT_BITS)  # fmt: skip
        magnitude = _rational(low) + (_rational(high) - _rational(low)) * fraction
        negative = draw % 2 == 0 and bool(rng.integers(2))
        point[symbol] = -magnitude if negative else magnitude
    return point


def _rational(number: float) -> sympy.Rational:
    """A scale's bound as the exact decimal it is written as (0.05 is 1/20)."""
    return sympy.Rational(repr(number))


def _where(point: dict[sympy.Symbol, sympy.Rational]) -> str:
    """The point to 12 significant digits: enough to evaluate both sides there and see them
    differ (a counterexample differs by far more than that rounding changes)."""
    return ", ".join(f"{symbol.name} = {float(value):.12g}" for symbol, value in point.items())


def _counterexample(
    call: str, point: dict[sympy.Symbol, sympy.Rational], got: complex, want: float, agreed: int
) -> Equivalence:
    shown, wanted = format_pair(got.real, want)
    if abs(got.imag) > RTOL * max(abs(got), abs(want)):
        # a real-looking part, or no difference at all in it, would hide what is wrong
        sign = "-" if got.imag < 0 else "+"
        shown = f"the complex number {shown} {sign} {format_number(abs(got.imag))}*I"
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
