"""An honest partial submission: what it does is graded as if the rest were there.

Calls are sent ahead of the checks (`grader.sandbox.plan`); when exercises are missing, the
checks skip many planned calls at once, and a done exercise after them once lost points
("IndexError: pop from an empty deque"). A check's verdict never depends on other exercises.
"""

from __future__ import annotations

import ast

import pytest
from conftest import REPO, by_student

from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.run import grade


def _without(source: str, dropped: set[str]) -> str:
    tree = ast.parse(source)
    tree.body = [
        node for node in tree.body
        if not (isinstance(node, ast.FunctionDef) and node.name in dropped)
    ]  # fmt: skip
    return ast.unparse(tree)


def _uses(source: str, function: str) -> set[str]:
    """The top-level functions of `source` that `function` calls, directly or through others."""
    bodies = {n.name: n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
    used, waiting = set(), [function]
    while waiting:
        names = {n.id for n in ast.walk(bodies[waiting.pop()]) if isinstance(n, ast.Name)}
        for name in (names & bodies.keys()) - used:
            used.add(name)
            waiting.append(name)
    return used


@pytest.mark.parametrize("assignment_id", ["derivatives", "gradients", "descent", "backprop"])
def test_done_exercises_keep_full_marks_whatever_is_missing(tmp_path, assignment_id):
    course = load_course(REPO / "course.toml")
    assignment = course.assignment(assignment_id)
    exercises = [exercise.id for exercise in assignment.exercises]
    source = (REPO / "solutions" / f"{assignment_id}.py").read_text()
    variants = {
        "middle_missing": set(exercises[1:4]),
        "every_other_missing": set(exercises[::2]),
        "all_but_last_missing": set(exercises[:-1]),
        "first_and_last_kept": set(exercises[1:-1]),
    }
    for name, dropped in variants.items():
        (tmp_path / f"{name}.py").write_text(_without(source, dropped))
    result = by_student(grade(course, assignment, discover(tmp_path, assignment_id), jobs=2))
    for name, dropped in variants.items():
        for exercise in assignment.exercises:
            got = result[name].exercises[exercise.id]
            if exercise.id in dropped:
                assert got.points == 0, (name, exercise.id)
            elif not _uses(source, exercise.id) & dropped:
                messages = [check.message for check in got.checks if not check.passed]
                assert got.points == exercise.points, (name, exercise.id, messages)
