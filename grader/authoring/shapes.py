"""Type, shape and dtype checks on a student's answer, each with its own message."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.oracles.compare import OK, Verdict
from grader.oracles.values import describe

_KINDS = {"f": "floating-point", "i": "integer", "u": "unsigned integer", "b": "boolean",
          "c": "complex"}  # fmt: skip


def check_shape(got: Any, shape: tuple[int, ...], *, call: str) -> Verdict:
    """A numpy array of exactly `shape`: `(3, 1)` and `(3,)` are different answers."""
    want = tuple(shape)
    if not isinstance(got, np.ndarray):
        return Verdict(False, f"{call} returned {describe(got)}, expected a numpy array of "
                              f"shape {want}.")  # fmt: skip
    if got.shape != want:
        return Verdict(False, f"{call} returned an array of shape {got.shape}, expected {want}.")
    return OK


def check_dtype(got: Any, kind: str, *, call: str) -> Verdict:
    """A numpy array whose dtype is of `kind` (numpy's letters: "f" float, "i" int, "b" bool;
    several letters accept any of them, as "iuf" for any real number type)."""
    if not isinstance(got, np.ndarray):
        return Verdict(False, f"{call} returned {describe(got)}, expected a numpy array.")
    if got.dtype.kind not in kind:
        wanted = " or ".join(_KINDS.get(letter, letter) for letter in kind)
        return Verdict(False, f"{call} returned an array of {got.dtype} values, expected "
                              f"{wanted} values.")  # fmt: skip
    return OK
