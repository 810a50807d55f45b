"""The file an LMS exports (its roster), read and written back exactly as it came, and its rows
matched to gradkit's students.

An LMS imports its own export best, so the roster is kept as it is: the same columns in the
same order, every row (including rows that are not students), the same delimiter, line ending
and UTF-8 byte-order mark; the exporters change only the cells of the assignment's grades.

Matching: gradkit's student is the name of the submission's file or folder (a login, an
nbgrader id, an email address). It matches a roster row whose cell in the match column is the
same text, ignoring case and surrounding spaces; failing that, a cell holding an email address
matches by the part before the `@` (`alice` matches `Alice@uni.edu`). A student matching two
rows, or two students matching one row, is never guessed: they are listed and left out.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from grader.reports.exports.grades_file import Entry, ExportError
from grader.reports.text import printable

BOM = "\ufeff"
# Comma first: the usual delimiter wins a tie. Canvas writes `;` where a user asks for it (and
# in locales that write decimal commas); Moodle's worksheet may be tab-separated after Excel.
_DELIMITERS = (",", ";", "\t")


@dataclass
class Roster:
    """An LMS's export: its rows (the header first) and how the file was written."""

    path: Path
    rows: list[list[str]]
    delimiter: str = ","
    bom: bool = False
    newline: str = "\n"

    @property
    def header(self) -> list[str]:
        """The first row: the column names."""
        return self.rows[0]

    def column(self, name: str) -> int | None:
        """The index of the column `name` (exactly, else ignoring case and spaces), or None."""
        if name in self.header:
            return self.header.index(name)
        wanted = match_key(name)
        found = [index for index, cell in enumerate(self.header) if match_key(cell) == wanted]
        return found[0] if found else None

    def match_column(self, chosen: str | None, defaults: Sequence[str], lms: str) -> int:
        """The index of the column to match students on: `chosen` (--match), else the first
        of `defaults` the roster has; a missing column is one sentence naming what it has."""
        names = [chosen] if chosen is not None else list(defaults)
        for name in names:
            index = self.column(name)
            if index is not None:
                return index
        has = ", ".join(printable(cell) for cell in self.header)
        if chosen is not None:
            raise ExportError(
                f"{self.path} has no column {printable(chosen)} to match students on (--match); "
                f"its columns are: {has}."
            )
        raise ExportError(
            f"{self.path} has none of the columns {lms} rosters match students on "
            f"({', '.join(defaults)}); its columns are: {has}; name one with --match."
        )

    def set_cell(self, row: int, column: int, value: str) -> None:
        """Write `value` into a cell, padding a short row with empty cells up to it."""
        cells = self.rows[row]
        cells.extend([""] * (column + 1 - len(cells)))
        cells[column] = value

    def text(self) -> str:
        """The roster as CSV text, written as the file was (delimiter, line ending, BOM)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline)
        writer.writerows(self.rows)
        return (BOM if self.bom else "") + buffer.getvalue()


def read_roster(path: Path, lms: str) -> Roster:
    """The roster in `path`, the CSV file `lms` exports; one sentence if it is not one."""
    path = Path(path)
    advice = f"give --roster the CSV file {lms} exports"
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ExportError(f"{path} cannot be read ({reason}); {advice}.") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ExportError(
            f"{path} is not UTF-8 text (a spreadsheet, or a CSV saved in another encoding); "
            f"{advice}, or save it as CSV UTF-8."
        ) from None
    bom = text.startswith(BOM)
    text = text.removeprefix(BOM)
    if not text.strip():
        raise ExportError(f"{path} is empty; {advice}.")
    delimiter = _delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise ExportError(f"{path} is not a CSV file ({error}); {advice}.") from None
    if len(rows[0]) < 2:
        raise ExportError(
            f"{path} is not a CSV file with columns (its first line has one cell); {advice}."
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    return Roster(path, rows, delimiter, bom, newline)


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns (a comma on a tie)."""
    first = text.splitlines()[0]

    def columns(delimiter: str) -> int:
        return len(next(csv.reader([first], delimiter=delimiter), []))

    return max(_DELIMITERS, key=columns)


def match_key(text: str) -> str:
    """Text as matching compares it: case and surrounding spaces ignored."""
    return text.strip().casefold()


@dataclass
class Matches:
    """Which roster row each submission's grade goes to, and the submissions it cannot go to."""

    rows: dict[int, Entry] = field(default_factory=dict)
    unmatched: list[Entry] = field(default_factory=list)
    # Submission -> the rows it matched, for a student matching several rows or sharing one.
    ambiguous: list[tuple[Entry, tuple[int, ...]]] = field(default_factory=list)


# An entry's own (column, key) to match on instead of the match column's, or None.
Alternative = Callable[[Entry], "tuple[int, str] | None"]


def match_rows(
    roster: Roster,
    column: int,
    student_rows: Iterable[int],
    entries: Iterable[Entry],
    *,
    alternative: Alternative | None = None,
) -> Matches:
    """Match each entry to one of `student_rows` by its cell in `column` (module docstring), or
    by the column and key `alternative` gives for it."""
    rows = list(student_rows)
    indexes: dict[int, tuple[dict[str, list[int]], dict[str, list[int]]]] = {}
    matches = Matches()
    claims: dict[int, list[Entry]] = {}
    for entry in entries:
        where = alternative(entry) if alternative is not None else None
        index, key = where or (column, match_key(entry.student))
        if index not in indexes:
            indexes[index] = _index(roster, index, rows)
        exact, by_local_part = indexes[index]
        found = exact.get(key) or by_local_part.get(key, [])
        if not found:
            matches.unmatched.append(entry)
        elif len(found) > 1:
            matches.ambiguous.append((entry, tuple(found)))
        else:
            claims.setdefault(found[0], []).append(entry)
    for row, claimants in claims.items():
        if len(claimants) == 1:
            matches.rows[row] = claimants[0]
        else:
            matches.ambiguous.extend((entry, (row,)) for entry in claimants)
    return matches


def _index(
    roster: Roster, column: int, rows: Iterable[int]
) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """The rows by their cell in `column` (as `match_key` has it), and by an email's local part."""
    exact: dict[str, list[int]] = {}
    by_local_part: dict[str, list[int]] = {}
    for row in rows:
        cells = roster.rows[row]
        key = match_key(cells[column]) if column < len(cells) else ""
        if not key:
            continue
        exact.setdefault(key, []).append(row)
        if "@" in key:
            by_local_part.setdefault(key.rsplit("@", 1)[0], []).append(row)
    return exact, by_local_part


def parse_number(text: str) -> float | None:
    """A number as an LMS writes it (`10`, `10.00`, `10,00`), or None for anything else."""
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def write_atomically(path: Path, text: str) -> None:
    """Write `text` (UTF-8) via a temporary file and a rename, so a reader or an LMS upload
    never sees half a file; the folder is created if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8", newline="") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)
