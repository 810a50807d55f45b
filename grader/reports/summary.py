"""The console summary of a grading run: one row per student, and the class's mean and median.

Student ids and error messages come from submissions, so they are passed through `printable`
(no escape sequence reaches the terminal) and handed to rich as `Text`, never as markup
strings: a file named `[red]x.py` must print as it is.

The statistics and the legend are printed after the table, one short phrase per line, rather
than as its caption: a caption wraps at the table's width, which cut them in mid-phrase.
"""

from __future__ import annotations

import statistics

from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.grading.results import ExerciseResult, GradingResult, SubmissionResult
from grader.reports.text import format_points, plural, printable

FULL, PARTIAL, NONE, PRACTICE = "█", "▄", "▁", "○"
ERROR_WIDTH = 60


def summary_table(result: GradingResult) -> Table:
    """A table of the run: student, points / max, one bar per exercise, the error if any.

    The title names the assignment and the isolation level reached; `summary_lines` gives the
    mean and median points and the bars' legend.
    """
    title = Text(printable(f"{result.assignment}: grades (sandbox isolation: {result.isolation})"))
    table = Table(title=title)
    table.add_column("student", no_wrap=True)
    table.add_column("points", justify="right", no_wrap=True)
    table.add_column("exercises at full marks", no_wrap=True)
    table.add_column("error", overflow="fold")
    for submission in result.submissions:
        table.add_row(
            Text(printable(submission.student)),
            f"{format_points(submission.points)} / {format_points(submission.max_points)}",
            _exercise_bars(submission),
            _error(submission),
        )
    return table


def summary_lines(result: GradingResult) -> list[Text]:
    """The lines under the table: how many submissions, the statistics, the bars' legend."""
    if not result.submissions:
        return [Text("no submissions")]
    points = [submission.points for submission in result.submissions]
    errors = sum(1 for submission in result.submissions if submission.error)
    lines = [Text(f"{plural(len(points), 'submission')}, {errors} with an error")]
    if result.max_points:
        maximum = format_points(result.max_points)
        lines.append(
            Text(
                f"mean {format_points(statistics.mean(points))} / {maximum}, "
                f"median {format_points(statistics.median(points))} / {maximum}"
            )
        )
    else:
        lines.append(Text("practice only: no exercise is worth points"))
    legend = f"{FULL} full marks, {PARTIAL} partial, {NONE} none"
    if any(not e.max_points for s in result.submissions for e in s.exercises.values()):
        legend += f", {PRACTICE} practice (no points; green when its checks pass)"
    lines.append(Text(legend))
    return lines


def render_summary(result: GradingResult, console: Console) -> None:
    """Print the summary table of `result` on `console`, and the lines under it."""
    console.print(summary_table(result))
    for line in summary_lines(result):
        console.print(line)


def _exercise_bars(submission: SubmissionResult) -> Text:
    exercises = list(submission.exercises.values())
    bars = Text()
    for exercise in exercises:
        bars.append(*_bar(exercise))
    graded = [exercise for exercise in exercises if exercise.max_points]
    full = sum(1 for exercise in graded if _is_full(exercise))
    bars.append(f" {full}/{len(graded)}")
    return bars


def _bar(exercise: ExerciseResult) -> tuple[str, str]:
    if not exercise.max_points:
        passed = bool(exercise.checks) and all(check.passed for check in exercise.checks)
        return PRACTICE, "green" if passed else "red"
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
    error = printable(submission.error)
    if len(error) > ERROR_WIDTH:
        error = error[: ERROR_WIDTH - 1] + "…"
    return Text(error, style="red")
