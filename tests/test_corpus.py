"""Every assignment's checks judged by its corpus of submissions (`tests/corpus/<assignment>/`).

`correct_*.py` files are right in different ways (vectorised, loops, other valid forms, numpy
scalars) and must score full marks. Each `wrong_*.py` is the reference solution with one mistake;
its docstring says which exercises the mistake breaks (`Breaks: a, b`) and what the failing
messages must say (`Named in a, b: words`). Every other exercise must keep full marks. Each
corpus is graded once per test session, in one run of the real engine (`corpus_grades`).
"""

from __future__ import annotations

import ast

import pytest
from conftest import CORPUS_ROOT, REPO

from grader.course.config import load_course
from grader.grading.results import SubmissionResult

COURSE = load_course(REPO / "course.toml")
# backprop's wrong and right submissions are written inline in tests/test_checks_backprop.py.
ASSIGNMENTS = [a.id for a in COURSE.assignments if (CORPUS_ROOT / a.id).is_dir()]

# CURRICULUM.md's misconceptions (and the issue's), each with a submission of its own.
MISCONCEPTIONS = {
    "derivatives": {
        "wrong_factor_two_forgotten", "wrong_forward_difference", "wrong_divide_by_h",
        "wrong_integer_truncation", "wrong_sign_swapped", "wrong_symbolic_always_x",
    },
    "gradients": {
        "wrong_forward_difference", "wrong_divide_by_h", "wrong_integer_truncation",
        "wrong_quadratic_plain", "wrong_directional_unnormalised", "wrong_steepest_descent",
        "wrong_classify_swapped", "wrong_hessian_diagonal", "wrong_hessian_upper",
        "wrong_check_no_floor", "wrong_steepest_zero_nan", "wrong_classify_determinant",
    },
    "descent": {
        "wrong_step_ascent", "wrong_trajectory_ascent", "wrong_momentum_ascent",
        "wrong_trajectory_aliased", "wrong_regime_strict_one", "wrong_regime_strict_two",
        "wrong_stable_smallest", "wrong_stable_trace", "wrong_stable_diagonal",
        "wrong_stable_no_factor_two", "wrong_mse_no_factor_two", "wrong_mse_no_mean",
        "wrong_mse_not_transposed", "wrong_mse_column", "wrong_batches_legacy_seed",
        "wrong_batches_unshuffled", "wrong_batches_sorted", "wrong_batches_drop_last",
        "wrong_batches_lists", "wrong_momentum_convention", "wrong_momentum_lr_inside",
        "wrong_momentum_beta_on_grad", "wrong_momentum_swapped", "wrong_step_in_place",
        "wrong_trajectory_x0_in_place", "wrong_epoch_in_place", "wrong_momentum_velocity_in_place",
    },
}  # fmt: skip


def test_every_assignment_has_its_wrong_submissions_graded() -> None:
    """By a corpus here, or by a test module of its checks that grades them with the engine."""
    for assignment in COURSE.assignments:
        module = REPO / "tests" / f"test_checks_{assignment.id}.py"
        assert assignment.id in ASSIGNMENTS or "grade(" in module.read_text(), assignment.id
    assert ASSIGNMENTS[:3] == ["derivatives", "gradients", "descent"]


def students(prefix: str) -> list[tuple[str, str]]:
    """(assignment, student) for every corpus file whose name starts with `prefix`."""
    return [
        (assignment, path.stem)
        for assignment in ASSIGNMENTS
        for path in sorted((CORPUS_ROOT / assignment).glob(f"{prefix}*.py"))
    ]


CORRECT, WRONG = students("correct_"), students("wrong_")


def exercises_of(assignment: str) -> list[str]:
    return [exercise.id for exercise in COURSE.assignment(assignment).exercises]


def declared(assignment: str, student: str) -> tuple[set[str], dict[str, str]]:
    """The exercises a corpus file says it breaks, and the words each one's message must hold."""
    source = (CORPUS_ROOT / assignment / f"{student}.py").read_text()
    broken: set[str] = set()
    named: dict[str, str] = {}
    for line in (ast.get_docstring(ast.parse(source)) or "").splitlines():
        if line.startswith("Breaks:"):
            broken = {name.strip() for name in line.removeprefix("Breaks:").split(",")}
        elif line.startswith("Named in "):
            exercises, words = line.removeprefix("Named in ").split(":", 1)
            named.update({name.strip(): words.strip() for name in exercises.split(",")})
    assert broken and set(named) <= broken <= set(exercises_of(assignment)), student
    return broken, named


def failing_messages(result: SubmissionResult, exercise: str) -> list[str]:
    return [check.message for check in result.exercises[exercise].checks if not check.passed]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_corpus_covers_the_misconceptions(assignment: str) -> None:
    names = {student for chosen, student in WRONG if chosen == assignment}
    assert len([1 for chosen, _ in CORRECT if chosen == assignment]) >= 3
    assert MISCONCEPTIONS[assignment] <= names


@pytest.mark.parametrize(("assignment", "student"), CORRECT)
def test_correct_submissions_score_full_marks(corpus_grades, assignment, student) -> None:
    result = corpus_grades(assignment)[student]
    assert result.error is None
    failures = {
        e: failing_messages(result, e)
        for e in exercises_of(assignment)
        if failing_messages(result, e)
    }
    assert failures == {}
    assert result.points == result.max_points


@pytest.mark.parametrize(("assignment", "student"), WRONG)
def test_each_mistake_costs_exactly_the_exercises_it_breaks(
    corpus_grades, assignment, student
) -> None:
    result = corpus_grades(assignment)[student]
    broken, _ = declared(assignment, student)
    assert result.error is None
    lost = {e for e, exercise in result.exercises.items() if exercise.points < exercise.max_points}
    assert lost == broken


@pytest.mark.parametrize(("assignment", "student"), WRONG)
def test_the_failing_message_names_the_mistake(corpus_grades, assignment, student) -> None:
    _, named = declared(assignment, student)
    for exercise, words in named.items():
        messages = failing_messages(corpus_grades(assignment)[student], exercise)
        assert any(words.lower() in message.lower() for message in messages), (exercise, messages)


@pytest.mark.parametrize(("assignment", "student"), CORRECT + WRONG)
def test_public_failures_also_fail_a_hidden_check(corpus_grades, assignment, student) -> None:
    """Whatever a public check catches, a hidden check of the same exercise catches too."""
    for exercise in corpus_grades(assignment)[student].exercises.values():
        public = [c for c in exercise.checks if not c.hidden and not c.passed]
        hidden_failed = [c for c in exercise.checks if c.hidden and not c.passed]
        assert not public or hidden_failed, (exercise.exercise, public)


@pytest.mark.parametrize(("assignment", "student"), WRONG)
def test_messages_are_plain_sentences(corpus_grades, assignment, student) -> None:
    """No traceback, no fault of a check, and each message short enough to read."""
    result = corpus_grades(assignment)[student]
    for exercise in exercises_of(assignment):
        for message in failing_messages(result, exercise):
            assert "Traceback" not in message
            assert "could not judge" not in message
            assert len(message) < 700
            assert message.rstrip().endswith(".")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_partial_credit_is_shared_by_weight(corpus_grades, assignment) -> None:
    """Each exercise's checks, at least two of them hidden, add up to its points, and passing all
    of them earns exactly those."""
    result = corpus_grades(assignment)["correct_loops"]
    for exercise in result.exercises.values():
        shares = sum(check.max_points for check in exercise.checks)
        assert shares == pytest.approx(exercise.max_points)
        assert exercise.points == exercise.max_points
        assert len(exercise.checks) >= 3
        assert sum(check.hidden for check in exercise.checks) >= 2
