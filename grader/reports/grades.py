"""Writes one assignment's grades as grades.json (the full record) and grades.csv (a row each).

grades.json is `GradingResult.as_dict()` as it is, so its keys and nesting are the contract of
`grader.grading.results`; grades.csv is the table an instructor opens in a spreadsheet. Both are
written the same way byte for byte for the same result, so re-grading shows up in a diff only where
a grade changed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

from grader.grading.results import ExerciseResult, GradingResult, SubmissionResult
from grader.reports.text import format_points, plural, printable

JSON_NAME = "grades.json"
CSV_NAME = "grades.csv"
# A spreadsheet runs a cell starting with one of these as a formula; student ids and error
# messages come from submissions, so such cells get a leading apostrophe (OWASP's advice).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# json.dumps escapes C0 but leaves DEL, C1 and the bidirectional controls raw, which a terminal
# showing the file (`cat grades.json`) would obey; as \u escapes the data stays exactly the same.
# So do lone surrogates: a file name that is not UTF-8 (Python keeps its bytes as surrogates),
# which could not be written as UTF-8 at all and would lose the whole run's grades.
_RAW_IN_JSON = re.compile(
    "[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
PRACTICE = "practice"


def write_grades(
    result: GradingResult, out_dir: Path, *, exercise_ids: Sequence[str] | None = None
) -> tuple[Path, Path]:
    """Write grades.json and grades.csv into `out_dir` (created if needed); return their paths.

    The CSV has one column per exercise in the order of `exercise_ids` (the course's order);
    without it, the order in which the submissions' results list their exercises.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, csv_path = out_dir / JSON_NAME, out_dir / CSV_NAME
    _write_atomically(json_path, grades_json(result))
    _write_atomically(csv_path, grades_csv(result, exercise_ids=exercise_ids))
    return json_path, csv_path


def read_grades(path: str | Path) -> dict:
    """The content of a grades.json file, as plain data."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def grades_json(result: GradingResult) -> str:
    """The text of grades.json: the result's dict, indented by 2, keys in the contract's order.

    Student text is kept exactly; only characters a terminal would obey are written as escapes.
    """
    text = json.dumps(result.as_dict(), indent=2, ensure_ascii=False)
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"


def grades_csv(result: GradingResult, *, exercise_ids: Sequence[str] | None = None) -> str:
    """The text of grades.csv: `student,<exercises...>,total,max_points,error`, one row each.

    Points are rounded as everywhere they are shown (`format_points`); an exercise worth no
    points reads `practice (2 of 3 checks passed)`.
    """
    columns = list(exercise_ids) if exercise_ids is not None else _exercise_order(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *columns, "total", "max_points", "error"])
    for submission in result.submissions:
        writer.writerow(_row(submission, columns))
    return buffer.getvalue()


def _row(submission: SubmissionResult, columns: Sequence[str]) -> list[str]:
    exercises = submission.exercises
    cells = [_cell(exercises[name]) if name in exercises else "" for name in columns]
    return [
        _spreadsheet_safe(submission.student),
        *cells,
        format_points(submission.points),
        format_points(submission.max_points),
        _spreadsheet_safe(submission.error or ""),
    ]


def _cell(exercise: ExerciseResult) -> str:
    if exercise.max_points:
        return format_points(exercise.points)
    passed = sum(check.passed for check in exercise.checks)
    return f"{PRACTICE} ({passed} of {plural(len(exercise.checks), 'check')} passed)"


def _exercise_order(result: GradingResult) -> list[str]:
    """Exercise ids in first-seen order: a submission lost before grading may list none."""
    order: dict[str, None] = {}
    for submission in result.submissions:
        order.update(dict.fromkeys(submission.exercises))
    return list(order)


def _spreadsheet_safe(text: str) -> str:
    """Student text for a cell: control characters escaped, and never read as a formula."""
    text = printable(text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and a rename, so a reader never sees half a grades file; the
    file is on disk before the rename, so a power cut leaves the old file or the new one."""
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8", newline="") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)
