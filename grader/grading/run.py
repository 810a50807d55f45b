"""Grading orchestration: submissions x checks -> results, over `jobs` parallel sessions.

The submissions are dealt round-robin to `jobs` session processes (`grader.grading.session`), each
running one pytest session with its own sandbox template. Results stream back line by line, which
drives the progress bar; a session that dies costs only the submissions it had not reported, which
get an error instead of a grade.

Sessions can also be started before their submissions are known (`EarlySessions`), so that they
and their templates start while the caller is still finding the submissions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from grader.course.config import Assignment, Course
from grader.course.figures import read_figure
from grader.course.submissions import Submission, SubmissionCode, preload_for
from grader.grading.results import GradingResult, SubmissionResult
from grader.sandbox.containment import ONE_THREAD

ALL_LAYERS = ("bubblewrap", "seccomp", "unprivileged-user", "rlimits")


STOPPED_ON_IT = (
    "the grading process stopped while grading this submission; it was given no points, "
    "grade it again to retry."
)
STOPPED = "grading stopped before this submission was graded; grade it again."
# Rounds of new sessions in a row that may report nothing before the rest is given up.
MAX_IDLE_ROUNDS = 3
# How long an interrupted run waits for its sessions to end before killing them.
STOP_SECONDS = 2.0
# Told of each graded submission (not of those the grading process lost): its result, the
# isolation layers it was graded under and the submission itself (None if unknown).
OnGraded = Callable[[SubmissionResult, tuple[str, ...], "Submission | None"], None]


class GradingError(RuntimeError):
    """The checks themselves could not run (a problem of the course, not of a submission)."""


@dataclass
class _Session:
    process: subprocess.Popen
    stream: int
    pending: dict[str, Submission]  # by student, in order, until the session reports them
    problems: list[str] = field(default_factory=list)


class EarlySessions:
    """Grading sessions started before their submissions are known; `grade` deals them out.

    `grader grade --nbgrader` starts them before it imports nbgrader, which takes about a second
    on one core while the other cores would wait: meanwhile each session imports pytest and the
    checks, starts a template preloading what the assignment as released names in `kind` (its
    stub module, "py", or its notebook, "ipynb"; a submission needing other libraries gets its
    own template, as usual) and grades the reference solution to record the plan. Then it waits
    for its standard input to close and reads its share of the submissions from a file; a
    session left without a share (the caller failed, or there are fewer submissions than
    sessions) ends without grading. Use as a context manager, so that the sessions always end.
    """

    def __init__(
        self,
        course: Course,
        assignment: Assignment,
        *,
        jobs: int | None = None,
        kind: str = "py",
        public_only: bool = False,
        use_bubblewrap: bool | None = None,
    ) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="gradkit-jobs-")
        self._shares = [
            Path(self._folder.name) / f"share{index}.json"
            for index in range(max(1, jobs or os.cpu_count() or 1))
        ]
        preload = released_preload(assignment, kind)
        self.sessions = [
            _start(course, assignment, None, share.with_name(f"job{index}.json"),
                   public_only=public_only, use_bubblewrap=use_bubblewrap, early=(share, preload))
            for index, share in enumerate(self._shares)
        ]  # fmt: skip
        self._idle = list(self.sessions)  # sessions `grade` will not read to the end

    def deal(self, submissions: Sequence[Submission]) -> list[_Session]:
        """Give each session its round-robin share; return the sessions that have one.

        `grade` reads those to the end; the others end on their own, reaped on exit.
        """
        dealt = []
        pairs = zip(self.sessions, self._shares, strict=True)
        for index, (session, share_file) in enumerate(pairs):
            share = list(submissions[index :: len(self.sessions)])
            if share:
                # Whole or not at all: the session reads the file once its input closes.
                written = share_file.with_suffix(".tmp")
                written.write_text(json.dumps([_entry(submission) for submission in share]))
                written.replace(share_file)
                session.pending.update({s.student: s for s in share})
                dealt.append(session)
            _close_input(session)
        self._idle = [session for session in self.sessions if session not in dealt]
        return dealt

    def __enter__(self) -> EarlySessions:
        return self

    def __exit__(self, *exc: object) -> None:
        for session in self._idle:
            _close_input(session)  # no share is coming: the session ends without grading
            session.process.wait()
            os.close(session.stream)  # only now: what it writes on its way out must not fail
        self._folder.cleanup()


def grade(
    course: Course,
    assignment: Assignment,
    submissions: Sequence[Submission],
    *,
    jobs: int | None = None,
    on_result: Callable[[SubmissionResult], None] | None = None,
    on_graded: OnGraded | None = None,
    public_only: bool = False,
    use_bubblewrap: bool | None = None,
    early: EarlySessions | None = None,
) -> GradingResult:
    """Grade every submission of one assignment and return the whole result, sorted by student.

    With `early`, the submissions go to those sessions (already started, with their own `jobs`,
    `public_only` and `use_bubblewrap`) instead of new ones. `on_graded` (a journal) hears of
    each submission graded, before `on_result` (progress). An exception raised meanwhile, such
    as the KeyboardInterrupt of Ctrl-C, stops every session before it propagates.
    """
    results: list[SubmissionResult] = []
    layer_sets: list[set[str]] = []
    started: list[_Session] = []

    def collect(sessions: list[_Session]) -> int:
        """Read the sessions' results to the end; return how many they reported."""
        before = len(results)
        for session, line in _lines(sessions):
            message = json.loads(line)
            if "problem" in message:
                session.problems.append(message["problem"])
                continue
            result = SubmissionResult.from_dict(message["result"])
            submission = session.pending.pop(result.student, None)
            if submission is not None and submission.passed_over:
                result = replace(result, notes=(*result.notes, passed_over_note(submission)))
            if message["layers"]:
                layer_sets.append(set(message["layers"]))
            if on_graded:
                on_graded(result, tuple(message["layers"]), submission)
            results.append(result)
            if on_result:
                on_result(result)
        problems = [problem for session in sessions for problem in session.problems]
        if problems:
            raise GradingError(problems[0])
        return len(results) - before

    def lose(lost: Sequence[Submission], reason: str) -> None:
        for submission in lost:
            results.append(_lost(assignment, submission, reason))
            if on_result:
                on_result(results[-1])

    def start(share: Sequence[Submission]) -> list[_Session]:
        sessions = _sessions(course, assignment, share, folder=Path(folder), jobs=jobs,
                             public_only=public_only, use_bubblewrap=use_bubblewrap)  # fmt: skip
        started.extend(sessions)
        return sessions

    with tempfile.TemporaryDirectory(prefix="gradkit-jobs-") as folder:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(submissions) or 1))
        try:
            _grade_all(submissions, early, start, collect, lose, started)
        except BaseException:
            _stop(started)
            raise
    layers = set.intersection(*layer_sets) if layer_sets else set()
    return GradingResult(
        course=course.id,
        assignment=assignment.id,
        max_points=assignment.max_points,
        isolation=isolation_level(layers),
        isolation_layers=tuple(layer for layer in ALL_LAYERS if layer in layers),
        submissions=tuple(sorted(results, key=lambda result: result.student)),
        graded_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    )


def _grade_all(
    submissions: Sequence[Submission],
    early: EarlySessions | None,
    start: Callable[[Sequence[Submission]], list[_Session]],
    collect: Callable[[list[_Session]], int],
    lose: Callable[[Sequence[Submission], str], None],
    started: list[_Session],
) -> None:
    """Deal the submissions out and read every result, starting new sessions for the share of
    any session that ends early."""
    if early is not None:
        sessions = early.deal(submissions)
        started.extend(sessions)
    else:
        sessions = start(submissions)
    collect(sessions)
    # A session process that ended early (a fault of the grading process itself, which no
    # submission should be able to cause) stopped at the first submission it had not
    # reported: that one gets the reason, the rest are graded again in new sessions. Rounds
    # that grade nothing at all (the machine, not a submission) end it after a few.
    stopped = [session for session in sessions if session.pending]
    idle_rounds = 0
    while stopped:
        lose([next(iter(session.pending.values())) for session in stopped], STOPPED_ON_IT)
        rest = [submission for session in stopped for submission in
                list(session.pending.values())[1:]]  # fmt: skip
        if rest and idle_rounds == MAX_IDLE_ROUNDS:
            lose(rest, STOPPED)
            break
        if not rest:
            break
        sessions = start(rest)
        idle_rounds = 0 if collect(sessions) else idle_rounds + 1
        stopped = [session for session in sessions if session.pending]


def _stop(sessions: Sequence[_Session]) -> None:
    """End every session still running (their templates and workers end with them): asked
    first, then killed after `STOP_SECONDS`; the grader leaves no process behind."""
    running = [session.process for session in sessions if session.process.poll() is None]
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
    for process in running:
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def isolation_level(layers: set[str]) -> str:
    """ "full" when every layer this machine should give is in force, else what is missing."""
    expected = [layer for layer in ALL_LAYERS if layer != "unprivileged-user" or os.geteuid() == 0]
    missing = [layer for layer in expected if layer not in layers]
    return "full" if not missing else "partial (without " + ", ".join(missing) + ")"


def released_preload(assignment: Assignment, kind: str) -> tuple[str, ...]:
    """What to preload for submissions of `assignment` as released: its stub module ("py") or
    the notebook generated from it ("ipynb": the stub's code and the code of its figures).

    Most submissions keep what the release imports, so an early session's first template, started
    before any submission is read, is usually the one they need.
    """
    cells = [assignment.module.read_text(encoding="utf-8")]
    if kind == "ipynb":
        cells += [read_figure(figure).code for figure in assignment.figures]
    return preload_for(SubmissionCode(tuple(cells)))


def passed_over_note(submission: Submission) -> str:
    """The note of a student who handed in more than one file: which one was graded."""
    others = submission.passed_over
    verb = "was" if len(others) == 1 else "were"
    return (
        f"{submission.display} was graded; {', '.join(others)} {verb} not (one file is graded "
        "per student: hand in only the one you mean)."
    )


def _sessions(
    course: Course,
    assignment: Assignment,
    submissions: Sequence[Submission],
    folder: Path,
    jobs: int,
    *,
    public_only: bool,
    use_bubblewrap: bool | None,
) -> list[_Session]:
    """Start up to `jobs` sessions, each with a round-robin share of `submissions`."""
    shares = [list(submissions[index::jobs]) for index in range(jobs)]
    prefix = len(list(folder.glob("job*.json")))  # job files of sessions started before
    return [
        _start(course, assignment, share, folder / f"job{prefix + index}.json",
               public_only=public_only, use_bubblewrap=use_bubblewrap)
        for index, share in enumerate(shares) if share
    ]  # fmt: skip


def _start(
    course: Course,
    assignment: Assignment,
    share: list[Submission] | None,
    job_file: Path,
    *,
    public_only: bool,
    use_bubblewrap: bool | None,
    early: tuple[Path, tuple[str, ...]] | None = None,
) -> _Session:
    """Start one session process; `early` (the file its share will be written to, and what its
    first template preloads) instead of `share` starts it before its submissions are known."""
    job: dict = {
        "course": str(course.path),
        "assignment": assignment.id,
        "public_only": public_only,
        "use_bubblewrap": use_bubblewrap,
        "submissions": None if share is None else [_entry(submission) for submission in share],
    }
    if early is not None:
        job["share"], job["preload"] = str(early[0]), list(early[1])
    job_file.write_text(json.dumps(job))
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "grader.grading.session",
            str(job_file),
            str(write_end),
            str(os.getpid()),
        ],
        pass_fds=[write_end],
        stdin=subprocess.DEVNULL if early is None else subprocess.PIPE,
        env={**os.environ, **ONE_THREAD},
    )
    os.close(write_end)
    return _Session(process, read_end, {s.student: s for s in share or ()})


def _entry(submission: Submission) -> dict:
    """A submission as a session's job lists it."""
    return {
        "student": submission.student,
        "source": str(submission.source),
        "kind": submission.kind,
        "display": submission.display,
        "missing": submission.missing,
    }


def _close_input(session: _Session) -> None:
    """Tell an early session that its share is written (or that there is none)."""
    if session.process.stdin is not None and not session.process.stdin.closed:
        session.process.stdin.close()


def _lines(sessions: list[_Session]):
    """Yield (session, line) as lines arrive from any session, until all have finished."""
    selector = selectors.DefaultSelector()
    buffers: dict[int, bytearray] = {}
    for session in sessions:
        selector.register(session.stream, selectors.EVENT_READ, session)
        buffers[session.stream] = bytearray()
    open_count = len(sessions)
    while open_count:
        for key, _ in selector.select():
            session, buffer = key.data, buffers[key.fd]
            chunk = os.read(key.fd, 1 << 16)
            buffer += chunk
            while b"\n" in buffer:
                line, _, rest = bytes(buffer).partition(b"\n")
                buffer[:] = rest
                yield session, line.decode()
            if not chunk:
                selector.unregister(key.fd)
                os.close(key.fd)
                session.process.wait()
                open_count -= 1
    selector.close()


def _lost(assignment: Assignment, submission: Submission, reason: str) -> SubmissionResult:
    """The result of a submission whose grading session ended before reporting it."""
    return SubmissionResult.ungraded(
        submission.student, str(submission.source), assignment.points_by_exercise, reason
    )
