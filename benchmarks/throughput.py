"""Throughput of `grader grade` on generated `derivatives` submissions.

Run from the repository root:

    .venv/bin/python benchmarks/throughput.py --count 400 --jobs 2

Generates COUNT submissions (a mix of correct ones, typical mistakes and untouched stubs), grades
them with the same engine as `grader grade` (public and hidden checks, full sandbox), and prints
submissions per second, with the machine's core count. The goal is >= 100 per second on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.run import grade

REPO = Path(__file__).resolve().parent.parent

MISTAKES = (
    "\ndef derivative(x):\n    return x\n",
    "\ndef central_difference(f, x, h=1e-5):\n    return (f(x + h) - f(x - h)) / h\n",
    "\ndef interpret_sign(d, tol=1e-8):\n    return 'increasing' if d > 0 else 'decreasing'\n",
)


def generate(folder: Path, count: int) -> None:
    """Write `count` submissions: correct, each mistake, and untouched stubs, in rotation."""
    correct = (REPO / "solutions" / "derivatives.py").read_text()
    stub = (REPO / "exercises" / "derivatives.py").read_text()
    variants = [correct, *(correct + mistake for mistake in MISTAKES), stub]
    for index in range(count):
        (folder / f"student{index:05d}.py").write_text(variants[index % len(variants)])


def main() -> None:
    """Generate, grade, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    arguments = parser.parse_args()
    course = load_course(REPO / "course.toml")
    assignment = course.assignment("derivatives")
    with tempfile.TemporaryDirectory() as folder:
        generate(Path(folder), arguments.count)
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
