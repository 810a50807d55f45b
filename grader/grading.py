"""Grading orchestration: submissions x checks -> results, over `jobs` parallel sessions.

The submissions are dealt round-robin to `jobs` session processes (`grader.session`), each running
one pytest session with its own sandbox template. Results stream back line by line, which drives
the progress bar; a session that dies costs only the submissions it had not reported, which get
an error instead of a grade.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import selectors
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from grader.course import Assignment, Course
from grader.results import ExerciseResult, GradingResult, SubmissionResult
from grader.sandbox.containment import ONE_THREAD
from grader.submissions import Submission

ALL_LAYERS = ("bubblewrap", "seccomp", "unprivileged-user", "rlimits")


class GradingError(RuntimeError):
    """The checks themselves could not run (a problem of the course, not of a submission)."""


@dataclass
class _Session:
    process: subprocess.Popen
    stream: int
    pending: dict[str, str]  # student -> source, until the session reports the student
    problems: list[str] = field(default_factory=list)


def grade(
    course: Course,
    assignment: Assignment,
    submissions: Sequence[Submission],
    *,
    jobs: int | None = None,
    on_result: Callable[[SubmissionResult], None] | None = None,
    public_only: bool = False,
    use_bubblewrap: bool | None = None,
) -> GradingResult:
    """Grade every submission of one assignment and return the whole result, sorted by student."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(submissions) or 1))
    shares = [list(submissions[index::jobs]) for index in range(jobs)]
    results: list[SubmissionResult] = []
    layer_sets: list[set[str]] = []
    with tempfile.TemporaryDirectory(prefix="gradkit-jobs-") as folder:
        sessions = [
            _start(course, assignment, share, Path(folder) / f"job{index}.json",
                   public_only=public_only, use_bubblewrap=use_bubblewrap)
            for index, share in enumerate(shares) if share
        ]  # fmt: skip
        for session, line in _lines(sessions):
            message = json.loads(line)
            if "problem" in message:
                session.problems.append(message["problem"])
                continue
            result = SubmissionResult.from_dict(message["result"])
            session.pending.pop(result.student, None)
            if message["layers"]:
                layer_sets.append(set(message["layers"]))
            results.append(result)
            if on_result:
                on_result(result)
    problems = [problem for session in sessions for problem in session.problems]
    if problems:
        raise GradingError(problems[0])
    for session in sessions:
        for student, source in session.pending.items():
            lost = _lost(assignment, student, source)
            results.append(lost)
            if on_result:
                on_result(lost)
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


def isolation_level(layers: set[str]) -> str:
    """ "full" when every layer this machine should give is in force, else what is missing."""
    expected = [layer for layer in ALL_LAYERS if layer != "unprivileged-user" or os.geteuid() == 0]
    missing = [layer for layer in expected if layer not in layers]
    return "full" if not missing else "partial (without " + ", ".join(missing) + ")"


def _start(
    course: Course,
    assignment: Assignment,
    share: list[Submission],
    job_file: Path,
    *,
    public_only: bool,
    use_bubblewrap: bool | None,
) -> _Session:
    job = {
        "course": str(course.path),
        "assignment": assignment.id,
        "public_only": public_only,
        "use_bubblewrap": use_bubblewrap,
        "submissions": [
            {
                "student": submission.student,
                "source": str(submission.source),
                "kind": submission.kind,
                "display": submission.display,
                "missing": submission.missing,
            }
            for submission in share
        ],
    }
    job_file.write_text(json.dumps(job))
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-m", "grader.session", str(job_file), str(write_end)],
        pass_fds=[write_end],
        stdin=subprocess.DEVNULL,
        env={**os.environ, **ONE_THREAD},
    )
    os.close(write_end)
    return _Session(process, read_end, {s.student: str(s.source) for s in share})


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


def _lost(assignment: Assignment, student: str, source: str) -> SubmissionResult:
    """The result of a submission whose grading session ended before reporting it."""
    return SubmissionResult(
        student=student,
        source=source,
        max_points=assignment.max_points,
        exercises={
            exercise.id: ExerciseResult(exercise.id, exercise.points)
            for exercise in assignment.exercises
        },
        error="grading stopped before this submission was graded; grade it again.",
    )
