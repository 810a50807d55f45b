"""`grader validate`: a course's own test suite, run before releasing it.

Per assignment, in order, every finding a line of its own:

1. the stubs raise NotImplementedError and the reference has their signatures (read with `ast`,
   `grader.course.validation_static`);
2. the check files import and collect without problems, and every exercise has at least one
   hidden check (`grader.course.validation_checks`, in this process);
3. graded through the real sandbox, the reference passes every check and the stub none, and two
   gradings of the reference agree (`grader.course.validation_grading`); run twice in this
   process, every check asks the reference the same questions both times;
4. every named wrong formula loses points on its exercise with a message naming it;

then, for the course, the student release's recorded answers let the public checks pass on the
reference (`grader.course.validation_release`); and with `mutants`, the mutation score of each
assignment's checks with each surviving mutant (`grader.course.mutation`). Survivors are
information, not problems: a mutant may change nothing a check could see, which only a person
can tell, and a course should not have to game a score to validate.

A problem is one sentence naming the file (and line where there is one) and what to do; the
rest of the validation goes on. What one step cannot judge because an earlier one failed (the
engine grades nothing while a check file is broken) is said as information and skipped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from grader.course.config import Assignment, Course
from grader.course.model import shown
from grader.course.mutation import percent, score
from grader.course.validation_checks import (
    Rehearsal,
    formula_problems,
    import_problems,
    load_reference,
    rehearse,
    repeat_problems,
)
from grader.course.validation_grading import (
    Graded,
    differing_checks,
    grade_own_files,
)
from grader.course.validation_release import release_problems
from grader.course.validation_static import stub_problems
from grader.grading.run import GradingError
from grader.reports.text import plural

PROBLEM, OK, INFO, HEADING, SURVIVOR = "problem", "ok", "info", "heading", "survivor"


@dataclass(frozen=True)
class Line:
    """One line of the report: its `kind` (PROBLEM, OK, INFO, HEADING or SURVIVOR) and text."""

    kind: str
    text: str


Say = Callable[[Line], None]


@dataclass
class Summary:
    """What the validation found, for its last line."""

    problems: int = 0
    assignments: int = 0
    exercises: int = 0
    checks: int = 0
    formulas: int = 0
    seconds: float = 0.0

    @property
    def headline(self) -> str:
        """ "N problems", or what was found valid."""
        if self.problems:
            return plural(self.problems, "problem")
        return (
            f"course is valid: {plural(self.assignments, 'assignment')}, "
            f"{plural(self.exercises, 'exercise')}, {plural(self.checks, 'check')}, "
            f"{plural(self.formulas, 'named wrong formula')} (checked in {self.seconds:.1f} s)"
        )


@dataclass
class _Assignment:
    """One assignment's findings that later steps need."""

    problems: list[str] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)
    collected: bool = False  # the checks collected without problems, so the engine grades
    releasable: bool = False


def validate(
    course: Course,
    assignments: Sequence[Assignment],
    say: Say,
    *,
    mutants: bool = False,
    jobs: int | None = None,
) -> Summary:
    """Validate `assignments` of `course`, saying each finding as it is made; see the module."""
    start = time.perf_counter()
    summary = Summary(assignments=len(assignments))
    found: dict[str, _Assignment] = {}
    for assignment in assignments:
        found[assignment.id] = _validate_assignment(course, assignment, say, summary, jobs)
        if mutants and found[assignment.id].collected:
            _mutants(course, assignment, say, jobs or os.cpu_count())
    say(Line(HEADING, "student release"))
    if all(entry.releasable for entry in found.values()):
        where = {name: entry.where for name, entry in found.items()}
        problems = release_problems(course, assignments, where)
        _say_all(problems, say)
        summary.problems += len(problems)
        if not problems:
            say(Line(OK, "every public check passes on the reference with its recorded answers"))
    else:
        say(Line(INFO, "not checked until the problems above are fixed"))
    summary.seconds = time.perf_counter() - start
    return summary


def _validate_assignment(
    course: Course, assignment: Assignment, say: Say, summary: Summary, jobs: int | None
) -> _Assignment:
    """Every check of one assignment but the release's and the mutants'."""
    say(Line(HEADING, f"{assignment.id} ({plural(len(assignment.exercises), 'exercise')})"))
    summary.exercises += len(assignment.exercises)
    result = _Assignment()
    static = stub_problems(assignment)
    _say_all(static, say)
    if not static:
        say(Line(OK, "the stubs raise NotImplementedError; the reference has their signatures"))
    collection = import_problems(assignment)
    reference, why = load_reference(assignment)
    if why:
        collection.append(why)
    found = rehearse(course, assignment, reference) if reference is not None else Rehearsal()
    collection += [problem for problem in found.problems if problem not in collection]
    _say_all(collection, say)
    result.problems = static + collection
    if collection:
        say(Line(INFO, "the checks were not run: the engine grades nothing until these are fixed"))
        summary.problems += len(result.problems)
        return result
    result.collected = True
    result.where = {info.name: info.where for info in found.checks}
    summary.checks += len(found.checks)
    hidden = sum(info.hidden for info in found.checks)
    say(Line(OK, f"{plural(len(found.checks), 'check')} collected ({hidden} hidden)"))
    coverage = _coverage(course, assignment, found)
    graded = grade_own_files(course, assignment, result.where, jobs=min(2, jobs or 2))
    repeats = _repeat_sentences(found, graded)
    # A formula of an exercise whose checks fail on the reference itself says nothing more.
    failing = {check.exercise for run in graded.reference for exercise in run.exercises.values()
               for check in exercise.checks if not check.passed}  # fmt: skip
    formulas = formula_problems(found, assignment, skip=failing)
    untried = sorted({formula.exercise for formula, _ in found.formulas} & failing)
    if untried:
        their = "its" if len(untried) == 1 else "their"
        say(Line(INFO, f"the named wrong formulas of {', '.join(untried)} were not tried: "
                       f"the reference fails {their} checks"))  # fmt: skip
    tried = len([formula for formula, _ in found.formulas if formula.exercise not in failing])
    summary.formulas += len(found.formulas)
    for problems, fine in (
        (coverage, "every exercise has a hidden check"),
        (graded.problems, "the reference passes every check; the stub passes none"),
        (repeats, "grading the reference twice gives the same results"),
        (formulas, _formulas_fine(tried)),
    ):
        _say_all(problems, say)
        if not problems and fine:
            say(Line(OK, fine))
        result.problems += problems
    summary.problems += len(result.problems)
    failing_public = any(
        not check.passed and not check.hidden
        for run in graded.reference[:1]
        for exercise in run.exercises.values()
        for check in exercise.checks
    )
    result.releasable = bool(graded.reference) and not failing_public
    return result


def _coverage(course: Course, assignment: Assignment, found: Rehearsal) -> list[str]:
    """One sentence per exercise without a hidden check (or without any check)."""
    hidden_file = f"checks/{assignment.id}/hidden.py"
    if assignment.hidden_checks is not None:
        hidden_file = shown(assignment.hidden_checks)
    problems = []
    for exercise in assignment.exercises:
        own = [info for info in found.checks if info.exercise == exercise.id]
        if not own:
            problems.append(
                f"{hidden_file}: exercise {exercise.id} of {assignment.id} has no check at all, "
                f'so it can only score 0; add checks marked @check("{exercise.id}").'
            )
        elif not any(info.hidden for info in own):
            problems.append(
                f"{hidden_file}: exercise {exercise.id} of {assignment.id} has no hidden check, "
                "so grading asks nothing students could not see; add one marked "
                f'@check("{exercise.id}") there.'
            )
    return problems


def _repeat_sentences(found: Rehearsal, graded: Graded) -> list[str]:
    """One sentence per check that did not do the same twice, by its requests or results."""
    sentences = repeat_problems(found)
    outcomes = dict(graded.differing)
    if len(found.reference) == 2:
        outcomes = {**differing_checks(*found.reference), **outcomes}
    for info in found.checks:
        if info.name in outcomes and info.name not in sentences:
            sentences[info.name] = (
                f"{info.where}: the check {info.name} of {info.exercise} gave different results "
                f"in two gradings of the reference ({outcomes[info.name]}); draw every random "
                "input from the rng fixture so that a regrade gives the same grade."
            )
    return [sentences[info.name] for info in found.checks if info.name in sentences]


def _formulas_fine(tried: int) -> str:
    if not tried:
        return "no named wrong formulas to try (declare them with wrong_formulas() in known.py)"
    if tried == 1:
        return "the named wrong formula loses points with a message naming it"
    return f"{tried} named wrong formulas each lose points with a message naming them"


def _mutants(course: Course, assignment: Assignment, say: Say, jobs: int | None) -> None:
    """Grade the one-site mutants of the reference and say the score and each survivor."""
    try:
        result = score(course, assignment, jobs=jobs, hidden_only=True)
    except GradingError as error:
        say(Line(INFO, f"mutants not graded: {' '.join(str(error).split())}"))
        return
    total = len(result.outcomes)
    say(
        Line(
            INFO,
            f"mutation score: {result.killed} of {plural(total, 'mutant')} killed "
            f"({percent(result.killed, total)}), graded in {result.seconds:.1f} s",
        )
    )
    cells = [f"{name} {killed}/{count}" for name, (killed, count) in result.per_function().items()]
    if cells:
        say(Line(INFO, "killed per function: " + ", ".join(cells)))
    if result.reference_losses:
        lost = ", ".join(result.reference_losses)
        say(Line(INFO, f"the reference itself loses points on {lost}: mutants there survive"))
    solution = shown(assignment.solution)
    for outcome in result.survivors:
        mutant = outcome.mutant
        elsewhere = f"; it lost points on {', '.join(outcome.lost)} instead" if outcome.lost else ""
        say(
            Line(
                SURVIVOR,
                f"{solution}, line {mutant.line}, in {mutant.function} ({mutant.operator}): "
                f"{mutant.original}  ->  {mutant.mutated}{elsewhere}",
            )
        )


def _say_all(problems: Sequence[str], say: Say) -> None:
    for problem in problems:
        say(Line(PROBLEM, problem))
