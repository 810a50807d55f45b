"""The `grader` command: parses arguments, calls the library, prints. Nothing else lives here.

Exit status: 0 when the work ran (whatever the scores), 2 with one sentence for a usage mistake or
a problem in course.toml. Every command that writes checks where it writes before it starts the
work (`grader.reports.outputs`), so a mistyped --out never costs a grading run.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from grader import __version__
from grader.reports.text import plural, printable

if TYPE_CHECKING:
    from grader.course import Assignment, Course
    from grader.reports.merge import Earlier
    from grader.results import GradingResult

USAGE_ERROR = 2
# Piped or redirected, the summary has no terminal width to fit: rich would assume 80 columns and
# wrap its cells, so it gets lines as long as they need to be.
PIPED_WIDTH = 1000


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
        nargs="?",
        metavar="SUBMISSIONS",
        help="a folder of <student>.py/.ipynb files or <student>/<assignment>.py folders, "
        "or a single file",
    )
    grade.add_argument(
        "--nbgrader",
        metavar="COURSE_DIR",
        help="grade COURSE_DIR/submitted/<student>/<ID>/ instead, and write the scores and "
        "feedback into its nbgrader gradebook",
    )
    grade.add_argument(
        "--assignment", required=True, metavar="ID", help="assignment id in course.toml"
    )
    grade.add_argument(
        "--out",
        metavar="DIR",
        help="folder for grades.json and grades.csv (with --nbgrader, default "
        "COURSE_DIR/grades/ID)",
    )
    grade.add_argument("--course", metavar="PATH", help="course.toml (default: ./course.toml)")
    grade.add_argument(
        "--jobs", type=int, metavar="N", help="parallel sandboxes (default: the number of cores)"
    )
    grade.add_argument(
        "--replace",
        action="store_true",
        help="write only this run's grades into --out; by default they are merged with the "
        "grades already there (students graded now replaced, the others kept)",
    )
    add_student_commands(commands)
    from grader.cli_nbgrader import add_nbgrader_command

    add_nbgrader_command(commands)
    return parser


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


def run_grade(arguments: argparse.Namespace, console: Console) -> int:
    """`grader grade`: discover, grade with a progress bar, write the reports, show the summary."""
    from grader.course import CourseError, find_course, load_course
    from grader.grading import GradingError, grade
    from grader.submissions import SubmissionsError, discover

    if arguments.jobs is not None and arguments.jobs < 1:
        raise UsageError("--jobs must be a whole number of at least 1.")
    if arguments.nbgrader is not None:
        from grader.cli_nbgrader import run_grade_nbgrader

        return run_grade_nbgrader(arguments, console)
    if arguments.submissions is None or arguments.out is None:
        raise UsageError(
            "give SUBMISSIONS and --out DIR (or --nbgrader COURSE_DIR to grade an nbgrader course)."
        )
    try:
        course = load_course(find_course(arguments.course))
        assignment = course.assignment(arguments.assignment)
        submissions = discover(Path(arguments.submissions), assignment.id)
    except (CourseError, SubmissionsError) as error:
        raise UsageError(str(error)) from None
    out = prepare_out(Path(arguments.out), course, assignment, replace=arguments.replace)
    with grading_progress(console) as progress:
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
    report_grades(result, assignment, out, console)
    return 0


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
    from grader.reports.grades import CSV_NAME, JSON_NAME
    from grader.reports.merge import MergeError, read_earlier
    from grader.reports.outputs import OutputError, check_output_folder

    try:
        check_output_folder(folder, "--out", files=(JSON_NAME, CSV_NAME))
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


def run_check(arguments: argparse.Namespace, console: Console) -> int:
    """`grader check`: the public checks on a working copy; 0 when all pass, else 1."""
    from grader.selfcheck import SelfCheckError, run_command

    try:
        return run_command(arguments.path, arguments.exercise, arguments.course)
    except SelfCheckError as error:
        raise UsageError(str(error)) from None


def run_release(arguments: argparse.Namespace, console: Console) -> int:
    """`grader release`: write the student bundle."""
    from grader.course import CourseError, find_course, load_course
    from grader.release import ReleaseError, build_release
    from grader.replay import ReplayError

    try:
        files = build_release(load_course(find_course(arguments.course)), Path(arguments.out))
    except (CourseError, ReleaseError, ReplayError) as error:
        raise UsageError(str(error)) from None
    console.print(Text(f"wrote {plural(len(files), 'file')} to {arguments.out}"))
    return 0


def run_notebooks(arguments: argparse.Namespace, console: Console) -> int:
    """`grader notebooks`: regenerate the assignment notebooks from the modules."""
    from grader.course import CourseError, find_course, load_course
    from grader.notebooks import write_notebooks
    from grader.reports.outputs import OutputError

    try:
        course = load_course(find_course(arguments.course))
        written = write_notebooks(course, Path(arguments.out or course.root / "notebooks"))
    except (CourseError, OutputError) as error:
        raise UsageError(str(error)) from None
    for path in written:
        console.print(Text(f"wrote {path}"))
    return 0


if __name__ == "__main__":
    sys.exit(console_main())
