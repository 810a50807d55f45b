"""The `grader` command: parses arguments, calls the library, prints. Nothing else lives here.

Exit status: 0 when the work ran (whatever the scores), 2 with one sentence for a usage mistake or
a problem in course.toml. Every command that writes checks where it writes before it starts the
work (`grader.reports.outputs`), so a mistyped --out never costs a grading run.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from grader import __version__
from grader.cli.common import INTERRUPTED, USAGE_ERROR, UsageError
from grader.cli.export import add_export_command
from grader.cli.grade import add_grade_command, run_grade
from grader.cli.init import add_init_command
from grader.cli.nbgrader import add_nbgrader_command
from grader.cli.student import add_student_commands
from grader.cli.validate import add_validate_command
from grader.reports.text import printable


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `grader` and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="grader",
        description="gradkit: grade any course's exercises with hidden checks, in a sandbox.",
    )
    parser.add_argument("--version", action="version", version=f"gradkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_grade_command(commands)
    add_student_commands(commands)
    add_nbgrader_command(commands)
    add_init_command(commands)
    add_validate_command(commands)
    add_export_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return 0
    console = Console(stderr=True)
    if not console.is_terminal:
        # Piped or logged: a line such as "wrote A and B" stays whole rather than broken at 80.
        console = Console(stderr=True, soft_wrap=True)
    _skip_iri_format_checks()
    try:
        return getattr(arguments, "run", run_grade)(arguments, console)
    except UsageError as error:
        # soft_wrap: a path in the message stays whole, to be copied from the terminal. The
        # message may name a student's file: as Text, it is never read as rich markup.
        message = Text.assemble(("error:", "bold red"), " ", printable(error))
        console.print(message, soft_wrap=True)
        return USAGE_ERROR
    except KeyboardInterrupt:
        # Ctrl-C anywhere else than while grading (which says itself what it kept): a word,
        # not a traceback.
        console.print(Text("interrupted."))
        return INTERRUPTED


def console_main() -> int:
    """The `grader` console script and `python -m grader`: run the command line, then exit fast.

    Shutting the interpreter down runs full garbage collections over every object of the modules
    a command loaded; with nbgrader's (SQLAlchemy, nbconvert, traitlets) that was 0.4-0.6 s at the
    end of each `grader grade --nbgrader`, more than grading ten notebooks. Frozen objects are
    not scanned. Nothing needs collecting by then: the command has closed its files and the
    gradebook, and the process ends.
    """
    status = main()
    gc.freeze()
    return status


def _skip_iri_format_checks() -> None:
    """Keep jsonschema, which nbformat and nbgrader import, from importing rfc3987_syntax.

    That optional module compiles its grammars on import, about a second of every command that
    reads or writes notebooks through nbformat, only to check the "iri" string format, which
    nothing this command runs validates. Only the command's own process is affected (never a
    student's kernel), and only when jsonschema is not loaded yet.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # None: the import raises ImportError


if __name__ == "__main__":
    sys.exit(console_main())
