"""Naming the mistake: known wrong formulas first, then simple relations to the expected value."""

from __future__ import annotations

import numpy as np

from grader.authoring.helpers import explain
from grader.oracles.compare import Verdict, check_array, check_number
from grader.oracles.misconceptions import (
    APART,
    describe_relation,
    diagnose,
    real_array,
    told_apart,
    with_hint,
)
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


# --- a formula is named only where its value tells it apart (issue "Grading validity, round two")


def test_two_candidates_that_coincide_on_the_call_are_neither_named() -> None:
    assert diagnose(2.0, {"m = 2 x batch": 2.0, "d instead of m": 2.0 + 1e-9}) is None
    assert diagnose(2.0, {"m = 2 x batch": 2.0, "d instead of m": 3.0}) == "m = 2 x batch"
    # a third candidate elsewhere does not make the two coinciding ones nameable
    assert diagnose(2.0, {"a": 2.0, "b": 2.0, "c": 5.0}) is None
    # apart by more than APART but within nothing diagnose could confuse: named
    assert diagnose(2.0, {"a": 2.0, "b": 2.0 * (1 + 5 * APART)}) == "a"


def test_a_candidate_at_the_right_answer_or_at_zero_is_not_named() -> None:
    near_right = 1.0 + APART / 2
    assert diagnose(near_right, {"a rounding": near_right}) == "a rounding"
    assert diagnose(near_right, {"a rounding": near_right}, expected=1.0) is None
    assert diagnose(1.1, {"off": 1.1}, expected=1.0) == "off"
    assert diagnose(0.0, {"nothing computed": 0.0}) is None
    assert diagnose(np.zeros(3), {"nothing computed": np.zeros(3)}, expected=np.ones(3)) is None


def test_arrays_are_apart_when_any_entry_is() -> None:
    """One entry that differs is enough: an answer matching one array entry by entry is not the
    other."""
    candidates = {"a": [1.0, 2.0], "b": [1.0, 3.0]}
    assert diagnose(np.array([1.0, 2.0]), candidates, expected=[1.0, 4.0]) == "a"
    assert told_apart(candidates, [1.0, 4.0]) == candidates
    # the right values in another shape are another answer
    assert list(told_apart({"a column": RIGHT.reshape(2, 1)}, RIGHT)) == ["a column"]
    assert told_apart({"the right values": RIGHT.copy()}, RIGHT) == {}


def test_infinite_and_nan_candidates_hide_no_other() -> None:
    """An overflowing formula coincides with no finite one (inf * rtol is no tolerance)."""
    assert diagnose(2.0, {"overflow": np.inf, "a": 2.0}) == "a"
    assert diagnose(2.0, {"undefined": np.nan, "a": 2.0}) == "a"
    assert diagnose(np.nan, {"undefined": np.nan}) is None
    assert told_apart({"up": np.inf, "also up": np.inf, "a": 2.0}) == {"a": 2.0}


def test_non_numeric_candidates_are_left_out() -> None:
    assert told_apart({"a word": "increasing", "a": 2.0}) == {"a": 2.0}


def test_with_hint_falls_back_to_the_relation_when_candidates_coincide() -> None:
    verdict = check_number(2.0, 1.0, call="derivative(0.5)")
    coinciding = {"the factor 2 twice": 2.0, "x + x + x - x": 2.0}
    assert with_hint(verdict, 2.0, 1.0, coinciding).message.endswith(
        "This looks like the expected value off by a factor of 2."
    )
    plain = check_number(1.7, 1.0, call="derivative(0.5)")
    assert with_hint(plain, 1.7, 1.0, {"a": 1.7, "b": 1.7}) == plain


def test_explain_names_only_the_formula_told_apart_on_these_arguments() -> None:
    """`explain` (and so same_number and same_array) works each formula out on the call."""
    wrong = {
        "x instead of 2 * x": lambda x: float(x),
        "x**2 instead of 2 * x": lambda x: float(x) ** 2,
        "no value here": lambda x: 1 / 0,
    }
    at_three = check_number(3.0, 6.0, call="derivative(3)")
    assert explain(at_three, 3.0, 6.0, wrong, (3,), {}).message.endswith(
        "This looks like x instead of 2 * x."
    )
    # at x = 1 both formulas give 1: neither is named, the relation is
    at_one = check_number(1.0, 2.0, call="derivative(1)")
    assert explain(at_one, 1.0, 2.0, wrong, (1,), {}).message.endswith(
        "This looks like the expected value off by a factor of 1/2."
    )
    # at x = 2, x**2 is the right answer 4: only x is named
    at_two = check_number(2.0, 4.0, call="derivative(2)")
    assert explain(at_two, 2.0, 4.0, wrong, (2,), {}).message.endswith(
        "This looks like x instead of 2 * x."
    )
    at_two_squared = check_number(4.0 + 1e-12, 4.0 + 2e-12, call="derivative(2)", atol=0, rtol=0)
    assert (
        "This looks like" not in explain(at_two_squared, 4.0, 4.0 + 2e-12, wrong, (2,), {}).message
    )
