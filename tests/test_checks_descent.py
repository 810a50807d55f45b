"""The inputs the checks of assignment `descent` rely on.

The corpus (`tests/corpus/descent/`) is judged in `tests/test_corpus.py`. Here: on the checks'
inputs, every known wrong formula gives another answer, so that each can be caught and named.
"""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from conftest import check_file

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
    near = [1 + 2.0**-19, 2 - 2.0**-18, 1 - 2.0**-19, 2 + 2.0**-18]
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
