"""Scores, feedback and lateness of gradkit's grading, written into an nbgrader gradebook.

Everything is written with nbgrader's own database models, in the rows `nbgrader autograde`
writes, so that `nbgrader export`, formgrader and `generate_feedback` read gradkit's grades as
autograded scores:

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

from nbgrader.api import (
    Comment,
    Grade,
    Gradebook,
    MissingEntry,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
)
from nbgrader.preprocessors import AssignLatePenalties
from nbgrader.utils import parse_utc
from sqlalchemy.exc import SAWarning
from sqlalchemy.orm import selectinload

from grader.course.config import Assignment
from grader.grading.results import SubmissionResult
from grader.nbgrader.build import checks_grade_id
from grader.nbgrader.coursedir import NbgraderCourse, StudentFolder
from grader.nbgrader.feedback import feedback_text


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

    Used as a context manager. nbgrader's own API commits after every row it adds (a student, a
    submission), and each commit reloads what the next call reads: tens of ms per student, more
    than grading them. The writer instead keeps one session and writes nbgrader's models itself:
    a new submission gets the rows `Gradebook.add_submission` would give it, an existing one is
    loaded with its grades and comments in one go, and the work is committed every
    `COMMIT_EVERY` students and on leaving the block, so that an interrupted run keeps what it
    committed.
    """

    COMMIT_EVERY = 100

    def __init__(self, course: NbgraderCourse, assignment: Assignment, notebook: str) -> None:
        self.course = course
        self.assignment = assignment
        self.notebook = notebook
        self._late = AssignLatePenalties(config=course.config)
        self._late.init_plugin()
        self._gradebook = Gradebook(course.db_url, course.course_id)
        self._warnings = warnings.catch_warnings()
        self._students: set[str] = set()
        self._submitted: set[str] = set()
        self._uncommitted = 0

    def __enter__(self) -> GradebookWriter:
        self._warnings.__enter__()
        # nbgrader's models trip SQLAlchemy's autoflush warnings (under its own autograde too);
        # they say nothing the instructor can act on.
        warnings.simplefilter("ignore", SAWarning)
        self._gradebook.__enter__()
        self._db = self._gradebook.db
        # Rows stay as written when committed: this writer is their only user meanwhile, and
        # reloading them after each commit is what made nbgrader's API slow here.
        self._db().expire_on_commit = False
        self._assignment_row = self._gradebook.find_assignment(self.assignment.id)
        self._notebook_row = self._gradebook.find_notebook(self.notebook, self.assignment.id)
        # Loaded once, so that every grade and comment finds its cell without a query.
        for notebook in self._assignment_row.notebooks:
            _ = notebook.grade_cells, notebook.solution_cells, notebook.task_cells
        self._students = {student_id for (student_id,) in self._db.query(Student.id)}
        self._submitted = {
            student_id
            for (student_id,) in self._db.query(SubmittedAssignment.student_id).filter(
                SubmittedAssignment.assignment_id == self._assignment_row.id
            )
        }
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            if exc_info[0] is None:
                self._db.commit()
            self._gradebook.__exit__(*exc_info)
        finally:
            self._warnings.__exit__(*exc_info)

    def record(self, entry: GradedStudent) -> None:
        """Write one student's scores, comments, submission time and late penalty."""
        submission, notebook = self._submission(entry.folder)
        grades = {grade.name: grade for grade in notebook.grades}
        comments = {comment.name: comment for comment in notebook.comments}
        for exercise in self.assignment.exercises:
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
        notebook.late_submission_penalty = None
        if submission.total_seconds_late > 0:
            self._db.flush()  # the notebook's score is computed by the database
            penalty = self._late.plugin_inst.late_submission_penalty(
                entry.folder.student, notebook.score, submission.total_seconds_late
            )
            if penalty is not None:
                # nbgrader's bounds: never negative, never more than the notebook scored.
                notebook.late_submission_penalty = min(max(penalty, 0.0), notebook.score)
        self._uncommitted += 1
        if self._uncommitted >= self.COMMIT_EVERY:
            self._db.commit()
            self._uncommitted = 0

    def _submission(self, folder: StudentFolder) -> tuple[SubmittedAssignment, SubmittedNotebook]:
        """The student's submission of the assignment and its notebook, created as nbgrader's
        `add_submission` creates them if the gradebook has none yet."""
        student = folder.student
        if student in self._submitted:
            notebook = (
                self._db.query(SubmittedNotebook)
                .join(SubmittedAssignment)
                .filter(
                    SubmittedAssignment.assignment_id == self._assignment_row.id,
                    SubmittedAssignment.student_id == student,
                    SubmittedNotebook.notebook_id == self._notebook_row.id,
                )
                .options(
                    selectinload(SubmittedNotebook.grades), selectinload(SubmittedNotebook.comments)
                )
                .one()
            )
            submission = notebook.assignment
            if folder.timestamp is not None:
                submission.timestamp = parse_utc(folder.timestamp)
            return submission, notebook
        if student not in self._students:
            self._db.add(Student(id=student))
            self._students.add(student)
        submission = SubmittedAssignment(assignment=self._assignment_row, student_id=student)
        if folder.timestamp is not None:
            submission.timestamp = parse_utc(folder.timestamp)
        for notebook in self._assignment_row.notebooks:
            submitted = SubmittedNotebook(notebook=notebook, assignment=submission)
            for cell in notebook.grade_cells:
                Grade(cell=cell, notebook=submitted)
            for cell in notebook.solution_cells:
                Comment(cell=cell, notebook=submitted)
            for cell in notebook.task_cells:
                Comment(cell=cell, notebook=submitted)
                Grade(cell=cell, notebook=submitted)
        self._db.add(submission)
        self._submitted.add(student)
        notebook = next(nb for nb in submission.notebooks if nb.notebook is self._notebook_row)
        return submission, notebook
