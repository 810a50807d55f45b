"""`grader validate` on small courses written here: a valid one, and one of each mistake.

Everything is real: the command line, the sandbox grading the reference and the stub, the
in-process session grading the named wrong formulas, and the student release built and run.
Each course is one assignment of two exercises, so that a whole validation takes seconds.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.cli.main import main

STUB = '''
"""Basics: doubling and squaring."""

import numpy as np


def double(x):
    """Return 2 * x as a float."""
    raise NotImplementedError("Return 2 * x.")


def square(x):
    """Return x ** 2 as a float."""
    raise NotImplementedError("Return x ** 2.")
'''
SOLUTION = '''
"""Reference solutions of the basics."""

import numpy as np


def double(x):
    """2 * x."""
    x = np.asarray(x, dtype=float)
    if x.ndim > 5:  # no check reaches this: its mutants survive
        raise ValueError("at most five dimensions")
    return float(2 * x)


def square(x):
    """x ** 2."""
    return float(np.asarray(x, dtype=float) ** 2)
'''
PUBLIC = """
from grader.authoring import check, same_number


@check("double")
def test_double_example(student, reference):
    same_number(student, reference, "double", 1.5)


@check("square")
def test_square_example(student, reference):
    same_number(student, reference, "square", 3.0)
"""
KNOWN = """
from grader.authoring import wrong_formulas

DOUBLE_MISTAKES = wrong_formulas("double", {"x + 2 instead of 2 * x": lambda x: x + 2})
SQUARE_MISTAKES = wrong_formulas(
    "square", {"2 * x, the derivative instead of the square": lambda x: 2 * x}
)
"""
HIDDEN = """
from grader.authoring import check, same_number

from .known import DOUBLE_MISTAKES, SQUARE_MISTAKES


@check("double")
def test_double_random(student, reference, rng):
    same_number(student, reference, "double", float(rng.uniform(3, 5)), wrong=DOUBLE_MISTAKES)


@check("square")
def test_square_random(student, reference, rng):
    same_number(student, reference, "square", float(rng.uniform(3, 5)), wrong=SQUARE_MISTAKES)
"""
COURSE = """
[course]
id = "tiny"
title = "A tiny course"
seed = 7

[limits]
seconds_per_call = 2.0
seconds_per_submission = 30.0
memory_mb = 512

[assignments.basics]
title = "Basics"
module = "exercises/basics.py"
solution = "solutions/basics.py"

[assignments.basics.exercises]
double = 1
square = 1
"""
FILES = {
    "course.toml": COURSE,
    "exercises/basics.py": STUB,
    "solutions/basics.py": SOLUTION,
    "checks/basics/public.py": PUBLIC,
    "checks/basics/known.py": KNOWN,
    "checks/basics/hidden.py": HIDDEN,
}


def write_course(folder: Path, changed: dict[str, str] | None = None) -> Path:
    """The tiny course in `folder`, the files named in `changed` given other text."""
    files = {**FILES, **(changed or {})}
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return folder


def validate(capsys: pytest.CaptureFixture, *arguments: str) -> tuple[int, list[str]]:
    """Run `grader validate` with `arguments`; its exit status and output lines."""
    status = main(["validate", *arguments])
    captured = capsys.readouterr()
    return status, (captured.out + captured.err).splitlines()


def problems(lines: list[str]) -> list[str]:
    """The problem lines of a report, without their mark."""
    return [line.strip().removeprefix("✗ ") for line in lines if line.strip().startswith("✗")]


def test_a_valid_course_passes_and_mutants_are_information(tmp_path, capsys):
    course = write_course(tmp_path / "tiny")
    status, lines = validate(capsys, "--course", str(course), "--mutants", "--jobs", "2")
    assert problems(lines) == [], lines
    assert status == 0
    assert lines[-1].startswith("course is valid: 1 assignment, 2 exercises, 4 checks, 2 named")
    assert any("mutation score:" in line and "killed" in line for line in lines)
    survivors = [line for line in lines if line.strip().startswith("survivor:")]
    assert any("solutions/basics.py, line 9, in double" in line and "x.ndim > 5" in line
               and "->" in line for line in survivors), lines  # fmt: skip


def test_a_mistake_in_course_toml_is_one_problem(tmp_path, capsys):
    course = write_course(
        tmp_path / "tiny", {"course.toml": COURSE.replace("seed = 7", "seed = -1")}
    )
    status, lines = validate(capsys, "--course", str(course))
    assert status == 1
    assert len(problems(lines)) == 1 and "course.seed" in problems(lines)[0]
    assert lines[-1] == "1 problem"


def test_usage_mistakes_exit_2(tmp_path, capsys):
    assert validate(capsys, "--course", str(tmp_path / "nowhere"))[0] == 2
    course = write_course(tmp_path / "tiny")
    status, lines = validate(capsys, "--course", str(course), "--assignment", "nope")
    assert status == 2 and any("no assignment 'nope'" in line for line in lines)
    assert validate(capsys, "--course", str(course), "--jobs", "0")[0] == 2


def test_a_stub_that_answers_and_a_signature_that_differs(tmp_path, capsys):
    stub = STUB.replace('raise NotImplementedError("Return 2 * x.")', "return 2.0 * x")
    solution = SOLUTION.replace("def square(x):", "def square(x, power=2):")
    course = write_course(
        tmp_path / "tiny", {"exercises/basics.py": stub, "solutions/basics.py": solution}
    )
    status, lines = validate(capsys, "--course", str(course))
    found = problems(lines)
    assert status == 1
    assert any("exercises/basics.py, line 6: the stub of double returns a value" in line
               for line in found), found  # fmt: skip
    assert any("the reference defines square(x, power=2)" in line and "square(x)" in line
               for line in found), found  # fmt: skip
    # The stub that answers earns the checks of double: each is named, at the line of its
    # @check, as giving points for nothing.
    for where in ("public.py, line 4: the check double_example",
                  "hidden.py, line 6: the check double_random"):  # fmt: skip
        assert any(f"{where} of double passes on the stub" in text for text in found), found
    assert lines[-1] == f"{len(found)} problems"


def test_check_files_that_do_not_import_or_collect(tmp_path, capsys):
    public = PUBLIC + "\n\ndef broken(:\n    pass\n"
    hidden = HIDDEN + '\n\n@check("cube")\ndef test_cube(student, reference):\n    pass\n'
    course = write_course(
        tmp_path / "tiny", {"checks/basics/public.py": public, "checks/basics/hidden.py": hidden}
    )
    status, lines = validate(capsys, "--course", str(course))
    found = problems(lines)
    assert status == 1
    assert any("checks/basics/public.py, line 14: invalid syntax" in line
               and "fix the check file" in line for line in found), found  # fmt: skip
    assert any("hidden.py, line 16: test_cube is a check of 'cube'" in line
               for line in found), found  # fmt: skip
    assert any("checks were not run" in line for line in lines)


def test_two_checks_of_one_name(tmp_path, capsys):
    hidden = HIDDEN.replace("test_double_random", "test_double_example")
    course = write_course(tmp_path / "tiny", {"checks/basics/hidden.py": hidden})
    status, lines = validate(capsys, "--course", str(course))
    assert status == 1
    assert any("public.py, line 4 and" in line and "hidden.py, line 6 are both checks named "
               "double_example" in line for line in problems(lines)), lines  # fmt: skip


def test_checks_that_miss_what_they_should_catch(tmp_path, capsys):
    """square has only its public check (at x = 3, where 2 * x is not 9, but at x = 2 it is);
    double's hidden check draws from Python's unseeded random; a declared formula of double is
    never passed to the checks, so nothing names it."""
    public = PUBLIC.replace('"square", 3.0', '"square", 2.0')
    hidden = (
        "import random\n\n"
        "from grader.authoring import check, same_number\n\n"
        "from .known import DOUBLE_MISTAKES\n\n\n"
        '@check("double")\n'
        "def test_double_random(student, reference):\n"
        '    same_number(student, reference, "double", 3 + random.random(), '
        "wrong=DOUBLE_MISTAKES)\n"
    )
    known = KNOWN + '\nOTHER = wrong_formulas("double", {"three times x": lambda x: 3 * x})\n'
    changed = {"public.py": public, "hidden.py": hidden, "known.py": known}
    course = write_course(
        tmp_path / "tiny", {f"checks/basics/{name}": text for name, text in changed.items()}
    )
    status, lines = validate(capsys, "--course", str(course))
    found = problems(lines)
    assert status == 1
    assert any("hidden.py: exercise square of basics has no hidden check" in line
               for line in found), found  # fmt: skip
    assert any("hidden.py, line 8: the check double_random of double calls the submission with "
               "other inputs each time it runs" in line for line in found), found  # fmt: skip
    assert any(
        "known.py, line 5: the wrong formula '2 * x, the derivative instead of the square'"
        " of square passes every check of square" in line
        for line in found
    ), found
    assert any("known.py, line 8: the wrong formula 'three times x' of double loses points, but "
               "no failing check names it" in line for line in found), found  # fmt: skip


def test_a_public_check_that_fails_in_the_release(tmp_path, capsys):
    """The release holds the public check files alone: one that reads a file beside it passes
    in the course and fails for students."""
    public = (
        "import json\nfrom pathlib import Path\n\n" + PUBLIC + "\n\n"
        '@check("double")\n'
        "def test_double_cases(student, reference):\n"
        '    for x in json.loads(Path(__file__).with_name("cases.json").read_text()):\n'
        '        same_number(student, reference, "double", x)\n'
    )
    course = write_course(
        tmp_path / "tiny", {"checks/basics/public.py": public, "checks/basics/cases.json": "[0.5]"}
    )
    status, lines = validate(capsys, "--course", str(course))
    found = problems(lines)
    assert status == 1
    assert any("public.py, line 18: the public check double_cases of double fails on the "
               "reference in the student release" in line and "FileNotFoundError" in line
               for line in found), found  # fmt: skip


def test_mutants_are_scored_by_the_hidden_checks(tmp_path, capsys):
    """A mutant only the public checks catch survives: students run those themselves, and
    `--mutants` shows what the hidden checks would accept. Here the hidden check of square only
    looks at the type of the answer."""
    hidden = HIDDEN.replace(
        'same_number(student, reference, "square", float(rng.uniform(3, 5)), '
        "wrong=SQUARE_MISTAKES)",
        "assert isinstance(student.square(float(rng.uniform(3, 5))), float)",
    )
    course = write_course(tmp_path / "tiny", {"checks/basics/hidden.py": hidden})
    _, lines = validate(capsys, "--course", str(course), "--mutants", "--jobs", "2")
    killed = next(line for line in lines if "killed per function:" in line)
    square_killed, square_made = killed.split("square ")[1].split("/")
    assert int(square_killed) == 0 < int(square_made.split(",")[0]), killed
    assert any(line.strip().startswith("survivor:") and "in square" in line for line in lines)


def test_a_reference_that_fails_its_checks_is_not_blamed_on_the_formulas(tmp_path, capsys):
    solution = SOLUTION.replace("return float(np.asarray(x, dtype=float) ** 2)", "return str(x)")
    course = write_course(tmp_path / "tiny", {"solutions/basics.py": solution})
    status, lines = validate(capsys, "--course", str(course))
    found = problems(lines)
    assert status == 1
    assert any("the check square_random of square fails on the reference solution" in line
               for line in found), found  # fmt: skip
    assert not [line for line in found if "wrong formula" in line and "of square" in line], found
    assert any("the named wrong formulas of square were not tried: the reference fails its checks"
               in line for line in lines), lines  # fmt: skip
