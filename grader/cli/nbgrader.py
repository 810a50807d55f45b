"""The nbgrader parts of the `grader` command: `grader nbgrader build` and `grade --nbgrader`.

Kept apart from `grader.cli.main` because they import nbgrader, an optional dependency
(`pip install 'gradkit[nbgrader]'`), only when they run.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from grader.cli.common import UsageError, grading_progress, prepare_out, report_grades
from grader.reports.text import printable

if TYPE_CHECKING:
    from grader.course.config import Assignment, Course
    from grader.grading.run import EarlySessions
    from grader.nbgrader.grade import NbgraderGrading

INSTALL_HINT = "nbgrader is not installed; install it with pip install 'gradkit[nbgrader]'."


def add_nbgrader_command(commands: argparse._SubParsersAction) -> None:
    """`grader nbgrader build COURSE_DIR`."""
    nbgrader = commands.add_parser(
        "nbgrader",
        help="distribute the course through nbgrader",
        description="Build an nbgrader course directory from the course.",
    )
    actions = nbgrader.add_subparsers(dest="nbgrader_command", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build",
        help="write nbgrader_config.py and source/<assignment>/<assignment>.ipynb",
        description="Write COURSE_DIR/nbgrader_config.py and, per assignment, the source "
        "notebook with solution cells and autograder test cells (public checks visible, hidden "
        "grading between BEGIN/END HIDDEN TESTS). Then run `nbgrader generate_assignment ID` "
        "in COURSE_DIR.",
    )
    build.add_argument("course_dir", metavar="COURSE_DIR", help="the nbgrader course directory")
    build.add_argument("--course", metavar="PATH", help="course.toml (default: ./course.toml)")
    build.set_defaults(run=run_nbgrader_build)


def run_nbgrader_build(arguments: argparse.Namespace, console: Console) -> int:
    """`grader nbgrader build`: write the course directory's config and source notebooks."""
    from grader.course.config import CourseError, find_course, load_course
    from grader.nbgrader.build import BuildError, build_course_directory
    from grader.reports.outputs import OutputError, check_output_folder

    root = Path(arguments.course_dir)
    try:
        course = load_course(find_course(arguments.course))
        check_output_folder(root, "COURSE_DIR", files=("nbgrader_config.py",))
        written = build_course_directory(course, root)
    except (CourseError, OutputError, BuildError) as error:
        raise UsageError(str(error)) from None
    for path in written:
        console.print(Text(f"wrote {path}"))
    return 0


def run_grade_nbgrader(arguments: argparse.Namespace, console: Console) -> int:
    """`grader grade --nbgrader`: grade the course directory's submissions, fill its gradebook."""
    from grader.course.config import CourseError, find_course, load_course
    from grader.grading.run import EarlySessions

    if arguments.submissions is not None:
        raise UsageError(
            "give either SUBMISSIONS or --nbgrader COURSE_DIR: with --nbgrader the submissions "
            "are COURSE_DIR/submitted/."
        )
    try:
        course = load_course(find_course(arguments.course))
        assignment = course.assignment(arguments.assignment)
    except CourseError as error:
        raise UsageError(str(error)) from None
    root = Path(arguments.nbgrader)
    folder = Path(arguments.out) if arguments.out else root / "grades" / assignment.id
    out = prepare_out(folder, course, assignment, replace=arguments.replace)
    # The grading sessions and their templates start while nbgrader is imported (about a second
    # on one core): they wait for the submissions that nbgrader's course directory lists.
    with EarlySessions(course, assignment, jobs=arguments.jobs, kind="ipynb") as early:
        graded = _grade_course_directory(root, console, course, assignment, early)
    for note in graded.notes:
        # Notes name students' folders and files: escaped, and never read as rich markup.
        console.print(Text.assemble(("note:", "yellow"), " ", printable(note)), soft_wrap=True)
    report_grades(graded.result, assignment, out, console)
    console.print(Text(f"wrote the scores and feedback into {root}'s gradebook"))
    return 0


def _grade_course_directory(
    root: Path,
    console: Console,
    course: Course,
    assignment: Assignment,
    early: EarlySessions,
) -> NbgraderGrading:
    """Import nbgrader, then grade the course directory with the sessions already started."""
    from grader.grading.run import GradingError

    try:
        from grader.nbgrader.coursedir import CourseDirectoryError
        from grader.nbgrader.grade import grade_course_directory
        from grader.nbgrader.gradebook import GradebookError
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    with grading_progress(console) as progress:
        task = progress.add_task(assignment.id, total=None)
        try:
            return grade_course_directory(
                course,
                root,
                assignment,
                early=early,
                on_start=lambda total: progress.update(task, total=total),
                on_result=lambda _: progress.advance(task),
            )
        except (CourseDirectoryError, GradebookError) as error:
            raise UsageError(str(error)) from None
        except GradingError as error:
            raise UsageError(f"the checks could not run: {error}") from None
