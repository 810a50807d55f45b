"""The checks of assignment `descent`, judged by a corpus of submissions graded in one run.

`tests/corpus/descent/correct_*.py` are right in different ways and must score full marks. Each
`wrong_*.py` is the reference solution with one mistake; its docstring says which exercises the
mistake breaks (`Breaks: a, b`) and what the failing messages must say (`Named in a: words`).
Every other exercise must keep full marks. The remaining tests pin the inputs the checks rely on:
that every known wrong formula gives another answer there, so that each can be caught and named.
"""

from __future__ import annotations

import ast
import importlib.util
import itertools
import warnings
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from grader.checks.known import descent as known
from grader.course import load_course
from grader.grading import grade
from grader.oracles.compare import Verdict
from grader.results import SubmissionResult
from grader.submissions import discover

with warnings.catch_warnings():
    # the check marker is registered in grading sessions only (grader/checks/pytest.ini)
    warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
    from grader.checks.hidden import descent as hidden

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus" / "descent"
COURSE = load_course(REPO / "course.toml")
EXERCISES = [exercise.id for exercise in COURSE.assignment("descent").exercises]
CORRECT = sorted(path.stem for path in CORPUS.glob("correct_*.py"))
WRONG = sorted(path.stem for path in CORPUS.glob("wrong_*.py"))


def load_solution() -> ModuleType:
    """The reference solution, imported from its file (solutions/ is not a package)."""
    spec = importlib.util.spec_from_file_location("descent_solution", REPO / "solutions/descent.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SOLUTION = load_solution()


@pytest.fixture(scope="module")
def graded() -> dict[str, SubmissionResult]:
    """Every corpus submission graded by the real engine, public and hidden checks, in one run."""
    assignment = COURSE.assignment("descent")
    result = grade(COURSE, assignment, discover(CORPUS, assignment.id), jobs=2)
    return {submission.student: submission for submission in result.submissions}


def declared(student: str) -> tuple[set[str], dict[str, str]]:
    """The exercises a corpus file says it breaks, and the words each one's message must hold."""
    docstring = ast.get_docstring(ast.parse((CORPUS / f"{student}.py").read_text())) or ""
    broken: set[str] = set()
    named: dict[str, str] = {}
    for line in docstring.splitlines():
        if line.startswith("Breaks:"):
            broken = {name.strip() for name in line.removeprefix("Breaks:").split(",")}
        elif line.startswith("Named in "):
            exercises, words = line.removeprefix("Named in ").split(":", 1)
            named.update({name.strip(): words.strip() for name in exercises.split(",")})
    assert broken and set(named) <= broken <= set(EXERCISES), f"{student}: bad docstring"
    return broken, named


def failing_messages(result: SubmissionResult, exercise: str) -> list[str]:
    return [check.message for check in result.exercises[exercise].checks if not check.passed]


def test_corpus_covers_the_misconceptions() -> None:
    """The issue's and CURRICULUM.md's misconceptions for this assignment, each in a file."""
    assert len(CORRECT) >= 3
    expected = {
        "wrong_step_ascent", "wrong_trajectory_ascent", "wrong_momentum_ascent",
        "wrong_trajectory_aliased", "wrong_regime_strict_one", "wrong_regime_strict_two",
        "wrong_stable_smallest", "wrong_stable_trace", "wrong_stable_diagonal",
        "wrong_stable_no_factor_two", "wrong_mse_no_factor_two", "wrong_mse_no_mean",
        "wrong_mse_not_transposed", "wrong_mse_column", "wrong_batches_legacy_seed",
        "wrong_batches_unshuffled", "wrong_batches_sorted", "wrong_batches_drop_last",
        "wrong_batches_lists", "wrong_momentum_convention", "wrong_momentum_lr_inside",
        "wrong_momentum_beta_on_grad", "wrong_momentum_swapped", "wrong_step_in_place",
        "wrong_trajectory_x0_in_place", "wrong_epoch_in_place", "wrong_momentum_velocity_in_place",
    }  # fmt: skip
    assert expected <= set(WRONG)


@pytest.mark.parametrize("student", CORRECT)
def test_correct_submissions_score_full_marks(graded, student: str) -> None:
    result = graded[student]
    assert result.error is None
    failures = {e: failing_messages(result, e) for e in EXERCISES if failing_messages(result, e)}
    assert failures == {}
    assert result.points == result.max_points


@pytest.mark.parametrize("student", WRONG)
def test_each_mistake_costs_exactly_the_exercises_it_breaks(graded, student: str) -> None:
    result = graded[student]
    broken, _ = declared(student)
    assert result.error is None
    lost = {e for e, exercise in result.exercises.items() if exercise.points < exercise.max_points}
    assert lost == broken


@pytest.mark.parametrize("student", WRONG)
def test_the_failing_message_names_the_mistake(graded, student: str) -> None:
    _, named = declared(student)
    for exercise, words in named.items():
        messages = failing_messages(graded[student], exercise)
        assert any(words.lower() in message.lower() for message in messages), (exercise, messages)


@pytest.mark.parametrize("student", CORRECT + WRONG)
def test_public_failures_also_fail_a_hidden_check(graded, student: str) -> None:
    """Whatever a public check catches, a hidden check of the same exercise catches too."""
    for exercise in graded[student].exercises.values():
        public = [c for c in exercise.checks if not c.hidden and not c.passed]
        hidden_failed = [c for c in exercise.checks if c.hidden and not c.passed]
        assert not public or hidden_failed, (exercise.exercise, public)


@pytest.mark.parametrize("student", WRONG)
def test_messages_are_plain_sentences(graded, student: str) -> None:
    """No traceback, no fault of a check, and each message short enough to read."""
    for exercise in EXERCISES:
        for message in failing_messages(graded[student], exercise):
            assert "Traceback" not in message
            assert "could not judge" not in message
            assert len(message) < 700
            assert message.rstrip().endswith(".")


def test_partial_credit_is_shared_by_weight(graded) -> None:
    """Every exercise has a public check and several hidden ones; their shares add up."""
    result = graded[CORRECT[0]]
    for exercise in result.exercises.values():
        assert sum(c.max_points for c in exercise.checks) == pytest.approx(exercise.max_points)
        assert sum(not c.hidden for c in exercise.checks) == 1
        assert sum(c.hidden for c in exercise.checks) >= 2


def test_in_place_mistakes_keep_the_other_checks_of_their_exercise(graded) -> None:
    """Changing an argument costs the in-place check alone: the values are right."""
    for student, exercise in (
        ("wrong_step_in_place", "descent_step"),
        ("wrong_trajectory_x0_in_place", "gradient_descent"),
        ("wrong_epoch_in_place", "sgd_epoch"),
        ("wrong_momentum_velocity_in_place", "momentum_step"),
    ):
        failed = [c.name for c in graded[student].exercises[exercise].checks if not c.passed]
        assert len(failed) == 1 and "alone" in failed[0], (student, failed)


def test_public_module_imports_only_what_the_release_holds() -> None:
    """Students get grader/checks/public without known/ and hidden/ (grader.release)."""
    tree = ast.parse((REPO / "grader" / "checks" / "public" / "descent.py").read_text())
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [m for m in modules if m and (".known" in m or ".hidden" in m)]


# --- judges -----------------------------------------------------------------------------------


def test_hint_for_a_wrong_trajectory_compares_non_square_arrays_flat() -> None:
    """A (7, 3) answer of the right shape is related to the (7, 3) reference without a transpose
    test that cannot broadcast."""
    expected = np.arange(21.0).reshape(7, 3) + 1
    verdict = known.hinted(Verdict(False, "wrong."), -expected, expected, {})
    assert verdict.message == "wrong. This looks like the expected value with the opposite sign."
    unrelated = known.hinted(Verdict(False, "wrong."), np.ones((7, 3)), expected, {})
    assert unrelated.message == "wrong."


# --- the inputs separate the known wrong formulas --------------------------------------------


def distinct(values: dict[str, object], right: object) -> bool:
    """No two values (the right one included) within 1e-6 of each other, relatively."""
    arrays = [
        np.asarray(right, dtype=float),
        *(np.asarray(v, dtype=float) for v in values.values()),
    ]
    for a, b in itertools.combinations(arrays, 2):
        if a.shape == b.shape and np.allclose(a, b, rtol=1e-6, atol=1e-12):
            return False
    return True


@pytest.mark.parametrize("seed", range(5))
def test_trajectory_and_step_mistakes_differ(seed: int) -> None:
    rng = np.random.default_rng(seed)
    args = (hidden.BOWL_GRADIENT, rng.uniform(-2, 2, size=3), float(rng.uniform(0.1, 0.25)), 6)
    values = {name: wrong(*args) for name, wrong in known.TRAJECTORY_MISTAKES.items()}
    assert distinct(values, SOLUTION.gradient_descent(*args))
    x, grad, lr = rng.normal(size=5), rng.normal(size=5), float(rng.uniform(0.05, 0.5))
    steps = {name: wrong(x, grad, lr) for name, wrong in known.STEP_MISTAKES.items()}
    assert distinct(steps, x - lr * grad)


def test_regime_boundaries_are_exact() -> None:
    assert [lr * c for lr, c in hidden.EXACT_BOUNDARIES] == [1.0, 2.0]
    assert [lr * c for lr, c in hidden.JUST_INSIDE] == [1 + 2.0**-19, 2 - 2.0**-18]
    regime = SOLUTION.learning_rate_regime
    assert [regime(*case) for case in hidden.EXACT_BOUNDARIES] == ["monotone", "diverging"]


@pytest.mark.parametrize("seed", range(5))
def test_each_regime_mistake_is_named_by_some_check(seed: int) -> None:
    """Each wrong rule errs in some check's cases with answers no other rule gives there, which is
    when `same_labels` names it."""
    groups = [
        hidden.EXACT_BOUNDARIES,
        hidden.JUST_INSIDE,
        hidden.random_regimes(np.random.default_rng(seed)),
        hidden.INTEGER_RATES,
    ]
    rules = {"right": SOLUTION.learning_rate_regime, **known.REGIME_MISTAKES}
    for name in known.REGIME_MISTAKES:
        named_somewhere = False
        for cases in groups:
            answers = {other: tuple(r(*c) for c in cases) for other, r in rules.items()}
            alike = [other for other, given in answers.items() if given == answers[name]]
            named_somewhere |= alike == [name]
        assert named_somewhere, name


@pytest.mark.parametrize("seed", range(5))
def test_stable_rate_mistakes_differ_on_a_rotated_matrix(seed: int) -> None:
    rng = np.random.default_rng(seed)
    eigenvalues = hidden.flat_eigenvalues(rng)
    H = hidden.rotated(rng, eigenvalues)
    assert np.allclose(np.linalg.eigvalsh(H), eigenvalues)
    values = {
        name: wrong(H)
        for name, wrong in known.STABLE_MISTAKES.items()
        if "largest entry" not in name  # an SPD matrix's largest entry is on its diagonal
        and "eigvals" not in name  # may be the largest eigenvalue, and then right
    }
    assert distinct(values, 2 / eigenvalues[2])


@pytest.mark.parametrize("seed", range(5))
def test_mse_mistakes_differ(seed: int) -> None:
    rng = np.random.default_rng(seed)
    w, X, y = hidden.regression(rng, 7, 3)
    values = {
        name: wrong(w, X, y)
        for name, wrong in known.MSE_MISTAKES.items()
        if name != known.X_NOT_TRANSPOSED  # X @ r has no value for m != d
    }
    assert distinct(values, SOLUTION.mse_gradient(w, X, y))
    square = hidden.regression(rng, 4, 4)
    transposed = known.MSE_MISTAKES[known.X_NOT_TRANSPOSED](*square)
    assert distinct({"X": transposed}, SOLUTION.mse_gradient(*square))


def test_minibatch_mistakes_differ() -> None:
    right = SOLUTION.minibatches(23, 5, 7)
    every = [right, *(wrong(23, 5, 7) for wrong in known.MINIBATCH_MISTAKES.values())]
    flat = {(tuple(map(len, b)), tuple(np.concatenate(b).tolist())) for b in every}
    assert len(flat) == len(every)


@pytest.mark.parametrize("seed", range(5))
def test_sgd_mistakes_differ_with_a_short_last_batch(seed: int) -> None:
    rng = np.random.default_rng(seed)
    args = (*hidden.regression(rng, 7, 3), 0.05, 3, 11)
    values = {name: wrong(*args) for name, wrong in known.SGD_MISTAKES.items()}
    assert distinct(values, SOLUTION.sgd_epoch(*args))


@pytest.mark.parametrize("seed", range(5))
def test_momentum_mistakes_differ(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, velocity, grad = rng.normal(size=(3, 3))
    lr, beta = float(rng.uniform(0.2, 0.5)), float(rng.uniform(0.3, 0.7))
    pairs = {
        name: np.concatenate(wrong(x, velocity, grad, lr, beta=beta))
        for name, wrong in known.MOMENTUM_MISTAKES.items()
    }
    right = np.concatenate(SOLUTION.momentum_step(x, velocity, grad, lr, beta))
    assert distinct(pairs, right)
