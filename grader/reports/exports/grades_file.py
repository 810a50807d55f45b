"""Reads the grades an export starts from: a grader output folder's grades.json, as entries.

grades.json is `grader.grading.results`' contract. An export needs only each submission's
student, points, max points, error and, where grading recorded them, the points before a late
penalty, the penalty and when it was submitted; entries written before those keys existed read
as on time (no penalty, raw points = points).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.reports.grades import JSON_NAME, read_grades


class ExportError(Exception):
    """An export that cannot be made as asked; `str()` is one sentence for the user."""


@dataclass(frozen=True)
class Entry:
    """One submission's grade, as an export writes it."""

    student: str
    points: float
    max_points: float
    raw_points: float
    late_penalty: float
    submitted_at: str | None
    error: str | None


@dataclass(frozen=True)
class Grades:
    """One assignment's grades: its id, what it is worth, and a grade per submission."""

    path: Path
    assignment: str
    max_points: float
    entries: tuple[Entry, ...]


def read_grades_folder(folder: Path) -> Grades:
    """The grades in `folder`/grades.json (or in `folder` itself, if it names the file)."""
    folder = Path(folder)
    path = folder if folder.is_file() else folder / JSON_NAME
    if not path.is_file():
        raise ExportError(
            f"{folder} has no {JSON_NAME}; give grader export the folder that "
            "`grader grade --out` wrote."
        )
    try:
        data = read_grades(path)
        entries = tuple(_entry(item) for item in data["submissions"])
        return Grades(path, str(data["assignment"]), float(data["max_points"]), entries)
    except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError):
        raise ExportError(
            f"{path} is not a grades.json that gradkit wrote; give grader export the folder "
            "that `grader grade --out` wrote."
        ) from None


def _entry(item: dict) -> Entry:
    points = float(item["points"])
    submitted_at = item.get("submitted_at")
    return Entry(
        student=str(item["student"]),
        points=points,
        max_points=float(item["max_points"]),
        raw_points=float(item.get("raw_points", points)),
        late_penalty=float(item.get("late_penalty") or 0),
        submitted_at=None if submitted_at is None else str(submitted_at),
        error=None if item.get("error") is None else str(item["error"]),
    )
