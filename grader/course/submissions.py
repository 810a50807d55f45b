"""Finds the submissions of one assignment, and reads their code as text, never running any of it.

Layouts, which may be mixed in one folder:

- one file: `alice.py` or `alice.ipynb` (the student id is the file's stem);
- a folder of files, one per student: `<student>.py` / `<student>.ipynb`;
- a folder of folders, one per student: `<student>/<assignment>.py` or `.ipynb`, or nbgrader's
  `<student>/<assignment>/<assignment>.ipynb` (the student id is the folder's name).

Finding is separate from reading: `discover` only locates files, and each grading session reads a
submission (`Submission.read`) just before grading it, so the grader never holds the code of
10,000 submissions at once. A `.py` file gives one cell, a notebook one cell per code cell with
IPython syntax neutralised (`grader.course.notebook_source`). A file that cannot be read gives an
`error` of one sentence for the student, so grading goes on; a mistake in the path itself raises
`SubmissionsError` for the instructor.

The folder the instructor names is trusted; everything below it is the students'. A submission is
read only if it is a regular file reached from that folder through real folders: a symbolic link
(to the solutions, to another student's file, to course.toml), a named pipe or a device is refused
with a sentence, and the target is never opened. The check is made on the opened descriptor
(`read_below`), so nothing can be swapped in between a check and the read.
"""

from __future__ import annotations

import io
import json
import os
import stat
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePath, PurePosixPath

from grader.course.notebook_source import (
    MAX_JSON_DEPTH,
    bounded,
    json_too_deep,
    neutralise,
    without_self_checks,
)
from grader.course.safe_read import RefusedFile, read_below

KINDS = ("py", "ipynb")
MAX_SOURCE_BYTES = 1_000_000
# Notebooks keep their outputs (plots are tens of kB each), so the file may be larger than the
# code in it; the code cells together are still held to MAX_SOURCE_BYTES.
MAX_NOTEBOOK_BYTES = 16_000_000
IGNORED_NAMES = frozenset({"__pycache__", ".ipynb_checkpoints"})


class SubmissionsError(Exception):
    """A usage mistake about the SUBMISSIONS argument; str() is one sentence naming the path."""


@dataclass(frozen=True)
class SubmissionCode:
    """What reading a submission gave: the code cells to run in order, or why there are none.

    `cells` holds one element for a `.py` file and one per code cell for a notebook; it is empty
    when `error` (a sentence naming the file) says the submission could not be read.
    """

    cells: tuple[str, ...]
    error: str | None = None


def preload_for(code: SubmissionCode) -> tuple[str, ...]:
    """The heavy libraries worth preloading in the template for this submission's code.

    A template that preloads SymPy or matplotlib forks several times slower, so each is preloaded
    only for submissions whose text names it. This affects speed only: a submission that imports
    a library in a way the text does not show simply imports it itself. The test is deliberately
    loose (a stub naming SymPy in a docstring counts): a session starts one more template, about
    a second of work, for each distinct answer, so most submissions of an assignment should agree.
    """
    text = "\n".join(code.cells)
    return tuple(name for name in ("sympy", "matplotlib") if name in text)


@dataclass(frozen=True)
class Submission:
    """Where one student's submission is; its code is read only when `read()` is called.

    `display` is the file's path below the folder it was found in (`bob/week1.py`, or just
    `alice.py`), which is how sentences name it; `source` ends with it. Reading starts from that
    folder (`root`) and goes down `display` one component at a time, so no component may be a
    symbolic link. Deriving `root` from the two paths, rather than keeping a third one, keeps
    the submission as the grading sessions' job files already carry it. `missing`, when set, is
    a sentence saying why there is no file to read at all (known as soon as the folder is seen).
    `passed_over` names the student's other files that were found and not graded (`alice.ipynb`
    beside the `alice.py` graded): one file per student is graded, and both must be told which.
    """

    student: str
    source: Path
    kind: str
    display: str
    missing: str | None = None
    passed_over: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        parts = PurePosixPath(self.display).parts
        if (
            not parts
            or PurePosixPath(self.display).is_absolute()
            or ".." in parts
            or self.source.parts[-len(parts) :] != parts
        ):
            raise ValueError(f"{self.display!r} is not the end of the path {self.source}")

    @property
    def root(self) -> Path:
        """The folder the submission was found in: `source` is `root / display`."""
        return Path(*self.source.parts[: -len(PurePosixPath(self.display).parts)])

    def read(self) -> SubmissionCode:
        """Read the file now (it may have changed since it was found) and return its code."""
        if self.missing is not None:
            return SubmissionCode((), self.missing)
        return read_code(self.root, self.display, self.kind)


def discover(path: str | Path, assignment_id: str) -> list[Submission]:
    """Every submission of `assignment_id` found at `path`, sorted by student id.

    `path` is one `.py`/`.ipynb` file or a folder in any of the layouts of this module. When one
    student has several candidates, one is kept deterministically: a `.py` file over a notebook,
    a file directly in the folder over one in the student's folder. Below `path`, discovery looks
    into no symbolic link; an entry that is a link, a pipe or a device is listed all the same, so
    that reading it gives the student the reason for their 0.
    """
    root = Path(path)
    if not os.path.lexists(root):
        raise SubmissionsError(
            f"{root} does not exist; give a .py or .ipynb submission or a folder of them."
        )
    if root.is_dir():
        return _discover_folder(root, assignment_id)
    if _kind(root) is not None:
        # Whatever it is (a link, a pipe), reading it says so: its folder is the trusted one.
        return [submission_at(root, root.stem)]
    if root.is_file():
        raise SubmissionsError(
            f"{root} is not a .py or .ipynb file; give a submission or a folder of them."
        )
    raise SubmissionsError(
        f"{root} is neither a file nor a folder; give a submission or a folder of them."
    )


def _discover_folder(root: Path, assignment_id: str) -> list[Submission]:
    chosen: dict[str, Submission] = {}
    for student, candidate in _candidates(root, assignment_id):
        if student in chosen:
            first = chosen[student]
            chosen[student] = replace(first, passed_over=(*first.passed_over, candidate.display))
        else:
            chosen[student] = candidate
    if not chosen:
        raise SubmissionsError(
            f"{root} holds no submissions: expected <student>.py, <student>.ipynb or "
            f"<student>/{assignment_id}.py (or .ipynb) inside it."
        )
    return [chosen[student] for student in sorted(chosen)]


def submission_at(path: Path, student: str, display: str | None = None) -> Submission:
    """The submission in `path` (a .py or .ipynb file); `display` is its path below the folder it
    was found in, naming it in sentences (default: its file name). Nothing is read yet."""
    kind = _kind(path)
    if kind is None:
        raise ValueError(f"{path} is not a .py or .ipynb file")
    return Submission(student, path, kind, display or path.name)


def read_code(root: Path, relative: str, kind: str) -> SubmissionCode:
    """Read the submission file `relative` (of `kind`) below the folder `root`; sentences about
    it name it by `relative`."""
    name = relative

    def unreadable(reason: str) -> SubmissionCode:
        return SubmissionCode((), reason)

    limit = MAX_NOTEBOOK_BYTES if kind == "ipynb" else MAX_SOURCE_BYTES
    try:
        data = read_below(root, relative, limit)
    except RefusedFile as refused:
        return unreadable(str(refused))
    if len(data) > limit:
        advice = "clear its outputs" if kind == "ipynb" else "remove any pasted data"
        return unreadable(
            f"{name} is larger than {limit // 1_000_000} MB, the most a submission may be; "
            f"{advice} and resubmit."
        )
    encoding = _source_encoding(data) if kind == "py" else "utf-8-sig"
    if encoding is None:
        return unreadable(
            f"{name} declares an encoding Python does not know in its first lines; remove the "
            "coding declaration, save the file as UTF-8 and resubmit."
        )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        shown = "UTF-8" if encoding.startswith("utf-8") else encoding
        return unreadable(f"{name} is not {shown} text; save it as UTF-8 and resubmit.")
    if "\x00" in text:
        return unreadable(f"{name} contains NUL bytes, so it is not a text file; resubmit it.")
    if kind == "py":
        # Python itself reads source files with universal newlines; do the same.
        return SubmissionCode((text.replace("\r\n", "\n").replace("\r", "\n"),))
    cells = _notebook_cells(text, name)
    if isinstance(cells, str):
        return unreadable(cells)
    if sum(len(cell) for cell in cells) > MAX_SOURCE_BYTES:
        return unreadable(
            f"{name} holds more than {MAX_SOURCE_BYTES // 1_000_000} MB of code; "
            "remove any pasted data and resubmit."
        )
    return SubmissionCode(tuple(without_self_checks(neutralise(cell)) for cell in cells))


def _source_encoding(data: bytes) -> str | None:
    """The encoding Python reads a source file in: a PEP 263 coding declaration in its first two
    lines, else UTF-8 (`utf-8-sig` with a byte-order mark, which Windows editors often write);
    None for a declaration of an encoding that does not exist."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        # Also raised for first lines that are not UTF-8 and declare nothing: those are read as
        # UTF-8, which says what is wrong with them.
        return None if "unknown encoding" in str(error) else "utf-8-sig"
    return "utf-8-sig" if encoding == "utf-8" else encoding


def _candidates(root: Path, assignment_id: str) -> Iterator[tuple[str, Submission]]:
    """(student, submission) pairs in order of preference for each student.

    Entries are classified without following links (`follow_symlinks=False`): a link named like a
    submission is a submission, refused when read. A link to a folder is listed as that student's
    folder, not looked into: its file is named as if it held `<assignment>.py`, and reading
    refuses it for the link.
    """
    with os.scandir(root) as scan:
        entries = sorted(
            (entry for entry in scan if not _ignored(entry.name)), key=lambda entry: entry.name
        )
    folders = {entry.name for entry in entries if entry.is_dir(follow_symlinks=False)}
    files = [e for e in entries if _kind(e.name) is not None and e.name not in folders]
    for entry in sorted(files, key=lambda entry: KINDS.index(_kind(entry.name) or "py")):
        student = PurePath(entry.name).stem
        yield student, submission_at(root / entry.name, student)
    for entry in entries:
        if entry.name in folders:
            yield entry.name, _read_student_folder(root, entry.name, assignment_id)
        elif entry.is_symlink() and _kind(entry.name) is None and entry.is_dir():
            file = f"{entry.name}/{assignment_id}.py"
            yield entry.name, submission_at(root / file, entry.name, file)


def _read_student_folder(root: Path, student: str, assignment_id: str) -> Submission:
    """The submission in the student's own folder `root/student` (a real folder when seen)."""
    folder = root / student
    names = [f"{assignment_id}.{kind}" for kind in KINDS]
    for name in names:
        if _is_entry(folder / name):
            return submission_at(folder / name, student, f"{student}/{name}")
    inner = folder / assignment_id
    inner_status = _lstat(inner)
    if inner_status is not None and stat.S_ISLNK(inner_status.st_mode):
        # Not looked into: reading refuses the file for the link on its way.
        return submission_at(inner / names[0], student, f"{student}/{assignment_id}/{names[0]}")
    if inner_status is not None and stat.S_ISDIR(inner_status.st_mode):
        for name in names:
            if _is_entry(inner / name):
                return submission_at(inner / name, student, f"{student}/{assignment_id}/{name}")
    try:
        with os.scandir(folder) as scan:
            found = sorted(
                entry.name
                for entry in scan
                if _kind(entry.name) is not None
                and not _ignored(entry.name)
                and not entry.is_dir(follow_symlinks=False)
            )
    except OSError:  # gone or unreadable since it was seen: the sentence still holds
        found = []
    seen = f" (found {', '.join(found)})" if found else ""
    return Submission(
        student,
        folder / names[0],
        "py",
        f"{student}/{names[0]}",
        f"{student}/ has no {assignment_id}.py or {assignment_id}.ipynb{seen}; "
        "submit the assignment under one of those names.",
    )


def _notebook_cells(text: str, name: str) -> list[str] | str:
    """The sources of the notebook's code cells in order, or a sentence saying why there are none.

    Only JSON is parsed; nothing is executed. A version 4 notebook is read as plain JSON, so a
    notebook that fails nbformat's validation is still graded when its cells can be read; older
    versions are converted by nbformat. nbgrader's autograder test cells are left out: they are
    the instructor's code, not the student's.

    The text is the student's, so no parser recurses into it unchecked: JSON nested past
    `MAX_JSON_DEPTH` is refused before `json.loads`, and a code cell nested past what the
    grader can parse becomes a stand-in that tells the student so (`notebook_source.bounded`),
    while the other cells are graded.
    """
    not_notebook = f"{name} is not a Jupyter notebook; save it from Jupyter as .ipynb and resubmit."
    if json_too_deep(text):
        return (
            f"{name} is nested more than {MAX_JSON_DEPTH} levels deep, too deeply to be read as "
            "a notebook; save it again from Jupyter and resubmit."
        )
    try:
        data = json.loads(text)
    except (ValueError, RecursionError, MemoryError):
        return f"{name} is not valid JSON, so it cannot be read as a notebook; resubmit it."
    if not isinstance(data, dict):
        return not_notebook
    cells = data.get("cells") if data.get("nbformat") == 4 else _converted_cells(text, data)
    if not isinstance(cells, list):
        return not_notebook
    sources = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        if is_autograder_test(cell):
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            return f"{name} has a code cell whose source is not text; resubmit it from Jupyter."
        sources.append(source)
    if sum(map(len, sources)) > MAX_SOURCE_BYTES:
        return sources  # refused whole for its size by the caller: not worth scanning
    return [bounded(source) for source in sources]


def is_autograder_test(cell: dict) -> bool:
    """Whether a cell is an nbgrader autograder test cell: the instructor's code, never the
    student's (nbgrader itself replaces it by the instructor's version before grading)."""
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return (
        isinstance(nbgrader, dict)
        and nbgrader.get("grade") is True
        and not nbgrader.get("solution")
    )


def _converted_cells(text: str, data: dict) -> object:
    """The cells of a notebook older than version 4, converted by nbformat.

    Imported here, not at the top: importing nbformat costs about a second (its JSON-schema
    validator builds grammars), paid by every grading process that never meets an old notebook.
    """
    import nbformat

    try:
        return nbformat.reads(text, as_version=4, capture_validation_error={}).cells
    except Exception:
        # Untrusted JSON can break nbformat's conversion in many ways (missing keys, wrong
        # types); take the cells as they are, if there are any.
        return data.get("cells")


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except OSError:
        return None


def _is_entry(path: Path) -> bool:
    """Whether there is something other than a folder at `path`, without following a link."""
    status = _lstat(path)
    return status is not None and not stat.S_ISDIR(status.st_mode)


def _kind(path: str | PurePath) -> str | None:
    suffix = PurePath(path).suffix.lower().lstrip(".")
    return suffix if suffix in KINDS else None


def _ignored(name: str) -> bool:
    return name.startswith(".") or name in IGNORED_NAMES
