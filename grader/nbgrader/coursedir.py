"""An instructor's nbgrader course directory, read the way nbgrader reads it.

The settings come from the directory's `nbgrader_config.py` through traitlets and nbgrader's own
`CourseDirectory` (course id, database URL, folder names), so a course configured for nbgrader is
configured for `grader grade --nbgrader` too. Submissions are nbgrader's layout:
`submitted/<student>/<assignment>/<notebook>.ipynb`, with `timestamp.txt` beside the notebook.
Below `submitted/` everything is the students': files there are read only through
`grader.course.submissions.read_below`, which refuses symbolic links and anything but regular files.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import parse_utc
from traitlets.config import Config
from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

from grader.course.safe_read import RefusedFile, read_below

CONFIG_FILE = "nbgrader_config.py"
TIMESTAMP_FILE = "timestamp.txt"
# nbgrader writes one line of about 30 characters; anything much longer is not a timestamp.
MAX_TIMESTAMP_BYTES = 1000


class CourseDirectoryError(Exception):
    """The course directory cannot be used; `str()` is one sentence naming what to fix."""


@dataclass(frozen=True)
class StudentFolder:
    """One student's submitted folder of an assignment, and when it was submitted, if known."""

    student: str
    folder: Path
    timestamp: dt.datetime | None
    problem: str | None = None  # why timestamp.txt was not used, for the instructor


@dataclass(frozen=True)
class NbgraderCourse:
    """A course directory with its configuration loaded."""

    root: Path
    config: Config
    directory: CourseDirectory

    @property
    def db_url(self) -> str:
        """The gradebook's database URL, as nbgrader computes it."""
        return self.directory.db_url

    @property
    def course_id(self) -> str:
        """The course id in the gradebook (empty when nbgrader_config.py sets none)."""
        return self.directory.course_id

    def path(self, kind: str, student: str, assignment: str) -> Path:
        """A folder of nbgrader's layout: `kind` is "submitted", "autograded", "source", ..."""
        folder = getattr(self.directory, f"{kind}_directory")
        return Path(self.directory.format_path(folder, student, assignment))

    def student_folders(self, assignment: str) -> list[StudentFolder]:
        """Every student who submitted `assignment`, sorted by id.

        A student whose folder or assignment folder is a symbolic link is listed all the same:
        only reading refuses it, so the student is graded 0 with the reason instead of vanishing.
        """
        submitted = self.submitted_root
        if not submitted.is_dir():
            return []
        found = []
        for entry in sorted(submitted.iterdir()):
            folder = entry / assignment
            if entry.name.startswith(".") or not entry.is_dir() or not os.path.lexists(folder):
                continue
            relative = f"{entry.name}/{assignment}/{TIMESTAMP_FILE}"
            timestamp, problem = read_timestamp(submitted, relative)
            found.append(StudentFolder(entry.name, folder, timestamp, problem))
        return found

    @property
    def submitted_root(self) -> Path:
        """The `submitted` folder, below which every file is a student's."""
        return Path(self.directory.format_path(self.directory.submitted_directory, ".", "."))


def open_course_directory(root: Path) -> NbgraderCourse:
    """Load `root/nbgrader_config.py` (when present) and nbgrader's view of the directory."""
    if not root.is_dir():
        raise CourseDirectoryError(
            f"{root} is not a folder; give the nbgrader course directory "
            "(the one holding nbgrader_config.py)."
        )
    try:
        config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    except ConfigFileNotFound:
        config = Config()
    except Exception as error:  # the file is the instructor's Python: any error can happen
        raise CourseDirectoryError(
            f"{root / CONFIG_FILE} could not be read ({type(error).__name__}: {error}); fix it."
        ) from None
    directory = CourseDirectory(config=config)
    directory.root = str(root.resolve())
    return NbgraderCourse(root.resolve(), config, directory)


def read_timestamp(root: Path, relative: str) -> tuple[dt.datetime | None, str | None]:
    """A submission's time from its timestamp.txt, `relative` below the submitted folder `root`,
    as nbgrader parses it (UTC), or why there is none.

    nbgrader stores naive UTC times in the gradebook; so does this.
    """
    path = root / relative
    try:
        data = read_below(root, relative, MAX_TIMESTAMP_BYTES)
    except RefusedFile as refused:
        if refused.absent:
            return None, None
        return None, f"{path} {refused.problem}; the submission is treated as on time."
    text = data.decode("utf-8", errors="replace").strip()
    if not text:
        return None, f"{path} is empty; the submission is treated as on time."
    if len(data) > MAX_TIMESTAMP_BYTES:
        return None, f"{path} does not hold a date and time; the submission is treated as on time."
    try:
        return parse_utc(text), None
    except (ValueError, OverflowError):
        return None, f"{path} does not hold a date and time; the submission is treated as on time."
