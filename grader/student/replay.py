"""The reference solution as recorded answers, so that public checks run where solutions are not.

Public checks compare a student with the `reference` fixture. The student release must not carry
the reference solutions, so at release time every public check is run once against the real
reference wrapped in a `RecordingReference`: each call's function, arguments and result are kept
as wire-format data (`grader.sandbox.wire`). The release ships those records, and there the
`reference` fixture is a `ReplayingReference` that answers the same calls from them. Checks draw
their inputs from a seeded generator, and the release records and replays with the same public
seed, so every call a check makes is one that was recorded.

The public seed is derived from the course id alone, never from the course's own seed, which
seeds the hidden inputs: a small integer seed could be recovered from any hash of it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from grader.course.config import Assignment, Course
from grader.grading.marker import describe_call
from grader.sandbox import wire

FORMAT = 1
REPLAY_FOLDER = "replay"


class ReplayMissing(LookupError):
    """A check asked the replayed reference for a call that was never recorded."""


class ReplayError(RuntimeError):
    """Recording failed: a public check does not pass on the reference, or it is not repeatable."""


def public_seed(course: Course) -> int:
    """The seed of public checks: stable for a course, and telling nothing about its own seed."""
    digest = hashlib.sha256(f"gradkit public checks:{course.id}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def public_course(course: Course) -> Course:
    """The course as public checks see it: the same, with the public seed."""
    return replace(course, seed=public_seed(course))


def call_key(function: str, args: tuple, kwargs: dict) -> str:
    """The canonical text of a call: the same call always gives the same key.

    Arguments are encoded with the wire format, which writes arrays as .npy bytes and functions
    as their expression trees (`FuncSpec.wire_tag`); keyword arguments are sorted by name.
    """
    call = [function, list(args), dict(sorted(kwargs.items()))]
    return wire.encode(call).decode()


class RecordingReference:
    """The real reference module, answering every call and remembering each call and answer."""

    def __init__(self, module: ModuleType) -> None:
        self._module = module
        self.calls: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        function = getattr(self._module, name)

        def record(*args: Any, **kwargs: Any) -> Any:
            # The key is taken before the call, from the arguments as the check passed them.
            key = call_key(name, args, kwargs)
            result = function(*args, **kwargs)
            tagged = json.loads(wire.encode(wire.to_plain(result)))
            if self.calls.setdefault(key, tagged) != tagged:
                raise ReplayError(f"the reference gave two answers to {key}; it must be repeatable")
            return result

        return record


class ReplayingReference:
    """Stands for the reference solution: answers the calls that were recorded, and only those."""

    def __init__(self, assignment: str, calls: dict[str, Any]) -> None:
        self._assignment = assignment
        self._calls = calls

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)

        def answer(*args: Any, **kwargs: Any) -> Any:
            tagged = self._calls.get(call_key(name, args, kwargs))
            if tagged is None:
                raise ReplayMissing(
                    f"the release holds no recorded reference answer for "
                    f"{describe_call(name, args, kwargs)} ({self._assignment}); only the course's "
                    "grader can run this check"
                )
            # A fresh value per call: a check may change what it gets without touching the record.
            return wire.decode(json.dumps(tagged).encode())

        return answer


def records_path(course: Course, assignment: Assignment) -> Path:
    """Where the records of an assignment live: replay/<assignment>.json beside course.toml."""
    return course.root / REPLAY_FOLDER / f"{assignment.id}.json"


def has_records(course: Course) -> bool:
    """Whether this course replays its reference (a student release) instead of importing it."""
    return (course.root / REPLAY_FOLDER).is_dir()


def load_replay(course: Course, assignment: Assignment) -> ReplayingReference:
    """The replaying reference of an assignment, from its records file."""
    path = records_path(course, assignment)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ReplayError(
            f"{path} is missing or damaged; reinstall the course release to restore it."
        ) from None
    calls = {entry["call"]: entry["result"] for entry in data["calls"]}
    return ReplayingReference(assignment.id, calls)


def dump_records(assignment: Assignment, seed: int, calls: dict[str, Any]) -> str:
    """The records file's text: sorted by call, so the same calls always give the same bytes."""
    data = {
        "format": FORMAT,
        "assignment": assignment.id,
        "seed": seed,
        "calls": [{"call": key, "result": calls[key]} for key in sorted(calls)],
    }
    return json.dumps(data, indent=1, ensure_ascii=True) + "\n"


def record(course: Course, assignment: Assignment) -> dict[str, Any]:
    """Run the public checks of an assignment on its reference solution, recording the reference.

    The reference solution also plays the student, so that every check goes all the way through
    and makes every reference call it can make; a check failing there is a course mistake.
    """
    from grader.course.submissions import submission_at
    from grader.grading.collection import load_module
    from grader.grading.session import run_session

    module = load_module(assignment.solution, f"gradkit_recorded_{assignment.id}")
    recorder = RecordingReference(module)
    results = []
    problems = run_session(
        public_course(course),
        assignment,
        [submission_at(assignment.solution, "reference")],
        lambda result, _layers: results.append(result),
        public_only=True,
        reference_factory=lambda _assignment: recorder,
    )
    if problems or not results:
        raise ReplayError(
            problems[0] if problems else f"the public checks of {assignment.id} did not run"
        )
    for exercise in results[0].exercises.values():
        for check in exercise.checks:
            if not check.passed:
                raise ReplayError(
                    f"the public check {check.name} of {assignment.id} fails on the reference "
                    f"solution ({check.message}); fix the check or the solution before releasing"
                )
    return recorder.calls
