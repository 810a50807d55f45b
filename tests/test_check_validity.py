"""No points for doing nothing: submissions that compute nothing score 0 on every exercise.

A check that passes an answer which is wrong everywhere else (0 where the expected value happens
to be 0, a label that fits every case of a check, a function that leaves its arguments alone
because it never reads them) gives points for nothing. Each submission here answers every
exercise the same empty way, in the styles a student who has not done the work writes: 0, None,
its first argument, raising, the untouched stub, zeros of the right shape, one constant label.
Every exercise of every assignment must give it 0 points.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, by_student

from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.run import grade

COURSE = load_course(REPO / "course.toml")
ASSIGNMENTS = [assignment.id for assignment in COURSE.assignments]

# Each body answers every exercise of an assignment (its arguments are *args, **kwargs).
EVERYWHERE = {
    "returns_zero": "return 0",
    "returns_none": "return None",
    "returns_first_argument": "return args[0]",
    "raises": "raise ValueError('not done')",
    "returns_zero_float": "return 0.0",
}

# Answers of the right type and shape that compute nothing: per assignment, per exercise.
LAZY = {
    "derivatives": {
        "derivative": "return 0.0 if np.ndim(args[0]) == 0 else np.zeros(np.shape(args[0]))",
        "tangent_estimate": "return float(args[0](float(args[2])))",
        "forward_difference": "return 0.0",
        "central_difference": "return 0.0",
        "second_derivative": "return 0.0",
        "interpret_sign": "return 'stationary'",
        "symbolic_derivative": "return '0'",
    },
    "gradients": {
        "partial_derivative": "return 0.0",
        "gradient": "return np.zeros(np.size(args[1]))",
        "quadratic_gradient": "return np.zeros(np.size(args[2]))",
        "hessian": "return np.zeros((np.size(args[1]), np.size(args[1])))",
        "directional_derivative": "return 0.0",
        "steepest_ascent_direction": "return np.zeros(np.size(args[0]))",
        "classify_stationary_point": "return 'degenerate'",
        "gradient_check": "return 0.0",
    },
    "descent": {
        "descent_step": "return np.array(args[0], dtype=float)",
        "gradient_descent": (
            "return np.array([np.array(args[1], dtype=float)] * (int(args[3]) + 1))"
        ),
        "learning_rate_regime": "return 'oscillating'",
        "max_stable_learning_rate": "return 1.0",
        "mse_gradient": "return np.zeros(np.shape(args[1])[1])",
        "minibatches": "return [np.arange(args[0])]",
        "sgd_epoch": "return np.array(args[0], dtype=float)",
        "momentum_step": ("return np.array(args[0], dtype=float), np.array(args[1], dtype=float)"),
    },
    "backprop": {
        "chain_rule_derivative": "return float(args[0](float(args[3])))",
        "sigmoid_derivative": (
            "return 0.0 if np.ndim(args[0]) == 0 else np.zeros(np.shape(args[0]))"
        ),
        "relu_derivative": "return np.zeros(np.shape(args[0]))",
        "mlp_gradients": (
            "return (np.zeros(np.shape(args[0])), np.zeros(np.shape(args[1])), "
            "np.zeros(np.shape(args[2])), 0.0)"
        ),
        "clip_by_norm": "return np.array(args[0], dtype=float)",
        "adagrad_step": "return np.array(args[0], dtype=float), np.array(args[1], dtype=float)",
        "rmsprop_step": "return np.array(args[0], dtype=float), np.array(args[1], dtype=float)",
        "adam_step": (
            "return (np.array(args[0], dtype=float), np.array(args[1], dtype=float), "
            "np.array(args[2], dtype=float))"
        ),
        "newton_step": "return np.array(args[0], dtype=float)",
    },
}
# One constant label per vocabulary: a check whose cases all have one label gives it points.
LABELS = {
    "derivatives": {"interpret_sign": ("increasing", "decreasing", "stationary")},
    "gradients": {"classify_stationary_point": ("minimum", "maximum", "saddle", "degenerate")},
    "descent": {"learning_rate_regime": ("monotone", "oscillating", "diverging")},
    "backprop": {},
}


def exercises_of(assignment: str) -> list[str]:
    return [exercise.id for exercise in COURSE.assignment(assignment).exercises]


def source(bodies: dict[str, str]) -> str:
    """A module defining each function with the given one-line body."""
    lines = ["import numpy as np", ""]
    for name, body in bodies.items():
        lines += [f"def {name}(*args, **kwargs):", f"    {body}", ""]
    return "\n".join(lines)


def empty_submissions(assignment: str) -> dict[str, str]:
    """Student id -> source of every submission that computes nothing."""
    names = exercises_of(assignment)
    found = {student: source(dict.fromkeys(names, body)) for student, body in EVERYWHERE.items()}
    found["lazy_shapes"] = source(LAZY[assignment])
    for exercise, vocabulary in LABELS[assignment].items():
        for label in vocabulary:
            bodies = {**LAZY[assignment], exercise: f"return {label!r}"}
            found[f"constant_{label}"] = source(bodies)
    return found


@pytest.fixture(scope="module")
def empty_grades(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Each assignment's empty submissions (and its stub) graded once, by the real engine."""
    graded = {}
    for assignment in ASSIGNMENTS:
        folder = tmp_path_factory.mktemp(assignment)
        for student, text in empty_submissions(assignment).items():
            (folder / f"{student}.py").write_text(text)
        chosen = COURSE.assignment(assignment)
        shutil.copy(REPO / chosen.module, folder / "untouched_stub.py")
        graded[assignment] = by_student(
            grade(COURSE, chosen, discover(Path(folder), assignment), jobs=2)
        )
    return graded


def cases() -> list[tuple[str, str]]:
    return [
        (assignment, student)
        for assignment in ASSIGNMENTS
        for student in [*empty_submissions(assignment), "untouched_stub"]
    ]


@pytest.mark.parametrize(("assignment", "student"), cases())
def test_doing_nothing_scores_zero_on_every_exercise(empty_grades, assignment, student) -> None:
    result = empty_grades[assignment][student]
    earned = {
        exercise: [check.name for check in graded.checks if check.passed]
        for exercise, graded in result.exercises.items()
        if graded.points > 0
    }
    assert earned == {}
    assert result.points == 0
