"""How plain values are shown to students: short, readable, capped."""

from __future__ import annotations

import numpy as np

from grader.oracles.values import (
    Unsupported,
    array_text,
    describe,
    format_array,
    format_number,
    format_pair,
    is_real_number,
    unsupported_type_name,
)
from grader.sandbox import wire


def test_numbers_show_themselves_without_seventeen_digits() -> None:
    assert describe(0.5) == "0.5"
    assert describe(1.23456789012345) == "1.2345679"
    assert describe(np.float64(0.1)) == "0.1"
    assert describe(np.int64(7)) == "7"
    assert describe(float("nan")) == "nan"
    assert describe(float("-inf")) == "-inf"


def test_strings_bools_and_none() -> None:
    assert describe("increasing") == "'increasing'"
    assert describe(True) == "True (a bool)"
    assert describe(None) == "None"
    long = describe("x" * 500)
    assert len(long) == 80
    assert long.endswith("...")


def test_containers_show_kind_and_size() -> None:
    assert describe([1.0, 2.0, 3.0]) == "a list of 3 numbers"
    assert describe((np.zeros(2), np.ones(2))) == "a tuple of 2 arrays"
    assert describe(["a"]) == "a list of 1 string"
    assert describe([]) == "an empty list"
    assert describe([1.0, "a"]) == "a list of 2 items"
    assert describe({"a": 1}) == "a dict with 1 key"


def test_arrays_show_shape_and_odd_dtypes() -> None:
    assert describe(np.zeros((3, 1))) == "an array of shape (3, 1)"
    assert describe(np.array(2.5)) == "a 0-d array holding 2.5"
    assert describe(np.array([True, False])) == "an array of booleans of shape (2,)"
    assert describe(np.array([1j])) == "an array of complex numbers of shape (1,)"


def test_unsupported_markers_of_both_kinds_show_their_type() -> None:
    assert describe(Unsupported("Point")) == "a Point object"
    assert describe(wire.Unsupported("generator")) == "a generator object"
    assert unsupported_type_name(wire.Unsupported("Point")) == "Point"
    assert unsupported_type_name("Point") is None


def test_huge_integers_are_summarised_not_printed() -> None:
    assert describe(10**5000) == "an integer of about 5000 digits"


def test_bools_are_not_real_numbers() -> None:
    assert is_real_number(1) and is_real_number(np.float32(1.0))
    assert not is_real_number(True)
    assert not is_real_number(np.bool_(True))


def test_pair_gets_digits_until_the_numbers_differ() -> None:
    assert format_number(1.0 + 1e-12) == "1.0"
    assert format_pair(1.0 + 1e-12, 1.0) == ("1.000000000001", "1.0")
    assert format_pair(0.5, 1.0) == ("0.5", "1.0")


def test_remembered_array_text_is_numpys_own_and_follows_the_content() -> None:
    """Small arrays' texts are remembered by content: the text is the one numpy gives, an array
    changed in place gets a new one, and arrays equal in value but not in dtype or shape differ."""
    cases = [
        np.array([0.25, -1.5]),
        np.array([[2.0, 1.0], [1.0, 3.0]]),
        np.array([1, 2, 3]),
        np.array(0.1),
        np.arange(40.0),  # long enough for numpy to wrap, and to elide with threshold 8
        np.arange(100.0),  # too many items to remember
    ]
    for values in cases:
        expected = np.array2string(values, precision=6, separator=", ", threshold=8)
        assert array_text(values, precision=6, threshold=8) == expected.replace("\n", "")
        assert array_text(values, precision=6, threshold=8) == expected.replace("\n", "")
    changing = np.array([1.0, 2.0])
    assert array_text(changing, precision=6, threshold=8) == "[1., 2.]"
    changing[0] = 7.0
    assert array_text(changing, precision=6, threshold=8) == "[7., 2.]"
    assert array_text(np.array([1, 2]), precision=6, threshold=8) == "[1, 2]"
    assert array_text(np.array([[1.0], [2.0]]), precision=6, threshold=8) == "[[1.], [2.]]"
    assert format_array(np.arange(3.0)) == "[0., 1., 2.]"


# --- the forms a real number takes (issue "Grading validity, round two") -----------------------

REAL_FORMS = [
    2.5, 2, np.float64(2.5), np.float32(2.5), np.float16(2.5), np.longdouble(2.5), np.int8(2),
    np.uint64(2), np.array(2.5), np.asarray(2.5, dtype=np.float32), np.array(2),
    np.array(2.5).sum(), np.where(True, np.array(2.5), 0.0), np.array(np.longdouble(2.5)),
    np.sum(np.array(2.5), keepdims=True),
]  # fmt: skip
NOT_REAL = [
    True, np.bool_(True), np.array(True), 2.5 + 0j, np.complex128(2.5), np.array(2.5 + 0j),
    np.array([2.5]), np.array([[2.5]]), "2.5", None, [2.5], np.array("2.5"),
]  # fmt: skip


def test_every_real_scalar_form_is_a_number() -> None:
    for value in REAL_FORMS:
        assert is_real_number(value), repr(value)
        assert describe(value) in ("2.5", "2", "a 0-d array holding 2.5", "a 0-d array holding 2")


def test_bools_complex_and_arrays_of_one_dimension_are_not_numbers() -> None:
    for value in NOT_REAL:
        assert not is_real_number(value), repr(value)


def test_real_scalar_unwraps_0d_arrays_only() -> None:
    from grader.oracles.values import real_scalar

    unwrapped = real_scalar(np.array(2.5, dtype=np.float32))
    assert type(unwrapped) is np.float32 and unwrapped == 2.5
    assert type(real_scalar(np.array(3))) is np.int64
    assert real_scalar(2.5) == 2.5
    vector = np.array([2.5])
    assert real_scalar(vector) is vector
    assert format_number(np.array(7)) == "7" and format_number(np.array(0.1)) == "0.1"
