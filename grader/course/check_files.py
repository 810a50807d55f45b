"""A course's check files, imported by the engine itself, each from the path course.toml gives.

Check files live in the course folder, not in any package, so they are imported under a package
made for their folder: `from .known import MISTAKES` in `checks/week1/hidden.py` imports
`checks/week1/known.py`, and two assignments' `hidden.py` never collide. pytest collects
them through `CheckModule`, so it never puts a course folder on `sys.path`. A file that cannot
be imported is a `CheckFileError` of one sentence naming the file and the line.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import sys
import traceback
from pathlib import Path
from types import ModuleType

import pytest

from grader.course.model import shown

PACKAGE_PREFIX = "gradkit_checks_"


class CheckFileError(Exception):
    """A check file that could not be imported; `str()` names the file, the line and the cause."""


def package_for(folder: Path) -> str:
    """The name of the package standing for one folder of check files (made on first use)."""
    folder = folder.resolve()
    name = (
        PACKAGE_PREFIX
        + hashlib.sha256(str(folder).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    )
    if name not in sys.modules:
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        package = importlib.util.module_from_spec(spec)
        package.__path__ = [str(folder)]
        sys.modules[name] = package
    return name


def module_name(path: Path) -> str:
    """The module name a check file is imported under."""
    return f"{package_for(path.parent)}.{path.stem}"


def import_check_file(path: Path) -> ModuleType:
    """Import the check file at `path` (once per process); a CheckFileError if it fails."""
    path = Path(path).resolve()
    name = module_name(path)
    if name in sys.modules:
        return sys.modules[name]
    try:
        return importlib.import_module(name)
    except SyntaxError as error:
        where = _location(error.filename or str(path), error.lineno)
        reason = " ".join(str(error.msg).split())
        raise CheckFileError(f"{where}: {reason}; fix the check file so that it imports.") from None
    except Exception as error:  # whatever the author's module raised: one sentence, no traceback
        sys.modules.pop(name, None)
        frames = [
            frame for frame in traceback.extract_tb(error.__traceback__)
            if not frame.filename.startswith(str(Path(__file__).resolve().parent.parent))
            and "importlib" not in frame.filename
        ]  # fmt: skip
        frame = frames[-1] if frames else None
        where = _location(frame.filename, frame.lineno) if frame else shown(path)
        cause = " ".join(f"{type(error).__name__}: {error}".split())
        raise CheckFileError(
            f"{where}: importing {shown(path)} raised {cause}; fix the check file so that it "
            "imports."
        ) from None


def _location(filename: str, line: int | None) -> str:
    where = shown(Path(filename))
    return f"{where}, line {line}" if line else where


class CheckModule(pytest.Module):
    """A check file as pytest collects it, imported by `import_check_file` instead of pytest."""

    def _getobj(self) -> ModuleType:
        try:
            return import_check_file(self.path)
        except CheckFileError as error:
            raise self.CollectError(str(error)) from None
