"""A grading session process that dies mid-run costs the submission it was grading, no more."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from conftest import REPO, reference_source

from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.run import STOPPED_ON_IT, grade


def _session_processes() -> list[int]:
    """The pids of this process's children that are grading sessions."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = next(line for line in status.splitlines() if line.startswith("PPid:"))
        if int(parent.split()[1]) == os.getpid() and b"grader.grading.session" in command:
            found.append(int(entry.name))
    return found


def test_a_killed_session_costs_only_the_submission_it_was_grading(tmp_path):
    folder = tmp_path / "submissions"
    folder.mkdir()
    correct = reference_source("descent")
    students = [f"student{index:02d}" for index in range(24)]
    for student in students:
        (folder / f"{student}.py").write_text(correct)
    course = load_course(REPO / "course.toml")
    assignment = course.assignment("descent")
    killed: list[int] = []
    rounds: list[int] = []

    def kill_the_sessions(_result) -> None:
        # At the first result, while both sessions have more to grade, and again at the first
        # result of the sessions that took over, so that the rest is graded by a third round.
        if len(rounds) == 2:
            return
        fresh = [pid for pid in _session_processes() if pid not in killed]
        if fresh:
            for pid in fresh:
                os.kill(pid, signal.SIGKILL)
            killed.extend(fresh)
            rounds.append(len(fresh))

    result = grade(course, assignment, discover(folder, "descent"), jobs=2,
                   on_result=kill_the_sessions)  # fmt: skip
    assert len(rounds) == 2
    graded = {submission.student: submission for submission in result.submissions}
    assert sorted(graded) == students
    stopped = [s for s in result.submissions if s.error == STOPPED_ON_IT]
    assert 1 <= len(stopped) <= len(killed)
    assert all(s.points == 0 for s in stopped)
    full = [s for s in result.submissions if s.points == assignment.max_points]
    assert len(full) == len(students) - len(stopped)
    assert all(s.error is None for s in full)
