"""Scores, feedback and lateness of gradkit's grading, written into an nbgrader gradebook.

Everything goes through nbgrader's own `Gradebook` API, as `nbgrader autograde` writes it, so
that `nbgrader export`, formgrader and `generate_feedback` read gradkit's grades as autograded
scores:

- each exercise's points are the `auto_score` of its autograder test cell (`<exercise>-checks`);
  a cell with a manual score is flagged for review, as nbgrader flags it;
- each exercise's feedback (`grader.nbgrader.feedback`) is the `auto_comment` of its solution
  cell: check names and messages, never check source;
- the submission's time is `timestamp.txt`'s; when it is past the due date, the late penalty is
  the one the course's configured `AssignLatePenalties.plugin_class` gives, bounded as nbgrader
  bounds it;
- a student whose submission has no notebook is left out of the gradebook, as nbgrader leaves
  them out (grades.json records their 0 and the reason).
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import AssignLatePenalties
from sqlalchemy.exc import SAWarning

from grader.course import Assignment
from grader.nbgrader.build import checks_grade_id
from grader.nbgrader.coursedir import NbgraderCourse, StudentFolder
from grader.nbgrader.feedback import feedback_text
from grader.results import SubmissionResult


class GradebookError(Exception):
    """The gradebook does not match the course; `str()` says what to run."""


@dataclass(frozen=True)
class GradedStudent:
    """What to record for one student: their folder, gradkit's result, whether a notebook came."""

    folder: StudentFolder
    result: SubmissionResult
    submitted: bool


def check_gradebook(course: NbgraderCourse, assignment: Assignment, notebook: str) -> None:
    """Make sure the gradebook exists and knows the assignment and its test cells with
    course.toml's points.

    A missing SQLite gradebook is reported, not created: nbgrader creates it (with the alembic
    version table it needs later) when it generates the assignment.
    """
    rebuild = (
        f"run `grader nbgrader build {course.root}` and `nbgrader generate_assignment "
        f"{assignment.id} --force` in it"
    )
    database = course.db_url.removeprefix("sqlite:///")
    if course.db_url.startswith("sqlite:///") and not Path(database).is_file():
        raise GradebookError(
            f"{database} does not exist; run `nbgrader generate_assignment {assignment.id}` in "
            f"{course.root} first (after `grader nbgrader build {course.root}`)."
        )
    _alembic_on_path()
    with Gradebook(course.db_url, course.course_id) as gradebook:
        try:
            gradebook.find_notebook(notebook, assignment.id)
        except MissingEntry:
            raise GradebookError(
                f"the gradebook of {course.root} has no notebook {notebook} in assignment "
                f"{assignment.id}; {rebuild} first."
            ) from None
        for exercise in assignment.exercises:
            try:
                cell = gradebook.find_grade_cell(
                    checks_grade_id(exercise.id), notebook, assignment.id
                )
            except MissingEntry:
                raise GradebookError(
                    f"the gradebook has no test cell {checks_grade_id(exercise.id)} in "
                    f"{assignment.id}/{notebook}; {rebuild}."
                ) from None
            if abs(cell.max_score - exercise.points) > 1e-9:
                raise GradebookError(
                    f"test cell {checks_grade_id(exercise.id)} is worth {cell.max_score:g} points "
                    f"in the gradebook but {exercise.points:g} in course.toml; {rebuild}."
                )


def _alembic_on_path() -> None:
    """Put this environment's bin first on PATH: nbgrader's Gradebook runs the `alembic`
    command, which an unactivated virtual environment does not put on PATH."""
    bin_folder = str(Path(sys.executable).parent)
    path = os.environ.get("PATH", "")
    if bin_folder not in path.split(os.pathsep):
        os.environ["PATH"] = bin_folder + os.pathsep + path


class GradebookWriter:
    """An open gradebook that records students one by one, as their grading comes in.

    Used as a context manager: the gradebook session and the late-penalty plugin are set up
    once, each `record` writes one student (nbgrader's API commits as it goes), and leaving
    the block commits the rest and closes the database.
    """

    def __init__(self, course: NbgraderCourse, assignment: Assignment, notebook: str) -> None:
        self.course = course
        self.assignment = assignment
        self.notebook = notebook
        self._late = AssignLatePenalties(config=course.config)
        self._late.init_plugin()
        self._gradebook = Gradebook(course.db_url, course.course_id)
        self._warnings = warnings.catch_warnings()
        self._students: set[str] = set()

    def __enter__(self) -> GradebookWriter:
        self._warnings.__enter__()
        # nbgrader's add_submission trips SQLAlchemy's autoflush warnings (under its own
        # autograde too); they say nothing the instructor can act on.
        warnings.simplefilter("ignore", SAWarning)
        self._gradebook.__enter__()
        self._students = {student.id for student in self._gradebook.students}
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            if exc_info[0] is None:
                self._gradebook.db.commit()
            self._gradebook.__exit__(*exc_info)
        finally:
            self._warnings.__exit__(*exc_info)

    def record(self, entry: GradedStudent) -> None:
        """Write one student's scores, comments, submission time and late penalty."""
        gradebook, assignment, student = self._gradebook, self.assignment, entry.folder.student
        if student not in self._students:
            gradebook.add_student(student)
            self._students.add(student)
        if entry.folder.timestamp is not None:
            submission = gradebook.update_or_create_submission(
                assignment.id, student, timestamp=entry.folder.timestamp
            )
        else:
            submission = gradebook.update_or_create_submission(assignment.id, student)
        # The submission's own rows, reached through its relationships: one query per notebook
        # instead of one per cell (find_grade and find_comment query from the top each time).
        notebook = next(nb for nb in submission.notebooks if nb.name == self.notebook)
        grades = {grade.name: grade for grade in notebook.grades}
        comments = {comment.name: comment for comment in notebook.comments}
        for exercise in assignment.exercises:
            grade = grades[checks_grade_id(exercise.id)]
            outcome = entry.result.exercises.get(exercise.id) if entry.submitted else None
            grade.auto_score = outcome.points if outcome is not None else 0.0
            grade.needs_manual_grade = entry.submitted and grade.manual_score is not None
            comment = comments.get(exercise.id)  # None: the instructor made it a plain cell
            if comment is not None:
                comment.auto_comment = (
                    feedback_text(outcome)
                    if outcome is not None
                    else entry.result.error or "No response."
                )
        gradebook.db.flush()
        notebook.late_submission_penalty = None
        if submission.total_seconds_late > 0:
            penalty = self._late.plugin_inst.late_submission_penalty(
                student, notebook.score, submission.total_seconds_late
            )
            if penalty is not None:
                # nbgrader's bounds: never negative, never more than the notebook scored.
                notebook.late_submission_penalty = min(max(penalty, 0.0), notebook.score)
