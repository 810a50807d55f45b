"""gradkit in an nbgrader course, end to end: real nbgrader, a real kernel, a real gradebook.db.

One course directory is built with `grader nbgrader build`, released with
`nbgrader generate_assignment`, and given six submissions of the derivatives notebook. A copy is
taken, then nbgrader's own `autograde` grades the original (tests in the student's kernel) and
`grader grade --nbgrader` grades the copy (the sandbox): both gradebooks are read back.

Students: alice (correct), bob (two exercises wrong, one untouched), carol (the release as is),
dave (correct, submitted after the due date), erin (a timestamp but no notebook), frank (correct,
with one test cell deleted).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from nbgrader.api import Gradebook

from grader.course import load_course
from grader.nbgrader.build import checks_grade_id

pytestmark = pytest.mark.slow

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


def submit(root: Path, student: str, notebook, timestamp: str) -> Path:
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text(timestamp + "\n")
    if notebook is not None:
        nbformat.write(notebook, folder / NOTEBOOK)
    return folder


@pytest.fixture(scope="module")
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


def scores(root: Path) -> dict[str, dict]:
    """Per student in the gradebook: per test cell (auto_score, needs_manual_grade), comments,
    seconds late and late penalty."""
    found = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for submission in gradebook.find_assignment(ASSIGNMENT).submissions:
            student = submission.student_id
            notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
            found[student] = {
                "grades": {g.name: (g.auto_score, g.needs_manual_grade) for g in notebook.grades},
                "comments": {c.name: c.auto_comment for c in notebook.comments},
                "penalty": notebook.late_submission_penalty,
                "late": submission.total_seconds_late,
            }
    return found


def full_marks() -> dict[str, tuple[float, bool]]:
    return {checks_grade_id(exercise): (points, False) for exercise, points in POINTS.items()}


def test_build_writes_config_and_source_notebooks(course_dirs):
    config = (course_dirs["native"] / "nbgrader_config.py").read_text()
    assert f'c.CourseDirectory.course_id = "{COURSE.id}"' in config.replace("'", '"')
    notebook = nbformat.read(course_dirs["source"], as_version=4)
    solutions = solution_cells(notebook)
    assert sorted(solutions) == sorted(POINTS)
    central = solutions["central_difference"].source
    assert "### BEGIN SOLUTION" in central and "### END SOLUTION" in central
    assert "(f(x + h) - f(x - h)) / (2.0 * h)" in central
    tests = {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    }
    assert {name: cell.metadata["nbgrader"]["points"] for name, cell in tests.items()} == {
        checks_grade_id(exercise): points for exercise, points in POINTS.items()
    }
    test = tests[checks_grade_id("derivative")].source
    hidden = test[test.index("### BEGIN HIDDEN TESTS") : test.index("### END HIDDEN TESTS")]
    assert "grading_check(" in hidden
    assert test.rstrip().endswith('check("derivative", "derivatives.ipynb")')


def test_release_holds_no_solution_and_no_hidden_test(course_dirs):
    text = course_dirs["release"].read_text()
    notebook = nbformat.read(course_dirs["release"], as_version=4)
    reference_lines = ("(2.0 * h)", "sympy.diff(sympy.sympify")
    for forbidden in ("BEGIN SOLUTION", *reference_lines, "HIDDEN TESTS", "grading_check"):
        assert forbidden not in text
    codes = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert sum("raise NotImplementedError()" in code for code in codes) == len(POINTS)
    assert sum(code.endswith(f'", "{NOTEBOOK}")') for code in codes) == len(POINTS)


def test_nbgrader_autograde_gives_full_marks_to_correct_code(course_dirs):
    native = scores(course_dirs["native"])
    assert native["alice"]["grades"] == full_marks()
    assert native["carol"]["grades"] == {name: (0.0, False) for name in full_marks()}


def test_nbgrader_autograde_partial_credit_equals_grader_grade(course_dirs, tmp_path):
    """bob's notebook graded three ways: nbgrader's autograde, `grader grade` on the file, and
    `grader grade --nbgrader`: the same points for every exercise."""
    out = tmp_path / "out"
    bob = course_dirs["sandboxed"] / "submitted" / "bob" / ASSIGNMENT / NOTEBOOK
    graded = grader("grade", str(bob), "--assignment", ASSIGNMENT, "--out", str(out))
    assert graded.returncode == 0, graded.stderr
    (entry,) = json.loads((out / "grades.json").read_text())["submissions"]
    by_file = {checks_grade_id(e): r["points"] for e, r in entry["exercises"].items()}
    native, sandboxed = (
        {name: score for name, (score, _) in scores(course_dirs[kind])["bob"]["grades"].items()}
        for kind in ("native", "sandboxed")
    )
    assert native == pytest.approx(by_file, abs=1e-6)
    assert sandboxed == pytest.approx(by_file, abs=1e-6)
    wrong = [checks_grade_id(exercise) for exercise in (*BOB_EDITS, BOB_UNTOUCHED)]
    assert all(by_file[name] < POINTS[name.removesuffix("-checks")] for name in wrong)
    assert by_file[checks_grade_id(BOB_UNTOUCHED)] == 0
    assert by_file[checks_grade_id("central_difference")] == 0
    assert 0 < by_file[checks_grade_id("interpret_sign")] < POINTS["interpret_sign"]
    right = {name: points for name, (points, _) in full_marks().items() if name not in wrong}
    assert all(by_file[name] == points for name, points in right.items())


def test_grade_nbgrader_writes_the_same_scores_as_nbgrader_autograde(course_dirs):
    native, sandboxed = scores(course_dirs["native"]), scores(course_dirs["sandboxed"])
    for student in ("alice", "bob", "carol", "dave"):
        assert sandboxed[student]["grades"] == native[student]["grades"], student
    assert sandboxed["alice"]["grades"] == full_marks()


def test_grade_nbgrader_writes_feedback_comments(course_dirs):
    comments = scores(course_dirs["sandboxed"])["bob"]["comments"]
    central = comments["central_difference"]
    assert central.startswith("central_difference: ")
    assert "✗" in central and "(hidden)" in central
    assert comments["tangent_estimate"].count("raised NotImplementedError") >= 1
    assert comments["second_derivative"].startswith("second_derivative: 1.5 of 1.5 points")


def test_late_submission_penalised_as_nbgrader_does(course_dirs):
    """dave submitted 21.5 hours after the due date; the course's late plugin ("zero") takes
    the whole score away, in both gradebooks alike."""
    native, sandboxed = scores(course_dirs["native"]), scores(course_dirs["sandboxed"])
    assert sandboxed["dave"]["late"] == native["dave"]["late"] == 21.5 * 3600
    assert sandboxed["dave"]["penalty"] == native["dave"]["penalty"] == sum(POINTS.values())
    assert sandboxed["alice"]["late"] == 0 and sandboxed["alice"]["penalty"] is None


def test_missing_notebook_scores_zero(course_dirs, tmp_path):
    """nbgrader's autograde fails for a student without a notebook and leaves them out of the
    gradebook; gradkit records them with zero points and says why, so exports list them."""
    native, sandboxed = scores(course_dirs["native"]), scores(course_dirs["sandboxed"])
    assert "erin" not in native
    assert sandboxed["erin"]["grades"] == {name: (0.0, False) for name in full_marks()}
    assert "was not submitted" in sandboxed["erin"]["comments"]["derivative"]
    grades = json.loads(
        (course_dirs["sandboxed"] / "grades" / ASSIGNMENT / "grades.json").read_text()
    )
    erin = next(entry for entry in grades["submissions"] if entry["student"] == "erin")
    assert erin["points"] == 0
    assert "erin/derivatives/derivatives.ipynb was not submitted" in erin["error"]


def test_deleted_test_cell_does_not_change_the_grade(course_dirs):
    """The test cell is the instructor's: deleting it changes nothing in gradkit's grading, and
    the autograded notebook shows it again, after the exercise's solution cell. nbgrader's own
    autograde cannot score a cell it does not find."""
    native, sandboxed = scores(course_dirs["native"]), scores(course_dirs["sandboxed"])
    assert sandboxed["frank"]["grades"] == full_marks()
    # nbgrader's autograde leaves the missing cell to be graded by hand.
    assert native["frank"]["grades"][FRANK_DELETED] == (None, True)
    autograded = course_dirs["sandboxed"] / "autograded" / "frank" / ASSIGNMENT / NOTEBOOK
    cells = nbformat.read(autograded, as_version=4).cells
    ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in cells]
    assert ids[ids.index("second_derivative") + 1] == FRANK_DELETED


def test_autograded_notebook_and_feedback_show_no_hidden_source(course_dirs):
    root = course_dirs["sandboxed"]
    autograded = root / "autograded" / "bob" / ASSIGNMENT / NOTEBOOK
    notebook = nbformat.read(autograded, as_version=4)
    test = next(
        c for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == checks_grade_id("central_difference")
    )  # fmt: skip
    assert "HIDDEN" not in test.source and "grading_check" not in test.source
    assert test.outputs[0]["text"].startswith("central_difference: ")
    nbgrader("generate_feedback", ASSIGNMENT, "--force", cwd=root)
    html = (root / "feedback" / "bob" / ASSIGNMENT / "derivatives.html").read_text()
    assert "central_difference: " in html and "(hidden)" in html
    for hidden_source in ("HIDDEN TESTS", "grading_check", "def test_", str(REPO)):
        assert hidden_source not in html


def test_nbgrader_export_reads_the_scores(course_dirs, tmp_path):
    root = course_dirs["sandboxed"]
    nbgrader("export", f"--to={tmp_path / 'export.csv'}", cwd=root)
    rows = (tmp_path / "export.csv").read_text().splitlines()
    header = rows[0].split(",")
    by_student = {row.split(",")[header.index("student_id")]: row.split(",") for row in rows[1:]}
    total = sum(POINTS.values())
    assert float(by_student["alice"][header.index("raw_score")]) == total
    assert float(by_student["dave"][header.index("raw_score")]) == total
    assert float(by_student["dave"][header.index("score")]) == 0.0  # the late penalty
    assert float(by_student["carol"][header.index("raw_score")]) == 0.0


def test_grade_nbgrader_usage_errors(tmp_path, course_dirs):
    empty = grader("grade", "--nbgrader", str(tmp_path), "--assignment", ASSIGNMENT)
    assert empty.returncode == 2
    assert "grader nbgrader build" in empty.stderr and "Traceback" not in empty.stderr
    root = str(course_dirs["sandboxed"])
    both = grader("grade", "somewhere", "--nbgrader", root, "--assignment", ASSIGNMENT)
    assert both.returncode == 2 and "either SUBMISSIONS or --nbgrader" in both.stderr
    grader("nbgrader", "build", str(tmp_path / "fresh"))
    ungenerated = grader("grade", "--nbgrader", str(tmp_path / "fresh"), "--assignment", ASSIGNMENT)
    assert ungenerated.returncode == 2
    assert "gradebook.db does not exist" in ungenerated.stderr
    assert "nbgrader generate_assignment" in ungenerated.stderr
    assert "Traceback" not in ungenerated.stderr
    # left for nbgrader to create with its alembic table, not half-made by us
    assert not (tmp_path / "fresh" / "gradebook.db").exists()


def test_grading_again_replaces_the_scores(course_dirs):
    """An instructor re-runs the grading (say after a late upload): the gradebook is updated in
    place, the read-only autograded notebooks are rewritten, nothing is duplicated."""
    root = course_dirs["sandboxed"]
    before = scores(root)
    again = grader("grade", "--nbgrader", str(root), "--assignment", ASSIGNMENT)
    assert again.returncode == 0, again.stderr
    assert scores(root) == before


@pytest.mark.parametrize("assignment", [a.id for a in COURSE.assignments])
def test_source_notebooks_grade_to_full_marks(assignment, tmp_path):
    """Every source notebook, run as a submission (solution cells as built: the reference body
    with the helpers and imports it needs inside the function), earns every point."""
    from grader.grading import grade
    from grader.nbgrader.build import build_course_directory
    from grader.submissions import discover

    build_course_directory(COURSE, tmp_path)
    notebook = tmp_path / "source" / assignment / f"{assignment}.ipynb"
    result = grade(COURSE, COURSE.assignment(assignment), discover(notebook, assignment), jobs=1)
    (submission,) = result.submissions
    assert submission.error is None and not submission.notes
    assert submission.points == COURSE.assignment(assignment).max_points
