"""The inputs the checks of assignment `derivatives` rely on.

The corpus (`tests/corpus/derivatives/`) is judged in `tests/test_corpus.py`. Here: on the checks'
inputs, every known wrong formula gives another answer, so that each can be caught and named; and,
graded by the real engine, variations of the reference are told the cause of their failure only
when it is certain (a step lost in rounding is not an integer truncation, a more accurate formula
is not a smaller default step), on the edges the contract names (d = 0, tol = 0, d = +-tol, int,
float32 and nested-list arrays).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import REPO, by_student, check_file, reference_source

from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.run import grade

known = check_file("derivatives", "known")
judges = check_file("derivatives", "judges")
hidden = check_file("derivatives", "hidden")


# --- the inputs separate the known wrong formulas --------------------------------------------


def distinct(values: dict[str, object], right: object) -> bool:
    """No two values (the right one included) within 1e-6 of each other, relatively."""
    numbers = [float(right), *(float(value) for value in values.values())]
    return all(
        not np.isclose(a, b, rtol=1e-6, atol=1e-12) for a, b in itertools.combinations(numbers, 2)
    )


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    "function", ["forward_difference", "central_difference", "second_derivative"]
)
def test_difference_mistakes_differ_at_h_one_tenth(seed: int, function: str) -> None:
    rng = np.random.default_rng(seed)
    x = float(rng.uniform(-1, 1))
    values = {
        name: wrong(hidden.GROWING, x, 0.1)
        for name, wrong in known.DIFFERENCE_MISTAKES[function].items()
        if name != known.TRUNCATING  # applies to an int x only
    }
    right = {
        "forward_difference": known._forward,
        "central_difference": known._central,
        "second_derivative": known._second,
    }[function](hidden.GROWING, x, 0.1)
    assert distinct(values, right)


@pytest.mark.parametrize("seed", range(5))
def test_tangent_mistakes_differ_where_f_is_negative(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for x, delta_x in hidden.tangent_points(rng):
        assert hidden.BELOW(x) < 0 < hidden.BELOW_SLOPE(x)
        right = hidden.BELOW(x) + hidden.BELOW_SLOPE(x) * delta_x
        values = {
            name: wrong(hidden.BELOW, hidden.BELOW_SLOPE, x, delta_x)
            for name, wrong in known.TANGENT_MISTAKES.items()
        }
        assert distinct(values, right)


@pytest.mark.parametrize("seed", range(5))
def test_every_sign_mistake_gets_some_case_wrong(seed: int) -> None:
    """Over the five interpret_sign checks, each wrong rule gives some label other than the
    right one, and no case list holds "stationary" alone."""
    rng = np.random.default_rng(seed)
    names = ("far", "zero", "within", "at", "beyond")
    cases = [case for name in names for case in hidden.sign_cases(
        name, np.random.default_rng(seed))]  # fmt: skip
    for name in names:
        right = [_reference_sign(*args, **kwargs) for args, kwargs in hidden.sign_cases(name, rng)]
        assert set(right) != {"stationary"}, name
    for wrong in known.SIGN_MISTAKES.values():
        assert any(
            wrong(*args, **kwargs) != _reference_sign(*args, **kwargs) for args, kwargs in cases
        )


def _reference_sign(d: float, tol: float = 1e-8) -> str:
    return "increasing" if d > tol else "decreasing" if d < -tol else "stationary"


class _Reference:
    """The contract's finite differences, as the known mistakes compute them, with its defaults."""

    forward_difference = staticmethod(lambda f, x, h=1e-6: known._forward(f, x, h))
    central_difference = staticmethod(lambda f, x, h=1e-5: known._central(f, x, h))
    second_derivative = staticmethod(lambda f, x, h=1e-4: known._second(f, x, h))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    "function", ["forward_difference", "central_difference", "second_derivative"]
)
def test_every_other_default_step_differs_where_the_default_is_checked(
    seed: int, function: str
) -> None:
    """At the default-step check's point, an answer at any other usual step is more than the
    method's rounding error away from the right one, and closest to the reference at its own
    step (sometimes tied, bit for bit, with another): so it fails, and the steps named include
    the one used."""
    x = hidden.steep_point(np.random.default_rng(seed))
    default = known.DEFAULT_STEP[function]
    for h in known.OTHER_STEPS:
        if h == default:
            continue
        got = getattr(_Reference, function)(hidden.STEEP, x, h=h)
        assert judges.step_distance(got, _Reference, function, hidden.STEEP, x, default) > 1
        distances = {
            step: judges.step_distance(got, _Reference, function, hidden.STEEP, x, step)
            for step in known.OTHER_STEPS
            if step != default
        }
        assert distances[h] == min(distances.values())


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    "function", ["forward_difference", "central_difference", "second_derivative"]
)
def test_a_default_step_named_is_the_one_used(seed: int, function: str) -> None:
    """The answer at each other usual step names that step, unless another step gives the same
    bits (a step lost in rounding; 1e-6 and 1e-7 at some x): then none, and never another."""
    x = hidden.steep_point(np.random.default_rng(seed))
    answers = {
        h: getattr(_Reference, function)(hidden.STEEP, x, h=h)
        for h in known.OTHER_STEPS
        if h != known.DEFAULT_STEP[function]
    }
    for h, got in answers.items():
        named = judges.steps_matching(got, _Reference, function, hidden.STEEP, x)
        twins = [step for step, other in answers.items() if step != h and other == got]
        assert named == ([] if twins else [h]), (h, twins)


# --- messages, graded by the real engine ------------------------------------------------------
# Each submission is the reference with one function redefined (a later def replaces the first).
# The messages must name the cause only when it is certain, and never a cause that was not there.

VARIANTS = {
    # issue: a step of 1e-15 at x = 1000 was told "an integer x truncating x + h"
    "forward_tiny_default": """
def forward_difference(f, x, h=1e-15):
    x = float(x)
    return float((f(x + h) - f(x)) / h)
""",
    # a step lost in rounding altogether: x + h == x for every x checked
    "forward_lost_default": """
def forward_difference(f, x, h=1e-20):
    x = float(x)
    return float((f(x + h) - f(x)) / h)
""",
    # issue: a too-large default step got no hint
    "forward_large_default": """
def forward_difference(f, x, h=1e-2):
    x = float(x)
    return float((f(x + h) - f(x)) / h)
""",
    "forward_unlisted_default": """
def forward_difference(f, x, h=0.3):
    x = float(x)
    return float((f(x + h) - f(x)) / h)
""",
    # the central difference under the forward difference's name: more accurate, not right
    "forward_is_central": """
def forward_difference(f, x, h=1e-6):
    x = float(x)
    return float((f(x + h) - f(x - h)) / (2 * h))
""",
    # issue: a Richardson central difference at the right h was told "a default step h = 1e-07"
    "central_richardson": """
def central_difference(f, x, h=1e-5):
    x = float(x)
    d = lambda s: (f(x + s) - f(x - s)) / (2 * s)
    return float((4 * d(h / 2) - d(h)) / 3)
""",
    "central_wrong_default": """
def central_difference(f, x, h=1e-6):
    x = float(x)
    return float((f(x + h) - f(x - h)) / (2 * h))
""",
    # an int x stored in an int array: the int is the cause, and the float call is right
    "central_truncating": """
def central_difference(f, x, h=1e-5):
    points = np.array([x, x])
    points[0] = x + h
    points[1] = x - h
    return float((f(float(points[0])) - f(float(points[1]))) / (2 * h))
""",
    # a fourth-order five-point stencil for f'': more accurate at the right h, not the formula
    "second_five_point": """
def second_derivative(f, x, h=1e-4):
    x = float(x)
    return float((-f(x + 2 * h) + 16 * f(x + h) - 30 * f(x) + 16 * f(x - h) - f(x - 2 * h))
                 / (12 * h**2))
""",
    "second_wrong_default": """
def second_derivative(f, x, h=1e-3):
    x = float(x)
    return float((f(x + h) - 2 * f(x) + f(x - h)) / h**2)
""",
    # h ignored: always the default step
    "second_ignores_h": """
def second_derivative(f, x, h=1e-4):
    x, h = float(x), 1e-4
    return float((f(x + h) - 2 * f(x) + f(x - h)) / h**2)
""",
    # issue: dividing by abs(d) kept full marks, as d = 0 was never asked
    "sign_over_abs": """
def interpret_sign(d, tol=1e-8):
    s = d / abs(d)
    if abs(d) <= tol:
        return "stationary"
    return "increasing" if s > 0 else "decreasing"
""",
    # tol = 0 taken for "not given"
    "sign_tol_or_default": """
def interpret_sign(d, tol=1e-8):
    tol = tol or 1e-8
    return "increasing" if d > tol else "decreasing" if d < -tol else "stationary"
""",
    # tol ignored: the default always
    "sign_ignores_tol": """
def interpret_sign(d, tol=1e-8):
    return "increasing" if d > 1e-8 else "decreasing" if d < -1e-8 else "stationary"
""",
    # 2 * x written as 2 * x**2 / x: right everywhere but at the docstring's own x = 0
    "derivative_over_x": """
def derivative(x):
    x = np.asarray(x, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = 2 * x**2 / x
    return float(slope) if slope.ndim == 0 else slope
""",
    # a float32 answer for a float32 array is fine; a flattened one is not
    "derivative_flattens": """
def derivative(x):
    x = np.asarray(x, dtype=float)
    return float(2 * x) if x.ndim == 0 else (2 * x).ravel()
""",
    "derivative_keeps_dtype": """
def derivative(x):
    return 2 * x if isinstance(x, np.ndarray) else _number_or_array(2.0 * np.asarray(x, float))
""",
}


@pytest.fixture(scope="module")
def variant_grades(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every variant graded once, in one run of the real engine (public and hidden checks)."""
    folder = tmp_path_factory.mktemp("derivatives_variants")
    for student, code in VARIANTS.items():
        (folder / f"{student}.py").write_text(reference_source("derivatives") + "\n" + code)
    course = load_course(REPO / "course.toml")
    assignment = course.assignment("derivatives")
    return by_student(grade(course, assignment, discover(folder, "derivatives"), jobs=2))


def messages(grades: dict, student: str, exercise: str) -> dict[str, str]:
    """Check name -> message of each failing check of the exercise."""
    checks = grades[student].exercises[exercise].checks
    return {check.name: check.message for check in checks if not check.passed}


def lost_only(grades: dict, student: str, exercise: str) -> None:
    """The variant loses points on `exercise` and on no other."""
    result = grades[student]
    lost = {name for name, e in result.exercises.items() if e.points < e.max_points}
    assert lost == {exercise}, (student, lost)


def test_a_tiny_default_step_at_1000_is_not_called_a_truncation(variant_grades) -> None:
    for student in ("forward_tiny_default", "forward_lost_default"):
        lost_only(variant_grades, student, "forward_difference")
        failing = messages(variant_grades, student, "forward_difference")
        assert not any("truncat" in message for message in failing.values()), failing
        assert (
            "the default value of h is not the contract's 1e-06"
            in (failing["forward_difference_near_1000"])
        )
    # at 1e-15 the default-step check finds the step itself; lost in rounding, no step is named
    tiny = messages(variant_grades, "forward_tiny_default", "forward_difference")
    assert tiny["forward_difference_default_step"].endswith(
        "This looks like a default step h = 1e-15 instead of the contract's h = 1e-06."
    )
    lost = messages(variant_grades, "forward_lost_default", "forward_difference")
    assert lost["forward_difference_default_step"].endswith(
        "Called with h = 1e-06 given, it is right: the default value of h is not the contract's "
        "1e-06."
    )


def test_a_too_large_default_step_gets_a_hint(variant_grades) -> None:
    large = messages(variant_grades, "forward_large_default", "forward_difference")
    assert large["forward_difference_default_step"].endswith(
        "This looks like a default step h = 0.01 instead of the contract's h = 1e-06."
    )
    unlisted = messages(variant_grades, "forward_unlisted_default", "forward_difference")
    assert unlisted["forward_difference_default_step"].endswith(
        "the default value of h is not the contract's 1e-06."
    )
    for student in ("forward_large_default", "forward_unlisted_default"):
        lost_only(variant_grades, student, "forward_difference")
        assert set(messages(variant_grades, student, "forward_difference")) == {
            "forward_difference_default_step",
            "forward_difference_near_1000",
        }


@pytest.mark.parametrize(
    ("student", "function", "step"),
    [("central_wrong_default", "central_difference", "1e-06"),
     ("second_wrong_default", "second_derivative", "0.001")],
)  # fmt: skip
def test_another_wrong_default_is_named_or_nothing_is(variant_grades, student, function, step):
    lost_only(variant_grades, student, function)
    failing = messages(variant_grades, student, function)
    default = failing[f"{function}_default_step"]
    named = f"This looks like a default step h = {step} instead"
    assert named in default or default.endswith("the default value of h is not the contract's "
                                                f"{known.DEFAULT_STEP[function]:g}.")  # fmt: skip
    assert default.count("default step h =") <= 1
    assert "wrong too" not in default


@pytest.mark.parametrize(
    ("student", "function"),
    [("central_richardson", "central_difference"), ("second_five_point", "second_derivative"),
     ("forward_is_central", "forward_difference")],
)  # fmt: skip
def test_a_more_accurate_formula_is_not_told_a_default_step(variant_grades, student, function):
    """Closer to the exact derivative than the contract's formula at its default step, as a
    smaller step would be: the call with h given is wrong too, and the message says so."""
    lost_only(variant_grades, student, function)
    failing = messages(variant_grades, student, function)
    default = failing[f"{function}_default_step"]
    assert "default step h =" not in default
    assert f"With h = {known.DEFAULT_STEP[function]:g} given it is wrong too" in default
    assert f"{function}_large_step" in failing


def test_the_central_difference_under_the_forward_name_is_named(variant_grades) -> None:
    failing = messages(variant_grades, "forward_is_central", "forward_difference")
    assert failing["forward_difference_large_step"].endswith(
        "This looks like a central difference instead of a forward one."
    )


def test_an_int_array_truncating_x_plus_h_is_named_only_at_the_int_x(variant_grades) -> None:
    lost_only(variant_grades, "central_truncating", "central_difference")
    failing = messages(variant_grades, "central_truncating", "central_difference")
    assert set(failing) == {"central_difference_near_1000"}
    assert "The same call with x = 1000.0 is right: this looks like an integer x silently " \
           "truncating x + h" in failing["central_difference_near_1000"]  # fmt: skip


def test_an_ignored_step_fails_the_large_step_and_the_order(variant_grades) -> None:
    lost_only(variant_grades, "second_ignores_h", "second_derivative")
    failing = messages(variant_grades, "second_ignores_h", "second_derivative")
    assert {"second_derivative_large_step", "second_derivative_second_order"} <= set(failing)
    assert failing["second_derivative_second_order"].endswith(
        "It gave the same answer at every h: is h used?"
    )


@pytest.mark.parametrize(
    ("student", "check"),
    [("sign_over_abs", "interpret_sign_at_zero"),
     ("sign_over_abs", "interpret_sign_worked_example"),
     ("sign_tol_or_default", "interpret_sign_at_zero"),
     ("sign_ignores_tol", "interpret_sign_within_tol"),
     ("sign_ignores_tol", "interpret_sign_exactly_at_tol")],
)  # fmt: skip
def test_interpret_sign_at_zero_and_with_its_tol(variant_grades, student, check) -> None:
    lost_only(variant_grades, student, "interpret_sign")
    assert check in messages(variant_grades, student, "interpret_sign")


def test_an_ignored_tol_and_a_tol_of_0_taken_for_none_are_told_apart(variant_grades) -> None:
    """Both say 'stationary' for 1e-300 with tol = 0; a tol below the default, given, is where
    only the first is wrong, so each is named by its own cause, and never by the other's."""
    ignored = messages(variant_grades, "sign_ignores_tol", "interpret_sign")
    zero_as_none = messages(variant_grades, "sign_tol_or_default", "interpret_sign")
    assert ignored["interpret_sign_at_zero"].endswith(
        "This looks like the tol given ignored (1e-8 whatever tol is)."
    )
    assert zero_as_none["interpret_sign_at_zero"].endswith(
        "This looks like tol = 0 taken for no tol given (tol or 1e-8), where 0 is a tolerance too."
    )
    assert not any("tol = 0 taken" in message for message in ignored.values())


def test_the_shape_the_contract_names_is_kept(variant_grades) -> None:
    """A flattened answer fails on the (2, 3) array and the (3, 1) column; 2 * x in the array's
    own dtype (int, float32) is the right answer in another real dtype and passes."""
    lost_only(variant_grades, "derivative_flattens", "derivative")
    failing = messages(variant_grades, "derivative_flattens", "derivative")
    assert {"derivative_random_array_keeps_its_shape",
            "derivative_of_any_real_dtype_and_shape"} <= set(failing)  # fmt: skip
    kept = variant_grades["derivative_keeps_dtype"]
    assert kept.points == kept.max_points


def test_the_derivative_at_0_is_asked(variant_grades) -> None:
    lost_only(variant_grades, "derivative_over_x", "derivative")
    failing = messages(variant_grades, "derivative_over_x", "derivative")
    assert failing["derivative_of_numbers"].startswith("derivative(0.0) returned nan")
