"""The course as the rest of grader sees it: frozen dataclasses read from course.toml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

COURSE_FILE = "course.toml"
# The keys of an assignment's check files in course.toml, with the default path of each
# (`{id}` is the assignment's id); a default file that does not exist means there is none.
CHECK_FILES = {
    "public_checks": "checks/{id}/public.py",
    "hidden_checks": "checks/{id}/hidden.py",
    "wrong_formulas": "checks/{id}/known.py",
}


class CourseError(Exception):
    """A mistake in course.toml; str(error) is one sentence naming the file and the key."""


@dataclass(frozen=True)
class Limits:
    """What one submission may use: wall-clock seconds per call and in all, memory in MB."""

    seconds_per_call: float
    seconds_per_submission: float
    memory_mb: int


@dataclass(frozen=True)
class Exercise:
    """One graded function of an assignment (its id is the function name) and its points."""

    id: str
    points: float


@dataclass(frozen=True)
class Figure:
    """A figure the assignment's notebook draws: a Python file (its docstring the caption, the
    rest one code cell), placed after the `##` section of the stub's docstring headed `after`
    (None: after the notebook's introduction)."""

    path: Path
    after: str | None = None


@dataclass(frozen=True)
class Assignment:
    """One module of exercises: the student stub, its reference solution, points and limits."""

    id: str
    title: str
    module: Path
    solution: Path
    given: tuple[str, ...]
    exercises: tuple[Exercise, ...]
    limits: Limits
    # The check files (see `CHECK_FILES`); None where the course has none of that kind.
    public_checks: Path | None = None
    hidden_checks: Path | None = None
    wrong_formulas: Path | None = None
    figures: tuple[Figure, ...] = ()

    @property
    def check_files(self) -> tuple[Path, ...]:
        """The files whose checks grade this assignment: public ones first, then hidden ones."""
        return tuple(path for path in (self.public_checks, self.hidden_checks) if path)

    @property
    def max_points(self) -> float:
        """The points of a submission that passes every check."""
        return float(sum(exercise.points for exercise in self.exercises))

    @property
    def points_by_exercise(self) -> dict[str, float]:
        """Each exercise's id and points, in the assignment's order."""
        return {exercise.id: exercise.points for exercise in self.exercises}

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise with this id; a CourseError naming the known ones if there is none."""
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        known = ", ".join(exercise.id for exercise in self.exercises)
        raise CourseError(
            f"assignment {self.id} has no exercise {exercise_id!r}; its exercises are {known}."
        )


@dataclass(frozen=True)
class Course:
    """The whole course as read from course.toml (`path`, absolute)."""

    id: str
    title: str
    seed: int
    limits: Limits
    assignments: tuple[Assignment, ...]
    path: Path

    @property
    def root(self) -> Path:
        """The folder of course.toml, against which its paths are resolved."""
        return self.path.parent

    def assignment(self, assignment_id: str) -> Assignment:
        """The assignment with this id; a CourseError listing the known ones if there is none."""
        for assignment in self.assignments:
            if assignment.id == assignment_id:
                return assignment
        known = ", ".join(assignment.id for assignment in self.assignments)
        raise CourseError(
            f"{shown(self.path)} has no assignment {assignment_id!r}; choose one of {known}."
        )


def shown(path: Path) -> str:
    """A path as a user would type it: relative to the working folder when it lies inside it."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)
