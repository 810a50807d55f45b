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

import json
from pathlib import Path, PurePosixPath

from nbformat import NotebookNode

from grader.course.notebook_source import json_too_deep
from grader.course.submissions import (
    MAX_NOTEBOOK_BYTES,
    RefusedFile,
    Submission,
    is_autograder_test,
    read_below,
)
from grader.grading.results import SubmissionResult
from grader.nbgrader.build import CHECKS_SUFFIX, without_hidden_tests
from grader.nbgrader.coursedir import MAX_TIMESTAMP_BYTES, TIMESTAMP_FILE
from grader.nbgrader.feedback import feedback_text


def test_cells(master: NotebookNode) -> dict[str, dict]:
    """The source notebook's autograder test cells by grade_id, hidden parts removed, as plain
    JSON data."""
    cells = {}
    for cell in master.cells:
        if cell.cell_type == "code" and is_autograder_test(cell):
            public = json.loads(json.dumps(cell))
            public["source"] = without_hidden_tests(cell.source)
            cells[cell.metadata.nbgrader.grade_id] = public
    return cells


def autograded_notebook(
    submitted: dict, master_tests: dict[str, dict], result: SubmissionResult
) -> dict:
    """Turn `submitted` (a notebook's JSON data) into what to show for it, with `result` as its
    test cells' outputs, and return it. Plain dicts, not nbformat's nodes: nbformat validates
    each output it makes, which costs more than grading the notebook did."""
    cells: list[dict] = []
    placed: set[str] = set()
    for cell in submitted["cells"]:
        grade_id = _grade_id(cell)
        if cell.get("cell_type") == "code" and grade_id in master_tests:
            cells.append(_graded_test_cell(master_tests[grade_id], result))
            placed.add(grade_id)
            continue
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cells.append(cell)
    for grade_id, test in master_tests.items():
        if grade_id in placed:
            continue
        exercise = grade_id.removesuffix(CHECKS_SUFFIX)
        after = next(
            (index for index, cell in enumerate(cells) if _grade_id(cell) == exercise),
            len(cells) - 1,
        )
        cells.insert(after + 1, _graded_test_cell(test, result))
    submitted["cells"] = cells
    return submitted


def write_autograded(
    submission: Submission,
    destination: Path,
    master_tests: dict[str, dict],
    result: SubmissionResult,
) -> str | None:
    """Write the autograded copy of the notebook `submission` into the folder `destination`.

    Returns None, or a sentence saying why no copy was written (an unreadable notebook is
    graded as such, but cannot be shown). The notebook and its timestamp.txt are read as the
    grading read it (`read_below`): a symbolic link is not followed into what it points at,
    which would otherwise be shown to the student as their feedback.
    """
    submitted_file = submission.source
    # A notebook nbgrader accepted is version 4; anything else is reported, not converted.
    try:
        data = read_below(submission.root, submission.display, MAX_NOTEBOOK_BYTES)
    except RefusedFile as refused:
        return f"{submitted_file} was not copied to autograded/: it {refused.problem}."
    # Checked on the text first, as grading checks it: json.loads recurses in C, and the copy's
    # indented json.dumps in Python, once per level of the student's JSON.
    if json_too_deep(data):
        return f"{submitted_file} could not be read as a notebook (it is nested too deeply)."
    try:
        submitted = json.loads(data)
        if submitted.get("nbformat") != 4 or not isinstance(submitted.get("cells"), list):
            raise ValueError("not a version 4 notebook")
        notebook = autograded_notebook(submitted, master_tests, result)
    except Exception as error:  # untrusted JSON can break in many ways
        return f"{submitted_file} could not be read as a notebook ({type(error).__name__})."
    destination.mkdir(parents=True, exist_ok=True)
    target = destination / submitted_file.name
    if target.exists():
        target.chmod(0o644)  # nbgrader leaves its autograded notebooks read-only
    text = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False)
    target.write_text(text + "\n", encoding="utf-8")
    timestamp = str(PurePosixPath(submission.display).with_name(TIMESTAMP_FILE))
    try:
        stamp: bytes | None = read_below(submission.root, timestamp, MAX_TIMESTAMP_BYTES)
    except RefusedFile:
        stamp = None  # none, or not one to copy: coursedir.read_timestamp told the instructor
    if stamp is not None and len(stamp) <= MAX_TIMESTAMP_BYTES:
        (destination / TIMESTAMP_FILE).write_bytes(stamp)
    return None


def _grade_id(cell: dict) -> object:
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None


def _graded_test_cell(master: dict, result: SubmissionResult) -> dict:
    grade_id = master["metadata"]["nbgrader"]["grade_id"]
    exercise = result.exercises.get(grade_id.removesuffix(CHECKS_SUFFIX))
    if exercise is None:
        text, points = result.error or "This exercise was not graded.", 0.0
    else:
        text, points = feedback_text(exercise), exercise.points
    return {
        **master,
        "execution_count": None,
        "outputs": [
            {"name": "stdout", "output_type": "stream", "text": text + "\n"},
            {
                "data": {"text/plain": repr(points)},
                "execution_count": None,
                "metadata": {},
                "output_type": "execute_result",
            },
        ],
    }
