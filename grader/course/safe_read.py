"""Reading one file below a trusted folder, through real folders only, never following a link.

The folder the instructor names is trusted; everything below it is the students'. `read_below`
opens each component relative to its parent's descriptor with O_NOFOLLOW and checks the opened
file's descriptor, so no symbolic link, hard link or special file can be read in place of a
student's own file, and nothing can be swapped in between the check and the read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

# The folder the instructor names may itself be a link (their choice); every component below it
# is opened with O_NOFOLLOW. O_NONBLOCK: opening a named pipe must not wait for a writer.
_ROOT_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_SPECIAL_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class RefusedFile(Exception):
    """A file below the submissions folder that was not read.

    str() is one sentence for the student: the file's `name`, what is wrong with it (`problem`,
    such as "is a symbolic link") and what to do (`advice`). `absent` says there is simply no
    file there.
    """

    def __init__(self, name: str, problem: str, advice: str, *, absent: bool = False) -> None:
        super().__init__(f"{name} {problem}; {advice}.")
        self.name, self.problem, self.advice, self.absent = name, problem, advice, absent


def read_below(root: Path, relative: str, limit: int) -> bytes:
    """At most `limit + 1` bytes of the regular file `relative` (a POSIX path) below `root`.

    Raises `RefusedFile`, whose sentence names `relative`, when that is not a regular file reached
    through real folders. Each component is opened relative to its parent's descriptor with
    O_NOFOLLOW, and the file's descriptor is checked with fstat after opening, so no link or
    special file can be swapped in between the check and the read; only that descriptor is read.
    """
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise ValueError(f"{relative!r} is not a path below a folder")
    descriptor = _open_below(root, parts, relative)
    try:
        with open(descriptor, "rb", closefd=False) as stream:
            return stream.read(limit + 1)
    except OSError as error:
        raise RefusedFile(
            relative, f"could not be read ({error.strerror or error})", "submit it again"
        ) from None
    finally:
        os.close(descriptor)


def _open_below(root: Path, parts: tuple[str, ...], name: str) -> int:
    """A descriptor of the regular file `root/parts...`, every folder on the way a real one."""
    try:
        folder = os.open(root, _ROOT_FLAGS)
    except OSError as error:
        raise _unopened(name, error) from None
    try:
        for depth, part in enumerate(parts[:-1], start=1):
            try:
                inner = os.open(part, _FOLDER_FLAGS, dir_fd=folder)
            except OSError as error:
                # Linux says ENOTDIR for a link opened with O_DIRECTORY | O_NOFOLLOW, others
                # ELOOP or EMLINK: look at the entry itself to say what it is.
                if _is_link(part, folder):
                    problem = f"is inside {'/'.join(parts[:depth])}, which is a symbolic link"
                    raise RefusedFile(name, problem, "submit the folder itself") from None
                raise _unopened(name, error) from None
            os.close(folder)
            folder = inner
        return _open_file(folder, parts[-1], name)
    finally:
        os.close(folder)


def _open_file(folder: int, part: str, name: str) -> int:
    """A descriptor of the regular file `part` in the open folder `folder`."""
    # Looked at before opening only so that a device is never opened at all (opening some has
    # effects, such as rewinding a tape); the check that decides is the one on the descriptor.
    try:
        _require_regular(os.stat(part, dir_fd=folder, follow_symlinks=False), name)
        descriptor = os.open(part, _FILE_FLAGS, dir_fd=folder)
    except OSError as error:
        if _is_link(part, folder):  # swapped in since it was looked at
            raise RefusedFile(name, "is a symbolic link", "submit the file itself") from None
        raise _unopened(name, error) from None
    try:
        _require_regular(os.fstat(descriptor), name)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _require_regular(status: os.stat_result, name: str) -> None:
    """Raise `RefusedFile` unless `status` is that of a regular file with no other name."""
    if stat.S_ISLNK(status.st_mode):
        raise RefusedFile(name, "is a symbolic link", "submit the file itself")
    if not stat.S_ISREG(status.st_mode):
        special = (what for test, what in _SPECIAL_FILES if test(status.st_mode))
        what = next(special, "a special file")
        raise RefusedFile(name, f"is not a regular file (it is {what})", "submit the file itself")
    # A hard link is the one way left to reach a file outside the folder without a symbolic
    # link (it cannot cross file systems, so comparing st_dev with the root's would add nothing;
    # mount points below the root are the instructor's, not something a student can make). An
    # upload folder never hard-links a submission legitimately, so any second name is refused;
    # the cost is that a folder copied with `cp -al` must be copied again with plain `cp -r`.
    if status.st_nlink > 1:
        raise RefusedFile(name, "is a hard link (a second name of another file)", "submit a copy")


def _is_link(part: str, folder: int) -> bool:
    try:
        return stat.S_ISLNK(os.stat(part, dir_fd=folder, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _unopened(name: str, error: OSError) -> RefusedFile:
    problem = f"could not be opened ({error.strerror or error})"
    return RefusedFile(name, problem, "submit it again", absent=error.errno == errno.ENOENT)
