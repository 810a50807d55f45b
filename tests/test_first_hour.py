"""A new instructor's first hour, through the `grader` command as it is typed: no grades lost to a
bad --out, no class replaced by one regraded student, and clear words about what went wrong."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_course, reference_source

from grader.grading.proxy import NOT_RUN

# The reference, but derivative doubles an array in place: every check passes but the one that
# the argument is left alone, worth 2 of derivative's 11 shares: 9/11 = 0.818182 points.
IN_PLACE = """

def derivative(x):
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        x *= 2.0
        return x
    result = 2.0 * np.asarray(x, dtype=float)
    return float(result) if result.ndim == 0 else result
"""
EXERCISES_OF_DERIVATIVES = (
    "derivative, tangent_estimate, forward_difference, central_difference, second_derivative, "
    "interpret_sign, symbolic_derivative"
)


def grader(*arguments: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *arguments], cwd=cwd, capture_output=True, text=True
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes: to show that a refusal changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "grades.csv").open(encoding="utf-8", newline="") as stream:
        return {row["student"]: row for row in csv.DictReader(stream)}


def submissions(out: Path) -> dict[str, dict]:
    grades = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    return {entry["student"]: entry for entry in grades["submissions"]}


def notebook_with_errors(path: Path) -> None:
    """dana's notebook, with derivative raising NameError at line 8 of its cell (code cell 2)."""
    notebook = json.loads((REPO / "examples/submissions/derivatives/dana.ipynb").read_text())
    cell = notebook["cells"][2]
    source = "".join(cell["source"])
    cell["source"] = source.replace(
        "def derivative(x):\n", "def derivative(x):\n    pass\n    undefined_thing\n", 1
    )
    path.write_text(json.dumps(notebook))


@pytest.fixture(scope="module")
def first_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A class graded once: an honest file, the stub, files that cannot run, a partial answer and
    a notebook whose cells raise. Returns the submissions, --out and the command's stdout."""
    root = tmp_path_factory.mktemp("first_hour")
    subs = root / "subs"
    subs.mkdir()
    (subs / "alice.py").write_text(reference_source("derivatives"))
    shutil.copyfile(REPO / "exercises/derivatives.py", subs / "stub.py")
    (subs / "empty.py").write_text("")
    (subs / "blank.py").write_text("  \n\n\t\n")
    (subs / "comments.py").write_text("# my answers\n\n   # to come\n")
    (subs / "syntax_err.py").write_text("def derivative(x)\n    return 2 * x\n")
    (subs / "import_err.py").write_text("import math\nundefined_name + 1\n\ndef derivative(x):\n"
                                        "    return 2 * x\n")  # fmt: skip
    (subs / "partial.py").write_text(reference_source("derivatives") + IN_PLACE)
    notebook_with_errors(subs / "erin.ipynb")
    out = root / "out"
    run = grader("grade", str(subs), "--assignment", "derivatives", "--out", str(out))
    assert run.returncode == 0, run.stderr
    return subs, out, run.stdout


# --- lost or replaced work ----------------------------------------------------------------


def test_an_out_that_is_a_file_is_refused_before_grading(tmp_path: Path) -> None:
    taken = tmp_path / "grades.txt"
    taken.write_text("the instructor's notes\n")
    before = snapshot(tmp_path)
    run = grader("grade", "examples/submissions/derivatives", "--assignment", "derivatives",
                 "--out", str(taken))  # fmt: skip
    assert run.returncode == 2
    assert run.stderr == f"error: {taken} is a file, not a folder; give --out a folder.\n"
    assert run.stdout == "" and snapshot(tmp_path) == before


def test_an_out_below_a_file_is_refused_before_grading(tmp_path: Path) -> None:
    taken = tmp_path / "grades.txt"
    taken.write_text("notes\n")
    before = snapshot(tmp_path)
    run = grader("grade", "examples/submissions/derivatives", "--assignment", "derivatives",
                 "--out", str(taken / "derivatives"))  # fmt: skip
    assert run.returncode == 2
    assert run.stderr == (
        f"error: {taken} is a file, so {taken / 'derivatives'} cannot be created in it; give "
        "--out a folder.\n"
    )
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's read-only /sys")
def test_an_unwritable_out_is_refused_before_grading() -> None:
    """/sys refuses new files even to root, for whom permission bits say yes to everything."""
    run = grader("grade", "examples/submissions/derivatives", "--assignment", "derivatives",
                 "--out", "/sys/gradkit-grades")  # fmt: skip
    assert run.returncode == 2
    assert run.stderr == (
        "error: /sys/gradkit-grades cannot be written (Permission denied in /sys); give --out a "
        "folder you can write in.\n"
    )
    assert not Path("/sys/gradkit-grades").exists()


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (("release", "--out"), "--out"),
        (("notebooks", "--out"), "--out"),
        (("nbgrader", "build"), "COURSE_DIR"),
        (("grade", "--nbgrader", "nbgrader_course", "--assignment", "derivatives", "--out"),
         "--out"),
    ],
    ids=["release", "notebooks", "nbgrader-build", "grade-nbgrader"],
)  # fmt: skip
def test_every_command_that_writes_checks_its_folder_first(
    tmp_path: Path, command: tuple[str, ...], option: str
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("x\n")
    arguments = [str(tmp_path / part) if part == "nbgrader_course" else part for part in command]
    run = grader(*arguments, str(taken))
    assert run.returncode == 2, run.stderr
    assert run.stderr == f"error: {taken} is a file, not a folder; give {option} a folder.\n"
    assert snapshot(tmp_path) == {"taken": b"x\n"}


def test_regrading_one_student_merges_into_the_class(first_class, tmp_path: Path) -> None:
    _, graded, _ = first_class
    out = tmp_path / "out"
    shutil.copytree(graded, out)
    before = submissions(out)
    fixed = tmp_path / "stub.py"  # the student resubmits, completed
    fixed.write_text(reference_source("derivatives"))
    run = grader("grade", str(fixed), "--assignment", "derivatives", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert (
        f"merged into {out / 'grades.json'}: 1 submission graded now, {len(before) - 1} kept "
        "from before, 9 in all (--replace keeps only this run's).\n"
    ) in run.stdout
    after = submissions(out)
    assert set(after) == set(before)
    assert after["stub"]["points"] == after["stub"]["max_points"] == 8.5
    assert {name: entry for name, entry in after.items() if name != "stub"} == {
        name: entry for name, entry in before.items() if name != "stub"
    }
    assert list(rows(out)) == sorted(before)


def test_replace_writes_only_this_runs_grades(first_class, tmp_path: Path) -> None:
    _, graded, _ = first_class
    out = tmp_path / "out"
    shutil.copytree(graded, out)
    run = grader("grade", str(REPO / "examples/submissions/derivatives/alice.py"),
                 "--assignment", "derivatives", "--out", str(out), "--replace")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert (
        f"replaced {out / 'grades.json'} with this run's grades (--replace): earlier grades are "
        "gone.\n"
    ) in run.stdout
    assert list(submissions(out)) == ["alice"] and list(rows(out)) == ["alice"]


def test_grades_of_another_assignment_are_never_merged_nor_replaced(first_class, tmp_path):
    _, graded, _ = first_class
    out = tmp_path / "out"
    shutil.copytree(graded, out)
    before = snapshot(out)
    for replace in ((), ("--replace",)):
        run = grader("grade", str(REPO / "examples/submissions/gradients/alice.py"),
                     "--assignment", "gradients", "--out", str(out), *replace)  # fmt: skip
        assert run.returncode == 2
        assert run.stderr == (
            f"error: {out / 'grades.json'} holds the grades of assignment derivatives, not "
            "gradients; give --out this assignment's own folder.\n"
        )
        assert snapshot(out) == before


def test_grades_of_other_points_are_merged_only_with_replace(first_class, tmp_path: Path) -> None:
    _, graded, _ = first_class
    out = tmp_path / "out"
    shutil.copytree(graded, out)
    before = snapshot(out)
    course = copy_course(tmp_path / "course")
    course.write_text(course.read_text().replace("derivative = 1\n", "derivative = 2\n", 1))
    alice = str(REPO / "examples/submissions/derivatives/alice.py")
    run = grader("grade", alice, "--assignment", "derivatives", "--out", str(out),
                 "--course", str(course))  # fmt: skip
    assert run.returncode == 2
    assert run.stderr == (
        f"error: {out / 'grades.json'} was graded when derivatives was worth 8.5 points, and it "
        "is now worth 9.5 points; grade every submission again with --replace.\n"
    )
    assert snapshot(out) == before


def test_a_damaged_grades_json_is_not_written_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "grades.json").write_text('{"course": ')
    run = grader("grade", "examples/submissions/derivatives/alice.py", "--assignment",
                 "derivatives", "--out", str(out))  # fmt: skip
    assert run.returncode == 2
    assert run.stderr == (
        f"error: {out / 'grades.json'} is not a grades.json that gradkit can read, so this run's "
        "grades cannot be merged into it; move it away, or pass --replace to write over it.\n"
    )
    assert snapshot(out) == {"grades.json": b'{"course": '}


# --- clear words --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("student", "error"),
    [
        ("empty", "empty.py is empty: submit your completed exercises file."),
        ("blank", "blank.py is empty: submit your completed exercises file."),
        ("comments", "comments.py holds only comments, no code: submit your completed exercises "
                     "file."),
        ("syntax_err", "syntax_err.py could not be run because of a SyntaxError at line 1 "
                       "(expected ':'); fix it and submit it again."),
        ("import_err", "import_err.py could not be run: line 2 raised NameError (name "
                       "'undefined_name' is not defined); fix it and submit it again."),
    ],
)  # fmt: skip
def test_a_file_that_cannot_run_says_why_once(first_class, student: str, error: str) -> None:
    _, out, stdout = first_class
    entry = submissions(out)[student]
    assert entry["error"] == error and rows(out)[student]["error"] == error
    assert entry["points"] == 0
    messages = {check["message"] for e in entry["exercises"].values() for check in e["checks"]}
    assert messages == {NOT_RUN} == {"not run: your file could not be run (see above)."}
    line = next(line for line in stdout.splitlines() if f" {student} " in line)
    assert error[:40] in line  # the summary's error column, on the student's own line


def test_a_notebooks_messages_name_the_cell(first_class) -> None:
    _, out, _ = first_class
    erin = submissions(out)["erin"]
    assert erin["error"] is None
    assert erin["notes"][:2] == [
        "erin.ipynb, code cell 3: line 8 of code cell 2 raised NameError (name 'undefined_thing' "
        "is not defined).",
        "erin.ipynb, code cell 4: it raised ZeroDivisionError (float division by zero) at line 3 "
        "of this cell or of a function it called.",
    ]
    first = erin["exercises"]["derivative"]["checks"][0]["message"]
    assert first == (
        "derivative(-0.5) raised NameError (code cell 2, line 8): name 'undefined_thing' is not "
        "defined."
    )


def test_no_message_ends_with_a_doubled_full_stop(first_class) -> None:
    _, out, _ = first_class
    stub = submissions(out)["stub"]["exercises"]["derivative"]["checks"][0]["message"]
    assert re.fullmatch(
        r"derivative\(-0\.5\) raised NotImplementedError \(line \d+\): Return 2 \* x: a float "
        r"for a number, and a float array of the same shape for an array\.",
        stub,
    )
    every = [
        text
        for entry in submissions(out).values()
        for text in [entry["error"] or "", *entry["notes"]]
        + [c["message"] for e in entry["exercises"].values() for c in e["checks"]]
    ]
    assert not [text for text in every if text.endswith("..") or ". ." in text]


def test_points_are_rounded_alike_in_the_table_and_csv_but_exact_in_json(first_class) -> None:
    _, out, stdout = first_class
    partial = submissions(out)["partial"]
    assert partial["exercises"]["derivative"]["points"] == 0.846154  # 11 of 13 checks' shares
    assert partial["points"] == 8.346154
    assert rows(out)["partial"]["derivative"] == "0.85"
    assert rows(out)["partial"]["total"] == "8.35"
    line = next(line for line in stdout.splitlines() if " partial " in line)
    assert "8.35 / 8.5" in line and "8.346154" not in stdout


def test_piped_summary_keeps_each_phrase_on_one_line(first_class) -> None:
    """Captured, the output is not a terminal: nothing wraps at the table's width."""
    _, _, stdout = first_class
    lines = stdout.splitlines()
    assert "9 submissions, 5 with an error" in lines
    assert "█ full marks, ▄ partial, ▁ none" in lines
    assert any(line.startswith("mean ") and line.endswith(" / 8.5") for line in lines)
    assert not any(line.startswith(("│        ", "partial, ")) for line in lines)


def test_one_submission_is_singular(tmp_path: Path) -> None:
    run = grader("grade", "examples/submissions/derivatives/alice.py", "--assignment",
                 "derivatives", "--out", str(tmp_path / "out"))  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "1 submission, 0 with an error" in run.stdout.splitlines()


def test_piped_progress_lines_keep_long_paths_whole(tmp_path: Path) -> None:
    """The "wrote ..." line goes to the standard error; captured, it is not broken at 80."""
    out = tmp_path / ("a-rather-long-folder-name-for-the-grades-of-this-class" * 2)
    run = grader("grade", "examples/submissions/derivatives/alice.py", "--assignment",
                 "derivatives", "--out", str(out))  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert f"wrote {out / 'grades.json'} and {out / 'grades.csv'}" in run.stderr.splitlines()


def test_check_lists_the_exercises_of_the_files_own_assignment(tmp_path: Path) -> None:
    work = tmp_path / "derivatives.py"
    shutil.copyfile(REPO / "exercises/derivatives.py", work)
    run = grader("check", str(work), "--exercise", "gradient")
    assert run.returncode == 2
    assert run.stderr == (
        "error: derivatives.py is a file of assignment derivatives, which has no exercise "
        f"'gradient'; its exercises are {EXERCISES_OF_DERIVATIVES}.\n"
    )
    assert run.stdout == ""


def test_check_of_a_file_that_cannot_run_says_so_once(tmp_path: Path) -> None:
    work = tmp_path / "derivatives.py"
    work.write_text("def derivative(x)\n    return 2 * x\n")
    run = grader("check", str(work))
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert " ".join(line.strip() for line in lines[1:3]) == (
        "derivatives.py could not be run because of a SyntaxError at line 1 (expected ':'); fix "
        "it and submit it again."
    )
    assert lines[3].split() == ["✗", "derivative", "not", "run", "(your", "file", "could", "not",
                                "be", "run:", "see", "above)"]  # fmt: skip
    assert "is not defined" not in run.stdout


# --- practice exercises -------------------------------------------------------------------


def test_a_practice_exercise_gives_feedback_and_no_points(tmp_path: Path) -> None:
    course = copy_course(tmp_path / "course")
    course.write_text(course.read_text().replace("interpret_sign = 1\n", "interpret_sign = 0\n"))
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("alice", "bob"):  # bob swaps interpret_sign's labels
        shutil.copyfile(REPO / f"examples/submissions/derivatives/{name}.py", subs / f"{name}.py")
    out = tmp_path / "out"
    run = grader("grade", str(subs), "--assignment", "derivatives", "--out", str(out),
                 "--course", str(course))  # fmt: skip
    assert run.returncode == 0, run.stderr
    alice, bob = submissions(out)["alice"], submissions(out)["bob"]
    assert alice["points"] == alice["max_points"] == 7.5
    assert bob["exercises"]["interpret_sign"]["points"] == 0
    feedback = [c["message"] for c in bob["exercises"]["interpret_sign"]["checks"]]
    assert feedback and all(message != "passed" for message in feedback)
    checks = len(bob["exercises"]["interpret_sign"]["checks"])
    assert checks >= 5
    assert rows(out)["alice"]["interpret_sign"] == f"practice ({checks} of {checks} checks passed)"
    assert rows(out)["bob"]["interpret_sign"] == f"practice (0 of {checks} checks passed)"
    alice_line = next(line for line in run.stdout.splitlines() if " alice " in line)
    assert "█████○█ 6/6" in alice_line
    assert "○ practice (no points; green when its checks pass)" in run.stdout


def test_an_assignment_of_practice_only_divides_nothing_by_zero(tmp_path: Path) -> None:
    course = copy_course(tmp_path / "course")
    text = course.read_text()
    start = text.index("[assignments.derivatives.exercises]")
    end = text.index("\n\n", start)
    zeroed = re.sub(r"= [0-9.]+", "= 0", text[start:end])
    course.write_text(text[:start] + zeroed + text[end:])
    out = tmp_path / "out"
    run = grader("grade", "examples/submissions/derivatives", "--assignment", "derivatives",
                 "--out", str(out), "--course", str(course))  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "practice only: no exercise is worth points" in run.stdout.splitlines()
    assert {row["total"] for row in rows(out).values()} == {"0"}
    assert all(entry["max_points"] == 0 for entry in submissions(out).values())
