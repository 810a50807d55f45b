"""The pytest plugin that turns one pytest session into the grading of many submissions.

Checks are collected once. `pytest_runtestloop` then runs every check against every submission in
turn, re-binding the `student` fixture to that submission's sandbox, and records each outcome as a
`CheckResult` worth its share of the exercise's points. No interpreter starts per submission or
per check: only the sandbox worker, forked from the preloaded template.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from _pytest.reports import TestReport
from _pytest.runner import runtestprotocol

from grader.course.check_files import CheckModule
from grader.course.config import Assignment, Course
from grader.course.submissions import Submission, SubmissionCode, preload_for
from grader.grading.collection import CheckSpec, check_seed, collect_checks, load_module
from grader.grading.messages import (
    check_failure_message,
)
from grader.grading.opening import open_submission
from grader.grading.planning import Planner, Record, trusted_proxy
from grader.grading.proxy import StudentProxy
from grader.grading.reference_memo import MemoizedReference
from grader.grading.results import CheckResult, ExerciseResult, SubmissionResult
from grader.sandbox.launcher import SandboxError, Template
from grader.sandbox.plan import CallPlan

# Checks asking for nothing but these are run without pytest's per-run fixture machinery.
DIRECT_FIXTURES = frozenset({"student", "reference", "rng"})
# From how many submissions a session's templates collapse their memory into huge pages: the
# collapse costs about 0.2 s once and saves a few ms on each worker (see grader.sandbox.hugepages).
HUGE_PAGES_FROM = 100


@dataclass(frozen=True)
class InProcess:
    """Trusted functions graded as a submission in this process, without a sandbox: the
    attributes of `functions` (say, the reference with one exercise replaced by a named wrong
    formula) answer each call as a worker would. Only the course's own code may be graded so.
    `record`, when given, receives every request and where each check's requests start;
    `exercise`, when given, is the one exercise whose checks are run."""

    student: str
    functions: Any
    record: Record | None = None
    exercise: str | None = None


@dataclass
class _Current:
    student: str
    proxy: StudentProxy


class GradingPlugin:
    """Runs the collected checks against each submission and reports each submission's result.

    The plugin takes the list `submissions` over: each entry is set to None once graded, so that
    a session's memory does not grow with the number of submissions it grades. `submissions` may
    instead be a function returning that list, called once the checks are ready to run (an early
    session's share is written while it starts); `preload` then names what its first template
    preloads, started at once and used to record the plan while the submissions are awaited.
    `in_process` entries are graded after the submissions, in this process (see `InProcess`).
    """

    def __init__(
        self,
        course: Course,
        assignment: Assignment,
        submissions: list[Submission | None] | Callable[[], list[Submission | None]],
        report: Callable[[SubmissionResult, tuple[str, ...]], None],
        *,
        use_bubblewrap: bool | None = None,
        reference_factory: Callable[[Assignment], Any] | None = None,
        preload: tuple[str, ...] | None = None,
        in_process: list[InProcess] | None = None,
    ) -> None:
        self.course = course
        self.assignment = assignment
        self._incoming = submissions if callable(submissions) else None
        self.submissions: list[Submission | None] = [] if callable(submissions) else submissions
        self.preload = preload
        self.report = report
        self.use_bubblewrap = use_bubblewrap
        self.specs: dict[str, CheckSpec] = {}
        self.problems: list[str] = []
        self._current: _Current | None = None
        self._failures: dict[str, BaseException] = {}
        # Where the `reference` fixture comes from, when not the solution module itself: the
        # student release replays recorded answers (grader.student.replay).
        self.reference_factory = reference_factory
        self._reference_module: Any = None
        self._templates: dict[tuple[str, ...], Template] = {}
        self.in_process = list(in_process or ())
        self._functions = (*assignment.points_by_exercise, *assignment.given)
        self.planner = Planner(self._reference, self._functions, self._run_checks)
        self._items: list[pytest.Item] = []

    @property
    def plan(self) -> CallPlan | None:
        """The calls every submission is asked, in order, once recorded (`_record_plan`)."""
        return self.planner.plan

    # --- fixtures -----------------------------------------------------------------------------

    @pytest.fixture
    def student(self) -> StudentProxy:
        """The submission being graded; its function calls run in the sandbox."""
        assert self._current is not None, "checks run only inside grader grade"
        return self._current.proxy

    @pytest.fixture(scope="session")
    def reference(self) -> ModuleType:
        """The trusted reference solution of the assignment."""
        return self._reference()

    @pytest.fixture
    def rng(self, request: pytest.FixtureRequest) -> np.random.Generator:
        """A generator seeded from the course seed, the check's name and, for a hidden check, the
        student: the same inputs every run, other inputs for every student."""
        return self._rng(request.node)

    def _rng(self, item: pytest.Item) -> np.random.Generator:
        spec = self.specs[item.nodeid]
        student = self._current.student if self._current and spec.per_student else None
        return np.random.default_rng(check_seed(self.course.seed, item.name, student))

    # --- collection ---------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_pycollect_makemodule(
        self, module_path: Path, parent: pytest.Collector
    ) -> pytest.Module:
        """Every collected file is one of the course's check files: imported the engine's way."""
        return CheckModule.from_parent(parent, path=module_path)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Give each check its points; order checks by exercise, public before hidden."""
        items[:], self.specs, problems = collect_checks(items, self.course, self.assignment)
        self.problems.extend(problems)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        """A check module that cannot be imported is the course's problem: stop and say so."""
        if report.failed:
            # A check file's own error (grader.course.check_files) names its file and line.
            lines = report.longreprtext.strip().splitlines() or ["could not be collected"]
            self.problems.append(
                lines[-1] if "imports." in lines[-1] else f"{report.nodeid}: {lines[-1]}"
            )

    # --- running ------------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        """Grade every submission with every collected check."""
        if session.testsfailed or self.problems:
            return True
        items = self._items = list(session.items)
        self._reference()
        # Everything loaded so far (pytest, the checks, NumPy, SymPy, the reference) lives as long
        # as the session: frozen, the cyclic collector no longer rescans it on each full pass.
        gc.collect()
        gc.freeze()
        try:
            self._record_plan(items)
            self._take_submissions()
            for index, submission in enumerate(self.submissions):
                if submission is None:
                    continue
                self.submissions[index] = None
                code = submission.read()  # read now, so the session never holds more than one
                self.report(*self._grade_apart(submission, code, items))
            for entry in self.in_process:
                self.report(self._grade_in_process(entry, items), ())
        finally:
            for template in self._templates.values():
                template.close()
        return True

    def _grade_apart(
        self, submission: Submission, code: SubmissionCode, items: list[pytest.Item]
    ) -> tuple[SubmissionResult, tuple[str, ...]]:
        """Grade one submission so that nothing it causes reaches the others.

        A template that stopped (whatever stopped it) is replaced, and the submission is graded
        once more on the new one; a second stop, or any other failure while grading it, gives
        this submission 0 with the reason, and the session goes on with the next one.
        """
        for attempt in range(2):
            try:
                return self._grade(self._template(code), submission, code, items)
            except SandboxError as error:
                stopped = self._templates.pop(preload_for(code), None)
                if stopped is not None:
                    stopped.close()
                reason = f"the sandbox stopped twice while grading it ({error})"
                if attempt == 0:
                    continue
            except Exception as error:  # the boundary of one submission: nothing passes it
                reason = f"grading it failed ({type(error).__name__}); grade it again"
            break
        result = SubmissionResult.ungraded(
            submission.student,
            str(submission.source),
            self.assignment.points_by_exercise,
            f"{submission.source.name}: {reason}.",
        )
        return result, ()

    def _record_plan(self, items: list[pytest.Item]) -> None:
        """Grade the reference solution first, recording the plan (`grader.grading.planning`);
        without its source (a student release), calls are simply made one at a time."""
        solution = self.assignment.solution
        template = None
        if self.reference_factory is None and solution.is_file():
            template = self._first_template()
        if template is not None:
            self.planner.record(
                items,
                [self.specs[item.nodeid].per_student for item in items],
                Submission("(reference solution)", solution, "py", solution.name),
                lambda reference, record: self._grade(template, reference, reference.read(),
                                                      items, record),
            )  # fmt: skip

    def plan_for(self, submission: Submission) -> CallPlan | None:
        """Every call a submission of this student is sent ahead, once the session has run
        (the benchmarks time workers answering it)."""
        return self.planner.plan_for(submission.student, self._items)

    def _take_submissions(self) -> None:
        """An early session's submissions, once the grader has written them."""
        if self._incoming is None:
            return
        self.submissions, self._incoming = self._incoming(), None

    def pytest_sessionstart(self) -> None:
        """Start the first template now: it imports while pytest collects.

        Templates for other preloads start when a submission first needs one; finding out which
        all of them need would mean reading every submission up front.
        """
        self._first_template()

    def _first_template(self) -> Template | None:
        """The template for `preload` when given, else the one the first submission needs."""
        if self.preload is not None:
            return self._start_template(self.preload)
        first = next((submission for submission in self.submissions if submission), None)
        return None if first is None else self._template(first.read())

    def _template(self, code: SubmissionCode) -> Template:
        return self._start_template(preload_for(code))

    def _start_template(self, preload: tuple[str, ...]) -> Template:
        if preload not in self._templates:
            self._templates[preload] = Template(
                preload=preload,
                use_bubblewrap=self.use_bubblewrap,
                # An early session's first template starts while the grader itself is busy, so
                # collapsing costs no waiting there, and it serves the long sessions too.
                huge_pages=self._incoming is not None or len(self.submissions) >= HUGE_PAGES_FROM,
            )
        return self._templates[preload]

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> TestReport:
        """Keep the exception of a failed setup or call, to turn it into the student's message.

        The report made here replaces pytest's own, whose traceback rendering (parsing the check's
        source for every failure) would cost more than running the check.
        """
        failed = call.excinfo is not None
        if failed and call.when in ("setup", "call"):
            self._failures.setdefault(item.nodeid, call.excinfo.value)
        return TestReport(
            item.nodeid,
            item.location,
            {},
            "failed" if failed else "passed",
            str(call.excinfo.value) if failed else None,
            call.when,
            duration=call.duration,
            start=call.start,
            stop=call.stop,
        )

    def _grade(
        self,
        template: Template,
        submission: Submission,
        code: SubmissionCode,
        items: list[pytest.Item],
        record: Record | None = None,
    ) -> tuple[SubmissionResult, tuple[str, ...]]:
        """Grade one submission; `record`, when given, receives every call request it is sent
        and, for each check, where in that list its requests start."""
        # A file that cannot be read is not run: nothing to plan for it.
        plan = None
        if record is None and not code.error:
            plan = self.planner.plan_for(submission.student, items)
        requests = record[0] if record is not None else None
        opened = open_submission(self.assignment, template, submission, code, plan, requests)
        runner, load, error, notes = opened
        # A submission that never reached a worker says nothing about the isolation level.
        layers = (*template.base_layers, *runner.layers) if runner and runner.layers else ()
        try:
            result = self._run_checks(
                submission.student, StudentProxy(runner, load, error or ""), items, record,
                source=str(submission.source), error=error, notes=notes,
            )  # fmt: skip
        finally:
            if runner is not None:
                runner.close()
        return result, layers

    def _grade_in_process(self, entry: InProcess, items: list[pytest.Item]) -> SubmissionResult:
        """Grade trusted functions in this process (see `InProcess`)."""
        requests = entry.record[0] if entry.record is not None else []
        defined = [name for name in self._functions if hasattr(entry.functions, name)]
        proxy = trusted_proxy(entry.functions, defined, requests)
        chosen = None
        if entry.exercise is not None:
            chosen = [self.specs[item.nodeid].exercise == entry.exercise for item in items]
        return self._run_checks(entry.student, proxy, items, entry.record, chosen,
                                source=entry.student)  # fmt: skip

    def _run_checks(
        self,
        student: str,
        proxy: StudentProxy,
        items: list[pytest.Item],
        record: Record | None = None,
        chosen: Sequence[bool] | None = None,
        *,
        source: str = "",
        error: str | None = None,
        notes: Sequence[str] = (),
    ) -> SubmissionResult:
        """Run each check (each `chosen` one, if given) against `proxy`, standing for the
        submission of `student` (at `source`, with `error` and `notes` from loading it);
        `record`'s second list receives where each check's requests start in its first."""
        self._current = _Current(student, proxy)
        checks: dict[str, list[CheckResult]] = {e.id: [] for e in self.assignment.exercises}
        try:
            for index, item in enumerate(items):
                if chosen is not None and not chosen[index]:
                    continue
                spec = self.specs[item.nodeid]
                if record is not None:
                    record[1].append(len(record[0]))
                checks[spec.exercise].append(self._run_check(item, items, index, spec))
        finally:
            self._current = None
        exercises = {
            exercise.id: ExerciseResult(exercise.id, exercise.points, tuple(checks[exercise.id]))
            for exercise in self.assignment.exercises
        }
        return SubmissionResult(student, source, self.assignment.max_points, exercises, error,
                                tuple(notes))  # fmt: skip

    def _run_check(
        self, item: pytest.Item, items: list[pytest.Item], index: int, spec: CheckSpec
    ) -> CheckResult:
        if isinstance(item, pytest.Function) and set(item.fixturenames) <= DIRECT_FIXTURES | {
            "request"  # asked for by `rng` itself, which the direct path computes on its own
        }:
            failure = self._call_directly(item)
        else:
            self._failures.pop(item.nodeid, None)
            item._initrequest()  # fresh fixtures for this submission: pytest reruns the same item
            nextitem = items[index + 1] if index + 1 < len(items) else items[0]
            runtestprotocol(item, log=False, nextitem=nextitem)
            failure = self._failures.pop(item.nodeid, None)
        if failure is None:
            return CheckResult(spec.name, spec.exercise, spec.max_points, spec.max_points, True,
                               spec.hidden, "passed")  # fmt: skip
        return CheckResult(spec.name, spec.exercise, 0.0, spec.max_points, False, spec.hidden,
                           check_failure_message(failure))  # fmt: skip

    def _call_directly(self, item: pytest.Function) -> BaseException | None:
        """Run a check that uses only gradkit's own fixtures without pytest's setup and teardown.

        What is skipped is pytest's per-run fixture bookkeeping, hook dispatch and report
        objects, which would cost more than the check itself; the check function is the same.
        """
        assert self._current is not None
        values = {
            "student": self._current.proxy,
            "reference": self._reference(),
            "rng": self._rng(item),
        }
        arguments = {name: values[name] for name in item._fixtureinfo.argnames}
        try:
            item.obj(**arguments)
        except Exception as failure:  # every failure of a check is reported, none stops grading
            return failure
        return None

    def _reference(self) -> Any:
        if self._reference_module is None:
            if self.reference_factory is not None:
                reference = self.reference_factory(self.assignment)
            else:
                name = f"gradkit_reference_{self.assignment.id}"
                reference = load_module(self.assignment.solution, name)
            self._reference_module = MemoizedReference(reference)
        return self._reference_module
