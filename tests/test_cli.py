"""The `grader` command as a user runs it: real processes, real files, exit statuses."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, copy_course


def grader(*arguments: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *arguments], cwd=cwd, capture_output=True, text=True
    )


def test_help_and_version():
    assert "grade" in grader("--help").stdout
    assert grader("--version").stdout.startswith("gradkit ")
    assert "--assignment" in grader("grade", "--help").stdout


def test_grade_examples_writes_reports(tmp_path):
    out = tmp_path / "out"
    run = grader("grade", "examples/submissions/derivatives", "--assignment", "derivatives",
                 "--out", str(out), "--jobs", "2")  # fmt: skip
    assert run.returncode == 0, run.stderr
    grades = json.loads((out / "grades.json").read_text())
    assert list(grades)[:5] == [
        "course",
        "assignment",
        "max_points",
        "isolation",
        "isolation_layers",
    ]
    students = {entry["student"]: entry for entry in grades["submissions"]}
    assert {"alice", "bob", "carol", "dana"} <= set(students)
    assert students["alice"]["points"] == grades["max_points"]
    assert students["carol"]["points"] == 0.0
    assert 0 < students["bob"]["points"] < grades["max_points"]
    first_check = next(iter(students["alice"]["exercises"].values()))["checks"][0]
    assert set(first_check) == {"name", "points", "max_points", "passed", "hidden", "message"}
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert [row["student"] for row in rows] == sorted(students)
    assert "derivative" in rows[0] and "total" in rows[0]
    assert "alice" in run.stdout  # the summary table


def test_readme_first_command_grades_the_examples_of_every_assignment():
    """README's first command loops over the course's assignments, each with its examples."""
    from grader.course.config import load_course

    first = (REPO / "README.md").read_text().split("```bash\n")[1].splitlines()[0]
    loop = first.split("for a in ")[1].split(";")[0].split()
    assert loop == [a.id for a in load_course(REPO / "course.toml").assignments]
    for assignment in loop:
        names = {path.name for path in (REPO / "examples" / "submissions" / assignment).iterdir()}
        assert names == {"alice.py", "bob.py", "carol.py", "dana.ipynb"}, assignment


def test_grade_backprop_examples_as_the_readme_does(tmp_path):
    """alice full marks, carol none, bob and dana exactly the exercises they get wrong."""
    out = tmp_path / "out"
    run = grader("grade", "examples/submissions/backprop", "--assignment", "backprop",
                 "--out", str(out))  # fmt: skip
    assert run.returncode == 0, run.stderr
    grades = json.loads((out / "grades.json").read_text())
    students = {entry["student"]: entry for entry in grades["submissions"]}
    assert students["alice"]["points"] == grades["max_points"]
    assert students["carol"]["points"] == 0.0
    lost = {
        student: {
            name
            for name, exercise in students[student]["exercises"].items()
            if exercise["points"] < exercise["max_points"]
        }
        for student in ("bob", "dana")
    }
    assert lost == {
        "bob": {"chain_rule_derivative", "mlp_gradients", "clip_by_norm", "adam_step"},
        "dana": {"rmsprop_step"},
    }


def test_grading_prints_no_warning_of_the_checks_arithmetic(tmp_path):
    """bob's gradients examples are diagnosed with wrong formulas that divide by a zero norm in
    the trusted checks: numpy's RuntimeWarning about it is nothing the instructor can act on."""
    run = grader("grade", "examples/submissions/gradients", "--assignment", "gradients",
                 "--out", str(tmp_path / "out"), "--jobs", "2")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Warning" not in run.stderr, run.stderr
    assert run.stderr.splitlines()[-1].startswith("wrote ")


def test_unknown_assignment_is_a_usage_error(tmp_path):
    run = grader("grade", "examples/submissions/derivatives", "--assignment", "integrals",
                 "--out", str(tmp_path))  # fmt: skip
    assert run.returncode == 2
    assert "integrals" in run.stderr and "Traceback" not in run.stderr


def test_missing_submissions_is_a_usage_error(tmp_path):
    run = grader("grade", str(tmp_path / "nowhere"), "--assignment", "derivatives",
                 "--out", str(tmp_path / "out"))  # fmt: skip
    assert run.returncode == 2
    assert "nowhere" in run.stderr and "Traceback" not in run.stderr


def test_broken_course_toml_is_one_sentence(tmp_path):
    course = copy_course(tmp_path / "course")
    course.write_text(course.read_text().replace("seed = ", "sead = "))
    run = grader("grade", str(REPO / "examples/submissions/derivatives"), "--assignment",
                 "derivatives", "--out", str(tmp_path / "out"), cwd=course.parent)  # fmt: skip
    assert run.returncode == 2
    assert "sead" in run.stderr and "Traceback" not in run.stderr


def test_no_course_toml_in_working_folder(tmp_path):
    run = grader("grade", str(REPO / "examples/submissions/derivatives"), "--assignment",
                 "derivatives", "--out", str(tmp_path / "out"), cwd=tmp_path)  # fmt: skip
    assert run.returncode == 2
    assert "course.toml" in run.stderr and "--course" in run.stderr


def test_bad_jobs_is_a_usage_error(tmp_path):
    run = grader("grade", "examples/submissions/derivatives", "--assignment", "derivatives",
                 "--out", str(tmp_path), "--jobs", "0")  # fmt: skip
    assert run.returncode == 2 and "--jobs" in run.stderr


def test_missing_isolation_layer_is_recorded_and_warned_once(tmp_path):
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "grader", "grade", "examples/submissions/derivatives",
         "--assignment", "derivatives", "--out", str(out), "--jobs", "2"],
        cwd=REPO, capture_output=True, text=True, env={**os.environ, "GRADKIT_NO_BWRAP": "1"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    grades = json.loads((out / "grades.json").read_text())
    assert grades["isolation"].startswith("partial (without bubblewrap")
    assert "bubblewrap" not in grades["isolation_layers"]
    assert run.stderr.count("warning:") == 1
    students = {entry["student"]: entry["points"] for entry in grades["submissions"]}
    assert students["alice"] == grades["max_points"]


EXIT_FAST = """
import gc, runpy, sys
from importlib.metadata import entry_points
from grader.cli.main import console_main

(script,) = entry_points(group="console_scripts", name="grader")
frozen_before = gc.get_freeze_count()
sys.argv = ["grader", "notebooks", "--out", {out!r}, "--course", {course!r}]
try:
    runpy.run_module("grader", run_name="__main__")  # python -m grader
except SystemExit as end:
    status = end.code
print(script.load() is console_main, status, frozen_before, gc.get_freeze_count() > 0)
"""


def test_the_command_skips_the_garbage_collections_of_shutdown(tmp_path):
    """`grader` and `python -m grader` freeze the heap once the command is done: shutdown's full
    collections over nbgrader's modules cost 0.4-0.6 s of every `grade --nbgrader` otherwise."""
    script = EXIT_FAST.format(out=str(tmp_path), course=str(REPO / "course.toml"))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "0", "0", "True"]
    assert (tmp_path / "derivatives.ipynb").is_file()  # the command itself ran
