"""Mutation score of the checks: how many one-node mutants of the reference solutions lose points.

Run from the repository root:

    .venv/bin/python benchmarks/mutation.py [--assignment derivatives] [--limit N] [--jobs 2]

For each assignment (all of them unless `--assignment` is given, which may be repeated) it makes
the mutants of its reference solution and grades them all in ONE run of the real engine, next to
the unchanged reference (`grader.course.mutation`, which `grader validate --mutants` uses too).
It prints, per assignment and overall, the mutants, the killed ones and the fraction, and every
surviving mutant (function, line, statement before -> after) for a human to judge whether it is
equivalent. `--limit N` grades N mutants per assignment, spread evenly over the module. The goal
is >= 90% killed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from grader.course.config import CourseError, load_course
from grader.course.mutation import Score, percent, score
from grader.grading.run import GradingError

REPO = Path(__file__).resolve().parent.parent


def report(result: Score) -> None:
    """Print one assignment's figures, its score per function and its surviving mutants."""
    total = len(result.outcomes)
    left_out = f"{result.equivalent} left out as equivalent by construction"
    if result.given:
        left_out += f"; given functions not mutated: {', '.join(result.given)}"
    print(
        f"\n{result.assignment}: {total} mutants, {result.killed} killed "
        f"({percent(result.killed, total)}), graded in {result.seconds:.1f} s ({left_out})"
    )
    if result.reference_losses:
        print(
            "  warning: the unchanged reference itself lost points on "
            f"{', '.join(result.reference_losses)}; mutants there cannot be killed."
        )
    cells = [f"{name} {killed}/{count}" for name, (killed, count) in result.per_function().items()]
    print("  killed per function: " + ", ".join(cells))
    if result.survivors:
        print(f"  surviving ({len(result.survivors)}):")
    for outcome in result.survivors:
        mutant = outcome.mutant
        elsewhere = f" [lost points on {', '.join(outcome.lost)} instead]" if outcome.lost else ""
        print(f"    {mutant.function}, line {mutant.line}, {mutant.operator}:{elsewhere}")
        print(f"        {mutant.original}")
        print(f"     -> {mutant.mutated}")


def main() -> int:
    """Parse the command line, score each assignment, print the figures; 1 if grading failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--assignment", action="append", help="an assignment id (repeatable)")
    parser.add_argument("--limit", type=int, help="at most this many mutants per assignment")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="grading sessions")
    parser.add_argument("--course", type=Path, default=REPO / "course.toml")
    arguments = parser.parse_args()
    if arguments.limit is not None and arguments.limit < 1:
        parser.error("--limit must be at least 1")
    try:
        course = load_course(arguments.course)
        chosen = [course.assignment(name) for name in arguments.assignment or ()] or list(
            course.assignments
        )
    except CourseError as error:
        print(f"mutation: {error}", file=sys.stderr)
        return 2
    print(f"cores: {os.cpu_count()}, jobs: {arguments.jobs}")
    scores, failed = [], False
    for assignment in chosen:
        try:
            result = score(course, assignment, arguments.limit, arguments.jobs)
        except GradingError as error:
            print(f"\n{assignment.id}: the checks could not run: {error}")
            failed = True
            continue
        report(result)
        scores.append(result)
    total = sum(len(result.outcomes) for result in scores)
    killed = sum(result.killed for result in scores)
    print(f"\noverall: {total} mutants, {killed} killed ({percent(killed, total)}); goal >= 90%")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
