"""The checks of assignment `descent`: their inputs, their judges, and how they grade.

The corpus (`tests/corpus/descent/`) is judged in `tests/test_corpus.py`. Here: on the checks'
inputs, every known wrong formula gives another answer, so that each can be caught and named; a
formula is named only where it is apart from the right answer and the others; and, graded by the
real engine, submissions of our own: right ones in other styles keep full marks, and each class
of mistake (an edge input, an ignored argument, an unseeded shuffle, float32, a mistake that
coincides with another on some inputs) loses its exercise with a message that names no mistake
it did not make.
"""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from conftest import by_student, check_file, reference_source

from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.results import SubmissionResult
from grader.grading.run import grade
from grader.oracles.compare import Verdict

known = check_file("descent", "known")
judges = check_file("descent", "judges")
inputs = check_file("descent", "inputs")


REPO = Path(__file__).resolve().parent.parent


def load_solution() -> ModuleType:
    """The reference solution, imported from its file (solutions/ is not a package)."""
    spec = importlib.util.spec_from_file_location("descent_solution", REPO / "solutions/descent.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SOLUTION = load_solution()


def test_in_place_mistakes_keep_the_other_checks_of_their_exercise(corpus_grades) -> None:
    """Changing an argument costs the in-place check alone: the values are right."""
    for student, exercise in (
        ("wrong_step_in_place", "descent_step"),
        ("wrong_trajectory_x0_in_place", "gradient_descent"),
        ("wrong_epoch_in_place", "sgd_epoch"),
        ("wrong_momentum_velocity_in_place", "momentum_step"),
    ):
        checks = corpus_grades("descent")[student].exercises[exercise].checks
        failed = [c.name for c in checks if not c.passed]
        assert len(failed) == 1 and "alone" in failed[0], (student, failed)


# --- judges -----------------------------------------------------------------------------------


def test_hint_for_a_wrong_trajectory_compares_non_square_arrays_flat() -> None:
    """A (7, 3) answer of the right shape is related to the (7, 3) reference without a transpose
    test that cannot broadcast."""
    expected = np.arange(21.0).reshape(7, 3) + 1
    verdict = judges.explained(Verdict(False, "wrong."), -expected, expected, {})
    assert verdict.message == "wrong. This looks like the expected value with the opposite sign."
    unrelated = judges.explained(Verdict(False, "wrong."), np.ones((7, 3)), expected, {})
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
    args = (inputs.BOWL_GRADIENT, rng.uniform(-2, 2, size=3), float(rng.uniform(0.1, 0.25)), 6)
    values = {name: wrong(*args) for name, wrong in known.TRAJECTORY_MISTAKES.items()}
    assert distinct(values, SOLUTION.gradient_descent(*args))
    x, grad, lr = rng.normal(size=5), rng.normal(size=5), float(rng.uniform(0.05, 0.5))
    steps = {name: wrong(x, grad, lr) for name, wrong in known.STEP_MISTAKES.items()}
    assert distinct(steps, x - lr * grad)


def test_regime_boundaries_are_exact() -> None:
    assert [lr * c for lr, c in inputs.EXACT_BOUNDARIES] == [1.0, 2.0]
    near = [1 + 2.0**-39, 2 - 2.0**-38, 1 - 2.0**-39, 2 + 2.0**-38]
    assert [lr * c for lr, c in inputs.NEAR_BOUNDARIES] == near
    regime = SOLUTION.learning_rate_regime
    assert [regime(*case) for case in inputs.EXACT_BOUNDARIES] == ["monotone", "diverging"]


@pytest.mark.parametrize("seed", range(5))
def test_each_regime_mistake_is_named_by_some_check(seed: int) -> None:
    """Each wrong rule errs in some check's cases with answers no other rule gives there, which is
    when `same_labels` names it."""
    groups = [
        inputs.EXACT_BOUNDARIES,
        inputs.NEAR_BOUNDARIES,
        inputs.random_regimes(np.random.default_rng(seed)),
        inputs.INTEGER_RATES,
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
    eigenvalues = inputs.flat_eigenvalues(rng)
    H = inputs.rotated(rng, eigenvalues)
    assert np.allclose(np.linalg.eigvalsh(H), eigenvalues)
    values = {
        name: wrong(H)
        for name, wrong in known.STABLE_MISTAKES.items()
        if "eigvals" not in name  # may be any eigenvalue here: named on the diagonal
    }
    assert distinct(values, 2 / eigenvalues[2])


@pytest.mark.parametrize("seed", range(5))
def test_stable_rate_mistakes_differ_on_an_unsorted_diagonal(seed: int) -> None:
    """There np.linalg.eigvals gives the middle eigenvalue first, and every formula but the
    diagonal entry (right on a diagonal H) gives its own rate."""
    H = inputs.unsorted_diagonal(np.random.default_rng(seed))
    middle, largest, smallest = np.diag(H)
    assert np.linalg.eigvals(H)[0] == middle and smallest < middle < largest
    values = {
        name: wrong(H)
        for name, wrong in known.STABLE_MISTAKES.items()
        if "diagonal entry" not in name
    }
    assert distinct(values, 2 / largest)
    assert set(judges.nameable(values, 2 / largest)) == set(values)


def test_the_largest_entry_of_a_positive_definite_matrix_is_named_as_its_diagonal() -> None:
    """np.max(H) and np.max(np.diag(H)) agree on every SPD H: one formula names both."""
    rng = np.random.default_rng(1)
    for _ in range(20):
        H = inputs.rotated(rng, tuple(rng.uniform(0.1, 2.0, size=4)))
        assert np.max(H) == np.max(np.diag(H))
    assert not any("largest entry of H instead" in name for name in known.STABLE_MISTAKES)


@pytest.mark.parametrize("seed", range(5))
def test_mse_mistakes_differ(seed: int) -> None:
    rng = np.random.default_rng(seed)
    w, X, y = inputs.regression(rng, 7, 3)
    values = {
        name: wrong(w, X, y)
        for name, wrong in known.MSE_MISTAKES.items()
        if name != judges.X_NOT_TRANSPOSED  # X @ r has no value for m != d
    }
    assert distinct(values, SOLUTION.mse_gradient(w, X, y))
    square = inputs.regression(rng, 4, 4)
    transposed = known.MSE_MISTAKES[judges.X_NOT_TRANSPOSED](*square)
    assert distinct({"X": transposed}, SOLUTION.mse_gradient(*square))


def test_minibatch_mistakes_differ() -> None:
    right = SOLUTION.minibatches(23, 5, 7)
    every = [right, *(wrong(23, 5, 7) for wrong in known.MINIBATCH_MISTAKES.values())]
    flat = {(tuple(map(len, b)), tuple(np.concatenate(b).tolist())) for b in every}
    assert len(flat) == len(every)


@pytest.mark.parametrize("seed", range(5))
def test_sgd_mistakes_differ_with_a_short_last_batch(seed: int) -> None:
    rng = np.random.default_rng(seed)
    args = (*inputs.regression(rng, 7, 3), 0.05, 3, 11)
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


# --- the rule for naming ---------------------------------------------------------------------


def test_a_formula_equal_to_the_right_answer_or_to_another_is_not_nameable() -> None:
    """On a square X dividing by d is dividing by m (right); with m = 2 * batch size the batch's
    1 / m is the factor 2 forgotten: neither can be named there."""
    rng = np.random.default_rng(0)
    square = inputs.regression(rng, 4, 4)
    values = {name: wrong(*square) for name, wrong in known.MSE_MISTAKES.items()}
    kept = judges.nameable(values, SOLUTION.mse_gradient(*square))
    assert "dividing by d" not in " ".join(kept) and judges.X_NOT_TRANSPOSED in kept
    args = (*inputs.regression(rng, 4, 3), 0.1, 2, 0)
    values = {name: wrong(*args) for name, wrong in known.SGD_MISTAKES.items()}
    kept = judges.nameable(values, SOLUTION.sgd_epoch(*args))
    assert not [name for name in kept if "factor 2" in name or "number of samples m" in name]
    assert judges.nameable({"zeros": np.zeros(3)}, np.ones(3)) == {}


def test_a_float32_answer_matches_no_formula_apart_from_the_right_one() -> None:
    rng = np.random.default_rng(2)
    w, X, y = inputs.regression(rng, 4, 4)
    got = SOLUTION.mse_gradient(w, X, y).astype(np.float32)
    values = {name: wrong(w, X, y) for name, wrong in known.MSE_MISTAKES.items()}
    verdict = judges.explained(Verdict(False, "wrong."), got, SOLUTION.mse_gradient(w, X, y),
                               values)  # fmt: skip
    assert verdict.message == "wrong."


@pytest.mark.parametrize("seed", range(5))
def test_every_label_check_asks_for_more_than_one_label(seed: int) -> None:
    groups = [inputs.EXACT_BOUNDARIES, inputs.NEAR_BOUNDARIES, inputs.INTEGER_RATES,
              inputs.random_regimes(np.random.default_rng(seed))]  # fmt: skip
    for cases in groups:
        assert len({SOLUTION.learning_rate_regime(*case) for case in cases}) > 1, cases


# --- graded by the real engine ---------------------------------------------------------------

COURSE = load_course(REPO / "course.toml")
REFERENCE = reference_source("descent")
# Each is the reference with some functions redefined after it (its sgd_epoch calls the module's
# own minibatches and mse_gradient, so redefining those changes sgd_epoch too).
OVERRIDES = {
    "wrong_mse_float32": """
def mse_gradient(w, X, y):
    w, X, y = (np.asarray(a, dtype=np.float32) for a in (w, X, y))
    return (2 / len(y)) * X.T @ (X @ w - y)
""",
    "wrong_mse_divide_by_d": """
def mse_gradient(w, X, y):
    w, X, y = _vector(w), _vector(X), _vector(y)
    return (2.0 / X.shape[1]) * X.T @ (X @ w - y)
""",
    "wrong_mse_sum_no_two": """
def mse_gradient(w, X, y):
    w, X, y = _vector(w), _vector(X), _vector(y)
    return X.T @ (X @ w - y)
""",
    "wrong_mse_squeezed": """
def mse_gradient(w, X, y):
    w, X, y = _vector(w), _vector(X), _vector(y)
    return np.squeeze((2.0 / len(y)) * X.T @ (X @ w - y))
""",
    "wrong_epoch_divide_by_m": """
def sgd_epoch(w, X, y, lr, batch_size, seed):
    w, X, y = _vector(w), _vector(X), _vector(y)
    for b in minibatches(len(y), batch_size, seed):
        w = w - lr * (2.0 / len(y)) * X[b].T @ (X[b] @ w - y[b])
    return w
""",
    "wrong_unseeded_permutation": """
def minibatches(n_samples, batch_size, seed):
    order = np.random.permutation(n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]
""",
    "wrong_unseeded_default_rng": """
def minibatches(n_samples, batch_size, seed):
    order = np.random.default_rng().permutation(n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]
""",
    "wrong_unseeded_random_shuffle": """
import random

def minibatches(n_samples, batch_size, seed):
    order = list(range(n_samples))
    random.shuffle(order)
    order = np.array(order)
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]
""",
    "wrong_regime_tolerant": """
def learning_rate_regime(lr, curvature):
    r = lr * curvature
    if r <= 1 + 1e-6:
        return "monotone"
    if r < 2 - 1e-6:
        return "oscillating"
    return "diverging"
""",
    "wrong_trajectory_zero_steps_flat": """
_reference_gradient_descent = gradient_descent

def gradient_descent(grad_fn, x0, lr, n_steps):
    if n_steps == 0:
        return np.array(x0, dtype=float)
    return _reference_gradient_descent(grad_fn, x0, lr, n_steps)
""",
    "wrong_trajectory_squeezed": """
_reference_gradient_descent = gradient_descent

def gradient_descent(grad_fn, x0, lr, n_steps):
    return np.squeeze(_reference_gradient_descent(grad_fn, x0, lr, n_steps))
""",
    "wrong_stable_eigvals_first": """
def max_stable_learning_rate(H):
    return 2.0 / float(np.real(np.linalg.eigvals(np.asarray(H, dtype=float))[0]))
""",
    "wrong_stable_largest_entry": """
def max_stable_learning_rate(H):
    return 2.0 / float(np.max(H))
""",
    "wrong_batches_whole_batches_only": """
def minibatches(n_samples, batch_size, seed):
    order = np.random.default_rng(seed).permutation(n_samples)
    return [order[k * batch_size:(k + 1) * batch_size] for k in range(n_samples // batch_size)]
""",
    "wrong_batches_seed_ignored": """
def minibatches(n_samples, batch_size, seed):
    order = np.random.default_rng(0).permutation(n_samples)
    return [order[i:i + batch_size] for i in range(0, n_samples, batch_size)]
""",
    "wrong_epoch_lr_ignored": """
def sgd_epoch(w, X, y, lr, batch_size, seed):
    w, X, y = _vector(w), _vector(X), _vector(y)
    for b in minibatches(len(y), batch_size, seed):
        w = w - 0.01 * mse_gradient(w, X[b], y[b])
    return w
""",
    "wrong_momentum_beta_or_default": """
def momentum_step(x, velocity, grad, lr, beta=0.9):
    beta = beta or 0.9
    v_new = beta * _vector(velocity) + _vector(grad)
    return _vector(x) - lr * v_new, v_new
""",
    "wrong_momentum_beta_ignored": """
def momentum_step(x, velocity, grad, lr, beta=0.9):
    v_new = 0.9 * _vector(velocity) + _vector(grad)
    return _vector(x) - lr * v_new, v_new
""",
    "wrong_momentum_lazy": """
def momentum_step(x, velocity, grad, lr, beta=0.9):
    return np.array(x, dtype=float), np.array(velocity, dtype=float)
""",
}


CORRECT_STYLES = '''"""Right in other styles: loops, np.split, eigvals, a Generator, np.add."""

import numpy as np


def descent_step(x, grad, lr):
    return np.subtract(np.asarray(x, dtype=np.float64), np.multiply(lr, grad, dtype=np.float64))


def gradient_descent(grad_fn, x0, lr, n_steps):
    points = [np.array(x0, dtype=float)]
    for _ in range(n_steps):
        points.append(points[-1] - lr * np.asarray(grad_fn(points[-1].copy()), dtype=float))
    return np.vstack(points)


def learning_rate_regime(lr, curvature):
    r = lr * curvature
    if r >= 2:
        return "diverging"
    if r > 1:
        return "oscillating"
    return "monotone"


def max_stable_learning_rate(H):
    return np.float64(2.0) / np.max(np.linalg.eigvals(np.asarray(H, dtype=float)).real)


def mse_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    m, d = X.shape
    out = np.zeros(d)
    for i in range(m):
        residual = float(X[i] @ np.asarray(w, dtype=float)) - float(y[i])
        out += 2.0 * residual * X[i] / m
    return out


def minibatches(n_samples, batch_size, seed):
    generator = np.random.Generator(np.random.PCG64(seed))
    order = generator.permutation(n_samples)
    return np.split(order, range(batch_size, n_samples, batch_size))


def sgd_epoch(w, X, y, lr, batch_size, seed):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    for batch in minibatches(len(y), batch_size, seed):
        w = w - lr * mse_gradient(w, X[batch], y[batch])
    return w


def momentum_step(x, velocity, grad, lr, beta=0.9):
    v = np.add(np.multiply(beta, velocity, dtype=float), grad)
    return np.asarray(x, dtype=float) - lr * v, v
'''


CORRECT_COMPREHENSIONS = '''"""Right with lists, comprehensions, math and Python scalars."""

import math

import numpy as np


def descent_step(x, grad, lr):
    return np.array([float(a) - lr * float(g) for a, g in zip(x, grad)])


def gradient_descent(grad_fn, x0, lr, n_steps):
    path = np.zeros((n_steps + 1, len(x0)))
    path[0] = np.asarray(x0, dtype=float)
    for k in range(n_steps):
        path[k + 1] = path[k] - lr * np.asarray(grad_fn(path[k].copy()), dtype=float)
    return path


def learning_rate_regime(lr, curvature):
    r = lr * curvature
    return "monotone" if r <= 1 else ("oscillating" if r < 2 else "diverging")


def max_stable_learning_rate(H):
    return 2 / max(np.linalg.eigvalsh(np.array(H, dtype=np.float64)).tolist())


def mse_gradient(w, X, y):
    X, w, y = np.array(X, dtype=float), np.array(w, dtype=float), np.array(y, dtype=float)
    return 2 * np.mean((X @ w - y)[:, None] * X, axis=0)


def minibatches(n_samples, batch_size, seed):
    order = np.random.default_rng(seed=seed).permutation(n_samples)
    count = math.ceil(n_samples / batch_size)
    return [order[k * batch_size : (k + 1) * batch_size] for k in range(count)]


def sgd_epoch(w, X, y, lr, batch_size, seed):
    w = np.array(w, dtype=float)
    for batch in minibatches(len(y), batch_size, seed):
        w = w - lr * mse_gradient(w, np.asarray(X)[batch], np.asarray(y)[batch])
    return w


def momentum_step(x, velocity, grad, lr, beta=0.9):
    v_new = [beta * float(v) + float(g) for v, g in zip(velocity, grad)]
    return np.array([float(a) - lr * v for a, v in zip(x, v_new)]), np.array(v_new)
'''
UNSEEDED = ("wrong_unseeded_permutation", "wrong_unseeded_default_rng",
            "wrong_unseeded_random_shuffle")  # fmt: skip


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, SubmissionResult]]:
    """The submissions above graded twice by the real engine, each run {student: result}."""
    folder = tmp_path_factory.mktemp("descent_submissions")
    for name, body in OVERRIDES.items():
        (folder / f"{name}.py").write_text(REFERENCE + "\n" + body)
    (folder / "correct_styles.py").write_text(CORRECT_STYLES)
    (folder / "correct_comprehensions.py").write_text(CORRECT_COMPREHENSIONS)
    assignment = COURSE.assignment("descent")
    return [by_student(grade(COURSE, assignment, discover(folder, "descent"), jobs=2))
            for _ in range(2)]  # fmt: skip


def messages(result: SubmissionResult, exercise: str) -> list[str]:
    return [check.message for check in result.exercises[exercise].checks if not check.passed]


def failed_checks(result: SubmissionResult) -> set[str]:
    return {check.name for graded in result.exercises.values() for check in graded.checks
            if not check.passed}  # fmt: skip


def lost(result: SubmissionResult) -> set[str]:
    return {name for name, graded in result.exercises.items() if graded.points < graded.max_points}


@pytest.mark.parametrize("student", ["correct_styles", "correct_comprehensions"])
def test_right_answers_in_other_styles_keep_full_marks(graded, student: str) -> None:
    result = graded[0][student]
    assert result.error is None and failed_checks(result) == set()
    assert result.points == result.max_points


# student -> {exercise it loses: a check that must fail there}; every other exercise is kept.
EDGES = {
    "wrong_regime_tolerant": {"learning_rate_regime": "regime_near_boundaries"},
    "wrong_trajectory_zero_steps_flat": {"gradient_descent": "trajectory_zero_steps"},
    "wrong_trajectory_squeezed": {"gradient_descent": "trajectory_one_dimension"},
    "wrong_mse_squeezed": {"mse_gradient": "mse_one_weight_one_sample"},
    "wrong_batches_whole_batches_only": {"minibatches": "batches_one_batch",
                                         "sgd_epoch": "epoch_full_batch"},
    "wrong_batches_seed_ignored": {"minibatches": "batches_exact_fit",
                                   "sgd_epoch": "epoch_short_last_batch"},
    "wrong_epoch_lr_ignored": {"sgd_epoch": "epoch_full_batch"},
    "wrong_momentum_beta_or_default": {"momentum_step": "momentum_beta_zero"},
    "wrong_momentum_beta_ignored": {"momentum_step": "momentum_beta_zero"},
    "wrong_momentum_lazy": {"momentum_step": "momentum_leaves_arguments_alone"},
    "wrong_stable_eigvals_first": {"max_stable_learning_rate": "stable_rate_unsorted_diagonal"},
}  # fmt: skip


@pytest.mark.parametrize("student", sorted(EDGES))
def test_edge_inputs_and_ignored_arguments_lose_their_exercise(graded, student: str) -> None:
    result = graded[0][student]
    assert lost(result) == set(EDGES[student])
    assert set(EDGES[student].values()) <= failed_checks(result)


def test_doing_nothing_in_momentum_earns_nothing(graded) -> None:
    """(x, velocity) given back untouched leaves the arguments alone, and still scores 0."""
    assert graded[0]["wrong_momentum_lazy"].exercises["momentum_step"].points == 0


@pytest.mark.parametrize("student", UNSEEDED)
def test_an_unseeded_shuffle_is_told_that_its_answers_changed(graded, student: str) -> None:
    runs = [run[student] for run in graded]
    for exercise in ("minibatches", "sgd_epoch"):
        assert len({run.exercises[exercise].points for run in runs}) == 1, exercise
        said = messages(runs[0], exercise)
        assert said and not any("float" in message for message in said), said
        changed = [m for m in said if "changed between calls" in m and "default_rng(seed)" in m]
        assert len(changed) >= len(said) - 1, said
    assert runs[0].exercises["minibatches"].points == 0
    assert lost(runs[0]) == {"minibatches", "sgd_epoch"}


def test_float32_is_told_its_dtype_and_no_mistake(graded) -> None:
    """On the square X dividing by d is dividing by m, which a float32 answer is close to: it
    hears about its dtype, and nowhere of a mistake."""
    result = graded[0]["wrong_mse_float32"]
    square = [c.message for c in result.exercises["mse_gradient"].checks
              if c.name == "mse_square_inputs"]  # fmt: skip
    assert len(square) == 1 and "float32" in square[0], square
    said = messages(result, "mse_gradient")
    assert all("float32" in message and "This looks like" not in message for message in said)


# student -> (words some failing message of the exercise must hold, words none may hold)
NAMED = {
    "wrong_mse_divide_by_d": ("mse_gradient", "dividing by d", "forgotten"),
    "wrong_mse_sum_no_two": ("mse_gradient", "both the factor 2 and the 1 / m", "dividing by d"),
    "wrong_epoch_divide_by_m": ("sgd_epoch", "number of samples m", "factor 2"),
    "wrong_stable_eigvals_first": ("max_stable_learning_rate", "np.linalg.eigvals",
                                   "smallest eigenvalue"),
    "wrong_stable_largest_entry": ("max_stable_learning_rate", "largest diagonal entry",
                                   "smallest eigenvalue"),
}  # fmt: skip


@pytest.mark.parametrize("student", sorted(NAMED))
def test_a_mistake_is_named_where_certain_and_no_other_is(graded, student: str) -> None:
    exercise, named, never = NAMED[student]
    said = messages(graded[0][student], exercise)
    assert any(named in message for message in said), said
    assert not any(never in message for message in said), said


def test_answers_asked_twice_agree_when_equal_up_to_summation_order_nan_and_inf() -> None:
    """An answer given again is the same one up to the rounding of another summation order, with
    nan and inf where they were; another shuffle, value or type is another answer."""
    same = judges.same_answer
    assert same(np.array([np.inf, np.nan, 1.0]), np.array([np.inf, np.nan, 1.0]))
    assert same(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-14]))
    assert same([np.array([3, 1]), np.array([2])], [np.array([3, 1]), np.array([2])])
    assert not same(np.array([np.inf, 1.0]), np.array([-np.inf, 1.0]))
    assert not same(np.array([1.0, 2.0]), np.array([1.0, 2.1]))
    assert not same([np.array([3, 1]), np.array([2])], [np.array([1, 3]), np.array([2])])
    assert not same([np.array([1])], (np.array([1]),))
    assert same(None, None) and not same("a", "b")


@pytest.mark.parametrize("seed", range(20))
def test_the_edge_checks_inputs_keep_their_mistakes_apart(seed: int) -> None:
    """The one-dimensional trajectory, the unsorted diagonal and the integer epoch: every named
    formula is apart from the right answer and the others there, whoever the student is."""
    rng = np.random.default_rng(seed)
    args = (inputs.LINE_GRADIENT, rng.uniform(0.5, 1.0, size=1), float(rng.uniform(0.1, 0.2)), 4)
    values = {name: wrong(*args) for name, wrong in known.TRAJECTORY_MISTAKES.items()}
    assert set(judges.nameable(values, SOLUTION.gradient_descent(*args))) == set(values)
    H = inputs.unsorted_diagonal(rng)
    values = {n: w(H) for n, w in known.STABLE_MISTAKES.items() if "diagonal entry" not in n}
    assert set(judges.nameable(values, 2 / np.max(np.diag(H)))) == set(values)
    w, X, y = inputs.regression(rng, 7, 3)
    epoch = (w, X, y, 0.1, 2, 3)
    values = {name: wrong(*epoch) for name, wrong in known.SGD_MISTAKES.items()}
    assert set(judges.nameable(values, SOLUTION.sgd_epoch(*epoch))) == set(values)
