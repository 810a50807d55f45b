"""Nothing a student controls reaches the instructor's terminal raw (security, round two, point 6).

File names, exception messages, values quoted in check messages and `sys.exit` codes may hold
escape sequences (retitle the window, clear the screen, hyperlinks, carriage returns that rewrite
a line, bidirectional overrides) and rich markup. They are graded here beside an honest
submission, through the `grader` command; its stdout, stderr and grades.csv must hold no raw
control character, and grades.json must keep the student's text exactly, escaped as JSON.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, reference_source

from grader.reports.text import printable

# C0 but the newline, DEL, C1, line separators and bidirectional controls.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")

TITLE = "\x1b]0;pwned\x07ev\x1b[2Jil"  # retitles the terminal, then clears the screen
MARKUP = "[bold]mallory[link=https:evil.example]x\x9b2J"  # rich markup and a C1 CSI
RAISES = 'raise ValueError("\\x1b[31mred\\r\\x08\\x08 [bold]b[/bold] \\u202eevil")\n'
TRUDY = """

def interpret_sign(d, tol=1e-8):
    return "increasing\\x1b[2J\\r\\x07\\u202e"


def second_derivative(f, x, h=1e-4):
    raise RuntimeError("\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07 \\x7f\\x85 end")


def tangent_estimate(f, df, x, delta_x):
    import sys
    sys.exit("\\x1b[2J\\x1bc")
"""


def grader(*arguments: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *arguments], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """Grade the attacks beside an honest submission; return --out and the command's run."""
    root = tmp_path_factory.mktemp("attacks")
    subs = root / "subs"
    subs.mkdir()
    (subs / "honest.py").write_text(reference_source("derivatives"))
    (subs / f"{TITLE}.py").write_text(reference_source("derivatives"))
    (subs / f"{MARKUP}.py").write_text(RAISES)
    (subs / "trudy.py").write_text(reference_source("derivatives") + TRUDY)
    out = root / "out"
    run = grader("grade", str(subs), "--assignment", "derivatives", "--out", str(out))
    assert run.returncode == 0, run.stderr
    return out, run


def test_printable_escapes_every_control_character_and_nothing_else() -> None:
    controls = [chr(code) for code in (*range(0x20), *range(0x7F, 0xA0))]
    controls += ["\u2028", "\u2029", "\u200e", "\u200f", "\u202e", "\u2066", "\u2069"]
    for character in controls:
        shown = printable(f"a{character}b")
        assert not RAW.search(shown) and shown.startswith("a\\") and shown.endswith("b")
    assert printable("\x1b[2J\n\t\r") == "\\x1b[2J\\n\\t\\r"
    assert printable("\x9b\u202e") == "\\x9b\\u202e"
    assert printable("chloé → ∂f/∂x, [bold]") == "chloé → ∂f/∂x, [bold]"


def test_no_raw_control_character_reaches_stdout_stderr_or_csv(attacked) -> None:
    out, run = attacked
    csv_text = (out / "grades.csv").read_text(encoding="utf-8")
    for text in (run.stdout, run.stderr, csv_text):
        assert not RAW.findall(text)
    # Shown escaped, not dropped: the instructor can tell what the file is called.
    assert "\\x1b]0;pwned\\x07ev\\x1b[2Jil" in run.stdout
    assert "\\x1b]0;pwned\\x07ev\\x1b[2Jil" in csv_text
    assert "\\x1b[31mred\\r\\x08\\x08 [bold]b[/bold] \\u202eevil" in csv_text


def test_student_text_is_never_read_as_rich_markup(attacked) -> None:
    _, run = attacked
    assert "[bold]mallory[link=https:evil.example]x\\x9b2J" in run.stdout
    assert "\x1b]8;" not in run.stdout  # no hyperlink was made


def test_the_honest_submission_keeps_full_marks(attacked) -> None:
    out, _ = attacked
    with (out / "grades.csv").open(encoding="utf-8", newline="") as stream:
        totals = {row["student"]: row["total"] for row in csv.DictReader(stream)}
    assert totals["honest"] == "8.5"
    assert totals[printable(TITLE)] == "8.5"
    assert totals[printable(MARKUP)] == "0"


def test_grades_json_keeps_the_text_exactly_but_never_raw(attacked) -> None:
    out, _ = attacked
    text = (out / "grades.json").read_text(encoding="utf-8")
    assert not RAW.findall(text)
    grades = {entry["student"]: entry for entry in json.loads(text)["submissions"]}
    assert {TITLE, MARKUP, "honest", "trudy"} == set(grades)
    assert "\x1b[31mred\r\x08\x08" in grades[MARKUP]["error"]
    trudy = grades["trudy"]["exercises"]
    messages = [check["message"] for name in trudy for check in trudy[name]["checks"]]
    assert any("\x1b]8;;https://evil.example" in message for message in messages)
    assert any("\x7f\x85 end" in message for message in messages)


def test_messages_of_the_attacks_are_escaped_in_the_csv(attacked) -> None:
    out, _ = attacked
    with (out / "grades.csv").open(encoding="utf-8", newline="") as stream:
        errors = {row["student"]: row["error"] for row in csv.DictReader(stream)}
    assert errors[printable(MARKUP)] == (
        f"{printable(MARKUP)}.py could not be run: line 1 raised ValueError (\\x1b[31mred\\r\\x08"
        "\\x08 [bold]b[/bold] \\u202eevil); fix it and submit it again."
    )


def test_grader_check_escapes_what_it_prints(tmp_path: Path) -> None:
    work = tmp_path / f"{TITLE}.py"
    shutil.copyfile(REPO / "exercises/derivatives.py", work)
    work.write_text(work.read_text() + TRUDY)
    run = grader("check", str(work), "--exercise", "second_derivative")
    assert run.returncode == 1, run.stderr
    assert not RAW.findall(run.stdout) and not RAW.findall(run.stderr)
    assert run.stdout.startswith("\\x1b]0;pwned\\x07ev\\x1b[2Jil.py (assignment derivatives)")
    assert "\\x1b]8;;https://evil.example\\x07click" in run.stdout


def test_file_names_that_are_not_utf8_are_graded_and_written(tmp_path: Path) -> None:
    """A folder or file name holding bytes that are not UTF-8 (Python keeps them as surrogates)
    is graded like any other, shown with those bytes escaped, and written into grades.json and
    grades.csv, twice (the second run merges into the first's grades)."""
    folder = tmp_path / "submissions"
    folder.mkdir()
    correct = reference_source("derivatives")
    (folder / "honest.py").write_text(correct)
    student_folder = os.fsdecode(os.fsencode(str(folder)) + b"/ca\x9brol")
    os.mkdir(student_folder)
    Path(student_folder, "derivatives.py").write_text(correct)
    Path(os.fsdecode(os.fsencode(str(folder)) + b"/d\xffn.py")).write_text(correct)
    out = tmp_path / "out"
    for _ in range(2):
        run = grader("grade", str(folder), "--assignment", "derivatives", "--out", str(out))
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    grades = json.loads((out / "grades.json").read_bytes().decode("utf-8"))
    points = {entry["student"]: entry["points"] for entry in grades["submissions"]}
    assert points == {"honest": 8.5, "ca\udc9brol": 8.5, "d\udcffn": 8.5}
    rows = (out / "grades.csv").read_bytes().decode("utf-8")
    assert "ca\\x9brol," in rows and "d\\xffn," in rows
    assert "ca\\x9brol" in run.stdout
