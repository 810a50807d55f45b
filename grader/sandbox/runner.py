"""Grader side: one submission's life in the sandbox, call by call.

A `SubmissionRunner` forks a worker from the template, runs the submission's code in it, and then
makes calls, each bounded by the per-call time limit and by what is left of the per-submission
budget. A call that crashes, exits or hangs costs that call only: the worker is ended and the next
call starts a fresh one (running the submission's code again). Failures come back as exceptions
carrying one plain sentence for the student.
"""

from __future__ import annotations

import math
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from . import answers, wire
from .containment import WorkerLimits
from .launcher import Template
from .pipes import OUTPUT_CAP, WorkerGone, WorkerPipes, WorkerSilent
from .plan import CallPlan, PlanProgress

START_SECONDS = 10.0
CANNOT_READ = "sent back data the grader cannot read"
T = TypeVar("T")


class CallFailed(Exception):
    """A call that produced no value; `str()` is one sentence for the student (without the call)."""


class StudentRaised(CallFailed):
    """The student's code raised an exception."""

    def __init__(self, type_name: str, message: str, where: str = "") -> None:
        self.type_name = type_name
        self.message = message
        self.where = where
        location = f" ({where})" if where else ""
        text = f"raised {type_name}{location}" + (f": {message}" if message else "")
        super().__init__(text)


class WorkerCrashed(CallFailed):
    """The worker died during the call (exit, signal, memory)."""


class CallTimedOut(CallFailed):
    """The call did not return within the per-call limit."""


class BudgetExhausted(CallFailed):
    """The submission used up its whole time budget; no further calls are made."""


class FunctionMissing(CallFailed):
    """The submission does not define the function."""


class Unsendable(CallFailed):
    """The function returned something that cannot cross the boundary (too large, too deep)."""


@dataclass(frozen=True)
class RunLimits:
    """The limits of one submission, from course.toml."""

    seconds_per_call: float
    seconds_per_submission: float
    memory_mb: int

    def worker_limits(self) -> WorkerLimits:
        """CPU time for a worker: never more than the whole submission's budget allows."""
        return WorkerLimits(self.memory_mb, math.ceil(self.seconds_per_submission) + 1)


@dataclass(frozen=True)
class LoadReport:
    """What running the submission's code gave: its functions and the cells that raised."""

    functions: tuple[str, ...]
    errors: tuple[dict, ...]
    failure: str | None = None


@dataclass(frozen=True)
class CallResult:
    """A call's value as plain data, the arguments as they were afterwards, and f's evaluations."""

    value: Any
    args_after: tuple | None
    evaluations: int


@dataclass
class _Worker:
    pid: int
    pipes: WorkerPipes
    layers: tuple[str, ...]
    answered: int = 0  # frames read from it so far: the number the next answer must carry


class SubmissionRunner:
    """Runs one submission's code in fresh workers and makes calls into it."""

    def __init__(
        self,
        template: Template,
        cells: Sequence[str],
        filename: str,
        *,
        notebook: bool,
        limits: RunLimits,
        plan: CallPlan | None = None,
        record: list[bytes] | None = None,
    ) -> None:
        """`plan`: the requests to send ahead (see `grader.sandbox.plan`); `record`, when given,
        receives every call's encoded request, in order, to make such a plan."""
        self.template = template
        self.cells = list(cells)
        self.filename = filename
        self.notebook = notebook
        self.limits = limits
        self.layers: tuple[str, ...] = ()
        self.load_report: LoadReport | None = None
        self.output = bytearray()
        self._worker: _Worker | None = None
        self._progress = PlanProgress(plan) if plan else None
        self._record = record
        self._budget_end = time.monotonic() + limits.seconds_per_submission

    # --- public -------------------------------------------------------------------------------

    def load(self) -> LoadReport:
        """Start the first worker and run the submission's code; report what it defines."""
        try:
            self.load_report = self._start()
        except CallFailed as failure:
            self.load_report = LoadReport((), (), failure=str(failure))
        return self.load_report

    def call(
        self, function: str, args: Sequence[Any] = (), kwargs: dict | None = None,
        *, return_args: bool = False,
    ) -> CallResult:  # fmt: skip
        """Call `function` in the sandbox; raise a `CallFailed` subclass if no value came back."""
        encoded = call_request(function, args, kwargs, return_args=return_args)
        if self._record is not None:
            self._record.append(encoded)
        return call_result(function, self._checked(self._answer(encoded), answers.call))

    def close(self) -> None:
        """End the current worker, if any, without waiting: the template reaps it in time."""
        if self._worker is not None:
            self._end_worker(kill=True, wait=False)

    # --- workers ------------------------------------------------------------------------------

    def _start(self) -> LoadReport:
        if time.monotonic() >= self._budget_end:
            raise self._budget_failure()
        pid, pipes = self.template.spawn(self.limits.worker_limits())
        self._worker = _Worker(pid, pipes, ())
        hello = self._receive(min(START_SECONDS, self.limits.seconds_per_submission))
        self._worker.layers = self._checked(hello, answers.hello)
        self.layers = self._worker.layers
        load = {"op": "load", "cells": self.cells, "filename": self.filename,
                "notebook": self.notebook}  # fmt: skip
        answer = self._exchange(wire.encode(load))
        if "functions" not in answer:
            # The load's code ended otherwise (it raised past the worker, or was cut short).
            self._checked(answer, answers.call)
            raise WorkerCrashed("did not finish normally")
        functions, errors = self._checked(answer, answers.load)
        return LoadReport(functions=functions, errors=errors)

    def _checked(self, answer: dict, shape: Callable[[dict], T]) -> T:
        """`shape(answer)`, or the end of this worker if the answer is not of that shape."""
        try:
            return shape(answer)
        except answers.MalformedAnswer:
            self._end_worker(kill=True)
            raise WorkerCrashed(CANNOT_READ) from None

    # --- answers, sent ahead or asked now (see grader.sandbox.plan) ---------------------------

    def _answer(self, request: bytes) -> dict:
        """The worker's answer to one encoded call request."""
        unreadable = 0
        while True:
            if self._worker is None:
                self._start()
            position = self._progress.find(request) if self._progress else None
            try:
                if position is None:
                    return self._exchange(request, asked=True)
                return self._answer_planned(position)
            except _AheadLost:
                # A call sent ahead of this one ended the worker. The next worker is sent this
                # request first, so that cannot happen twice.
                continue
            except _Unreadable:
                # What came back in this call's place may be left over from an earlier call (an
                # answer forged with that call's number pushes the real one into this call's
                # place): a fresh worker is asked this request first. Unreadable again, the
                # fault is this call's own, and costs it alone.
                unreadable += 1
                if unreadable == 2:
                    raise WorkerCrashed(CANNOT_READ) from None

    def _answer_planned(self, position: int) -> dict:
        progress = self._progress
        assert progress is not None
        progress.skip_to(position)
        if position in progress.kept:
            answer = progress.kept.pop(position)
        else:
            # What is in flight before `position` was skipped by the checks: dropped unread. Only
            # then is there room to send `position` itself, when it was not sent yet (all of
            # AHEAD in flight may lie before it, after the checks skipped many planned calls).
            while progress.ahead and progress.ahead[0] < position:
                progress.ahead.popleft()
                self._receive_ahead(keep=False)
            self._send_ahead()
            current = progress.ahead.popleft()
            assert current == position, "planned calls are sent in order, from the cursor on"
            answer = self._receive_until(self._deadline(), asked=True)
        progress.cursor = position + 1
        self._send_ahead()
        return answer

    def _exchange(self, request: bytes, *, asked: bool = False) -> dict:
        """Send one encoded request now and wait for its answer (`asked`: a check's call)."""
        assert self._worker is not None
        try:
            self._worker.pipes.send(request)
        except WorkerGone:
            raise self._crash() from None
        # The worker answers in order: first what was sent ahead, kept for when it is asked.
        while self._progress and self._progress.ahead:
            position = self._progress.ahead.popleft()
            self._progress.kept[position] = self._receive_ahead()
        return self._receive_until(self._deadline(), asked=asked)

    def _send_ahead(self) -> None:
        assert self._worker is not None and self._progress is not None
        for position in self._progress.to_send():
            try:
                self._worker.pipes.send(self._progress.plan.requests[position])
            except WorkerGone:
                return  # the worker is gone; reading its answers says so

    def _receive_ahead(self, *, keep: bool = True) -> dict:
        """An answer to a request no check is waiting for yet; `_AheadLost` if the worker ended.

        Its time limit is the same as any call's; a call that needs longer, crashes or answers
        with garbage (when it is kept and so decoded) ends this worker, and the checks' own
        request goes to a fresh one.
        """
        try:
            answer = self._next_answer(self._deadline())
            if keep:
                answers.call(answer)
        except (WorkerGone, WorkerSilent, wire.WireError, answers.MalformedAnswer):
            self._end_worker(kill=True)
            raise _AheadLost from None
        return answer

    def _receive(self, seconds: float) -> dict:
        return self._receive_until(min(time.monotonic() + seconds, self._budget_end))

    def _receive_until(self, deadline: float, *, asked: bool = False) -> dict:
        """The worker's next answer; for the call `asked` now, an unreadable one is
        `_Unreadable` (asked again, see `_answer`), otherwise it costs what is being read."""
        try:
            return self._next_answer(deadline)
        except WorkerGone:
            raise self._crash() from None
        except WorkerSilent:
            raise self._timeout() from None
        except (wire.WireError, answers.MalformedAnswer):
            self._end_worker(kill=True)
            if asked:
                raise _Unreadable from None
            raise WorkerCrashed(CANNOT_READ) from None

    def _next_answer(self, deadline: float) -> dict:
        """The worker's next frame, decoded, if it is the answer numbered next (see `answers`)."""
        worker = self._worker
        assert worker is not None
        answer = answers.numbered(wire.decode(worker.pipes.receive(deadline)), worker.answered)
        worker.answered += 1
        return answer

    def _deadline(self) -> float:
        return min(time.monotonic() + self.limits.seconds_per_call, self._budget_end)

    def _timeout(self) -> CallFailed:
        self._end_worker(kill=True)
        if time.monotonic() >= self._budget_end:
            return self._budget_failure()
        return CallTimedOut(f"did not finish within {self.limits.seconds_per_call:g} s")

    def _budget_failure(self) -> BudgetExhausted:
        return BudgetExhausted(
            "was not run: the submission used up its time budget of "
            f"{self.limits.seconds_per_submission:g} s"
        )

    def _crash(self) -> WorkerCrashed:
        status = self._end_worker(kill=True)
        return WorkerCrashed(_describe_exit(status))

    def _end_worker(self, *, kill: bool, wait: bool = True) -> dict | None:
        worker, self._worker = self._worker, None
        if worker is None:
            return None
        if self._progress is not None:
            self._progress.restart()
        if kill:
            self.template.kill(worker.pid)
        worker.pipes.close()
        status = self.template.wait_exit(worker.pid) if wait else None
        room = OUTPUT_CAP - len(self.output)
        self.output += worker.pipes.output[: max(0, room)]
        return status


def call_request(
    function: str, args: Sequence[Any], kwargs: dict | None, *, return_args: bool
) -> bytes:
    """The encoded request to call `function`, as a worker (or a plan) receives it."""
    request = {
        "op": "call",
        "function": function,
        "args": list(args),
        "kwargs": dict(kwargs or {}),
        "return_args": return_args,
    }
    return wire.encode(request)


def call_result(function: str, answer: dict) -> CallResult:
    """A checked call answer (see `answers.call`) as a value, or the `CallFailed` it stands for."""
    if "missing" in answer:
        raise FunctionMissing(f"{function} is not defined in your submission")
    if "exited" in answer:
        raise WorkerCrashed(f"called sys.exit({answer['exited']}) instead of returning")
    if "raised" in answer:
        raised = answer["raised"]
        raise StudentRaised(
            str(raised.get("type")), str(raised.get("message")), str(raised.get("where"))
        )
    if "unsendable" in answer:
        raise Unsendable(f"returned a value that cannot be graded ({answer['unsendable']})")
    args_after = answer.get("args")
    return CallResult(
        value=answer.get("value"),
        args_after=tuple(args_after) if isinstance(args_after, list) else None,
        evaluations=int(answer.get("evaluations") or 0),
    )


class _AheadLost(Exception):
    """The worker ended while answering a request sent ahead of the one a check is asking."""


class _Unreadable(Exception):
    """What came back for the call asked now was not its answer; the worker is ended."""


def _describe_exit(status: dict | None) -> str:
    """How the worker ended, in words a student understands."""
    if status is None:
        return "stopped the sandbox worker"
    if "signal" in status:
        number = int(status["signal"])
        reasons = {
            signal.SIGSEGV: "crashed with a segmentation fault",
            signal.SIGABRT: "aborted the process",
            signal.SIGXCPU: "used up its CPU time",
            signal.SIGKILL: "was killed (out of memory or time)",
            signal.SIGFPE: "crashed with a floating-point exception",
            signal.SIGBUS: "crashed with a bus error",
        }
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else ""
        return reasons.get(number, f"was stopped by signal {name or number}")
    code = status.get("code")
    return f"ended the process (exit status {code}) instead of returning"
