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
- a student whose notebook is missing scores 0 on every cell, as in nbgrader.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

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
    """Make sure the gradebook knows the assignment and its test cells with course.toml's points."""
    rebuild = (
        f"run `grader nbgrader build {course.root}` and `nbgrader generate_assignment "
        f"{assignment.id} --force` in it"
    )
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


def record_grades(
    course: NbgraderCourse, assignment: Assignment, notebook: str, graded: Sequence[GradedStudent]
) -> None:
    """Write every student's scores, comments and late penalty, in one gradebook session."""
    late = AssignLatePenalties(config=course.config)
    late.init_plugin()
    with warnings.catch_warnings(), Gradebook(course.db_url, course.course_id) as gradebook:
        # nbgrader's add_submission trips SQLAlchemy's autoflush warnings (under its own
        # autograde too); they say nothing the instructor can act on.
        warnings.simplefilter("ignore", SAWarning)
        for entry in graded:
            _record_student(gradebook, late, assignment, notebook, entry)
        gradebook.db.commit()


def _record_student(
    gradebook: Gradebook,
    late: AssignLatePenalties,
    assignment: Assignment,
    notebook: str,
    entry: GradedStudent,
) -> None:
    student = entry.folder.student
    gradebook.update_or_create_student(student)
    if entry.folder.timestamp is not None:
        submission = gradebook.update_or_create_submission(
            assignment.id, student, timestamp=entry.folder.timestamp
        )
    else:
        submission = gradebook.update_or_create_submission(assignment.id, student)
    for exercise in assignment.exercises:
        grade = gradebook.find_grade(checks_grade_id(exercise.id), notebook, assignment.id, student)
        outcome = entry.result.exercises.get(exercise.id)
        grade.auto_score = outcome.points if outcome is not None and entry.submitted else 0.0
        grade.needs_manual_grade = entry.submitted and grade.manual_score is not None
        try:
            comment = gradebook.find_comment(exercise.id, notebook, assignment.id, student)
        except MissingEntry:  # the instructor made the exercise's cell a plain one
            continue
        if outcome is not None and entry.submitted:
            comment.auto_comment = feedback_text(outcome)
        else:
            comment.auto_comment = entry.result.error or "No response."
    gradebook.db.flush()
    submitted_notebook = gradebook.find_submission_notebook(notebook, assignment.id, student)
    submitted_notebook.late_submission_penalty = None
    if submission.total_seconds_late > 0:
        penalty = late.plugin_inst.late_submission_penalty(
            student, submitted_notebook.score, submission.total_seconds_late
        )
        if penalty is not None:
            # nbgrader's bounds: never negative, never more than the notebook scored.
            submitted_notebook.late_submission_penalty = min(
                max(penalty, 0.0), submitted_notebook.score
            )
