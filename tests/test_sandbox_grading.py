"""End-to-end: hostile and broken submissions graded in real sandboxes, with exact consequences.

Each submission is the reference solution with one function replaced. The hostile function must
cost exactly its own exercise, every other exercise must keep full marks, and grading must finish
for every student. All of them are graded in one run, as an instructor would.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, by_student, reference_source

from grader.course.config import load_course
from grader.course.submissions import submission_at
from grader.grading.plugin import HUGE_PAGES_FROM, GradingPlugin

OVERRIDES = {
    "segfault": ("derivative", "def derivative(x):\n    import ctypes\n    ctypes.string_at(0)\n"),
    "os_exit": (
        "tangent_estimate",
        "def tangent_estimate(f, df, x, delta_x):\n    import os\n    os._exit(3)\n",
    ),
    "sys_exit": (
        "forward_difference",
        "def forward_difference(f, x, h=1e-6):\n    import sys\n    sys.exit(0)\n",
    ),
    "infinite_loop": (
        "central_difference",
        "def central_difference(f, x, h=1e-5):\n    while True:\n        pass\n",
    ),
    "memory_bomb": (
        "second_derivative",
        "def second_derivative(f, x, h=1e-4):\n"
        "    blocks = []\n    while True:\n        blocks.append(bytearray(10**9))\n",
    ),
    "kills_parent": (
        "interpret_sign",
        "def interpret_sign(d, tol=1e-8):\n    import os, signal\n"
        "    for pid in (os.getppid(), 1, -1):\n"
        "        try:\n            os.kill(pid, signal.SIGKILL)\n"
        "        except OSError:\n            pass\n"
        "    return 'increasing' if d > tol else 'decreasing' if d < -tol else 'stationary'\n",
    ),
    "child_process": (
        "derivative",
        "def derivative(x):\n    import subprocess\n"
        "    subprocess.Popen(['sleep', '4242'], start_new_session=True)\n    return 2.0 * x\n",
    ),
    "forks": (
        "derivative",
        "def derivative(x):\n    import os\n    if os.fork() == 0:\n        import time\n"
        "        time.sleep(4242)\n    return 2.0 * x\n",
    ),
    "huge_output": (
        "derivative",
        "import numpy as _np\n"
        "def derivative(x):\n    print('x' * 10**7)\n    return _np.asarray(x, dtype=float) * 2.0 "
        "if _np.ndim(x) else 2.0 * x\n",
    ),
    "always_equal": (
        "derivative",
        "class Liar(float):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = float.__hash__\n    def __float__(self):\n        return 2.0\n"
        "def derivative(x):\n    return Liar(12345.0)\n",
    ),
    "equal_object": (
        "tangent_estimate",
        "class Anything:\n    def __eq__(self, other):\n        return True\n"
        "    def __float__(self):\n        return 0.0\n"
        "def tangent_estimate(f, df, x, delta_x):\n    return Anything()\n",
    ),
    "reads_solutions": (
        "derivative",
        "def derivative(x):\n"
        f"    return float(len(open({str(REPO / 'solutions' / 'derivatives.py')!r}).read()))\n",
    ),
    "reads_checks": (
        "interpret_sign",
        "def interpret_sign(d, tol=1e-8):\n    import glob, sys\n"
        "    places = [p + '/checks/*/hidden.py' for p in sys.path]\n"
        f"    places.append({str(REPO / 'checks' / '*' / 'hidden.py')!r})\n"
        "    found = [name for place in places for name in glob.glob(place)]\n"
        "    return open(found[0]).read()[:20]\n",
    ),
    "symbolic_injection": (
        "symbolic_derivative",
        "def symbolic_derivative(expression, variable='x'):\n"
        "    return \"__import__('os').system('touch /tmp/gradkit-pwned')\"\n",
    ),
}

PATCHES_COMPARISONS = """
import math, numpy, numpy.testing
math.isclose = lambda *a, **k: True
numpy.isclose = lambda *a, **k: True
numpy.allclose = lambda *a, **k: True
numpy.array_equal = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
def derivative(x): return 0.0
def tangent_estimate(f, df, x, delta_x): return 0.0
def forward_difference(f, x, h=1e-6): return 0.0
def central_difference(f, x, h=1e-5): return 0.0
def second_derivative(f, x, h=1e-4): return 0.0
def interpret_sign(d, tol=1e-8): return "stationary"
def symbolic_derivative(expression, variable="x"): return "0"
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory, request):
    """Grade every hostile submission, plus a correct one, in one run of the engine."""
    from conftest import copy_course

    from grader.course.config import load_course
    from grader.course.submissions import discover
    from grader.grading.run import grade

    root = tmp_path_factory.mktemp("hostile")
    course_path = copy_course(root / "course", seconds_per_call=1.0, seconds_per_submission=20.0)
    folder = root / "submissions"
    folder.mkdir()
    correct = reference_source("derivatives")
    (folder / "correct.py").write_text(correct)
    for student, (_, override) in OVERRIDES.items():
        (folder / f"{student}.py").write_text(correct + "\n\n" + override)
    (folder / "patches_comparisons.py").write_text(PATCHES_COMPARISONS)
    _write_notebook(folder / "notebook.ipynb", correct)
    (folder / "syntax_error.py").write_text("def derivative(x):\n    return 2 *\n")
    (folder / "not_utf8.py").write_bytes(b"def derivative(x):\n    return '\xff\xfe'\n")
    (folder / "bad_json.ipynb").write_text("{ this is not json")
    Path("/tmp/gradkit-pwned").unlink(missing_ok=True)
    course = load_course(course_path)
    assignment = course.assignment("derivatives")
    result = grade(course, assignment, discover(folder, "derivatives"), jobs=2)
    return result, assignment


def _write_notebook(path: Path, correct: str) -> None:
    """A notebook with magics, a shell escape, a plot and a failing cell before the answers."""
    cells = [
        nbformat.v4.new_markdown_cell("# My derivatives"),
        nbformat.v4.new_code_cell("%matplotlib inline\n!ls /\nimport matplotlib.pyplot as plt"),
        nbformat.v4.new_code_cell("plt.plot([0, 1], [0, 1])\nplt.show()"),
        nbformat.v4.new_code_cell("1 / 0"),
        nbformat.v4.new_code_cell("%%bash\necho hello"),
        nbformat.v4.new_code_cell(correct),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)


def _points(result, student: str) -> dict[str, float]:
    return {name: entry.points for name, entry in by_student(result)[student].exercises.items()}


def _messages(result, student: str, exercise: str) -> str:
    checks = by_student(result)[student].exercises[exercise].checks
    return " ".join(check.message for check in checks if not check.passed)


def test_everyone_was_graded(graded):
    result, assignment = graded
    expected = {"correct", "notebook", "syntax_error", "not_utf8", "bad_json",
                "patches_comparisons", *OVERRIDES}  # fmt: skip
    assert {submission.student for submission in result.submissions} == expected
    assert by_student(result)["correct"].points == assignment.max_points


@pytest.mark.parametrize(
    ("student", "words"),
    [
        ("segfault", "segmentation fault"),
        ("os_exit", "exit status 3"),
        ("sys_exit", "sys.exit(0)"),
        ("infinite_loop", "did not finish within 1 s"),
        ("memory_bomb", "MemoryError"),
        ("child_process", "PermissionError"),
        ("forks", "PermissionError"),
        ("always_equal", "returned 12345.0"),
        ("equal_object", "Anything"),
        ("reads_solutions", "FileNotFoundError"),
        ("reads_checks", "IndexError"),
        ("symbolic_injection", "could not read your expression"),
    ],
)
def test_hostile_function_costs_exactly_its_exercise(graded, student, words):
    result, assignment = graded
    exercise = OVERRIDES[student][0]
    points = _points(result, student)
    for other in assignment.exercises:
        if other.id != exercise:
            assert points[other.id] == other.points, (student, other.id)
    assert points[exercise] == 0.0
    assert words in _messages(result, student, exercise)


def test_kill_attempts_are_refused_and_grading_goes_on(graded):
    """The kills of the parent, pid 1 and every process are refused; the right labels follow."""
    result, assignment = graded
    assert by_student(result)["kills_parent"].points == assignment.max_points


def test_huge_output_is_capped_and_harmless(graded):
    result, assignment = graded
    assert by_student(result)["huge_output"].points == assignment.max_points


def test_monkeypatched_comparisons_earn_nothing(graded):
    result, _ = graded
    submission = by_student(result)["patches_comparisons"]
    assert submission.points == 0.0


def test_symbolic_injection_ran_nothing(graded):
    assert not Path("/tmp/gradkit-pwned").exists()


def test_no_process_survives_grading(graded):
    leftover = subprocess.run(["pgrep", "-f", "sleep 4242"], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""


def test_notebook_with_failing_cell_and_magics(graded):
    result, assignment = graded
    submission = by_student(result)["notebook"]
    assert submission.points == assignment.max_points
    assert submission.error is None
    # the third code cell (markdown cells are not counted) is the one dividing by zero
    assert any("code cell 3" in note and "ZeroDivisionError" in note for note in submission.notes)


def test_unreadable_submissions_score_zero_with_a_reason(graded):
    result, _ = graded
    students = by_student(result)
    assert students["syntax_error"].points == 0.0
    assert "SyntaxError" in students["syntax_error"].error
    assert "line 2" in students["syntax_error"].error
    assert students["not_utf8"].points == 0.0
    assert "UTF-8" in students["not_utf8"].error
    assert students["bad_json"].points == 0.0
    assert "bad_json.ipynb" in students["bad_json"].error


def test_isolation_level_is_recorded(graded):
    result, _ = graded
    if os.geteuid() == 0 and os.path.exists("/usr/bin/bwrap"):
        assert result.isolation == "full"
        assert set(result.isolation_layers) == {"bubblewrap", "seccomp", "unprivileged-user",
                                                "rlimits"}  # fmt: skip


def test_grading_is_deterministic(graded, tmp_path, grade_folder):
    """Grading the same submissions twice gives the same grades.json apart from the timestamp."""
    folder = tmp_path / "subs"
    folder.mkdir()
    correct = reference_source("derivatives")
    (folder / "alice.py").write_text(correct)
    (folder / "bob.py").write_text(correct + "\n\ndef derivative(x):\n    return x\n")
    first = grade_folder(folder, "derivatives").as_dict()
    second = grade_folder(folder, "derivatives").as_dict()
    first.pop("graded_at")
    second.pop("graded_at")
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["submissions"][1]["points"] < first["submissions"][0]["points"]


def test_no_hidden_check_input_is_readable_in_the_sandbox():
    """Student code can read the sandbox package's source, and the template runs its warm-up
    before forking (SymPy keeps what it computed): neither may hold an expression a hidden
    check gives submissions."""
    literals = {
        node.value
        for path in (REPO / "checks").glob("*/hidden.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and len(node.value) >= 6 and any(mark in node.value for mark in "*/(")
    }  # fmt: skip
    assert "exp(3*x)*cos(x**2)" in literals  # the kind of input looked for
    readable = "\n".join(path.read_text() for path in (REPO / "grader" / "sandbox").rglob("*.py"))
    assert sorted(text for text in literals if text in readable) == []


SESSION = """
import sys
from importlib.metadata import entry_points
from pathlib import Path
from grader.course.config import load_course
from grader.grading.session import run_session
from grader.course.submissions import submission_at

course = load_course(Path({course!r}))
submission = submission_at(Path({submission!r}), "alice")
problems = run_session(course, course.assignment("derivatives"), [submission], lambda *_: None)
plugins = [entry.value for entry in entry_points(group="pytest11")]
print(problems, [plugin for plugin in plugins if plugin.split(":")[0] in sys.modules])
"""


def test_grading_session_loads_no_third_party_pytest_plugin():
    """pytest plugins installed beside gradkit (hypothesis's, anyio's in development) stay out
    of grading sessions: they would slow every session's start and could change how checks run."""
    assert list(entry_points(group="pytest11"))  # there are some to leave out
    script = SESSION.format(
        course=str(REPO / "course.toml"),
        submission=str(REPO / "examples" / "submissions" / "derivatives" / "alice.py"),
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] []"


AHEAD_OR_NOT = """
import json, sys
from pathlib import Path
from grader.course.config import load_course
from grader.grading.collection import load_module
from grader.sandbox.runner import SubmissionRunner
from grader.grading.session import run_session
from grader.course.submissions import discover

course = load_course(Path({course!r}))
assignment = course.assignment({assignment!r})
found = discover(Path({folder!r}), assignment.id)
results, plans = {{}}, {{}}
opened = SubmissionRunner.__init__

def noting_the_plan(runner, *args, plan=None, record=None, **kwargs):
    # The size of the plan each runner is given (None: calls made one at a time).
    plans[mode].append(len(plan) if plan else None)
    opened(runner, *args, plan=plan, record=record, **kwargs)

SubmissionRunner.__init__ = noting_the_plan
# With a reference of its own (as the student release has), a session makes no plan.
plain = {{"reference_factory": lambda a: load_module(a.solution, "plain_reference")}}
for mode, options in (("ahead", {{}}), ("one_at_a_time", plain)):
    graded = results[mode] = {{}}
    plans[mode] = []
    report = lambda result, _: graded.__setitem__(result.student, result.as_dict())
    assert run_session(course, assignment, list(found), report, **options) == []
print(json.dumps({{"results": results, "plans": plans}}))
"""


@pytest.mark.parametrize("assignment_id", ["derivatives", "gradients", "descent", "backprop"])
def test_calls_sent_ahead_grade_exactly_like_calls_made_one_at_a_time(assignment_id):
    """The bundled examples (right, wrong in typical ways, untouched, a notebook) get the same
    points and the same messages whether calls are sent ahead of the checks or not, and a
    session with the solution's source does send them ahead."""
    folder = REPO / "examples" / "submissions" / assignment_id
    script = AHEAD_OR_NOT.format(course=str(REPO / "course.toml"), assignment=assignment_id,
                                 folder=str(folder))  # fmt: skip
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    results, plans = out["results"], out["plans"]
    assert len(results["ahead"]) == len(list(folder.iterdir())) >= 4
    assert results["ahead"] == results["one_at_a_time"]
    # Sent ahead: the reference's run records the plan (given none itself), and every student's
    # runner gets all of it; without the solution's source, no runner gets a plan.
    recorded, *students = plans["ahead"]
    assert recorded is None and len(students) == len(results["ahead"])
    assert len(set(students)) == 1 and isinstance(students[0], int) and students[0] > 20
    assert set(plans["one_at_a_time"]) == {None}


@pytest.mark.parametrize("count", [3, HUGE_PAGES_FROM])
def test_only_long_sessions_ask_their_templates_for_huge_pages(count):
    """Collapsing a template's memory costs some 0.2 s once and saves a few ms per worker: a
    session asks for it only when it has many submissions to grade."""
    course = load_course(REPO / "course.toml")
    submission = submission_at(REPO / "solutions" / "descent.py", "alice")
    plugin = GradingPlugin(
        course, course.assignment("descent"), [submission] * count, lambda *_: None
    )
    plugin.pytest_sessionstart()
    (template,) = plugin._templates.values()
    try:
        assert template.huge_pages is (count >= HUGE_PAGES_FROM)
    finally:
        template.close()
