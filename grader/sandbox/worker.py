"""The worker: the one process that runs a submission's code, serving the grader's calls.

It lives in a child forked from the template. It runs the submission's cells in a fresh module,
then answers requests, one at a time, on its private pipes:

- ``{"op": "load", "cells": [...], "filename": ..., "notebook": bool}`` runs the code; the answer
  lists the functions defined and any cell that raised;
- ``{"op": "call", "function": name, "args": [...], "kwargs": {...}, "return_args": bool}`` calls a
  function; the answer carries the value as plain data (see `wire.to_plain`), or the exception's
  type and message, never a traceback object.

Every answer carries ``"n"``, the number of the request it answers (the worker's first frame,
the report of its layers, is 0). Everything here is untrusted once student code has run: the
grader checks each answer's shape and number before it reads it (see `answers`).
"""

from __future__ import annotations

import sys
import types
from typing import Any

from . import wire
from .answers import MAX_CELL_ERRORS
from .funcspec import FuncSpec

MAX_MESSAGE_CHARS = 500
MAX_NAME_CHARS = 200  # no exercise has a longer name; longer ones are left out of the list
# True in a worker serving a submission: a notebook's own `check(...)` cell, run while the
# notebook is graded, then stays silent (see `grader.student.selfcheck.check`).
SERVING = False


def serve(request_fd: int, response_fd: int) -> None:
    """Answer requests until the grader closes the request pipe."""
    global SERVING
    SERVING = True
    module = types.ModuleType("submission")
    number = 0
    while True:
        frame = wire.read_frame_blocking(request_fd)
        if frame is None:
            return
        number += 1
        try:
            request = wire.decode(frame, hooks={"$func": FuncSpec.from_wire})
        except BaseException as error:
            encoded = _encode_answer({"raised": _describe_exception(error)}, number)
        else:
            encoded = answer_request(request, module, number)
        wire.write_frame(response_fd, encoded)


def answer_request(request: dict, module: types.ModuleType, number: int) -> bytes:
    """The encoded answer, numbered `number`, to one decoded request about `module`'s code."""
    try:
        answer = _handle(request, module)
    except BaseException as error:
        answer = {"raised": _describe_exception(error)}
    return _encode_answer(answer, number)


def _handle(request: dict, module: types.ModuleType) -> dict:
    if request.get("op") == "load":
        return _load(module, request["cells"], request["filename"], request.get("notebook", False))
    if request.get("op") == "call":
        return _call(module, request)
    return {"raised": {"type": "ProtocolError", "message": "unknown request"}}


def _load(module: types.ModuleType, cells: list, filename: str, notebook: bool) -> dict:
    namespace = module.__dict__
    namespace["__name__"] = "__main__" if notebook else "submission"
    namespace["__file__"] = filename
    if notebook:
        namespace["get_ipython"] = _InertShell
        namespace["display"] = _inert
    sys.modules["submission"] = module
    errors = []
    for index, source in enumerate(cells):
        name = f"{filename} (cell {index + 1})" if notebook else filename
        try:
            code = compile(source, name, "exec", dont_inherit=True)
            exec(code, namespace)
        except BaseException as error:
            if len(errors) < MAX_CELL_ERRORS:  # the grader reads no more
                errors.append({"cell": index + 1, **_describe_exception(error)})
            if not notebook:
                break
    functions = sorted(
        key for key, value in list(namespace.items())
        if type(key) is str and len(key) <= MAX_NAME_CHARS and not key.startswith("_")
        and callable(value) and not isinstance(value, type)
    )  # fmt: skip
    return {"functions": functions, "errors": errors}


def _call(module: types.ModuleType, request: dict) -> dict:
    function = module.__dict__.get(request["function"])
    if function is None or not callable(function):
        return {"missing": request["function"]}
    args, kwargs = request.get("args", []), request.get("kwargs", {})
    specs = [value for value in [*args, *kwargs.values()] if isinstance(value, FuncSpec)]
    try:
        value = function(*args, **kwargs)
        plain = wire.to_plain(value)
        answer: dict = {"value": plain}
    except SystemExit as error:
        answer = {"exited": str(error.code)[:MAX_MESSAGE_CHARS]}
    except BaseException as error:
        answer = {"raised": _describe_exception(error)}
    if request.get("return_args"):
        answer["args"] = [_plain_or_unsupported(arg) for arg in args]
    answer["evaluations"] = sum(spec.evaluations for spec in specs)
    return answer


def _plain_or_unsupported(value: Any) -> Any:
    if isinstance(value, FuncSpec):
        return None
    try:
        return wire.to_plain(value)
    except Exception:
        return wire.Unsupported(type(value).__name__)


def _encode_answer(answer: dict, number: int) -> bytes:
    try:
        return wire.encode({**answer, "n": number})
    except (wire.WireError, ValueError, TypeError, RecursionError) as error:
        reason = str(error) if isinstance(error, wire.WireError) else "it is not plain data"
        return wire.encode({"unsendable": reason, "n": number})


def _describe_exception(error: BaseException) -> dict:
    """Type, message and the line in the submission where it was raised, as plain strings."""
    try:
        message = str(error)
    except Exception:
        message = ""
    line = error.lineno if isinstance(error, SyntaxError) else _student_line(error.__traceback__)
    return {
        "type": type(error).__name__[:80],
        "message": message[:MAX_MESSAGE_CHARS],
        "where": f"line {line}" if line else "",
    }


def _student_line(trace: types.TracebackType | None) -> int | None:
    """The innermost line of the submission's own code in a traceback.

    Submission code is compiled under its bare file name; library frames have absolute paths.
    The traceback is walked by hand: `traceback.extract_tb` looks each frame's file up on disk
    (through every `sys.path` entry, for the submission's bare name), some 30 us per exception,
    and a stub submission raises on every call.
    """
    line = None
    while trace is not None:
        if trace.tb_lineno and not trace.tb_frame.f_code.co_filename.startswith("/"):
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _inert(*args: Any, **kwargs: Any) -> None:
    """Stands in for IPython display functions, which do nothing when grading."""


class _InertShell:
    """What `get_ipython()` returns in a graded notebook: every method does nothing."""

    def __getattr__(self, name: str) -> Any:
        return _inert
