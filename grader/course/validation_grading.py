"""What `grader validate` learns by grading the course's own files as students' files are graded.

The reference solution twice and the stub module are graded in one run of the real engine
(`grader.grading.run.grade`: session processes, the full sandbox). The reference must pass every
check, public and hidden; the stub, which only raises NotImplementedError, must pass none (a
check it passes gives points for nothing); and both gradings of the reference, under the same
student id and so with the same hidden inputs, in two session processes where there are two
jobs, must agree check by check, points and messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.course.config import Assignment, Course
from grader.course.model import shown
from grader.course.submissions import submission_at
from grader.grading.results import CheckResult, SubmissionResult
from grader.grading.run import GradingError, grade

REFERENCE = "(reference)"
STUB = "(stub)"


@dataclass
class Graded:
    """The sandbox's grades of the reference (twice) and the stub, and what is wrong with them."""

    problems: list[str] = field(default_factory=list)
    reference: list[SubmissionResult] = field(default_factory=list)
    stub: SubmissionResult | None = None
    # Checks whose two gradings of the reference differ: name -> the two outcomes in words.
    differing: dict[str, str] = field(default_factory=dict)


def grade_own_files(
    course: Course, assignment: Assignment, where: dict[str, str], jobs: int | None = None
) -> Graded:
    """Grade the reference twice and the stub; `where` gives each check's file and line."""
    graded = Graded()
    reference = submission_at(assignment.solution, REFERENCE)
    stub = submission_at(assignment.module, STUB)
    # Round-robin: with two jobs the two references go to two session processes.
    try:
        result = grade(course, assignment, [reference, reference, stub], jobs=jobs)
    except GradingError as error:
        # A session's problem may carry pytest's whole report; its last line says what failed.
        lines = [line.removeprefix("INTERNALERROR>").strip() for line in str(error).splitlines()]
        said = next((line for line in reversed(lines) if line), "no reason given")
        graded.problems.append(
            f"the checks of {assignment.id} could not grade the reference and the stub "
            f"({_one_line(said)}); fix what that names."
        )
        return graded
    graded.reference = [s for s in result.submissions if s.student == REFERENCE]
    graded.stub = next((s for s in result.submissions if s.student == STUB), None)
    solution, module = shown(assignment.solution), shown(assignment.module)
    for run in graded.reference[:1]:
        if run.error:
            graded.problems.append(
                f"{solution}: the reference solution could not be graded ({_one_line(run.error)}); "
                "fix it so that it runs in the sandbox."
            )
        for check in _checks(run):
            if not check.passed:
                graded.problems.append(
                    f"{_at(where, check)}: the check {check.name} of {check.exercise} fails on "
                    f"the reference solution {solution} ({_one_line(check.message)}); fix the "
                    "check or the solution."
                )
    if graded.stub is not None and graded.stub.error:
        graded.problems.append(
            f"{module}: the stub could not be graded ({_one_line(graded.stub.error)}); students "
            "start from it, so make it run."
        )
    elif graded.stub is not None:
        for check in _checks(graded.stub):
            if check.passed:
                graded.problems.append(
                    f"{_at(where, check)}: the check {check.name} of {check.exercise} passes on "
                    f"the stub {module}, which students start from, so it gives points for work "
                    "not done; make it fail unless the student's function answers right."
                )
    if len(graded.reference) == 2:
        graded.differing = differing_checks(*graded.reference)
    return graded


def differing_checks(first: SubmissionResult, second: SubmissionResult) -> dict[str, str]:
    """The checks whose outcome (points or message) differs between two gradings, in words."""
    other = {(check.exercise, check.name): check for check in _checks(second)}
    differing = {}
    for check in _checks(first):
        again = other.get((check.exercise, check.name))
        if again is None or (again.points, again.message) != (check.points, check.message):
            differing[check.name] = f"{_outcome(check)}, then {_outcome(again)}"
    return differing


def _checks(result: SubmissionResult) -> list[CheckResult]:
    return [check for exercise in result.exercises.values() for check in exercise.checks]


def _outcome(check: CheckResult | None) -> str:
    if check is None:
        return "not run"
    return "passed" if check.passed else f"failed ({_one_line(check.message, 80)})"


def _at(where: dict[str, str], check: CheckResult) -> str:
    return where.get(check.name, check.name)


def _one_line(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 3] + "..."
