"""Moodle: an assignment's offline grading worksheet (View all submissions > Download grading
worksheet), with the grades and a short feedback comment in.

The worksheet has `Identifier` ("Participant 12345", the row Moodle updates), `Full name`,
the identity fields the site shows (`Email address`, maybe `Username`, `ID number`), `Status`,
`Grade`, `Maximum Grade`, `Grade can be changed`, `Last modified (submission)`,
`Last modified (grade)` and, when feedback comments are on, `Feedback comments`. On upload
Moodle finds the columns by these (English) names, requires Identifier, Grade and Last modified
(grade), skips an empty grade, one above the Maximum Grade and one whose row says the grade
cannot be changed, and reads a grade with `.` as the decimal point in every language (its own
decimal separator is turned into `.` first), so grades are written with `.`.

Students are matched on --match (default: Username, Email address or ID number, whichever the
worksheet shows first, else Identifier); a student named as Moodle names downloaded submissions,
`Alice Smith_1234567_assignsubmission_file` (a folder of "Download all submissions"), matches
`Participant 1234567` whatever --match says, since that number is the row Moodle updates.

Feedback comments are HTML in Moodle, and an error message may quote a submission: the comment
is escaped.
"""

from __future__ import annotations

import html
import re

from grader.reports.exports.filled import Filled, lms_points, scale_note
from grader.reports.exports.grades_file import Entry, ExportError, Grades
from grader.reports.exports.roster import Roster, match_rows, parse_number
from grader.reports.text import format_points, points, printable

IDENTIFIER = "Identifier"
# Identifier last: with blind marking the worksheet shows no one's name, login or email.
MATCH_COLUMNS = ("Username", "Email address", "ID number", IDENTIFIER)
GRADE = "Grade"
# Besides the grade column, what Moodle needs to take the worksheet back.
REQUIRED = (IDENTIFIER, "Last modified (grade)")
MAXIMUM = "Maximum Grade"
CHANGEABLE = "Grade can be changed"
FEEDBACK = "Feedback comments"
# Moodle names each downloaded submission `<Full name>_<participant id>_assignsubmission_file`
# (a folder, or a prefix of the student's file name; `Participant_<id>_...` with blind marking).
_MOODLE_DOWNLOAD = re.compile(r"_(?P<id>\d+)_assignsubmission_", re.IGNORECASE)
_ERROR_CHARACTERS = 200  # a comment is a line in the gradebook, not the grading report


def fill_moodle(
    roster: Roster, grades: Grades, *, match: str | None = None, column: str | None = None
) -> Filled:
    """`roster` (Moodle's grading worksheet) with the grades and feedback comments in."""
    grade, identifier = _worksheet_columns(roster, column or GRADE)
    match_index = roster.match_column(match, MATCH_COLUMNS, "Moodle")
    maximum, changeable = roster.column(MAXIMUM), roster.column(CHANGEABLE)
    feedback = roster.column(FEEDBACK)
    student_rows = [row for row, cells in enumerate(roster.rows[1:], 1) if any(cells)]

    def participant(entry: Entry) -> tuple[int, str] | None:
        found = _MOODLE_DOWNLOAD.search(entry.student)
        return (identifier, f"participant {found['id']}") if found else None

    matches = match_rows(roster, match_index, student_rows, grades.entries, alternative=participant)
    maxima: set[float] = set()
    notes: list[str] = []
    for row, entry in sorted(matches.rows.items()):
        cells = roster.rows[row]
        lms_max = _cell_number(cells, maximum)
        if lms_max is not None and lms_max > 0 and lms_max != grades.max_points:
            maxima.add(lms_max)
        roster.set_cell(row, grade, lms_points(entry, grades.max_points, lms_max))
        if feedback is not None:
            roster.set_cell(row, feedback, feedback_comment(entry, grades.max_points))
        if changeable is not None and _cell(cells, changeable).strip().casefold() == "no":
            notes.append(
                f"Moodle will keep its own grade for {printable(entry.student)} (row {row + 1} "
                "says the grade cannot be changed)."
            )
    notes[:0] = [scale_note("Moodle", MAXIMUM, top, grades.max_points) for top in sorted(maxima)]
    return Filled(roster.text(), matches, len(student_rows), roster.header[grade], notes)


def _worksheet_columns(roster: Roster, grade_name: str) -> tuple[int, int]:
    """The grade column's and Identifier's indexes; one sentence if Moodle would refuse it."""
    grade, identifier = roster.column(grade_name), roster.column(IDENTIFIER)
    missing = [name for name in REQUIRED if roster.column(name) is None]
    if grade is None:
        missing.insert(1, grade_name)
    if grade is None or identifier is None or missing:
        has = ", ".join(printable(cell) for cell in roster.header)
        raise ExportError(
            f"{roster.path} is not a Moodle grading worksheet: it has no "
            f"{' or '.join(printable(name) for name in missing)} column (its columns are: "
            f"{has}); download it, with Moodle in English, from the assignment's Download "
            "grading worksheet."
        )
    return grade, identifier


def feedback_comment(entry: Entry, max_points: float) -> str:
    """The short comment Moodle shows with the grade: points, late penalty, error (escaped)."""
    text = f"gradkit: {format_points(entry.points)} of {points(max_points)}"
    if entry.late_penalty:
        text += (
            f" ({format_points(entry.raw_points)} before a late penalty of "
            f"{format_points(entry.late_penalty)})"
        )
    text += "."
    if entry.error:
        error = printable(entry.error)
        if len(error) > _ERROR_CHARACTERS:
            error = error[: _ERROR_CHARACTERS - 1] + "…"
        text += f" Not graded: {error}"
    # Starts with "gradkit:", so no spreadsheet reads it as a formula.
    return html.escape(text, quote=False)


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _cell_number(cells: list[str], index: int | None) -> float | None:
    return parse_number(_cell(cells, index)) if index is not None else None
