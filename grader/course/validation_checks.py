"""What `grader validate` learns by running the checks in its own process, with no sandbox.

The check files are imported (each failure one `CheckFileError` sentence) and collected by the
real plugin in one pytest session, which reports every collection problem (a check of an
exercise course.toml does not list, two checks of one name). The same session then grades
trusted code only, in this process (`grader.grading.plugin.InProcess`): the reference twice, to
see every check ask the same questions each time (a check drawing inputs from an unseeded
generator does not), and the reference with one exercise replaced by each named wrong formula
(`grader.authoring.wrong_formulas`), which must lose points on that exercise with a message that
names it. Formulas are often lambdas: they could not be written out as submission files.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from grader.authoring.wrong import WrongFormula, declared_in
from grader.course.check_files import CheckFileError, import_check_file, module_name
from grader.course.config import Assignment, Course
from grader.course.model import shown
from grader.grading.collection import load_module
from grader.grading.plugin import GradingPlugin, InProcess
from grader.grading.results import SubmissionResult
from grader.grading.session import check_modules, pytest_arguments

REFERENCE = "(reference)"
WRONG = "(wrong formula)"
# Points are rounded to 6 places in results; anything below this is float noise, not a loss.
LOSS = 1e-9
HINT = "This looks like"  # how a failing check names a mistake (grader.oracles.misconceptions)


@dataclass(frozen=True)
class CheckInfo:
    """A collected check: its name, its exercise, whether it is hidden, and where it is."""

    name: str
    exercise: str
    hidden: bool
    where: str


@dataclass
class Rehearsal:
    """What the in-process session found: problems, the checks, and the trusted results."""

    problems: list[str] = field(default_factory=list)
    checks: list[CheckInfo] = field(default_factory=list)
    # The reference graded twice, each run's requests per check (in the order of `checks`).
    reference: list[SubmissionResult] = field(default_factory=list)
    requests: list[list[tuple[bytes, ...]]] = field(default_factory=list)
    formulas: list[tuple[WrongFormula, SubmissionResult]] = field(default_factory=list)

    def where(self, check: str) -> str:
        """The file and line of the check named `check`."""
        return next((info.where for info in self.checks if info.name == check), check)


class _Items:
    """Keeps the session's checks once collection has ordered and filtered them."""

    def __init__(self) -> None:
        self.items: list[pytest.Item] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Remember the final list of checks."""
        self.items = list(session.items)


def import_problems(assignment: Assignment) -> list[str]:
    """Import every check file of the assignment (the wrong formulas' file too): one sentence
    per file that does not import."""
    problems = []
    files = (assignment.public_checks, assignment.hidden_checks, assignment.wrong_formulas)
    for path in files:
        if path is None:
            continue
        try:
            import_check_file(path)
        except CheckFileError as error:
            problems.append(str(error))
    return problems


def load_reference(assignment: Assignment) -> tuple[ModuleType | None, str]:
    """The reference solution imported in this process (a copy of its own, so that grading it
    as a student shares nothing with the `reference` fixture), or why it cannot be."""
    path = str(assignment.solution).encode("utf-8", "surrogateescape")
    name = f"gradkit_validated_{hashlib.sha256(path).hexdigest()[:12]}"
    try:
        return load_module(assignment.solution, name), ""
    except Exception as error:  # the author's module, whatever it raised: one sentence
        sys.modules.pop(name, None)
        cause = " ".join(f"{type(error).__name__}: {error}".split())
        return None, (
            f"{shown(assignment.solution)}: importing the reference solution raised {cause}; fix "
            "it so that it imports."
        )


def rehearse(course: Course, assignment: Assignment, reference: ModuleType) -> Rehearsal:
    """Collect the checks and grade the trusted reference and wrong formulas in this process."""
    found = Rehearsal()
    files = check_modules(assignment)
    if not files:
        found.problems.append(
            f"{shown(course.path)}: assignment {assignment.id} has no check files (looked for "
            f"checks/{assignment.id}/public.py and hidden.py); write them, or name them with "
            "public_checks and hidden_checks."
        )
        return found
    exercises = set(assignment.points_by_exercise)
    formulas = formulas_of(assignment)
    found.problems += [_unknown(formula, assignment) for formula in formulas
                       if formula.exercise not in exercises]  # fmt: skip
    formulas = [formula for formula in formulas if formula.exercise in exercises]
    records: list[tuple[list[bytes], list[int]]] = [([], []), ([], [])]
    entries = [InProcess(REFERENCE, functions_of(reference), record) for record in records]
    entries += [
        InProcess(WRONG, functions_of(reference, formula), exercise=formula.exercise)
        for formula in formulas
    ]
    results: list[SubmissionResult] = []
    plugin, kept, output = _session(course, assignment, files, entries, results)
    found.problems += plugin.problems
    if output and not plugin.problems:
        found.problems.append(f"the checks of {assignment.id} could not be run: {output}")
    found.checks = [_info(item, plugin.specs[item.nodeid]) for item in kept.items
                    if item.nodeid in plugin.specs]  # fmt: skip
    if len(results) == len(entries):
        found.reference = results[:2]
        found.requests = [_per_check(requests, starts) for requests, starts in records]
        found.formulas = list(zip(formulas, results[2:], strict=True))
    return found


def formulas_of(assignment: Assignment) -> list[WrongFormula]:
    """The named wrong formulas that the assignment's check files declared when imported."""
    files = (assignment.public_checks, assignment.hidden_checks, assignment.wrong_formulas)
    return declared_in({module_name(path) for path in files if path is not None})


def functions_of(reference: ModuleType, formula: WrongFormula | None = None) -> SimpleNamespace:
    """The reference's functions as a submission's, one exercise replaced by `formula`."""
    functions = {name: value for name, value in vars(reference).items()
                 if callable(value) and not name.startswith("__")}  # fmt: skip
    if formula is not None:
        functions[formula.exercise] = formula.function
    return SimpleNamespace(**functions)


def formula_where(formula: WrongFormula, assignment: Assignment) -> str:
    """The file (and line) where a wrong formula is written."""
    code = getattr(formula.function, "__code__", None)
    path = getattr(code, "co_filename", None)
    if path is None:
        files = (assignment.public_checks, assignment.hidden_checks, assignment.wrong_formulas)
        by_module = {module_name(path): path for path in files if path is not None}
        path = by_module.get(formula.module)
    if path is None:
        return formula.module
    return f"{shown(Path(path))}, line {code.co_firstlineno}" if code else shown(Path(path))


def formula_problems(
    found: Rehearsal, assignment: Assignment, skip: set[str] | frozenset[str] = frozenset()
) -> list[str]:
    """One sentence per wrong formula that its exercise's checks accept, or do not name (none
    for the exercises in `skip`, whose checks fail on the reference itself)."""
    if not found.reference:
        return []
    baseline = found.reference[0]
    problems = []
    for formula, result in found.formulas:
        if formula.exercise in skip:
            continue
        where = formula_where(formula, assignment)
        exercise = result.exercises[formula.exercise]
        # Only this exercise's checks ran: the reference's points on them are the baseline.
        earned = sum(check.points for check in baseline.exercises[formula.exercise].checks)
        if exercise.points >= earned - LOSS:
            problems.append(
                f"{where}: the wrong formula {formula.name!r} of {formula.exercise} passes every "
                f"check of {formula.exercise}; add a check input on which it gives another answer "
                "than the reference (if no input can, the reference makes that very mistake: fix "
                "the solution)."
            )
        elif not any(_names(check.message, formula.name) for check in exercise.checks
                     if not check.passed):  # fmt: skip
            failed = [check for check in exercise.checks if not check.passed]
            # A message naming another mistake is the likely cause: two formulas alike there.
            hinted = [check for check in failed if HINT in check.message] or failed
            said = hinted[0].message
            said = said[said.index(HINT) :] if HINT in said else said
            problems.append(
                f"{where}: the wrong formula {formula.name!r} of {formula.exercise} loses points, "
                f"but no failing check names it (check {hinted[0].name} says: {_short(said)}); "
                "give a check an input on which it differs from the reference and from the other "
                "formulas, and pass it to diagnose() there (wrong= of same_number and its kin)."
            )
    return problems


def repeat_problems(found: Rehearsal) -> dict[str, str]:
    """Per check that asked the reference other questions in its second run, why it is wrong."""
    if len(found.requests) < 2:
        return {}
    first, second = found.requests
    return {
        info.name: (
            f"{info.where}: the check {info.name} of {info.exercise} calls the submission with "
            "other inputs each time it runs (two gradings of the reference differ); draw its "
            "inputs from the rng fixture, never from random or an unseeded np.random."
        )
        for info, one, other in zip(found.checks, first, second, strict=False)
        if one != other
    }


def _session(
    course: Course,
    assignment: Assignment,
    files: Sequence[Path],
    entries: list[InProcess],
    results: list[SubmissionResult],
) -> tuple[GradingPlugin, _Items, str]:
    """One pytest session of the real plugin in this process, grading `entries` only."""
    plugin = GradingPlugin(
        course, assignment, [], lambda result, _layers: results.append(result), in_process=entries
    )
    kept = _Items()
    # pytest's terminal output is not for anyone here: what matters comes back through plugins.
    # Warnings too: wrong formulas divide by zero, which a worker's discarded stderr would hide.
    with contextlib.redirect_stdout(io.StringIO()) as captured, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        status = pytest.main(pytest_arguments(list(files), course.root), plugins=[plugin, kept])
    output = ""
    if status not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        lines = [line for line in captured.getvalue().splitlines() if line.strip()]
        output = lines[-1].removeprefix("INTERNALERROR> ").strip() if lines else str(status)
    return plugin, kept, output


def _info(item: pytest.Item, spec: Any) -> CheckInfo:
    line = item.location[1]
    where = shown(Path(item.path)) + (f", line {line + 1}" if line is not None else "")
    return CheckInfo(spec.name, spec.exercise, spec.hidden, where)


def _per_check(requests: list[bytes], starts: list[int]) -> list[tuple[bytes, ...]]:
    ends = [*starts[1:], len(requests)]
    return [tuple(requests[start:end]) for start, end in zip(starts, ends, strict=True)]


def _unknown(formula: WrongFormula, assignment: Assignment) -> str:
    return (
        f"{formula_where(formula, assignment)}: the wrong formula {formula.name!r} is declared "
        f"for {formula.exercise}, which is not an exercise of {assignment.id}; fix the exercise "
        "name in wrong_formulas()."
    )


def _names(message: str, name: str) -> bool:
    """Whether a check's message names the formula (spacing and case aside)."""
    return " ".join(name.split()).casefold() in " ".join(message.split()).casefold()


def _short(message: str, limit: int = 120) -> str:
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
