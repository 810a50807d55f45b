"""The judges of `mlp_gradients`: against the reference and against central differences of
the given `mlp_loss`, saying which parameter's gradient is wrong and, when certain, why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType

import numpy as np

from grader.authoring import (
    StudentProxy,
    Wrong,
    check_array,
    check_number,
    check_tuple,
    fail,
    is_real_number,
    require,
)

from .judges import PARAMETERS, floats, judge_part, matching, named, relation, value_of
from .known import W1_TRANSPOSED


def which_wrong(got: tuple, expected: tuple, **tolerance: float) -> list[str]:
    """The names of the parameters whose gradient is not the expected one."""
    return [
        name
        for name, part, want in zip(PARAMETERS, got, expected, strict=True)
        if not judge_part(part, want, name, **tolerance).ok
    ]


def gradients_answer(student: StudentProxy, args: tuple, expected: tuple) -> tuple[tuple, str]:
    """The student's (dW1, db1, dW2, db2), checked for form against `expected`: a tuple of four
    parts, each of its shape (a transposed dW1 said so), db2 a number."""
    got = student.mlp_gradients(*args)
    call = student.last_call
    require(check_tuple(got, 4, call=call))
    for name, part, want in zip(PARAMETERS, got, expected, strict=True):
        shape = np.shape(want)
        if shape == ():
            if not is_real_number(part):
                require(check_number(part, float(want), call=f"{call}: db2"))
            continue
        if not isinstance(part, np.ndarray):
            require(check_array(part, want, call=f"{call}: {name}"))
        if part.shape != shape:
            transposed = name == "dW1" and part.shape == shape[::-1]
            fail(f"{call}: {name} has shape {part.shape}, expected {shape}."
                 + (f" This looks like {W1_TRANSPOSED}." if transposed else ""))  # fmt: skip
    return got, call


def listed(names: Sequence[str]) -> str:
    """ "dW1", "dW1 and db1", "dW1, db1 and dW2"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def gradient_message(call: str, wrong_parts: Sequence[str], phrase: str | None) -> str:
    """Which parameters' gradients are wrong, and why when it is known."""
    right = [name for name in PARAMETERS if name not in wrong_parts]
    if not right:
        message = f"{call}: every gradient ({listed(PARAMETERS)}) is wrong."
    else:
        verb, other = ("is", "are") if len(wrong_parts) == 1 else ("are", "are")
        other = "is" if len(right) == 1 else other
        message = f"{call}: {listed(wrong_parts)} {verb} wrong ({listed(right)} {other} right)."
    return message + (f" This looks like {phrase}." if phrase else "")


def same_gradients(student: StudentProxy, reference: ModuleType, args: tuple, *,
                   wrong: Wrong | None = None) -> None:  # fmt: skip
    """mlp_gradients against the reference, part by part, naming the parameters that are wrong
    and the mistake that reproduces all four parts."""
    expected = reference.mlp_gradients(*args)
    got, call = gradients_answer(student, args, expected)
    wrong_parts = which_wrong(got, expected)
    if not wrong_parts:
        return
    phrase = named(got, expected, wrong, args)
    first = PARAMETERS.index(wrong_parts[0])
    detail = judge_part(got[first], expected[first], wrong_parts[0]).message
    if phrase is None:
        phrase = relation(got[first], expected[first])
    fail(f"{gradient_message(call, wrong_parts, phrase)} First: {detail}")


# --- the finite-difference gradient check of mlp_loss ----------------------------------------

FD_STEP = 1e-6


def central_gradients(loss: Callable[..., float], args: tuple, h: float = FD_STEP) -> tuple:
    """Central differences of loss(W1, b1, W2, b2, X, y) along every parameter entry."""
    W1, b1, W2, X, y = floats(args[0], args[1], args[2], args[4], args[5])
    parameters = [W1, b1, W2, np.array(float(args[3]))]
    result = []
    for index, parameter in enumerate(parameters):
        slope = np.zeros_like(parameter)
        for entry in np.ndindex(parameter.shape):
            values = []
            for step in (h, -h):
                moved = [p.copy() for p in parameters]
                moved[index][entry] += step
                values.append(loss(moved[0], moved[1], moved[2], float(moved[3]), X, y))
            slope[entry] = (values[0] - values[1]) / (2 * h)
        result.append(slope)
    return result[0], result[1], result[2], float(result[3])


def fd_tolerance(loss: float, h: float = FD_STEP) -> float:
    """What central differences of this loss may be off by: rounding of the loss (about 1e-16
    of the loss's size per evaluation, over 2h) and the truncation error h**2 / 6 times a third
    derivative, which for these small networks stays below 100 times the loss scale plus 1."""
    scale = abs(loss) + 1.0
    return 4e-16 * scale / h + 100.0 * scale * h**2


def gradient_check(student: StudentProxy, loss: Callable[..., float], args: tuple, *,
                   wrong: Wrong | None = None) -> None:  # fmt: skip
    """mlp_gradients against central differences of the given mlp_loss (not the reference):
    each wrong part named, and the mistake when one reproduces the student's answer."""
    numeric = central_gradients(loss, args)
    got, call = gradients_answer(student, args, numeric)
    allowed = fd_tolerance(loss(*args))
    wrong_parts = which_wrong(got, numeric, rtol=1e-5, atol=allowed)
    if not wrong_parts:
        return
    values = {name: value_of(formula, args, {}) for name, formula in (wrong or {}).items()}
    values = {name: value for name, value in values.items() if value is not None}
    # central differences are right to about 1e-9 here, so a looser match than APART
    phrase = matching(got, values, numeric, rtol=1e-4)
    first = PARAMETERS.index(wrong_parts[0])
    shown = judge_part(got[first], numeric[first], wrong_parts[0], rtol=1e-5, atol=allowed)
    fail(f"{gradient_message(call, wrong_parts, phrase)} Central differences of mlp_loss "
         f"(h = {FD_STEP:g}) disagree: {shown.message}")  # fmt: skip
