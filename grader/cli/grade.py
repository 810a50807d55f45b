"""`grader grade`: discover the submissions, grade them with a progress bar, write the grades."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.text import Text

from grader.cli.common import UsageError, grading_progress, prepare_out, report_grades


def add_grade_command(commands: argparse._SubParsersAction) -> None:
    """`grade`: the instructor's command, for plain files and (with --nbgrader) nbgrader."""
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
    grade.set_defaults(run=run_grade)


def run_grade(arguments: argparse.Namespace, console: Console) -> int:
    """`grader grade`: discover, grade with a progress bar, write the reports, show the summary."""
    from grader.course.config import CourseError, find_course, load_course
    from grader.course.submissions import SubmissionsError, discover
    from grader.grading.messages import defines_no_exercise
    from grader.grading.run import GradingError, grade, passed_over_note

    if arguments.jobs is not None and arguments.jobs < 1:
        raise UsageError("--jobs must be a whole number of at least 1.")
    if arguments.nbgrader is not None:
        from grader.cli.nbgrader import run_grade_nbgrader

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
    for submission in submissions:
        if submission.passed_over:
            console.print(Text(f"note: {passed_over_note(submission)}"), soft_wrap=True)
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
    if result.submissions and all(
        defines_no_exercise(submission, assignment) for submission in result.submissions
    ):
        others = ", ".join(a.id for a in course.assignments if a.id != assignment.id) or "none"
        console.print(
            Text(
                f"warning: no submission defines any exercise of {assignment.id}; check "
                f"--assignment (the course's other assignments: {others})."
            ),
            soft_wrap=True,
        )
    return 0
