"""Runs that survive interruption: the journal, `grader grade --resume`, Ctrl-C and SIGTERM.

Each test runs the real `grader grade` as a process of its own, with the default SIGINT handler
(as a terminal gives it), on a folder where every submission takes a moment to load, and stops
it once its journal holds a given number of submissions: by SIGINT to its whole process group
(what Ctrl-C does), by SIGTERM, or by SIGKILL of the grader alone. Then the run is resumed and
its grades.json and grades.csv compared with those of one uninterrupted run of the same folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, copy_course

ASSIGNMENT = "descent"
STUDENTS = 24
# Loading takes a moment, so that a run is still grading when the test stops it.
SLOW = "import time as _time\n_time.sleep(0.25)\n"
ASCENT = (
    "return _vector(x) - float(lr) * _vector(grad)",
    "return _vector(x) + float(lr) * _vector(grad)",
)


def grader_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "grader", *arguments]


def grade_args(course: Path, submissions: Path, out: Path, *more: str) -> list[str]:
    return grader_command("grade", str(submissions), "--assignment", ASSIGNMENT, "--out",
                          str(out), "--course", str(course), "--jobs", "2", *more)  # fmt: skip


def run(arguments: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(arguments, cwd=REPO, capture_output=True, text=True, timeout=600)


def start(arguments: list[str]) -> subprocess.Popen:
    """The grader in a process group of its own, with SIGINT's default handler restored."""
    return subprocess.Popen(
        arguments, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip


def journal_entries(out: Path) -> int:
    """How many graded submissions the journal holds (header and finished mark not counted)."""
    try:
        lines = (out / "journal.jsonl").read_text().splitlines()
    except FileNotFoundError:
        return 0
    return sum(1 for line in lines[1:] if line.startswith('{"result"'))


def wait_for_entries(process: subprocess.Popen, out: Path, count: int) -> None:
    deadline = time.monotonic() + 300
    while journal_entries(out) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run graded nothing"
        time.sleep(0.02)


def group_members(group: int) -> list[str]:
    """The live (not zombie) processes of a process group."""
    listing = subprocess.run(["ps", "-eo", "pgid=,stat=,args="], capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
    members = []
    for line in listing.splitlines():
        pgid, stat, *args = line.split(maxsplit=2)
        if int(pgid) == group and not stat.startswith("Z"):
            members.append(" ".join(args))
    return members


def wait_until_gone(group: int) -> list[str]:
    """The group's processes still alive after they were given time to end (none expected)."""
    for _ in range(200):
        members = group_members(group)
        if not members:
            return []
        time.sleep(0.05)
    return group_members(group)


def comparable(out: Path) -> tuple[dict, str]:
    """grades.json without the time it was written, and grades.csv."""
    grades = json.loads((out / "grades.json").read_text())
    grades.pop("graded_at")
    return grades, (out / "grades.csv").read_text()


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="module")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Slow-loading submissions: most right, every fourth one an ascent instead of descent."""
    folder = tmp_path_factory.mktemp("submissions")
    solution = (REPO / "solutions" / f"{ASSIGNMENT}.py").read_text()
    assert ASCENT[0] in solution
    for index in range(STUDENTS):
        text = solution.replace(*ASCENT) if index % 4 == 3 else solution
        (folder / f"s{index:02d}.py").write_text(SLOW + text)
    return folder


@pytest.fixture(scope="module")
def uninterrupted(course: Path, submissions: Path, tmp_path_factory: pytest.TempPathFactory):
    """The grades of one run that nothing stopped."""
    out = tmp_path_factory.mktemp("uninterrupted")
    done = run(grade_args(course, submissions, out))
    assert done.returncode == 0, done.stderr
    return comparable(out)


def interrupted_run(course: Path, submissions: Path, out: Path, after: int, how: str,
                    *more: str) -> subprocess.CompletedProcess:  # fmt: skip
    """A run stopped once its journal holds `after` submissions, and what it printed."""
    process = start(grade_args(course, submissions, out, *more))
    wait_for_entries(process, out, after)
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)
    elif how == "sigterm":
        process.send_signal(signal.SIGTERM)
    else:
        process.send_signal(signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=120)
    assert wait_until_gone(process.pid) == []
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.parametrize(("how", "status"), [("ctrl-c", 130), ("sigterm", 143)])
def test_a_stopped_run_says_what_it_kept_and_resumes_to_the_uninterrupted_grades(
    how, status, course, submissions, uninterrupted, tmp_path
) -> None:
    out = tmp_path / "out"
    stopped = interrupted_run(course, submissions, out, 3, how)
    assert stopped.returncode == status, stopped.stderr
    kept = journal_entries(out)
    assert 3 <= kept < STUDENTS
    assert not (out / "grades.json").exists()
    name = "Ctrl-C" if how == "ctrl-c" else "SIGTERM"
    last = stopped.stderr.strip().splitlines()[-1]
    assert re.fullmatch(
        rf"interrupted \({name}\): (\d+) of {STUDENTS} submissions graded, kept in "
        rf"{re.escape(str(out / 'journal.jsonl'))}; run the same command with --resume to "
        rf"grade the other (\d+)\.",
        last,
    ), last
    assert "Traceback" not in stopped.stderr
    resumed = run(grade_args(course, submissions, out, "--resume"))
    assert resumed.returncode == 0, resumed.stderr
    journal = out / "journal.jsonl"
    assert (
        f"note: {kept} of {STUDENTS} submissions already graded (kept from {journal}); "
        f"grading the other {STUDENTS - kept}."
    ) in resumed.stderr
    assert comparable(out) == uninterrupted


@pytest.mark.parametrize("after", [1, 9])
def test_a_killed_grader_leaves_a_journal_to_resume_and_no_process(
    after, course, submissions, uninterrupted, tmp_path
) -> None:
    """kill -9 of the grader alone: its sessions end with it (nothing grades on), the journal
    holds what was graded, and a resume, even stopped and resumed again, ends as one run."""
    out = tmp_path / "out"
    killed = interrupted_run(course, submissions, out, after, "sigkill")
    assert killed.returncode == -signal.SIGKILL
    first = journal_entries(out)
    assert first >= after
    again = interrupted_run(course, submissions, out, first + 2, "ctrl-c", "--resume")
    assert again.returncode == 130
    assert f"note: {first} of {STUDENTS} submissions already graded" in again.stderr
    resumed = run(grade_args(course, submissions, out, "--resume"))
    assert resumed.returncode == 0, resumed.stderr
    assert comparable(out) == uninterrupted
    assert (out / "journal.jsonl").read_text().splitlines()[-1] == '{"finished": true}'
    finished = run(grade_args(course, submissions, out, "--resume"))
    assert f"note: {STUDENTS} of {STUDENTS} submissions already graded" in finished.stderr
    assert comparable(out) == uninterrupted


def finished_journal(course: Path, submissions: Path, out: Path) -> list[str]:
    """A folder graded to the end; the lines of its journal."""
    done = run(grade_args(course, submissions, out))
    assert done.returncode == 0, done.stderr
    return (out / "journal.jsonl").read_text().splitlines()


def test_a_line_cut_short_and_a_changed_file_are_graded_again(
    course, submissions, uninterrupted, tmp_path
) -> None:
    """A power cut mid-line leaves half a last line: that submission is graded again. A file
    replaced since its line was written is graded again, not taken from the journal."""
    copied = tmp_path / "submissions"
    shutil.copytree(submissions, copied)
    out = tmp_path / "out"
    lines = finished_journal(course, copied, out)
    (out / "grades.json").unlink()
    cut = "\n".join(lines[:6]) + "\n" + lines[6][: len(lines[6]) // 2]
    (out / "journal.jsonl").write_text(cut)
    changed = json.loads(lines[2])["result"]["student"]
    path = copied / f"{changed}.py"
    path.write_text(path.read_text() + "\n# resubmitted\n")
    resumed = run(grade_args(course, copied, out, "--resume"))
    assert resumed.returncode == 0, resumed.stderr
    assert f"note: 4 of {STUDENTS} submissions already graded" in resumed.stderr
    grades, _ = comparable(out)
    assert grades["submissions"] == [
        {**entry, "source": str(copied / Path(entry["source"]).name)}
        for entry in uninterrupted[0]["submissions"]
    ]


def test_a_run_without_resume_starts_over_and_says_so(course, submissions, tmp_path) -> None:
    out = tmp_path / "out"
    stopped = interrupted_run(course, submissions, out, 2, "ctrl-c")
    kept = journal_entries(out)
    assert stopped.returncode == 130
    again = run(grade_args(course, submissions, out))
    assert again.returncode == 0, again.stderr
    journal = out / "journal.jsonl"
    assert (
        f"note: {journal} held an unfinished run ({kept} submissions graded); starting over "
        "(pass --resume to continue such a run instead)."
    ) in again.stderr
    assert journal_entries(out) == STUDENTS


@pytest.mark.parametrize(
    ("edit", "sentence"),
    [
        (lambda h: {**h, "assignment": "gradients"},
         "{path} is the journal of assignment 'gradients', not descent; give --out this "
         "assignment's own folder."),
        (lambda h: {**h, "course": "another-course"},
         "{path} is the journal of course 'another-course', not gradkit-calculus-ml; give --out "
         "this course's own folder."),
        (lambda h: {**h, "seed": 7},
         "{path} was graded with course seed 7, and course.toml's seed is now 20261122; run "
         "without --resume to grade every submission again."),
        (lambda h: {**h, "points": {**h["points"], "descent_step": 5}},
         "{path} was graded when descent's exercises were worth other points; run without "
         "--resume to grade every submission again."),
    ],
)  # fmt: skip
def test_a_journal_of_another_run_is_refused_in_one_sentence(
    edit, sentence, course, submissions, tmp_path
) -> None:
    out = tmp_path / "out"
    lines = finished_journal(course, submissions, out)
    (out / "grades.json").unlink()
    (out / "grades.csv").unlink()
    lines[0] = json.dumps(edit(json.loads(lines[0])))
    (out / "journal.jsonl").write_text("\n".join(lines[:5]) + "\n")
    refused = run(grade_args(course, submissions, out, "--resume"))
    assert refused.returncode == 2
    path = out / "journal.jsonl"
    assert refused.stderr.strip().splitlines() == [f"error: {sentence.format(path=path)}"]
    assert not (out / "grades.json").exists()


def test_a_journal_damaged_before_its_last_line_is_refused(course, submissions, tmp_path) -> None:
    out = tmp_path / "out"
    lines = finished_journal(course, submissions, out)
    lines[3] = lines[3][:40]
    (out / "journal.jsonl").write_text("\n".join(lines) + "\n")
    refused = run(grade_args(course, submissions, out, "--resume"))
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f"error: {out / 'journal.jsonl'} is damaged at line 4; run without --resume to grade "
        "every submission again."
    ]


def test_resume_with_nothing_to_resume_grades_everything(course, tmp_path) -> None:
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(REPO / "solutions" / f"{ASSIGNMENT}.py", folder / "alice.py")
    out = tmp_path / "out"
    done = run(grade_args(course, folder, out, "--resume"))
    assert done.returncode == 0, done.stderr
    assert (f"note: {out / 'journal.jsonl'} does not exist: nothing to resume, every "
            "submission is graded.") in done.stderr  # fmt: skip
    assert json.loads((out / "grades.json").read_text())["submissions"][0]["student"] == "alice"


def test_resume_is_refused_with_nbgrader(tmp_path) -> None:
    refused = run(grader_command("grade", "--nbgrader", str(tmp_path), "--assignment",
                                 ASSIGNMENT, "--resume"))  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "error: --resume continues a run with --out; --nbgrader keeps its grades in the "
        "gradebook, so grade the nbgrader course again instead."
    )


def test_a_folder_where_the_journal_goes_is_refused_before_grading(course, tmp_path) -> None:
    out = tmp_path / "out"
    (out / "journal.jsonl").mkdir(parents=True)
    refused = run(grade_args(course, REPO / "examples" / "submissions" / ASSIGNMENT, out))
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f"error: {out / 'journal.jsonl'} is a folder, where journal.jsonl is to be written; move "
        "it away or give --out another folder."
    ]
