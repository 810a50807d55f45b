"""The autograded notebooks that formgrader and `nbgrader generate_feedback` show.

`grader grade --nbgrader` does not execute notebooks, so it writes
`autograded/<student>/<assignment>/<notebook>.ipynb` itself: the student's notebook with the
outputs they saved cleared (they are not evidence of anything), and each autograder test cell
replaced by the instructor's, *without its hidden part*, whose outputs are gradkit's feedback for
the exercise and its points. A test cell the student deleted is put back after the exercise's
solution cell. Feedback generated from these notebooks thus shows what the checks said, never a
hidden check's source.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from grader.nbgrader.build import CHECKS_SUFFIX, without_hidden_tests
from grader.nbgrader.coursedir import TIMESTAMP_FILE
from grader.nbgrader.feedback import feedback_text
from grader.results import SubmissionResult


def test_cells(master: NotebookNode) -> dict[str, NotebookNode]:
    """The source notebook's autograder test cells by grade_id, hidden parts removed."""
    cells = {}
    for cell in master.cells:
        metadata = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and metadata.get("grade") and not metadata.get("solution"):
            public = copy.deepcopy(cell)
            public.source = without_hidden_tests(cell.source)
            cells[metadata["grade_id"]] = public
    return cells


def autograded_notebook(
    submitted: NotebookNode, master_tests: dict[str, NotebookNode], result: SubmissionResult
) -> NotebookNode:
    """The notebook to show for `submitted`, with `result` as its test cells' outputs."""
    notebook = copy.deepcopy(submitted)
    cells: list[NotebookNode] = []
    placed: set[str] = set()
    for cell in notebook.cells:
        metadata = cell.metadata.get("nbgrader", {})
        grade_id = metadata.get("grade_id")
        if cell.cell_type == "code" and grade_id in master_tests:
            cells.append(_graded_test_cell(master_tests[grade_id], result))
            placed.add(grade_id)
            continue
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    for grade_id, test in master_tests.items():
        if grade_id in placed:
            continue
        exercise = _exercise_of(test)
        after = next(
            (index for index, cell in enumerate(cells)
             if cell.metadata.get("nbgrader", {}).get("grade_id") == exercise),
            len(cells) - 1,
        )  # fmt: skip
        cells.insert(after + 1, _graded_test_cell(test, result))
    notebook.cells = cells
    return notebook


def write_autograded(
    submitted_file: Path,
    destination: Path,
    master_tests: dict[str, NotebookNode],
    result: SubmissionResult,
) -> str | None:
    """Write the autograded copy of `submitted_file` into the folder `destination`.

    Returns None, or a sentence saying why no copy was written (an unreadable notebook is
    graded as such, but cannot be shown).
    """
    try:
        submitted = nbformat.read(submitted_file, as_version=4)
    except Exception as error:  # untrusted JSON: nbformat can fail in many ways
        return f"{submitted_file} could not be read as a notebook ({type(error).__name__})."
    destination.mkdir(parents=True, exist_ok=True)
    target = destination / submitted_file.name
    if target.exists():
        target.chmod(0o644)  # nbgrader leaves its autograded notebooks read-only
    nbformat.write(autograded_notebook(submitted, master_tests, result), target)
    timestamp = submitted_file.parent / TIMESTAMP_FILE
    if timestamp.is_file():
        shutil.copyfile(timestamp, destination / TIMESTAMP_FILE)
    return None


def _exercise_of(test: NotebookNode) -> str:
    return test.metadata["nbgrader"]["grade_id"].removesuffix(CHECKS_SUFFIX)


def _graded_test_cell(master: NotebookNode, result: SubmissionResult) -> NotebookNode:
    cell = copy.deepcopy(master)
    exercise = result.exercises.get(_exercise_of(master))
    if exercise is None:
        text, points = result.error or "This exercise was not graded.", 0.0
    else:
        text, points = feedback_text(exercise), exercise.points
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=text + "\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": repr(points)}),
    ]
    cell.execution_count = None
    return cell
