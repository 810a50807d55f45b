"""Plain result records made by grading and read by reports: per check, exercise and submission."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field


# slots: a grading run of 10,000 submissions holds some 300,000 of these at once.
@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check against one submission; `message` is what the student reads."""

    name: str
    exercise: str
    points: float
    max_points: float
    passed: bool
    hidden: bool
    message: str = ""

    def as_dict(self, rounded: bool = True) -> dict:
        """The check as it appears in grades.json; `rounded=False` keeps the exact shares, which
        a shard sends so that the exercise's sum is taken before rounding."""
        points, max_points = self.points, self.max_points
        if rounded:
            points, max_points = round(points, 6), round(max_points, 6)
        return {
            "name": self.name,
            "points": points,
            "max_points": max_points,
            "passed": self.passed,
            "hidden": self.hidden,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ExerciseResult:
    """The checks of one exercise for one submission, and the points they add up to."""

    exercise: str
    max_points: float
    checks: tuple[CheckResult, ...] = ()
    # The points as grades.json recorded them, for an entry read back from it: its checks hold
    # rounded shares, whose sum may differ from the total in the last decimal.
    recorded: float | None = None

    @property
    def points(self) -> float:
        """Points earned: the sum over checks, rounded so float noise never shows in reports.

        Checks keep their unrounded shares, so that passing them all adds up to `max_points`.
        """
        if self.recorded is not None:
            return self.recorded
        return min(round(sum(check.points for check in self.checks), 6), self.max_points)

    def as_dict(self, rounded: bool = True) -> dict:
        """The exercise as it appears in grades.json (see `CheckResult.as_dict`)."""
        return {
            "points": self.points,
            "max_points": self.max_points,
            "checks": [check.as_dict(rounded) for check in self.checks],
        }


@dataclass(frozen=True, slots=True)
class SubmissionResult:
    """Everything graded for one student; `error` says why a submission could not be read."""

    student: str
    source: str
    max_points: float
    exercises: dict[str, ExerciseResult] = field(default_factory=dict)
    error: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def points(self) -> float:
        """Total points earned over all exercises."""
        return round(sum(result.points for result in self.exercises.values()), 6)

    def as_dict(self, rounded: bool = True) -> dict:
        """The submission as it appears in grades.json (see `CheckResult.as_dict`)."""
        return {
            "student": self.student,
            "source": self.source,
            "points": self.points,
            "max_points": self.max_points,
            "error": self.error,
            "notes": list(self.notes),
            "exercises": {name: result.as_dict(rounded) for name, result in self.exercises.items()},
        }

    @classmethod
    def ungraded(
        cls, student: str, source: str, exercises: dict[str, float], error: str
    ) -> SubmissionResult:
        """A submission given 0 on every exercise (`exercises`: id -> points) for `error`."""
        return cls(
            student=student,
            source=source,
            max_points=float(sum(exercises.values())),
            exercises={name: ExerciseResult(name, points) for name, points in exercises.items()},
            error=error,
        )

    @classmethod
    def from_dict(cls, data: dict, *, recorded: bool = False) -> SubmissionResult:
        """Rebuild a submission's result from its grades.json form (as shards send it, with
        unrounded shares); `recorded`: from a grades.json file, keeping its points as written."""
        exercises = {
            name: ExerciseResult(
                exercise=name,
                max_points=float(entry["max_points"]),
                checks=tuple(_check_from_dict(name, check) for check in entry.get("checks", [])),
                recorded=float(entry["points"]) if recorded else None,
            )
            for name, entry in data["exercises"].items()
        }
        return cls(
            student=data["student"],
            source=data["source"],
            max_points=float(data["max_points"]),
            exercises=exercises,
            error=data.get("error"),
            notes=tuple(data.get("notes", [])),
        )


# The few distinct point values (each check's share, and 0), one float object each.
_POINTS: dict[float, float] = {}


def _check_from_dict(exercise: str, data: dict) -> CheckResult:
    # Names, exercises, point values and most messages ("passed", the same mistake made by many
    # students) repeat across submissions: 10,000 results keep one shared copy of each.
    points, max_points = data["points"], data["max_points"]
    return CheckResult(
        name=sys.intern(data["name"]),
        exercise=sys.intern(exercise),
        points=_POINTS.setdefault(points, points),
        max_points=_POINTS.setdefault(max_points, max_points),
        passed=data["passed"],
        hidden=data["hidden"],
        message=sys.intern(data.get("message", "")),
    )


@dataclass(frozen=True)
class GradingResult:
    """The grades of one assignment over all submissions, as written to grades.json."""

    course: str
    assignment: str
    max_points: float
    isolation: str
    submissions: tuple[SubmissionResult, ...] = ()
    isolation_layers: tuple[str, ...] = ()
    graded_at: str = ""

    def as_dict(self) -> dict:
        """The whole report with exactly the keys of the grades.json contract (plus a few extra)."""
        return {
            "course": self.course,
            "assignment": self.assignment,
            "max_points": self.max_points,
            "isolation": self.isolation,
            "isolation_layers": list(self.isolation_layers),
            "graded_at": self.graded_at,
            "submissions": [submission.as_dict() for submission in self.submissions],
        }
