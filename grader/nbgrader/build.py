"""`grader nbgrader build COURSE_DIR`: the nbgrader course directory of a gradkit course.

For each assignment the source notebook is the notebook students get from `grader notebooks`,
with nbgrader's cell metadata added:

- each exercise's code cell becomes a solution cell (grade_id: the exercise) whose body is the
  reference solution between `### BEGIN SOLUTION` and `### END SOLUTION`, which
  `nbgrader generate_assignment` turns back into the stub;
- each self-check cell becomes an autograder test cell (grade_id: `<exercise>-checks`, the
  exercise's points from course.toml). Its visible part is the self-check students run (the
  public checks, in the sandbox). Its hidden part, which nbgrader removes from the release and
  restores when it autogrades, rebinds `check` to `grader.nbgrader.kernel.grading_check`: the
  public and hidden checks of the notebook as submitted, graded in the sandbox exactly as
  `grader grade` grades it, leaving the exercise's points as the cell's value (nbgrader's
  partial credit).

The build is deterministic, so rebuilding an unchanged course changes no file.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from grader.course.config import Assignment, Course
from grader.nbgrader.solution import bound_names, solution_cell_source
from grader.student.notebooks import build_notebook, notebook_name, notebook_text

BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
SCHEMA_VERSION = 3
CHECKS_SUFFIX = "-checks"

CONFIG = '''\
"""nbgrader's configuration of the gradkit course {course_id!r}, from `grader nbgrader build`.

Add your own settings below (due dates: `nbgrader db assignment add ID --duedate=...`; a late
penalty: `c.AssignLatePenalties.plugin_class`); `grader grade --nbgrader` reads this file too.
"""

c = get_config()  # noqa: F821 (nbgrader defines it when it reads this file)

c.CourseDirectory.course_id = {course_id!r}
# The grading cells grade the whole notebook in gradkit's sandbox the first time one runs.
c.Execute.timeout = {timeout}
'''


class BuildError(Exception):
    """The course directory could not be written; `str()` is one sentence for the instructor."""


def checks_grade_id(exercise: str) -> str:
    """The grade_id of an exercise's autograder test cell."""
    return f"{exercise}{CHECKS_SUFFIX}"


def build_course_directory(course: Course, root: Path) -> list[Path]:
    """Write nbgrader_config.py and every assignment's source notebook under `root`.

    Returns the files written. Existing files are replaced; nothing else in `root` is touched.
    """
    if root.exists() and not root.is_dir():
        raise BuildError(f"{root} is a file; give a folder for the nbgrader course directory.")
    notebooks = {
        assignment.id: source_notebook(course, assignment) for assignment in course.assignments
    }
    root.mkdir(parents=True, exist_ok=True)
    config = root / "nbgrader_config.py"
    timeout = max(60, int(max(a.limits.seconds_per_submission for a in course.assignments) * 2))
    config.write_text(CONFIG.format(course_id=course.id, timeout=timeout), encoding="utf-8")
    written = [config]
    for assignment in course.assignments:
        path = root / "source" / assignment.id / notebook_name(assignment)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(notebook_text(notebooks[assignment.id]), encoding="utf-8")
        written.append(path)
    return written


def source_notebook(course: Course, assignment: Assignment) -> NotebookNode:
    """The nbgrader source notebook of one assignment: solutions in, hidden grading in."""
    notebook = build_notebook(assignment)
    provided = bound_names(assignment.module.read_text(encoding="utf-8"))
    points = {exercise.id: exercise.points for exercise in assignment.exercises}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if cell.id in points:
            try:
                cell.source = solution_cell_source(
                    cell.source, assignment.solution, cell.id, provided
                )
            except ValueError as error:
                raise BuildError(str(error)) from None
            cell.metadata["nbgrader"] = _metadata(cell.id, solution=True)
        elif cell.id.endswith("-check") and cell.id.removesuffix("-check") in points:
            exercise = cell.id.removesuffix("-check")
            cell.source = test_cell_source(course, assignment, exercise)
            cell.metadata["nbgrader"] = _metadata(
                checks_grade_id(exercise), grade=True, points=points[exercise]
            )
    nbformat.validate(notebook)
    return notebook


def test_cell_source(course: Course, assignment: Assignment, exercise: str) -> str:
    """An exercise's autograder test cell: the public self-check, then the hidden grading.

    The course file's absolute path is in the hidden part only: students never see it, and
    nbgrader's autograde, which runs on the instructor's machine, finds the course with it.
    """
    name = notebook_name(assignment)
    return "\n".join(
        [
            f"# Checks of {exercise}: save the notebook (Ctrl+S), then run this cell. It runs the",
            "# public checks on the notebook as last saved, in a sandbox, the way grading will.",
            "from grader.student.selfcheck import check",
            "",
            BEGIN_HIDDEN,
            "# Grading: every public and hidden check, in the sandbox; the value is the points.",
            "from grader.nbgrader.kernel import grading_check",
            "",
            f'check = grading_check("{_escaped(course.path.resolve())}", "{assignment.id}")',
            END_HIDDEN,
            f'check("{exercise}", "{name}")',
        ]
    )


def without_hidden_tests(source: str) -> str:
    """A test cell's source as students see it: the hidden region removed, markers included."""
    kept, hidden = [], False
    for line in source.split("\n"):
        marker = line.strip()
        if marker == BEGIN_HIDDEN:
            hidden = True
        elif marker == END_HIDDEN:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def _metadata(
    grade_id: str, *, solution: bool = False, grade: bool = False, points: float = 0.0
) -> dict:
    metadata = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if grade:
        metadata["points"] = points
    return metadata


def _escaped(path: Path) -> str:
    """A path as the inside of a double-quoted Python string."""
    return str(path).replace("\\", "\\\\").replace('"', '\\"')
