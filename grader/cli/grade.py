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
    grade.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run: grade only the submissions that --out's journal "
        "lacks (or whose file changed since), keep the others from it",
    )
    grade.set_defaults(run=run_grade)


def run_grade(arguments: argparse.Namespace, console: Console) -> int:
    """`grader grade`: discover, grade with a progress bar, write the reports, show the summary."""
    from grader.cli.resume import exit_status, interrupted_sentence, interruptible, plan_run
    from grader.course.config import CourseError, find_course, load_course
    from grader.course.submissions import Submission, SubmissionsError, discover
    from grader.grading.journal import combined
    from grader.grading.messages import defines_no_exercise
    from grader.grading.results import SubmissionResult
    from grader.grading.run import GradingError, grade, passed_over_note

    if arguments.jobs is not None and arguments.jobs < 1:
        raise UsageError("--jobs must be a whole number of at least 1.")
    if arguments.nbgrader is not None:
        if arguments.resume:
            raise UsageError(
                "--resume continues a run with --out; --nbgrader keeps its grades in the "
                "gradebook, so grade the nbgrader course again instead."
            )
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
    plan = plan_run(out.folder, course, assignment, submissions, resume=arguments.resume,
                    console=console)  # fmt: skip
    graded_now = 0

    def on_graded(
        result: SubmissionResult, layers: tuple[str, ...], submission: Submission | None
    ) -> None:
        nonlocal graded_now
        plan.journal.record(result, layers, submission)
        graded_now += 1

    try:
        with interruptible(), grading_progress(console) as progress:
            task = progress.add_task(assignment.id, total=plan.total, completed=len(plan.kept))
            result = grade(
                course,
                assignment,
                plan.to_grade,
                jobs=arguments.jobs,
                on_graded=on_graded,
                on_result=lambda _: progress.advance(task),
            )
    except GradingError as error:
        plan.journal.close()
        raise UsageError(f"the checks could not run: {error}") from None
    except KeyboardInterrupt as error:
        plan.journal.close()
        console.print(Text(interrupted_sentence(error, plan, graded_now)), soft_wrap=True)
        return exit_status(error)
    result = combined(result, plan.kept)
    report_grades(result, assignment, out, console)
    plan.journal.finish()
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
