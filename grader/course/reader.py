"""Reads the parsed TOML of course.toml against its schema, key by key, into a `Course`.

Every mistake is a `CourseError` naming the file and the dotted key, and saying what to do.
Exercise and solution modules are read with `ast`, never imported: listing their functions must
not run code.
"""

from __future__ import annotations

import ast
import difflib
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.course.model import (
    CHECK_FILES,
    Assignment,
    Course,
    CourseError,
    Exercise,
    Figure,
    Limits,
)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class _Rule:
    """How one key is checked: what it must be (in words, for messages), if it may be absent."""

    expected: str
    accepts: Callable[[Any], bool]
    required: bool = True


def _is_int(value: object) -> bool:
    # bool is a subclass of int, but `true` is never a sensible seed, count or number of points.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_positive_number(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value) and value > 0
    return _is_int(value) and value > 0  # type: ignore[operator]


def _is_points(value: object) -> bool:
    # 0 is allowed: an ungraded practice exercise, with checks and feedback but no points.
    zero = (_is_int(value) or isinstance(value, float)) and value == 0
    return zero or _is_positive_number(value)


_TABLE = _Rule("a table", lambda value: isinstance(value, dict))
_TEXT = _Rule("a non-empty string", lambda value: isinstance(value, str) and bool(value.strip()))
_PATH = replace(_TEXT, expected="a path relative to course.toml")
_POSITIVE = _Rule("a positive number", _is_positive_number)
_POINTS = _Rule("a number >= 0 (0 for an ungraded practice exercise)", _is_points)
_NAMES = _Rule(
    "a list of function names",
    lambda value: isinstance(value, list) and all(isinstance(item, str) for item in value),
    required=False,
)

_TOP: dict[str, _Rule] = {"course": _TABLE, "limits": _TABLE, "assignments": _TABLE}
_COURSE: dict[str, _Rule] = {
    "id": _TEXT,
    "title": _TEXT,
    "seed": _Rule("a whole number >= 0", lambda value: _is_int(value) and value >= 0),
}
_LIMITS: dict[str, _Rule] = {
    "seconds_per_call": _POSITIVE,
    "seconds_per_submission": _POSITIVE,
    "memory_mb": _Rule("a positive whole number", lambda value: _is_int(value) and value > 0),
}
_ASSIGNMENT: dict[str, _Rule] = {
    "title": _TEXT,
    "module": _PATH,
    "solution": _PATH,
    "given": _NAMES,
    "exercises": _TABLE,
    "limits": replace(_TABLE, required=False),
    **{key: replace(_PATH, required=False) for key in CHECK_FILES},
    "figures": _Rule(
        "a list of figure files, each a path or a table { file = <path>, after = <heading> }",
        lambda value: isinstance(value, list),
        required=False,
    ),
}
_FIGURE: dict[str, _Rule] = {"file": _PATH, "after": replace(_TEXT, required=False)}


class CourseReader:
    """Turns the parsed TOML of one course.toml into a Course, stopping at the first mistake."""

    def __init__(self, label: str, path: Path) -> None:
        self.label = label
        self.path = path

    def fail(self, key: str, problem: str) -> CourseError:
        """The error for `problem` at the dotted `key`, ready to raise."""
        return CourseError(f"{self.label}: {key}: {problem}.")

    def check(
        self,
        table: dict[str, Any],
        rules: Mapping[str, _Rule],
        key: str,
        *,
        all_optional: bool = False,
    ) -> None:
        """Each key of `table` (at dotted `key`) is known, present if required, the right type."""
        prefix = f"{key}." if key else ""
        for name in table:
            if name not in rules:
                close = difflib.get_close_matches(name, list(rules), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                allowed = ", ".join(rules)
                raise self.fail(
                    prefix + name, f"unknown key{hint}; the allowed keys here are {allowed}"
                )
        for name, rule in rules.items():
            if name not in table:
                if rule.required and not all_optional:
                    if rule is _TABLE:
                        where = f"a [{prefix}{name}] table"
                    else:
                        where = f"{name} = <{rule.expected}> under [{key}]"
                    raise self.fail(prefix + name, f"missing; add {where}")
            elif not rule.accepts(table[name]):
                raise self.fail(
                    prefix + name, f"{name} must be {rule.expected}, got {_show(table[name])}"
                )

    def course(self, data: dict[str, Any]) -> Course:
        """The whole file: [course], [limits] and every [assignments.<id>]."""
        self.check(data, _TOP, "")
        self.check(data["course"], _COURSE, "course")
        self.check(data["limits"], _LIMITS, "limits")
        defaults = _limits(data["limits"], None)
        if not data["assignments"]:
            raise self.fail(
                "assignments", "there are none; add at least one [assignments.<id>] table"
            )
        assignments = tuple(
            self.assignment(assignment_id, table, defaults)
            for assignment_id, table in data["assignments"].items()
        )
        course = data["course"]
        return Course(
            course["id"], course["title"], course["seed"], defaults, assignments, self.path
        )

    def assignment(self, assignment_id: str, table: Any, defaults: Limits) -> Assignment:
        """One [assignments.<id>] table, checked against its module and solution files."""
        key = f"assignments.{assignment_id}"
        self.identifier(assignment_id, key, "assignment ids")
        if not isinstance(table, dict):
            raise self.fail(key, f"{assignment_id} must be a table, got {_show(table)}")
        self.check(table, _ASSIGNMENT, key)
        self.check(table.get("limits", {}), _LIMITS, f"{key}.limits", all_optional=True)
        exercises = self.exercises(table["exercises"], f"{key}.exercises")
        given = self.given(table.get("given", []), f"{key}.given", exercises)
        self.cross_check(key, table["module"], table["solution"], exercises, given)
        return Assignment(
            id=assignment_id,
            title=table["title"],
            module=self.resolve(table["module"]),
            solution=self.resolve(table["solution"]),
            given=given,
            exercises=exercises,
            limits=_limits(table.get("limits", {}), defaults),
            **self.check_files(assignment_id, table, key),
            figures=self.figures(table.get("figures", []), f"{key}.figures", table["module"]),
        )

    def figures(self, entries: list[Any], key: str, module: str) -> tuple[Figure, ...]:
        """The notebook's figures: files that exist, each after a heading the stub has."""
        headings = _headings(self.resolve(module))
        figures = []
        for index, entry in enumerate(entries):
            where = f"{key}[{index}]"
            if isinstance(entry, str):
                entry = {"file": entry}
            if not isinstance(entry, dict):
                raise self.fail(where, f"must be {_ASSIGNMENT['figures'].expected}")
            self.check(entry, _FIGURE, where)
            path = self.resolve(entry["file"])
            if not path.is_file():
                raise self.fail(
                    f"{where}.file",
                    f"{entry['file']} does not exist (looked for {path}); fix the path",
                )
            after = entry.get("after")
            if after is not None and after not in headings:
                known = "; ".join(headings) or "none"
                raise self.fail(
                    f"{where}.after",
                    f"{module}'s docstring has no section headed ## {after}; its sections are: "
                    f"{known}",
                )
            figures.append(Figure(path, after))
        return tuple(figures)

    def check_files(self, assignment_id: str, table: dict[str, Any], key: str) -> dict[str, Any]:
        """The assignment's check files: each as written (it must exist) or at its default."""
        files: dict[str, Path | None] = {}
        for name, default in CHECK_FILES.items():
            if name in table:
                path = self.resolve(table[name])
                if not path.is_file():
                    raise self.fail(
                        f"{key}.{name}",
                        f"{table[name]} does not exist (looked for {path}); fix the path or "
                        f"remove {name} to use the default {default.format(id=assignment_id)}",
                    )
                files[name] = path
            else:
                path = self.resolve(default.format(id=assignment_id))
                files[name] = path if path.is_file() else None
        return files

    def cross_check(
        self,
        key: str,
        module_path: str,
        solution_path: str,
        exercises: tuple[Exercise, ...],
        given: tuple[str, ...],
    ) -> None:
        """The stub defines exactly the exercises and given names; the solution, every exercise."""
        module = self.functions(module_path, f"{key}.module")
        solution = self.functions(solution_path, f"{key}.solution")
        for exercise in exercises:
            if exercise.id not in module:
                raise self.fail(
                    f"{key}.exercises.{exercise.id}",
                    f"{exercise.id} is not a function of {module_path}; define it there or "
                    f"remove it from {key}.exercises",
                )
        for name in given:
            if name not in module:
                raise self.fail(
                    f"{key}.given",
                    f"{name} is not a function of {module_path}; define it there or remove it "
                    "from given",
                )
        listed = {exercise.id for exercise in exercises} | set(given)
        for name in module:
            # Leading-underscore functions are the module's private helpers, never exercises.
            if name not in listed and not name.startswith("_"):
                raise self.fail(
                    f"{key}.exercises",
                    f"{module_path} defines {name} but {key}.exercises does not list it; add "
                    "it with its points or list it under given",
                )
        for exercise in exercises:
            if exercise.id not in solution:
                raise self.fail(
                    f"{key}.solution",
                    f"{solution_path} does not define {exercise.id}; add the reference "
                    f"implementation of {exercise.id} there",
                )

    def exercises(self, table: dict[str, Any], key: str) -> tuple[Exercise, ...]:
        """The [assignments.<id>.exercises] table: function name -> points, in the file's order."""
        if not table:
            raise self.fail(key, "lists no exercises; add each graded function with its points")
        for name, points in table.items():
            self.identifier(name, f"{key}.{name}", "exercise ids")
            if not _is_points(points):
                raise self.fail(
                    f"{key}.{name}", f"points must be {_POINTS.expected}, got {_show(points)}"
                )
        return tuple(Exercise(name, float(points)) for name, points in table.items())

    def given(self, names: list[str], key: str, exercises: tuple[Exercise, ...]) -> tuple[str, ...]:
        """The provided, ungraded functions: identifiers, each once, none of them an exercise."""
        graded = {exercise.id for exercise in exercises}
        for index, name in enumerate(names):
            self.identifier(name, key, "names in given")
            if name in names[:index]:
                raise self.fail(key, f"{name} is listed twice; list it once")
            if name in graded:
                raise self.fail(
                    key, f"{name} is also an exercise; remove it from given or from the exercises"
                )
        return tuple(names)

    def identifier(self, name: str, key: str, what: str) -> None:
        """A CourseError unless `name` is a plain identifier."""
        if not _IDENTIFIER.fullmatch(name):
            raise self.fail(
                key,
                f"{what} must be identifiers (letters, digits and _, not starting with a digit), "
                f"got {_show(name)}",
            )

    def resolve(self, written: str) -> Path:
        """A path written in course.toml, relative to its folder, made absolute."""
        return (self.path.parent / written).resolve()

    def functions(self, written: str, key: str) -> tuple[str, ...]:
        """The top-level functions of the module at `written`; a CourseError if it is unusable."""
        path = self.resolve(written)
        if not path.is_file():
            raise self.fail(key, f"{written} does not exist (looked for {path}); fix the path")
        try:
            return function_names(path, written)
        except CourseError as error:
            raise self.fail(key, str(error).rstrip(".")) from None


def _headings(module: Path) -> list[str]:
    """The `##` section headings of a module's docstring (read, never imported)."""
    try:
        docstring = ast.get_docstring(ast.parse(module.read_bytes())) or ""
    except (OSError, SyntaxError, ValueError):
        return []  # the module's own key reports what is wrong with it
    return [line[3:].strip() for line in docstring.splitlines() if line.startswith("## ")]


def _limits(table: dict[str, Any], defaults: Limits | None) -> Limits:
    """Limits from a checked [limits] table, each missing key taken from `defaults`."""
    values = {} if defaults is None else dict(vars(defaults))
    values.update(table)
    return Limits(
        float(values["seconds_per_call"]),
        float(values["seconds_per_submission"]),
        int(values["memory_mb"]),
    )


def function_names(path: Path, shown: str) -> tuple[str, ...]:
    """The top-level `def` names of the module at `path` (called `shown` in messages)."""
    try:
        source = path.read_bytes()
    except OSError as error:
        raise CourseError(f"{shown} could not be read ({error.strerror}).") from None
    try:
        tree = ast.parse(source, filename=shown)
    except SyntaxError as error:
        reason = " ".join(str(error.msg).split())
        raise CourseError(
            f"{shown} has a syntax error at line {error.lineno} ({reason}); fix it so it parses."
        ) from None
    except ValueError as error:  # null bytes in the source
        raise CourseError(f"{shown} could not be parsed ({error}); fix it so it parses.") from None
    return tuple(
        node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    )


def _show(value: object) -> str:
    """A TOML value as it would be written, shortened, on one line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value)
    elif isinstance(value, dict):
        return "a table"
    elif isinstance(value, list):
        text = "[" + ", ".join(_show(item) for item in value) + "]"
    else:
        text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."
