"""What filling a roster gives back: its text, the matches, and the notes for the instructor;
and the points an LMS is given when it counts the assignment out of other points than gradkit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.reports.exports.grades_file import Entry
from grader.reports.exports.roster import Matches
from grader.reports.text import format_points


@dataclass
class Filled:
    """A roster with the assignment's grades in it, ready to be written and imported."""

    text: str
    matches: Matches
    student_rows: int
    column: str
    notes: list[str] = field(default_factory=list)


def lms_points(entry: Entry, max_points: float, lms_max: float | None) -> str:
    """The points of `entry` as the LMS's cell: scaled to `lms_max` when the LMS counts the
    assignment out of other points than gradkit's `max_points` (an LMS keeps its own maximum,
    Moodle's default is 100, and refuses a grade above it), never below 0 nor above it."""
    points = entry.points
    top = max_points
    if lms_max is not None and lms_max > 0 and max_points > 0 and lms_max != max_points:
        points, top = points * lms_max / max_points, lms_max
    return format_points(min(max(points, 0.0), top))


def scale_note(lms: str, what: str, lms_max: float, max_points: float) -> str:
    """The line saying that grades were scaled to the LMS's maximum."""
    return (
        f"{lms}'s {what} is {format_points(lms_max)} and gradkit's is "
        f"{format_points(max_points)}: the grades are scaled to {format_points(lms_max)}."
    )
