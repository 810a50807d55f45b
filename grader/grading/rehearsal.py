"""The reference solution answering a student's own hidden checks in the grading process.

Hidden checks draw their inputs per student (see `grader.grading.collection.check_seed`), so the
calls they make into one student's submission are made into no other. To still send those calls
ahead to the student's worker (`grader.sandbox.plan`), a session first rehearses such checks with
this caller in place of the sandbox: the trusted reference answers each request exactly as a worker
running it would (the request decoded as a worker decodes it, the answer made plain and encoded by
the worker's own code), and the requests, recorded in order, become that student's plan. No student
code runs here: the only code called is the course's reference solution.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import Any

from grader.sandbox import wire
from grader.sandbox.funcspec import FuncSpec
from grader.sandbox.runner import CallResult, call_request, call_result
from grader.sandbox.worker import answer_request


class ReferenceCaller:
    """Answers call requests with the reference's functions and records every request made.

    It has the calling side of `SubmissionRunner` (`call`), so a `StudentProxy` can stand on it.
    """

    def __init__(self, reference: Any, record: list[bytes]) -> None:
        """`reference`: an object whose attributes are the reference's functions (memoized, so
        that the check's own call to the reference with the same inputs costs nothing more)."""
        self._module = ModuleType("reference")
        self._reference = reference
        self.record = record

    def call(
        self, function: str, args: Sequence[Any] = (), kwargs: dict | None = None,
        *, return_args: bool = False,
    ) -> CallResult:  # fmt: skip
        """The reference's answer to this call, as the grader would read a worker's."""
        encoded = call_request(function, args, kwargs, return_args=return_args)
        self.record.append(encoded)
        if function not in self._module.__dict__:
            self._module.__dict__[function] = getattr(self._reference, function, None)
        request = wire.decode(encoded, hooks={"$func": FuncSpec.from_wire})
        return call_result(function, wire.decode(answer_request(request, self._module, 1)))
