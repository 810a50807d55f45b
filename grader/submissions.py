"""Finds the submissions of one assignment, and reads their code as text, never running any of it.

Layouts, which may be mixed in one folder:

- one file: `alice.py` or `alice.ipynb` (the student id is the file's stem);
- a folder of files, one per student: `<student>.py` / `<student>.ipynb`;
- a folder of folders, one per student: `<student>/<assignment>.py` or `.ipynb`, or nbgrader's
  `<student>/<assignment>/<assignment>.ipynb` (the student id is the folder's name).

Finding is separate from reading: `discover` only locates files, and each grading session reads a
submission (`Submission.read`) just before grading it, so the grader never holds the code of
10,000 submissions at once. A `.py` file gives one cell, a notebook one cell per code cell with
IPython syntax neutralised (`grader.notebook_source`). A file that cannot be read gives an `error`
of one sentence for the student, so grading goes on; a mistake in the path itself raises
`SubmissionsError` for the instructor.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from grader.notebook_source import neutralise, without_self_checks

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

    `display` is how sentences name the file (`bob/derivatives.py`); `missing`, when set, is a
    sentence saying why there is no file to read at all (known as soon as the folder is seen).
    """

    student: str
    source: Path
    kind: str
    display: str
    missing: str | None = None

    def read(self) -> SubmissionCode:
        """Read the file now (it may have changed since it was found) and return its code."""
        if self.missing is not None:
            return SubmissionCode((), self.missing)
        return read_code(self.source, self.kind, self.display)


def discover(path: str | Path, assignment_id: str) -> list[Submission]:
    """Every submission of `assignment_id` found at `path`, sorted by student id.

    `path` is one `.py`/`.ipynb` file or a folder in any of the layouts of this module. When one
    student has several candidates, one is kept deterministically: a `.py` file over a notebook,
    a file directly in the folder over one in the student's folder.
    """
    root = Path(path)
    if not root.exists():
        raise SubmissionsError(
            f"{root} does not exist; give a .py or .ipynb submission or a folder of them."
        )
    if root.is_file():
        if _kind(root) is None:
            raise SubmissionsError(
                f"{root} is not a .py or .ipynb file; give a submission or a folder of them."
            )
        return [submission_at(root, root.stem)]
    if not root.is_dir():
        raise SubmissionsError(
            f"{root} is neither a file nor a folder; give a submission or a folder of them."
        )
    chosen: dict[str, Submission] = {}
    for student, candidate in _candidates(root, assignment_id):
        chosen.setdefault(student, candidate)
    if not chosen:
        raise SubmissionsError(
            f"{root} holds no submissions: expected <student>.py, <student>.ipynb or "
            f"<student>/{assignment_id}.py (or .ipynb) inside it."
        )
    return [chosen[student] for student in sorted(chosen)]


def submission_at(path: Path, student: str, display: str | None = None) -> Submission:
    """The submission in `path` (a .py or .ipynb file); `display` names it in sentences (default:
    its file name). Nothing is read yet."""
    kind = _kind(path)
    if kind is None:
        raise ValueError(f"{path} is not a .py or .ipynb file")
    return Submission(student, path, kind, display or path.name)


def read_code(path: Path, kind: str, name: str) -> SubmissionCode:
    """Read one submission file of `kind`; sentences about it call it `name`."""

    def unreadable(reason: str) -> SubmissionCode:
        return SubmissionCode((), reason)

    limit = MAX_NOTEBOOK_BYTES if kind == "ipynb" else MAX_SOURCE_BYTES
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        return unreadable(
            f"{name} could not be opened ({error.strerror or error}); submit it again."
        )
    if len(data) > limit:
        advice = "clear its outputs" if kind == "ipynb" else "remove any pasted data"
        return unreadable(
            f"{name} is larger than {limit // 1_000_000} MB, the most a submission may be; "
            f"{advice} and resubmit."
        )
    try:
        # utf-8-sig: editors on Windows often start files with a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return unreadable(f"{name} is not UTF-8 text; save it as UTF-8 and resubmit.")
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


def _candidates(root: Path, assignment_id: str) -> Iterator[tuple[str, Submission]]:
    """(student, submission) pairs in order of preference for each student."""
    entries = sorted(entry for entry in root.iterdir() if not _ignored(entry))
    files = [entry for entry in entries if entry.is_file() and _kind(entry) is not None]
    for entry in sorted(files, key=lambda entry: KINDS.index(_kind(entry) or "py")):
        yield entry.stem, submission_at(entry, entry.stem)
    for folder in (entry for entry in entries if entry.is_dir()):
        yield folder.name, _read_student_folder(folder, assignment_id)


def _read_student_folder(folder: Path, assignment_id: str) -> Submission:
    student = folder.name
    for place in (folder, folder / assignment_id):
        for kind in KINDS:
            candidate = place / f"{assignment_id}.{kind}"
            if candidate.is_file():
                display = candidate.relative_to(folder.parent).as_posix()
                return submission_at(candidate, student, display=display)
    found = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.is_file() and _kind(entry) is not None and not _ignored(entry)
    )
    seen = f" (found {', '.join(found)})" if found else ""
    return Submission(
        student,
        folder / f"{assignment_id}.py",
        "py",
        f"{student}/{assignment_id}.py",
        f"{student}/ has no {assignment_id}.py or {assignment_id}.ipynb{seen}; "
        "submit the assignment under one of those names.",
    )


def _notebook_cells(text: str, name: str) -> list[str] | str:
    """The sources of the notebook's code cells in order, or a sentence saying why there are none.

    Only JSON is parsed; nothing is executed. A version 4 notebook is read as plain JSON, so a
    notebook that fails nbformat's validation is still graded when its cells can be read; older
    versions are converted by nbformat. nbgrader's autograder test cells are left out: they are
    the instructor's code, not the student's.
    """
    not_notebook = f"{name} is not a Jupyter notebook; save it from Jupyter as .ipynb and resubmit."
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
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
    return sources


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


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in KINDS else None


def _ignored(path: Path) -> bool:
    return path.name.startswith(".") or path.name in IGNORED_NAMES
