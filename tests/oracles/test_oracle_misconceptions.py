"""Naming the mistake: known wrong formulas first, then simple relations to the expected value."""

from __future__ import annotations

import numpy as np

from grader.oracles.compare import Verdict, check_array, check_number
from grader.oracles.misconceptions import describe_relation, diagnose, real_array, with_hint
from grader.oracles.values import Unsupported

A = np.array([[2.0, 1.0], [-3.0, 4.0]])  # not symmetric, so A @ x and the gradient differ
X = np.array([1.0, 2.0])
B = np.array([0.5, -1.0])
RIGHT = 0.5 * (A + A.T) @ X + B
WRONG_FORMULAS = {
    "A @ x + b, which is the gradient only for a symmetric A": A @ X + B,
    "A.T @ x + b, the transpose of A": A.T @ X + B,
    "the term b forgotten": 0.5 * (A + A.T) @ X,
}


def test_named_candidate_is_found_first_in_order() -> None:
    assert diagnose(A @ X + B, WRONG_FORMULAS) == (
        "A @ x + b, which is the gradient only for a symmetric A"
    )
    assert diagnose(0.5 * (A + A.T) @ X, WRONG_FORMULAS) == "the term b forgotten"
    assert diagnose(RIGHT + 1.0, WRONG_FORMULAS) is None
    assert diagnose([1.0, 1.0], {"a list": [1.0, 1.0 + 1e-9]}) == "a list"
    assert diagnose(np.zeros(3), {"other shape": np.zeros(2)}) is None
    assert diagnose("text", WRONG_FORMULAS) is None


def test_factor_two_for_numbers_and_arrays() -> None:
    assert describe_relation(2.0, 1.0) == "the expected value off by a factor of 2"
    assert describe_relation(0.5, 1.0) == "the expected value off by a factor of 1/2"
    assert describe_relation(np.array([2.0, 4.0]), np.array([1.0, 2.0])) == (
        "the expected value off by a factor of 2"
    )
    assert describe_relation(np.array([0.37, 0.74]), np.array([1.0, 2.0])) == (
        "the expected value off by a factor of 0.37"
    )
    # any number is a multiple of any other: only simple factors are named for numbers
    assert describe_relation(1.2345, 1.0) is None


def test_sign_flip_and_zeros() -> None:
    assert describe_relation(-3.0, 3.0) == "the expected value with the opposite sign"
    assert describe_relation(-RIGHT, RIGHT) == "the expected value with the opposite sign"
    assert describe_relation(np.zeros(2), RIGHT) == "zeros where the expected values are not zero"


def test_transpose_square_and_not() -> None:
    assert describe_relation(A.T, A) == "the transpose of the expected matrix"
    wide = np.arange(6.0).reshape(2, 3) + 1
    assert describe_relation(wide.T, wide) == "the transpose of the expected matrix"


def test_reshape_and_order() -> None:
    column = describe_relation(RIGHT.reshape(2, 1), RIGHT)
    assert column == "the expected values in shape (2, 1) instead of (2,)"
    assert describe_relation(np.array([3.0, 1.0, 2.0]), np.array([1.0, 2.0, 3.0])) == (
        "the expected values in a different order"
    )


def test_nothing_to_say() -> None:
    assert describe_relation(RIGHT, RIGHT) is None
    assert describe_relation(np.array([1.0, 5.0]), np.array([1.0, 2.0])) is None
    assert describe_relation(Unsupported("Point"), 1.0) is None
    assert describe_relation([1.0, "a"], np.zeros(2)) is None
    assert describe_relation(1.0, 0.0) is None


def test_only_plain_real_data_becomes_an_array() -> None:
    assert real_array(True) is None
    assert real_array([[1, 2], [3]]) is None
    assert real_array([1.0, None]) is None
    assert real_array(np.array(["a"])) is None
    assert real_array([[1, 2], [3, 4]]).shape == (2, 2)


def test_with_hint_appends_to_a_failing_verdict_only() -> None:
    call = "quadratic_gradient(A, b, x)"
    failing = check_array(A @ X + B, RIGHT, call=call)
    hinted = with_hint(failing, A @ X + B, RIGHT, WRONG_FORMULAS)
    assert hinted.message == (
        failing.message
        + " This looks like A @ x + b, which is the gradient only for a symmetric A."
    )
    doubled = with_hint(check_number(2.0, 1.0, call="derivative(0.5)"), 2.0, 1.0)
    assert doubled == Verdict(
        False,
        "derivative(0.5) returned 2.0, expected 1.0. "
        "This looks like the expected value off by a factor of 2.",
    )
    passing = check_number(1.0, 1.0, call="derivative(0.5)")
    assert with_hint(passing, 1.0, 1.0) is passing
    plain = check_number(1.7, 1.0, call="derivative(0.5)")
    assert with_hint(plain, 1.7, 1.0) == plain


def test_0d_arrays_are_numbers_for_diagnosis_too() -> None:
    """A 0-d answer gets the same hint as the float it holds (issue "Grading validity, round
    two")."""
    assert real_array(np.array(2.0)).shape == ()
    assert real_array([np.array(1.0), np.float32(2.0)]).tolist() == [1.0, 2.0]
    assert diagnose(np.array(-1.5), {"the sign flipped": -1.5}) == "the sign flipped"
    assert describe_relation(np.array(3.0), 1.5) == "the expected value off by a factor of 2"
    verdict = check_number(np.array(-1.5), 1.5, call="f()")
    assert with_hint(verdict, np.array(-1.5), 1.5).message.endswith(
        "This looks like the expected value with the opposite sign."
    )
