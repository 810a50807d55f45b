"""Mutation score of the checks: how many one-node mutants of the reference solutions lose points.

Run from the repository root:

    .venv/bin/python benchmarks/mutation.py [--assignment derivatives] [--limit N] [--jobs 2]

For each assignment (all three unless `--assignment` is given, which may be repeated) it makes
the mutants of `solutions/<assignment>.py` (`benchmarks/mutants.py`: operators, constants, signs,
swapped arguments, off-by-one ranges and slices, max/min, ...), writes each as a submission next
to the unchanged reference, and grades them all in ONE run of the real engine (public and hidden
checks, full sandbox, `--jobs` sessions). A mutant is killed when the exercise it falls in scores
less than the unchanged reference; a mutant in a helper (`_name`) is killed when any exercise
does. It prints, per assignment and overall, the mutants, the killed ones and the fraction, and
every surviving mutant (function, line, statement before -> after) for a human to judge whether it
is equivalent. `--limit N` grades N mutants per assignment, spread evenly over the module. The goal
is >= 90% killed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mutants import Mutant, mutate_source

from grader.course.config import Assignment, Course, CourseError, load_course
from grader.course.submissions import discover
from grader.grading.results import SubmissionResult
from grader.grading.run import GradingError, grade

REPO = Path(__file__).resolve().parent.parent
REFERENCE_ID = "reference"
# Points are rounded to 6 places in results; anything below this is float noise, not a loss.
LOSS = 1e-9


@dataclass(frozen=True)
class Outcome:
    """A graded mutant: whether it was killed, and the exercises that lost points."""

    mutant: Mutant
    killed: bool
    lost: tuple[str, ...]


@dataclass(frozen=True)
class Score:
    """The mutants of one assignment and their outcomes, with what was left out and why."""

    assignment: str
    outcomes: tuple[Outcome, ...]
    equivalent: int
    given: tuple[str, ...]
    reference_losses: tuple[str, ...]
    seconds: float

    @property
    def killed(self) -> int:
        """How many mutants lost points where they should."""
        return sum(outcome.killed for outcome in self.outcomes)


def assignment_mutants(
    assignment: Assignment, limit: int | None = None
) -> tuple[list[Mutant], int]:
    """The mutants of an assignment's reference solution (at most `limit`, spread evenly).

    Functions the stub gives (course.toml's `given`) are not mutated: no check grades them. Also
    returns how many candidates were left out as equivalent by construction.
    """
    mutation = mutate_source(assignment.solution.read_text(), skip_functions=assignment.given)
    chosen = list(mutation.mutants)
    if limit is not None and len(chosen) > limit:
        step = len(chosen) / limit
        chosen = [chosen[int(index * step)] for index in range(limit)]
    return chosen, mutation.equivalent


def grade_mutants(
    course: Course, assignment: Assignment, mutants: Sequence[Mutant], jobs: int | None = None
) -> tuple[list[Outcome], tuple[str, ...]]:
    """Grade the mutants and the unchanged reference in one engine run; judge each mutant.

    Also returns the exercises on which the unchanged reference itself lost points (it should
    lose none; a mutant there cannot lose what was never earned).
    """
    exercises = {exercise.id: exercise.points for exercise in assignment.exercises}
    with tempfile.TemporaryDirectory(prefix="gradkit-mutants-") as folder:
        root = Path(folder)
        (root / f"{REFERENCE_ID}.py").write_text(assignment.solution.read_text())
        for index, mutant in enumerate(mutants):
            (root / f"mutant{index:05d}.py").write_text(mutant.source)
        result = grade(course, assignment, discover(root, assignment.id), jobs=jobs)
    graded = {submission.student: submission for submission in result.submissions}
    baseline = graded[REFERENCE_ID]
    reference_losses = tuple(
        name for name, points in exercises.items() if _points(baseline, name) < points - LOSS
    )
    outcomes = []
    for index, mutant in enumerate(mutants):
        submission = graded[f"mutant{index:05d}"]
        lost = tuple(
            name for name in exercises if _points(submission, name) < _points(baseline, name) - LOSS
        )
        own = mutant.function in exercises
        killed = mutant.function in lost if own else bool(lost)
        outcomes.append(Outcome(mutant, killed, lost))
    return outcomes, reference_losses


def _points(submission: SubmissionResult, exercise: str) -> float:
    result = submission.exercises.get(exercise)
    return result.points if result is not None else 0.0


def score(
    course: Course, assignment: Assignment, limit: int | None = None, jobs: int | None = None
) -> Score:
    """Make, grade and judge the mutants of one assignment."""
    mutants, equivalent = assignment_mutants(assignment, limit)
    start = time.perf_counter()
    outcomes, reference_losses = grade_mutants(course, assignment, mutants, jobs)
    return Score(
        assignment=assignment.id,
        outcomes=tuple(outcomes),
        equivalent=equivalent,
        given=assignment.given,
        reference_losses=reference_losses,
        seconds=time.perf_counter() - start,
    )


def report(result: Score) -> None:
    """Print one assignment's figures, its score per function and its surviving mutants."""
    total = len(result.outcomes)
    left_out = f"{result.equivalent} left out as equivalent by construction"
    if result.given:
        left_out += f"; given functions not mutated: {', '.join(result.given)}"
    print(
        f"\n{result.assignment}: {total} mutants, {result.killed} killed "
        f"({_percent(result.killed, total)}), graded in {result.seconds:.1f} s ({left_out})"
    )
    if result.reference_losses:
        print(
            "  warning: the unchanged reference itself lost points on "
            f"{', '.join(result.reference_losses)}; mutants there cannot be killed."
        )
    per_function = Counter(outcome.mutant.function for outcome in result.outcomes)
    killed = Counter(outcome.mutant.function for outcome in result.outcomes if outcome.killed)
    cells = [f"{name} {killed[name]}/{count}" for name, count in per_function.items()]
    print("  killed per function: " + ", ".join(cells))
    survivors = [outcome for outcome in result.outcomes if not outcome.killed]
    if survivors:
        print(f"  surviving ({len(survivors)}):")
    for outcome in survivors:
        mutant = outcome.mutant
        elsewhere = f" [lost points on {', '.join(outcome.lost)} instead]" if outcome.lost else ""
        print(f"    {mutant.function}, line {mutant.line}, {mutant.operator}:{elsewhere}")
        print(f"        {mutant.original}")
        print(f"     -> {mutant.mutated}")


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


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
    print(f"\noverall: {total} mutants, {killed} killed ({_percent(killed, total)}); goal >= 90%")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
