"""Known wrong formulas of assignment `slopes`: the mistakes students are expected to make.

Each entry names a misconception as the student reads it after "This looks like" and gives a
function with the exercise's own signature that makes exactly that mistake. `wrong_formulas`
declares them, so that `grader validate` can check that the hidden checks catch and name each
one, and returns the mapping for the checks' `wrong=` argument. Only the hidden checks import
this file: students never receive it.
"""

from collections.abc import Callable

from grader.authoring import wrong_formulas


def run_over_rise(f: Callable[[float], float], a: float, b: float) -> float:
    """secant_slope upside down: the change of the input over the change of the output."""
    a, b = float(a), float(b)
    return float((b - a) / (f(b) - f(a)))


RUN_OVER_RISE = "the run over the rise, (b - a) / (f(b) - f(a)), instead of the rise over the run"
SECANT_MISTAKES = wrong_formulas("secant_slope", {RUN_OVER_RISE: run_over_rise})
