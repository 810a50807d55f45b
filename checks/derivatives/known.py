"""Known wrong formulas of assignment `derivatives`, and the judges its hidden checks use.

Each `*_MISTAKES` mapping names a misconception as the student reads it after "This looks like"
and gives the wrong formula, called grader-side with the arguments of the failing call (the
contract's default steps included). Judges:

- `same_difference`: a finite difference against the reference's same formula at the same step,
  within the method's rounding error, with a word on how often f was evaluated when that helps;
- `same_default_step`: the same at the contract's default step, naming the step used when another
  default explains the answer;
- `converges`: the error of a finite difference against the exact derivative over several steps
  must shrink with the method's order, and a wrong order names the formula that explains it;
- `same_derivative_text`: `symbolic_derivative`'s string against the reference's over any set of
  variables, naming a wrong answer it is equivalent to (judged once per distinct string).

`same_derivative_text` is generic; it could move to
`grader.authoring.helpers` if other assignments want it.
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
    Outcome,
    Smoothness,
    StudentProxy,
    SymbolicFunction,
    Verdict,
    Wrong,
    check_convergence_order,
    check_fd,
    check_label,
    check_number,
    check_symbolic,
    derivative_at,
    diagnose,
    equivalent,
    explain,
    fail,
    fd_tolerance,
    is_real_number,
    parse_expression,
    real_array,
    remembered,
    require,
    same_array,
    same_number,
    smoothness,
    unsupported_type_name,
    wrong_formulas,
)

SIGNS = ("increasing", "decreasing", "stationary")
SIGN_TOL = 1e-8
# Per finite-difference exercise: the contract's default step, the oracle's method, the order of
# the derivative it approximates, its order of accuracy, and the values of f it needs.
DEFAULT_STEP = {"forward_difference": 1e-6, "central_difference": 1e-5, "second_derivative": 1e-4}
METHOD = {"forward_difference": "forward", "central_difference": "central",
          "second_derivative": "second"}  # fmt: skip
DERIVATIVE_ORDER = {"forward_difference": 1, "central_difference": 1, "second_derivative": 2}
ACCURACY = {"forward_difference": 1, "central_difference": 2, "second_derivative": 2}
NEEDS = {
    "forward_difference": "f(x + h) and f(x)",
    "central_difference": "f(x + h) and f(x - h)",
    "second_derivative": "f(x + h), f(x) and f(x - h)",
}
TRUNCATING = "an integer x silently truncating x + h"
# Defaults a student may put in place of the contract's: powers of ten, sqrt(eps), cbrt(eps).
OTHER_STEPS = (*(float(f"1e-{k}") for k in range(1, 16)), float(np.finfo(float).eps) ** 0.5,
               float(np.finfo(float).eps) ** (1 / 3))  # fmt: skip
FORMULA = {
    "forward_difference": "(f(x + h) - f(x)) / h",
    "central_difference": "(f(x + h) - f(x - h)) / (2 * h)",
    "second_derivative": "(f(x + h) - 2 * f(x) + f(x - h)) / h**2",
}
# A wrong formula closer than this to the right answer (relatively) is not named: it is a guess.
SEPARATION = 1e-4
# Two wrong values closer than this (relatively) are one answer: neither is named where they meet.
APART = 1e-5


# --- derivative ------------------------------------------------------------------------------


def _floats(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _repeated(x: Any) -> list:
    """What `2 * x` gives for a list: the list twice over, not its numbers doubled."""
    if not isinstance(x, list):
        raise TypeError("only a list is repeated by 2 * x")
    return x * 2


DERIVATIVE_MISTAKES: dict[str, Callable[..., Any]] = {
    "the factor 2 forgotten (x instead of 2 * x)": _floats,
    "x**2, the function itself instead of its derivative 2 * x": lambda x: _floats(x) ** 2,
    "2 * x on a list, which repeats the list instead of doubling its numbers (convert it with "
    "np.asarray(x, dtype=float) first)": _repeated,
}


# --- tangent_estimate ------------------------------------------------------------------------


def _shifted_slope(f: Callable, df: Callable, x: float, delta_x: float) -> float:
    return f(x) + df(x + delta_x) * delta_x


TANGENT_MISTAKES: dict[str, Callable[..., float]] = {
    "using the slope at x + delta_x, f'(x + delta_x), instead of the slope at x": _shifted_slope,
    "delta_x left out: f(x) + f'(x) instead of f(x) + f'(x) * delta_x": (
        lambda f, df, x, delta_x: f(x) + df(x)
    ),
    "the exact value f(x + delta_x) instead of the tangent-line estimate": (
        lambda f, df, x, delta_x: f(x + delta_x)
    ),
    "the change f'(x) * delta_x alone, without f(x)": lambda f, df, x, delta_x: df(x) * delta_x,
    "subtracting the change: f(x) - f'(x) * delta_x": (
        lambda f, df, x, delta_x: f(x) - df(x) * delta_x
    ),
}


# --- finite differences as the mistakes compute them -----------------------------------------


def _quotient(f: Callable, x: Any, h: float, ahead: float, behind: float, over: float) -> float:
    """(f(x + ahead h) - f(x - behind h)) / over, on floats."""
    x, h = float(x), float(h)
    return float((f(x + ahead * h) - f(x - behind * h)) / over)


def _truncated(x: Any, offset: float) -> float:
    """x + offset as an array of x's own type holds it: numpy casts the float back towards zero
    for an int x; a float x is not truncated (the mistake then gives the right answer)."""
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return float(math.trunc(int(x) + offset))
    return float(x) + offset


def _forward(f: Callable, x: Any, h: float) -> float:
    return _quotient(f, x, h, 1, 0, h)


def _backward(f: Callable, x: Any, h: float) -> float:
    return _quotient(f, x, h, 0, 1, h)


def _central(f: Callable, x: Any, h: float) -> float:
    return _quotient(f, x, h, 1, 1, 2 * h)


def _second(f: Callable, x: Any, h: float, step: float = 1.0, over: float = 1.0) -> float:
    """(f(x + step h) - 2 f(x) + f(x - step h)) / (over h**2)."""
    x, h = float(x), float(h)
    return float((f(x + step * h) - 2 * f(x) + f(x - step * h)) / (over * h**2))


def _with_default(step: float, formula: Callable[[Callable, Any, float], float]) -> Callable:
    """The formula with the contract's default step, so the diagnosis sees the student's h."""

    def wrong(f: Callable, x: Any, h: float = step) -> float:
        return formula(f, x, h)

    return wrong


def _mistakes(step: float, formulas: dict[str, Callable[[Callable, Any, float], float]]) -> Wrong:
    return {name: _with_default(step, formula) for name, formula in formulas.items()}


FORWARD_MISTAKES = _mistakes(DEFAULT_STEP["forward_difference"], {
    "a central difference instead of a forward one": _central,
    "a backward difference (f(x) - f(x - h)) / h instead of a forward one": _backward,
    "dividing by 2h instead of h": lambda f, x, h: _quotient(f, x, h, 1, 0, 2 * h),
    "f(x + h) - f(x) / h, the brackets around the difference left out": (
        lambda f, x, h: float(f(float(x) + h) - f(float(x)) / h)
    ),
    "the difference f(x + h) - f(x) not divided by h": lambda f, x, h: _quotient(f, x, h, 1, 0, 1),
    TRUNCATING: lambda f, x, h: float((f(_truncated(x, h)) - f(float(x))) / h),
})  # fmt: skip

CENTRAL_MISTAKES = _mistakes(DEFAULT_STEP["central_difference"], {
    "a forward difference instead of a central one": _forward,
    "a backward difference instead of a central one": _backward,
    "dividing by h instead of 2h": lambda f, x, h: _quotient(f, x, h, 1, 1, h),
    "dividing by 2 * h without brackets, which multiplies by h instead of dividing": (
        lambda f, x, h: _quotient(f, x, h, 1, 1, 2) * h
    ),
    "(f(x + h) - f(x - h)) / 2, not divided by h": lambda f, x, h: _quotient(f, x, h, 1, 1, 2),
    TRUNCATING: lambda f, x, h: float((f(_truncated(x, h)) - f(_truncated(x, -h))) / (2 * h)),
})  # fmt: skip

SECOND_MISTAKES = _mistakes(DEFAULT_STEP["second_derivative"], {
    "dividing by 2 * h**2 instead of h**2": lambda f, x, h: _second(f, x, h, over=2),
    "the -2 * f(x) term left out": (
        lambda f, x, h: float((f(float(x) + h) + f(float(x) - h)) / h**2)
    ),
    "-f(x) instead of -2 * f(x)": (
        lambda f, x, h: float((f(float(x) + h) - f(float(x)) + f(float(x) - h)) / h**2)
    ),
    "dividing by h instead of h**2": lambda f, x, h: _second(f, x, h) * h,
    "a central difference of central differences, which steps 2h: "
    "(f(x + 2h) - 2 f(x) + f(x - 2h)) / (4 h**2)": lambda f, x, h: _second(f, x, h, 2, 4),
    "a forward second difference (f(x + 2h) - 2 f(x + h) + f(x)) / h**2, only first-order "
    "accurate": lambda f, x, h: _second(f, float(x) + h, h),
    TRUNCATING: lambda f, x, h: float(
        (f(_truncated(x, h)) - 2 * f(float(x)) + f(_truncated(x, -h))) / h**2
    ),
})  # fmt: skip

DIFFERENCE_MISTAKES: dict[str, Wrong] = {
    "forward_difference": FORWARD_MISTAKES,
    "central_difference": CENTRAL_MISTAKES,
    "second_derivative": SECOND_MISTAKES,
}


# --- interpret_sign --------------------------------------------------------------------------


def _rule(d: float, tol: float, *, up: float, down: float, inclusive: bool = False,
          swapped: bool = False) -> str:  # fmt: skip
    """'increasing' above `up`, 'decreasing' below `down`, else 'stationary' (as a mistake may
    place the edges, include them, or swap the two labels)."""
    d = float(d)
    rising, falling = (d >= up, d <= down) if inclusive else (d > up, d < down)
    if not (rising or falling):
        return "stationary"
    return "increasing" if rising != swapped else "decreasing"


SIGN_MISTAKES: dict[str, Callable[..., str]] = {
    "'increasing' and 'decreasing' swapped": (
        lambda d, tol=SIGN_TOL: _rule(d, tol, up=tol, down=-tol, swapped=True)
    ),
    "comparing d with 0 instead of tol (d > 0 where d > tol is asked)": (
        lambda d, tol=SIGN_TOL: _rule(d, tol, up=0.0, down=0.0)
    ),
    "counting d equal to tol as beyond it (>= tol where > tol is asked)": (
        lambda d, tol=SIGN_TOL: _rule(d, tol, up=tol, down=-tol, inclusive=True)
    ),
    "tol ignored on the negative side (d < 0 where d < -tol is asked)": (
        lambda d, tol=SIGN_TOL: _rule(d, tol, up=tol, down=0.0)
    ),
    "tol ignored on the positive side (d > 0 where d > tol is asked)": (
        lambda d, tol=SIGN_TOL: _rule(d, tol, up=0.0, down=-tol)
    ),
    "d < tol where d < -tol is asked": lambda d, tol=SIGN_TOL: _rule(d, tol, up=tol, down=tol),
    # Any default between 2e-8 and 0.5 gives the same labels on the checks' cases as these two.
    "a default tol larger than the contract's 1e-8": (
        lambda d, tol=1e-6: _rule(d, tol, up=tol, down=-tol)
    ),
    "a default tol smaller than the contract's 1e-8": (
        lambda d, tol=1e-10: _rule(d, tol, up=tol, down=-tol)
    ),
}


# --- symbolic_derivative ---------------------------------------------------------------------


def derivative_text(expression: str, variable: str) -> str:
    """The derivative of a check author's expression as SymPy prints it (trusted input only)."""
    return str(sympy.diff(sympy.sympify(expression), sympy.Symbol(variable)))


def symbolic_mistakes(expression: str, variable: str, variables: Sequence[str]) -> dict[str, str]:
    """Wrong answers of `symbolic_derivative(expression, variable)` any expression can have."""
    mistakes = {
        f"the expression itself, not its derivative with respect to {variable}": expression,
        f"0, as if the expression did not depend on {variable} (a Symbol made with assumptions "
        "such as real=True is another symbol than the one sympify makes)": "0",
    }
    for other in variables:
        if other != variable:
            mistakes[f"differentiating with respect to {other} instead of {variable}"] = (
                derivative_text(expression, other)
            )
    return mistakes


@functools.lru_cache(maxsize=1)
def _sympy_type_names() -> frozenset[str]:
    """The names of SymPy's expression classes (Add, Mul, Symbol, sin...)."""
    names, pending = set(), [sympy.Basic]
    while pending:
        kind = pending.pop()
        for sub in kind.__subclasses__():
            if sub.__name__ not in names:
                names.add(sub.__name__)
                pending.append(sub)
    return frozenset(names)


def sympy_object_hint(got: Any) -> str:
    """Advice for an answer that came back as a SymPy object rather than a str, else ''."""
    name = unsupported_type_name(got)
    if name is None or name not in _sympy_type_names():
        return ""
    return " This looks like a SymPy expression returned as it is: return str(...) of it."


@functools.lru_cache(maxsize=4096)
def _expression_verdict(got: str, expected: str, variables: tuple[str, ...], call: str, seed: int,
                        wrong: tuple[tuple[str, str], ...]) -> Verdict:  # fmt: skip
    """Students' answers repeat, and equivalence is costly: each distinct string is judged once.

    Only a counterexample (NOT_EQUAL) looks for a named wrong answer: an unreadable, undecided or
    timed-out answer keeps its own message, which says what to do or that it is not the student's
    fault.
    """
    outcome = check_symbolic(got, expected, variables, call=call, seed=seed)
    if outcome.ok or getattr(outcome, "outcome", None) is not Outcome.NOT_EQUAL:
        return Verdict(outcome.ok, outcome.message)
    answer = parse_expression(got, variables)
    for name, text in wrong:
        candidate = parse_expression(text, variables)
        if equivalent(answer, candidate, variables, seed=seed, call=call).ok:
            return Verdict(False, f"{outcome.message} This looks like {name}.")
    return Verdict(False, outcome.message)


def same_derivative_text(student: StudentProxy, reference: ModuleType, expression: str,
                         variable: str = "x", *, variables: Sequence[str] = ("x",), seed: int,
                         wrong: Mapping[str, str] | None = None) -> str:  # fmt: skip
    """`symbolic_derivative(expression, variable)`: a str equivalent to the reference's.

    `variables` are every name the expression uses (the answer may use them all); `wrong` maps
    a misconception to the answer it gives, as a string SymPy prints.
    """
    args = (expression, variable) if variable != "x" else (expression,)
    got = student.symbolic_derivative(*args)
    call = str(student.last_call)
    expected = reference.symbolic_derivative(*args)
    if not isinstance(got, str):
        verdict = check_symbolic(got, expected, list(variables), call=call, seed=seed)
        fail(verdict.message + sympy_object_hint(got))
    mistakes = tuple((wrong or {}).items())
    require(_expression_verdict(got, expected, tuple(variables), call, seed, mistakes))
    return got


# --- judges ----------------------------------------------------------------------------------


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
    """The exact derivative of the given order of f at x (cached like `bounds_near`)."""
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


def _near(a: np.ndarray, b: np.ndarray, rtol: float) -> bool:
    """Whether two real arrays are the same answer to within rtol of the larger, elementwise."""
    if a.shape != b.shape:
        return False
    with np.errstate(invalid="ignore"):
        return bool(np.all(np.abs(a - b) <= rtol * np.maximum(np.abs(a), np.abs(b)) + 1e-300))


def apart(values: Mapping[str, Any], expected: Any, *, rtol: float = APART) -> dict[str, Any]:
    """The wrong values that tell their mistake apart here: each differs by more than rtol from
    the right answer, from zero (what a function that computes nothing returns) and from every
    other wrong value. A mistake whose value coincides with another's, or with the right one, on
    a check's inputs is not named there: naming it would be a guess."""
    arrays = {name: real_array(value) for name, value in values.items()}
    right = real_array(expected)
    kept = {}
    for name, value in arrays.items():
        if value is None or not np.any(value) or (right is not None and _near(value, right, rtol)):
            continue
        others = (other for key, other in arrays.items() if key != name and other is not None)
        if not any(_near(value, other, rtol) for other in others):
            kept[name] = values[name]
    return kept


def separable(wrong: Wrong | None, reference: ModuleType, function: str, args: Sequence[Any],
              kwargs: Mapping[str, Any] | None = None) -> Wrong:  # fmt: skip
    """The formulas of `wrong` that are `apart` on this call of `function`: what to pass as
    `wrong=` to `same_number` and its kin."""
    kwargs = dict(kwargs or {})
    expected = getattr(reference, function)(*args, **kwargs)
    values = {name: value_of(formula, args, kwargs) for name, formula in (wrong or {}).items()}
    values = {name: value for name, value in values.items() if value is not None}
    return {name: wrong[name] for name in apart(values, expected)}  # type: ignore[index]


def same_named(student: StudentProxy, reference: ModuleType, function: str, *args: Any,
               wrong: Wrong | None = None, **kwargs: Any) -> Any:  # fmt: skip
    """`same_array` or `same_number` (by the reference's answer), naming only `separable`
    mistakes."""
    judge = same_array if isinstance(getattr(reference, function)(*args, **kwargs),
                                     np.ndarray) else same_number  # fmt: skip
    return judge(student, reference, function, *args,
                 wrong=separable(wrong, reference, function, args, kwargs), **kwargs)  # fmt: skip


def telling(wrong: Wrong | None, args: Sequence[Any], kwargs: Mapping[str, Any], expected: float,
            *, rtol: float = SEPARATION) -> Wrong:  # fmt: skip
    """The wrong formulas that can be named on these arguments: each differs from the right
    answer by more than `rtol` relatively, and is `apart` from the others.

    At the default steps a forward and a central difference agree to about 1e-6, the precision
    of the diagnosis; naming either there would be a guess.
    """
    values = {}
    for name, formula in (wrong or {}).items():
        value = value_of(formula, args, kwargs)
        if value is not None and abs(value - expected) > rtol * abs(expected):
            values[name] = value
    return {name: wrong[name] for name in apart(values, expected)}  # type: ignore[index]


def fd_verdict(got: Any, expected: float, call: Any, function: str, f: SymbolicFunction,
               x: Any, h: float) -> Verdict:  # fmt: skip
    """A finite difference against the reference's same formula at step h, within the method's
    rounding error there."""
    return check_fd(got, expected, call=call, method=METHOD[function], h=h, x=float(x),
                    bounds=bounds_near(f, x, h))  # fmt: skip


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def same_difference(student: StudentProxy, reference: ModuleType, function: str,
                    f: SymbolicFunction, x: Any, h: float | None = None, *,
                    wrong: Wrong | None = None) -> float:  # fmt: skip
    """A finite difference of f at x against the reference's same formula at the same step.

    `h` is passed by keyword unless None (the contract's default step). The tolerance is the
    method's rounding error (both answers carry the same truncation error). A wrong answer at an
    int x is asked again at float(x): only when that one is right is the int the cause (a step
    too small for x, or a wrong formula, fails both and is not called a truncation).
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
        again = getattr(student, function)(f, float(x), **kwargs)
        right = getattr(reference, function)(f, float(x), **kwargs)
        if fd_verdict(again, right, "", function, f, float(x), step).ok:
            fail(f"{verdict.message} The same call with x = {float(x)!r} is right: this looks "
                 f"like {TRUNCATING}; start with x = float(x).")  # fmt: skip
        wrong = {name: formula for name, formula in (wrong or {}).items() if name != TRUNCATING}
    candidates = telling(wrong, (f, x), kwargs, expected)
    named = explain(verdict, result.value, expected, candidates, (f, x), kwargs)
    if named.message == verdict.message:
        fail(verdict.message + evaluation_hint(function, result.evaluations))
    require(named)
    return result.value


def step_distance(got: Any, reference: ModuleType, function: str, f: SymbolicFunction, x: float,
                  h: float) -> float:  # fmt: skip
    """How far `got` is from the reference's `function(f, x, h=h)`, in units of the method's
    rounding error there (at most 1: the same answer)."""
    expected = getattr(reference, function)(f, x, h=h)
    tolerance = fd_tolerance(METHOD[function], h=h, x=float(x), bounds=bounds_near(f, x, h))
    return abs(float(got) - float(expected)) / tolerance


def steps_matching(got: Any, reference: ModuleType, function: str, f: SymbolicFunction,
                   x: float) -> list[float]:  # fmt: skip
    """The step of `OTHER_STEPS` at which the contract's formula gives `got`, as a list of one,
    or [] when no step or several do.

    Below the default step the answers at all smaller steps are within rounding of each other;
    the formula run at one of them gives the same bits, or within a hundredth of its rounding
    error, and that one is named; failing such a match, a step is named when only it is within
    its rounding error of the answer.
    """
    if not is_real_number(got) or not math.isfinite(float(got)):
        return []
    default = DEFAULT_STEP[function]
    distances = {h: step_distance(got, reference, function, f, x, h)
                 for h in OTHER_STEPS if h != default}  # fmt: skip
    for bound in (0.01, 1.0):
        within = [h for h, distance in distances.items() if distance <= bound]
        if within:
            return within if len(within) == 1 else []
    return []


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
    named = explain(verdict, result.value, expected, telling(wrong, (f, x), {}, expected), (f, x),
                    {})  # fmt: skip
    if named.message != verdict.message:
        require(named)
    given = getattr(student, function)(f, x, h=step)
    if not fd_verdict(given, expected, "", function, f, x, step).ok:
        fail(f"{verdict.message} Called with h = {step:g} given, it is wrong too: the formula, "
             f"not the default step, differs from {FORMULA[function]}."
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


def same_signs(student: StudentProxy, reference: ModuleType, cases: Sequence[tuple[tuple, dict]],
               *, wrong: Wrong | None = None) -> None:  # fmt: skip
    """interpret_sign on each case (positional, keyword arguments); a wrong label names the one
    known rule that gives every answer the student gave, when only one does (one label fits many
    mistakes, and two rules agreeing on every case would make the name a guess)."""
    answers, failure = [], None
    for args, kwargs in cases:
        got = student.interpret_sign(*args, **kwargs)
        verdict = check_label(got, reference.interpret_sign(*args, **kwargs),
                              call=student.last_call, vocabulary=SIGNS)  # fmt: skip
        answers.append(got)
        failure = failure or (None if verdict.ok else verdict)
    if failure is None:
        return
    matches = [name for name, rule in (wrong or {}).items()
               if [value_of(rule, args, kwargs) for args, kwargs in cases] == answers]  # fmt: skip
    if len(matches) == 1:
        fail(f"{failure.message} This looks like {matches[0]}.")
    fail(failure.message)


# The named wrong formulas of each exercise, declared for `grader validate`: it grades the
# reference with the exercise replaced by each one, and asks that a check name it.
wrong_formulas("derivative", DERIVATIVE_MISTAKES)
wrong_formulas("tangent_estimate", TANGENT_MISTAKES)
wrong_formulas("forward_difference", FORWARD_MISTAKES)
wrong_formulas("central_difference", CENTRAL_MISTAKES)
wrong_formulas("second_derivative", SECOND_MISTAKES)
wrong_formulas("interpret_sign", SIGN_MISTAKES)
