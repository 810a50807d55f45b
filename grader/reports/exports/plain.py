"""A plain CSV of one assignment's grades, for any LMS or spreadsheet without a roster:
`student,points,max_points,late_penalty,raw_points,submitted_at,error`, one row per submission.

`points` is what the student earned after any late penalty; `raw_points` before it.
"""

from __future__ import annotations

import csv
import io

from grader.reports.exports.grades_file import Grades
from grader.reports.grades import _spreadsheet_safe
from grader.reports.text import format_points

COLUMNS = ("student", "points", "max_points", "late_penalty", "raw_points", "submitted_at", "error")


def plain_csv(grades: Grades) -> str:
    """The CSV text; student names and errors come from submissions, so they are guarded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in grades.entries:
        writer.writerow(
            [
                _spreadsheet_safe(entry.student),
                format_points(entry.points),
                format_points(entry.max_points),
                format_points(entry.late_penalty),
                format_points(entry.raw_points),
                entry.submitted_at or "",
                _spreadsheet_safe(entry.error or ""),
            ]
        )
    return buffer.getvalue()
