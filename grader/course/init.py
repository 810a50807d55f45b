"""`grader init`: a new course folder, copied from the template that ships with gradkit.

The template (`grader/course/template/`) is a complete small course: course.toml, one assignment
`slopes` with its stub, reference solution, public and hidden checks and a named wrong formula,
and a README for the instructor. It is data, not part of the package's modules: nothing imports
it, and it has no `__init__.py`. Only course.toml is filled in (`$course_id`, `$seed`, with
`string.Template`); every other file is copied byte for byte.
"""

from __future__ import annotations

import re
import secrets
import string
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "template"
# The template's one assignment, named in what `grader init` says to run next.
ASSIGNMENT = "slopes"
# The template files with `$name` placeholders; the others may hold a `$` of their own.
FILLED = ("course.toml",)
# What may lie next to the template's files without being part of it: pip byte-compiles every
# .py file it installs, the template's too.
SKIPPED_FOLDERS = frozenset({"__pycache__"})
SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo"})
# Seeds of nine digits: as hard to guess as any, and each looks like a seed, not like a point.
SEEDS = (10**8, 10**9)
DEFAULT_ID = "my-course"


class InitError(Exception):
    """The course folder could not be written; `str()` is one sentence naming the folder and
    what to do."""


def write_course(folder: Path, *, seed: int | None = None) -> list[Path]:
    """Copy the template course into `folder` (created if needed); return the files written.

    `folder` must be new or empty: a file, or a folder holding anything, is an `InitError`, so
    that nothing of the instructor's is ever overwritten. The course id is made from the
    folder's name and the seed of the hidden inputs is drawn at random unless `seed` is given.
    """
    folder = Path(folder)
    check_target(folder)
    values = {
        "course_id": course_id(folder),
        "seed": str(secrets.randbelow(SEEDS[1] - SEEDS[0]) + SEEDS[0] if seed is None else seed),
    }
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for source in template_files():
            relative = source.relative_to(TEMPLATE)
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            if relative.as_posix() in FILLED:
                text = string.Template(data.decode("utf-8")).substitute(values)
                data = text.encode("utf-8")
            # "x": should a file appear there after the check above, it is kept, not replaced.
            with open(target, "xb") as file:
                file.write(data)
            written.append(target)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InitError(
            f"the course could not be written into {folder} ({reason}); give grader init a new "
            "folder where you can write."
        ) from None
    return written


def check_target(folder: Path) -> None:
    """Raise `InitError` unless `folder` is a new or an empty folder that can be made."""
    try:
        if folder.is_dir():
            if any(folder.iterdir()):
                raise InitError(
                    f"{folder} is not empty; give grader init a new or empty folder, so that "
                    "nothing in it is overwritten."
                )
            return
        if folder.exists() or folder.is_symlink():
            raise InitError(
                f"{folder} exists and is not a folder; give grader init the name of a new folder."
            )
        existing = next(place for place in folder.parents if place.exists())
    except OSError as error:  # a folder on the way that cannot be looked into
        reason = error.strerror or type(error).__name__
        raise InitError(
            f"{folder} cannot be looked into ({reason}); give grader init a folder you can "
            "write in."
        ) from None
    if not existing.is_dir():
        raise InitError(
            f"{existing} is a file, so {folder} cannot be created in it; give grader init "
            "another folder."
        )


def template_files() -> list[Path]:
    """The template's files, in a stable order (byte code left out)."""
    return sorted(
        path
        for path in TEMPLATE.rglob("*")
        if path.is_file()
        and path.suffix not in SKIPPED_SUFFIXES
        and not SKIPPED_FOLDERS.intersection(path.relative_to(TEMPLATE).parts)
    )


def course_id(folder: Path) -> str:
    """A course id made from the folder's name: lower case, words joined by hyphens."""
    name = folder.absolute().resolve().name
    words = re.findall(r"[a-z0-9]+", name.lower())
    return "-".join(words) or DEFAULT_ID
