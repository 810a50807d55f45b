"""The course: finds and reads course.toml, and hands the rest of grader frozen dataclasses.

A course author's mistake becomes one `CourseError` sentence that names the file and the dotted
key and says what to do, so the command line can print it and stop without a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from grader.course.model import (
    COURSE_FILE,
    Assignment,
    Course,
    CourseError,
    Exercise,
    Limits,
    shown,
)
from grader.course.reader import CourseReader, function_names

__all__ = [
    "COURSE_FILE", "Assignment", "Course", "CourseError", "Exercise", "Limits", "find_course",
    "load_course", "module_functions",
]  # fmt: skip


def find_course(explicit: str | Path | None = None, cwd: Path | None = None) -> Path:
    """The absolute path of course.toml: `explicit` (a file or its folder) or cwd/course.toml."""
    folder = Path.cwd() if cwd is None else Path(cwd)
    if explicit is not None:
        candidate = folder / explicit
        if candidate.is_dir():
            candidate = candidate / COURSE_FILE
        if not candidate.is_file():
            raise CourseError(
                f"{shown(candidate)} does not exist; pass the path of the course's course.toml "
                "with --course PATH."
            )
        return candidate.resolve()
    candidate = folder / COURSE_FILE
    if not candidate.is_file():
        raise CourseError(
            f"no course.toml in {folder}; run from the course folder or pass --course PATH."
        )
    return candidate.resolve()


def module_functions(path: Path) -> tuple[str, ...]:
    """The top-level function names of a Python module, in order, read without running it."""
    return function_names(Path(path), shown(Path(path)))


def load_course(path: str | Path) -> Course:
    """Read and check course.toml; any mistake in it is a CourseError naming the file and key."""
    course_path = Path(path).resolve()
    label = shown(Path(path))
    try:
        text = course_path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CourseError(f"{label} does not exist; check the path of course.toml.") from None
    except OSError as error:
        raise CourseError(f"{label} could not be read ({error.strerror}).") from None
    except UnicodeDecodeError:
        raise CourseError(f"{label} is not UTF-8 text; save it as UTF-8.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        reason = " ".join(str(error).split())
        raise CourseError(f"{label} is not valid TOML: {reason}; fix it there.") from None
    return CourseReader(label, course_path).course(data)
