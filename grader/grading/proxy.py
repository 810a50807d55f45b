"""The `student` fixture's object: attribute calls run in the submission's sandbox.

`student.area(0.5)` sends the call to the submission's worker and returns the value as plain
data. A call that produced no value raises `CheckFailure` with a sentence that names the call and
what happened, so a check needs no error handling of its own.

When the submission could not be run at all (unreadable, empty, a syntax error, an error at
import time), the reason is said once, as the submission's error; each check then only refers
to it (`NOT_RUN`) rather than calling the functions missing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from grader.grading.marker import CallDescription, CheckFailure
from grader.reports.text import sentence
from grader.sandbox.runner import (
    CallFailed,
    CallResult,
    LoadReport,
    StudentRaised,
    SubmissionRunner,
)

NOT_RUN = "not run: your file could not be run (see above)."


# How a check's message starts when the submission has no function of that name.
NOT_DEFINED = " is not defined in your submission"


class StudentCallFailed(CheckFailure):
    """A call into the submission raised, crashed, timed out or is missing."""


class StudentFunction:
    """One function of the submission, callable from a check."""

    def __init__(self, proxy: StudentProxy, name: str) -> None:
        self._proxy = proxy
        self._name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call it and return its value."""
        return self.call(*args, **kwargs).value

    def call(self, *args: Any, **kwargs: Any) -> CallResult:
        """Call it and return the full result (value and the number of evaluations of f)."""
        return self._proxy._call(self._name, args, kwargs, return_args=False)

    def with_args(self, *args: Any, **kwargs: Any) -> CallResult:
        """Call it and also return the positional arguments as they were after the call."""
        return self._proxy._call(self._name, args, kwargs, return_args=True)


class StudentProxy:
    """A submission seen from a check: its functions, and the last call made (for messages)."""

    def __init__(self, runner: SubmissionRunner | None, load: LoadReport, unavailable: str = ""):
        self._runner = runner
        self._load = load
        self._unavailable = unavailable
        self.last_call: CallDescription | str = ""

    def __getattr__(self, name: str) -> StudentFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        return StudentFunction(self, name)

    def defines(self, name: str) -> bool:
        """Whether the submission defines a function of this name."""
        return name in self._load.functions

    def _call(self, name: str, args: tuple, kwargs: dict, *, return_args: bool) -> CallResult:
        self.last_call = CallDescription(name, args, kwargs)
        if self._runner is None:
            raise StudentCallFailed(NOT_RUN)
        if name not in self._load.functions:
            # The file stopped running before it defined `name` (a .py file's first error, or
            # the worker ending while loading it): that error, not a missing function, is why.
            stopped = self._unavailable and (self._load.errors or self._load.failure)
            raise StudentCallFailed(NOT_RUN if stopped else self._missing(name))
        try:
            return self._runner.call(name, args, kwargs, return_args=return_args)
        except CallFailed as failure:
            raise StudentCallFailed(sentence(f"{self.last_call} {self._said(failure)}")) from None

    def _missing(self, name: str) -> str:
        if self._load.errors:  # a notebook whose cells raised: perhaps before defining it
            return f"{name}{NOT_DEFINED}; a cell that raised an error (see above) may be why."
        return f"{name}{NOT_DEFINED}."

    def _said(self, failure: CallFailed) -> str:
        """The failure in words; in a notebook, with the cell of the line that raised."""
        # Whatever answers the calls may be other than a SubmissionRunner (a rehearsal with the
        # reference answering): only a notebook's runner has cells to look in.
        if not isinstance(failure, StudentRaised) or not getattr(self._runner, "notebook", False):
            return str(failure)
        function = self.last_call.function if isinstance(self.last_call, CallDescription) else ""
        cells = getattr(self._runner, "cells", ())
        cell = cell_of_line(cells, failure.where, function=function)
        if cell is None:
            return str(failure)
        where = f"code cell {cell}, {failure.where}"
        message = f": {failure.message}" if failure.message else ""
        return f"raised {failure.type_name} ({where}){message}"


def cell_of_line(
    cells: Sequence[str], where: str, *, function: str = "", running: int = 0
) -> int | None:
    """The number of the notebook's code cell that holds the line `where` names ("line 8"), as
    far as the cells' text tells; None when it does not.

    The worker reports the innermost line of the student's code, counted within its cell, but
    not which cell. That line is inside a function defined at the top of some cell, or (for a
    cell being run, `running`) in that cell's own top-level code. The function called
    (`function`) is the first candidate; otherwise the cell is named only when exactly one cell
    fits, so that a wrong cell is never named.
    """
    line = line_number(where)
    if line is None:
        return None
    spans = [
        (number, name)
        for number, cell in enumerate(cells, start=1)
        for name, first, last in _definitions(cell)
        if first < line <= last and (not running or number <= running)
    ]
    definers = [
        number
        for number, cell in enumerate(cells, start=1)
        if any(name == function for name, _, _ in _definitions(cell))
    ]
    # The last definition is the one that was called.
    if function and definers and (definers[-1], function) in spans:
        return definers[-1]
    candidates = {number for number, _ in spans}
    if running and _top_level_code(cells[running - 1], line):
        candidates.add(running)
    return candidates.pop() if len(candidates) == 1 else None


def line_number(where: str) -> int | None:
    """The number in the worker's "line 8", or None."""
    found = re.fullmatch(r"line (\d+)", where)
    return int(found.group(1)) if found else None


_HEADER = re.compile(r"(?:async\s+)?def\s+(\w+)\s*\(")


def _definitions(cell: str) -> list[tuple[str, int, int]]:
    """The functions defined at the top of a cell: name, first line and last line (from 1)."""
    lines = cell.splitlines()
    found = []
    for index, text in enumerate(lines):
        header = _HEADER.match(text)
        if header:
            # The body ends before the next line that starts in the first column.
            ends = (i for i in range(index + 1, len(lines)) if lines[i][:1] not in ("", " ", "\t"))
            found.append((header.group(1), index + 1, next(ends, len(lines))))
    return found


def _top_level_code(cell: str, line: int) -> bool:
    """Whether line `line` (from 1) of a cell is code outside every function of the cell."""
    lines = cell.splitlines()
    if not 0 < line <= len(lines) or not lines[line - 1].strip():
        return False
    return not any(first <= line <= last for _, first, last in _definitions(cell))
