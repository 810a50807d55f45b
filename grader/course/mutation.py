"""Mutation score of a course's checks: how many one-site mutants of the reference lose points.

The mutants of an assignment's reference solution (`grader.course.mutants`: operators,
constants, signs, swapped arguments, off-by-one ranges and slices, max/min, ...) are written as
submission files next to the unchanged reference, into a temporary folder, and graded all in ONE
run of the real engine (public and hidden checks, full sandbox, `jobs` sessions), exactly as
students' files are. A mutant is killed when the exercise it falls in scores less than the
unchanged reference; a mutant in a helper (`_name`) is killed when any exercise does. A
survivor is a wrong answer the checks would accept, or a mutant that changes nothing a check can
see (an equivalent one): a human judges which.

`grader validate --mutants` and `benchmarks/mutation.py` print what `score` returns.
"""

from __future__ import annotations

import functools
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.course.config import Assignment, Course
from grader.course.mutants import Mutant, mutate_source
from grader.course.submissions import discover
from grader.grading.results import SubmissionResult
from grader.grading.run import grade

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

    @property
    def survivors(self) -> tuple[Outcome, ...]:
        """The mutants that lost no points where they should have, in source order."""
        return tuple(outcome for outcome in self.outcomes if not outcome.killed)

    def per_function(self) -> dict[str, tuple[int, int]]:
        """Per mutated function (exercise or helper), in source order: (killed, mutants)."""
        made = Counter(outcome.mutant.function for outcome in self.outcomes)
        killed = Counter(outcome.mutant.function for outcome in self.outcomes if outcome.killed)
        return {name: (killed[name], count) for name, count in made.items()}


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
    course: Course,
    assignment: Assignment,
    mutants: Sequence[Mutant],
    jobs: int | None = None,
    *,
    hidden_only: bool = False,
) -> tuple[list[Outcome], tuple[str, ...]]:
    """Grade the mutants and the unchanged reference in one engine run; judge each mutant.

    With `hidden_only`, a mutant is killed only by points lost on hidden checks: what the hidden
    checks would accept, which is what `grader validate --mutants` shows an author (students
    can run the public ones themselves).

    Also returns the exercises on which the unchanged reference itself lost points (it should
    lose none; a mutant there cannot lose what was never earned). A problem with the checks
    themselves raises `grader.grading.run.GradingError`.
    """
    exercises = assignment.points_by_exercise
    with tempfile.TemporaryDirectory(prefix="gradkit-mutants-") as folder:
        root = Path(folder)
        (root / f"{REFERENCE_ID}.py").write_text(assignment.solution.read_text())
        for index, mutant in enumerate(mutants):
            (root / f"mutant{index:05d}.py").write_text(mutant.source)
        result = grade(course, assignment, discover(root, assignment.id), jobs=jobs)
    graded = {submission.student: submission for submission in result.submissions}
    baseline = graded[REFERENCE_ID]
    points = functools.partial(_points, hidden_only=hidden_only)
    reference_losses = tuple(
        name for name, points in exercises.items() if _points(baseline, name) < points - LOSS
    )
    outcomes = []
    for index, mutant in enumerate(mutants):
        submission = graded[f"mutant{index:05d}"]
        lost = tuple(
            name for name in exercises if points(submission, name) < points(baseline, name) - LOSS
        )
        own = mutant.function in exercises
        killed = mutant.function in lost if own else bool(lost)
        outcomes.append(Outcome(mutant, killed, lost))
    return outcomes, reference_losses


def _points(submission: SubmissionResult, exercise: str, *, hidden_only: bool = False) -> float:
    result = submission.exercises.get(exercise)
    if result is None:
        return 0.0
    if hidden_only:
        return sum(check.points for check in result.checks if check.hidden)
    return result.points


def score(
    course: Course,
    assignment: Assignment,
    limit: int | None = None,
    jobs: int | None = None,
    *,
    hidden_only: bool = False,
) -> Score:
    """Make, grade and judge the mutants of one assignment (see `grade_mutants`)."""
    mutants, equivalent = assignment_mutants(assignment, limit)
    start = time.perf_counter()
    outcomes, reference_losses = grade_mutants(
        course, assignment, mutants, jobs, hidden_only=hidden_only
    )
    return Score(
        assignment=assignment.id,
        outcomes=tuple(outcomes),
        equivalent=equivalent,
        given=assignment.given,
        reference_losses=reference_losses,
        seconds=time.perf_counter() - start,
    )


def percent(part: int, whole: int) -> str:
    """`part` of `whole` as a percentage with one decimal ("n/a" of nothing)."""
    return f"{100 * part / whole:.1f}%" if whole else "n/a"
