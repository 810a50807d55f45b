"""Type, shape, then anchored values: the exact verdict and the words a student reads."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.oracles.compare import Verdict, check_array, check_label, check_number, check_tuple
from grader.oracles.values import Unsupported

SIGNS = ("increasing", "decreasing", "stationary")


def test_a_right_number_passes_in_every_plain_form() -> None:
    for got in (1.0, 1, np.float64(1.0), np.float32(1.0), np.int64(1), np.array(1.0)):
        assert check_number(got, 1.0, call="derivative(0.5)") == Verdict(True, "")


def test_a_wrong_number_names_the_call_and_both_values() -> None:
    verdict = check_number(0.5, 1.0, call="derivative(0.5)")
    assert verdict == Verdict(False, "derivative(0.5) returned 0.5, expected 1.0.")


def test_a_near_miss_says_by_how_much() -> None:
    verdict = check_number(1.0000001, 1.0, call="derivative(0.5)")
    assert not verdict.ok
    assert verdict.message.startswith("derivative(0.5) returned 1.0000001, expected 1.0.")
    assert "differ by 1e-07" in verdict.message


def test_tolerance_is_anchored_on_the_reference_not_the_answer() -> None:
    ref, got = 1.0, 2.0
    # scaled by the answer, rtol 0.5 would accept 1.0 vs 2.0 (1 <= 0.5 * 2) ...
    assert np.allclose(ref, got, rtol=0.5, atol=0.0)
    assert not np.allclose(got, ref, rtol=0.5, atol=0.0)
    # ... we follow |got - ref| <= atol + rtol * |ref|: 1 > 0.5 * 1
    assert not check_number(got, ref, call="f()", rtol=0.5, atol=0.0).ok
    assert not check_array(np.array([got]), np.array([ref]), call="f()", rtol=0.5, atol=0.0).ok
    assert check_number(1.4, ref, call="f()", rtol=0.5, atol=0.0).ok


@pytest.mark.parametrize(
    ("got", "words"),
    [
        (True, "returned True (a bool), expected a number"),
        ("1.0", "returned the text '1.0', expected a number, not a str"),
        (None, "returned None, expected a number; is a return statement missing?"),
        ([1.0], "returned a list of 1 number, expected a number"),
        (np.array([1.0, 2.0]), "returned an array of shape (2,), expected a number"),
        (np.array([1.0]), "expected a single number; take it out with float(...)"),
        (1 + 0j, "returned the complex number (1+0j), expected a number"),
        (Unsupported("Point"), "returned a Point object, expected a number"),
    ],
)
def test_not_a_number_gets_its_own_message(got: object, words: str) -> None:
    verdict = check_number(got, 1.0, call="derivative(1.0)")
    assert not verdict.ok
    assert words in verdict.message
    assert verdict.message.startswith("derivative(1.0) returned ")


def test_nan_and_inf_are_named_as_such() -> None:
    nan = check_number(math.nan, 1.0, call="f(0)")
    assert nan == Verdict(
        False,
        "f(0) returned nan, expected 1.0; nan usually comes from an undefined operation "
        "such as 0/0.",
    )
    inf = check_number(np.float64("-inf"), 1.0, call="f(0)")
    assert not inf.ok and "returned -inf" in inf.message and "overflow" in inf.message
    assert "returned inf" in check_number(10**400, 1.0, call="f(0)").message


def test_a_broken_reference_is_the_checks_fault() -> None:
    with pytest.raises(ValueError, match="not finite"):
        check_number(1.0, math.nan, call="f(0)")


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_finite_float_matches_itself(value: float) -> None:
    assert check_number(value, value, call="f(x)").ok
    assert check_array(np.array([value]), np.array([value]), call="f(x)").ok


def test_a_right_array_passes_with_integer_dtype_too() -> None:
    assert check_array(np.array([1.0, 2.0]), np.array([1.0, 2.0]), call="g(x)").ok
    assert check_array(np.array([1, 2]), [1.0, 2.0], call="g(x)").ok


def test_list_where_an_array_is_expected() -> None:
    verdict = check_array([1.0, 2.0, 3.0], np.arange(3.0), call="gradient(f, x)")
    assert verdict == Verdict(
        False,
        "gradient(f, x) returned a list of 3 numbers, expected a numpy array of shape (3,); "
        "convert it with np.array(...).",
    )


def test_column_where_a_flat_vector_is_expected_and_back() -> None:
    column = check_array(np.zeros((3, 1)), np.zeros(3), call="gradient(f, x)")
    assert column == Verdict(
        False,
        "gradient(f, x) returned an array of shape (3, 1), expected shape (3,); it is 2-D "
        "where a flat 1-D array was asked (see .ravel()).",
    )
    flat = check_array(np.zeros(3), np.zeros((3, 1)), call="g()")
    assert not flat.ok and "see .reshape(3, 1)" in flat.message
    other = check_array(np.zeros(4), np.zeros(3), call="g()")
    assert other == Verdict(False, "g() returned an array of shape (4,), expected shape (3,).")


def test_explicit_shape_must_agree_with_the_reference() -> None:
    assert check_array(np.zeros(3), np.zeros(3), call="g()", shape=(3,)).ok
    with pytest.raises(ValueError, match="shape"):
        check_array(np.zeros(3), np.zeros(3), call="g()", shape=(3, 1))


def test_number_and_non_numeric_dtypes_where_an_array_is_expected() -> None:
    number = check_array(2.0, np.zeros(3), call="g()")
    assert number == Verdict(False, "g() returned the number 2.0, expected an array of shape (3,).")
    booleans = check_array(np.array([True, False, True]), np.zeros(3), call="g()")
    assert "an array of booleans" in booleans.message and "expected an array of numbers" in (
        booleans.message
    )
    complex_ = check_array(np.zeros(3, dtype=complex), np.zeros(3), call="g()")
    assert not complex_.ok and "complex" in complex_.message


def test_nan_in_an_array_names_its_index() -> None:
    verdict = check_array(np.array([[0.0, 1.0], [np.nan, 3.0]]), np.zeros((2, 2)), call="h()")
    assert verdict == Verdict(
        False, "h() returned an array holding nan at index (1, 0), expected finite numbers."
    )


def test_small_wrong_arrays_are_shown_with_the_worst_index() -> None:
    verdict = check_array(np.array([0.0, 1.0, 3.0]), np.arange(3.0), call="g()")
    assert verdict == Verdict(
        False,
        "g() returned [0., 1., 3.], expected [0., 1., 2.]; at index 2 it holds 3.0 instead of 2.0.",
    )


def test_large_wrong_arrays_count_the_bad_positions() -> None:
    expected = np.arange(100.0)
    got = expected.copy()
    got[[7, 42]] += [1e-6, 5.0]
    verdict = check_array(got, expected, call="g()")
    assert verdict.message == (
        "g() returned an array that differs from the expected one at 2 of 100 positions; "
        "at index 42 it holds 47.0 instead of 42.0."
    )


def test_zero_tolerance_on_a_zero_reference_still_names_the_index() -> None:
    verdict = check_array(np.array([0.0, 1e-300]), np.zeros(2), call="g()", rtol=0, atol=0)
    assert not verdict.ok and "at index 1" in verdict.message


def test_labels() -> None:
    assert check_label("increasing", "increasing", call="s(1)", vocabulary=SIGNS).ok
    wrong = check_label("increasing", "decreasing", call="s(-1)", vocabulary=SIGNS)
    assert wrong == Verdict(False, "s(-1) returned 'increasing', expected 'decreasing'.")
    outside = check_label("up", "increasing", call="s(1)", vocabulary=SIGNS)
    assert outside == Verdict(
        False,
        "s(1) returned 'up', which is not one of 'increasing', 'decreasing' or 'stationary'.",
    )
    case = check_label("Increasing ", "increasing", call="s(1)", vocabulary=SIGNS)
    assert "Did you mean 'increasing'?" in case.message
    number = check_label(1.0, "increasing", call="s(1)", vocabulary=SIGNS)
    assert number.message.startswith("s(1) returned 1.0, expected a str, one of 'increasing'")


def test_tuples() -> None:
    pair = (np.zeros(2), np.zeros(2))
    assert check_tuple(pair, 2, call="momentum_step(...)").ok
    long = check_tuple((1.0, 2.0, 3.0), 2, call="m()")
    assert long == Verdict(False, "m() returned a tuple of 3 numbers, expected a tuple of 2 items.")
    listed = check_tuple(list(pair), 2, call="m()")
    assert not listed.ok and "a list of 2 arrays" in listed.message
    assert "return a, b" in listed.message
    assert "returned 1.0, expected a tuple of 2" in check_tuple(1.0, 2, call="m()").message


# --- the forms a real number takes (issue "Grading validity, round two") -----------------------


@pytest.mark.parametrize(
    "got",
    [
        np.array(0.75), np.asarray(0.75), np.array([0.75]).sum(), np.array(0.75).sum(keepdims=True),
        np.where(True, 0.75, 0.0), np.longdouble(0.75), np.array(np.longdouble(0.75)),
        np.float16(0.75), np.array(0.75, dtype=np.float32),
    ],
)  # fmt: skip
def test_a_right_number_passes_in_any_real_scalar_form(got: object) -> None:
    assert check_number(got, 0.75, call="derivative(0.375)") == Verdict(True, "")


def test_an_int_answer_is_judged_by_its_value() -> None:
    assert check_number(np.array(-4), -4.0, call="derivative(-2)").ok
    assert check_number(np.int32(-4), -4.0, call="derivative(-2)").ok
    wrong = check_number(np.array(-3), -4.0, call="derivative(-2)")
    assert wrong == Verdict(False, "derivative(-2) returned -3.0, expected -4.0.")


def test_float32_passes_within_the_tolerance_and_otherwise_hears_why() -> None:
    third = np.float32(1 / 3)
    assert check_number(third, 1 / 3, call="f()", rtol=1e-6).ok
    assert check_number(np.array(third), 1 / 3, call="f()", rtol=1e-6).ok
    tight = check_number(third, 1 / 3, call="f()")
    assert not tight.ok
    assert "a numpy float32, which keeps only about 6 significant digits" in tight.message
    # a float32 far from the answer is wrong for another reason: no word on digits
    assert "float32" not in check_number(np.float32(0.5), 1 / 3, call="f()").message
    # nor a float64 answer that is close
    assert "significant digits" not in check_number(1 / 3 + 1e-7, 1 / 3, call="f()").message
    arrays = check_array(np.array([1 / 3, 2 / 3], dtype=np.float32), [1 / 3, 2 / 3], call="g()")
    assert "a numpy float32" in arrays.message


def test_complex_and_bool_scalars_are_refused_with_their_reason() -> None:
    for got in (2 + 0j, np.complex128(2), np.array(2 + 0j)):
        verdict = check_number(got, 2.0, call="f()")
        assert not verdict.ok
        assert "its imaginary part is 0, so return its real part (.real)" in verdict.message
    assert "imaginary part is 0" not in check_number(2 + 1j, 2.0, call="f()").message
    for got in (np.bool_(True), np.array(True)):
        verdict = check_number(got, 1.0, call="f()")
        assert verdict.message.endswith("expected a number, not a bool."), verdict.message
    one = check_number(np.array([2.0]), 2.0, call="f()")
    assert one.message.endswith("expected a single number; take it out with float(...).")
