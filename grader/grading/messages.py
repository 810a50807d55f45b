"""The sentences a student reads about their submission as a whole and about a failed check.

Said once per submission where a cause stops every exercise (an empty file, a file that could
not run, one defining no exercise), so that the checks refer to it instead of each guessing.
"""

from __future__ import annotations

from collections.abc import Sequence

from grader.course.config import Assignment
from grader.course.submissions import Submission, SubmissionCode
from grader.grading.marker import CheckFailure
from grader.grading.proxy import NOT_DEFINED, cell_of_line, line_number
from grader.grading.results import SubmissionResult
from grader.reports.text import sentence
from grader.sandbox.runner import LoadReport


def check_failure_message(failure: BaseException) -> str:
    """What the student reads about a failed check: its own sentence, or that the check broke."""
    if isinstance(failure, CheckFailure):
        return str(failure)
    if isinstance(failure, AssertionError):
        return str(failure).split("\n")[0] or "the check's condition did not hold."
    # A fault in the check itself, not the student's: say so rather than blame the submission.
    return (
        f"this check could not judge your answer ({type(failure).__name__}: "
        f"{str(failure)[:200]}); please tell your instructor."
    )


def describe_cell_error(submission: Submission, entry: dict, cells: Sequence[str] = ()) -> str:
    """One sentence on the error that stopped a .py file, or a notebook's cell, from running.

    Python's own text of a SyntaxError ends with its location, "(name.py, line 1)", which the
    sentence already gives: that suffix is left out, so the location is said once. In a
    notebook the line may be in another cell (a function the cell called): `cells` tells which.
    """
    kind, where = str(entry.get("type") or "an error"), str(entry.get("where") or "")
    notebook = submission.kind == "ipynb"
    cell = entry.get("cell") if isinstance(entry.get("cell"), int) else 0
    compiled = submission.source.name + (f" (cell {cell})" if notebook else "")
    message = str(entry.get("message") or "").removesuffix(f" ({compiled}, {where})")
    detail = f" ({message})" if message else ""
    if kind in _SYNTAX_ERRORS:
        what = f"a {kind}{' at ' + where if where else ''}{detail}"
    elif notebook and where:
        found = cell_of_line(cells, where, running=cell)
        if found is None:  # the cells' text does not tell: never name a wrong cell
            line = line_number(where) or 0
            own = 0 < cell <= len(cells) and line <= len(cells[cell - 1].splitlines())
            place = "this cell or of a function it called" if own else "a function it called"
            what = f"it raised {kind}{detail} at {where} of {place}"
        else:
            of = "" if found == cell else f" of code cell {found}"
            what = f"{where}{of} raised {kind}{detail}"
    else:
        what = f"{where or 'a line'} raised {kind}{detail}"
    if notebook:
        return sentence(f"{submission.display}, code cell {cell}: {what}")
    joint = " because of " if kind in _SYNTAX_ERRORS else ": "
    return f"{submission.display} could not be run{joint}{what}; fix it and submit it again."


_SYNTAX_ERRORS = frozenset({"SyntaxError", "IndentationError", "TabError"})


def nothing_to_run(submission: Submission, code: SubmissionCode) -> str | None:
    """The sentence for a submission holding no code at all (empty, or only comments)."""
    lines = [line.strip() for cell in code.cells for line in cell.splitlines()]
    if not any(lines):
        return f"{submission.display} is empty: submit your completed exercises file."
    if all(not line or line.startswith("#") for line in lines):
        return (
            f"{submission.display} holds only comments, no code: submit your completed "
            "exercises file."
        )
    return None


def no_exercise(assignment: Assignment, submission: Submission, load: LoadReport) -> str | None:
    """The sentence for a submission that ran but defines none of the assignment's exercises
    (another assignment's file, or the wrong file), said once rather than by every check."""
    exercises = [exercise.id for exercise in assignment.exercises]
    if set(exercises) & set(load.functions) or load.errors:
        return None
    return f"{submission.display}{_defines_none(assignment)}"


def _defines_none(assignment: Assignment) -> str:
    exercises = ", ".join(exercise.id for exercise in assignment.exercises)
    return (
        f" defines none of the exercises of {assignment.id} ({exercises}): submit your completed "
        f"{assignment.id} file."
    )


def defines_no_exercise(result: SubmissionResult, assignment: Assignment) -> bool:
    """Whether a graded submission defines none of the assignment's exercises: `no_exercise`
    said so, or (a notebook whose cells raised) every check found its function missing."""
    if result.error is not None and result.error.endswith(_defines_none(assignment)):
        return True
    checks = [check for exercise in result.exercises.values() for check in exercise.checks]
    return bool(checks) and all(
        check.message.startswith(f"{check.exercise}{NOT_DEFINED}") for check in checks
    )
