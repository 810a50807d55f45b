"""Submissions are regular files inside the submissions folder, in every layout.

A submission that is a symbolic link (to the reference solution, to another student's file, to
course.toml, out of the folder with `../`), a link to a folder, a named pipe or a hard link is
graded 0 with one sentence naming the file, and is never opened: the target's content and path
appear nowhere. Every honest submission beside them keeps full marks. Real files, real grading
through the `grader` command, as an instructor runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from nbgrader_course import NOTEBOOK, full_marks, scores

from grader.course.submissions import SubmissionCode, discover
from grader.nbgrader.coursedir import read_timestamp

ASSIGNMENT = "derivatives"
SOLUTION = REPO / "solutions" / f"{ASSIGNMENT}.py"
COURSE_TOML = REPO / "course.toml"
# Far longer than a grading of these few submissions takes: only there so that a read that
# blocks (on a named pipe) fails the test instead of hanging the run.
HANG_GUARD_SECONDS = 600

HONEST = {
    "honest": "honest.py",
    "honest_nb": "honest_nb.ipynb",
    "jo": f"jo/{ASSIGNMENT}.py",
    "gus": f"gus/{ASSIGNMENT}.ipynb",
    "hana": f"hana/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
}
LINK = "is a symbolic link; submit the file itself."
REFUSED = {
    "linked": f"linked.py {LINK}",
    "copycat": f"copycat.py {LINK}",
    "toml": f"toml.py {LINK}",
    "escape": f"escape.py {LINK}",
    "nb_link": f"nb_link.ipynb {LINK}",
    "erik": f"erik/{ASSIGNMENT}.py {LINK}",
    "alice": "alice.py is not a regular file (it is a named pipe); submit the file itself.",
    "dora": f"dora/{ASSIGNMENT}.py is inside dora, which is a symbolic link; "
    "submit the folder itself.",
    "fay": f"fay/{ASSIGNMENT}/{ASSIGNMENT}.py is inside fay/{ASSIGNMENT}, which is a symbolic "
    "link; submit the folder itself.",
    "ivan": "ivan.py is a hard link (a second name of another file); submit a copy.",
}


def grader(*arguments: str) -> subprocess.CompletedProcess:
    """`grader ...` run from the repository, as an instructor runs it."""
    return subprocess.run(
        [sys.executable, "-m", "grader", *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
    )


def solution_notebook(path: Path) -> Path:
    """A real notebook whose one code cell is the reference solution: full marks if graded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cell = nbformat.v4.new_code_cell(SOLUTION.read_text())
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    return path


def copy_solution(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOLUTION, path)
    return path


def build_submissions(base: Path) -> Path:
    """A submissions folder holding honest submissions in every layout and one attack per
    student, with `outside/` beside it holding answers the attacks point at."""
    outside = base / "outside"
    copy_solution(outside / f"{ASSIGNMENT}.py")
    solution_notebook(outside / "answers.ipynb")
    copy_solution(outside / "stolen" / f"{ASSIGNMENT}.py")
    root = base / "submissions"
    copy_solution(root / HONEST["honest"])
    solution_notebook(root / HONEST["honest_nb"])
    copy_solution(root / HONEST["jo"])
    solution_notebook(root / HONEST["gus"])
    solution_notebook(root / HONEST["hana"])
    (root / "linked.py").symlink_to(SOLUTION)
    (root / "copycat.py").symlink_to("honest.py")  # another student's file, relatively
    (root / "toml.py").symlink_to(COURSE_TOML)
    (root / "escape.py").symlink_to(f"../outside/{ASSIGNMENT}.py")
    (root / "nb_link.ipynb").symlink_to(outside / "answers.ipynb")
    (root / "erik").mkdir()
    (root / "erik" / f"{ASSIGNMENT}.py").symlink_to(SOLUTION)
    os.mkfifo(root / "alice.py")  # nothing ever writes to it: opening it must not wait
    (root / "dora").symlink_to(outside / "stolen", target_is_directory=True)
    (root / "fay").mkdir()
    (root / "fay" / ASSIGNMENT).symlink_to(outside / "stolen", target_is_directory=True)
    os.link(outside / f"{ASSIGNMENT}.py", root / "ivan.py")
    return root


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The folder graded once by `grader grade`: the run, grades.json by student, the output
    folder and the folder of answers outside the submissions."""
    base = tmp_path_factory.mktemp("files")
    root = build_submissions(base)
    out = base / "out"
    run = grader("grade", str(root), "--assignment", ASSIGNMENT, "--out", str(out), "--jobs", "2")
    assert run.returncode == 0, run.stderr
    grades = json.loads((out / "grades.json").read_text())
    students = {entry["student"]: entry for entry in grades["submissions"]}
    return {"run": run, "grades": grades, "students": students, "out": out, "base": base}


def test_honest_submissions_keep_full_marks_in_every_layout(graded: dict) -> None:
    students, full = graded["students"], graded["grades"]["max_points"]
    for student, file in HONEST.items():
        entry = students[student]
        assert (entry["points"], entry["error"]) == (full, None), student
        assert entry["source"].endswith(file)


@pytest.mark.parametrize("student", sorted(REFUSED))
def test_a_link_a_pipe_or_a_hard_link_gets_zero_and_one_sentence(graded: dict, student: str):
    entry = graded["students"][student]  # listed, not silently dropped
    assert entry["points"] == 0
    assert entry["error"] == REFUSED[student]
    assert all(check["points"] == 0 for e in entry["exercises"].values() for check in e["checks"])


def test_all_students_are_listed_and_nothing_else(graded: dict) -> None:
    assert sorted(graded["students"]) == sorted([*HONEST, *REFUSED])


def test_no_target_content_or_path_appears_in_any_output(graded: dict) -> None:
    run, out = graded["run"], graded["out"]
    written = [run.stdout, run.stderr]
    written += [path.read_text(errors="replace") for path in out.rglob("*") if path.is_file()]
    text = "\n".join(written)
    assert "Traceback" not in text
    # Lines of content only: a closing "]" of a list says nothing of the course.
    course_lines = {
        line.strip() for line in COURSE_TOML.read_text().splitlines() if any(map(str.isalnum, line))
    }
    assert [line for line in course_lines if line in text] == []
    errors = " ".join(entry["error"] or "" for entry in graded["students"].values())
    for target in ("solutions", "course.toml", "outside", "stolen", "answers", str(REPO)):
        assert target not in errors


def test_a_single_file_on_the_command_line(graded: dict, tmp_path: Path) -> None:
    root = graded["base"] / "submissions"
    out = tmp_path / "linked"
    run = grader("grade", str(root / "linked.py"), "--assignment", ASSIGNMENT, "--out", str(out))
    assert run.returncode == 0, run.stderr
    (entry,) = json.loads((out / "grades.json").read_text())["submissions"]
    assert (entry["student"], entry["points"], entry["error"]) == ("linked", 0, REFUSED["linked"])
    out = tmp_path / "honest"
    run = grader("grade", str(root / "honest.py"), "--assignment", ASSIGNMENT, "--out", str(out))
    assert run.returncode == 0, run.stderr
    grades = json.loads((out / "grades.json").read_text())
    (entry,) = grades["submissions"]
    assert (entry["student"], entry["points"]) == ("honest", grades["max_points"])


# Reading, without grading: the check is the read itself


def test_a_file_replaced_by_a_link_after_discovery_is_refused_when_read(tmp_path: Path) -> None:
    path = copy_solution(tmp_path / "alice.py")
    (alice,) = discover(tmp_path, ASSIGNMENT)
    assert alice.read().error is None
    path.unlink()
    path.symlink_to(SOLUTION)
    assert alice.read() == SubmissionCode((), f"alice.py {LINK}")


def test_the_folder_the_instructor_names_may_itself_be_a_link(tmp_path: Path) -> None:
    copy_solution(tmp_path / "real" / "alice.py")
    copy_solution(tmp_path / "real" / "bob" / f"{ASSIGNMENT}.py")
    (tmp_path / "named").symlink_to(tmp_path / "real", target_is_directory=True)
    found = discover(tmp_path / "named", ASSIGNMENT)
    assert [(s.student, s.read().error) for s in found] == [("alice", None), ("bob", None)]
    assert all(s.read().cells == (SOLUTION.read_text(),) for s in found)


def test_a_linked_folder_is_not_looked_into(tmp_path: Path) -> None:
    """A student folder that is a link names no file of its target, even when it lacks the
    assignment: the listing of another folder is not the student's to see."""
    (tmp_path / "elsewhere").mkdir()
    copy_solution(tmp_path / "elsewhere" / "secret_answers.py")
    copy_solution(tmp_path / "subs" / "honest.py")
    (tmp_path / "subs" / "dora").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    found = {s.student: s.read() for s in discover(tmp_path / "subs", ASSIGNMENT)}
    assert found["dora"].error is not None and "symbolic link" in found["dora"].error
    assert "secret_answers" not in found["dora"].error
    assert found["honest"].error is None


def test_a_device_is_refused_without_being_opened(tmp_path: Path) -> None:
    try:  # /dev/null's numbers: opening it would do nothing, but it must not even be opened
        os.mknod(tmp_path / "alice.py", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs root")
    (alice,) = discover(tmp_path, ASSIGNMENT)
    assert alice.read().error == (
        "alice.py is not a regular file (it is a device); submit the file itself."
    )


def test_an_nbgrader_timestamp_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "submitted" / "mallory" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").symlink_to(COURSE_TOML)
    relative = f"mallory/{ASSIGNMENT}/timestamp.txt"
    timestamp, problem = read_timestamp(tmp_path / "submitted", relative)
    assert timestamp is None
    assert problem == (
        f"{folder / 'timestamp.txt'} is a symbolic link; the submission is treated as on time."
    )
    (folder / "timestamp.txt").unlink()
    assert read_timestamp(tmp_path / "submitted", relative) == (None, None)


# nbgrader's submitted/<student>/<assignment>/<notebook>.ipynb


@pytest.mark.slow
def test_nbgrader_links_in_submitted_are_refused(course_dirs: dict, tmp_path: Path) -> None:
    """mallory's notebook links to the instructor's source notebook (every solution in it),
    oscar's folder to alice's, peggy's assignment folder to alice's: each gets 0 with the reason,
    in grades.json and in the gradebook, no autograded copy shows what the link points at, and
    the honest students keep their grades."""
    root = tmp_path / "course"
    shutil.copytree(course_dirs["sandboxed"], root, symlinks=True)
    submitted = root / "submitted"
    mallory = submitted / "mallory" / ASSIGNMENT
    mallory.mkdir(parents=True)
    shutil.copyfile(submitted / "alice" / ASSIGNMENT / "timestamp.txt", mallory / "timestamp.txt")
    (mallory / NOTEBOOK).symlink_to(root / "source" / ASSIGNMENT / NOTEBOOK)
    (submitted / "oscar").symlink_to(submitted / "alice", target_is_directory=True)
    (submitted / "peggy").mkdir()
    (submitted / "peggy" / ASSIGNMENT).symlink_to(submitted / "alice" / ASSIGNMENT)
    before = scores(root)
    run = grader("grade", "--nbgrader", str(root), "--assignment", ASSIGNMENT, "--jobs", "2")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    grades = json.loads((root / "grades" / ASSIGNMENT / "grades.json").read_text())
    students = {entry["student"]: entry for entry in grades["submissions"]}
    path = f"{ASSIGNMENT}/{NOTEBOOK}"
    assert students["mallory"]["error"] == f"mallory/{path} {LINK}"
    assert students["oscar"]["error"] == (
        f"oscar/{path} is inside oscar, which is a symbolic link; submit the folder itself."
    )
    assert students["peggy"]["error"] == (
        f"peggy/{path} is inside peggy/{ASSIGNMENT}, which is a symbolic link; "
        "submit the folder itself."
    )
    after = scores(root)
    for student in ("mallory", "oscar", "peggy"):
        assert students[student]["points"] == 0
        assert after[student]["grades"] == {name: (0.0, False) for name in full_marks()}
        autograded = root / "autograded" / student / ASSIGNMENT / NOTEBOOK
        assert not autograded.exists()
    assert after["alice"]["grades"] == full_marks()
    for student in ("alice", "bob", "carol", "dave", "frank"):
        assert after[student] == before[student], student
