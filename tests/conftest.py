"""Shared fixtures: a private copy of the course (with tight limits) and a way to grade a folder."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from grader.course.check_files import import_check_file
from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.results import GradingResult
from grader.grading.run import grade

REPO = Path(__file__).resolve().parent.parent


def copy_course(destination: Path, **limits: float) -> Path:
    """Copy course.toml, exercises/, solutions/, checks/ and figures/ to `destination`, overriding
    default limits."""
    destination.mkdir(parents=True, exist_ok=True)
    for folder in ("exercises", "solutions", "checks", "figures"):
        shutil.copytree(REPO / folder, destination / folder)
    text = (REPO / "course.toml").read_text()
    for key, value in limits.items():
        text, count = re.subn(rf"(?m)^{key}\s*=.*$", f"{key} = {value}", text, count=1)
        assert count == 1, key
    (destination / "course.toml").write_text(text)
    return destination / "course.toml"


def check_file(assignment: str, kind: str) -> ModuleType:
    """A check file of the bundled course (`kind`: public, hidden or known), imported the way
    the engine imports it."""
    return import_check_file(REPO / "checks" / assignment / f"{kind}.py")


def reference_source(assignment: str) -> str:
    """The reference solution's source, a correct submission to build variations on."""
    return (REPO / "solutions" / f"{assignment}.py").read_text()


@pytest.fixture
def tight_course(tmp_path: Path) -> Path:
    """A course copy whose calls may take 1 s and whose submissions 20 s."""
    return copy_course(tmp_path / "course", seconds_per_call=1.0, seconds_per_submission=20.0)


GradeFolder = Callable[..., GradingResult]


@pytest.fixture
def grade_folder() -> GradeFolder:
    """Grade every submission in a folder for one assignment, the way `grader grade` does."""

    def run(folder: Path, assignment: str, course: Path | None = None, jobs: int = 2):
        loaded = load_course(course or REPO / "course.toml")
        chosen = loaded.assignment(assignment)
        return grade(loaded, chosen, discover(folder, chosen.id), jobs=jobs)

    return run


def by_student(result: GradingResult) -> dict:
    """Submissions of a result keyed by student id."""
    return {submission.student: submission for submission in result.submissions}


CORPUS_ROOT = REPO / "tests" / "corpus"
CorpusGrades = Callable[[str], dict]


@pytest.fixture(scope="session")
def corpus_grades() -> CorpusGrades:
    """Grades of `tests/corpus/<assignment>/`, each corpus graded once per test session by the
    real engine (public and hidden checks, full sandbox): assignment id -> {student: result}."""
    graded: dict[str, dict] = {}

    def get(assignment_id: str) -> dict:
        if assignment_id not in graded:
            course = load_course(REPO / "course.toml")
            assignment = course.assignment(assignment_id)
            folder = CORPUS_ROOT / assignment_id
            result = grade(course, assignment, discover(folder, assignment_id), jobs=2)
            graded[assignment_id] = by_student(result)
        return graded[assignment_id]

    return get


# The nbgrader course is built and graded once per run, for every test module that uses it.
pytest_plugins = ["nbgrader_course"]
