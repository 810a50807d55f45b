"""The calls a session sends each submission's worker ahead of its checks (`grader.sandbox.plan`).

A session grades the reference solution first, in the sandbox like any submission, recording the
requests each check sends it: for most checks they are the same for every student, so they are
recorded once. Hidden checks whose inputs are drawn per student (`grader.grading.plugin
.check_seed`) send each student requests of their own; such a check is rehearsed once more for
another student, and only if its requests change is it rehearsed again for every submission,
with the trusted reference answering in the grading process (`grader.grading.rehearsal`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import pytest

from grader.course.submissions import Submission
from grader.grading.proxy import StudentProxy
from grader.grading.rehearsal import ReferenceCaller
from grader.sandbox.plan import CallPlan
from grader.sandbox.runner import LoadReport

# Every call request a submission is sent, in order, and where in that list each check's start.
Record = tuple[list[bytes], list[int]]


class RunChecks(Protocol):
    """Runs the checks (those `chosen`, or all) against `proxy` as the submission of `student`."""

    def __call__(
        self,
        student: str,
        proxy: StudentProxy,
        items: list[pytest.Item],
        record: Record | None = None,
        chosen: Sequence[bool] | None = None,
    ) -> object: ...


class Planner:
    """Records a session's plan once, then tells each submission what it will be asked.

    `reference` gives the (memoized) reference solution, `functions` are the names a submission
    may define, and `run_checks` is the plugin's own loop over the checks.
    """

    def __init__(
        self, reference: Callable[[], Any], functions: tuple[str, ...], run_checks: RunChecks
    ) -> None:
        self._reference = reference
        self._functions = functions
        self._run_checks = run_checks
        # Per check, in order, the requests it sends a submission that passes (None for a check
        # whose requests differ from student to student), once recorded (`record`).
        self._segments: list[tuple[bytes, ...] | None] | None = None
        self._shared_plan: CallPlan | None = None

    @property
    def plan(self) -> CallPlan | None:
        """The calls every submission is asked, in order, once recorded (`record`)."""
        if self._shared_plan is None and self._segments:
            shared = [request for segment in self._segments if segment for request in segment]
            self._shared_plan = CallPlan(shared) if shared else None
        return self._shared_plan

    def record(
        self,
        items: list[pytest.Item],
        per_student: list[bool],
        solution: Submission,
        grade_reference: Callable[[Submission, Record], object],
    ) -> None:
        """Per check, the calls it makes into a submission that passes them all, in order.

        `grade_reference` grades `solution` in the sandbox like any submission, recording every
        request it is sent and where each check's start; those become the plan every student's
        worker is sent ahead (see `grader.sandbox.plan`), but for the checks whose requests are
        each student's own: `plan_for` rehearses those per student. A check whose inputs are
        drawn per student (`per_student`) may still send everyone the same requests (drawing
        only to judge): rehearsed for another student, it shows which.
        """
        requests: list[bytes] = []
        starts: list[int] = []
        grade_reference(solution, (requests, starts))
        ends = [*starts[1:], len(requests)]
        segments = [tuple(requests[start:end]) for start, end in zip(starts, ends, strict=True)]
        rehearsed = self._rehearse("(another student)", items, per_student)
        self._segments = [
            None if index in rehearsed and rehearsed[index] != segment else segment
            for index, segment in enumerate(segments)
        ]

    def plan_for(self, student: str, items: list[pytest.Item]) -> CallPlan | None:
        """The calls a submission of `student` will be asked, in order: the checks shared by
        every student recorded once, and its own checks' calls rehearsed now with the reference
        answering: the same requests its hidden checks will send if it passes them."""
        if self._segments is None or all(segment is not None for segment in self._segments):
            return self.plan
        own = self._rehearse(student, items, [segment is None for segment in self._segments])
        requests = [
            request
            for index, segment in enumerate(self._segments)
            for request in (own[index] if segment is None else segment)
        ]
        return CallPlan(requests) if requests else None

    def _rehearse(
        self, student: str, items: list[pytest.Item], chosen: list[bool]
    ) -> dict[int, tuple[bytes, ...]]:
        """The requests each chosen check sends `student` if it answers as the reference."""
        requests: list[bytes] = []
        starts: list[int] = []
        proxy = trusted_proxy(self._reference(), self._functions, requests)
        self._run_checks(student, proxy, items, (requests, starts), chosen)
        indices = [index for index, wanted in enumerate(chosen) if wanted]
        ends = [*starts[1:], len(requests)] if starts else []
        return {
            index: tuple(requests[start:end])
            for index, start, end in zip(indices, starts, ends, strict=True)
        }


def trusted_proxy(functions: Any, names: Sequence[str], requests: list[bytes]) -> StudentProxy:
    """A `student` whose calls the trusted `functions` answer in this process, as a worker would
    (`grader.grading.rehearsal`), defining `names`; `requests` receives every call request."""
    caller = ReferenceCaller(functions, requests)
    return StudentProxy(caller, LoadReport(tuple(names), ()))  # type: ignore[arg-type]
