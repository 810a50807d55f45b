"""Regrading some students into a folder that holds the class's grades: merge, never replace.

`grader grade one_student.py --out out/week1` used to replace the whole class's
grades.json with that one student. Now the grades already in the folder are read before grading
(`read_earlier`, which refuses a file of another course or assignment, or one graded when the
assignment was worth other points, before any work is done), and `merge` keeps every earlier
student and replaces those graded again. `--replace` skips the merge.

Kept apart from the command line so that resuming an interrupted run can merge the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from grader.grading.results import GradingResult, SubmissionResult
from grader.reports.text import plural, points, printable


class MergeError(Exception):
    """The folder's grades cannot be merged with this run's; `str()` is one sentence."""


@dataclass(frozen=True)
class Earlier:
    """The grades a folder held before this run, read from its grades.json."""

    path: Path
    isolation: str
    isolation_layers: tuple[str, ...]
    submissions: tuple[SubmissionResult, ...]


@dataclass(frozen=True)
class Merged:
    """This run's grades merged with the earlier ones, and how many of each it holds."""

    result: GradingResult
    regraded: int
    kept: int


def read_earlier(
    path: Path, *, course: str, assignment: str, max_points: float, replace: bool = False
) -> Earlier | None:
    """The grades in `path` (a grades.json) to merge this run's into; None when there are none
    to keep (no such file, or `replace`).

    Refused, with one sentence, before any grading: a file that is not a grades.json, unless
    `replace`; grades of another course or assignment, even with `replace` (a mistyped --out
    must not cost another assignment its grades); grades given when the assignment was worth
    other points than `max_points`, unless `replace`.
    """
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        theirs = (str(data["course"]), str(data["assignment"]))
        worth = float(data["max_points"])
        submissions = tuple(
            SubmissionResult.from_dict(entry, recorded=True) for entry in data["submissions"]
        )
        layers = tuple(str(layer) for layer in data.get("isolation_layers", []))
        isolation = str(data.get("isolation", ""))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        if replace:
            return None
        raise MergeError(
            f"{path} is not a grades.json that gradkit can read, so this run's grades cannot be "
            "merged into it; move it away, or pass --replace to write over it."
        ) from None
    if theirs != (course, assignment):
        whose = (
            f"assignment {printable(theirs[1])}, not {assignment}"
            if theirs[0] == course
            else f"course {printable(theirs[0])}, not {course}"
        )
        raise MergeError(
            f"{path} holds the grades of {whose}; give --out this assignment's own folder."
        )
    if replace:
        return None
    if worth != max_points:
        raise MergeError(
            f"{path} was graded when {assignment} was worth {points(worth)}, and it is now "
            f"worth {points(max_points)}; grade every submission again with --replace."
        )
    return Earlier(path, isolation, layers, submissions)


def merge(result: GradingResult, earlier: Earlier | None) -> Merged:
    """`result`'s submissions, plus each earlier one whose student this run did not grade."""
    if earlier is None:
        return Merged(result, len(result.submissions), 0)
    graded = {submission.student for submission in result.submissions}
    kept = [entry for entry in earlier.submissions if entry.student not in graded]
    isolation, layers = _weakest(result, earlier)
    merged = GradingResult(
        course=result.course,
        assignment=result.assignment,
        max_points=result.max_points,
        isolation=isolation,
        submissions=tuple(sorted([*result.submissions, *kept], key=lambda s: s.student)),
        isolation_layers=layers,
        graded_at=result.graded_at,
    )
    return Merged(merged, len(result.submissions), len(kept))


def describe(merged: Merged, path: Path, *, replace: bool = False) -> str:
    """The summary's sentence saying what became of the earlier grades in `path`."""
    if replace:
        return f"replaced {path} with this run's grades (--replace): earlier grades are gone."
    if not merged.kept:
        return f"{path} holds this run's {plural(merged.regraded, 'submission')}."
    total = merged.regraded + merged.kept
    return (
        f"merged into {path}: {plural(merged.regraded, 'submission')} graded now, "
        f"{merged.kept} kept from before, {total} in all (--replace keeps only this run's)."
    )


def _weakest(result: GradingResult, earlier: Earlier) -> tuple[str, tuple[str, ...]]:
    """The isolation that held for every entry of the merge: the layers both runs had."""
    ours, theirs = set(result.isolation_layers), set(earlier.isolation_layers)
    if ours <= theirs:
        return result.isolation, result.isolation_layers
    if theirs <= ours:
        return earlier.isolation, earlier.isolation_layers
    common = tuple(layer for layer in result.isolation_layers if layer in theirs)
    return f"partial (only {', '.join(common) or 'no layer'} in every run)", common
