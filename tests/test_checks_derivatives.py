"""The checks of assignment `derivatives`, judged by a corpus of submissions graded in one run.

`tests/corpus/derivatives/correct_*.py` are right in different ways and must score full marks.
Each `wrong_*.py` is the reference solution with one mistake; its docstring says which exercises
the mistake breaks (`Breaks: a, b`) and what the failing messages must say (`Named in a: words`).
Every other exercise must keep full marks. The remaining tests pin the inputs the checks rely on:
that every known wrong formula gives another answer there, so that each can be caught and named.
"""

from __future__ import annotations

import ast
import itertools
import warnings
from pathlib import Path

import numpy as np
import pytest

from grader.checks.known import derivatives as known
from grader.course import load_course
from grader.grading import grade
from grader.results import SubmissionResult
from grader.submissions import discover

with warnings.catch_warnings():
    # the check marker is registered in grading sessions only (grader/checks/pytest.ini)
    warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
    from grader.checks.hidden import derivatives as hidden

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus" / "derivatives"
COURSE = load_course(REPO / "course.toml")
EXERCISES = [exercise.id for exercise in COURSE.assignment("derivatives").exercises]
CORRECT = sorted(path.stem for path in CORPUS.glob("correct_*.py"))
WRONG = sorted(path.stem for path in CORPUS.glob("wrong_*.py"))


@pytest.fixture(scope="module")
def graded() -> dict[str, SubmissionResult]:
    """Every corpus submission graded by the real engine, public and hidden checks, in one run."""
    assignment = COURSE.assignment("derivatives")
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


def test_corpus_covers_the_curriculum_misconceptions() -> None:
    """CURRICULUM.md's misconceptions for this assignment, each with a submission of its own."""
    assert len(CORRECT) >= 3
    expected = {
        "wrong_factor_two_forgotten", "wrong_forward_difference", "wrong_divide_by_h",
        "wrong_integer_truncation", "wrong_sign_swapped", "wrong_symbolic_always_x",
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
    """Each exercise's checks add up exactly to its points, so full marks show as full."""
    result = graded[CORRECT[0]]
    for exercise in result.exercises.values():
        assert sum(check.max_points for check in exercise.checks) == pytest.approx(
            exercise.max_points
        )
        assert exercise.points == exercise.max_points
        assert len(exercise.checks) >= 3


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
    """Over the four interpret_sign checks, each wrong rule gives some label other than the
    right one, and no case list holds "stationary" alone."""
    rng = np.random.default_rng(seed)
    cases = [case for name in ("far", "within", "at", "beyond") for case in hidden.sign_cases(
        name, np.random.default_rng(seed))]  # fmt: skip
    for name in ("far", "within", "at", "beyond"):
        right = [_reference_sign(*args, **kwargs) for args, kwargs in hidden.sign_cases(name, rng)]
        assert set(right) != {"stationary"}, name
    for wrong in known.SIGN_MISTAKES.values():
        assert any(
            wrong(*args, **kwargs) != _reference_sign(*args, **kwargs) for args, kwargs in cases
        )


def _reference_sign(d: float, tol: float = 1e-8) -> str:
    return "increasing" if d > tol else "decreasing" if d < -tol else "stationary"
