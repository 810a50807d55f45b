"""The `student` fixture's object: attribute calls run in the submission's sandbox.

`student.derivative(0.5)` sends the call to the submission's worker and returns the value as plain
data. A call that produced no value raises `CheckFailure` with a sentence that names the call and
what happened, so a check needs no error handling of its own.
"""

from __future__ import annotations

from typing import Any

from grader.checking import CallDescription, CheckFailure
from grader.sandbox.runner import CallFailed, CallResult, LoadReport, SubmissionRunner


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
            raise StudentCallFailed(f"{self.last_call} was not run: {self._unavailable}")
        if name not in self._load.functions:
            raise StudentCallFailed(f"{name} is not defined in your submission.")
        try:
            return self._runner.call(name, args, kwargs, return_args=return_args)
        except CallFailed as failure:
            raise StudentCallFailed(f"{self.last_call} {failure}.") from None
