"""Collected checks: which exercise each grades, what it is worth, whether students see it.

The author's mistakes found while collecting (a check of an exercise course.toml does not list,
two checks of one name) are sentences naming the check file and line.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from grader.course.config import Assignment, Course
from grader.course.model import shown as _shown
from grader.grading.marker import MARKER


@dataclass(frozen=True)
class CheckSpec:
    """A collected check: which exercise it grades, what it is worth, whether students see it."""

    name: str
    exercise: str
    max_points: float
    hidden: bool
    per_student: bool = False  # its inputs are drawn for each student (see `check_seed`)


def collect_checks(
    items: list[pytest.Item], course: Course, assignment: Assignment
) -> tuple[list[pytest.Item], dict[str, CheckSpec], list[str]]:
    """The checks of `items` in grading order (by exercise, public before hidden), each one's
    spec by node id, and the author's mistakes found on the way (those checks are left out)."""
    order = {exercise.id: index for index, exercise in enumerate(assignment.exercises)}
    problems: list[str] = []
    marked = []
    first_of: dict[str, pytest.Item] = {}
    for item in items:
        marker = item.get_closest_marker(MARKER)
        exercise = marker.kwargs.get("exercise") if marker else None
        if exercise not in order:
            problems.append(_unknown_exercise(item, exercise, course, assignment))
            continue
        name = _check_name(item)
        if name in first_of:
            problems.append(
                f"{_where(first_of[name])} and {_where(item)} are both checks named {name}; "
                "rename one of them (students read a check by its name)."
            )
            continue
        first_of[name] = item
        marked.append((item, exercise, marker.kwargs.get("weight", 1.0)))
    marked.sort(key=lambda entry: (order[entry[1]], _is_hidden(entry[0], assignment)))
    weights: dict[str, float] = {}
    for _, exercise, weight in marked:
        weights[exercise] = weights.get(exercise, 0.0) + weight
    specs = {}
    for item, exercise, weight in marked:
        points = assignment.exercise(exercise).points * weight / weights[exercise]
        hidden = _is_hidden(item, assignment)
        specs[item.nodeid] = CheckSpec(
            _check_name(item), exercise, points, hidden,
            per_student=hidden and "rng" in getattr(item, "fixturenames", ()),
        )  # fmt: skip
    return [entry[0] for entry in marked], specs, problems


def _unknown_exercise(
    item: pytest.Item, exercise: object, course: Course, assignment: Assignment
) -> str:
    """The author's mistake of a check tied to no exercise of this assignment, in words."""
    table = f"[assignments.{assignment.id}.exercises]"
    if exercise is None:
        return (
            f"{_where(item)}: {item.name} is not marked as a check of any exercise; mark it "
            '@check("<exercise>") (from grader.authoring), or rename it so that it does not '
            "start with test_."
        )
    return (
        f"{_where(item)}: {item.name} is a check of {exercise!r}, which "
        f"{_shown(course.path)} does not list under {table}; fix the exercise name, or "
        "add the exercise there."
    )


def check_seed(course_seed: int, check_name: str, student: str | None = None) -> int:
    """A stable seed for one check (Python's own hash is salted per process; this is not).

    With `student` (hidden checks), each student is asked about inputs of their own, so that
    answers copied from another student are answers to other questions, and a regrade asks the
    same ones again. Public checks' inputs are the same for everyone: students have their code.
    """
    key = f"{course_seed}:{check_name}" + ("" if student is None else f":{student}")
    # surrogateescape: a student id from a file name that is not UTF-8 keeps its own bytes.
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big")


def load_module(path: Path, name: str) -> ModuleType:
    """Import a trusted module (a reference solution) from its path."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _is_hidden(item: pytest.Item, assignment: Assignment) -> bool:
    return assignment.hidden_checks is not None and Path(item.path) == assignment.hidden_checks


def _where(item: pytest.Item) -> str:
    """A check's file and line, as an author would look for it."""
    line = item.location[1]
    return f"{_shown(Path(item.path))}, line {line + 1}" if line is not None else _shown(item.path)


def _check_name(item: pytest.Item) -> str:
    return item.name.removeprefix("test_")
