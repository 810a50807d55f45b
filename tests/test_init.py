"""`grader init DIR`: the new course folder works out of the box, with the real command line.

A fresh folder is written once by `grader init`; in it, the commands its README and its last
lines name are run as an instructor would run them: the reference earns full marks, the stub
nothing, the named wrong formula loses its exercise's points with a message that names it, and
the release holds the public checks and nothing hidden.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.course.config import load_course
from grader.course.init import ASSIGNMENT, TEMPLATE, InitError, template_files, write_course

# The template's files, relative to the course folder: what an instructor is told to edit.
FILES = {
    "README.md",
    "course.toml",
    f"exercises/{ASSIGNMENT}.py",
    f"solutions/{ASSIGNMENT}.py",
    f"checks/{ASSIGNMENT}/public.py",
    f"checks/{ASSIGNMENT}/hidden.py",
    f"checks/{ASSIGNMENT}/known.py",
}
EXERCISES = ("secant_slope", "square_slope")
MISCONCEPTION = "This looks like the run over the rise"
RIGHT = "return float((f(b) - f(a)) / (b - a))"
UPSIDE_DOWN = "return float((b - a) / (f(b) - f(a)))"


def grader(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the `grader` command line in `cwd`, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "grader", *arguments], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    """A course folder written by `grader init`, and what the command said."""
    parent = tmp_path_factory.mktemp("init")
    run = grader("init", "Calculus 101", cwd=parent)
    assert run.returncode == 0, run.stderr
    return parent / "Calculus 101", run


@pytest.fixture(scope="module")
def course(made: tuple[Path, subprocess.CompletedProcess]) -> Path:
    """The folder `grader init` wrote."""
    return made[0]


def files_of(folder: Path) -> set[str]:
    """Every file below `folder`, as a path relative to it."""
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def graded(course: Path, submissions: str, out: Path) -> dict[str, dict]:
    """`grader grade SUBMISSIONS --assignment slopes --out OUT` in the course: grades.json's
    submissions by student."""
    run = grader("grade", submissions, "--assignment", ASSIGNMENT, "--out", str(out), cwd=course)
    assert run.returncode == 0, run.stderr
    results = json.loads((out / "grades.json").read_text())["submissions"]
    assert all(result["error"] is None for result in results), results
    return {result["student"]: result for result in results}


def hidden_messages(result: dict, exercise: str) -> list[str]:
    """The messages of an exercise's hidden checks, in order."""
    checks = result["exercises"][exercise]["checks"]
    return [check["message"] for check in checks if check["hidden"]]


def test_init_writes_the_course_and_says_what_to_run_next(made):
    course, run = made
    assert files_of(course) == FILES
    # The files listed, then the next commands, the folder quoted for the shell.
    for name in FILES:
        assert f"  {name}\n" in run.stderr
    assert "cd 'Calculus 101'" in run.stderr
    assert "grader validate" in run.stderr
    assert f"grader grade solutions/{ASSIGNMENT}.py --assignment {ASSIGNMENT} --out out" in (
        run.stderr
    )
    loaded = load_course(course / "course.toml")
    assert loaded.id == "calculus-101"
    assert 10**8 <= loaded.seed < 10**9
    (assignment,) = loaded.assignments
    assert assignment.id == ASSIGNMENT
    assert [exercise.id for exercise in assignment.exercises] == list(EXERCISES)
    # Every check file at its default place, found without a key naming it.
    assert assignment.public_checks == (course / f"checks/{ASSIGNMENT}/public.py").resolve()
    assert assignment.hidden_checks == (course / f"checks/{ASSIGNMENT}/hidden.py").resolve()
    assert assignment.wrong_formulas == (course / f"checks/{ASSIGNMENT}/known.py").resolve()
    # Only course.toml is filled in; the other files are the template's, byte for byte.
    assert "$" not in (course / "course.toml").read_text()
    for name in FILES - {"course.toml"}:
        assert (course / name).read_bytes() == (TEMPLATE / name).read_bytes(), name


def test_the_template_is_data_not_a_package():
    names = {path.relative_to(TEMPLATE).as_posix() for path in template_files()}
    assert names == FILES
    assert not list(TEMPLATE.rglob("__init__.py"))


def test_the_reference_earns_full_marks(course, tmp_path):
    (result,) = graded(course, f"solutions/{ASSIGNMENT}.py", tmp_path / "out").values()
    assert result["points"] == result["max_points"] == 2
    for exercise in EXERCISES:
        checks = result["exercises"][exercise]["checks"]
        assert all(check["passed"] for check in checks), checks
        # Each exercise has public and hidden checks.
        assert {check["hidden"] for check in checks} == {False, True}


def test_the_stub_earns_nothing(course, tmp_path):
    (result,) = graded(course, f"exercises/{ASSIGNMENT}.py", tmp_path / "out").values()
    for exercise in EXERCISES:
        checks = result["exercises"][exercise]["checks"]
        assert result["exercises"][exercise]["points"] == 0
        assert all("raised NotImplementedError" in check["message"] for check in checks)


def test_the_named_misconception_is_named(course, tmp_path):
    source = (course / "solutions" / f"{ASSIGNMENT}.py").read_text()
    assert source.count(RIGHT) == 1
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    for student in ("ana", "ben"):
        (submissions / f"{student}.py").write_text(source.replace(RIGHT, UPSIDE_DOWN))
    first = graded(course, str(submissions), tmp_path / "first")
    for result in first.values():
        secant = result["exercises"]["secant_slope"]
        assert secant["points"] == 0
        messages = hidden_messages(result, "secant_slope")
        assert messages and all(MISCONCEPTION in message for message in messages), messages
        square = result["exercises"]["square_slope"]
        assert square["points"] == square["max_points"] == 1
    # The hidden inputs are each student's own (the messages show them), and the same again
    # when graded again.
    assert hidden_messages(first["ana"], "secant_slope") != hidden_messages(
        first["ben"], "secant_slope"
    )
    again = graded(course, str(submissions), tmp_path / "again")
    for student, result in first.items():
        assert hidden_messages(again[student], "secant_slope") == hidden_messages(
            result, "secant_slope"
        )


def test_the_release_holds_the_public_checks_only(course, tmp_path):
    out = tmp_path / "release"
    run = grader("release", "--out", str(out), cwd=course)
    assert run.returncode == 0, run.stderr
    names = files_of(out)
    assert f"exercises/{ASSIGNMENT}.py" in names
    assert f"notebooks/{ASSIGNMENT}.ipynb" in names
    assert f"grader/course-data/checks/{ASSIGNMENT}/public.py" in names
    assert not [name for name in names if "hidden" in name or "known" in name]
    assert not [name for name in names if "solution" in name]
    hidden_names = {"test_secant_slope_random_interval", "test_square_slope_keeps_the_shape"}
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("latin-1")
            assert not [name for name in hidden_names if name in text], path
    # The release's course data checks a student's working copy: its public checks, with the
    # reference's recorded answers in place of the solution it does not hold.
    released = out / "grader" / "course-data" / "course.toml"
    work = tmp_path / "work"
    work.mkdir()
    copy = work / f"{ASSIGNMENT}.py"
    copy.write_bytes((course / "solutions" / f"{ASSIGNMENT}.py").read_bytes())
    passed = grader("check", f"{ASSIGNMENT}.py", "--course", str(released), cwd=work)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "passed for 2 of 2 exercises" in passed.stdout
    copy.write_bytes((out / "exercises" / f"{ASSIGNMENT}.py").read_bytes())
    stub = grader("check", f"{ASSIGNMENT}.py", "--course", str(released), cwd=work)
    assert stub.returncode == 1 and "not implemented yet" in stub.stdout
    # And the release's own `grader check`, its bundled package first on the path (as
    # `pip install` of the release would put it), checks the stub it holds and a solved copy.
    version = released_grader(out, "--version")
    assert "gradkit-student" in version.stdout, version.stdout + version.stderr
    own = released_grader(out, "check")
    assert own.returncode == 1 and "not implemented yet" in own.stdout, own.stdout + own.stderr
    (out / "exercises" / f"{ASSIGNMENT}.py").write_bytes(
        (course / "solutions" / f"{ASSIGNMENT}.py").read_bytes()
    )
    own = released_grader(out, "check")
    assert own.returncode == 0, own.stdout + own.stderr
    assert "passed for 2 of 2 exercises" in own.stdout


def test_validate_passes_in_a_fresh_course(tmp_path):
    # A folder of its own: validation must find the course exactly as `grader init` left it.
    assert grader("init", "fresh", cwd=tmp_path).returncode == 0
    run = grader("validate", cwd=tmp_path / "fresh")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "course is valid" in run.stdout + run.stderr
    assert "1 named wrong formula" in run.stdout + run.stderr


def released_grader(release: Path, *arguments: str) -> subprocess.CompletedProcess:
    """Run the release's own `grader` in its folder, its package ahead of the instructor's."""
    environment = {**os.environ, "PYTHONPATH": str(release)}
    return subprocess.run(
        [sys.executable, "-m", "grader", *arguments],
        cwd=release, env=environment, capture_output=True, text=True,
    )  # fmt: skip


def one_line_error(run: subprocess.CompletedProcess) -> str:
    """The usage error of a refused command: exit 2, one line on stderr, no traceback."""
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    return lines[0]


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "notes.txt").write_text("keep me")
    line = one_line_error(grader("init", "course", cwd=tmp_path))
    assert "course is not empty" in line
    assert files_of(tmp_path / "course") == {"notes.txt"}
    assert (tmp_path / "course" / "notes.txt").read_text() == "keep me"


def test_init_refuses_a_file(tmp_path):
    (tmp_path / "course.toml").write_text("[course]\n")
    line = one_line_error(grader("init", "course.toml", cwd=tmp_path))
    assert "course.toml exists and is not a folder" in line
    line = one_line_error(grader("init", "course.toml/new", cwd=tmp_path))
    assert "is a file, so course.toml/new cannot be created" in line
    assert (tmp_path / "course.toml").read_text() == "[course]\n"


def test_write_course_fills_an_empty_folder(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    written = write_course(folder, seed=7)
    assert {path.relative_to(folder).as_posix() for path in written} == FILES
    assert load_course(folder / "course.toml").seed == 7
    with pytest.raises(InitError, match="is not empty") as refused:
        write_course(folder)
    # One sentence naming the folder and what to do.
    message = str(refused.value)
    assert str(folder) in message and "grader init" in message and message.count(". ") == 0
