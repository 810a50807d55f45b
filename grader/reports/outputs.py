"""Checks that an output folder can be written, made before any work whose results go there.

Grading a class takes minutes; finding out only then that `--out` names a file or a folder
nobody may write in would lose the grades. Every command that writes checks its folder first
with `check_output_folder`, which creates nothing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path


class OutputError(Exception):
    """An output folder that cannot be written; `str()` is one sentence for the user."""


def check_output_folder(folder: Path, option: str, *, files: Sequence[str] = ()) -> None:
    """Raise `OutputError` unless `folder` (named by `option` in the advice) can be written.

    `folder` need not exist yet: then the nearest folder above it that exists must be writable,
    since that is where it will be created. `files` are names to be written inside it, which
    must not be folders. Writing is tried for real (a temporary file, removed at once) rather
    than asked of `os.access`, which says yes to root even on a read-only file system.
    """
    try:
        _check(Path(folder), option, files)
    except OSError as error:  # a folder on the way that cannot even be looked into
        reason = error.strerror or type(error).__name__
        raise OutputError(
            f"{folder} cannot be written ({reason}); give {option} a folder you can write in."
        ) from None


def _check(folder: Path, option: str, files: Sequence[str]) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file, not a folder; give {option} a folder.")
    existing = next(place for place in (folder, *folder.parents) if place.exists())
    if not existing.is_dir():
        raise OutputError(
            f"{existing} is a file, so {folder} cannot be created in it; give {option} a folder."
        )
    try:
        descriptor, probe = tempfile.mkstemp(prefix=".gradkit-probe-", dir=existing)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise OutputError(
            f"{folder} cannot be written ({reason} in {existing}); give {option} a folder "
            "you can write in."
        ) from None
    os.close(descriptor)
    os.unlink(probe)
    for name in files:
        if (folder / name).is_dir():
            raise OutputError(
                f"{folder / name} is a folder, where {name} is to be written; move it away or "
                f"give {option} another folder."
            )
