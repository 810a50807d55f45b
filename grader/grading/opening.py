"""Opening one submission: its sandbox started and its code run, or why it could not run.

The sentences it returns are the student's: a file that could not be read, a notebook with no
code, a `.py` whose code raised, a submission that defines none of the exercises.
"""

from __future__ import annotations

from grader.course.config import Assignment
from grader.course.submissions import Submission, SubmissionCode
from grader.grading.messages import describe_cell_error, no_exercise, nothing_to_run
from grader.reports.text import sentence
from grader.sandbox.launcher import Template
from grader.sandbox.plan import CallPlan
from grader.sandbox.runner import LoadReport, RunLimits, SubmissionRunner


def open_submission(
    assignment: Assignment,
    template: Template,
    submission: Submission,
    code: SubmissionCode,
    plan: CallPlan | None,
    record: list[bytes] | None,
) -> tuple[SubmissionRunner | None, LoadReport, str | None, list[str]]:
    """Start the submission's sandbox and run its code: the runner (None when nothing could
    run), what loading it found, the error that stops its grading, and notes about it."""
    if code.error:
        return None, LoadReport((), ()), code.error, []
    if nothing := nothing_to_run(submission, code):  # no sandbox is needed to tell
        return None, LoadReport((), ()), nothing, []
    limits = assignment.limits
    runner = SubmissionRunner(
        template,
        code.cells,
        submission.source.name,
        notebook=submission.kind == "ipynb",
        limits=RunLimits(limits.seconds_per_call, limits.seconds_per_submission, limits.memory_mb),
        plan=plan,
        record=record,
    )
    load = runner.load()
    if load.failure:
        failed = sentence(f"{submission.display}: running your code {load.failure}")
        return runner, load, failed, []
    notes = [describe_cell_error(submission, entry, code.cells) for entry in load.errors]
    if notes and submission.kind == "py":
        return runner, load, notes[0], []
    return runner, load, no_exercise(assignment, submission, load), notes
