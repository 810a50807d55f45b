"""Grader side: the shapes a worker's answers may take, checked before anything reads them.

Student code runs in the worker's own process, so it can write onto the worker's answer pipe as
well as the worker can: every frame that comes up that pipe is hostile until checked. No
in-process secret could tell the worker's frames from the student's (the student can read the
worker's memory), so the grader does the next best thing, which is also sufficient: it accepts
only answers of exactly the shapes below, numbered in the order of the requests they answer
(``"n"``), and any other frame ends the worker and costs that call. A frame that passes is at
most what the student's own function could have returned, so forging one gains nothing.
"""

from __future__ import annotations

from typing import Any

# One key of each call answer says how the call ended; `args` and `evaluations` may come with it.
OUTCOMES = frozenset({"value", "missing", "exited", "raised", "unsendable"})
CALL_EXTRAS = frozenset({"args", "evaluations", "n"})
MAX_NAMES = 10_000
# Cells that raised, as a load reports them (the worker keeps the first ones): each becomes a
# note in grades.json, whose size a tampered worker must not be able to blow up.
MAX_CELL_ERRORS = 100
MAX_TEXT = 2_000


class MalformedAnswer(Exception):
    """A frame that is not an answer of the expected shape (or not the expected answer)."""


def numbered(answer: Any, expected: int) -> dict:
    """`answer` if it is a dict numbered `expected` (the worker numbers answers from 0)."""
    if type(answer) is not dict or answer.get("n") != expected or type(answer["n"]) is not int:
        raise MalformedAnswer
    return answer


def hello(answer: dict) -> tuple[str, ...]:
    """The isolation layers a new worker reports: short names, nothing else."""
    _only(answer, {"layers", "n"})
    return _names(answer.get("layers"))


def load(answer: dict) -> tuple[tuple[str, ...], tuple[dict, ...]]:
    """The functions a submission defines and the cells that raised, as plain strings."""
    _only(answer, {"functions", "errors", "n"})
    if "functions" not in answer:
        raise MalformedAnswer
    errors = answer.get("errors", [])
    if type(errors) is not list or len(errors) > MAX_CELL_ERRORS:
        raise MalformedAnswer
    return _names(answer["functions"]), tuple(_cell_error(error) for error in errors)


def call(answer: dict) -> dict:
    """A call's answer, with exactly one outcome and every field of the type it must have."""
    _only(answer, OUTCOMES | CALL_EXTRAS)
    outcomes = OUTCOMES.intersection(answer)
    if len(outcomes) != 1:
        raise MalformedAnswer
    (outcome,) = outcomes
    if outcome in ("missing", "exited", "unsendable"):
        _text(answer[outcome])
    elif outcome == "raised":
        raised = answer["raised"]
        if type(raised) is not dict:
            raise MalformedAnswer
        _only(raised, {"type", "message", "where"})
        for key in ("type", "message", "where"):
            _text(raised.get(key, ""))
    if "args" in answer and type(answer["args"]) is not list:
        raise MalformedAnswer
    evaluations = answer.get("evaluations", 0)
    if type(evaluations) is not int or evaluations < 0:
        raise MalformedAnswer
    return answer


def _cell_error(error: Any) -> dict:
    if type(error) is not dict:
        raise MalformedAnswer
    _only(error, {"cell", "type", "message", "where"})
    cell = error.get("cell", 0)
    if type(cell) is not int or cell < 0:
        raise MalformedAnswer
    for key in ("type", "message", "where"):
        _text(error.get(key, ""))
    return error


def _names(value: Any) -> tuple[str, ...]:
    if type(value) is not list or len(value) > MAX_NAMES:
        raise MalformedAnswer
    for name in value:
        _text(name)
    return tuple(value)


def _text(value: Any) -> str:
    if type(value) is not str or len(value) > MAX_TEXT:
        raise MalformedAnswer
    return value


def _only(answer: dict, allowed: frozenset[str] | set[str]) -> None:
    if not allowed.issuperset(answer):
        raise MalformedAnswer
