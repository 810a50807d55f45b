"""The trusted grader never does unbounded work on what a student made (issue "Security, round
two", points 1(c) and 5).

The grader parses and evaluates some student data itself: a notebook's JSON and its cells' code
(to neutralise IPython syntax), and the strings `symbolic_derivative` returns. Each attack here
is graded through the real command line beside an honest copy of the reference solution, all in
one run: the run must finish, write grades.json, keep the honest full marks, and give each
attacker one clear sentence and 0 for what the attack broke. Outcomes are asserted, never
durations.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, reference_source

from grader.course.notebook_source import (
    MAX_JSON_DEPTH,
    MAX_NESTING,
    TOO_DEEP_MESSAGE,
    json_too_deep,
    nesting_bound,
    neutralise,
    without_self_checks,
)

HONEST = 8.5  # every exercise of `derivatives`
SYMBOLIC = 2.0  # the points of symbolic_derivative


def notebook(*sources: str, metadata: dict | None = None, nbformat: int = 4) -> str:
    """A notebook's JSON text with one code cell per source."""
    cells = [
        {"cell_type": "code", "metadata": {}, "source": source, "outputs": [],
         "execution_count": None}
        for source in sources
    ]  # fmt: skip
    if nbformat == 3:
        worksheet = [{"cell_type": "code", "input": source, "outputs": []} for source in sources]
        return json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": metadata or {},
                           "worksheets": [{"cells": worksheet}]})  # fmt: skip
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata or {},
                       "cells": cells})  # fmt: skip


def nested_dict(depth: int) -> dict:
    inner: dict = {}
    for _ in range(depth):
        inner = {"a": inner}
    return inner


def with_symbolic(body: str) -> str:
    """The reference solution with `symbolic_derivative` redefined after it."""
    return reference_source("derivatives") + "\n\n_right = symbolic_derivative\n\n" + body


CANCELLING_NESTED = with_symbolic("""
def symbolic_derivative(expression, variable="x"):
    # Right, but padded with exact zeros nested seven deep: SymPy's adaptive evalf spent about
    # 5 s of CPU per answer on this (70 s at some points) and then timed out.
    v, zero = variable, "0"
    for k in range(1, 8):
        zero = f"(sin({v}+{k})**2+cos({v}+{k})**2-1+{v}*{zero})"
    return _right(expression, variable) + "+" + zero
""")
CANCELLING_LONG = with_symbolic("""
def symbolic_derivative(expression, variable="x"):
    v = variable
    zeros = "".join(f"+(sin({k}*{v})**2+cos({k}*{v})**2-1)/{v}" for k in range(1, 40))
    return _right(expression, variable) + zeros
""")
HUGE_POWER = with_symbolic("""
def symbolic_derivative(expression, variable="x"):
    return f"{variable}**(10**10)"
""")
HUGE_EXPANSION = with_symbolic("""
def symbolic_derivative(expression, variable="x"):
    return f"(({variable} + 1)**1000)**100 - ({variable} + 1)**100000"
""")
LONG_STRINGS = (
    reference_source("derivatives")
    + """

def interpret_sign(d, tol=1e-8):
    return "increasing" * 100_000


def symbolic_derivative(expression, variable="x"):
    return "x" * 900_000
"""
)


def attackers() -> dict[str, str]:
    """File name -> content of every attacking submission."""
    solution = reference_source("derivatives")
    return {
        # .py files: their code is parsed only in the sandbox, so they cost the sandbox only.
        "py_unary.py": solution + "\nx = " + "-" * 100_000 + "1\n",
        "py_parens.py": solution + "\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
        # Notebook cells: neutralising IPython syntax parses each cell in the trusted grader.
        "nb_unary.ipynb": notebook(solution, "x = " + "-" * 100_000 + "1"),
        "nb_elif.ipynb": notebook("if x:\n    pass\n" + "elif x:\n    pass\n" * 5000, solution),
        "nb_lists.ipynb": notebook(solution, "x = " + "[" * 3000 + "]" * 3000),
        "nb_binop.ipynb": notebook(solution, "x = " + " + ".join(["1"] * 200_000)),
        "nb_magics.ipynb": notebook("%%time\n" * 5000 + solution),
        # The notebook's JSON itself.
        "json_metadata.ipynb": notebook(solution, metadata=nested_dict(500)),
        "json_brackets.ipynb": '{"nbformat": 4, "cells": ' + "[" * 300_000 + "]" * 300_000 + "}",
        "json_version3.ipynb": notebook(solution, metadata=nested_dict(400), nbformat=3),
        # Symbolic answers, parsed and judged in the trusted grader.
        "sym_nested.py": CANCELLING_NESTED,
        "sym_long.py": CANCELLING_LONG,
        "sym_power.py": HUGE_POWER,
        "sym_expansion.py": HUGE_EXPANSION,
        "strings.py": LONG_STRINGS,
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One `grader grade` run over the honest submission and every attacker."""
    from grader.cli.main import main

    root = tmp_path_factory.mktemp("bounds")
    folder = root / "submissions"
    folder.mkdir()
    (folder / "honest.py").write_text(reference_source("derivatives"))
    for name, content in attackers().items():
        (folder / name).write_text(content)
    out = root / "out"
    status = main(["grade", str(folder), "--assignment", "derivatives", "--out", str(out),
                   "--course", str(REPO / "course.toml"), "--jobs", "2"])  # fmt: skip
    grades = json.loads((out / "grades.json").read_text())
    return {
        "status": status,
        "grades": grades,
        "out": out,
        "students": {entry["student"]: entry for entry in grades["submissions"]},
    }


def messages(entry: dict, exercise: str) -> list[str]:
    return [check["message"] for check in entry["exercises"][exercise]["checks"]]


def exercise_points(entry: dict, exercise: str) -> float:
    return entry["exercises"][exercise]["points"]


def test_the_run_finishes_writes_its_files_and_the_honest_keeps_full_marks(graded) -> None:
    assert graded["status"] == 0
    assert (graded["out"] / "grades.csv").is_file()
    students = graded["students"]
    assert set(students) == {"honest", *(Path(name).stem for name in attackers())}
    assert graded["grades"]["max_points"] == HONEST
    assert students["honest"]["points"] == HONEST
    assert not students["honest"]["error"]


def test_deeply_nested_python_files_cost_only_their_sandbox(graded) -> None:
    students = graded["students"]
    for student in ("py_unary", "py_parens"):
        assert students[student]["points"] == 0.0
        assert students[student]["error"].startswith(f"{student}.py could not be run")
    assert "too many nested parentheses" in students["py_parens"]["error"]


def test_a_deeply_nested_cell_is_not_run_and_the_others_are_graded(graded) -> None:
    students = graded["students"]
    for student, cell in (("nb_unary", 2), ("nb_elif", 1), ("nb_lists", 2), ("nb_binop", 2)):
        entry = students[student]
        assert entry["points"] == HONEST, student  # the solution's cell still ran
        (note,) = entry["notes"]
        assert f"{student}.ipynb, code cell {cell}:" in note
        assert TOO_DEEP_MESSAGE in note


def test_stacked_cell_magics_are_read_without_recursion(graded) -> None:
    # 5000 `%%time` lines once made neutralise recurse 5000 times in the trusted grader.
    entry = graded["students"]["nb_magics"]
    assert entry["points"] == HONEST
    assert not entry["error"] and not entry["notes"]


def test_deeply_nested_notebook_json_is_refused_before_it_is_parsed(graded) -> None:
    for student in ("json_metadata", "json_brackets", "json_version3"):
        entry = graded["students"][student]
        assert entry["points"] == 0.0
        assert entry["error"] == (
            f"{student}.ipynb is nested more than {MAX_JSON_DEPTH} levels deep, too deeply to "
            "be read as a notebook; save it again from Jupyter and resubmit."
        )


def test_a_right_answer_full_of_exact_cancellations_is_judged_right(graded) -> None:
    # Judged by evaluation at points, in time proportional to its length: no timeout.
    entry = graded["students"]["sym_nested"]
    assert entry["points"] == HONEST
    assert exercise_points(entry, "symbolic_derivative") == SYMBOLIC


def test_an_answer_too_big_to_judge_says_so(graded) -> None:
    entry = graded["students"]["sym_long"]
    assert entry["points"] == HONEST - SYMBOLIC
    for message in messages(entry, "symbolic_derivative"):
        assert message.endswith(
            "could not read your expression: it is too long to be judged (more than 400 "
            "numbers, names and operations); write it in a simpler form."
        )


def test_huge_exponents_are_refused_before_anything_is_computed(graded) -> None:
    for student, position in (("sym_power", 2), ("sym_expansion", 31)):
        entry = graded["students"][student]
        assert entry["points"] == HONEST - SYMBOLIC
        for message in messages(entry, "symbolic_derivative"):
            assert message.endswith(f"at position {position}, an exponent larger than 1000.")


def test_long_strings_reach_messages_cut_short(graded) -> None:
    entry = graded["students"]["strings"]
    assert exercise_points(entry, "interpret_sign") == 0.0
    assert exercise_points(entry, "symbolic_derivative") == 0.0
    for message in messages(entry, "interpret_sign") + messages(entry, "symbolic_derivative"):
        assert len(message) < 300
    for message in messages(entry, "symbolic_derivative"):
        assert "it is 900000 characters long, more than the 2000 allowed." in message
    shown = messages(entry, "interpret_sign")
    assert all("returned 'increasingincreasing" in m and "...," in m for m in shown)


# --- the scans themselves, on the attacks CPython's parser cannot take ---------------------


@pytest.mark.parametrize(
    "source",
    [
        "(" * 5000 + "1" + ")" * 5000,
        "x = " + "-" * 100_000 + "1",
        "x = " + "not " * 100_000 + "y",
        "x = y" + ".a" * 5000,
        "x = f" + "()" * 5000,
        "x = " + "lambda: " * 5000 + "1",
        "x = " + "1 if y else " * 5000 + "1",
        "x = f'{" + "-" * 5000 + "1}'",
        "x = 1 \\\r\n" + "+ 1 \\\r\n" * 5000 + "+ 1",
        "if x: pass\n" + "elif x: pass\n" * 5000,
    ],
)
def test_nesting_past_what_the_parser_takes_is_seen_by_the_scan(source: str) -> None:
    assert nesting_bound(source) > MAX_NESTING
    # and the public helpers leave such a cell alone instead of parsing it
    assert without_self_checks(source) == source
    assert neutralise(source).splitlines() == source.splitlines()


def test_honest_code_is_far_below_the_bound() -> None:
    for path in [*(REPO / "solutions").glob("*.py"), *(REPO / "grader").glob("*.py")]:
        assert nesting_bound(path.read_text()) <= MAX_NESTING, path
    shallow = "data = [" + ", ".join(["-1.5"] * 100_000) + "]\n" + "x = 1 + 2\n" * 10_000
    assert nesting_bound(shallow) < 10


def test_json_depth_is_read_from_the_text() -> None:
    assert not json_too_deep(notebook("x = '[[[['", metadata=nested_dict(90)))
    assert json_too_deep(notebook("x = 1", metadata=nested_dict(MAX_JSON_DEPTH)))
    assert json_too_deep(b"[" * 1_000_000)
    # brackets inside strings, escaped quotes included, are text
    assert not json_too_deep(json.dumps({"s": '\\"[' * 10_000, "t": "{" * 10_000}))
