"""What `grader check` found, and how it is shown: text in a terminal, HTML in Jupyter."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

from grader.reports.text import plural, printable

PASSED = "passed"
FAILED = "failed"
NOT_IMPLEMENTED = "not implemented yet"
MISSING = "missing"
NOT_RUN = "not run"
UNCHECKED = "no public checks"
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
