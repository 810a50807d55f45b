"""A notebook's figures, read from the course's figure files (course.toml's `figures`).

A figure file is plain Python that draws: its module docstring is the caption (markdown, shown
above the drawing), the rest is the code cell. It is read here, never run: the notebook runs it.
Grading reads the code too, since it decides what a notebook's template preloads
(`grader.grading.run.released_preload`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from grader.course.model import CourseError, Figure, shown


@dataclass(frozen=True)
class FigureSource:
    """A figure as the notebook shows it: the caption's markdown and the code that draws it."""

    caption: str
    code: str


def read_figure(figure: Figure) -> FigureSource:
    """The caption and code of a figure file; a CourseError naming the file if it cannot be."""
    label = shown(figure.path)
    try:
        source = figure.path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=label)
    except OSError as error:
        raise CourseError(f"{label} could not be read ({error.strerror}).") from None
    except UnicodeDecodeError:
        raise CourseError(f"{label} is not UTF-8 text; save it as UTF-8.") from None
    except SyntaxError as error:
        raise CourseError(
            f"{label} has a syntax error at line {error.lineno} ({error.msg}); fix it so it parses."
        ) from None
    caption = ast.get_docstring(tree) or ""
    first = tree.body[0] if tree.body else None
    has_docstring = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and (isinstance(first.value.value, str))
    )
    lines = source.splitlines()
    code = "\n".join(lines[first.end_lineno :] if has_docstring and first else lines).strip()
    return FigureSource(caption, code)
