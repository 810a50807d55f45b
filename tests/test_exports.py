"""`grader export`: grades into the files Canvas and Moodle export, read back as they import them.

The rosters here are written in the LMSs' own shapes: Canvas's gradebook export (a byte-order
mark, `Last, First` names in quotes, a Manual Posting row, the `    Points Possible` row, the
read-only totals), Moodle's grading worksheet (`Participant N` identifiers, Maximum Grade,
Last modified (grade), Feedback comments), comma- and semicolon-separated.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from grader.cli.main import main

BOM = "\ufeff"
CANVAS_HEADER = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Homework 1 (1001),Current Points,"
    "Final Points,Current Score,Unposted Current Score,Final Score,Unposted Final Score"
)
CANVAS_ROWS = [
    ",,,,,Manual Posting,,,,,,",
    "    Points Possible,,,,,10.00,(read only),(read only),(read only),(read only),(read only),"
    "(read only)",
    '"Smith, Alice",2001,S001,alice,"Calculus 101, Section A",9.00,9.00,9.00,90.00,90.00,90.00,'
    "90.00",
    '"O\'Neil, Bob",2002,S002,BOB ,"Calculus 101, Section A",7.50,7.50,7.50,75.00,75.00,'
    "75.00,75.00",
    '"Lee, Carol",2003,S003,carol@uni.edu,"Calculus 101, Section B",,0.00,0.00,,,0.00,0.00',
    '"Brown, Dave",2004,S004,dave,"Calculus 101, Section B",8.00,8.00,8.00,80.00,80.00,80.00,80.00',
    '"Student, Test",2099,,b41e9f0c,"Calculus 101, Section A",,0.00,0.00,,,0.00,0.00',
]
MOODLE_HEADER = (
    'Identifier,"Full name","Email address",Status,Grade,"Maximum Grade","Grade can be changed",'
    '"Last modified (submission)","Online text","Last modified (grade)","Feedback comments"'
)
MOODLE_ROWS = [
    '"Participant 1234567","Alice Smith",alice@uni.edu,"Submitted for grading",,10.00,Yes,'
    '"Monday, 2 December 2024, 10:15 AM",,-,',
    '"Participant 1234568","Bob O\'Neil",bob@uni.edu,"Submitted for grading",,10.00,Yes,'
    '"Monday, 2 December 2024, 11:40 PM",,-,',
    '"Participant 1234569","Lee, Carol",Carol@Uni.edu,"Submitted for grading",,10.00,No,'
    '"Sunday, 1 December 2024, 9:00 PM",,-,',
    '"Participant 1234570","Dave Brown, Jr.",dave@uni.edu,"No submission",,10.00,Yes,-,,-,'
    '"kept, as it was"',
]


def write_grades(folder: Path, submissions: list[dict], max_points: float = 10.0) -> Path:
    """A grades.json as `grader grade` writes it (the keys an export reads, and a few more)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "course": "calculus-for-ml",
        "assignment": "derivatives",
        "max_points": max_points,
        "isolation": "full",
        "isolation_layers": [],
        "graded_at": "2026-12-06T05:00:00+00:00",
        "submissions": [
            {"source": f"{entry['student']}.py", "max_points": max_points, "error": None}
            | {"notes": [], "exercises": {}}
            | entry
            for entry in submissions
        ],
    }
    (folder / "grades.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.fixture
def grades_dir(tmp_path: Path) -> Path:
    """alice, bob (late: 7.5 less a penalty of 1.5), carol, and erin, whom no roster lists."""
    return write_grades(
        tmp_path / "out",
        [
            {"student": "alice", "points": 8.5},
            {
                "student": "bob",
                "points": 6.0,
                "raw_points": 7.5,
                "late_penalty": 1.5,
                "submitted_at": "2026-12-02T23:40:00+00:00",
            },
            {"student": "carol", "points": 10.0},
            {"student": "erin", "points": 4.0},
        ],
    )


def write_roster(path: Path, header: str, rows: list[str], *, delimiter: str = ",") -> Path:
    text = "\n".join([header, *rows]) + "\n"
    if delimiter != ",":
        parsed = list(csv.reader(io.StringIO(text)))
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(parsed)
        text = buffer.getvalue()
    path.write_text(BOM + text, encoding="utf-8", newline="")
    return path


def export(capsys: pytest.CaptureFixture, *arguments: str) -> tuple[int, str]:
    status = main(["export", *map(str, arguments)])
    return status, capsys.readouterr().err


def read_back(path: Path, delimiter: str = ",") -> list[list[str]]:
    """The file as the LMS reads it: UTF-8 with its byte-order mark, CSV with `delimiter`."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def test_canvas_new_assignment_column_with_points_possible(
    tmp_path: Path, grades_dir: Path, capsys: pytest.CaptureFixture
):
    roster = write_roster(tmp_path / "canvas.csv", CANVAS_HEADER, CANVAS_ROWS)
    out = tmp_path / "import.csv"
    status, err = export(capsys, grades_dir, "--to", "canvas", "--roster", roster, "--out", out)
    assert status == 0, err
    rows = read_back(out)
    original = read_back(roster)
    assert rows[0] == [*original[0], "derivatives"]
    # Every roster cell is kept as it was, every row in its place; only the new column is added.
    assert [row[:-1] for row in rows] == original
    by_login = {row[3].strip(): row[-1] for row in rows[3:]}
    assert rows[1][-1] == ""  # the Manual Posting row stays a row of no student
    assert rows[2][-1] == "10"  # points possible of the new assignment
    assert by_login == {
        "alice": "8.5",
        "BOB": "6",  # matched ignoring case and the space Canvas kept
        "carol@uni.edu": "10",  # matched by the part before @
        "dave": "",  # no submission: empty
        "b41e9f0c": "",  # Canvas's Test Student
    }
    assert "not in the roster: erin (4 points)" in err
    assert "1 submission left out" in err


def test_canvas_existing_assignment_column_is_filled_and_scaled(
    tmp_path: Path, grades_dir: Path, capsys: pytest.CaptureFixture
):
    header = CANVAS_HEADER.replace("Homework 1 (1001)", "Derivatives (1234)")
    rows = [row.replace(",10.00,", ",20.00,", 1) for row in CANVAS_ROWS]
    roster = write_roster(tmp_path / "canvas.csv", header, rows)
    out = tmp_path / "import.csv"
    status, err = export(capsys, grades_dir, "--to", "canvas", "--roster", roster, "--out", out)
    assert status == 0, err
    written = read_back(out)
    assert written[0] == read_back(roster)[0]  # no new column: Canvas updates assignment 1234
    assert written[2][5] == "20.00"  # Canvas's points possible, untouched
    assert [row[5] for row in written[3:]] == ["17", "12", "20", "8.00", ""]  # dave keeps his
    assert "scaled to 20" in err


def test_canvas_semicolons_and_match_column(tmp_path: Path, capsys: pytest.CaptureFixture):
    """Canvas writes `;` when asked to; students named by their SIS User ID match with --match."""
    grades = write_grades(tmp_path / "out", [{"student": "s002", "points": 3.25}])
    roster = write_roster(tmp_path / "canvas.csv", CANVAS_HEADER, CANVAS_ROWS, delimiter=";")
    out = tmp_path / "import.csv"
    status, err = export(
        capsys, grades, "--to", "canvas", "--roster", roster, "--out", out, "--match", "SIS User ID"
    )
    assert status == 0, err
    rows = read_back(out, delimiter=";")
    assert rows[0][-1] == "derivatives"
    assert [row[-1] for row in rows[3:]] == ["", "3.25", "", "", ""]
    assert "left out" not in err


def test_moodle_grade_and_feedback_comments(
    tmp_path: Path, grades_dir: Path, capsys: pytest.CaptureFixture
):
    roster = write_roster(tmp_path / "worksheet.csv", MOODLE_HEADER, MOODLE_ROWS)
    out = tmp_path / "upload.csv"
    status, err = export(capsys, grades_dir, "--to", "moodle", "--roster", roster, "--out", out)
    assert status == 0, err
    rows = read_back(out)
    original = read_back(roster)
    assert rows[0] == original[0]
    grade, feedback = rows[0].index("Grade"), rows[0].index("Feedback comments")
    # Matched by email address (the worksheet has no Username), by the part before @.
    assert [row[grade] for row in rows[1:]] == ["8.5", "6", "10", ""]
    assert rows[1][feedback] == "gradkit: 8.5 of 10 points."
    assert rows[2][feedback] == "gradkit: 6 of 10 points (7.5 before a late penalty of 1.5)."
    assert rows[4][feedback] == "kept, as it was"  # dave: no submission, his cells as they were
    untouched = [i for i in range(len(original[0])) if i not in (grade, feedback)]
    assert [[row[i] for i in untouched] for row in rows] == [
        [row[i] for i in untouched] for row in original
    ]
    assert "row 4 says the grade cannot be changed" in err  # carol: Moodle will skip her grade
    assert "not in the roster: erin (4 points)" in err


def test_moodle_semicolons_out_of_100_and_an_escaped_error(
    tmp_path: Path, capsys: pytest.CaptureFixture
):
    """A worksheet in a decimal-comma locale: `;`, `100,00`; grades still use `.`, which Moodle
    reads in every language; an error quoting a submission is escaped for Moodle's HTML."""
    grades = write_grades(
        tmp_path / "out",
        [
            {"student": "bob", "points": 0.0, "error": "<script>x</script> raised =1+1"},
            {"student": "alice", "points": 9.25},
        ],
    )
    rows = [row.replace(",10.00,", ',"100,00",') for row in MOODLE_ROWS]
    roster = write_roster(tmp_path / "worksheet.csv", MOODLE_HEADER, rows, delimiter=";")
    out = tmp_path / "upload.csv"
    status, err = export(capsys, grades, "--to", "moodle", "--roster", roster, "--out", out)
    assert status == 0, err
    written = read_back(out, delimiter=";")
    grade, feedback = written[0].index("Grade"), written[0].index("Feedback comments")
    assert [row[grade] for row in written[1:]] == ["92.5", "0", "", ""]
    assert written[2][feedback] == (
        "gradkit: 0 of 10 points. Not graded: &lt;script&gt;x&lt;/script&gt; raised =1+1"
    )
    assert "Moodle's Maximum Grade is 100 and gradkit's is 10" in err


def test_a_student_matching_two_rows_is_listed_not_guessed(
    tmp_path: Path, grades_dir: Path, capsys: pytest.CaptureFixture
):
    rows = [*MOODLE_ROWS, MOODLE_ROWS[0].replace("1234567", "1234571").replace("uni.edu", "x.org")]
    roster = write_roster(tmp_path / "worksheet.csv", MOODLE_HEADER, rows)
    out = tmp_path / "upload.csv"
    status, err = export(capsys, grades_dir, "--to", "moodle", "--roster", roster, "--out", out)
    assert status == 0, err
    written = read_back(out)
    grade = written[0].index("Grade")
    assert written[1][grade] == written[5][grade] == ""
    assert f"ambiguous: alice matches rows 2 and 6 of {roster}; left out." in err
    assert "2 submissions left out" in err


def test_roster_without_the_match_column_is_one_sentence(
    tmp_path: Path, grades_dir: Path, capsys: pytest.CaptureFixture
):
    roster = write_roster(tmp_path / "canvas.csv", CANVAS_HEADER, CANVAS_ROWS)
    out = tmp_path / "import.csv"
    status, err = export(
        capsys, grades_dir, "--to", "canvas", "--roster", roster, "--out", out, "--match", "Login"
    )
    assert status == 2
    assert err.startswith(f"error: {roster} has no column Login to match students on (--match)")
    assert "its columns are: Student, ID, SIS User ID, SIS Login ID, Section" in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xc7z\x97\x8a", "is not UTF-8 text"),
        (b"just one column\n", "is not a CSV file with columns"),
        (b"\xef\xbb\xbfIdentifier,Grade\n", "is not a Canvas gradebook export"),
    ],
)
def test_a_roster_that_is_not_the_lms_csv_is_one_sentence(
    tmp_path: Path, grades_dir: Path, capsys: pytest.CaptureFixture, content: bytes, says: str
):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(content)
    status, err = export(
        capsys, grades_dir, "--to", "canvas", "--roster", roster, "--out", tmp_path / "import.csv"
    )
    assert status == 2
    assert err.startswith(f"error: {roster} {says}") and len(err.strip().splitlines()) == 1


def test_a_worksheet_without_moodles_columns_is_one_sentence(
    tmp_path: Path, grades_dir: Path, capsys: pytest.CaptureFixture
):
    roster = write_roster(tmp_path / "canvas.csv", CANVAS_HEADER, CANVAS_ROWS)
    status, err = export(
        capsys, grades_dir, "--to", "moodle", "--roster", roster, "--out", tmp_path / "upload.csv"
    )
    assert status == 2
    assert "not a Moodle grading worksheet: it has no Identifier or Grade or Last modified" in err


def test_usage_mistakes(tmp_path: Path, grades_dir: Path, capsys: pytest.CaptureFixture):
    status, err = export(capsys, tmp_path / "nowhere", "--to", "csv", "--out", tmp_path / "g.csv")
    assert (status, err) == (
        2,
        f"error: {tmp_path / 'nowhere'} has no grades.json; give grader export the folder that "
        "`grader grade --out` wrote.\n",
    )
    status, err = export(capsys, grades_dir, "--to", "moodle", "--out", tmp_path / "g.csv")
    assert status == 2 and "--to moodle needs --roster" in err
    status, err = export(capsys, grades_dir, "--to", "csv", "--out", tmp_path)
    assert status == 2 and "is a folder" in err


def test_unknown_target_exits_2_with_one_sentence(tmp_path: Path, grades_dir: Path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "export",
            str(grades_dir),
            "--to",
            "blackboard",
            "--out",
            str(tmp_path / "g.csv"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert run.returncode == 2
    last = run.stderr.strip().splitlines()[-1]
    assert "argument --to: invalid choice: 'blackboard'" in last and "'canvas'" in last


def test_plain_csv_without_roster(tmp_path: Path, capsys: pytest.CaptureFixture):
    grades = write_grades(
        tmp_path / "out",
        [
            {"student": '=HYPERLINK("http://x")', "points": 2.0, "error": "-1 is wrong"},
            {
                "student": "bob",
                "points": 6.0,
                "raw_points": 7.5,
                "late_penalty": 1.5,
                "submitted_at": "2026-12-02T23:40:00+00:00",
            },
        ],
    )
    out = tmp_path / "grades.csv"
    status, err = export(capsys, grades, "--to", "csv", "--out", out)
    assert status == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert list(rows[0]) == [
        "student",
        "points",
        "max_points",
        "late_penalty",
        "raw_points",
        "submitted_at",
        "error",
    ]
    assert rows[0]["student"] == '\'=HYPERLINK("http://x")' and rows[0]["error"] == "'-1 is wrong"
    assert rows[1] == {
        "student": "bob",
        "points": "6",
        "max_points": "10",
        "late_penalty": "1.5",
        "raw_points": "7.5",
        "submitted_at": "2026-12-02T23:40:00+00:00",
        "error": "",
    }
    assert f"wrote {out}: the grades of 2 submissions." in err


@pytest.fixture(scope="module")
def graded_examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled derivatives examples, graded once by `grader grade`."""
    out = tmp_path_factory.mktemp("graded") / "derivatives"
    status = main(
        [
            "grade",
            str(REPO / "examples/submissions/derivatives"),
            "--assignment",
            "derivatives",
            "--out",
            str(out),
            "--jobs",
            "2",
        ]
    )
    assert status == 0
    return out


def test_canvas_export_of_a_real_graded_folder(
    tmp_path: Path, graded_examples: Path, capsys: pytest.CaptureFixture
):
    capsys.readouterr()
    grades = json.loads((graded_examples / "grades.json").read_text())
    points = {entry["student"]: entry["points"] for entry in grades["submissions"]}
    roster = write_roster(tmp_path / "canvas.csv", CANVAS_HEADER, CANVAS_ROWS)
    out = tmp_path / "import.csv"
    status, err = export(
        capsys, graded_examples, "--to", "canvas", "--roster", roster, "--out", out
    )
    assert status == 0, err
    rows = read_back(out)
    from grader.reports.text import format_points

    assert rows[2][-1] == format_points(grades["max_points"])
    by_login = {row[3].strip().casefold(): row[-1] for row in rows[3:]}
    assert by_login["alice"] == format_points(points["alice"])
    assert points["alice"] == grades["max_points"]
    assert by_login["bob"] == format_points(points["bob"])
    assert by_login["carol@uni.edu"] == "0"
    assert "not in the roster: dana" in err  # dana.ipynb has no row: listed, not dropped


def test_canvas_roster_written_by_hand_gets_its_points_possible_row(
    tmp_path: Path, grades_dir: Path, capsys: pytest.CaptureFixture
):
    """A minimal roster (Canvas's required columns, an older `Student,,,Muted` row, CRLF line
    ends): the new column's points possible go in a Points Possible row under the header."""
    roster = tmp_path / "canvas.csv"
    roster.write_bytes(
        b"Student,ID,SIS User ID,SIS Login ID,Section\r\n"
        b"Student,,,,Muted\r\n"
        b'"Smith, Alice",2001,S001,alice,A\r\n'
    )
    out = tmp_path / "import.csv"
    status, err = export(capsys, grades_dir, "--to", "canvas", "--roster", roster, "--out", out)
    assert status == 0, err
    assert out.read_bytes() == (
        b"Student,ID,SIS User ID,SIS Login ID,Section,derivatives\r\n"
        b"    Points Possible,,,,,10\r\n"
        b"Student,,,,Muted,\r\n"
        b'"Smith, Alice",2001,S001,alice,A,8.5\r\n'
    )  # no byte-order mark, as the roster had none
    assert "1 grade in column derivatives, for 1 roster row (0 without" in err


def test_canvas_column_option_and_columns_canvas_would_ignore(
    tmp_path: Path, grades_dir: Path, capsys: pytest.CaptureFixture
):
    roster = write_roster(tmp_path / "canvas.csv", CANVAS_HEADER, CANVAS_ROWS)
    out = tmp_path / "import.csv"
    common = (grades_dir, "--to", "canvas", "--roster", roster, "--out", out)
    status, err = export(capsys, *common, "--column", "homework 1")
    assert status == 0, err
    rows = read_back(out)
    assert rows[0] == read_back(roster)[0]  # filled Homework 1 (1001), no new column
    assert [row[5] for row in rows[3:]] == ["8.5", "6", "10", "8.00", ""]
    status, err = export(capsys, *common, "--column", "Current Score")
    assert status == 2 and "column Current Score of" in err and "is read only in Canvas" in err
    status, err = export(capsys, *common, "--column", "Derivatives Final Grade")
    assert status == 2 and "Canvas ignores a column named Derivatives Final Grade" in err


def test_two_submissions_for_one_row_are_listed_not_guessed(
    tmp_path: Path, capsys: pytest.CaptureFixture
):
    grades = write_grades(
        tmp_path / "out",
        [{"student": "alice", "points": 1.0}, {"student": "Alice@Uni.edu", "points": 9.0}],
    )
    roster = write_roster(tmp_path / "worksheet.csv", MOODLE_HEADER, MOODLE_ROWS)
    out = tmp_path / "upload.csv"
    status, err = export(capsys, grades, "--to", "moodle", "--roster", roster, "--out", out)
    assert status == 0, err
    assert read_back(out) == read_back(roster)  # nothing written into alice's row
    assert f"ambiguous: alice matches row 2 of {roster}, as another submission does" in err
    assert "ambiguous: Alice@Uni.edu matches row 2" in err


def test_moodle_matches_on_username_when_the_worksheet_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture
):
    grades = write_grades(tmp_path / "out", [{"student": "asmith", "points": 7.0}])
    header = MOODLE_HEADER.replace('"Email address"', 'Username,"Email address"')
    rows = [row.replace(",alice@uni.edu,", ",asmith,alice@uni.edu,") for row in MOODLE_ROWS[:1]]
    roster = write_roster(tmp_path / "worksheet.csv", header, rows)
    out = tmp_path / "upload.csv"
    status, err = export(capsys, grades, "--to", "moodle", "--roster", roster, "--out", out)
    assert status == 0, err
    written = read_back(out)
    assert written[1][written[0].index("Grade")] == "7"


def test_moodle_download_names_match_their_participant_row(
    tmp_path: Path, capsys: pytest.CaptureFixture
):
    """Graded straight from Moodle's "Download all submissions" folders (named with the
    participant id), even on a blind-marking worksheet that shows no email address."""
    grades = write_grades(
        tmp_path / "out",
        [
            {"student": "Bob O'Neil_1234568_assignsubmission_file", "points": 5.0},
            {"student": "Participant_1234570_assignsubmission_file", "points": 2.5},
        ],
    )
    header = MOODLE_HEADER.replace(',"Full name","Email address"', "")
    rows = [without_names(row) for row in MOODLE_ROWS]
    roster = write_roster(tmp_path / "worksheet.csv", header, rows)
    out = tmp_path / "upload.csv"
    status, err = export(capsys, grades, "--to", "moodle", "--roster", roster, "--out", out)
    assert status == 0, err
    written = read_back(out)
    grade = written[0].index("Grade")
    assert [row[grade] for row in written[1:]] == ["", "5", "", "2.5"]
    assert "left out" not in err


def without_names(row: str) -> str:
    """A worksheet row without Full name and Email address, as blind marking shows it."""
    cells = next(csv.reader([row]))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells[:1] + cells[3:])
    return buffer.getvalue()


def test_canvas_last_name_first_name_export(
    tmp_path: Path, grades_dir: Path, capsys: pytest.CaptureFixture
):
    """Canvas's export with "show first and last names" on starts LastName, FirstName, ID."""
    roster = tmp_path / "canvas.csv"
    roster.write_text(
        BOM + "LastName,FirstName,ID,SIS User ID,SIS Login ID,Section\n"
        "    Points Possible,,,,,\n"
        "Smith,Alice,2001,S001,alice,A\n",
        encoding="utf-8",
    )
    out = tmp_path / "import.csv"
    status, err = export(capsys, grades_dir, "--to", "canvas", "--roster", roster, "--out", out)
    assert status == 0, err
    assert read_back(out)[1:] == [
        ["    Points Possible", "", "", "", "", "", "10"],
        ["Smith", "Alice", "2001", "S001", "alice", "A", "8.5"],
    ]
