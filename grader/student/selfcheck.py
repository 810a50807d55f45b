"""`grader check`, and `check(...)` in a notebook: students run the public checks on their work.

The checks run through the same engine as grading (`grader.grading.session.run_session`, in this
process: one file does not need parallel sessions), so the student's code runs in the same sandbox
and is judged by the same oracles. Only the public checks run, with the public seed
(`grader.student.replay.public_seed`). In the student release the reference solution is replayed
from recorded answers; in the course repository, where solutions exist, it is the real one.

Which course: `--course PATH` when given; else the course data installed with a student release
(`grader/course-data/`); else the nearest course.toml in the working folder or above it.

In a notebook, `check("<exercise>", "<assignment>.ipynb")` reads the notebook file as last saved
(never the kernel's live objects) and returns a `CheckSummary`, which Jupyter shows as HTML and a
terminal as text. Self-check cells themselves are blanked out before the notebook's code runs in
the sandbox, so checking never recurses.
"""

from __future__ import annotations

import ast
import html
import os
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from grader.course.config import COURSE_FILE, Assignment, Course, CourseError, load_course
from grader.course.submissions import KINDS, Submission, submission_at
from grader.grading.results import ExerciseResult, SubmissionResult
from grader.reports.text import plural, printable
from grader.student.replay import ReplayError, has_records, load_replay, public_course

PACKAGED_COURSE = Path(__file__).resolve().parent.parent / "course-data" / COURSE_FILE

PASSED = "passed"
FAILED = "failed"
NOT_IMPLEMENTED = "not implemented yet"
MISSING = "missing"
NOT_RUN = "not run"
UNCHECKED = "no public checks"
# How the sandbox reports an exception: "raised <Type>..." (grader.sandbox.runner.StudentRaised),
# a function the file does not define, and a file that could not run (grader.grading.proxy).
_NOT_IMPLEMENTED_MARK = "raised NotImplementedError"
_MISSING_MARK = "is not defined in your submission"
_NOT_RUN_MARK = "your file could not be run"
_SYMBOLS = {
    PASSED: "✓", FAILED: "✗", NOT_IMPLEMENTED: "…", MISSING: "✗", NOT_RUN: "✗", UNCHECKED: "·"
}  # fmt: skip
_COLOURS = {  # text, background: readable on light and dark notebook themes
    PASSED: ("#0d652d", "#e6f4ea"),
    FAILED: ("#a50e0e", "#fce8e6"),
    NOT_IMPLEMENTED: ("#6b4f00", "#fef7e0"),
    MISSING: ("#a50e0e", "#fce8e6"),
    NOT_RUN: ("#a50e0e", "#fce8e6"),
    UNCHECKED: ("#3c4043", "#f1f3f4"),
}


class SelfCheckError(Exception):
    """A usage mistake (no such file, unknown exercise); `str()` is one sentence for the student."""


@dataclass(frozen=True)
class ExerciseOutcome:
    """What the public checks said about one exercise."""

    exercise: str
    status: str
    passed: int
    total: int
    messages: tuple[str, ...] = ()
    practice: bool = False  # worth no points: checked for feedback only


@dataclass(frozen=True)
class FileOutcome:
    """The public checks of one file: per exercise, plus why the file could not run, if so."""

    source: str
    assignment: str
    exercises: tuple[ExerciseOutcome, ...]
    error: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every public check passed."""
        return self.error is None and all(e.status in (PASSED, UNCHECKED) for e in self.exercises)

    @property
    def headline(self) -> str:
        """One line: how many exercises pass."""
        passing = sum(outcome.status == PASSED for outcome in self.exercises)
        checked = sum(outcome.status != UNCHECKED for outcome in self.exercises)
        if not checked:
            return "no public checks to run"
        return f"public checks passed for {passing} of {plural(checked, 'exercise')}"


@dataclass(frozen=True)
class CheckSummary:
    """The outcome of a self-check: text in a terminal (`str`), HTML in Jupyter (`_repr_html_`)."""

    files: tuple[FileOutcome, ...] = ()
    problem: str | None = None
    notebook: bool = False

    @property
    def ok(self) -> bool:
        """Whether every public check of every file passed."""
        return self.problem is None and all(outcome.ok for outcome in self.files)

    def __str__(self) -> str:
        return render_text(self)

    def __repr__(self) -> str:
        return render_text(self)

    def _repr_html_(self) -> str:
        return render_html(self)


# --- running --------------------------------------------------------------------------------


def find_course_file(explicit: str | Path | None = None, cwd: Path | None = None) -> Path:
    """The course to check against (see the module docstring for the order)."""
    folder = Path.cwd() if cwd is None else Path(cwd)
    if explicit is not None:
        path = folder / explicit
        path = path / COURSE_FILE if path.is_dir() else path
        if not path.is_file():
            raise SelfCheckError(f"{explicit} is not a course.toml; pass the course's course.toml.")
        return path
    if PACKAGED_COURSE.is_file():
        return PACKAGED_COURSE
    for place in (folder, *folder.parents):
        if (place / COURSE_FILE).is_file():
            return place / COURSE_FILE
    raise SelfCheckError(
        f"no course.toml in {folder} or above it; run grader check in the course folder."
    )


def check_paths(
    paths: Sequence[str | Path],
    exercise: str | None = None,
    *,
    course_file: str | Path | None = None,
    cwd: Path | None = None,
) -> CheckSummary:
    """Run the public checks on files or folders (a folder: each `<assignment>.py`/.ipynb in it;
    with `exercise`, only the file of the assignment that has it)."""
    folder = Path.cwd() if cwd is None else Path(cwd)
    try:
        course = load_course(find_course_file(course_file, folder))
    except CourseError as error:
        raise SelfCheckError(str(error)) from None
    files = [file for path in paths for file in _expand(course, folder / path, path, exercise)]
    outcomes = tuple(check_file(course, file, exercise) for file in files)
    notebook = any(file.suffix == ".ipynb" for file in files)
    return CheckSummary(outcomes, notebook=notebook)


def check_file(course: Course, path: Path, exercise: str | None = None) -> FileOutcome:
    """Run the public checks of the file's assignment on it; keep `exercise` only, if given."""
    from grader.grading.session import (
        run_session,  # pytest and the sandbox load only when checks run
    )

    submission = submission_at(path, path.stem)
    assignment = assignment_for(course, submission, exercise)
    results: list[SubmissionResult] = []
    factory = (lambda chosen: load_replay(course, chosen)) if has_records(course) else None
    try:
        problems = run_session(
            public_course(course),
            assignment,
            [submission],  # self-check cells were blanked when the notebook was read
            lambda result, _layers: results.append(result),
            public_only=True,
            reference_factory=factory,
        )
    except ReplayError as error:
        raise SelfCheckError(str(error)) from None
    if problems or not results:
        # A problem may carry pytest's whole report; its last line says what went wrong.
        lines = [line for line in (problems or ["they did not report"])[0].splitlines() if line]
        reason = lines[-1].removeprefix("INTERNALERROR> ").strip() if lines else "no reason given"
        raise SelfCheckError(f"the public checks of {assignment.id} could not run: {reason}")
    result = results[0]
    chosen = [e.id for e in assignment.exercises if exercise is None or e.id == exercise]
    return FileOutcome(
        source=path.name,
        assignment=assignment.id,
        exercises=tuple(_outcome(result.exercises[name]) for name in chosen),
        error=result.error,
        notes=result.notes,
    )


def assignment_for(
    course: Course, submission: Submission, exercise: str | None = None
) -> Assignment:
    """The assignment of a file: the one it is named after, else the one holding `exercise`,
    else the one whose exercises the file defines (its code is parsed, never run).

    An `exercise` the file's assignment does not have is refused with that assignment's own
    exercises listed, not every assignment's.
    """
    named = next((a for a in course.assignments if submission.source.stem == a.id), None)
    if named is not None and (exercise is None or exercise in _ids(named)):
        return named
    owners = [a for a in course.assignments if exercise in _ids(a)]
    if owners and named is None:
        return owners[0]
    own = named or _defining(course, submission)
    if own is None and exercise is None:
        names = ", ".join(f"{a.id}.py" for a in course.assignments)
        raise SelfCheckError(
            f"{printable(submission.source.name)} is not an assignment file ({names} or "
            ".ipynb); name it after its assignment or pass --exercise ID."
        )
    if own is None:
        known = ", ".join(e.id for a in course.assignments for e in a.exercises)
        raise SelfCheckError(f"there is no exercise {exercise!r}; the exercises are {known}.")
    if exercise is None:
        return own
    raise SelfCheckError(
        f"{printable(submission.source.name)} is a file of assignment {own.id}, which has no "
        f"exercise {exercise!r}; its exercises are {', '.join(_ids(own))}."
    )


def _ids(assignment: Assignment) -> list[str]:
    return [exercise.id for exercise in assignment.exercises]


def _defining(course: Course, submission: Submission) -> Assignment | None:
    """The first assignment some of whose exercises the file defines, if any."""
    defined = _defined_functions(submission.read().cells)
    return next((a for a in course.assignments if defined & set(_ids(a))), None)


def check(exercise: str | None = None, notebook: str | Path | None = None) -> CheckSummary:
    """In a notebook: the public checks of `exercise` (all when None) on the saved notebook file.

    `notebook` is the notebook's file name, relative to the kernel's working folder (Jupyter
    starts it in the notebook's folder); without it, Jupyter's `JPY_SESSION_NAME` is tried.
    Mistakes come back as a summary that says what to do, never as a traceback.
    """
    if any(getattr(sys.modules.get(name), "SERVING", False)
           for name in ("grader.sandbox.worker", "gradkit_sandbox.worker")):  # fmt: skip
        return CheckSummary(problem="self-checks do not run while your notebook is being graded.")
    target = notebook or os.environ.get("JPY_SESSION_NAME")
    if notebook is None and target and not Path(target).is_file():
        target = Path(target).name  # Jupyter's path is from its root folder, not the kernel's
    if target is None or not Path(target).is_file():
        shown = target or "this notebook"
        return CheckSummary(
            problem=f"{shown} was not found in {Path.cwd()}; save the notebook and pass its file "
            'name, as in check("<exercise>", "<assignment>.ipynb").',
            notebook=True,
        )
    try:
        return replace(check_paths([target], exercise), notebook=True)
    except (SelfCheckError, CourseError) as error:
        return CheckSummary(problem=str(error), notebook=True)


def _expand(course: Course, path: Path, shown: str | Path, exercise: str | None) -> list[Path]:
    if path.is_file():
        if path.suffix.lstrip(".") not in KINDS:
            raise SelfCheckError(f"{shown} is not a .py or .ipynb file; give your assignment file.")
        return [path]
    if not path.is_dir():
        raise SelfCheckError(f"{shown} does not exist; give your assignment file or its folder.")
    found = []
    owners = [a for a in course.assignments if exercise in _ids(a)]
    if exercise is not None and not owners:
        known = ", ".join(e.id for a in course.assignments for e in a.exercises)
        raise SelfCheckError(f"there is no exercise {exercise!r}; the exercises are {known}.")
    chosen = owners if exercise is not None else course.assignments
    for assignment in chosen:
        candidates = [path / f"{assignment.id}.{kind}" for kind in KINDS]
        found += [candidate for candidate in candidates if candidate.is_file()][:1]
    if not found:
        names = ", ".join(f"{a.id}.py" for a in chosen)
        raise SelfCheckError(f"{shown} holds no assignment file ({names}, or .ipynb).")
    return found


def _defined_functions(cells: Sequence[str]) -> set[str]:
    names = set()
    for cell in cells:
        try:
            tree = ast.parse(cell)
        except (SyntaxError, ValueError):
            continue
        names |= {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    return names


def _outcome(result: ExerciseResult) -> ExerciseOutcome:
    checks = result.checks
    failed = [check.message for check in checks if not check.passed]
    if not checks:
        status = UNCHECKED
    elif not failed:
        status = PASSED
    elif any(_NOT_IMPLEMENTED_MARK in message for message in failed):
        status = NOT_IMPLEMENTED
    elif any(_MISSING_MARK in message for message in failed):
        status = MISSING
    elif all(_NOT_RUN_MARK in message for message in failed):
        status = NOT_RUN
    else:
        status = FAILED
    return ExerciseOutcome(
        result.exercise, status, len(checks) - len(failed), len(checks), tuple(failed),
        practice=not result.max_points,
    )  # fmt: skip


# --- rendering ------------------------------------------------------------------------------

_FOOTER = "Public checks only: grading adds hidden checks of more cases."
_SAVE = "The notebook file was checked as last saved: save it (Ctrl+S) before checking."
_WIDTH = 96


def _detail(outcome: ExerciseOutcome) -> str:
    """The status in a few words, with what to do about it."""
    practice = "; practice, worth no points" if outcome.practice else ""
    if outcome.status == PASSED:
        return plural(outcome.total, "public check") + practice
    if outcome.status == UNCHECKED:
        return "graded by hidden checks only" + practice
    if outcome.status == NOT_IMPLEMENTED:
        return "it still raises NotImplementedError" + practice
    if outcome.status == MISSING:
        return "define it with the name and signature of the stub" + practice
    if outcome.status == NOT_RUN:
        return "your file could not be run: see above" + practice
    failed = outcome.total - outcome.passed
    return f"{failed} of {plural(outcome.total, 'public check')} failed{practice}"


def _footer(summary: CheckSummary) -> str:
    return _FOOTER + (" " + _SAVE if summary.notebook else "")


def render_text(summary: CheckSummary) -> str:
    """The summary as plain text for a terminal."""
    if summary.problem:
        return f"cannot check: {printable(summary.problem)}"
    lines = []
    width = max((len(e.exercise) for f in summary.files for e in f.exercises), default=0)
    for outcome in summary.files:
        source = printable(outcome.source)
        lines.append(f"{source} (assignment {outcome.assignment}): {outcome.headline}")
        if outcome.error:
            # The error is a sentence naming the file and what to do: said as it is, once.
            lines += textwrap.wrap(printable(outcome.error), _WIDTH, initial_indent="  ",
                                   subsequent_indent="  ")  # fmt: skip
        for exercise in outcome.exercises:
            name = exercise.exercise.ljust(width)
            status = f"{_SYMBOLS[exercise.status]} {name}  {exercise.status}"
            lines.append(f"  {status} ({_detail(exercise)})")
            for message in exercise.messages if exercise.status in (FAILED, MISSING) else ():
                lines += textwrap.wrap(printable(message), _WIDTH, initial_indent="      - ",
                                       subsequent_indent="        ")  # fmt: skip
        for note in outcome.notes:
            lines += textwrap.wrap(f"note: {printable(note)}", _WIDTH, initial_indent="  ",
                                   subsequent_indent="    ")  # fmt: skip
    lines += textwrap.wrap(_footer(summary), _WIDTH)
    return "\n".join(lines)


# Inline styles: Jupyter may sanitise <style> elements away, never style attributes.
_BOX = (
    "font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 14px; "
    "line-height: 1.45; max-width: 62em"
)
_CELL = (
    "padding: 6px 10px; text-align: left; vertical-align: top; "
    "border-bottom: 1px solid rgba(127, 127, 127, 0.3)"
)
_BADGE = "padding: 2px 8px; border-radius: 10px; white-space: nowrap; font-weight: 600"
_QUIET = "margin: 0.6em 0 0 0; opacity: 0.75; font-size: 13px"


def render_html(summary: CheckSummary) -> str:
    """The summary as an HTML fragment: one table per file, a coloured status per exercise."""
    escape = _escape
    if summary.problem:
        body = f"<p><strong>Cannot check:</strong> {escape(summary.problem)}</p>"
        return f'<div class="gradkit-check" style="{_BOX}">{body}</div>'
    parts = [f'<div class="gradkit-check" style="{_BOX}">']
    for outcome in summary.files:
        parts.append(
            f'<p style="margin: 0.6em 0 0.3em 0"><strong>{escape(outcome.source)}</strong> '
            f"(assignment {escape(outcome.assignment)}): {escape(outcome.headline)}</p>"
        )
        if outcome.error:
            parts.append(f'<p style="margin: 0.3em 0; color: #a50e0e">{escape(outcome.error)}</p>')
        headers = "".join(
            f'<th style="{_CELL}; width: {width}">{name}</th>' for name, width in _HEADERS
        )
        parts.append('<table style="border-collapse: collapse; width: 100%; table-layout: fixed">')
        parts.append(f"<thead><tr>{headers}</tr></thead><tbody>")
        parts += [_html_row(exercise) for exercise in outcome.exercises]
        parts.append("</tbody></table>")
        parts += [f'<p style="{_QUIET}">Note: {escape(note)}</p>' for note in outcome.notes]
    parts.append(f'<p style="{_QUIET}">{escape(_footer(summary))}</p></div>')
    return "\n".join(parts)


_HEADERS = (("exercise", "15em"), ("status", "15em"), ("what the public checks said", "auto"))


def _escape(text: str) -> str:
    """Student text for HTML: control characters shown as escapes, then HTML-escaped."""
    return html.escape(printable(text))


def _html_row(exercise: ExerciseOutcome) -> str:
    escape = _escape
    colour, background = _COLOURS[exercise.status]
    badge = (
        f'<span style="{_BADGE}; color: {colour}; background: {background}">'
        f"{_SYMBOLS[exercise.status]} {escape(exercise.status)}</span>"
    )
    detail = escape(_detail(exercise))
    if exercise.status in (FAILED, MISSING) and exercise.messages:
        items = "".join(f"<li>{escape(message)}</li>" for message in exercise.messages)
        detail += f'<ul style="margin: 0.3em 0 0 1.2em; padding: 0">{items}</ul>'
    cells = (f"<code>{escape(exercise.exercise)}</code>", badge, detail)
    return "<tr>" + "".join(f'<td style="{_CELL}">{cell}</td>' for cell in cells) + "</tr>"


def run_command(
    path: str | Path, exercise: str | None = None, course_file: str | None = None
) -> int:
    """`grader check PATH`: print the summary; 0 when every public check passes, else 1."""
    summary = check_paths([path], exercise, course_file=course_file)
    print(summary)
    return 0 if summary.ok else 1
