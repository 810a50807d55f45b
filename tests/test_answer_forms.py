"""Right answers in every form the contract allows score full marks, graded by the real engine.

CURRICULUM.md asks for "a float (Python or numpy scalar)" where a number is asked, "a str from the
stated vocabulary" where a label is asked, and, for `symbolic_derivative`, a string of which "any
mathematically equivalent form is right". Each submission here is the reference solution with its
functions wrapped so that they return the same answer in another form: a numpy float64, a 0-d
array (`np.array(v)`, `np.asarray(v)`, `np.where(...)`, a reduction with `keepdims`), a numpy
longdouble, an int or a 0-d int array where the answer is a whole number; a label as a numpy.str_
(an item of an array of labels), as a 0-d str array, or as a str subclass that lies in every
method but keeps the right characters; a derivative printed by SymPy after `rewrite(exp)` (with
`I`) or `rewrite(tan)`. Each must score full marks, while the same lies around a wrong label, and
a right derivative plus a term that vanishes on a grid or is tiny, lose their exercise only.
float32 answers are judged by their value like any other: they pass where the tolerance allows
their rounding and fail, naming the dtype, where it does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, by_student, reference_source

from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.results import SubmissionResult
from grader.grading.run import grade

COURSE = load_course(REPO / "course.toml")
ASSIGNMENTS = [assignment.id for assignment in COURSE.assignments]

# CURRICULUM.md's number-valued exercises (`derivative` is one for a number, an array for an
# array: the wrappers leave arrays alone), labels and symbolic answers, per assignment.
NUMBERS = {
    "derivatives": ("derivative", "tangent_estimate", "forward_difference", "central_difference",
                    "second_derivative"),
    "gradients": ("partial_derivative", "directional_derivative", "gradient_check"),
    "descent": ("max_stable_learning_rate",),
    "backprop": ("chain_rule_derivative", "sigmoid_derivative"),
}  # fmt: skip
LABELS = {
    "derivatives": ("interpret_sign",),
    "gradients": ("classify_stationary_point",),
    "descent": ("learning_rate_regime",),
    "backprop": (),
}
SYMBOLIC = {"derivatives": ("symbolic_derivative",), "gradients": (), "descent": (), "backprop": ()}

# How each form is made from the reference's answer `v` (a Python float, or a str).
NUMBER_FORMS = {
    "number_float64": "np.float64(v)",
    "number_array": "np.array(v)",
    "number_asarray": "np.asarray(v, dtype=np.float64)",
    "number_where": "np.where(True, v, 0.0)",
    "number_keepdims": "np.asarray(v).sum(keepdims=True)",
    "number_longdouble": "np.longdouble(v)",
    "number_int_where_whole": "int(v) if float(v).is_integer() else v",
    "number_int_array_where_whole": "np.array(int(v)) if float(v).is_integer() else np.array(v)",
}
LABEL_FORMS = {
    "label_numpy_str": "np.array([v, 'other'])[0]",
    "label_0d_array": "np.where(True, v, 'other')",
    "label_lying_subclass": "_Liar(v)",
}
SYMBOLIC_FORMS = {
    "symbolic_numpy_str": "np.array([v])[0]",
    "symbolic_rewritten_exp": "str(sympy.sympify(v).rewrite(sympy.exp))",
    "symbolic_rewritten_tan": "str(sympy.sympify(v).rewrite(sympy.tan))",
    "symbolic_lying_subclass": "_Liar(v)",
}
# Answers that must lose exactly the exercises they are given to.
WRONG_FORMS = {
    "wrong_label_lying_subclass": ("label", "_Liar('nonsense')"),
    "wrong_symbolic_lying_subclass": ("symbolic", "_Liar('x')"),
    "wrong_symbolic_grid_wiggle": ("symbolic", "v + ' + 1000*sin(100*pi*x)'"),
    "wrong_symbolic_large_frequency": ("symbolic", "v + ' + sin(2**60*pi*x)'"),
    "wrong_symbolic_tiny_term": ("symbolic", "v + ' + 1e-9*x'"),
}

LIAR = '''

class _Liar(str):
    """Equal to everything, and saying it is whatever it is compared with."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0

    def __str__(self):
        return "increasing"

    def __repr__(self):
        return "'increasing'"

    def __iter__(self):
        return iter("increasing")

    def __len__(self):
        return 10
'''


def wrapped(source: str, functions: tuple[str, ...], form: str) -> str:
    """`source` with each of `functions` returning `form` of its answer (arrays left alone)."""
    lines = [source, "import numpy as np", "import sympy", LIAR]
    for name in functions:
        lines.append(
            f"_reference_{name} = {name}\n\n"
            f"def {name}(*args, **kwargs):\n"
            f"    v = _reference_{name}(*args, **kwargs)\n"
            f"    if isinstance(v, np.ndarray):\n"
            f"        return v\n"
            f"    return {form}\n"
        )
    return "\n".join(lines)


def submissions(assignment: str) -> dict[str, tuple[str, set[str]]]:
    """Student name -> (source, the exercises it must lose)."""
    source = reference_source(assignment)
    made = {"number_float32": (wrapped(source, NUMBERS[assignment], "np.float32(v)"), set())}
    for name, form in NUMBER_FORMS.items():
        made[name] = (wrapped(source, NUMBERS[assignment], form), set())
    for name, form in LABEL_FORMS.items():
        made[name] = (wrapped(source, LABELS[assignment], form), set())
    if SYMBOLIC[assignment]:
        for name, form in SYMBOLIC_FORMS.items():
            made[name] = (wrapped(source, SYMBOLIC[assignment], form), set())
    for name, (kind, form) in WRONG_FORMS.items():
        functions = LABELS[assignment] if kind == "label" else SYMBOLIC[assignment]
        if functions:
            made[name] = (wrapped(source, functions, form), set(functions))
    return made


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, SubmissionResult]]:
    """Every assignment's submissions, graded once by the real engine (sandbox and all)."""
    results = {}
    for assignment in ASSIGNMENTS:
        folder: Path = tmp_path_factory.mktemp(assignment)
        for name, (source, _) in submissions(assignment).items():
            (folder / f"{name}.py").write_text(source)
        chosen = COURSE.assignment(assignment)
        results[assignment] = by_student(grade(COURSE, chosen, discover(folder, assignment),
                                               jobs=2))  # fmt: skip
    return results


def failures(result: SubmissionResult) -> dict[str, list[str]]:
    """Exercise -> the messages of its failing checks, for exercises that lost points."""
    return {
        name: [check.message for check in exercise.checks if not check.passed]
        for name, exercise in result.exercises.items()
        if exercise.points < exercise.max_points
    }


CASES = [
    (assignment, name)
    for assignment in ASSIGNMENTS
    for name in submissions(assignment)
    if name != "number_float32"
]


@pytest.mark.parametrize(("assignment", "student"), CASES)
def test_each_form_costs_exactly_what_it_breaks(graded, assignment: str, student: str) -> None:
    result = graded[assignment][student]
    assert result.error is None
    _, loses = submissions(assignment)[student]
    assert set(failures(result)) == loses, failures(result)
    for exercise in loses:
        assert result.exercises[exercise].points == 0, failures(result)


def test_every_number_valued_exercise_is_covered() -> None:
    """The exercises wrapped here are all of the course's that return one number or one label."""
    covered = {name for assignment in ASSIGNMENTS for name in NUMBERS[assignment]}
    assert len(covered) == 11
    every = {exercise.id for assignment in COURSE.assignments for exercise in assignment.exercises}
    assert covered | {n for names in LABELS.values() for n in names} <= every


def test_a_lying_label_is_shown_by_its_real_characters(graded) -> None:
    messages = failures(graded["derivatives"]["wrong_label_lying_subclass"])["interpret_sign"]
    assert any("returned 'nonsense', which is not one of" in message for message in messages)


def test_terms_vanishing_on_a_grid_are_named_by_a_point_where_they_do_not(graded) -> None:
    for student in ("wrong_symbolic_grid_wiggle", "wrong_symbolic_large_frequency",
                    "wrong_symbolic_tiny_term"):  # fmt: skip
        messages = failures(graded["derivatives"][student])["symbolic_derivative"]
        assert messages and all("is not equivalent to the expected answer: at " in message
                                for message in messages), messages  # fmt: skip


def test_float32_is_judged_by_its_value_and_its_failures_name_the_dtype(graded) -> None:
    """float32 keeps about 7 digits: the closed forms (rtol 1e-8) and the finite differences
    (their own rounding error in float64) refuse it, each message saying why; a check whose
    tolerance allows its rounding accepts it."""
    for assignment in ASSIGNMENTS:
        result = graded[assignment]["number_float32"]
        lost = failures(result)
        # the reference's gradient and hessian call its partial_derivative, float32 here
        assert set(lost) <= set(NUMBERS[assignment]) | {"gradient", "hessian"}
        for exercise, messages in lost.items():
            for message in messages if exercise in NUMBERS[assignment] else ():
                # the convergence order measures the method, which float32 rounding blurs
                assert "numpy float32" in message or "the error" in message, (exercise, message)
        passed = [check for exercise in result.exercises.values() for check in exercise.checks
                  if check.passed and exercise.exercise in NUMBERS[assignment]]  # fmt: skip
        assert passed, assignment
