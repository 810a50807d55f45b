"""The `grader` command: parses arguments, calls the library, prints. Nothing else lives here.

Exit status: 0 when the work ran (whatever the scores), 2 with one sentence for a usage mistake or
a problem in course.toml.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from grader import __version__

USAGE_ERROR = 2


class UsageError(Exception):
    """A mistake in how the command was called; `str()` is the one sentence to print."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `grader` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="grader",
        description="gradkit: grade derivative and gradient exercises in a sandbox.",
    )
    parser.add_argument("--version", action="version", version=f"gradkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    grade = commands.add_parser(
        "grade",
        help="grade submissions of one assignment",
        description="Run the public and hidden checks against every submission, in a sandbox, "
        "and write grades.json and grades.csv.",
    )
    grade.add_argument(
        "submissions",
        metavar="SUBMISSIONS",
        help="a folder of <student>.py/.ipynb files or <student>/<assignment>.py folders, "
        "or a single file",
    )
    grade.add_argument(
        "--assignment", required=True, metavar="ID", help="assignment id in course.toml"
    )
    grade.add_argument(
        "--out", required=True, metavar="DIR", help="folder for grades.json and grades.csv"
    )
    grade.add_argument("--course", metavar="PATH", help="course.toml (default: ./course.toml)")
    grade.add_argument(
        "--jobs", type=int, metavar="N", help="parallel sandboxes (default: the number of cores)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return 0
    console = Console(stderr=True)
    try:
        return run_grade(arguments, console)
    except UsageError as error:
        console.print(f"[bold red]error:[/] {error}", highlight=False)
        return USAGE_ERROR


def run_grade(arguments: argparse.Namespace, console: Console) -> int:
    """`grader grade`: discover, grade with a progress bar, write the reports, show the summary."""
    from grader.course import CourseError, find_course, load_course
    from grader.grading import GradingError, grade
    from grader.reports.grades import write_grades
    from grader.reports.summary import render_summary
    from grader.submissions import SubmissionsError, discover

    if arguments.jobs is not None and arguments.jobs < 1:
        raise UsageError("--jobs must be a whole number of at least 1.")
    try:
        course = load_course(find_course(arguments.course))
        assignment = course.assignment(arguments.assignment)
        submissions = discover(Path(arguments.submissions), assignment.id)
    except (CourseError, SubmissionsError) as error:
        raise UsageError(str(error)) from None
    with Progress(
        TextColumn("[bold]grading {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task(assignment.id, total=len(submissions))
        try:
            result = grade(
                course,
                assignment,
                submissions,
                jobs=arguments.jobs,
                on_result=lambda _: progress.advance(task),
            )
        except GradingError as error:
            raise UsageError(f"the checks could not run: {error}") from None
    if result.isolation != "full":
        console.print(
            f"[yellow]warning:[/] sandbox isolation is {result.isolation}; "
            "install bubblewrap (Linux) for full isolation.",
            highlight=False,
        )
    json_path, csv_path = write_grades(
        result, Path(arguments.out), exercise_ids=[e.id for e in assignment.exercises]
    )
    render_summary(result, Console())
    console.print(f"wrote {json_path} and {csv_path}", highlight=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
