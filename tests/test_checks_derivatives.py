"""The inputs the checks of assignment `derivatives` rely on.

The corpus (`tests/corpus/derivatives/`) is judged in `tests/test_corpus.py`. Here: on the checks'
inputs, every known wrong formula gives another answer, so that each can be caught and named.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from grader.checks.known import derivatives as known

with warnings.catch_warnings():
    # the check marker is registered in grading sessions only (grader/checks/pytest.ini)
    warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
    from grader.checks.hidden import derivatives as hidden


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
