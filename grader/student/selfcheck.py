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
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from grader.course.config import COURSE_FILE, Assignment, Course, CourseError, load_course
from grader.course.submissions import KINDS, Submission, submission_at
from grader.grading.results import ExerciseResult, SubmissionResult
from grader.reports.text import printable
from grader.student.check_summary import (
    FAILED,
    MISSING,
    NOT_IMPLEMENTED,
    NOT_RUN,
    PASSED,
    UNCHECKED,
    CheckSummary,
    ExerciseOutcome,
    FileOutcome,
)
from grader.student.replay import ReplayError, has_records, load_replay, public_course

PACKAGED_COURSE = Path(__file__).resolve().parent.parent / "course-data" / COURSE_FILE

# How the sandbox reports an exception: "raised <Type>..." (grader.sandbox.runner.StudentRaised),
# a function the file does not define, and a file that could not run (grader.grading.proxy).
_NOT_IMPLEMENTED_MARK = "raised NotImplementedError"
_MISSING_MARK = "is not defined in your submission"
_NOT_RUN_MARK = "your file could not be run"


class SelfCheckError(Exception):
    """A usage mistake (no such file, unknown exercise); `str()` is one sentence for the student."""


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
            f'name, as in check({json.dumps(exercise or "<exercise>")}, "<notebook>.ipynb").',
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


def run_command(
    path: str | Path, exercise: str | None = None, course_file: str | None = None
) -> int:
    """`grader check PATH`: print the summary; 0 when every public check passes, else 1."""
    summary = check_paths([path], exercise, course_file=course_file)
    print(summary)
    return 0 if summary.ok else 1
