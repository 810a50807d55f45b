"""Named wrong formulas: the mistakes an author expects, declared once for checks and validation.

A check names a student's mistake by comparing a failed answer with each known wrong formula
(`diagnose`). Declared with `wrong_formulas(exercise, {...})`, the same formulas also become the
course's own test cases: `grader validate` grades the reference solution with the exercise
replaced by each formula in turn, and asks that the exercise lose points with a message that
names it. Such formulas take the exercise's own arguments and return what it would return.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

Formulas = TypeVar("Formulas", bound=Mapping[str, Callable[..., Any]])


@dataclass(frozen=True)
class WrongFormula:
    """One expected mistake in `exercise`: its name (as the student reads it) and a function
    with the exercise's signature that makes it; `module` is the file that declared it."""

    exercise: str
    name: str
    function: Callable[..., Any]
    module: str


# Every formula declared in the check files imported so far, in order (read by validation).
DECLARED: list[WrongFormula] = []


def wrong_formulas(exercise: str, formulas: Formulas) -> Formulas:
    """Declare `formulas` (name -> function with `exercise`'s signature) as the known wrong
    implementations of `exercise`, and return the mapping unchanged for use with `diagnose`."""
    if not isinstance(exercise, str) or not exercise.isidentifier():
        raise TypeError(f"wrong_formulas: the exercise must be a function name, got {exercise!r}")
    for name, function in formulas.items():
        if not isinstance(name, str) or not name.strip() or not callable(function):
            raise TypeError(
                f"wrong_formulas({exercise!r}): each entry must be a name and a function, "
                f"got {name!r}: {function!r}"
            )
        module = getattr(function, "__module__", "") or ""
        DECLARED.append(WrongFormula(exercise, name, function, module))
    return formulas


def wrong_formula(exercise: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator form of `wrong_formulas` for one formula: `@wrong_formula("f", "a sign flip")`."""

    def declare(function: Callable[..., Any]) -> Callable[..., Any]:
        wrong_formulas(exercise, {name: function})
        return function

    return declare


def declared_in(modules: set[str]) -> list[WrongFormula]:
    """The formulas declared by the modules named in `modules`, first declaration of a name
    per exercise kept (a module imported twice declares its formulas twice)."""
    seen: set[tuple[str, str]] = set()
    found = []
    for formula in DECLARED:
        key = (formula.exercise, formula.name)
        if formula.module in modules and key not in seen:
            seen.add(key)
            found.append(formula)
    return found
