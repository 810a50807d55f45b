"""What the commands share: usage errors, the progress bar, the output folder and its grades."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

if TYPE_CHECKING:
    from grader.course.config import Assignment, Course
    from grader.grading.results import GradingResult
    from grader.reports.merge import Earlier

USAGE_ERROR = 2
INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command Ctrl-C stopped
# Piped or redirected, the summary has no terminal width to fit: rich would assume 80 columns and
# wrap its cells, so it gets lines as long as they need to be.
PIPED_WIDTH = 1000


class UsageError(Exception):
    """A mistake in how the command was called; `str()` is the one sentence to print."""


def grading_progress(console: Console) -> Progress:
    """The progress bar of a grading run, on `console`."""
    return Progress(
        TextColumn("[bold]grading {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


@dataclass(frozen=True)
class OutFolder:
    """Where grading writes, checked before grading: the folder, the grades already there to
    merge with (None: nothing to keep), and whether --replace writes over earlier grades."""

    folder: Path
    earlier: Earlier | None
    replacing: bool


def prepare_out(
    folder: Path, course: Course, assignment: Assignment, *, replace: bool
) -> OutFolder:
    """Check, before any grading, that `folder` can take this assignment's grades.

    A file or an unwritable folder, or a grades.json of another course or assignment (or of
    other points, unless `replace`), is a `UsageError` now rather than a lost run later.
    """
    from grader.grading.journal import JOURNAL_NAME
    from grader.reports.grades import CSV_NAME, JSON_NAME
    from grader.reports.merge import MergeError, read_earlier
    from grader.reports.outputs import OutputError, check_output_folder

    try:
        check_output_folder(folder, "--out", files=(JSON_NAME, CSV_NAME, JOURNAL_NAME))
        earlier = read_earlier(
            folder / JSON_NAME,
            course=course.id,
            assignment=assignment.id,
            max_points=assignment.max_points,
            replace=replace,
        )
    except (OutputError, MergeError) as error:
        raise UsageError(str(error)) from None
    return OutFolder(folder, earlier, replace and (folder / JSON_NAME).is_file())


def report_grades(
    result: GradingResult, assignment: Assignment, out: OutFolder, console: Console
) -> None:
    """Warn about weak isolation, merge with the earlier grades and write grades.json/csv into
    the folder, show the summary table of this run and what became of the earlier grades."""
    from grader.reports.grades import JSON_NAME
    from grader.reports.merge import describe, merge
    from grader.reports.summary import render_summary

    if result.isolation != "full":
        console.print(
            f"[yellow]warning:[/] sandbox isolation is {result.isolation}; "
            "install bubblewrap (Linux) for full isolation.",
            highlight=False,
        )
    merged = merge(result, out.earlier)
    json_path, csv_path = _write(merged.result, assignment, out.folder)
    summary = stdout_console()
    render_summary(result, summary)
    if out.earlier is not None or out.replacing:
        summary.print(Text(describe(merged, out.folder / JSON_NAME, replace=out.replacing)))
    console.print(Text(f"wrote {json_path} and {csv_path}"))


def stdout_console() -> Console:
    """The console for the summary: the terminal's width, or any width when piped."""
    console = Console()
    return console if console.is_terminal else Console(width=PIPED_WIDTH)


def _write(result: GradingResult, assignment: Assignment, folder: Path) -> tuple[Path, Path]:
    """Write the grades into `folder`; if that fails after all (the disk filled up, the folder
    was removed while grading), into a new temporary folder, and say so: grades are never lost."""
    from grader.reports.grades import write_grades

    exercise_ids = [exercise.id for exercise in assignment.exercises]
    try:
        return write_grades(result, folder, exercise_ids=exercise_ids)
    except OSError as error:
        rescue = Path(tempfile.mkdtemp(prefix="gradkit-grades-"))
        json_path, _ = write_grades(result, rescue, exercise_ids=exercise_ids)
        reason = error.strerror or type(error).__name__
        raise UsageError(
            f"the grades could not be written into {folder} ({reason}), so they were written "
            f"to {json_path.parent} instead; copy them from there."
        ) from None
