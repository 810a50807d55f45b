"""`grader grade --nbgrader COURSE_DIR --assignment ID`: nbgrader submissions, graded by gradkit.

nbgrader's own `autograde` runs the tests inside the student's kernel. This grades the same
`submitted/<student>/<assignment>/<notebook>.ipynb` files with gradkit's engine instead (the
student's code in the sandbox, the checks outside it), then writes what nbgrader's autograde
would have written: scores, comments and late penalties into the gradebook
(`grader.nbgrader.gradebook`) and the autograded notebooks (`grader.nbgrader.autograded`). Both
are written for each student as their result arrives, while the sandboxes grade the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grader.course.config import Assignment, Course
from grader.course.submissions import Submission, submission_at
from grader.grading.results import GradingResult, SubmissionResult
from grader.grading.run import EarlySessions, grade
from grader.nbgrader.autograded import test_cells, write_autograded
from grader.nbgrader.coursedir import CourseDirectoryError, open_course_directory
from grader.nbgrader.gradebook import GradebookWriter, GradedStudent, check_gradebook
from grader.student.notebooks import notebook_name


@dataclass(frozen=True)
class NbgraderGrading:
    """The grading of an nbgrader assignment, and what the instructor should know about it."""

    result: GradingResult
    notes: list[str] = field(default_factory=list)


def grade_course_directory(
    course: Course,
    root: Path,
    assignment: Assignment,
    *,
    jobs: int | None = None,
    early: EarlySessions | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[SubmissionResult], None] | None = None,
) -> NbgraderGrading:
    """Grade every submission of `assignment` in the nbgrader course directory `root`.

    `on_start` hears how many students submitted, `on_result` each one's result as it comes.
    `early`, when given, are the grading sessions to use, already started (see `grade`).
    """
    directory = open_course_directory(root)
    name = notebook_name(assignment)
    notebook_id = Path(name).stem
    master_file = directory.path("source", ".", assignment.id) / name
    if not master_file.is_file():
        raise CourseDirectoryError(
            f"{master_file} does not exist; run `grader nbgrader build {root}` first."
        )
    check_gradebook(directory, assignment, notebook_id)
    folders = directory.student_folders(assignment.id)
    if not folders:
        raise CourseDirectoryError(
            f"{directory.path('submitted', '.', '.')} holds no submission of {assignment.id} "
            f"(expected <student>/{assignment.id}/{name}); run `nbgrader collect` first."
        )
    if on_start:
        on_start(len(folders))
    notes = [folder.problem for folder in folders if folder.problem]
    by_student = {folder.student: folder for folder in folders}
    master_tests = test_cells(nbformat.read(master_file, as_version=4))

    submitted_root = directory.submitted_root
    submissions = [
        _submission(submitted_root, folder.student, assignment, name) for folder in folders
    ]
    submitted = {s.student: s for s in submissions if s.missing is None}

    def record(result: SubmissionResult) -> None:
        # Runs in this process while the sandboxes grade the next submissions.
        folder = by_student[result.student]
        submission = submitted.get(folder.student)
        writer.record(GradedStudent(folder, result, submission is not None))
        if submission is not None:
            destination = directory.path("autograded", folder.student, assignment.id)
            problem = write_autograded(submission, destination, master_tests, result)
            if problem:
                notes.append(problem)
        if on_result:
            on_result(result)

    with GradebookWriter(directory, assignment, notebook_id) as writer:
        result = grade(course, assignment, submissions, jobs=jobs, on_result=record, early=early)
    return NbgraderGrading(result, notes)


def _submission(root: Path, student: str, assignment: Assignment, name: str) -> Submission:
    """The student's notebook below the submitted folder `root`; not read yet.

    Anything at the notebook's place counts as submitted, a link or a pipe too: reading it
    (`Submission.read`) refuses it with the reason, so the student is graded 0 and told why.
    """
    shown = f"{student}/{assignment.id}/{name}"
    path = root / shown
    if not os.path.lexists(path):
        reason = f"{shown} was not submitted; submit {name} to be graded."
        return Submission(student, path, "ipynb", shown, missing=reason)
    return submission_at(path, student, display=shown)
