"""The inputs the checks of assignment `derivatives` rely on.

The corpus (`tests/corpus/derivatives/`) is judged in `tests/test_corpus.py`. Here: on the checks'
inputs, every known wrong formula gives another answer, so that each can be caught and named.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import check_file

known = check_file("derivatives", "known")
judges = check_file("derivatives", "judges")
hidden = check_file("derivatives", "hidden")


# --- the inputs separate the known wrong formulas --------------------------------------------


def distinct(values: dict[str, object], right: object) -> bool:
    """No two values (the right one included) within 1e-6 of each other, relatively."""
    numbers = [float(right), *(float(value) for value in values.values())]
    return all(
        not np.isclose(a, b, rtol=1e-6, atol=1e-12) for a, b in itertools.combinations(numbers, 2)
    )


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    "function", ["forward_difference", "central_difference", "second_derivative"]
)
def test_difference_mistakes_differ_at_h_one_tenth(seed: int, function: str) -> None:
    rng = np.random.default_rng(seed)
    x = float(rng.uniform(-1, 1))
    values = {
        name: wrong(hidden.GROWING, x, 0.1)
        for name, wrong in known.DIFFERENCE_MISTAKES[function].items()
        if name != known.TRUNCATING  # applies to an int x only
    }
    right = {
        "forward_difference": known._forward,
        "central_difference": known._central,
        "second_derivative": known._second,
    }[function](hidden.GROWING, x, 0.1)
    assert distinct(values, right)


@pytest.mark.parametrize("seed", range(5))
def test_tangent_mistakes_differ_where_f_is_negative(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for x, delta_x in hidden.tangent_points(rng):
        assert hidden.BELOW(x) < 0 < hidden.BELOW_SLOPE(x)
        right = hidden.BELOW(x) + hidden.BELOW_SLOPE(x) * delta_x
        values = {
            name: wrong(hidden.BELOW, hidden.BELOW_SLOPE, x, delta_x)
            for name, wrong in known.TANGENT_MISTAKES.items()
        }
        assert distinct(values, right)


@pytest.mark.parametrize("seed", range(5))
def test_every_sign_mistake_gets_some_case_wrong(seed: int) -> None:
    """Over the four interpret_sign checks, each wrong rule gives some label other than the
    right one, and no case list holds "stationary" alone."""
    rng = np.random.default_rng(seed)
    cases = [case for name in ("far", "within", "at", "beyond") for case in hidden.sign_cases(
        name, np.random.default_rng(seed))]  # fmt: skip
    for name in ("far", "within", "at", "beyond"):
        right = [_reference_sign(*args, **kwargs) for args, kwargs in hidden.sign_cases(name, rng)]
        assert set(right) != {"stationary"}, name
    for wrong in known.SIGN_MISTAKES.values():
        assert any(
            wrong(*args, **kwargs) != _reference_sign(*args, **kwargs) for args, kwargs in cases
        )


def _reference_sign(d: float, tol: float = 1e-8) -> str:
    return "increasing" if d > tol else "decreasing" if d < -tol else "stationary"


class _Reference:
    """The contract's finite differences, as the known mistakes compute them, with its defaults."""

    forward_difference = staticmethod(lambda f, x, h=1e-6: known._forward(f, x, h))
    central_difference = staticmethod(lambda f, x, h=1e-5: known._central(f, x, h))
    second_derivative = staticmethod(lambda f, x, h=1e-4: known._second(f, x, h))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    "function", ["forward_difference", "central_difference", "second_derivative"]
)
def test_every_other_default_step_differs_where_the_default_is_checked(
    seed: int, function: str
) -> None:
    """At the default-step check's point, an answer at any other usual step is more than the
    method's rounding error away from the right one, and closest to the reference at its own
    step (sometimes tied, bit for bit, with another): so it fails, and the steps named include
    the one used."""
    x = hidden.steep_point(np.random.default_rng(seed))
    default = known.DEFAULT_STEP[function]
    for h in known.OTHER_STEPS:
        if h == default:
            continue
        got = getattr(_Reference, function)(hidden.STEEP, x, h=h)
        assert judges.step_distance(got, _Reference, function, hidden.STEEP, x, default) > 1
        distances = {
            step: judges.step_distance(got, _Reference, function, hidden.STEEP, x, step)
            for step in known.OTHER_STEPS
            if step != default
        }
        assert distances[h] == min(distances.values())
