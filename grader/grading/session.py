"""One grading session: a pytest run over a share of the submissions, in its own process.

`grader.grading.run` starts one such process per job slot (`python -m grader.grading.session JOB
FD`). Each runs pytest once, with `GradingPlugin`, and writes one JSON line per graded submission to
the file descriptor FD, which the parent reads for progress and results.

A session is the grader's to stop: it ignores the Ctrl-C that the terminal sends to the whole
process group (the grader stops it, once it has kept what was graded) and ends with the grader
however that ends, kill -9 included, so that no session grades on for nobody.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import json
import os
import signal
import sys
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from grader.course.config import Assignment, Course, load_course
from grader.course.submissions import Submission
from grader.grading.plugin import GradingPlugin
from grader.grading.results import SubmissionResult

# Plugins a grading session has no use for; each one left out is time saved per check.
DISABLED_PLUGINS = (
    "cacheprovider", "logging", "warnings", "faulthandler", "junitxml", "doctest", "stepwise",
    "pastebin", "nose", "legacypath", "tmpdir", "monkeypatch", "recwarn", "setuponly",
    "setupplan", "unittest", "debugging", "capture", "lsof", "pytester", "python_path",
)  # fmt: skip

PYTEST_INI = Path(__file__).resolve().parent / "pytest.ini"
PR_SET_PDEATHSIG = 1
Report = Callable[[SubmissionResult, tuple[str, ...]], None]


def check_modules(assignment: Assignment, *, public_only: bool = False) -> list[Path]:
    """The check files of an assignment: public, then hidden unless only public ones are asked."""
    if public_only:
        return [assignment.public_checks] if assignment.public_checks else []
    return list(assignment.check_files)


def pytest_arguments(modules: list[Path], root: Path) -> list[str]:
    """pytest's command line for grading with the check `modules` of the course at `root`."""
    return [
        *map(str, modules),
        "-c", str(PYTEST_INI),
        "--rootdir", str(root),
        # The course's check files are imported by gradkit (grader.course.check_files); a
        # conftest.py in the course folder would be imported pytest's way, so none is.
        "--noconftest",
        # Only gradkit's plugin: a third-party plugin installed next to it would cost start-up
        # time in every session and could change how checks run.
        "-qq", "--no-header", "--assert=plain", "--disable-plugin-autoload",
        *(item for name in DISABLED_PLUGINS for item in ("-p", f"no:{name}")),
    ]  # fmt: skip


def run_session(
    course: Course,
    assignment: Assignment,
    submissions: list[Submission | None] | Callable[[], list[Submission | None]],
    report: Report,
    *,
    public_only: bool = False,
    use_bubblewrap: bool | None = None,
    reference_factory: Callable[[Assignment], Any] | None = None,
    preload: tuple[str, ...] | None = None,
) -> list[str]:
    """Grade `submissions` in this process; return problems found with the checks themselves.

    The list is consumed: each entry is set to None once graded (see `GradingPlugin`). A function
    instead of a list is called for the list once the checks are ready (an early session's share
    comes later); `preload` then says what the first template should preload meanwhile.

    `reference_factory`, when given, makes the `reference` fixture (the student release replays
    recorded answers); by default it is the assignment's solution module.
    """
    modules = check_modules(assignment, public_only=public_only)
    if not modules:
        return [
            f"assignment {assignment.id} has no check files (looked for "
            f"checks/{assignment.id}/public.py and hidden.py); write them, or name them in "
            "course.toml with public_checks and hidden_checks."
        ]
    plugin = GradingPlugin(
        course,
        assignment,
        submissions,
        report,
        use_bubblewrap=use_bubblewrap,
        reference_factory=reference_factory,
        preload=preload,
    )
    # pytest's terminal output is not for anyone here: results travel through `report`.
    with contextlib.redirect_stdout(io.StringIO()) as captured:
        status = pytest.main(pytest_arguments(modules, course.root), plugins=[plugin])
    problems = list(plugin.problems)
    if status not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) and not problems:
        problems.append(
            f"the checks of {assignment.id} could not be loaded:\n{captured.getvalue()}"
        )
    return problems


def tie_to_grader(grader_pid: int | None) -> None:
    """Ignore Ctrl-C and die with the grader, whose pid is `grader_pid` (Linux's parent-death
    signal; elsewhere a session ends when it next writes to the grader that is gone)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if grader_pid is not None and os.getppid() != grader_pid:
        raise SystemExit(0)  # the grader ended before the signal was asked for


def main() -> int:
    """Entry point of a session process: argv is the job file, the result descriptor and the
    grader's pid."""
    tie_to_grader(int(sys.argv[3]) if len(sys.argv) > 3 else None)
    # The checks' own arithmetic (a wrong formula dividing by zero while an answer is diagnosed)
    # warns of nothing the instructor can act on; it would only clutter the grading terminal.
    warnings.simplefilter("ignore", RuntimeWarning)
    job = json.loads(Path(sys.argv[1]).read_text())
    out = os.fdopen(int(sys.argv[2]), "w", buffering=1)
    course = load_course(job["course"])
    assignment = course.assignment(job["assignment"])
    entries = job.pop("submissions")
    submissions: list[Submission | None] | Callable[[], list[Submission | None]]
    if entries is None:  # an early session (`grader.grading.run.EarlySessions`)
        submissions = partial(_await_share, Path(job["share"]))
    else:
        submissions = [_submission(entry) for entry in entries]

    def report(result: SubmissionResult, layers: tuple[str, ...]) -> None:
        out.write(
            json.dumps({"result": result.as_dict(rounded=False), "layers": list(layers)}) + "\n"
        )

    problems = run_session(
        course,
        assignment,
        submissions,
        report,
        public_only=job.get("public_only", False),
        use_bubblewrap=job.get("use_bubblewrap"),
        preload=tuple(job["preload"]) if "preload" in job else None,
    )
    for problem in problems:
        out.write(json.dumps({"problem": problem}) + "\n")
    out.close()
    return 0


def _submission(entry: dict) -> Submission:
    return Submission(
        student=entry["student"],
        source=Path(entry["source"]),
        kind=entry["kind"],
        display=entry["display"],
        missing=entry["missing"],
    )


def _await_share(share: Path) -> list[Submission | None]:
    """An early session's submissions: the grader closes our standard input once it has written
    them to `share`; no file by then means there is nothing for this session to grade."""
    sys.stdin.buffer.read()
    if not share.is_file():
        return []
    return [_submission(entry) for entry in json.loads(share.read_text())]


if __name__ == "__main__":
    raise SystemExit(main())
