"""`grader grade`'s journal on the command line: `--resume`, and what an interruption says.

The journal itself is `grader.grading.journal`; here is only what the instructor sees of it:
which submissions a resumed run takes from the journal ("K of N already graded"), the note when
a run starts over and discards an unfinished journal, and, on Ctrl-C or SIGTERM, one sentence
saying how much is kept and how to go on.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from grader.cli.common import UsageError
from grader.course.config import Assignment, Course
from grader.course.submissions import Submission
from grader.grading.journal import (
    JOURNAL_NAME,
    Entry,
    Journal,
    JournalError,
    read_journal,
    unfinished,
)
from grader.reports.text import plural


class Interrupted(KeyboardInterrupt):
    """Grading was stopped by a signal (Ctrl-C's SIGINT, or SIGTERM); `signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class Plan:
    """What a run grades and what it takes from the journal, and the journal it writes to."""

    journal: Journal
    kept: list[Entry]
    to_grade: list[Submission]
    total: int


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """While grading, SIGINT and SIGTERM raise `Interrupted`, so that the run can stop its
    sessions and say what it kept; the earlier handlers are put back afterwards. A SIGINT that
    was ignored when the grader started (a background job of a script) stays ignored."""
    earlier = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is signal.SIG_IGN:
            continue
        earlier[signum] = signal.signal(signum, _raise_interrupted)
    try:
        yield
    finally:
        for signum, handler in earlier.items():
            signal.signal(signum, handler)


def plan_run(
    folder: Path,
    course: Course,
    assignment: Assignment,
    submissions: Sequence[Submission],
    *,
    resume: bool,
    console: Console,
) -> Plan:
    """Open the run's journal in `folder`: with `resume`, the submissions the journal already
    holds unchanged are kept from it and said so; without, an unfinished journal is discarded
    with a note. A journal that cannot be resumed is a `UsageError`, before any grading."""
    kept: list[Entry] = []
    to_grade = list(submissions)
    if resume:
        try:
            resumed = read_journal(folder, course, assignment)
        except JournalError as error:
            raise UsageError(str(error)) from None
        if resumed is None:
            _note(console, f"{folder / JOURNAL_NAME} does not exist: nothing to resume, every "
                           "submission is graded.")  # fmt: skip
        else:
            found = [(s, resumed.already_graded(s)) for s in submissions]
            kept = [entry for _, entry in found if entry is not None]
            to_grade = [submission for submission, entry in found if entry is None]
            _note(console, f"{len(kept)} of {plural(len(submissions), 'submission')} already "
                           f"graded (kept from {resumed.path}); grading the other "
                           f"{len(to_grade)}.")  # fmt: skip
    else:
        left = unfinished(folder)
        if left:
            _note(console, f"{folder / JOURNAL_NAME} held an unfinished run "
                           f"({plural(left, 'submission')} graded); starting over (pass "
                           "--resume to continue such a run instead).")  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    journal = Journal.start(folder, course, assignment, kept)
    return Plan(journal, kept, to_grade, len(submissions))


def interrupted_sentence(error: KeyboardInterrupt, plan: Plan, graded_now: int) -> str:
    """What the instructor reads when a run is stopped: what is kept, and the way on."""
    how = "SIGTERM" if getattr(error, "signum", signal.SIGINT) == signal.SIGTERM else "Ctrl-C"
    done = len(plan.kept) + graded_now
    return (
        f"interrupted ({how}): {done} of {plural(plan.total, 'submission')} graded, kept in "
        f"{plan.journal.path}; run the same command with --resume to grade the other "
        f"{plan.total - done}."
    )


def exit_status(error: KeyboardInterrupt) -> int:
    """128 + the signal's number, as a shell reports a command a signal stopped."""
    return 128 + int(getattr(error, "signum", signal.SIGINT))


def _raise_interrupted(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def _note(console: Console, sentence: str) -> None:
    console.print(Text(f"note: {sentence}"), soft_wrap=True)
