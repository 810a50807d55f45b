"""The console summary of a grading run: one row per student, and the class's mean and median.

Student ids and error messages come from submissions, so they are always handed to rich as
`Text`, never as markup strings: a file named `[red]x.py` must print as it is.
"""

from __future__ import annotations

import statistics

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.reports.grades import format_points
from grader.results import ExerciseResult, GradingResult, SubmissionResult

FULL, PARTIAL, NONE = "█", "▄", "▁"
ERROR_WIDTH = 60


def summary_table(result: GradingResult) -> Table:
    """A table of the run: student, points / max, one bar per exercise, the error if any.

    The title names the assignment and the isolation level reached; the caption gives the mean
    and median points and the bars' legend.
    """
    title = Text(f"{result.assignment}: grades (sandbox isolation: {result.isolation})")
    table = Table(title=title, caption=_caption(result), caption_justify="left")
    table.add_column("student", no_wrap=True)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("exercises at full marks", no_wrap=True)
    table.add_column("error", overflow="fold")
    for submission in result.submissions:
        table.add_row(
            Text(submission.student),
            f"{format_points(submission.points)} / {format_points(submission.max_points)}",
            _exercise_bars(submission),
            _error(submission),
        )
    return table


def render_summary(result: GradingResult, console: Console) -> None:
    """Print the summary table of `result` on `console`."""
    console.print(summary_table(result))


def _exercise_bars(submission: SubmissionResult) -> Text:
    exercises = list(submission.exercises.values())
    bars = Text()
    for exercise in exercises:
        bars.append(*_bar(exercise))
    full = sum(1 for exercise in exercises if _is_full(exercise))
    bars.append(f" {full}/{len(exercises)}")
    return bars


def _bar(exercise: ExerciseResult) -> tuple[str, str]:
    if _is_full(exercise):
        return FULL, "green"
    if exercise.points > 0:
        return PARTIAL, "yellow"
    return NONE, "red"


def _is_full(exercise: ExerciseResult) -> bool:
    return exercise.max_points > 0 and exercise.points >= exercise.max_points


def _error(submission: SubmissionResult) -> Text:
    if not submission.error:
        return Text("")
    error = submission.error
    if len(error) > ERROR_WIDTH:
        error = error[: ERROR_WIDTH - 1] + "…"
    return Text(error, style="red")


def _caption(result: GradingResult) -> Text:
    if not result.submissions:
        return Text("no submissions")
    points = [submission.points for submission in result.submissions]
    maximum = format_points(result.max_points)
    errors = sum(1 for submission in result.submissions if submission.error)
    return Text(
        f"{len(points)} submissions, {errors} with an error; "
        f"mean {_two_places(statistics.mean(points))} / {maximum}, "
        f"median {_two_places(statistics.median(points))} / {maximum}; "
        f"{FULL} full marks, {PARTIAL} partial, {NONE} none"
    )


def _two_places(points: float) -> str:
    return format_points(round(points, 2))
