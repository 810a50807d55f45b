"""What one submission can do to the run and to other students: nothing.

Each class of attack is graded, in one real run of the engine (full sandbox), beside honest
submissions that must keep full marks: forged answers on the worker's answer pipe, scratch
trees that a recursive clean-up cannot remove, channels between workers (System V and POSIX
IPC, memory files, shared folders, file locks, the scheduler), memory outside the worker's
limits, and answers copied from another student's hidden inputs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import REPO, by_student, reference_source

from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.run import grade
from grader.sandbox.zygote import remove_tree

# Raised from `derivative` with what each attempt gave, so the test can read it in the message.
PROBE = """
import ctypes, fcntl, os, resource
_libc = ctypes.CDLL(None, use_errno=True)
_seen = {}

def _attempt(name, action):
    try:
        result = action()
        _seen[name] = "errno%d" % ctypes.get_errno() if result == -1 else "worked"
    except OSError as error:
        _seen[name] = "errno%d" % error.errno

_attempt("shmget", lambda: _libc.shmget(0x5eed, 1 << 20, 0o1666))
_attempt("semget", lambda: _libc.semget(0x5eed, 1, 0o1666))
_attempt("msgget", lambda: _libc.msgget(0x5eed, 0o1666))
_attempt("mq_open", lambda: _libc.mq_open(b"/gradkit", 0o100 | 2, 0o666, None))
_attempt("memfd", lambda: os.memfd_create("channel"))
_attempt("dev_shm", lambda: open("/dev/shm/channel", "w").write("x"))
_attempt("tmp", lambda: open("/tmp/channel", "w").write("x"))
_attempt("list_scratch", lambda: os.listdir(".."))
_attempt("flock", lambda: fcntl.flock(open("/usr/lib/os-release"), fcntl.LOCK_EX))
_attempt("lockf", lambda: fcntl.lockf(open("/usr/lib/os-release"), fcntl.LOCK_SH))
_attempt("nice_others", lambda: os.setpriority(os.PRIO_USER, 0, 19))
_attempt("affinity", lambda: os.sched_setaffinity(0, {0}))
_attempt("scheduler", lambda: os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0)))
_attempt("prlimit_other", lambda: resource.prlimit(1, resource.RLIMIT_CPU, (1, 1)))
_attempt("own_limit", lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0)))

def derivative(x):
    raise LookupError(" ".join(f"{name}={_seen[name]}" for name in sorted(_seen)))
"""
DENIED = ("shmget", "semget", "msgget", "mq_open", "memfd", "flock", "lockf", "nice_others",
          "affinity", "scheduler", "prlimit_other")  # fmt: skip
NOT_PERMITTED = (1, 13)  # EPERM from the filter, EACCES from the file system

# A correct answer published through System V shared memory, and a copier that reads it.
PUBLISHER = """
import ctypes
_libc = ctypes.CDLL(None, use_errno=True)
_id = _libc.shmget(0x600d, 4096, 0o1666)
if _id != -1:
    _libc.shmat.restype = ctypes.c_void_p
    _address = _libc.shmat(_id, None, 0)
    ctypes.memmove(_address, b"shared!", 7)
"""
COPIER = """
import ctypes
_libc = ctypes.CDLL(None, use_errno=True)

def derivative(x):
    segment = _libc.shmget(0x600d, 4096, 0)
    if segment == -1:
        raise LookupError("nothing published")
    _libc.shmat.restype = ctypes.c_void_p
    assert ctypes.string_at(_libc.shmat(segment, None, 0), 7) == b"shared!"
    return 2.0 * x
"""

# Frames written straight onto the worker's answer pipe (fd 4), as student code can.
FORGE = """
import os
def _forge(body):
    os.write(4, len(body).to_bytes(4, "big") + body)
"""
FORGERIES = {
    # The load's answer with a number where the list of functions goes.
    "forges_load": FORGE + '_forge(b\'{"$dict": [["functions", 5]]}\')\n',
    # A well-formed load answer whose errors are not error records.
    "forges_errors": FORGE + '_forge(b\'{"$dict": [["functions", ["derivative"]], '
    '["errors", [5, {"$dict": [["cell", {"$dict": []}]]}]]]}\')\n',
    # A length header past every cap, then nothing.
    "forges_length": 'import os\nos.write(4, b"\\xff\\xff\\xff\\xff")\n',
    # Garbage on every descriptor a worker could hold.
    "forges_everywhere": "import os\nfor _fd in range(3, 64):\n    try:\n"
    '        os.write(_fd, b"\\x00\\x00\\x00\\x02{}")\n    except OSError:\n        pass\n',
}
# An answer to a call forged ahead of the real one (numbered as the next one would be).
FORGES_CALLS = (
    FORGE
    + """
def derivative(x):
    _forge(b'{"$dict": [["value", 12345.0], ["evaluations", 0], ["n", 2]]}')
    return 2.0 * x
"""
)

DEEP_SCRATCH = """
import os
for _ in range(4000):
    os.mkdir("d")
    os.chdir("d")
"""
WIDE_SCRATCH = """
import os
for _index in range(20000):
    os.mkdir(f"w{_index}")
"""
# Inputs echoed back in the messages: the same submission as two students.
ECHO_INPUTS = """
def derivative(x):
    raise LookupError(f"asked about {x!r}")
"""


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """One run of the engine over every attack and three honest submissions."""
    folder = tmp_path_factory.mktemp("attacks")
    correct = reference_source("derivatives")
    for honest in ("honest_a", "honest_m", "honest_z"):
        (folder / f"{honest}.py").write_text(correct)
    attacks = {
        "probe": PROBE,
        "a_publisher": PUBLISHER,
        "b_copier": COPIER,
        "forges_calls": FORGES_CALLS,
        "deep_scratch": DEEP_SCRATCH,
        "wide_scratch": WIDE_SCRATCH,
        "echo_1": ECHO_INPUTS,
        "echo_2": ECHO_INPUTS,
        **FORGERIES,
    }
    for student, code in attacks.items():
        (folder / f"{student}.py").write_text(correct + "\n\n" + code)
    course = load_course(REPO / "course.toml")
    assignment = course.assignment("derivatives")
    found = discover(folder, assignment.id)
    first = grade(course, assignment, found, jobs=2)
    again = grade(course, assignment, found, jobs=1)  # one session: every attack on one template
    return first, again, assignment


def _failed_messages(submission, exercise: str) -> list[str]:
    return [check.message for check in submission.exercises[exercise].checks if not check.passed]


def test_every_submission_is_graded_and_honest_ones_keep_full_marks(attacked):
    first, again, assignment = attacked
    for result in (first, again):
        graded = by_student(result)
        assert len(graded) == 3 + 8 + len(FORGERIES)
        for honest in ("honest_a", "honest_m", "honest_z"):
            assert graded[honest].points == assignment.max_points, honest
            assert graded[honest].error is None


@pytest.mark.parametrize("student", sorted(FORGERIES))
def test_forged_answers_cost_the_forger_only(attacked, student):
    """A frame the worker did not write is refused before the grader reads it: the forger's
    code counts as not run, with a reason, and nothing else is affected."""
    first, _, _ = attacked
    submission = by_student(first)[student]
    assert submission.points == 0
    assert "sent back data the grader cannot read" in (submission.error or ""), submission.error


def test_an_answer_forged_ahead_of_the_real_one_gains_nothing(attacked):
    """A forged answer numbered as the call's own is the student's answer to that call, no more
    than returning it; the worker's real answer behind it then has the wrong number and ends
    the worker, and the call whose place it took is asked again of a fresh worker: the forger
    loses that exercise, nothing else (tangent_estimate, asked right after, keeps its points)."""
    first, _, assignment = attacked
    submission = by_student(first)["forges_calls"]
    messages = _failed_messages(submission, "derivative")
    assert messages[0] == "derivative(-0.5) returned 12345.0, expected -1.0."
    assert all("12345.0" in message for message in messages)
    assert submission.exercises["derivative"].points == 0
    others = assignment.max_points - assignment.exercise("derivative").points
    assert submission.points == pytest.approx(others)


def test_scratch_trees_of_any_shape_leave_the_template_working(attacked):
    """Trees thousands of folders deep or wide are cleaned up without the template falling over;
    the submissions graded after them on the same template keep full marks."""
    _, again, assignment = attacked
    graded = by_student(again)
    for student in ("deep_scratch", "wide_scratch"):
        assert graded[student].points == assignment.max_points
        assert graded[student].error is None


def test_workers_have_no_channel_to_each_other(attacked):
    first, again, _ = attacked
    for result in (first, again):
        message = _failed_messages(by_student(result)["probe"], "derivative")[0]
        seen = dict(entry.split("=") for entry in message.split("): ", 1)[1].rstrip(".").split())
        for name in DENIED:
            assert seen[name] in {f"errno{code}" for code in NOT_PERMITTED}, (name, seen)
        for name in ("dev_shm", "tmp", "list_scratch"):
            assert seen[name] in {f"errno{code}" for code in NOT_PERMITTED}, (name, seen)
        assert seen["own_limit"] == "worked"  # lowering its own limits stays possible


def test_an_answer_published_by_one_worker_cannot_be_copied_by_another(attacked):
    """The publisher is graded first on the same template; the copier finds nothing."""
    _, again, _ = attacked
    copier = by_student(again)["b_copier"]
    assert copier.exercises["derivative"].points == 0
    assert "nothing published" in " ".join(_failed_messages(copier, "derivative"))


def test_hidden_inputs_are_each_students_own_and_regrades_repeat_them(attacked):
    """Two students with the same code are asked the same public questions and other hidden
    ones; grading them again asks exactly the same questions again."""
    first, again, _ = attacked
    one, two = (by_student(first)[name].exercises["derivative"] for name in ("echo_1", "echo_2"))
    pairs = list(zip(one.checks, two.checks, strict=True))
    public = [(a.message, b.message) for a, b in pairs if not a.hidden]
    hidden = [(a.message, b.message) for a, b in pairs if a.hidden]
    assert public and all(a == b for a, b in public)
    assert hidden and any(a != b for a, b in hidden)
    for name in ("echo_1", "echo_2"):
        assert by_student(first)[name].as_dict() == by_student(again)[name].as_dict()


def test_remove_tree_removes_deep_and_wide_trees_and_follows_no_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for index in range(300):
        (scratch / f"wide{index}").mkdir()
        (scratch / f"file{index}").write_text("x")
    (scratch / "link").symlink_to(outside)
    (scratch / "link_to_file").symlink_to(outside / "keep.txt")
    here = os.open(scratch, os.O_RDONLY)
    try:
        for _ in range(5000):  # deeper than the recursion limit, longer than PATH_MAX
            os.mkdir("d", dir_fd=here)
            os.close(os.open("x", os.O_CREAT | os.O_WRONLY, dir_fd=here))
            below = os.open("d", os.O_RDONLY, dir_fd=here)
            os.close(here)
            here = below
    finally:
        os.close(here)
    remove_tree(str(scratch))
    assert not scratch.exists()
    assert (outside / "keep.txt").read_text() == "keep"


def test_grades_files_are_written_whatever_the_attacks(tmp_path):
    """Through the command line: the run finishes with exit 0 and both files, honest full."""
    from grader.cli.main import main

    folder = tmp_path / "submissions"
    folder.mkdir()
    correct = reference_source("derivatives")
    (folder / "honest.py").write_text(correct)
    for student, code in FORGERIES.items():
        (folder / f"{student}.py").write_text(code)
    (folder / "deep.py").write_text(DEEP_SCRATCH)
    out = tmp_path / "out"
    status = main(["grade", str(folder), "--assignment", "derivatives", "--out", str(out),
                   "--course", str(REPO / "course.toml"), "--jobs", "1"])  # fmt: skip
    assert status == 0
    grades = json.loads((out / "grades.json").read_text())
    points = {entry["student"]: entry["points"] for entry in grades["submissions"]}
    assert points == {"honest": 8.5, "deep": 0.0, **dict.fromkeys(FORGERIES, 0.0)}
    assert Path(out / "grades.csv").read_text().count("\n") == 2 + len(FORGERIES) + 1


def test_a_notebook_of_many_failing_cells_keeps_its_notes_bounded(tmp_path, grade_folder):
    """Each cell that raised becomes a note; past the cap the rest are not reported, so the
    notes of one submission cannot grow with the cells it holds."""
    import nbformat

    from grader.sandbox.answers import MAX_CELL_ERRORS

    cells = [nbformat.v4.new_code_cell(f"raise ValueError('cell {index}')") for index in range(300)]
    cells.append(nbformat.v4.new_code_cell(reference_source("derivatives")))
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "noisy.ipynb")
    (tmp_path / "honest.py").write_text(reference_source("derivatives"))
    graded = by_student(grade_folder(tmp_path, "derivatives"))
    assert graded["honest"].points == 8.5
    assert graded["noisy"].points == 8.5
    assert len(graded["noisy"].notes) == MAX_CELL_ERRORS
