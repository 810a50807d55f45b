"""Throughput of `grader grade` on generated submissions of one assignment.

Run from the repository root:

    .venv/bin/python benchmarks/throughput.py --count 400 --jobs 2 [--course PATH] [--assignment ID]

Generates COUNT submissions of the assignment (the course's first by default) in rotation: the
reference, the course's example submissions (`examples/submissions/<id>/*.py`, right and wrong in
typical ways) and the untouched stub. It grades
them with the same engine as `grader grade` (public and hidden checks, full sandbox), and prints
submissions per second, with the machine's core count. The goal is >= 100 per second on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from course_options import add_course_option, chosen_course, submission_texts

from grader.course.config import Assignment, Course, CourseError
from grader.course.submissions import discover
from grader.grading.run import grade


def generate(folder: Path, course: Course, assignment: Assignment, count: int) -> None:
    """Write `count` submissions in rotation (see the module's docstring)."""
    variants = submission_texts(course, assignment)
    for index in range(count):
        (folder / f"student{index:05d}.py").write_text(variants[index % len(variants)])


def main() -> None:
    """Generate, grade, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    add_course_option(parser)
    parser.add_argument("--assignment", help="assignment id (default: the course's first)")
    arguments = parser.parse_args()
    course = chosen_course(parser, arguments)
    try:
        assignment = course.assignment(arguments.assignment or course.assignments[0].id)
    except CourseError as error:
        parser.error(str(error))
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), course, assignment, arguments.count)
        submissions = discover(Path(folder), assignment.id)
        start = time.perf_counter()
        result = grade(course, assignment, submissions, jobs=arguments.jobs)
        elapsed = time.perf_counter() - start
    checks = sum(len(e.checks) for s in result.submissions for e in s.exercises.values())
    print(f"cores: {os.cpu_count()}, jobs: {arguments.jobs}, isolation: {result.isolation}")
    print(f"{arguments.count} submissions ({checks} check runs) in {elapsed:.2f} s")
    print(f"throughput: {arguments.count / elapsed:.1f} submissions per second")


if __name__ == "__main__":
    main()
