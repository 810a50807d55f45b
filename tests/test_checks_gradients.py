"""The checks of assignment `gradients`: their inputs, their judges, and how they grade.

The corpus (`tests/corpus/gradients/`) is judged in `tests/test_corpus.py`. Here: on the checks'
inputs, every known wrong formula that fails gives another answer than zero and the others, so
that each can be caught and named; a formula is named only where that holds; and, graded by the
real engine, submissions of other styles keep full marks while each mistake at an edge input or
an ignored argument loses exactly its checks, with a message that says why.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from conftest import check_file

from grader.authoring.functions import exact_hessian, vector_function
from grader.course.config import load_course
from grader.grading.collection import check_seed

known = check_file("gradients", "known")
hidden = check_file("gradients", "inputs")  # the hidden checks' inputs
bounds = check_file("gradients", "bounds")
judges = check_file("gradients", "judges")

REPO = Path(__file__).resolve().parent.parent
COURSE = load_course(REPO / "course.toml")


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


def apart(values: dict[str, object], right: object) -> dict[str, object]:
    """The values that differ from the right one, after asserting that they also differ from
    zero and from each other: where a formula fails, it can be named."""
    failing = {name: value for name, value in values.items() if not judges.alike(value, right)}
    assert judges.certain(failing, right) == failing
    return failing


# Mistakes that are the right answer by design on some inputs: at the step of the call, or for
# input that is not an int array.
AT_DEFAULT_STEP = {known.IGNORED_H, f"{known.IGNORED_H}, in the numerical gradient gn"}


@pytest.mark.parametrize("seed", range(5))
def test_partial_mistakes_differ_at_large_steps(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, size=3)
    for i in range(3):
        values = {
            name: wrong(hidden.WAVY, x, i, 0.1)
            for name, wrong in known.PARTIAL_MISTAKES.items()
            if known.TRUNCATING not in name  # these apply to int input only
        }
        # a step ignored included: WAVY's cubes show it along every axis
        assert distinct(values, known.central_partial(hidden.WAVY, x, i, 0.1))


def test_truncation_mistakes_differ_on_the_integer_point() -> None:
    x = [2, -1, 3]
    values = {
        name: wrong(hidden.WAVY, x, 0)
        for name, wrong in known.PARTIAL_MISTAKES.items()
        if name not in AT_DEFAULT_STEP
    }
    assert distinct(values, known.central_partial(hidden.WAVY, x, 0))


@pytest.mark.parametrize("seed", range(5))
def test_quadratic_mistakes_differ_for_a_random_non_symmetric_matrix(seed: int) -> None:
    rng = np.random.default_rng(seed)
    A, b, x = rng.normal(size=(4, 4)), rng.normal(size=4), rng.normal(size=4)
    assert np.linalg.norm((A - A.T) @ x) > 0.1  # x is off the null space of A - A.T
    values = {name: wrong(A, b, x) for name, wrong in known.QUADRATIC_MISTAKES.items()}
    assert distinct(values, 0.5 * (A + A.T) @ x + b)


@pytest.mark.parametrize("seed", range(5))
def test_hessian_mistakes_fail_by_far_at_both_steps(seed: int) -> None:
    """Each wrong Hessian is off by many times the tolerance any central scheme is given."""
    rng = np.random.default_rng(seed)
    for f, n, h in ((hidden.WAVY, 3, 1e-4), (hidden.NEAR_CUBIC, 4, 0.1)):
        x = rng.uniform(-1, 1, size=n)
        exact, tolerance = bounds.exact_hessian_at(f, x), bounds.hessian_tolerance(f, x, h)
        assert np.abs(known.central_hessian(f, x, h) - exact).max() < tolerance / 4
        for name, wrong in known.HESSIAN_MISTAKES.items():
            if name == known.IGNORED_H:
                continue  # near the exact Hessian at any step: caught on STEPPED (below)
            assert np.abs(wrong(f, x, h) - exact).max() > 20 * tolerance


@pytest.mark.parametrize("seed", range(5))
def test_directional_and_ascent_mistakes_differ(seed: int) -> None:
    rng = np.random.default_rng(seed)
    grad, v = rng.normal(size=4) * 3, rng.normal(size=4) * 5
    values = {name: wrong(grad, v) for name, wrong in known.DIRECTIONAL_MISTAKES.items()}
    assert distinct(values, grad @ v / np.linalg.norm(v))
    directions = {
        name: wrong(grad)
        for name, wrong in known.ASCENT_MISTAKES.items()
        if "small gradient" not in name  # the right answer for a gradient this long
    }
    assert distinct(directions, grad / np.linalg.norm(grad))


@pytest.mark.parametrize("seed", range(5))
def test_gradient_check_denominators_differ_for_the_wrong_gradient(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=3)
    ga = hidden.SMALL_WRONG_GRADIENT(x)
    gn = known.central_gradient(hidden.SMALL, x, 0.1)
    values = {
        name: wrong(hidden.SMALL, hidden.SMALL_WRONG_GRADIENT, x, 0.1)
        for name, wrong in known.CHECK_MISTAKES.items()
        # int input only; max(norm(ga), norm(gn)) is always one of the two, so messages name
        # both; the floor does not matter for gradients this long
        if known.TRUNCATING not in name
        and not name.startswith("dividing by max")
        and "floor" not in name
        and "1e-12" not in name
    }
    assert distinct(values, np.linalg.norm(ga - gn) / (np.linalg.norm(ga) + np.linalg.norm(gn)))


# Students whose hidden inputs the tests below draw, as grading would (and no student at all).
STUDENTS = [None, "alice", "bob", *(f"student{index}" for index in range(40))]


@pytest.mark.parametrize(
    ("check_name", "cases_of"),
    [
        ("test_classify_off_diagonal", hidden.off_diagonal_cases),
        ("test_classify_degenerate_and_tolerance", hidden.degenerate_cases),
    ],
)
def test_classify_cases_tell_the_mistakes_apart(check_name: str, cases_of) -> None:
    """On the cases a hidden check draws (for any student: each has inputs of their own), the
    wrong rules that fail there give different labels from each other, so the one named is the
    one made."""
    for student in STUDENTS:
        cases = cases_of(np.random.default_rng(check_seed(COURSE.seed, check_name, student)))
        right = [reference_label(*case) for case in cases]
        failing = {
            name: tuple(wrong(*case) for case in cases)
            for name, wrong in known.CLASSIFY_MISTAKES.items()
        }
        failing = {name: labels for name, labels in failing.items() if list(labels) != right}
        assert len(failing) >= 3, student
        assert len(set(failing.values())) == len(failing), student


def test_every_classify_mistake_fails_somewhere() -> None:
    cases = [(np.diag(d),) for d in ((2.0, 3.0), (-2.0, -3.0), (2.0, -2.0), (2.0, 0.0))]
    for check_name, cases_of in (
        ("test_classify_off_diagonal", hidden.off_diagonal_cases),
        ("test_classify_degenerate_and_tolerance", hidden.degenerate_cases),
    ):
        for student in STUDENTS:
            cases += cases_of(np.random.default_rng(check_seed(COURSE.seed, check_name, student)))
    right = [reference_label(*case) for case in cases]
    for name, wrong in known.CLASSIFY_MISTAKES.items():
        assert [wrong(*case) for case in cases] != right, name


def test_an_eigenvalue_at_tol_is_exact_for_every_solver() -> None:
    """The at-tol case is diagonal, so no eigenvalue routine moves it off 0.25."""
    at_tol = np.diag([2.0, 0.25, 1.0])
    for solver in (np.linalg.eigvalsh, np.linalg.eigvals, lambda m: np.linalg.eig(m)[0]):
        assert 0.25 in solver(at_tol)


def reference_label(H: np.ndarray, tol: float = 1e-8) -> str:
    """The contract's rule, written out once more here."""
    values = np.linalg.eigvalsh(H)
    if np.all(values > tol):
        return "minimum"
    if np.all(values < -tol):
        return "maximum"
    return "saddle" if np.any(values > tol) and np.any(values < -tol) else "degenerate"


# --- judges and bounds -----------------------------------------------------------------------


def test_box_bounds_of_a_polynomial() -> None:
    f = vector_function("x0**4 + x0*x1", n=2)
    found = bounds.box_bounds(f, (1.0, 2.0), 0.5)
    # on [0.5, 1.5] x [1.5, 2.5]: |f| <= 1.5**4 + 1.5*2.5, |f_0| + |f_1| <= 4*1.5**3 + 2.5 + 1.5
    assert found.value == pytest.approx(1.5**4 + 1.5 * 2.5)
    assert found.first == pytest.approx(4 * 1.5**3 + 2.5 + 1.5)
    assert found.second == pytest.approx(12 * 1.5**2)
    assert found.third == pytest.approx(24 * 1.5)
    assert found.fourth == pytest.approx(24)


def test_exact_hessian_is_cached_and_read_only() -> None:
    x = np.array([0.3, -0.2, 0.5])
    first = bounds.exact_hessian_at(hidden.WAVY, x)
    assert bounds.exact_hessian_at(hidden.WAVY, x) is first
    assert not first.flags.writeable
    np.testing.assert_allclose(first, exact_hessian(hidden.WAVY, x))


def test_gradient_check_tolerance_allows_rounding_only() -> None:
    """A correct central gn passes within it; a forward one at the default step does not."""
    x = np.array([0.4, -0.6, 0.2])
    tolerance = bounds.gradient_check_tolerance(hidden.WAVY, hidden.WAVY_GRADIENT, x, 1e-5)
    forward = known.CHECK_MISTAKES[
        "a forward difference instead of a central one, in the numerical gradient gn"
    ](hidden.WAVY, hidden.WAVY_GRADIENT, x)
    assert 1e-13 < tolerance < 1e-8
    assert forward > 1000 * tolerance


def test_asymmetry_points_at_the_worst_pair() -> None:
    matrix = np.array([[1.0, 2.0, 0.0], [2.0, 1.0, 5.0], [0.0, 0.0, 1.0]])
    assert "H[1, 2] = 5 but H[2, 1] = 0" in judges.asymmetry(matrix, 1e-6)
    assert judges.asymmetry(np.eye(3), 1e-6) == ""
    assert judges.asymmetry(np.ones(3), 1e-6) == ""
