"""The boundary format: only tagged data crosses, with caps on size, depth and dtypes."""

from __future__ import annotations

import base64
import io
import json
import math

import numpy as np
import pytest

from grader.sandbox import wire
from grader.sandbox.funcspec import FuncSpec, FuncSpecError


def roundtrip(value):
    return wire.decode(wire.encode(wire.to_plain(value)))


def test_plain_values_roundtrip_with_their_types():
    value = roundtrip([1, 2.5, "s", None, True, (1, 2), {"k": 3}])
    assert value == [1, 2.5, "s", None, True, (1, 2), {"k": 3}]
    assert type(value[5]) is tuple


def test_special_floats_are_tagged():
    value = roundtrip([float("nan"), float("inf"), -float("inf")])
    assert np.isnan(value[0]) and value[1] == float("inf") and value[2] == -float("inf")


def test_arrays_keep_dtype_and_shape():
    array = np.arange(6, dtype=np.int32).reshape(3, 2)
    back = roundtrip(array)
    assert back.dtype == np.int32 and back.shape == (3, 2) and np.array_equal(back, array)


def test_numpy_scalars_stay_numpy_scalars():
    back = roundtrip(np.float32(1.5))
    assert type(back) is np.float32 and back == 1.5


def test_float_subclass_crosses_as_plain_float():
    class Liar(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    back = roundtrip(Liar(3.0))
    assert type(back) is float and back == 3.0 and back != 4.0


def test_unknown_objects_cross_as_their_type_name_only():
    class Sneaky:
        pass

    back = roundtrip(Sneaky())
    assert isinstance(back, wire.Unsupported) and back.type_name == "Sneaky"


def test_object_arrays_are_refused():
    with pytest.raises(wire.WireError, match="dtype"):
        wire.encode(np.array([object()], dtype=object))


def forged_npy(header: str, data: bytes = b"\0" * 16) -> bytes:
    """An `$ndarray` message whose .npy header a hostile worker wrote by hand."""
    text = header.encode("latin1")
    text += b" " * (-(10 + len(text) + 1) % 64) + b"\n"
    raw = b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text + data
    return json.dumps({"$ndarray": base64.b64encode(raw).decode()}).encode()


def test_pickled_arrays_are_refused():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    forged = json.dumps({"$ndarray": base64.b64encode(buffer.getvalue()).decode()}).encode()
    with pytest.raises(wire.WireError, match="numeric dtype"):
        wire.decode(forged)


@pytest.mark.parametrize("descr", ["'|O'", "'|V8'", "'<M8[s]'", "'<U2'", "[('a', '<f8')]"])
def test_arrays_of_other_dtypes_are_refused(descr):
    header = f"{{'descr': {descr}, 'fortran_order': False, 'shape': (1,), }}"
    with pytest.raises(wire.WireError):
        wire.decode(forged_npy(header))


@pytest.mark.parametrize(
    "shape",
    ["(3,)", "(2, 2)", "(-1,)", "(1.5,)", "'2'", "(" + "1, " * 40 + ")", "__import__('os')"],
)
def test_arrays_whose_header_or_bytes_do_not_fit_are_refused(shape):
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}"
    with pytest.raises(wire.WireError):
        wire.decode(forged_npy(header))


def test_a_well_formed_forged_header_is_read():
    """The forging helper itself makes valid .npy: two float64 zeros."""
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
    assert np.array_equal(wire.decode(forged_npy(header)), [0.0, 0.0])


@pytest.mark.parametrize(
    "array",
    [
        np.array(2.5),
        np.zeros((0, 3)),
        np.array([1 + 2j, -1j]),
        np.array([True, False]),
        np.arange(6, dtype=">i8").reshape(2, 3),
        np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        np.arange(10.0)[::3],
    ],
)
def test_arrays_roundtrip_exactly_and_writable(array):
    back = roundtrip(array)
    assert back.dtype == array.dtype and back.shape == array.shape
    assert np.array_equal(back, array)
    back[...] = 0  # the receiver owns its copy
    assert back.flags.writeable


def test_depth_and_size_are_capped():
    deep = b"[" * 5000 + b"]" * 5000
    with pytest.raises(wire.WireError):
        wire.decode(deep)
    with pytest.raises(wire.WireError, match="too large"):
        wire.decode(b" " * (wire.MAX_MESSAGE_BYTES + 1))


def test_unknown_tags_are_refused():
    with pytest.raises(wire.WireError, match="unknown tag"):
        wire.decode(b'{"$func": "scalar", "trees": [], "n_vars": 1}')


def test_frames_reassemble_from_pieces():
    reader = wire.FrameReader()
    payload = wire.encode({"a": 1})
    framed = len(payload).to_bytes(4, "big") + payload
    for byte in framed[:-1]:
        reader.feed(bytes([byte]))
        assert reader.next_frame() is None
    reader.feed(framed[-1:])
    assert reader.next_frame() == payload


def test_oversized_frame_header_is_refused():
    with pytest.raises(wire.WireError):
        wire.FrameReader().feed((wire.MAX_MESSAGE_BYTES + 1).to_bytes(4, "big"))


def test_funcspec_rebuilds_from_data_only():
    spec = FuncSpec("scalar", [["add", ["pow", ["var", 0], ["num", 3]], ["num", 1]]], 1, "f")
    rebuilt = wire.decode(wire.encode(spec), hooks={"$func": FuncSpec.from_wire})
    assert rebuilt(2.0) == 9.0
    assert np.array_equal(rebuilt(np.array([0.0, 1.0])), [1.0, 2.0])


@pytest.mark.parametrize(
    "tree",
    [["call", ["var", 0]], ["var", 5], ["num", "1"], "x", ["__import__", ["num", 1]]],
)
def test_funcspec_refuses_malformed_trees(tree):
    with pytest.raises(FuncSpecError):
        FuncSpec("scalar", [tree], 1)


def test_vector_funcspec_checks_its_input_shape():
    spec = FuncSpec("vector", [["mul", ["var", 0], ["var", 1]]], 2, "f")
    assert spec([2.0, 3.0]) == 6.0
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        spec(np.zeros((2, 1)))


def test_lone_surrogates_from_the_other_side_become_replacement_characters():
    """JSON can carry a lone surrogate (a student's message or label), which no UTF-8 file or
    database accepts: decoded, it is U+FFFD, and every other character is kept."""
    sent = {"message": "caf\u00e9 \udc9b and \ud800", "labels": ["ok", "\udfff"]}
    assert wire.decode(wire.encode(sent)) == {
        "message": "caf\u00e9 \ufffd and \ufffd",
        "labels": ["ok", "\ufffd"],
    }


# --- labels, numbers and complex values in the forms students return them -------------------


class LyingLabel(str):
    """A str subclass whose every method a trusted side might call lies about its characters."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return hash("increasing")

    def __str__(self):
        return "increasing"

    def __repr__(self):
        return "'increasing'"

    def __iter__(self):
        return iter("increasing")

    def __getitem__(self, index):
        return "increasing"[index]

    def __len__(self):
        return len("increasing")


def test_numpy_str_crosses_as_a_plain_str():
    label = np.array(["increasing", "decreasing"])[0]
    assert type(label) is np.str_
    back = roundtrip(label)
    assert type(back) is str and back == "increasing"
    assert roundtrip([np.str_("a"), (np.str_("b"),)]) == ["a", ("b",)]


def test_a_lying_str_subclass_crosses_as_its_real_characters():
    back = roundtrip(LyingLabel("nonsense"))
    assert type(back) is str
    assert back == "nonsense" and back != "increasing"
    keys = roundtrip({LyingLabel("k"): 1})
    assert list(keys) == ["k"] and type(next(iter(keys))) is str


def test_a_0d_str_array_is_the_label_it_holds():
    """np.where(d > tol, "increasing", "decreasing") with a number d is a 0-d str array."""
    back = roundtrip(np.where(2.0 > 1e-8, "increasing", "decreasing"))
    assert type(back) is str and back == "increasing"
    with pytest.raises(wire.WireError, match="dtype"):
        wire.encode(wire.to_plain(np.array(["increasing", "stationary"])))


def test_0d_numeric_arrays_stay_arrays():
    """A check may ask for an array: the oracles, not the boundary, read a 0-d one as a number."""
    back = roundtrip(np.array(2.5))
    assert type(back) is np.ndarray and back.shape == () and back == 2.5


def test_extended_precision_scalars_cross_as_float64():
    back = roundtrip(np.longdouble(2.5))
    assert type(back) is np.float64 and back == 2.5
    complex_back = roundtrip(np.clongdouble(1 - 2j))
    assert type(complex_back) is np.complex128 and complex_back == 1 - 2j
    array = roundtrip(np.array(np.longdouble(2.5)))
    assert array.dtype == np.longdouble and array == 2.5


def test_complex_numbers_cross_with_their_type():
    class Sly(complex):
        real = 5.0

    assert roundtrip([1 + 2j, Sly(3, 4)]) == [1 + 2j, 3 + 4j]
    nan = roundtrip(complex(float("nan"), 1.0))
    assert type(nan) is complex and math.isnan(nan.real) and nan.imag == 1.0
    numpy_complex = roundtrip(np.complex64(1 - 1j))
    assert type(numpy_complex) is np.complex64 and numpy_complex == 1 - 1j


@pytest.mark.parametrize(
    "message",
    [
        b'{"$complex": [1.0]}',
        b'{"$complex": [1.0, "2"]}',
        b'{"$complex": [1, 2]}',
        b'{"$complex": [[1.0], 2.0]}',
        b'{"$scalar": "<c16", "value": 1.0}',
        b'{"$scalar": "<f8", "value": {"$complex": [1.0, 0.0]}}',
    ],
)
def test_malformed_complex_numbers_are_refused(message):
    with pytest.raises(wire.WireError):
        wire.decode(message)
