"""What `grader validate` learns from the student release: do its public checks pass there?

In the release the reference solution is not there: public checks compare students with answers
recorded at release time (`grader.student.replay`), from the public check files as the release
copies them, alone in their folder. A check that asks the reference anything that was not
recorded, or reads a file the release does not hold, fails there while passing in the course.
So the release is built into a temporary folder (`grader.student.release.build_release`), and
the reference solution is checked the way `grader check` checks a student's file in it: first
in this process with the release's course data and recorded answers, which names each failing
check, then by the release's own `grader check`, run from the bundle, which also shows an
engine module missing from it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from grader.course.config import Assignment, Course, CourseError, load_course
from grader.course.model import shown
from grader.course.submissions import submission_at
from grader.grading.results import SubmissionResult
from grader.grading.session import run_session
from grader.student.release import COURSE_DATA, ReleaseError, build_release
from grader.student.replay import ReplayError, load_replay, public_course

# A whole `grader check` of the reference solutions: generous, it is a handful of checks.
CHECK_SECONDS = 600


def release_problems(
    course: Course, assignments: Sequence[Assignment], where: dict[str, dict[str, str]]
) -> list[str]:
    """One sentence per public check of `assignments` that fails in the student release, or on
    why the release could not be built or checked; `where` gives each check's file and line,
    by assignment."""
    with tempfile.TemporaryDirectory(prefix="gradkit-validate-") as folder:
        bundle = Path(folder) / "release"
        try:
            build_release(course, bundle)
            released = load_course(bundle / "grader" / COURSE_DATA / "course.toml")
        except (ReleaseError, ReplayError, CourseError) as error:
            reason = " ".join(str(error).split()).rstrip(".")
            return [f"the student release could not be built: {reason}; fix that first."]
        problems = []
        for assignment in assignments:
            problems += _replayed(released, assignment, where.get(assignment.id, {}))
        if not problems:
            problems += _bundle_check(bundle, assignments, Path(folder) / "reference")
    return problems


def _replayed(released: Course, assignment: Assignment, where: dict[str, str]) -> list[str]:
    """The release's public checks on the reference solution, its answers replayed."""
    chosen = released.assignment(assignment.id)
    results: list[SubmissionResult] = []
    public = shown(assignment.public_checks) if assignment.public_checks else "the public checks"
    try:
        found = run_session(
            public_course(released),
            chosen,
            [submission_at(assignment.solution, "reference")],
            lambda result, _layers: results.append(result),
            public_only=True,
            reference_factory=lambda wanted: load_replay(released, wanted),
        )
    except ReplayError as error:
        found = [str(error)]
    if found or not results:
        reason = " ".join((found or ["they reported nothing"])[0].split()).rstrip(".")
        return [
            f"{public}: the public checks of {assignment.id} do not run in the student release "
            f"({reason}); a public check may import only grader.authoring and libraries, never "
            "the hidden checks or known.py, which the release does not hold."
        ]
    problems = []
    for exercise in results[0].exercises.values():
        for check in exercise.checks:
            if not check.passed:
                message = " ".join(check.message.split())
                problems.append(
                    f"{where.get(check.name, public)}: the public check {check.name} of "
                    f"{check.exercise} fails on the reference in the student release, where the "
                    f"reference is replayed from recorded answers ({message}); let it call the "
                    "reference only with inputs from rng or written in the check, and read no "
                    "file beside it."
                )
    return problems


def _bundle_check(bundle: Path, assignments: Sequence[Assignment], folder: Path) -> list[str]:
    """Run the release's own `grader check` on the reference solutions, from the bundle."""
    folder.mkdir()
    for assignment in assignments:
        # `grader check FOLDER` checks each <assignment>.py it finds there.
        shutil.copyfile(assignment.solution, folder / f"{assignment.id}.py")
    environment = {**os.environ, "PYTHONPATH": str(bundle)}
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "grader", "check", str(folder)],
            cwd=bundle,
            env=environment,
            capture_output=True,
            text=True,
            timeout=CHECK_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return [f"the student release's grader check took over {CHECK_SECONDS} s; run it by hand."]
    if finished.returncode == 0:
        return []
    # An engine fault ends with a traceback's last line; failing checks say so with a cross.
    errors = [line.strip() for line in finished.stderr.splitlines() if line.strip()]
    crosses = [line.strip() for line in finished.stdout.splitlines() if "✗" in line]
    said = (errors[-1:] or crosses[:1] or [f"exit status {finished.returncode}"])[0]
    return [
        f"the student release's own grader check fails on the reference solutions ({said}); "
        "this is a fault of the release (a module its bundle lacks?), not of the course: "
        "report it to the gradkit maintainers."
    ]
