"""`grader export`: one assignment's grades as a file Canvas or Moodle imports, or a plain CSV.

Exit status: 0 when the file is written (submissions the roster has no row for are listed, one
line each, and counted: never dropped silently), 2 with one sentence for a usage mistake (an
unknown --to, a roster that is not the LMS's CSV or lacks the --match column, no grades.json).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from grader.cli.common import UsageError

if TYPE_CHECKING:
    from grader.reports.exports.filled import Filled

_LMS = {"canvas": "Canvas", "moodle": "Moodle"}
_ROSTERS = {
    "canvas": "the gradebook CSV Canvas exports (Grades > Export > Export Entire Gradebook)",
    "moodle": "the assignment's grading worksheet Moodle exports (View all submissions > "
    "Download grading worksheet)",
}


def add_export_command(commands: argparse._SubParsersAction) -> None:
    """`export`: write a grader output folder's grades for an LMS or as a plain CSV."""
    export = commands.add_parser(
        "export",
        help="write an assignment's grades for Canvas, Moodle or as a plain CSV",
        description="Write the grades in GRADES_DIR/grades.json as a file to import: with "
        "--to canvas or moodle, the roster that LMS exports, returned with the assignment's "
        "grades filled in (rows matched to gradkit's students on --match); with --to csv, a "
        "plain CSV of student, points, max points and late penalty. Submissions the roster has "
        "no row for are listed on standard error.",
    )
    export.add_argument("grades_dir", metavar="GRADES_DIR", help="the folder grader grade wrote")
    export.add_argument(
        "--to",
        required=True,
        choices=("canvas", "moodle", "csv"),
        help="the LMS to import into, or csv",
    )
    export.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    export.add_argument(
        "--roster",
        metavar="FILE",
        help="the CSV the LMS exports (Canvas: the gradebook; Moodle: the assignment's grading "
        "worksheet); needed by --to canvas and moodle",
    )
    export.add_argument(
        "--match",
        metavar="COLUMN",
        help="the roster column holding gradkit's student names (default: Canvas: SIS Login ID, "
        "SIS User ID or ID; Moodle: Username, Email address, ID number or Identifier, "
        "whichever it has first); an email address also matches by the part before @",
    )
    export.add_argument(
        "--column",
        metavar="NAME",
        help="the roster column to write the grades in (default: Canvas: the assignment's own "
        "column, titled with the assignment's id (`derivatives (1234)`), else a new column "
        "named after the assignment; Moodle: Grade)",
    )
    export.set_defaults(run=run_export)


def run_export(arguments: argparse.Namespace, console: Console) -> int:
    """`grader export`: write --out, then say what went where; 0 once it is written."""
    from grader.reports.exports.canvas import fill_canvas
    from grader.reports.exports.grades_file import ExportError, read_grades_folder
    from grader.reports.exports.moodle import fill_moodle
    from grader.reports.exports.plain import plain_csv
    from grader.reports.exports.roster import read_roster, write_atomically

    target, out = arguments.to, Path(arguments.out)
    _check_options(arguments)
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder; give --out the file to write.")
    fillers = {"canvas": fill_canvas, "moodle": fill_moodle}
    try:
        grades = read_grades_folder(Path(arguments.grades_dir))
        filled = None
        if target == "csv":
            text = plain_csv(grades)
        else:
            roster = read_roster(Path(arguments.roster), _LMS[target])
            filled = fillers[target](roster, grades, match=arguments.match, column=arguments.column)
            text = filled.text
    except ExportError as error:
        raise UsageError(str(error)) from None
    try:
        write_atomically(out, text)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UsageError(
            f"{out} cannot be written ({reason}); give --out a file you can write."
        ) from None
    if filled is None:
        console.print(Text(f"wrote {out}: the grades of {_count(len(grades.entries))}."))
        return 0
    _report(filled, Path(arguments.roster), out, console)
    return 0


def _check_options(arguments: argparse.Namespace) -> None:
    if arguments.to == "csv":
        extra = [name for name in ("roster", "match", "column") if getattr(arguments, name)]
        if extra:
            raise UsageError(
                f"--{extra[0]} is for --to canvas or moodle; --to csv lists every submission "
                "without a roster."
            )
    elif not arguments.roster:
        raise UsageError(
            f"--to {arguments.to} needs --roster: {_ROSTERS[arguments.to]}, so that the file "
            f"imports into {_LMS[arguments.to]}."
        )


def _report(filled: Filled, roster: Path, out: Path, console: Console) -> None:
    """Notes, then one line per submission left out, their count, and what was written."""
    from grader.reports.text import plural, points, printable

    for note in filled.notes:
        console.print(Text.assemble(("note:", "yellow"), " ", note))
    for entry, rows in filled.matches.ambiguous:
        where = (
            f"matches rows {' and '.join(str(row + 1) for row in rows)} of {roster}"
            if len(rows) > 1
            else f"matches row {rows[0] + 1} of {roster}, as another submission does"
        )
        console.print(Text(f"ambiguous: {printable(entry.student)} {where}; left out."))
    for entry in filled.matches.unmatched:
        console.print(
            Text(f"not in the roster: {printable(entry.student)} ({points(entry.points)})")
        )
    left_out = len(filled.matches.unmatched) + len(filled.matches.ambiguous)
    if left_out:
        console.print(
            Text(
                f"{plural(left_out, 'submission')} left out of {out}: add the students to the "
                "LMS, or name the roster column that holds gradkit's student names with --match.",
                style="bold yellow",
            )
        )
    written = len(filled.matches.rows)
    console.print(
        Text(
            f"wrote {out}: {plural(written, 'grade')} in column {printable(filled.column)}, for "
            f"{plural(filled.student_rows, 'roster row')} ({filled.student_rows - written} "
            "without a submission keep their cell)."
        )
    )


def _count(number: int) -> str:
    from grader.reports.text import plural

    return plural(number, "submission")
