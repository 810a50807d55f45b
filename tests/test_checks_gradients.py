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
from conftest import by_student, check_file, reference_source

from grader.authoring.functions import exact_hessian, vector_function
from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.collection import check_seed
from grader.grading.results import SubmissionResult
from grader.grading.run import grade

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


# --- edges, ignored arguments and naming, on the checks' own inputs --------------------------


def test_a_formula_is_named_only_apart_from_the_right_answer_zero_and_the_others() -> None:
    right = np.array([1.0, 2.0])
    values = {
        "right": np.array([1.0, 2.0 + 1e-9]),
        "zeros": np.zeros(2),
        "twin a": np.array([3.0, 1.0]),
        "twin b": np.array([3.0, 1.0 + 1e-9]),
        "nan": np.array([np.nan, 1.0]),
        "alone": np.array([-1.0, 2.0]),
    }
    assert list(judges.certain(values, right)) == ["alone"]
    assert list(judges.certain(values, right, zero_too=True)) == ["zeros", "alone"]


def test_a_unit_direction_makes_cosine_and_norm_grad_alike_so_inputs_avoid_it() -> None:
    """With a unit v, grad @ v / norm(grad) is the cosine: the integer-list check uses v of
    length 2, where each directional mistake that fails is apart from the others."""
    grad, unit = [3, -1, 2], [0, 1, 0]
    values = {n: w(grad, unit) for n, w in known.DIRECTIONAL_MISTAKES.items()}
    assert judges.alike(values["dividing by norm(grad) instead of norm(v)"],
                        values[next(n for n in values if n.startswith("the cosine"))])  # fmt: skip
    longer = [0, 2, 0]
    values = {n: w(grad, longer) for n, w in known.DIRECTIONAL_MISTAKES.items()}
    assert len(apart(values, -1.0)) == len(values)


@pytest.mark.parametrize("seed", range(5))
def test_rate_cases_reach_both_ends_zero_and_a_zero_gradient(seed: int) -> None:
    cases = hidden.rate_cases(np.random.default_rng(seed))
    rates = [g @ v / np.linalg.norm(v) for g, v in cases]
    norm = np.linalg.norm(cases[0][0])
    assert rates[0] == pytest.approx(norm) and rates[1] == pytest.approx(-norm)
    assert abs(rates[2]) < 1e-12 and not np.any(cases[3][0])
    with np.errstate(invalid="ignore"):
        cosine = known.DIRECTIONAL_MISTAKES[
            "the cosine of the angle between grad and v (divided by norm(grad) too)"
        ](*cases[3])
    assert np.isnan(cosine)
    for grad, v in cases[:2]:
        values = {n: w(grad, v) for n, w in known.DIRECTIONAL_MISTAKES.items()}
        assert apart(values, grad @ v / np.linalg.norm(v))


@pytest.mark.parametrize("seed", range(5))
def test_tiny_gradients_have_unit_directions_that_a_tolerance_habit_zeroes(seed: int) -> None:
    """The habit is named at 1e-10, where its zeros are apart from every other formula; at
    1e-150 the unnormalised gradient is as good as zeros too, so neither is named there."""
    *tiny, ordinary = hidden.tiny_gradients(np.random.default_rng(seed))
    unit = ordinary / np.linalg.norm(ordinary)
    nameable = []
    for grad in tiny:
        np.testing.assert_allclose(grad / np.linalg.norm(grad), unit, rtol=1e-12)
        values = {n: w(grad) for n, w in known.ASCENT_MISTAKES.items()}
        assert not np.any(values[HABIT])
        nameable.append(HABIT in judges.certain(values, unit, zero_too=True))
    assert nameable == [True, False]
    # 1e-200 long: numpy's norm squares it to 0, so the contract's zeros are right there too
    assert np.linalg.norm(ordinary * 1e-200) == 0.0


HABIT = "zeros for a small gradient that is not zero (norm(grad) < 1e-8 instead of == 0)"


@pytest.mark.parametrize("seed", range(5))
def test_tiny_gradients_put_the_floor_in_the_denominator(seed: int) -> None:
    x = np.random.default_rng(seed).uniform(-1, 1, size=2)
    ga, gn = known.both_gradients(hidden.TINY, hidden.TINY_WRONG_GRADIENT, x, 1e-5)
    assert np.linalg.norm(ga) + np.linalg.norm(gn) < 1e-12
    values = {
        name: wrong(hidden.TINY, hidden.TINY_WRONG_GRADIENT, x)
        for name, wrong in known.CHECK_MISTAKES.items()
    }
    right = np.linalg.norm(ga - gn) / 1e-12
    failing = judges.certain(values, right)
    assert any("without the floor" in name for name in failing)
    assert any(name.startswith("adding 1e-12") for name in failing)


def grid_schemes(f, x: np.ndarray, h: float) -> dict[str, np.ndarray]:
    """Hessians a student may build from values of f on the grid x + h * integers."""
    n = x.size
    eye = np.eye(n) * h

    def central_gradient(y: np.ndarray) -> np.ndarray:
        return np.array([(f(y + e) - f(y - e)) / (2 * h) for e in eye])

    nested = np.array([(central_gradient(x + e) - central_gradient(x - e)) / (2 * h) for e in eye])
    forward = np.array([[(f(x + a + b) - f(x + a) - f(x + b) + f(x)) / h**2 for b in eye]
                        for a in eye])  # fmt: skip
    return {"contract": known.central_hessian(f, x, h), "nested": nested, "forward": forward}


@pytest.mark.parametrize("seed", range(8))
def test_every_scheme_on_the_grid_agrees_and_another_step_is_far(seed: int) -> None:
    """On STEPPED at h = 0.1 the ripples are invisible to every scheme on the step's grid
    (forward ones too: the quadratic leaves them exact), and a Hessian at the default step is
    off by thousands of tolerances."""
    x = np.random.default_rng(seed).uniform(-1, 1, size=3)
    h = hidden.GRID_H
    tolerance = bounds.grid_tolerance(hidden.STEPPED, x)
    quadratic = np.array([[2.0, -2.0, 0.0], [-2.0, 3.0, 1.0], [0.0, 1.0, -2.0]])
    for name, matrix in grid_schemes(hidden.STEPPED, x, h).items():
        assert np.abs(matrix - quadratic).max() < tolerance / 10, name
    at_default = known.HESSIAN_MISTAKES[known.IGNORED_H](hidden.STEPPED, x, h)
    assert np.abs(at_default - quadratic).max() > 1e4 * tolerance
    assert np.abs(exact_hessian(hidden.STEPPED, x) - quadratic).max() > 1e4 * tolerance


@pytest.mark.parametrize("seed", range(5))
def test_a_step_ignored_shows_along_every_axis_of_wavy(seed: int) -> None:
    x = np.random.default_rng(seed).uniform(-1.5, 1.5, size=3)
    for i in range(3):
        at_h = known.central_partial(hidden.WAVY, x, i, 0.1)
        ignored = known.PARTIAL_MISTAKES[known.IGNORED_H](hidden.WAVY, x, i, 0.1)
        tolerance = bounds.difference_tolerance(hidden.WAVY, x, 0.1, [i])
        assert abs(at_h - ignored) > 1e6 * tolerance


def test_the_integer_step_mistakes_are_told_apart_on_the_integer_points() -> None:
    """Truncating x + h and x - h moves f (1000 - 1e-5 becomes 999), a step of 0 does not: on
    the int points of the checks both are apart from each other and from the right answer."""
    truncating = [n for n in known.PARTIAL_MISTAKES if known.TRUNCATING in n]
    x = [1000, -1, 3]
    values = {n: known.PARTIAL_MISTAKES[n](hidden.FAR, x, 0) for n in truncating}
    right = known.central_partial(hidden.FAR, x, 0)
    assert len(judges.certain(values, right, zero_too=True)) == 2
    x = [1000, 2, -1]
    gradients = {n: known.GRADIENT_MISTAKES[n](hidden.FAR, x) for n in truncating}
    right = known.central_gradient(hidden.FAR, x)
    assert len(judges.certain(gradients, right, zero_too=True)) == 2


# --- graded by the real engine ---------------------------------------------------------------

REFERENCE = reference_source("gradients")
# Each is the reference with some functions redefined after it (its gradient calls the module's
# own partial_derivative, and gradient_check its gradient, so redefining those changes them too).
OVERRIDES = {
    # right answers, but x moved in place afterwards: only the check that looks at x loses
    "wrong_hessian_moves_x": """
_reference_hessian = hessian

def hessian(f, x, h=1e-4):
    H = _reference_hessian(f, np.array(x, dtype=float), h)
    if isinstance(x, np.ndarray):
        x += 1
    return H
""",
    "wrong_partial_step_ignored": """
_reference_partial = partial_derivative

def partial_derivative(f, x, i, h=1e-5):
    return _reference_partial(f, x, i, 1e-5)

def gradient(f, x, h=1e-5):
    return np.array([_reference_partial(f, x, i, h) for i in range(np.size(x))])
""",
    "wrong_gradient_step_ignored": """
_reference_gradient = gradient

def gradient(f, x, h=1e-5):
    return _reference_gradient(f, x, 1e-5)
""",
    "wrong_hessian_step_ignored": """
_reference_hessian = hessian

def hessian(f, x, h=1e-4):
    return _reference_hessian(f, x, 1e-4)
""",
    "wrong_check_step_ignored": """
_reference_check = gradient_check

def gradient_check(f, grad_fn, x, h=1e-5):
    return _reference_check(f, grad_fn, x)
""",
    "wrong_classify_tol_ignored": """
_reference_classify = classify_stationary_point

def classify_stationary_point(H, tol=1e-8):
    return _reference_classify(H)
""",
    "wrong_directional_cosine_times_norm": """
def directional_derivative(grad, v):
    grad, v = _vector(grad), _vector(v)
    length = np.linalg.norm(grad)
    return float(length * (grad @ v) / (length * np.linalg.norm(v)))
""",
    "wrong_steepest_small_as_zero": """
def steepest_ascent_direction(grad):
    grad = _vector(grad)
    length = np.linalg.norm(grad)
    return np.zeros_like(grad) if length < 1e-8 else grad / length
""",
    "wrong_steepest_any_entry": """
def steepest_ascent_direction(grad):
    grad = _vector(grad)
    if not np.any(grad):
        return np.zeros_like(grad)
    return grad / np.linalg.norm(grad)
""",
    "wrong_check_zero_guard_no_floor": """
def gradient_check(f, grad_fn, x, h=1e-5):
    x = _vector(x)
    ga, gn = _vector(grad_fn(x.copy())), gradient(f, x, h)
    total = np.linalg.norm(ga) + np.linalg.norm(gn)
    return 0.0 if total == 0 else float(np.linalg.norm(ga - gn) / total)
""",
    "wrong_gradient_zeros_like_step": """
def gradient(f, x, h=1e-5):
    x = np.asarray(x)
    partials = []
    for i in range(x.size):
        step = np.zeros_like(x)
        step[i] = h
        partials.append((f(x + step) - f(x - step)) / (2 * h))
    return np.array(partials, dtype=float)
""",
}
# The surviving mutants of the reference's hessian (`range(i, n)` and kin) compute the diagonal
# again with the four-point formula at ei = ej: the second difference at step 2h, a
# second-order central scheme the contract accepts. They are right, and keep full marks.
TWO_H_DIAGONAL = REFERENCE.replace("for j in range(i + 1, n):", "for j in range(i, n):")
CORRECT_STYLES = '''
"""Right in other styles: nested central differences, a scaled norm, np.maximum."""
import numpy as np


def partial_derivative(f, x, i, h=1e-5):
    x = np.asarray(x, dtype=float)
    e = np.eye(x.size)[i] * h
    return float(f(x + e) - f(x - e)) / (2 * h)


def gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    return np.array([(f(x + e) - f(x - e)) / (2 * h) for e in np.eye(x.size) * h])


def quadratic_gradient(A, b, x):
    A, b, x = (np.asarray(a, dtype=float) for a in (A, b, x))
    return (A @ x + A.T @ x) / 2 + b


def hessian(f, x, h=1e-4):
    x = np.asarray(x, dtype=float)
    rows = [(gradient(f, x + e, h) - gradient(f, x - e, h)) / (2 * h) for e in np.eye(x.size) * h]
    H = np.array(rows)
    return (H + H.T) / 2


def directional_derivative(grad, v):
    grad, v = np.asarray(grad, dtype=float), np.asarray(v, dtype=float)
    return float(np.dot(grad, v) / np.sqrt(np.dot(v, v)))


def steepest_ascent_direction(grad):
    grad = np.asarray(grad, dtype=float)
    largest = np.max(np.abs(grad))
    if largest == 0:
        return np.zeros_like(grad)
    scaled = grad / largest
    return scaled / np.sqrt(scaled @ scaled)


def classify_stationary_point(H, tol=1e-8):
    values = np.sort(np.real(np.linalg.eigvals(np.asarray(H, dtype=float))))
    if values[0] > tol:
        return "minimum"
    if values[-1] < -tol:
        return "maximum"
    if values[0] < -tol and values[-1] > tol:
        return "saddle"
    return "degenerate"


def gradient_check(f, grad_fn, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    ga = np.asarray(grad_fn(x.copy()), dtype=float)
    gn = gradient(f, x, h)
    total = np.maximum(np.linalg.norm(ga) + np.linalg.norm(gn), 1e-12)
    return float(np.linalg.norm(ga - gn) / total)
'''
GN = f"{known.IGNORED_H}, in the numerical gradient gn"
# student -> {check that must fail: words its message must hold}; every other check passes.
EXPECTED = {
    "wrong_hessian_moves_x": {"hessian_leaves_x_alone": "changed its argument number 2 in place"},
    "wrong_partial_step_ignored": {"partial_derivative_large_step": known.IGNORED_H},
    "wrong_gradient_step_ignored": {
        "gradient_large_step": known.IGNORED_H,
        # gradient_check builds gn with the module's gradient: its h is lost there too
        "gradient_check_exact_gradient_integer_point": GN,
        "gradient_check_wrong_gradient": GN,
    },
    "wrong_hessian_step_ignored": {"hessian_uses_its_step": known.IGNORED_H},
    "wrong_check_step_ignored": {
        "gradient_check_exact_gradient_integer_point": GN,
        "gradient_check_wrong_gradient": GN,
    },
    "wrong_classify_tol_ignored": {
        "classify_degenerate_and_tolerance": "ignoring the tol it is given"
    },
    "wrong_directional_cosine_times_norm": {
        "directional_derivative_ends_of_the_range": "The gradient is zero here, so every rate is 0"
    },
    "wrong_steepest_small_as_zero": {
        "steepest_ascent_zero_and_tiny_gradients": "zeros for a small gradient that is not zero"
    },
    "wrong_steepest_any_entry": {
        "steepest_ascent_zero_and_tiny_gradients": "norm(grad) is 0 in floating point"
    },
    "wrong_check_zero_guard_no_floor": {
        "gradient_check_zero_and_tiny_gradients": "without the floor of max(norm(ga) + norm(gn)"
    },
    "wrong_gradient_zeros_like_step": {
        "gradient_integer_list_near_1000": "np.zeros_like of an int x, became 0"
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SubmissionResult]:
    """The submissions above graded once by the real engine: {student: result}."""
    folder = tmp_path_factory.mktemp("gradients_submissions")
    for name, body in OVERRIDES.items():
        (folder / f"{name}.py").write_text(REFERENCE + "\n" + body)
    (folder / "correct_styles.py").write_text(CORRECT_STYLES)
    (folder / "correct_two_h_diagonal.py").write_text(TWO_H_DIAGONAL)
    assignment = COURSE.assignment("gradients")
    return by_student(grade(COURSE, assignment, discover(folder, "gradients"), jobs=2))


def failing(result: SubmissionResult) -> dict[str, str]:
    return {check.name: check.message for graded in result.exercises.values()
            for check in graded.checks if not check.passed}  # fmt: skip


@pytest.mark.parametrize("student", ["correct_styles", "correct_two_h_diagonal"])
def test_right_answers_in_other_styles_keep_full_marks(graded, student: str) -> None:
    assert TWO_H_DIAGONAL != REFERENCE
    result = graded[student]
    assert result.error is None and failing(result) == {}
    assert result.points == result.max_points


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_mistake_loses_exactly_its_checks_with_its_reason(graded, student: str) -> None:
    said = failing(graded[student])
    assert set(said) == set(EXPECTED[student]), said
    for check_name, words in EXPECTED[student].items():
        assert words in said[check_name], said[check_name]


@pytest.mark.parametrize("seed", range(5))
def test_the_top_of_the_relative_error_is_1_and_other_denominators_miss_it(seed: int) -> None:
    x = np.random.default_rng(seed).uniform(-1, 1, size=3)
    for wrong_gradient in (hidden.WAVY_OPPOSITE_GRADIENT, hidden.NO_GRADIENT):
        ga, gn = known.both_gradients(hidden.WAVY, wrong_gradient, x, 1e-5)
        right = np.linalg.norm(ga - gn) / (np.linalg.norm(ga) + np.linalg.norm(gn))
        assert right == pytest.approx(1.0, abs=1e-9)
        with np.errstate(divide="ignore", invalid="ignore"):
            values = {n: w(hidden.WAVY, wrong_gradient, x) for n, w in known.CHECK_MISTAKES.items()}
        assert not judges.alike(values["dividing by norm(ga) alone instead of norm(ga) + norm(gn)"],
                                right)  # fmt: skip
        absolute = "the absolute error norm(ga - gn), not divided by norm(ga) + norm(gn)"
        assert absolute in judges.certain(values, right)
