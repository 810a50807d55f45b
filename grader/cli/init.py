"""`grader init DIR`: a new course folder that works out of the box."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from rich.console import Console
from rich.text import Text

from grader.cli.common import UsageError
from grader.reports.text import plural


def add_init_command(commands: argparse._SubParsersAction) -> None:
    """`init DIR`: write a new course folder with one small assignment."""
    init = commands.add_parser(
        "init",
        help="write a new course folder",
        description="Write a new course into DIR: course.toml and one small assignment (a stub, "
        "its reference solution, public and hidden checks, a named wrong formula) with a README "
        "saying what to edit; `grader validate` and `grader grade` work in it at once.",
    )
    init.add_argument("folder", metavar="DIR", help="a new or empty folder")
    init.set_defaults(run=run_init)


def run_init(arguments: argparse.Namespace, console: Console) -> int:
    """`grader init`: write the course, list its files and say what to run next."""
    from grader.course.init import ASSIGNMENT, InitError, write_course

    folder = Path(arguments.folder)
    try:
        written = write_course(folder)
    except InitError as error:
        raise UsageError(str(error)) from None
    console.print(Text(f"wrote {plural(len(written), 'file')} to {folder}:"))
    for path in written:
        console.print(Text(f"  {path.relative_to(folder).as_posix()}"))
    console.print(Text("next, edit the files (README.md says which) and run:"))
    for command in (
        f"cd {shlex.quote(str(folder))}",
        "grader validate",
        f"grader grade solutions/{ASSIGNMENT}.py --assignment {ASSIGNMENT} --out out",
    ):
        console.print(Text(f"  {command}"))
    return 0
