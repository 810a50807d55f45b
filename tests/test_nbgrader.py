"""gradkit in an nbgrader course, end to end, on the shared course of `nbgrader_course`: the
build and release, nbgrader's own autograde against `grader grade --nbgrader`, late and missing
submissions, a deleted test cell, feedback, export and usage errors."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from conftest import REPO
from nbgrader.api import Gradebook
from nbgrader_course import (
    ASSIGNMENT,
    BOB_EDITS,
    BOB_UNTOUCHED,
    COURSE,
    FRANK_DELETED,
    NOTEBOOK,
    ON_TIME,
    POINTS,
    completed,
    full_marks,
    grader,
    nbgrader,
    scores,
    solution_cells,
    submit,
)

from grader.grading.results import SubmissionResult
from grader.nbgrader.build import checks_grade_id
from grader.nbgrader.coursedir import open_course_directory
from grader.nbgrader.gradebook import GradebookWriter, GradedStudent

pytestmark = pytest.mark.slow


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
        # the same rows as nbgrader's add_submission makes: a comment per solution cell
        assert sandboxed[student]["comments"].keys() == native[student]["comments"].keys()
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


def test_regrading_flags_a_manually_scored_cell_for_review(course_dirs, tmp_path):
    """An instructor gave a test cell a manual score in formgrader; grading again updates the
    automatic score and flags the cell for review, as nbgrader's autograde does."""
    root = tmp_path / "course"
    shutil.copytree(course_dirs["sandboxed"], root)
    cell = checks_grade_id("derivative")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        gradebook.find_grade(cell, ASSIGNMENT, ASSIGNMENT, "bob").manual_score = 0.5
        gradebook.db.commit()
    again = grader("grade", "--nbgrader", str(root), "--assignment", ASSIGNMENT)
    assert again.returncode == 0, again.stderr
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade(cell, ASSIGNMENT, ASSIGNMENT, "bob")
        assert (grade.manual_score, grade.needs_manual_grade) == (0.5, True)
        assert grade.auto_score == POINTS["derivative"]
        assert not gradebook.find_grade(cell, ASSIGNMENT, ASSIGNMENT, "alice").needs_manual_grade


def test_gradebook_commits_as_it_goes(course_dirs, tmp_path):
    """Students are committed in batches while the grading runs, so that a run stopped midway
    keeps the students it had recorded; the rest are committed when the writer closes."""
    root = tmp_path / "course"
    shutil.copytree(course_dirs["sandboxed"], root)
    (root / "gradebook.db").unlink()
    nbgrader("generate_assignment", ASSIGNMENT, "--force", cwd=root)
    directory = open_course_directory(root)
    assignment = COURSE.assignment(ASSIGNMENT)
    graded = json.loads((root / "grades" / ASSIGNMENT / "grades.json").read_text())
    results = {
        entry["student"]: SubmissionResult.from_dict(entry) for entry in graded["submissions"]
    }
    folders = {folder.student: folder for folder in directory.student_folders(ASSIGNMENT)}

    def committed() -> set[str]:
        with Gradebook(directory.db_url) as reader:
            return {s.student_id for s in reader.find_assignment(ASSIGNMENT).submissions}

    writer = GradebookWriter(directory, assignment, ASSIGNMENT)
    writer.COMMIT_EVERY = 2
    with writer:
        for student in ("alice", "bob", "carol"):
            writer.record(GradedStudent(folders[student], results[student], submitted=True))
        assert committed() == {"alice", "bob"}
    assert committed() == {"alice", "bob", "carol"}
    # grades.json rounds to 6 decimals; the scores are those of the full run
    written, full = scores(root)["bob"], scores(course_dirs["sandboxed"])["bob"]
    auto_scores = {cell: score for cell, (score, _) in written["grades"].items()}
    assert auto_scores == pytest.approx({c: s for c, (s, _) in full["grades"].items()}, abs=1e-5)
    assert written["comments"].keys() == full["comments"].keys()


@pytest.mark.parametrize("assignment", [a.id for a in COURSE.assignments])
def test_source_notebooks_grade_to_full_marks(assignment, tmp_path):
    """Every source notebook, run as a submission (solution cells as built: the reference body
    with the helpers and imports it needs inside the function), earns every point."""
    from grader.course.submissions import discover
    from grader.grading.run import grade
    from grader.nbgrader.build import build_course_directory

    build_course_directory(COURSE, tmp_path)
    notebook = tmp_path / "source" / assignment / f"{assignment}.ipynb"
    result = grade(COURSE, COURSE.assignment(assignment), discover(notebook, assignment), jobs=1)
    (submission,) = result.submissions
    assert submission.error is None and not submission.notes
    assert submission.points == COURSE.assignment(assignment).max_points


# backprop's bob: a sum where the loss takes the mean, Newton multiplying by H instead of solving;
# clip_by_norm left as released.
BACKPROP_BOB_EDITS = {
    "mlp_gradients": (
        "d_prediction = 2.0 * residual / len(y)",
        "d_prediction = 2.0 * residual",
    ),
    "newton_step": (
        "np.linalg.solve(_vector(H), _vector(grad))",
        "_vector(H) @ _vector(grad)",
    ),
}


def test_backprop_end_to_end_autograde_and_grade_nbgrader_agree(tmp_path):
    """The fourth assignment through nbgrader as the first: built, released, submitted, graded by
    nbgrader's autograde and by `grader grade --nbgrader`, with the same points per test cell."""
    assignment = "backprop"
    points = {e.id: e.points for e in COURSE.assignment(assignment).exercises}
    native = tmp_path / "native"
    built = grader("nbgrader", "build", str(native))
    assert built.returncode == 0, built.stderr
    nbgrader("generate_assignment", assignment, cwd=native)
    release = native / "release" / assignment / f"{assignment}.ipynb"
    source = native / "source" / assignment / f"{assignment}.ipynb"
    released = release.read_text()
    assert "BEGIN SOLUTION" not in released and "HIDDEN TESTS" not in released
    assert "np.linalg.solve(_vector(H)" not in released
    bob = completed(release, source, BACKPROP_BOB_EDITS, ("clip_by_norm",))
    for student, notebook in (
        ("alice", completed(release, source, {})),
        ("bob", bob),
        ("carol", nbformat.read(release, as_version=4)),
    ):
        submit(native, student, notebook, ON_TIME, assignment)
    sandboxed = tmp_path / "sandboxed"
    shutil.copytree(native, sandboxed)
    nbgrader("autograde", assignment, cwd=native)
    graded = grader("grade", "--nbgrader", str(sandboxed), "--assignment", assignment)
    assert graded.returncode == 0, graded.stderr

    by_nbgrader, by_gradkit = scores(native, assignment), scores(sandboxed, assignment)
    full = {checks_grade_id(exercise): (value, False) for exercise, value in points.items()}
    for found in (by_nbgrader, by_gradkit):
        assert found["alice"]["grades"] == full
        assert found["carol"]["grades"] == {cell: (0.0, False) for cell in full}
        lost = {
            cell for cell, (score, _) in found["bob"]["grades"].items() if score < full[cell][0]
        }
        assert lost == {
            checks_grade_id(e) for e in ("mlp_gradients", "newton_step", "clip_by_norm")
        }
    for student in ("alice", "bob", "carol"):
        native_scores = {c: s for c, (s, _) in by_nbgrader[student]["grades"].items()}
        gradkit_scores = {c: s for c, (s, _) in by_gradkit[student]["grades"].items()}
        assert gradkit_scores == pytest.approx(native_scores, abs=1e-5), student
    comment = by_gradkit["bob"]["comments"]["mlp_gradients"]
    assert "mean" in comment, comment
