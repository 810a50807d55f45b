"""The command-line options the benchmarks share: which course, and which of its assignments."""

from __future__ import annotations

import argparse
from pathlib import Path

from grader.course.config import Assignment, Course, CourseError, load_course

REPO = Path(__file__).resolve().parent.parent


def add_course_option(parser: argparse.ArgumentParser) -> None:
    """`--course`: the course.toml to measure, the repository's own by default."""
    parser.add_argument(
        "--course", type=Path, default=REPO / "course.toml",
        help="course.toml of the course to measure (default: the bundled course)",
    )  # fmt: skip


def add_assignments_option(parser: argparse.ArgumentParser) -> None:
    """`--course`, and `--assignments`: the assignments to measure, all of the course's by
    default."""
    add_course_option(parser)
    parser.add_argument("--assignments", nargs="+", help="assignment ids (default: all)")


def chosen_course(parser: argparse.ArgumentParser, arguments: argparse.Namespace) -> Course:
    """The course `--course` names; a mistake in it is a usage error in its own sentence."""
    try:
        return load_course(arguments.course)
    except CourseError as error:
        parser.error(str(error))


def chosen_assignments(
    parser: argparse.ArgumentParser, arguments: argparse.Namespace
) -> tuple[Course, list[Assignment]]:
    """The course and the assignments `--assignments` names; an unknown one is a usage error in
    the course's own sentence, before any work starts."""
    course = chosen_course(parser, arguments)
    if not arguments.assignments:
        return course, list(course.assignments)
    try:
        return course, [course.assignment(name) for name in arguments.assignments]
    except CourseError as error:
        parser.error(str(error))


def submission_texts(course: Course, assignment: Assignment) -> list[str]:
    """Submissions to rotate through: the reference (right), the course's example submissions
    of the assignment if it has any (`examples/submissions/<id>/*.py`: right and wrong in typical
    ways), and the untouched stub."""
    examples = sorted((course.root / "examples" / "submissions" / assignment.id).glob("*.py"))
    return [
        assignment.solution.read_text(encoding="utf-8"),
        *(path.read_text(encoding="utf-8") for path in examples),
        assignment.module.read_text(encoding="utf-8"),
    ]
