"""`check`, `release` and `notebooks`: what students run, and what builds what they get."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.text import Text

from grader.cli.common import UsageError
from grader.reports.text import plural


def add_student_commands(commands: argparse._SubParsersAction) -> None:
    """`check`, `release` and `notebooks`: what students run, and what builds what they get."""
    check = commands.add_parser(
        "check",
        help="run the public checks on a working copy",
        description="Run the public checks on a .py or .ipynb file (or each assignment file of a "
        "folder), in the sandbox, and say per exercise what passed and what failed. Exit status "
        "0 when every public check passes, 1 otherwise.",
    )
    check.add_argument(
        "path", nargs="?", default="exercises", metavar="PATH",
        help="an assignment file or a folder of them (default: exercises)",
    )  # fmt: skip
    check.add_argument("--exercise", metavar="ID", help="check this exercise only")
    check.add_argument("--course", metavar="PATH", help="course.toml (default: the nearest one)")
    check.set_defaults(run=run_check)
    release = commands.add_parser(
        "release",
        help="build the student bundle",
        description="Write the bundle students receive (exercises, notebooks, public checks, "
        "grader check) into a new folder; it holds no hidden check and no solution.",
    )
    release.add_argument("--out", required=True, metavar="DIR", help="a new or empty folder")
    release.add_argument("--course", metavar="PATH", help="course.toml (default: ./course.toml)")
    release.set_defaults(run=run_release)
    notebooks = commands.add_parser(
        "notebooks",
        help="generate the assignment notebooks",
        description="Generate notebooks/<assignment>.ipynb from each assignment's module.",
    )
    notebooks.add_argument(
        "--out", metavar="DIR", help="folder (default: notebooks/ by course.toml)"
    )
    notebooks.add_argument("--course", metavar="PATH", help="course.toml (default: ./course.toml)")
    notebooks.set_defaults(run=run_notebooks)


def run_check(arguments: argparse.Namespace, console: Console) -> int:
    """`grader check`: the public checks on a working copy; 0 when all pass, else 1."""
    from grader.student.selfcheck import SelfCheckError, run_command

    try:
        return run_command(arguments.path, arguments.exercise, arguments.course)
    except SelfCheckError as error:
        raise UsageError(str(error)) from None


def run_release(arguments: argparse.Namespace, console: Console) -> int:
    """`grader release`: write the student bundle."""
    from grader.course.config import CourseError, find_course, load_course
    from grader.student.release import ReleaseError, build_release
    from grader.student.replay import ReplayError

    try:
        files = build_release(load_course(find_course(arguments.course)), Path(arguments.out))
    except (CourseError, ReleaseError, ReplayError) as error:
        raise UsageError(str(error)) from None
    console.print(Text(f"wrote {plural(len(files), 'file')} to {arguments.out}"))
    return 0


def run_notebooks(arguments: argparse.Namespace, console: Console) -> int:
    """`grader notebooks`: regenerate the assignment notebooks from the modules."""
    from grader.course.config import CourseError, find_course, load_course
    from grader.reports.outputs import OutputError
    from grader.student.notebooks import write_notebooks

    try:
        course = load_course(find_course(arguments.course))
        written = write_notebooks(course, Path(arguments.out or course.root / "notebooks"))
    except (CourseError, OutputError) as error:
        raise UsageError(str(error)) from None
    for path in written:
        console.print(Text(f"wrote {path}"))
    return 0
