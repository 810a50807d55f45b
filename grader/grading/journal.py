"""The journal of a grading run: every graded submission on disk as soon as it is graded.

A run of thousands of submissions can be cut short: Ctrl-C, SIGTERM from a batch system, a kill
of the grader, a power cut. grades.json is written once, at the end, so without a record of its
own such a run loses everything. The journal is that record: `journal.jsonl` in the output
folder, one JSON object per line,

- first a header naming what is graded (course, assignment, course seed, the points of each
  exercise): a journal is resumed only by a run that would grade the same way;
- then one line per graded submission, written, flushed and fsynced before the next one is
  read: its result with unrounded shares (as sessions send it), the isolation layers it was
  graded under, and the file's size and modification time, so that a file changed since is
  graded again rather than taken from the journal;
- last, `{"finished": true}` once grades.json holds the whole run.

`grader grade --resume` reads it (`read_journal`), grades only the submissions it lacks and
combines both (`combined`): the files it writes are those of an uninterrupted run. A last line
cut short by a power cut is ignored (its submission is graded again). Submissions the grading
process lost (its own fault, not theirs) are not recorded, so that a resume grades them again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from grader.course.config import Assignment, Course
from grader.course.submissions import Submission
from grader.grading.results import GradingResult, SubmissionResult
from grader.grading.run import ALL_LAYERS, isolation_level

JOURNAL_NAME = "journal.jsonl"
FORMAT = 1


class JournalError(Exception):
    """The folder's journal cannot be resumed by this run; `str()` is one sentence."""


@dataclass(frozen=True)
class Entry:
    """One graded submission as the journal recorded it."""

    result: SubmissionResult
    layers: tuple[str, ...]
    display: str
    stamp: tuple[int, int] | None


@dataclass(frozen=True)
class Resumed:
    """What a journal holds: its entries by student, and whether its run finished."""

    path: Path
    entries: Mapping[str, Entry]
    finished: bool

    def already_graded(self, submission: Submission) -> Entry | None:
        """The journal's entry for `submission` if it is for this very file, unchanged."""
        entry = self.entries.get(submission.student)
        if entry is None or entry.display != submission.display:
            return None
        if entry.stamp != file_stamp(submission):
            return None
        return entry


def header(course: Course, assignment: Assignment) -> dict:
    """The journal's first line: what must match for a run to resume it."""
    return {
        "gradkit_journal": FORMAT,
        "course": course.id,
        "assignment": assignment.id,
        "seed": course.seed,
        "points": assignment.points_by_exercise,
    }


def file_stamp(submission: Submission) -> tuple[int, int] | None:
    """The submission file's size and modification time in nanoseconds (without following a
    link), or None when there is no file: enough to notice a file replaced since."""
    if submission.missing is not None:
        return None
    try:
        status = os.lstat(submission.source)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns)


class Journal:
    """An open journal that a run appends to; `record` makes each result durable at once."""

    def __init__(self, path: Path, stream: IO[str]) -> None:
        self.path = path
        self._stream = stream

    @classmethod
    def start(
        cls, folder: Path, course: Course, assignment: Assignment, kept: Iterable[Entry] = ()
    ) -> Journal:
        """A new journal in `folder`, holding the `kept` entries of the journal a run resumes
        (written again whole, so a half-written line or a finished mark is not carried over)."""
        path = folder / JOURNAL_NAME
        temporary = folder / f".{JOURNAL_NAME}.tmp"
        with temporary.open("w", encoding="utf-8") as stream:
            stream.write(json.dumps(header(course, assignment)) + "\n")
            for entry in kept:
                stream.write(_line(entry) + "\n")
            _sync(stream)
        os.replace(temporary, path)
        _sync_folder(folder)
        return cls(path, path.open("a", encoding="utf-8"))

    def record(self, result: SubmissionResult, layers: Iterable[str],
               submission: Submission | None) -> None:  # fmt: skip
        """Append one graded submission and wait until it is on disk."""
        entry = Entry(
            result,
            tuple(layers),
            submission.display if submission is not None else "",
            file_stamp(submission) if submission is not None else None,
        )
        self._stream.write(_line(entry) + "\n")
        _sync(self._stream)

    def finish(self) -> None:
        """Mark the run as finished (grades.json holds it all) and close the journal."""
        self._stream.write(json.dumps({"finished": True}) + "\n")
        _sync(self._stream)
        self.close()

    def close(self) -> None:
        """Close the journal, leaving it resumable."""
        if not self._stream.closed:
            self._stream.close()


def read_journal(folder: Path, course: Course, assignment: Assignment) -> Resumed | None:
    """The journal in `folder`, checked against this run; None when there is none.

    Refused, with one sentence: a journal of another course or assignment, one graded with
    another course seed or other points, and one damaged before its last line.
    """
    path = folder / JOURNAL_NAME
    try:
        lines = path.read_text(encoding="utf-8", errors="surrogateescape").split("\n")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise JournalError(f"{path} cannot be read ({error.strerror}); run without --resume "
                           "to grade every submission again.") from None  # fmt: skip
    if lines and lines[-1] == "":
        lines.pop()
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except ValueError:
            if number == len(lines):
                break  # cut short while being written: that submission is graded again
            raise JournalError(f"{path} is damaged at line {number}; run without --resume to "
                               "grade every submission again.") from None  # fmt: skip
    if not records or not isinstance(records[0], dict) or "gradkit_journal" not in records[0]:
        raise JournalError(f"{path} is not a gradkit journal; move it away, or run without "
                           "--resume.")  # fmt: skip
    _check_header(path, records[0], header(course, assignment))
    entries, finished = {}, False
    for number, record in enumerate(records[1:], start=2):
        if record == {"finished": True}:
            finished = True
            continue
        try:
            entry = _entry(record)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise JournalError(f"{path} is damaged at line {number}; run without --resume to "
                               "grade every submission again.") from None  # fmt: skip
        entries[entry.result.student] = entry
    return Resumed(path, entries, finished)


def unfinished(folder: Path) -> int | None:
    """How many submissions the journal in `folder` holds if its run did not finish, else None
    (no journal, or a finished one): what a run that starts over is about to discard."""
    try:
        lines = (folder / JOURNAL_NAME).read_bytes().splitlines()
    except OSError:
        return None
    if not lines or lines[-1].strip() == b'{"finished": true}':
        return None
    return max(0, len(lines) - 1)


def combined(result: GradingResult, kept: Iterable[Entry]) -> GradingResult:
    """This run's result with the journal's `kept` entries added, as one uninterrupted run would
    have given it: sorted by student, under the layers that held for every submission."""
    kept = list(kept)
    if not kept:
        return result
    # As `grade` does: a submission graded under no layer (unreadable, lost) does not count.
    sets = [set(entry.layers) for entry in kept if entry.layers]
    if result.isolation_layers:
        sets.append(set(result.isolation_layers))
    held = set.intersection(*sets) if sets else set()
    submissions = sorted([*result.submissions, *(e.result for e in kept)],
                         key=lambda submission: submission.student)  # fmt: skip
    return replace(
        result,
        submissions=tuple(submissions),
        isolation=isolation_level(held),
        isolation_layers=tuple(layer for layer in ALL_LAYERS if layer in held),
    )


def _check_header(path: Path, theirs: dict, ours: dict) -> None:
    """Refuse, in one sentence, a journal that this run would not have written."""
    again = "run without --resume to grade every submission again"
    if theirs.get("course") != ours["course"]:
        raise JournalError(f"{path} is the journal of course {theirs.get('course')!r}, not "
                           f"{ours['course']}; give --out this course's own folder.")  # fmt: skip
    if theirs.get("assignment") != ours["assignment"]:
        raise JournalError(f"{path} is the journal of assignment {theirs.get('assignment')!r}, "
                           f"not {ours['assignment']}; give --out this assignment's own "
                           "folder.")  # fmt: skip
    if theirs.get("seed") != ours["seed"]:
        raise JournalError(f"{path} was graded with course seed {theirs.get('seed')!r}, and "
                           f"course.toml's seed is now {ours['seed']}; {again}.")  # fmt: skip
    if theirs.get("points") != ours["points"] or theirs.get("gradkit_journal") != FORMAT:
        raise JournalError(f"{path} was graded when {ours['assignment']}'s exercises were worth "
                           f"other points; {again}.")  # fmt: skip


def _line(entry: Entry) -> str:
    return json.dumps({
        "result": entry.result.as_dict(rounded=False),
        "layers": list(entry.layers),
        "display": entry.display,
        "stamp": list(entry.stamp) if entry.stamp is not None else None,
    })  # fmt: skip


def _entry(record: dict) -> Entry:
    stamp = record["stamp"]
    return Entry(
        result=SubmissionResult.from_dict(record["result"]),
        layers=tuple(str(layer) for layer in record["layers"]),
        display=str(record["display"]),
        stamp=(int(stamp[0]), int(stamp[1])) if stamp is not None else None,
    )


def _sync(stream: IO[str]) -> None:
    """Flush Python's buffer and the kernel's: what is recorded survives a power cut."""
    stream.flush()
    os.fsync(stream.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (the folder's own entry is what a rename changes)."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
