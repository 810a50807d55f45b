"""course.toml is read into the dataclasses the grader uses, and every author mistake is caught.

Each kind of mistake is written into a private copy of a small course (with its own tiny exercise
and solution modules) and must come back as one sentence that names the file and the dotted key,
because that sentence is all a course author sees: the command line prints it instead of a
traceback.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from grader.course.config import (
    Course,
    CourseError,
    Exercise,
    Limits,
    find_course,
    load_course,
    module_functions,
)

REPO = Path(__file__).resolve().parent.parent

# CURRICULUM.md's tables, in their order (the fixed contract with the students).
CURRICULUM: dict[str, list[str]] = {
    "derivatives": [
        "derivative",
        "tangent_estimate",
        "forward_difference",
        "central_difference",
        "second_derivative",
        "interpret_sign",
        "symbolic_derivative",
    ],
    "gradients": [
        "partial_derivative",
        "gradient",
        "quadratic_gradient",
        "hessian",
        "directional_derivative",
        "steepest_ascent_direction",
        "classify_stationary_point",
        "gradient_check",
    ],
    "descent": [
        "descent_step",
        "gradient_descent",
        "learning_rate_regime",
        "max_stable_learning_rate",
        "mse_gradient",
        "minibatches",
        "sgd_epoch",
        "momentum_step",
    ],
    "backprop": [
        "chain_rule_derivative",
        "sigmoid_derivative",
        "relu_derivative",
        "mlp_gradients",
        "clip_by_norm",
        "adagrad_step",
        "rmsprop_step",
        "adam_step",
        "newton_step",
    ],
}

MINI_TOML = """\
[course]
id = "mini"
title = "A small course"
seed = 7

[limits]
seconds_per_call = 1.5
seconds_per_submission = 30
memory_mb = 256

[assignments.alpha]
title = "Alpha"
module = "exercises/alpha.py"
solution = "solutions/alpha.py"
given = ["helper"]

[assignments.alpha.exercises]
first = 1
second = 2.5

[assignments.alpha.limits]
memory_mb = 128
"""

STUB = """\
def helper(x):
    return x


def first(x):
    raise NotImplementedError


def second(x):
    def inner():  # nested: not a function of the module
        pass

    raise NotImplementedError


def _private(x):
    return x
"""

SOLUTION = """\
def helper(x):
    return x


def _shared(x):
    return x


def first(x):
    return _shared(x)


def second(x):
    return 2 * x
"""


def write_course(
    folder: Path, toml: str = MINI_TOML, stub: str = STUB, solution: str = SOLUTION
) -> Path:
    """A small course in `folder` (course.toml, exercises/alpha.py, solutions/alpha.py)."""
    (folder / "exercises").mkdir(parents=True, exist_ok=True)
    (folder / "solutions").mkdir(exist_ok=True)
    (folder / "exercises" / "alpha.py").write_text(stub)
    (folder / "solutions" / "alpha.py").write_text(solution)
    path = folder / "course.toml"
    path.write_text(toml)
    return path


def edited(old: str, new: str) -> str:
    """MINI_TOML with every `old` (which must be there) replaced by `new`."""
    assert old in MINI_TOML, old
    return MINI_TOML.replace(old, new)


def course_error(path: Path) -> str:
    """The message of the CourseError that loading `path` must raise."""
    with pytest.raises(CourseError) as caught:
        load_course(path)
    return str(caught.value)


def assert_one_sentence(message: str) -> None:
    """What a user reads: a single line, no traceback, ending like a sentence."""
    assert "\n" not in message
    assert "Traceback" not in message
    assert message.endswith(".")


# --- the shipped course -----------------------------------------------------------------------


def test_shipped_course_has_the_curriculum_assignments_in_order() -> None:
    course = load_course(REPO / "course.toml")
    assert course.id == "gradkit-calculus-ml"
    assert course.path == (REPO / "course.toml").resolve()
    assert course.root == REPO
    assert [a.id for a in course.assignments] == ["derivatives", "gradients", "descent", "backprop"]
    for assignment in course.assignments:
        assert [e.id for e in assignment.exercises] == CURRICULUM[assignment.id]
        assert assignment.module == REPO / "exercises" / f"{assignment.id}.py"
        assert assignment.solution == REPO / "solutions" / f"{assignment.id}.py"
        assert all(e.points > 0 for e in assignment.exercises)
    assert sum(len(a.exercises) for a in course.assignments) == 32
    assert course.assignment("derivatives").given == ("objective",)
    assert course.assignment("backprop").given == ("sigmoid", "mlp_loss")


def test_shipped_course_limits_and_seed_have_the_documented_types() -> None:
    course = load_course(REPO / "course.toml")
    assert isinstance(course.seed, int) and course.seed >= 0
    assert course.limits == Limits(2.0, 60.0, 512)
    assert all(a.limits == course.limits for a in course.assignments)


# --- a valid small course ---------------------------------------------------------------------


def test_small_course_loads_with_overrides_given_and_private_helpers(tmp_path: Path) -> None:
    course = load_course(write_course(tmp_path))
    assert (course.id, course.title, course.seed) == ("mini", "A small course", 7)
    assert course.limits == Limits(1.5, 30.0, 256)
    alpha = course.assignment("alpha")
    # Only memory_mb is overridden; the seconds come from the course-wide [limits].
    assert alpha.limits == Limits(1.5, 30.0, 128)
    assert alpha.exercises == (Exercise("first", 1.0), Exercise("second", 2.5))
    assert isinstance(alpha.exercises[0].points, float)
    assert isinstance(course.limits.seconds_per_submission, float)
    assert alpha.max_points == 3.5
    assert alpha.given == ("helper",)
    assert alpha.module == (tmp_path / "exercises" / "alpha.py").resolve()
    assert alpha.solution == (tmp_path / "solutions" / "alpha.py").resolve()
    assert alpha.exercise("second").points == 2.5


def test_relative_path_is_resolved_and_messages_use_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_course(tmp_path, edited("seed = 7", "seed = -7"))
    monkeypatch.chdir(tmp_path)
    message = course_error(Path("course.toml"))
    assert message.startswith("course.toml: course.seed: ")
    write_course(tmp_path)
    assert load_course("course.toml").path == (tmp_path / "course.toml").resolve()


def test_dataclasses_are_frozen(tmp_path: Path) -> None:
    course = load_course(write_course(tmp_path))
    alpha = course.assignments[0]
    targets = [
        (course, "seed"),
        (course.limits, "memory_mb"),
        (alpha, "title"),
        (alpha.exercises[0], "points"),
    ]
    for target, field in targets:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(target, field, 1)
    assert isinstance(course.assignments, tuple) and isinstance(alpha.given, tuple)


def test_unknown_assignment_names_it_and_lists_the_known_ones(tmp_path: Path) -> None:
    course: Course = load_course(write_course(tmp_path))
    with pytest.raises(CourseError) as caught:
        course.assignment("beta")
    message = str(caught.value)
    assert "'beta'" in message and "alpha" in message and "course.toml" in message
    assert_one_sentence(message)


def test_unknown_exercise_names_it_and_lists_the_known_ones(tmp_path: Path) -> None:
    alpha = load_course(write_course(tmp_path)).assignment("alpha")
    with pytest.raises(CourseError) as caught:
        alpha.exercise("third")
    message = str(caught.value)
    assert "'third'" in message and "first, second" in message
    assert_one_sentence(message)


# --- one test per kind of mistake in course.toml ----------------------------------------------

# (test id, text to replace in MINI_TOML, replacement, dotted key, words the sentence must hold)
TOML_MISTAKES = [
    ("unknown-top-key", "[course]", "[extras]\nx = 1\n\n[course]", "extras", "course, limits"),
    ("unknown-course-key", "seed = 7", 'seed = 7\nname = "x"', "course.name", "unknown key"),
    (
        "unknown-assignment-key-typo",
        'module = "exercises/alpha.py"',
        'modul = "exercises/alpha.py"',
        "assignments.alpha.modul",
        "did you mean module?",
    ),
    (
        "unknown-limit-override",
        "memory_mb = 128",
        "memory = 128",
        "assignments.alpha.limits.memory",
        "seconds_per_call, seconds_per_submission, memory_mb",
    ),
    ("missing-seed", "seed = 7\n", "", "course.seed", "add seed = <a whole number >= 0>"),
    (
        "missing-limits-table",
        "[limits]\nseconds_per_call = 1.5\nseconds_per_submission = 30\nmemory_mb = 256\n",
        "",
        "limits",
        "add a [limits] table",
    ),
    (
        "missing-solution",
        'solution = "solutions/alpha.py"\n',
        "",
        "assignments.alpha.solution",
        "add solution = <a path relative to course.toml> under [assignments.alpha]",
    ),
    (
        "string-for-number",
        "seconds_per_call = 1.5",
        'seconds_per_call = "1.5"',
        "limits.seconds_per_call",
        'must be a positive number, got "1.5"',
    ),
    (
        "bool-for-int",
        "memory_mb = 256",
        "memory_mb = true",
        "limits.memory_mb",
        "must be a positive whole number, got true",
    ),
    ("float-seed", "seed = 7", "seed = 7.5", "course.seed", "got 7.5"),
    ("negative-seed", "seed = 7", "seed = -1", "course.seed", "whole number >= 0, got -1"),
    ("bool-seed", "seed = 7", "seed = false", "course.seed", "got false"),
    ("empty-title", 'title = "Alpha"', 'title = ""', "assignments.alpha.title", "non-empty"),
    (
        "number-for-path",
        'module = "exercises/alpha.py"',
        "module = 3",
        "assignments.alpha.module",
        "module must be a path relative to course.toml, got 3",
    ),
    (
        "given-not-a-list",
        'given = ["helper"]',
        'given = "helper"',
        "assignments.alpha.given",
        "must be a list of function names",
    ),
    (
        "negative-points",
        "second = 2.5",
        "second = -1",
        "assignments.alpha.exercises.second",
        "points must be a number >= 0 (0 for an ungraded practice exercise), got -1",
    ),
    ("nan-points", "first = 1", "first = nan", "assignments.alpha.exercises.first", "got nan."),
    ("string-points", "first = 1", 'first = "1"', "assignments.alpha.exercises.first", 'got "1"'),
    (
        "zero-limit",
        "seconds_per_call = 1.5",
        "seconds_per_call = 0",
        "limits.seconds_per_call",
        "seconds_per_call must be a positive number, got 0.",
    ),
    (
        "infinite-limit",
        "seconds_per_submission = 30",
        "seconds_per_submission = inf",
        "limits.seconds_per_submission",
        "got inf",
    ),
    (
        "non-positive-override",
        "memory_mb = 128",
        "memory_mb = 0",
        "assignments.alpha.limits.memory_mb",
        "positive whole number",
    ),
    (
        "module-missing",
        'module = "exercises/alpha.py"',
        'module = "exercises/beta.py"',
        "assignments.alpha.module",
        "exercises/beta.py does not exist",
    ),
    (
        "solution-missing",
        'solution = "solutions/alpha.py"',
        'solution = "solutions/beta.py"',
        "assignments.alpha.solution",
        "solutions/beta.py does not exist",
    ),
    (
        "exercise-not-in-module",
        "second = 2.5",
        "second = 2.5\nthird = 1",
        "assignments.alpha.exercises.third",
        "third is not a function of exercises/alpha.py",
    ),
    (
        "function-not-listed",
        "second = 2.5\n",
        "",
        "assignments.alpha.exercises",
        "exercises/alpha.py defines second but assignments.alpha.exercises does not list it; "
        "add it with its points or list it under given",
    ),
    (
        "given-not-in-module",
        'given = ["helper"]',
        'given = ["helper", "ghost"]',
        "assignments.alpha.given",
        "ghost is not a function of exercises/alpha.py",
    ),
    (
        "given-twice",
        'given = ["helper"]',
        'given = ["helper", "helper"]',
        "assignments.alpha.given",
        "listed twice",
    ),
    (
        "given-also-graded",
        'given = ["helper"]',
        'given = ["helper", "first"]',
        "assignments.alpha.given",
        "first is also an exercise",
    ),
    (
        "no-exercises",
        "first = 1\nsecond = 2.5\n",
        "",
        "assignments.alpha.exercises",
        "lists no exercises",
    ),
    (
        "assignment-id-not-identifier",
        "assignments.alpha",
        'assignments."al-pha"',
        "assignments.al-pha",
        '"al-pha"',
    ),
    (
        "exercise-id-not-identifier",
        "first = 1",
        '"1st" = 1',
        "assignments.alpha.exercises.1st",
        "exercise ids must be identifiers",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "key", "words"),
    [case[1:] for case in TOML_MISTAKES],
    ids=[case[0] for case in TOML_MISTAKES],
)
def test_each_mistake_is_one_sentence_naming_file_and_key(
    tmp_path: Path, old: str, new: str, key: str, words: str
) -> None:
    path = write_course(tmp_path, edited(old, new))
    message = course_error(path)
    assert message.startswith(f"{path}: {key}: ")
    assert words in message
    assert_one_sentence(message)


def test_negative_points_sentence_is_exactly_the_documented_one(tmp_path: Path) -> None:
    path = write_course(tmp_path, edited("second = 2.5", "second = -1"))
    assert course_error(path) == (
        f"{path}: assignments.alpha.exercises.second: points must be a number >= 0 (0 for an "
        "ungraded practice exercise), got -1."
    )


def test_an_exercise_worth_no_points_is_a_practice_exercise(tmp_path: Path) -> None:
    """0 points is allowed (checks and feedback, no points), even for every exercise."""
    toml = edited("second = 2.5", "second = 0").replace("first = 1", "first = 0.0")
    path = write_course(tmp_path, toml)
    alpha = load_course(path).assignment("alpha")
    assert [exercise.points for exercise in alpha.exercises] == [0.0, 0.0]
    assert alpha.max_points == 0.0


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = write_course(tmp_path, edited("seed = 7", "seed = = 7"))
    message = course_error(path)
    assert message.startswith(f"{path} is not valid TOML")
    assert "line 4" in message
    assert_one_sentence(message)


def test_missing_file_names_it(tmp_path: Path) -> None:
    message = course_error(tmp_path / "nowhere.toml")
    assert str(tmp_path / "nowhere.toml") in message and "does not exist" in message
    assert_one_sentence(message)


def test_no_assignments(tmp_path: Path) -> None:
    toml = MINI_TOML.split("[assignments.alpha]")[0] + "[assignments]\n"
    path = write_course(tmp_path, toml)
    message = course_error(path)
    assert message.startswith(f"{path}: assignments: ")
    assert "add at least one [assignments.<id>] table" in message
    assert_one_sentence(message)


def test_solution_lacking_an_exercise(tmp_path: Path) -> None:
    path = write_course(tmp_path, solution=SOLUTION.split("def second")[0])
    message = course_error(path)
    assert message.startswith(f"{path}: assignments.alpha.solution: ")
    assert "solutions/alpha.py does not define second" in message
    assert_one_sentence(message)


def test_module_with_a_syntax_error(tmp_path: Path) -> None:
    path = write_course(tmp_path, stub=STUB + "\ndef broken(:\n")
    message = course_error(path)
    assert message.startswith(f"{path}: assignments.alpha.module: ")
    assert "exercises/alpha.py has a syntax error at line" in message
    assert_one_sentence(message)


# --- module_functions -------------------------------------------------------------------------


def test_module_functions_lists_top_level_defs_in_order_without_importing(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "raise SystemExit('imported')\n"
        "def b(): pass\n"
        "class C:\n    def method(self): pass\n"
        "async def a(): pass\n"
        "def _c():\n    def nested(): pass\n"
        "value = 1\n"
    )
    assert module_functions(module) == ("b", "a", "_c")


def test_module_functions_reports_unreadable_and_broken_modules(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match=r"missing\.py could not be read"):
        module_functions(tmp_path / "missing.py")
    broken = tmp_path / "broken.py"
    broken.write_text("x = 1\nif True\n")
    with pytest.raises(CourseError, match=r"broken\.py has a syntax error at line 2") as caught:
        module_functions(broken)
    assert_one_sentence(str(caught.value))


# --- find_course ------------------------------------------------------------------------------


def test_find_course_uses_cwd(tmp_path: Path) -> None:
    path = write_course(tmp_path)
    assert find_course(cwd=tmp_path) == path.resolve()


def test_find_course_without_course_in_cwd(tmp_path: Path) -> None:
    with pytest.raises(CourseError) as caught:
        find_course(cwd=tmp_path)
    assert str(caught.value) == (
        f"no course.toml in {tmp_path}; run from the course folder or pass --course PATH."
    )


def test_find_course_explicit_path_wins_and_is_relative_to_cwd(tmp_path: Path) -> None:
    write_course(tmp_path)  # a course.toml in cwd that the explicit path must override
    other = tmp_path / "other"
    other_path = write_course(other)
    assert find_course("other/course.toml", cwd=tmp_path) == other_path.resolve()
    assert find_course(other_path, cwd=REPO) == other_path.resolve()
    assert find_course("other", cwd=tmp_path) == other_path.resolve()


def test_find_course_explicit_missing(tmp_path: Path) -> None:
    write_course(tmp_path)
    with pytest.raises(CourseError) as caught:
        find_course(tmp_path / "absent.toml", cwd=tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "absent.toml") in message and "--course" in message
    assert_one_sentence(message)
