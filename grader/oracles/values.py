"""The values oracles judge, and how they are shown to a student.

Answers reach the oracles as plain decoded data: Python numbers, bools, strings and None, lists,
tuples and dicts of those, numpy arrays of numeric dtypes, numpy scalars, or an `Unsupported`
marker for something that could not cross the sandbox boundary. Nothing here calls a method a
student could have written: only numpy and the standard library, on those plain types.

A student's value can be large (a string of a megabyte, a list of 100,000 items, the most the
sandbox boundary lets through), and all of this runs in the trusted grader: every rendering is
capped in length, and none renders more of a value than it shows.
"""

from __future__ import annotations

import functools
import math
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_TEXT = 80
# Arrays up to this many items are formatted once per distinct content (see `array_text`).
MEMO_ITEMS = 64


@dataclass(frozen=True)
class Unsupported:
    """Stands for a value the student returned that could not cross the sandbox boundary.

    Only the name of its type is known, so that a message can say "returned a Point object".
    """

    type_name: str


def unsupported_type_name(value: Any) -> str | None:
    """The type name if `value` is an unsupported-value marker, else None.

    The sandbox's wire format has a marker of its own; it is recognised here by identity of its
    class (when that module is loaded), without importing the sandbox from the oracles.
    """
    if isinstance(value, Unsupported):
        return value.type_name
    wire = sys.modules.get("grader.sandbox.wire")
    wire_marker = getattr(wire, "Unsupported", None)
    if isinstance(wire_marker, type) and type(value) is wire_marker:
        return str(value.type_name)
    return None


def is_real_number(value: Any) -> bool:
    """True for a real number in any of the forms the contract's "Python or numpy scalar" takes.

    Those are a Python int or float, a numpy integer or floating scalar of any width, and a 0-d
    numpy array of an integer or floating dtype: what `np.array(v)`, `np.asarray(v)`,
    `np.where(...)` or `x.sum(keepdims=...)` of a scalar give, holding the number all the same.
    Refused: bools (True is not an answer of 1.0, and `np.bool_` neither), complex numbers even
    with a zero imaginary part (the contract asks for a float, and `float()` of a complex raises,
    in checks that convert an answer once this said it is a number), and arrays of one item but
    one dimension or more (shape (1,) is an array where a number is asked).
    """
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    if isinstance(value, (bool, np.bool_)):
        return False
    return isinstance(value, (int, float, np.integer, np.floating))


def real_scalar(value: Any) -> Any:
    """A real number (see `is_real_number`) as a Python or numpy scalar: a 0-d array gives the
    numpy scalar it holds, of its own dtype; any other value is returned as it is."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        return value[()]
    return value


def cap(text: str, limit: int = MAX_TEXT) -> str:
    """`text` shortened to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def format_number(value: float | int) -> str:
    """A real number as a student would like to read it: short when possible, never 17 digits."""
    value = real_scalar(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        whole = int(value)
        if whole.bit_length() > 100:
            # str() of a huge int is slow, and refused beyond 4300 digits
            return f"an integer of about {int(whole.bit_length() * math.log10(2))} digits"
        return str(whole)
    number = float(value)
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    return _float_text(number, 8)


def _float_text(number: float, digits: int) -> str:
    """The shortest exact repr when it is short, else `digits` significant digits, float-looking."""
    text = repr(number)
    if len(text) <= 12 or not math.isfinite(number):
        return text
    text = f"{number:.{digits}g}"
    return text if any(mark in text for mark in ".en") else text + ".0"


def format_pair(got: float, expected: float) -> tuple[str, str]:
    """Both numbers with just enough digits (8 to 17) that two different values print apart."""
    got, expected = float(got), float(expected)
    digits = 8
    while digits < 17 and got != expected:
        if f"{got:.{digits}g}" != f"{expected:.{digits}g}":
            break
        digits += 1
    return _float_text(got, digits), _float_text(expected, digits)


def format_array(values: np.ndarray, limit: int = MAX_TEXT) -> str:
    """An array's values on one line, like a nested list, capped in length."""
    flat = np.asarray(values)
    if flat.dtype.kind not in "biuf":
        return f"an array of dtype {flat.dtype}"
    return cap(array_text(flat, precision=8, threshold=12, width=10**6), limit)


def array_text(values: np.ndarray, *, precision: int, threshold: int, width: int = 75) -> str:
    """`np.array2string` with items separated by ", ", its line breaks removed; remembered for
    small arrays.

    numpy's formatter costs some 150 us a call, and the arrays in messages are mostly a check's
    own inputs, the same for every submission: each small numeric array is formatted once per
    distinct content (dtype, shape and bytes), which the cache key holds, so a later change to
    an array cannot return a stale text.
    """
    if values.dtype.kind in "biufc" and values.size <= MEMO_ITEMS:
        return _remembered_text(
            values.dtype.str, values.shape, values.tobytes(), precision, threshold, width
        )
    return _array_text(values, precision, threshold, width)


@functools.lru_cache(maxsize=4096)
def _remembered_text(
    dtype: str, shape: tuple[int, ...], data: bytes, precision: int, threshold: int, width: int
) -> str:
    values = np.frombuffer(data, dtype=dtype).reshape(shape)
    return _array_text(values, precision, threshold, width)


def _array_text(values: np.ndarray, precision: int, threshold: int, width: int) -> str:
    text = np.array2string(
        values, precision=precision, separator=", ", threshold=threshold, edgeitems=3,
        max_line_width=width,
    )  # fmt: skip
    return text.replace("\n", "")


def describe(value: Any, limit: int = MAX_TEXT) -> str:
    """A short, student-readable rendering of any plain value, for "returned ..." sentences.

    Numbers and strings show themselves ("1.2345678", "'increasing'", "nan"); containers show
    their kind and size ("a list of 3 numbers", "an array of shape (3, 1)").
    """
    marker = unsupported_type_name(value)
    if marker is not None:
        return f"a {cap(marker, 40)} object"
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):
        return f"{bool(value)} (a bool)"
    if isinstance(value, np.ndarray):
        # before numbers: "a 0-d array holding 2.5" says more than "2.5" where an array is asked
        return _describe_array(value)
    if is_real_number(value):
        return format_number(value)
    if isinstance(value, (complex, np.complexfloating)):
        return cap(f"the complex number {complex(value)}", limit)
    if isinstance(value, str):
        # Only the part shown is rendered: repr of a whole megabyte would be cut anyway.
        return cap(repr(value[:limit]), limit) if len(value) > limit else cap(repr(value), limit)
    if isinstance(value, (list, tuple)):
        kind = "list" if isinstance(value, list) else "tuple"
        if not value:
            return f"an empty {kind}"
        return f"a {kind} of {len(value)} {_item_kind(value)}"
    if isinstance(value, dict):
        return f"a dict with {len(value)} key{'s' if len(value) != 1 else ''}"
    return f"a {cap(type(value).__name__, 40)} object"


def _describe_array(value: np.ndarray) -> str:
    if value.ndim == 0 and value.dtype.kind in "iuf":
        return f"a 0-d array holding {format_number(value[()])}"
    if value.dtype.kind == "b":
        return f"an array of booleans of shape {value.shape}"
    if value.dtype.kind == "c":
        return f"an array of complex numbers of shape {value.shape}"
    if value.dtype.kind not in "iuf":
        return f"an array of dtype {value.dtype} and shape {value.shape}"
    return f"an array of shape {value.shape}"


def _item_kind(items: list | tuple) -> str:
    """What the items of a list or tuple are, in the plural: numbers, arrays, strings or items."""
    single = len(items) == 1
    if all(is_real_number(item) for item in items):
        return "number" if single else "numbers"
    if all(isinstance(item, np.ndarray) for item in items):
        return "array" if single else "arrays"
    if all(isinstance(item, str) for item in items):
        return "string" if single else "strings"
    if all(isinstance(item, (list, tuple)) for item in items):
        return "sequence" if single else "sequences"
    return "item" if single else "items"
