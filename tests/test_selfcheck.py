"""`grader check` and `check(...)`: public checks on a working copy, with a real or replayed
reference.

Also: the public and hidden checks agree on what they share, so a student who passes `grader check`
is not told the opposite by grading on the same point.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, by_student, copy_course, reference_source

from grader.authoring.functions import scalar_function
from grader.course.config import load_course
from grader.grading.collection import load_module
from grader.student.notebooks import build_notebook, notebook_text
from grader.student.replay import (
    RecordingReference,
    ReplayingReference,
    ReplayMissing,
    call_key,
    dump_records,
    public_seed,
    record,
)
from grader.student.selfcheck import check, check_paths

COURSE = load_course(REPO / "course.toml")
EXAMPLES = REPO / "examples" / "submissions"


def grader(*arguments: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *arguments], cwd=cwd, capture_output=True, text=True
    )


def status_lines(text: str) -> dict[str, str]:
    """exercise -> the status line `grader check` printed for it."""
    lines = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in "✓✗…·":
            lines[parts[1]] = " ".join(parts[2:])
    return lines


# --- grader check on files ----------------------------------------------------------------


def test_stubs_are_not_implemented_yet():
    run = grader("check")  # default: every assignment file under exercises/
    assert run.returncode == 1, run.stderr
    statuses = status_lines(run.stdout)
    assert statuses["derivative"].startswith("not implemented yet")
    assert statuses["momentum_step"].startswith("not implemented yet")
    assert len(statuses) == sum(len(a.exercises) for a in COURSE.assignments)


def test_completed_copy_passes(tmp_path):
    for assignment in COURSE.assignments:
        (tmp_path / f"{assignment.id}.py").write_text(reference_source(assignment.id))
    run = grader("check", str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    statuses = status_lines(run.stdout)
    assert statuses["derivative"] == "passed (1 public check)"
    assert all(s.startswith(("passed", "no public checks")) for s in statuses.values())


def test_wrong_copy_fails_and_says_why(tmp_path):
    copy = tmp_path / "derivatives.py"
    shutil.copyfile(EXAMPLES / "derivatives" / "bob.py", copy)
    run = grader("check", str(copy))
    assert run.returncode == 1
    statuses = status_lines(run.stdout)
    assert statuses["derivative"].startswith("failed")
    assert statuses["tangent_estimate"].startswith("passed")
    assert "derivative(-0.5) returned -0.5" in run.stdout


def test_exercise_option_checks_one_exercise_of_any_file_name(tmp_path):
    copy = tmp_path / "my_work.py"
    shutil.copyfile(EXAMPLES / "derivatives" / "bob.py", copy)
    run = grader("check", str(copy), "--exercise", "tangent_estimate")
    assert run.returncode == 0, run.stdout + run.stderr
    assert list(status_lines(run.stdout)) == ["tangent_estimate"]


def test_assignment_of_a_notebook_is_found_from_its_functions():
    summary = check_paths([EXAMPLES / "gradients" / "dana.ipynb"])
    assert summary.files[0].assignment == "gradients"
    assert summary.notebook and "save it" in str(summary)


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (("check", "nowhere.py"), "nowhere.py"),
        (("check", "exercises", "--exercise", "integral"), "integral"),
        (("check", "README.md"), "README.md"),
        (("check", "course.toml", "--course", "nowhere.toml"), "nowhere.toml"),
    ],
)
def test_usage_mistakes_are_one_sentence(arguments, named):
    run = grader(*arguments)
    assert run.returncode == 2
    assert named in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == ""


def test_file_that_is_no_assignment_is_a_usage_error(tmp_path):
    (tmp_path / "notes.py").write_text("def helper():\n    return 1\n")
    run = grader("check", str(tmp_path / "notes.py"))
    assert run.returncode == 2 and "--exercise" in run.stderr and "Traceback" not in run.stderr


# --- check(...) in a notebook -------------------------------------------------------------


DERIVATIVE = """\
def derivative(x):
    doubled = 2.0 * np.asarray(x, dtype=float)
    return float(doubled) if doubled.ndim == 0 else doubled
"""


def completed_notebook(folder: Path) -> Path:
    """The generated derivatives notebook with `derivative` written as a student would."""
    notebook = build_notebook(COURSE.assignment("derivatives"))
    for cell in notebook.cells:
        if cell.id == "derivative":
            cell.source = DERIVATIVE
    path = folder / "derivatives.ipynb"
    path.write_text(notebook_text(notebook))
    return path


def test_notebook_check_reads_the_saved_notebook(tmp_path, monkeypatch):
    course = copy_course(tmp_path / "course")
    folder = course.parent / "notebooks"
    folder.mkdir()
    completed_notebook(folder)
    monkeypatch.chdir(folder)  # Jupyter starts the kernel in the notebook's folder

    done = check("derivative", "derivatives.ipynb")
    assert done.ok and done.problem is None
    assert [e.status for e in done.files[0].exercises] == ["passed"]
    # The generated self-check cells are not run in the sandbox: they leave no notes.
    assert done.files[0].notes == ()
    assert "✓ passed" in done._repr_html_() and "<code>derivative</code>" in done._repr_html_()

    todo = check("tangent_estimate", "derivatives.ipynb")
    assert not todo.ok
    assert "tangent_estimate  not implemented yet" in str(todo)

    # Without a name, Jupyter's own record of the notebook's path (from its root folder) is used.
    monkeypatch.setenv("JPY_SESSION_NAME", "course/notebooks/derivatives.ipynb")
    assert check("derivative").ok


def test_notebook_check_of_a_missing_file_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    summary = check("derivative", "renamed.ipynb")
    assert not summary.ok
    assert str(summary).startswith("cannot check: renamed.ipynb was not found")
    assert 'check("derivative", "<notebook>.ipynb")' in html.unescape(summary._repr_html_())


# --- replay ---------------------------------------------------------------------------------


def test_recorded_answers_replay_with_the_same_types():
    recorder = RecordingReference(load_module(REPO / "solutions" / "descent.py", "ref_descent"))
    pair = recorder.momentum_step(np.array([1.0, 2.0]), np.zeros(2), np.array([2.0, 4.0]), 0.1)
    rate = recorder.max_stable_learning_rate(np.diag([1.0, 4.0]))
    replay = ReplayingReference("descent", json.loads(json.dumps(recorder.calls)))
    again = replay.momentum_step(np.array([1.0, 2.0]), np.zeros(2), np.array([2.0, 4.0]), 0.1)
    assert isinstance(again, tuple) and all(isinstance(part, np.ndarray) for part in again)
    np.testing.assert_array_equal(again[0], pair[0])
    assert replay.max_stable_learning_rate(np.diag([1.0, 4.0])) == rate
    with pytest.raises(ReplayMissing, match=r"max_stable_learning_rate\(array"):
        replay.max_stable_learning_rate(np.diag([1.0, 5.0]))


def test_call_keys_are_canonical():
    f = scalar_function("x**3")
    assert call_key("g", (f, 1.0), {"h": 0.1, "a": 2}) == call_key(
        "g", (f, 1.0), {"a": 2, "h": 0.1}
    )
    assert call_key("g", (1,), {}) != call_key("g", (1.0,), {})
    assert call_key("g", (scalar_function("x**2"),), {}) != call_key("g", (f,), {})


def test_public_seed_does_not_depend_on_the_course_seed():
    assert public_seed(COURSE) != COURSE.seed
    assert public_seed(replace(COURSE, seed=1)) == public_seed(COURSE)


def test_replayed_reference_judges_like_the_real_one(tmp_path):
    """A course whose solutions are the bare stubs still checks right, from the records alone."""
    course_file = copy_course(tmp_path / "course")
    assignment = COURSE.assignment("derivatives")
    records = dump_records(assignment, public_seed(COURSE), record(COURSE, assignment))
    (course_file.parent / "replay").mkdir()
    (course_file.parent / "replay" / "derivatives.json").write_text(records)
    shutil.copyfile(
        REPO / "exercises" / "derivatives.py", tmp_path / "course" / "solutions" / "derivatives.py"
    )
    bob = EXAMPLES / "derivatives" / "bob.py"
    real = check_paths([bob], course_file=REPO / "course.toml")
    replayed = check_paths([bob], course_file=course_file)
    assert replayed.files == real.files
    assert {"passed", "failed"} <= {e.status for e in replayed.files[0].exercises}


# --- public and hidden checks agree ---------------------------------------------------------

# Wrong versions of single exercises, each written after the reference solution so that it
# replaces the right one: every exercise named here must fail its public check and its hidden ones.
MUTANTS = {
    "derivatives": {
        "derivative": "def derivative(x):\n    return np.asarray(x, dtype=float) * 1.0\n",
        "tangent_estimate": "def tangent_estimate(f, df, x, delta_x):\n"
        "    return float(f(x) - df(x) * delta_x)\n",
        "central_difference": "def central_difference(f, x, h=1e-5):\n"
        "    return float((f(x + h) - f(x - h)) / h)\n",
        "forward_difference": "def forward_difference(f, x, h=1e-6):\n"
        "    return float((f(x + h) - f(x - h)) / (2 * h))\n",
        "second_derivative": "def second_derivative(f, x, h=1e-4):\n"
        "    return float((f(x + h) - 2 * f(x) + f(x - h)) / h)\n",
        "interpret_sign": "def interpret_sign(d, tol=1e-8):\n"
        "    return 'increasing' if d < -tol else 'decreasing' if d > tol else 'stationary'\n",
    },
    "gradients": {
        "steepest_ascent_direction": "def steepest_ascent_direction(grad):\n"
        "    return np.asarray(grad, dtype=float)\n",
        "directional_derivative": "def directional_derivative(grad, v):\n"
        "    return float(np.asarray(grad, dtype=float) @ np.asarray(v, dtype=float))\n",
        "classify_stationary_point": "def classify_stationary_point(H, tol=1e-8):\n"
        "    return 'minimum'\n",
        "quadratic_gradient": "def quadratic_gradient(A, b, x):\n"
        "    return np.asarray(A, float) @ np.asarray(x, float) - np.asarray(b, float)\n",
    },
    "descent": {
        "descent_step": "def descent_step(x, grad, lr):\n"
        "    return np.asarray(x, dtype=float) + lr * np.asarray(grad, dtype=float)\n",
        "mse_gradient": "def mse_gradient(w, X, y):\n"
        "    X = np.asarray(X, float)\n"
        "    return X.T @ (X @ np.asarray(w, float) - np.asarray(y, float)) / len(X)\n",
        "max_stable_learning_rate": "def max_stable_learning_rate(H):\n"
        "    return float(1 / np.linalg.eigvalsh(np.asarray(H, dtype=float)).max())\n",
        "learning_rate_regime": "def learning_rate_regime(lr, curvature):\n    return 'monotone'\n",
    },
    "backprop": {
        "chain_rule_derivative": "def chain_rule_derivative(df, g, dg, x):\n"
        "    return float(df(x) * dg(x))\n",
        "sigmoid_derivative": "def sigmoid_derivative(z):\n    s = sigmoid(z)\n    return s * s\n",
        "relu_derivative": "def relu_derivative(z):\n"
        "    return (np.asarray(z, dtype=float) >= 0).astype(float)\n",
        "mlp_gradients": "def mlp_gradients(W1, b1, W2, b2, X, y):\n"
        "    dW1, db1, dW2, db2 = _right_mlp_gradients(W1, b1, W2, b2, X, y)\n"
        "    return dW1 * len(y), db1 * len(y), dW2 * len(y), db2 * len(y)\n",
        "clip_by_norm": "def clip_by_norm(grad, max_norm):\n"
        "    return np.clip(np.asarray(grad, dtype=float), -max_norm, max_norm)\n",
        "adagrad_step": "def adagrad_step(x, accum, grad, lr=0.01, eps=1e-8):\n"
        "    grad = np.asarray(grad, dtype=float)\n"
        "    return np.asarray(x, float) - lr * grad / (np.abs(grad) + eps), grad**2\n",
        "rmsprop_step": "def rmsprop_step(x, sq_avg, grad, lr=0.001, rho=0.9, eps=1e-8):\n"
        "    grad = np.asarray(grad, dtype=float)\n"
        "    sq = (1 - rho) * np.asarray(sq_avg, float) + rho * grad**2\n"
        "    return np.asarray(x, float) - lr * grad / (np.sqrt(sq) + eps), sq\n",
        "adam_step": "def adam_step(x, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
        "    grad = np.asarray(grad, dtype=float)\n"
        "    m = beta1 * np.asarray(m, float) + (1 - beta1) * grad\n"
        "    v = beta2 * np.asarray(v, float) + (1 - beta2) * grad**2\n"
        "    return np.asarray(x, float) - lr * m / (np.sqrt(v) + eps), m, v\n",
        "newton_step": "def newton_step(x, grad, H):\n"
        "    return np.asarray(x, float) - np.asarray(H, float) @ np.asarray(grad, float)\n",
    },
}
# A mutant that wraps the reference keeps its right answer under this name.
WRAPPED = {"mlp_gradients": "_right_mlp_gradients = mlp_gradients\n"}


def failing(result, exercise: str, *, hidden: bool) -> list[str]:
    checks = result.exercises[exercise].checks
    return [check.name for check in checks if check.hidden == hidden and not check.passed]


@pytest.mark.parametrize("assignment", COURSE.assignments, ids=lambda a: a.id)
def test_public_and_hidden_checks_agree(assignment, tmp_path, grade_folder):
    folder = tmp_path / "submissions"
    folder.mkdir()
    solution = reference_source(assignment.id)
    (folder / "reference.py").write_text(solution)
    shutil.copyfile(EXAMPLES / assignment.id / "bob.py", folder / "bob.py")
    for exercise, wrong in MUTANTS[assignment.id].items():
        (folder / f"wrong_{exercise}.py").write_text(
            f"{solution}\n\n{WRAPPED.get(exercise, '')}{wrong}"
        )
    results = by_student(grade_folder(folder, assignment.id))

    reference = results["reference"]
    assert all(c.passed for e in reference.exercises.values() for c in e.checks), reference
    for exercise in MUTANTS[assignment.id]:
        mutant = results[f"wrong_{exercise}"]
        assert failing(mutant, exercise, hidden=False), f"{exercise}: no public check failed"
    disagreements = {
        (student, exercise)
        for student, result in results.items()
        for exercise in result.exercises
        if failing(result, exercise, hidden=False) and not failing(result, exercise, hidden=True)
    }
    assert not disagreements, f"fail a public check, pass every hidden one: {disagreements}"
