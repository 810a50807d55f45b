"""What an autograder test cell runs when nbgrader's own `nbgrader autograde` executes it.

The hidden part of each test cell (see `grader.nbgrader.build`) rebinds `check` to
`grading_check(course_file, assignment)`. Called as `check(exercise, notebook)`, it grades the
notebook *file* nbgrader is executing (the submission as nbgrader sanitised it) with gradkit's
engine: every public and hidden check, the course's seed, the student's code in the sandbox. It
prints what the checks said and returns the exercise's points, which nbgrader reads as the cell's
partial credit. The points are therefore those `grader grade` gives the same notebook.

The whole notebook is graded once, by the first test cell that runs; the other cells read the
same result (kept per file content, so an edited file is graded again).

nbgrader runs these cells in the student's own kernel, after the student's code: code that
tampers with the kernel (this module included) can still change what a cell returns. That is
nbgrader's design; `grader grade --nbgrader` grades outside the student's kernel and is the
path to use when that matters. Nothing here writes to stderr, which nbgrader scores as 0.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from grader.grading.results import SubmissionResult
from grader.nbgrader.feedback import feedback_text

_graded: dict[tuple[str, str, str], SubmissionResult] = {}


def grading_check(course_file: str, assignment_id: str) -> Callable[[str, str], float]:
    """The `check` of a test cell at grading time: `check(exercise, notebook)` -> points."""

    def check(exercise: str, notebook: str) -> float:
        result = graded_notebook(course_file, assignment_id, Path(notebook))
        if isinstance(result, str):
            print(f"{exercise}: not graded: {result}")
            return 0.0
        outcome = result.exercises.get(exercise)
        if outcome is None:
            print(f"{exercise}: 0 points: {result.error or 'this exercise was not graded.'}")
            return 0.0
        print(feedback_text(outcome))
        return outcome.points

    return check


def graded_notebook(course_file: str, assignment_id: str, notebook: Path) -> SubmissionResult | str:
    """The grading of `notebook` (cached by content), or a sentence saying why there is none."""
    from grader.course.config import CourseError, load_course
    from grader.course.submissions import submission_at
    from grader.grading.run import GradingError, grade

    try:
        data = notebook.read_bytes()
    except OSError as error:
        return f"{notebook} could not be read ({error.strerror or error})."
    key = (course_file, assignment_id, hashlib.sha256(data).hexdigest())
    if key not in _graded:
        try:
            course = load_course(course_file)
            assignment = course.assignment(assignment_id)
            submission = submission_at(notebook, notebook.stem)
            _graded[key] = grade(course, assignment, [submission], jobs=1).submissions[0]
        except (CourseError, GradingError) as error:
            return str(error)
    return _graded[key]
