"""The command-line option the benchmarks share: which of the course's assignments to measure."""

from __future__ import annotations

import argparse
from pathlib import Path

from grader.course.config import Assignment, Course, CourseError, load_course

REPO = Path(__file__).resolve().parent.parent


def add_assignments_option(parser: argparse.ArgumentParser) -> None:
    """`--assignments`: the assignments to measure, all three by default."""
    parser.add_argument("--assignments", nargs="+", default=["derivatives", "gradients", "descent"])


def chosen_assignments(
    parser: argparse.ArgumentParser, arguments: argparse.Namespace
) -> tuple[Course, list[Assignment]]:
    """The repository's course and the assignments `--assignments` names; an unknown one is a
    usage error in the course's own sentence, before any work starts."""
    course = load_course(REPO / "course.toml")
    try:
        return course, [course.assignment(name) for name in arguments.assignments]
    except CourseError as error:
        parser.error(str(error))
