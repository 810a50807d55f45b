"""The data format that crosses the sandbox boundary, in both directions.

Only data crosses: JSON whose non-JSON values are tagged objects, numpy arrays as .npy bytes with
numeric dtypes only, read without pickle (the header by numpy's own .npy reader, once per distinct
header: arrays of one shape recur on every call, and parsing the header was a fifth of a call's
cost). Messages are framed by a 4-byte length and capped in size; decoding caps nesting depth.
`to_plain` runs in the worker and turns whatever student code returned into such data, so that no
student object (and so no student ``__eq__`` or ``__float__``) ever reaches the grader.
"""

from __future__ import annotations

import base64
import functools
import io
import json
import math
import os
import re
import struct
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.lib.format as npy

MAX_MESSAGE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
MAX_ITEMS = 100_000
MAX_STR = 1_000_000  # a whole submission file travels as one string
NUMERIC_KINDS = "biufc"

_HEADER = struct.Struct("!I")
_SURROGATE = re.compile("[\ud800-\udfff]")


class WireError(Exception):
    """A message that breaks the format: too big, too deep, malformed or of a forbidden type."""


class Unsupported:
    """Stands for a value that cannot cross the boundary (a custom object, a generator...).

    Only the type's name crosses, capped in length, so a check can tell the student what came back.
    """

    __slots__ = ("type_name",)

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name[:80]

    def __repr__(self) -> str:
        return f"<{self.type_name} object>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unsupported) and other.type_name == self.type_name

    def __hash__(self) -> int:
        return hash(self.type_name)


# --- plain data (worker side) ---------------------------------------------------------------


def to_plain(value: Any, depth: int = 0) -> Any:
    """Convert a student's value to data made only of exact builtin types and base-class ndarrays.

    Subclasses are read through their base class's own methods (``float.__float__``), so a student's
    override cannot run on the grader side; it may run here, inside the worker, which is untrusted
    anyway.
    """
    if depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if isinstance(value, str):
        # Before numpy scalars: numpy.str_ (an item of an array of labels) is a str subclass,
        # and so is a student's own class. Either is read by its characters alone.
        return plain_str(value)
    if isinstance(value, np.generic):
        return _numpy_scalar(value)
    if isinstance(value, np.ndarray):
        array = np.array(value, copy=True, subok=False)
        if array.ndim == 0 and array.dtype.kind == "U":
            # what np.where(d > tol, "increasing", "decreasing") gives for a number d: one
            # label. No check can ask for an array of str (they cannot cross), so this loses
            # nothing; longer str arrays stay refused by `encode`.
            return plain_str(array.item())
        return array
    if isinstance(value, bool):
        return bool.__bool__(value)
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, complex):
        # read through the base class's descriptors: a subclass may redefine .real and .imag
        return complex(complex.real.__get__(value), complex.imag.__get__(value))
    if isinstance(value, (list, tuple)):
        items = list.__iter__(value) if isinstance(value, list) else tuple.__iter__(value)
        plain = [to_plain(item, depth + 1) for item in items]
        return plain if isinstance(value, list) else tuple(plain)
    if isinstance(value, dict):
        return {_key_text(key): to_plain(item, depth + 1) for key, item in dict.items(value)}
    return Unsupported(type(value).__name__)


def plain_str(value: str) -> str:
    """The characters of a str or of any str subclass, as an exact `str`.

    ``str.__str__`` is the base class's own slot, called directly: for a subclass it copies the
    characters into a new exact str without looking up anything on the subclass, so an override
    of ``__str__``, ``__iter__``, ``__getitem__``, ``__eq__`` or ``__hash__`` runs no code here.
    """
    return str.__str__(value)


def _key_text(key: Any) -> str:
    """A dict key as a plain str: a str subclass by its characters, anything else by ``str()``
    (which runs here, in the worker, where running student code is expected)."""
    return plain_str(key) if isinstance(key, str) else str(key)


def _numpy_scalar(value: np.generic) -> Any:
    if value.dtype.kind not in NUMERIC_KINDS:
        return Unsupported(f"numpy.{type(value).__name__}")
    if isinstance(value, (np.longdouble, np.clongdouble)) and value.dtype.itemsize > 8:
        # `.item()` of an extended-precision scalar is that scalar again, which JSON cannot
        # carry; the grader judges every number as a float64 (or complex128), so rounding to
        # it here keeps all that judging reads.
        wide = np.complex128 if value.dtype.kind == "c" else np.float64
        return wide(value)
    return value.dtype.type(value.item())


# --- encoding -------------------------------------------------------------------------------


def encode(value: Any) -> bytes:
    """Encode plain data (see `to_plain`) as one JSON document."""
    return json.dumps(_tag(value, 0), allow_nan=False, separators=(",", ":")).encode()


def _tag(value: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$float": repr(value)}
    if kind is complex:
        # so that a check can say "its imaginary part is 0, return .real" instead of
        # "cannot be graded"; the oracles refuse complex numbers where a real one is asked
        return {"$complex": [_tag(value.real, depth + 1), _tag(value.imag, depth + 1)]}
    if isinstance(value, np.ndarray):
        return {"$ndarray": _npy_text(value)}
    if isinstance(value, np.generic):
        return {"$scalar": value.dtype.str, "value": _tag(value.item(), depth + 1)}
    if kind is list:
        return [_tag(item, depth + 1) for item in value]
    if kind is tuple:
        return {"$tuple": [_tag(item, depth + 1) for item in value]}
    if kind is dict:
        return {"$dict": [[key, _tag(item, depth + 1)] for key, item in value.items()]}
    if kind is Unsupported:
        return {"$unsupported": value.type_name}
    if hasattr(value, "wire_tag"):
        return value.wire_tag()
    raise WireError(f"cannot send a {kind.__name__}")


def _npy_text(array: np.ndarray) -> str:
    if array.dtype.kind not in NUMERIC_KINDS or array.dtype.fields or array.dtype.subdtype:
        raise WireError(f"arrays of dtype {array.dtype} cannot cross the sandbox boundary")
    header = _npy_header(array.dtype.str, array.shape)
    return base64.b64encode(header + np.ascontiguousarray(array).tobytes()).decode("ascii")


@functools.lru_cache(maxsize=256)
def _npy_header(dtype: str, shape: tuple[int, ...]) -> bytes:
    """The .npy magic and header of a C-ordered array, as `np.save` writes them (version 1.0)."""
    buffer = io.BytesIO()
    npy.write_array_header_1_0(
        buffer,
        {"descr": npy.dtype_to_descr(np.dtype(dtype)), "fortran_order": False, "shape": shape},
    )
    return buffer.getvalue()


# --- decoding -------------------------------------------------------------------------------


Hook = Callable[[dict], Any]


def decode(data: bytes, hooks: dict[str, Hook] | None = None) -> Any:
    """Decode one JSON document from the other side, enforcing the size, depth and dtype rules.

    `hooks` maps extra tags (such as ``$func``) to constructors; any other unknown tag is an error.
    """
    if len(data) > MAX_MESSAGE_BYTES:
        raise WireError("the message is too large")
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError, MemoryError) as error:
        raise WireError("the message is not valid JSON") from error
    return _untag(raw, 0, hooks or {}, [0])


def _untag(value: Any, depth: int, hooks: dict[str, Hook], count: list[int]) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply")
    count[0] += 1
    if count[0] > MAX_ITEMS:
        raise WireError("the value has too many items")
    kind = type(value)
    if value is None or kind in (bool, int, float):
        return value
    if kind is str:
        if len(value) > MAX_STR:
            raise WireError("a string in the value is too long")
        if not value.isascii() and _SURROGATE.search(value):
            # JSON carries lone surrogates, which no UTF-8 file or database takes: a message
            # holding one would stop the writing of grades, the gradebook or a notebook.
            return _SURROGATE.sub("\ufffd", value)
        return value
    if kind is list:
        return [_untag(item, depth + 1, hooks, count) for item in value]
    if kind is not dict or len(value) == 0:
        raise WireError("unexpected JSON value")
    tag = next(iter(value))
    if tag == "$float":
        return _special_float(value[tag])
    if tag == "$complex":
        return _complex(value[tag], depth, hooks, count)
    if tag == "$ndarray":
        return _load_npy(value[tag])
    if tag == "$scalar":
        return _scalar(value[tag], _untag(value.get("value"), depth + 1, hooks, count))
    if tag == "$tuple":
        return tuple(_untag(item, depth + 1, hooks, count) for item in _list(value[tag]))
    if tag == "$dict":
        return {_key(pair): _untag(pair[1], depth + 1, hooks, count) for pair in _list(value[tag])}
    if tag == "$unsupported":
        return Unsupported(str(value[tag]))
    if tag in hooks:
        return hooks[tag](value)
    raise WireError(f"unknown tag {tag[:20]!r}")


def _list(value: Any) -> list:
    if type(value) is not list:
        raise WireError("malformed tagged value")
    return value


def _key(pair: Any) -> str:
    if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
        raise WireError("malformed dict entry")
    return pair[0][:MAX_STR]


def _special_float(text: Any) -> float:
    if text not in ("nan", "inf", "-inf"):
        raise WireError("malformed special float")
    return float(text)


def _complex(parts: Any, depth: int, hooks: dict[str, Hook], count: list[int]) -> complex:
    if type(parts) is not list or len(parts) != 2:
        raise WireError("malformed complex number")
    real, imag = (_untag(part, depth + 1, hooks, count) for part in parts)
    if type(real) is not float or type(imag) is not float:
        raise WireError("malformed complex number")
    return complex(real, imag)


def _scalar(dtype_str: Any, item: Any) -> np.generic:
    try:
        dtype = np.dtype(str(dtype_str)[:8])
    except TypeError as error:
        raise WireError("malformed numpy scalar") from error
    if dtype.kind not in NUMERIC_KINDS or type(item) not in (bool, int, float, complex, list):
        raise WireError("numpy scalars must be numeric")
    if type(item) is list or (type(item) is complex) != (dtype.kind == "c"):
        raise WireError("malformed numpy scalar")
    return dtype.type(item)


def _load_npy(text: Any) -> np.ndarray:
    if type(text) is not str:
        raise WireError("malformed array")
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError as error:
        raise WireError("malformed array") from error
    header_end = _npy_header_end(raw)
    dtype, shape, fortran = _read_npy_header(raw[:header_end])
    data = raw[header_end:]
    if math.prod(shape) * dtype.itemsize != len(data):
        raise WireError("the array's bytes do not match its shape")
    # frombuffer shares the bytes object, which is read-only: copy so the receiver owns the array.
    order = "F" if fortran else "C"
    return np.frombuffer(data, dtype=dtype).reshape(shape, order=order).copy(order="K")


def _npy_header_end(raw: bytes) -> int:
    """Where the .npy header ends: magic, version, header length, header."""
    if raw[:6] != b"\x93NUMPY" or len(raw) < 10:
        raise WireError("malformed array")
    if raw[6] == 1:
        return 10 + int.from_bytes(raw[8:10], "little")
    if raw[6] in (2, 3) and len(raw) >= 12:
        return 12 + int.from_bytes(raw[8:12], "little")
    raise WireError("malformed array")


@functools.lru_cache(maxsize=256)
def _read_npy_header(header: bytes) -> tuple[np.dtype, tuple[int, ...], bool]:
    """dtype, shape and order of a .npy header, read by numpy's reader (no pickle, and only
    numeric dtypes accepted)."""
    stream = io.BytesIO(header)
    try:
        version = npy.read_magic(stream)
        read = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
        shape, fortran, dtype = read(stream)
    except (ValueError, OSError, EOFError, SyntaxError, TypeError) as error:
        raise WireError("malformed array") from error
    if dtype.kind not in NUMERIC_KINDS or dtype.fields or dtype.subdtype:
        raise WireError("arrays must have a numeric dtype")
    if len(shape) > MAX_DEPTH or not all(type(size) is int and size >= 0 for size in shape):
        raise WireError("malformed array shape")
    if stream.read():
        raise WireError("malformed array")
    return dtype, shape, bool(fortran)


# --- framing --------------------------------------------------------------------------------


def write_frame(fd: int, payload: bytes) -> None:
    """Write one length-prefixed message to a file descriptor, all of it."""
    if len(payload) > MAX_MESSAGE_BYTES:
        raise WireError("the message is too large")
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class FrameReader:
    """Reassembles length-prefixed messages from a non-blocking stream, refusing oversized ones."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> None:
        """Add bytes read from the stream."""
        self._buffer += chunk
        if len(self._buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._buffer)
            if size > MAX_MESSAGE_BYTES:
                raise WireError("the message is too large")

    def next_frame(self) -> bytes | None:
        """Return the next complete message, or None until one has fully arrived."""
        if len(self._buffer) < _HEADER.size:
            return None
        (size,) = _HEADER.unpack_from(self._buffer)
        end = _HEADER.size + size
        if len(self._buffer) < end:
            return None
        frame = bytes(self._buffer[_HEADER.size : end])
        del self._buffer[:end]
        return frame


def read_frame_blocking(fd: int) -> bytes | None:
    """Read one message from a blocking descriptor (the worker's side); None at end of stream."""
    header = _read_exact(fd, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    if size > MAX_MESSAGE_BYTES:
        raise WireError("the message is too large")
    return _read_exact(fd, size)


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = os.read(fd, size - len(chunks))
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)
