"""Canvas: the gradebook CSV Canvas exports (Grades > Export), with the assignment's grades in.

Canvas's export starts `Student, ID, SIS User ID, SIS Login ID, Section`, then custom columns,
one column per assignment named `Title (id)`, then read-only totals (Current Score, Final
Grade...), which its import ignores. Its second row (or third, after a `Manual Posting` or
`Muted` row) is `    Points Possible`. On import, a column named `Title (id)` updates that
assignment, a new column named without an id creates an assignment with the points possible
written in that row, and an empty cell changes nothing. Canvas matches students by its own ID
column, so those cells are never touched.

So the grades go into the assignment's column if the roster has one (its title, without the
id, is the assignment's id or --column), else into a new column at the end, named after the
assignment, with gradkit's max points as its points possible.
"""

from __future__ import annotations

import re

from grader.reports.exports.filled import Filled, lms_points, scale_note
from grader.reports.exports.grades_file import ExportError, Grades
from grader.reports.exports.roster import Roster, match_key, match_rows, parse_number
from grader.reports.text import format_points, printable

# Where Canvas keeps each student's logins, the most likely to name a submission first.
MATCH_COLUMNS = ("SIS Login ID", "SIS User ID", "ID")
# The columns that say who a row is: never an assignment's.
STUDENT_COLUMNS = (
    "Student",
    "LastName",
    "FirstName",
    "ID",
    "SIS User ID",
    "SIS Login ID",
    "Section",
    "Integration ID",
    "Root Account",
)
# The row Canvas adds above Points Possible when an assignment's grades are hidden.
_POSTING_ROW = re.compile(r"^\s*(Muted|Manual Posting.*)?\s*$", re.IGNORECASE)
_TITLE_WITH_ID = re.compile(r"^(?P<title>.*?)\s*\((?P<id>\d+)\)\s*$")
# Columns Canvas's import drops by name (also with "Unposted" before them): a new assignment
# named so would silently not import.
_READ_ONLY_NAMES = (
    "Current Score",
    "Current Points",
    "Current Grade",
    "Final Score",
    "Final Points",
    "Final Grade",
    "Override Score",
    "Override Grade",
    "Override Status",
)


def fill_canvas(
    roster: Roster, grades: Grades, *, match: str | None = None, column: str | None = None
) -> Filled:
    """`roster` (Canvas's gradebook export) with the grades in the assignment's column."""
    header = roster.header
    if not (_starts(header, "Student", "ID") or _starts(header, "LastName", "FirstName", "ID")):
        raise ExportError(
            f"{roster.path} is not a Canvas gradebook export (it starts "
            f"{', '.join(printable(cell) for cell in header[:2])}, not Student, ID); give "
            "--roster the CSV of Canvas's Grades > Export."
        )
    match_index = roster.match_column(match, MATCH_COLUMNS, "Canvas")
    name = column or grades.assignment
    index = _assignment_column(roster, name)
    points_row = _points_possible_row(roster)
    notes: list[str] = []
    lms_max = None
    if index is None:
        _refuse_read_only_name(name)
        index = len(header)
        header.append(name)
        if points_row is None:  # written by hand: Canvas reads a new column's points here
            points_row = 1
            roster.rows.insert(points_row, ["    Points Possible"])
        for row in range(1, len(roster.rows)):
            if roster.rows[row]:
                roster.set_cell(row, index, "")
        roster.set_cell(points_row, index, format_points(grades.max_points))
    elif points_row is not None and index < len(roster.rows[points_row]):
        possible = roster.rows[points_row][index]
        if "read only" in possible.casefold():
            raise ExportError(
                f"column {printable(header[index])} of {roster.path} is read only in Canvas; "
                "name the assignment's own column with --column."
            )
        lms_max = parse_number(possible)
        if lms_max is not None and lms_max > 0 and lms_max != grades.max_points:
            notes.append(scale_note("Canvas", "points possible", lms_max, grades.max_points))
    student_rows = [
        row
        for row, cells in enumerate(roster.rows[1:], 1)
        if row != points_row and not _posting_row(cells)
    ]
    matches = match_rows(roster, match_index, student_rows, grades.entries)
    for row, entry in matches.rows.items():
        roster.set_cell(row, index, lms_points(entry, grades.max_points, lms_max))
    return Filled(roster.text(), matches, len(student_rows), header[index], notes)


def _posting_row(cells: list[str]) -> bool:
    """A row of no student: blank, or saying which assignments are muted or posted by hand
    (older exports start it with `Student`)."""
    first, rest = (cells[0], cells[1:]) if cells else ("", [])
    return first.strip() in ("", "Student") and all(_POSTING_ROW.match(cell) for cell in rest)


def _points_possible_row(roster: Roster) -> int | None:
    """The row Canvas writes each assignment's points possible in, if the roster has it."""
    for row, cells in enumerate(roster.rows[1:], 1):
        if cells and "Points Possible" in cells[0]:
            return row
    return None


def _starts(header: list[str], *words: str) -> bool:
    """Whether the header's first cells hold `words`, the test Canvas's import makes."""
    return len(header) > len(words) and all(
        word in cell for word, cell in zip(words, header, strict=False)
    )


def _assignment_column(roster: Roster, name: str) -> int | None:
    """The column of the assignment `name`: named so, or `name (id)`; two is an error."""
    wanted = match_key(name)
    found = []
    for index, cell in enumerate(roster.header):
        if cell in STUDENT_COLUMNS:
            continue
        titled = _TITLE_WITH_ID.match(cell)
        if match_key(cell) == wanted or (titled and match_key(titled["title"]) == wanted):
            found.append(index)
    if len(found) > 1:
        columns = " and ".join(printable(roster.header[index]) for index in found)
        raise ExportError(
            f"{roster.path} has two columns for {printable(name)} ({columns}); name the one "
            "to fill with --column."
        )
    return found[0] if found else None


def _refuse_read_only_name(name: str) -> None:
    if name in STUDENT_COLUMNS:
        raise ExportError(
            f"{name} is a column of Canvas's students, not of an assignment; give the "
            "assignment's column another name with --column."
        )
    for read_only in _READ_ONLY_NAMES:
        if read_only.casefold() in name.casefold():
            raise ExportError(
                f"Canvas ignores a column named {printable(name)} on import (it reads as its "
                f"{read_only} total); give the assignment's column another name with --column."
            )
