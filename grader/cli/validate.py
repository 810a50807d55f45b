"""`grader validate`: a course's own test suite, run before releasing.

Exit status: 0 when the course is valid, 1 with one line per problem (a course.toml with a
mistake is a problem of the course too: its one sentence, then "1 problem"), and 2 for a usage
mistake: a bad option, a --course path that does not exist, an unknown --assignment.
"""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.text import Text

from grader.cli.common import UsageError

# How each kind of line of the report starts (grader.course.validate).
_MARKS = {
    "problem": ("✗ ", "bold red"),
    "ok": ("✓ ", "green"),
    "info": ("· ", "dim"),
    "survivor": ("survivor: ", "yellow"),
}
COURSE_PROBLEM = 1


def add_validate_command(commands: argparse._SubParsersAction) -> None:
    """`validate`: check course.toml, the stubs, the solutions and the checks against each other."""
    validate = commands.add_parser(
        "validate",
        help="check a course before releasing it",
        description="Check a course against itself: course.toml, the stubs (they raise "
        "NotImplementedError) and the reference's signatures, the check files (they import and "
        "collect, every exercise has a hidden check), the reference (full marks, the same "
        "twice) and the stub (0) graded in the sandbox, every named wrong formula (it loses "
        "points, with a message naming it), and the student release (its recorded answers let "
        "the public checks pass). Every problem is one line; exit status 0 when there is none, "
        "1 otherwise, 2 for a usage mistake.",
    )
    validate.add_argument("--course", metavar="PATH", help="course.toml (default: ./course.toml)")
    validate.add_argument("--assignment", metavar="ID", help="validate this assignment only")
    validate.add_argument(
        "--mutants",
        action="store_true",
        help="also grade one-site mutants of the reference and print the mutation score and "
        "each surviving mutant (information: survivors do not change the exit status)",
    )
    validate.add_argument(
        "--jobs", type=int, metavar="N", help="grading sessions (default: 2, mutants: all cores)"
    )
    validate.set_defaults(run=run_validate)


def run_validate(arguments: argparse.Namespace, console: Console) -> int:
    """`grader validate`: print each finding as it is made, then a last line; 0 when valid."""
    from grader.course.config import CourseError, find_course, load_course
    from grader.course.validate import Line, validate

    if arguments.jobs is not None and arguments.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {arguments.jobs}.")
    try:
        path = find_course(arguments.course)
    except CourseError as error:
        raise UsageError(str(error)) from None
    # The report is the command's output: on standard output, each line whole when piped.
    out = Console(soft_wrap=True, highlight=False)

    def say(line: Line) -> None:
        if line.kind == "heading":
            out.print(Text(line.text, style="bold"))
            return
        mark, style = _MARKS[line.kind]
        out.print(Text.assemble("  ", (mark, style), line.text))

    try:
        course = load_course(path)
    except CourseError as error:
        say(Line("problem", str(error)))
        out.print(Text("1 problem", style="bold red"))
        return COURSE_PROBLEM
    try:
        chosen = [course.assignment(arguments.assignment)] if arguments.assignment else None
    except CourseError as error:
        raise UsageError(str(error)) from None
    summary = validate(
        course, chosen or course.assignments, say, mutants=arguments.mutants, jobs=arguments.jobs
    )
    out.print(Text(summary.headline, style="bold red" if summary.problems else "bold green"))
    return COURSE_PROBLEM if summary.problems else 0
