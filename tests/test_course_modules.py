"""The shipped course.toml and the shipped modules list the same functions, in the same order.

A function in a stub that course.toml does not list would never be graded; one listed but missing
from the reference solution would fail every student. Private helpers (a leading underscore) are
the modules' own business and are left out of the comparison.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.course.config import Assignment, load_course, module_functions

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENTS = load_course(REPO / "course.toml").assignments


def graded_functions(path: Path, assignment: Assignment) -> list[str]:
    """The public top-level functions of `path` that are not given, in the module's order."""
    return [
        name
        for name in module_functions(path)
        if name not in assignment.given and not name.startswith("_")
    ]


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.id for a in ASSIGNMENTS])
def test_exercise_module_defines_exactly_the_listed_exercises(assignment: Assignment) -> None:
    assert graded_functions(assignment.module, assignment) == [e.id for e in assignment.exercises]
    assert set(assignment.given) <= set(module_functions(assignment.module))


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.id for a in ASSIGNMENTS])
def test_solution_module_defines_exactly_the_listed_exercises(assignment: Assignment) -> None:
    assert graded_functions(assignment.solution, assignment) == [e.id for e in assignment.exercises]
