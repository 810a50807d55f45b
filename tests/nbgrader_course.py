"""The nbgrader course the end-to-end tests share: real nbgrader, a real kernel and gradebook.db.

One course directory is built with `grader nbgrader build`, released with
`nbgrader generate_assignment`, and given six submissions of the derivatives notebook. A copy is
taken, then nbgrader's own `autograde` grades the original (tests in the student's kernel) and
`grader grade --nbgrader` grades the copy (the sandbox): both gradebooks are read back.

Students: alice (correct), bob (two exercises wrong, one untouched), carol (the release as is),
dave (correct, submitted after the due date), erin (a timestamp but no notebook), frank (correct,
with one test cell deleted).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from nbgrader.api import Gradebook

from grader.course.config import load_course
from grader.nbgrader.build import checks_grade_id

ASSIGNMENT = "derivatives"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
BIN = Path(sys.executable).parent
DUE = "2026-11-20 12:00:00 UTC"
ON_TIME = "2026-11-20 10:00:00.000000 UTC"
LATE = "2026-11-21 09:30:00.000000 UTC"
COURSE = load_course(REPO / "course.toml")
POINTS = {e.id: e.points for e in COURSE.assignment(ASSIGNMENT).exercises}
# bob's mistakes: a forward difference where the central one belongs (no check passes), and a
# derivative of exactly tol called increasing (only the boundary check fails: partial credit).
# tangent_estimate is left as released.
BOB_EDITS = {
    "central_difference": (
        "return float((f(x + h) - f(x - h)) / (2.0 * h))",
        "return float((f(x + h) - f(x)) / h)",
    ),
    "interpret_sign": ("if d > tol:", "if d >= tol:"),
}
BOB_UNTOUCHED = "tangent_estimate"
FRANK_DELETED = checks_grade_id("second_derivative")


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run a command with the environment's bin first on PATH (nbgrader runs `alembic`)."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    return done


def nbgrader(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    done = run([str(BIN / "nbgrader"), *arguments], cwd)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def grader(*arguments: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "grader", *arguments], cwd)


def solution_cells(notebook: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def completed(release: Path, source: Path, edits: dict, untouched: tuple[str, ...] = ()):
    """The released notebook with each solution cell filled as in the source, then edited."""
    notebook = nbformat.read(release, as_version=4)
    answers = solution_cells(nbformat.read(source, as_version=4))
    for grade_id, cell in solution_cells(notebook).items():
        if grade_id in untouched:
            continue
        cell.source = answers[grade_id].source
        if grade_id in edits:
            old, new = edits[grade_id]
            assert old in cell.source
            cell.source = cell.source.replace(old, new)
    return notebook


def submit(
    root: Path, student: str, notebook, timestamp: str, assignment: str = ASSIGNMENT
) -> Path:
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text(timestamp + "\n")
    if notebook is not None:
        nbformat.write(notebook, folder / f"{assignment}.ipynb")
    return folder


@pytest.fixture(scope="session")
def course_dirs(tmp_path_factory) -> dict[str, Path]:
    """Two identical course directories with submissions: one graded by nbgrader's autograde,
    one by `grader grade --nbgrader`; plus the built source and release."""
    base = tmp_path_factory.mktemp("nbgrader")
    native = base / "native"
    built = grader("nbgrader", "build", str(native))
    assert built.returncode == 0, built.stderr
    with (native / "nbgrader_config.py").open("a") as config:
        config.write('c.LateSubmissionPlugin.penalty_method = "zero"\n')
    nbgrader("db", "assignment", "add", ASSIGNMENT, f"--duedate={DUE}", cwd=native)
    nbgrader("generate_assignment", ASSIGNMENT, cwd=native)
    release = native / "release" / ASSIGNMENT / NOTEBOOK
    source = native / "source" / ASSIGNMENT / NOTEBOOK
    correct = completed(release, source, {})
    submit(native, "alice", correct, ON_TIME)
    submit(native, "bob", completed(release, source, BOB_EDITS, (BOB_UNTOUCHED,)), ON_TIME)
    submit(native, "carol", nbformat.read(release, as_version=4), ON_TIME)
    submit(native, "dave", correct, LATE)
    submit(native, "erin", None, ON_TIME)
    frank = completed(release, source, {})
    frank.cells = [
        cell
        for cell in frank.cells
        if cell.metadata.get("nbgrader", {}).get("grade_id") != FRANK_DELETED
    ]
    submit(native, "frank", frank, ON_TIME)
    sandboxed = base / "sandboxed"
    shutil.copytree(native, sandboxed)
    nbgrader("autograde", ASSIGNMENT, cwd=native)
    graded = grader(
        "grade", "--nbgrader", str(sandboxed), "--assignment", ASSIGNMENT, "--jobs", "2"
    )
    assert graded.returncode == 0, graded.stderr
    return {"native": native, "sandboxed": sandboxed, "release": release, "source": source}


def scores(root: Path, assignment: str = ASSIGNMENT) -> dict[str, dict]:
    """Per student in the gradebook: per test cell (auto_score, needs_manual_grade), comments,
    seconds late and late penalty."""
    found = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for submission in gradebook.find_assignment(assignment).submissions:
            student = submission.student_id
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
            found[student] = {
                "grades": {g.name: (g.auto_score, g.needs_manual_grade) for g in notebook.grades},
                "comments": {c.name: c.auto_comment for c in notebook.comments},
                "penalty": notebook.late_submission_penalty,
                "late": submission.total_seconds_late,
            }
    return found


def full_marks() -> dict[str, tuple[float, bool]]:
    return {checks_grade_id(exercise): (points, False) for exercise, points in POINTS.items()}
