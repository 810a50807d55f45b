"""The student's `grader` command: `grader check` runs the public checks on your own work.

This is the command line of the student release; the course's own grader has more commands.
Exit status: 0 when every public check passes, 1 when one does not, 2 with one sentence for a
usage mistake.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from grader import __version__

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `grader check`."""
    parser = argparse.ArgumentParser(
        prog="grader", description="Check your exercises with the course's public checks."
    )
    parser.add_argument("--version", action="version", version=f"gradkit-student {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="run the public checks on your exercises",
        description="Run the public checks on a .py or .ipynb file (or on each assignment file "
        "of a folder), in a sandbox, and say per exercise what passed and what failed.",
    )
    check.add_argument(
        "path", nargs="?", default="exercises", metavar="PATH",
        help="your assignment file or a folder of them (default: exercises)",
    )  # fmt: skip
    check.add_argument("--exercise", metavar="ID", help="check this exercise only")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return 0
    from grader.student.selfcheck import SelfCheckError, run_command

    try:
        return run_command(arguments.path, arguments.exercise)
    except SelfCheckError as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR


def console_main() -> int:
    """`python -m grader` in the release: the same command as the console script."""
    return main()


if __name__ == "__main__":
    sys.exit(main())
