"""Finding and reading submissions: every layout, unreadable files, and IPython syntax neutralised.

Everything here reads real files written to a temporary folder; nothing from a submission runs.
"""

from __future__ import annotations

import ast
import json
from dataclasses import astuple, dataclass
from pathlib import Path

import nbformat
import pytest

from grader.course.notebook_source import CELL_MARK, MARK, SELF_CHECK_MARK, neutralise
from grader.course.submissions import (
    MAX_NOTEBOOK_BYTES,
    MAX_SOURCE_BYTES,
    Submission,
    SubmissionsError,
    discover,
)

ASSIGNMENT = "derivatives"
CODE = "def derivative(x):\n    return 2 * x\n"


def write_notebook(path: Path, *sources: str, markdown: str = "# Notes") -> Path:
    """A real notebook: one markdown cell first, then one code cell per source."""
    cells = [nbformat.v4.new_markdown_cell(markdown)]
    cells += [nbformat.v4.new_code_cell(source) for source in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def write(path: Path, text: str = CODE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class Found:
    """A submission as discovered, with what reading it gave."""

    student: str
    source: Path
    kind: str
    cells: tuple[str, ...]
    error: str | None


def found_in(path: Path | str, assignment: str = ASSIGNMENT) -> list[Found]:
    """`discover`, then read each submission found."""
    return [
        Found(s.student, s.source, s.kind, *astuple(s.read())) for s in discover(path, assignment)
    ]


def by_student(submissions: list[Found]) -> dict[str, Found]:
    return {submission.student: submission for submission in submissions}


# Layouts


def test_flat_python_files(tmp_path: Path) -> None:
    write(tmp_path / "bob.py", "x = 1\n")
    write(tmp_path / "alice.py")
    found = found_in(tmp_path)
    assert [s.student for s in found] == ["alice", "bob"]
    alice = found[0]
    assert (alice.source, alice.kind, alice.cells, alice.error) == (
        tmp_path / "alice.py", "py", (CODE,), None
    )  # fmt: skip


def test_flat_notebooks_give_their_code_cells_in_order(tmp_path: Path) -> None:
    write_notebook(tmp_path / "dana.ipynb", "import numpy as np", CODE, "print(derivative(2))")
    (dana,) = found_in(tmp_path)
    assert (dana.student, dana.kind, dana.error) == ("dana", "ipynb", None)
    assert dana.cells == ("import numpy as np", CODE, "print(derivative(2))")


def test_per_student_folders_take_the_folder_name(tmp_path: Path) -> None:
    write(tmp_path / "alice" / f"{ASSIGNMENT}.py")
    write_notebook(tmp_path / "bob" / f"{ASSIGNMENT}.ipynb", CODE)
    write(tmp_path / "bob" / "scratch.py", "junk(")
    found = by_student(found_in(tmp_path))
    assert sorted(found) == ["alice", "bob"]
    assert found["alice"].source == tmp_path / "alice" / f"{ASSIGNMENT}.py"
    assert found["alice"].cells == (CODE,)
    assert found["bob"].kind == "ipynb"
    assert found["bob"].cells == (CODE,)


def test_nbgrader_submitted_layout(tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "carol" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", CODE)
    (carol,) = found_in(tmp_path)
    assert (carol.student, carol.source, carol.cells) == ("carol", notebook, (CODE,))


def test_layouts_mix_in_one_folder(tmp_path: Path) -> None:
    write(tmp_path / "alice.py")
    write_notebook(tmp_path / "bob.ipynb", CODE)
    write(tmp_path / "carol" / f"{ASSIGNMENT}.py")
    found = found_in(tmp_path)
    assert [(s.student, s.kind) for s in found] == [("alice", "py"), ("bob", "ipynb"),
                                                     ("carol", "py")]  # fmt: skip


def test_a_single_file_is_one_submission(tmp_path: Path) -> None:
    path = write(tmp_path / "erin.py")
    write(tmp_path / "other.py")
    assert discover(path, ASSIGNMENT) == [Submission("erin", path, "py", "erin.py")]
    assert found_in(path) == [Found("erin", path, "py", (CODE,), None)]
    notebook = write_notebook(tmp_path / "frank.ipynb", CODE)
    assert [s.student for s in found_in(str(notebook))] == ["frank"]


def test_student_folder_without_the_file_is_an_error_submission(tmp_path: Path) -> None:
    write(tmp_path / "gina" / "derivatives_final.py")
    (gina,) = found_in(tmp_path)
    assert gina.student == "gina"
    assert gina.cells == ()
    assert gina.error is not None
    assert "derivatives.py or derivatives.ipynb" in gina.error
    assert "derivatives_final.py" in gina.error


def test_python_file_is_preferred_to_a_notebook(tmp_path: Path) -> None:
    write_notebook(tmp_path / "alice.ipynb", "x = 1")
    write(tmp_path / "alice.py")
    write_notebook(tmp_path / "bob" / f"{ASSIGNMENT}.ipynb", "x = 1")
    write(tmp_path / "bob" / f"{ASSIGNMENT}.py")
    found = found_in(tmp_path)
    assert [(s.student, s.kind, s.cells) for s in found] == [("alice", "py", (CODE,)),
                                                             ("bob", "py", (CODE,))]  # fmt: skip


def test_a_file_beats_a_student_folder_of_the_same_name(tmp_path: Path) -> None:
    write(tmp_path / "alice.py")
    write(tmp_path / "alice" / "notes.txt", "nothing to grade")
    (alice,) = found_in(tmp_path)
    assert (alice.source, alice.error) == (tmp_path / "alice.py", None)


def test_hidden_entries_caches_and_other_files_are_ignored(tmp_path: Path) -> None:
    write(tmp_path / "alice.py")
    write(tmp_path / ".hidden.py")
    write(tmp_path / ".secret" / f"{ASSIGNMENT}.py")
    write(tmp_path / "__pycache__" / f"{ASSIGNMENT}.py")
    write_notebook(tmp_path / ".ipynb_checkpoints" / "alice-checkpoint.ipynb", CODE)
    write(tmp_path / "README.md", "# submissions")
    assert [s.student for s in found_in(tmp_path)] == ["alice"]


def test_results_are_sorted_by_student_id(tmp_path: Path) -> None:
    for student in ("zoe", "Bob", "alice", "mia"):
        write(tmp_path / f"{student}.py")
    write(tmp_path / "ken" / f"{ASSIGNMENT}.py")
    found = [s.student for s in found_in(tmp_path)]
    assert found == ["Bob", "alice", "ken", "mia", "zoe"]


def test_discovery_reads_nothing_each_read_takes_the_file_as_it_is_then(tmp_path: Path) -> None:
    # The grader holds no code while sessions grade: a session reads each file when it comes to it.
    path = write(tmp_path / "alice.py", "x = 1\n")
    (alice,) = discover(tmp_path, ASSIGNMENT)
    assert alice.read().cells == ("x = 1\n",)
    path.write_bytes(b"\xff\xfe not utf-8")
    assert alice == discover(tmp_path, ASSIGNMENT)[0]
    assert alice.read().error == "alice.py is not UTF-8 text; save it as UTF-8 and resubmit."
    path.unlink()
    assert (alice.read().error or "").startswith("alice.py could not be opened")


# Mistakes about the path: one sentence naming it


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(SubmissionsError, match="does not exist") as raised:
        discover(missing, ASSIGNMENT)
    assert str(missing) in str(raised.value)


def test_file_of_another_type_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path / "grades.csv", "student,total\n")
    with pytest.raises(SubmissionsError, match=r"is not a \.py or \.ipynb file") as raised:
        discover(path, ASSIGNMENT)
    assert str(path) in str(raised.value)


def test_folder_without_submissions_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "notes.txt", "nothing here")
    write(tmp_path / ".hidden.py")
    with pytest.raises(SubmissionsError, match="holds no submissions") as raised:
        discover(tmp_path, ASSIGNMENT)
    assert str(tmp_path) in str(raised.value)
    assert f"<student>/{ASSIGNMENT}.py" in str(raised.value)


# Unreadable files: an error sentence naming the file, grading goes on


def test_python_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "alice.py").write_bytes(b"def derivative(x):\n    return '\xff\xfe'\n")
    write(tmp_path / "bob.py")
    found = by_student(found_in(tmp_path))
    assert found["alice"].error == "alice.py is not UTF-8 text; save it as UTF-8 and resubmit."
    assert found["alice"].cells == ()
    assert found["bob"].error is None


def test_utf8_byte_order_mark_and_windows_newlines_are_read(tmp_path: Path) -> None:
    (tmp_path / "alice.py").write_bytes(b"\xef\xbb\xbfx = 1\r\ny = 2\r\n")
    (alice,) = found_in(tmp_path)
    assert alice.cells == ("x = 1\ny = 2\n",)


def test_oversized_python_file(tmp_path: Path) -> None:
    write(tmp_path / "alice.py", "#" * (MAX_SOURCE_BYTES + 1))
    write(tmp_path / "bob.py", "#" * MAX_SOURCE_BYTES)
    found = by_student(found_in(tmp_path))
    assert found["alice"].error is not None
    assert found["alice"].error.startswith("alice.py is larger than 1 MB")
    assert found["bob"].error is None


def test_oversized_notebook_file_and_notebook_code(tmp_path: Path) -> None:
    write(tmp_path / "alice.ipynb", " " * (MAX_NOTEBOOK_BYTES + 1))
    write_notebook(tmp_path / "bob.ipynb", "#" * (MAX_SOURCE_BYTES // 2), "#" * MAX_SOURCE_BYTES)
    found = by_student(found_in(tmp_path))
    assert "alice.ipynb is larger than 16 MB" in (found["alice"].error or "")
    assert "clear its outputs" in (found["alice"].error or "")
    assert "bob.ipynb holds more than 1 MB of code" in (found["bob"].error or "")


def test_notebook_with_bad_json_names_the_file(tmp_path: Path) -> None:
    write(tmp_path / "bad.ipynb", "{ this is not json")
    write(tmp_path / "folder" / f"{ASSIGNMENT}.ipynb", '{"cells": [')
    found = by_student(found_in(tmp_path))
    assert found["bad"].error == (
        "bad.ipynb is not valid JSON, so it cannot be read as a notebook; resubmit it."
    )
    assert (found["folder"].error or "").startswith(f"folder/{ASSIGNMENT}.ipynb is not valid JSON")


@pytest.mark.parametrize("text", ['["a list"]', '{"nbformat": 4}', '{"cells": 3}', '"text"'])
def test_json_that_is_not_a_notebook(tmp_path: Path, text: str) -> None:
    write(tmp_path / "alice.ipynb", text)
    (alice,) = found_in(tmp_path)
    assert alice.error == (
        "alice.ipynb is not a Jupyter notebook; save it from Jupyter as .ipynb and resubmit."
    )


def test_notebook_failing_validation_is_graded_when_its_cells_are_readable(tmp_path: Path) -> None:
    # No metadata anywhere and an unknown key: nbformat refuses it, but the code is all there.
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "cells": [
            {"cell_type": "markdown", "source": "# hi"},
            {"cell_type": "code", "source": ["def derivative(x):\n", "    return 2 * x\n"],
             "surprise": True},
            {"cell_type": "code", "source": "%matplotlib inline"},
        ],
    }  # fmt: skip
    write(tmp_path / "alice.ipynb", json.dumps(notebook))
    (alice,) = found_in(tmp_path)
    assert alice.error is None
    assert alice.cells == (CODE, f"pass  # {MARK} %matplotlib inline")


def test_notebook_whose_code_cell_source_is_not_text(tmp_path: Path) -> None:
    notebook = {"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code", "source": 5}]}
    write(tmp_path / "alice.ipynb", json.dumps(notebook))
    (alice,) = found_in(tmp_path)
    assert alice.error == (
        "alice.ipynb has a code cell whose source is not text; resubmit it from Jupyter."
    )


def test_version_3_notebook_is_converted(tmp_path: Path) -> None:
    notebook = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {},
        "worksheets": [{"cells": [{"cell_type": "code", "input": CODE, "language": "python",
                                   "outputs": []}]}],
    }  # fmt: skip
    write(tmp_path / "old.ipynb", json.dumps(notebook))
    (old,) = found_in(tmp_path)
    assert (old.error, old.cells) == (None, (CODE,))


# IPython syntax neutralised


@pytest.mark.parametrize(
    "line",
    [
        "%matplotlib inline",
        "%timeit f(x)",
        "!pip install x",
        "!!ls",
        "files = !ls",
        "t = %timeit -o f(1)",
        "a, b = !echo 1 2",
        "f?",
        "??f",
        "np.linspace??",
        "f?  # what is f",
    ],
)
def test_each_ipython_form_becomes_pass(line: str) -> None:
    assert neutralise(f"x = 1\n{line}\ny = 2") == f"x = 1\npass  # {MARK} {line}\ny = 2"


def test_indentation_is_kept_so_blocks_stay_valid() -> None:
    source = "if True:\n    %timeit f(x)\nelse:\n\tfiles = !ls\n"
    out = neutralise(source)
    assert out.split("\n")[1] == f"    pass  # {MARK} %timeit f(x)"
    assert out.split("\n")[3] == f"\tpass  # {MARK} files = !ls"
    ast.parse(out)


def test_cell_magic_turns_the_whole_cell_into_comments() -> None:
    out = neutralise("\n%%bash\necho hello\n\nls -l\n")
    assert out == f"\n# {CELL_MARK} %%bash\n# echo hello\n\n# ls -l\n"
    assert ast.parse(out).body == []


def test_cell_magics_that_run_python_keep_their_body() -> None:
    out = neutralise("%%time\ndef derivative(x):\n    return 2 * x\n!ls")
    assert out == f"# {CELL_MARK} %%time\ndef derivative(x):\n    return 2 * x\npass  # {MARK} !ls"
    assert neutralise("%%capture out\nx = 1") == f"# {CELL_MARK} %%capture out\nx = 1"


def test_python_that_parses_is_returned_unchanged() -> None:
    source = 'x = 10 % 3\ny = "%d!" % x\nz = (x\n     % 2)\n'
    assert neutralise(source) is source


def test_percent_and_bang_inside_strings_and_brackets_are_left_alone() -> None:
    source = (
        "%matplotlib inline\n"
        's = "%d items" % 3\n'
        'doc = """\n'
        "%not a magic\n"
        "!not a command\n"
        "what?\n"
        '"""\n'
        "total = (1\n"
        "         % 2)\n"
        "note = 'why?'  # really?\n"
    )
    out = neutralise(source).split("\n")
    assert out[0] == f"pass  # {MARK} %matplotlib inline"
    assert out[1:] == source.split("\n")[1:]


def test_line_count_is_preserved() -> None:
    source = "%matplotlib inline\r\n!ls\rx = 1\n\n\nf?\n"
    out = neutralise(source)
    assert len(out.split("\n")) == 7
    assert out.split("\n")[2] == "x = 1"
    assert out.split("\n")[5] == f"pass  # {MARK} f?"


def test_syntax_errors_that_are_not_ipython_stay_for_the_student_to_see() -> None:
    source = "%matplotlib inline\ndef derivative(x):\n    return 2 *\n"
    out = neutralise(source)
    assert out.split("\n")[1:] == source.split("\n")[1:]
    with pytest.raises(SyntaxError) as raised:
        ast.parse(out)
    assert raised.value.lineno == 3


def test_neutralised_notebook_cells_parse(tmp_path: Path) -> None:
    write_notebook(
        tmp_path / "dana.ipynb",
        "%matplotlib inline\n!pip install numpy\nimport numpy as np",
        "%%bash\necho hello\nfor i in 1 2; do echo $i; done",
        "files = !ls\nt = %timeit -o np.zeros(3)\nnp.zeros?\n",
        "def derivative(x):\n    if x > 0:\n        %time y = 2 * x\n    return 2 * x\n",
        'text = """\n%d is not a magic\n"""',
    )
    (dana,) = found_in(tmp_path)
    assert dana.error is None
    assert len(dana.cells) == 5
    for cell in dana.cells:
        ast.parse(cell)
    assert dana.cells[4] == 'text = """\n%d is not a magic\n"""'


def test_self_check_statements_become_pass_and_the_rest_of_the_cell_stays(tmp_path: Path) -> None:
    """gradkit's self-check cells import `grader`, which the sandbox lacks: they must not run."""
    self_check = (
        '# Self-check\nfrom grader.student.selfcheck import check\ncheck("derivative", "d.ipynb")'
    )
    mixed = 'from grader.student.selfcheck import check\ncheck(\n    "derivative",\n)\n' + CODE
    write_notebook(tmp_path / "erin.ipynb", CODE, self_check, mixed, "check(derivative)")
    (erin,) = found_in(tmp_path)
    assert erin.cells[0] == CODE
    assert erin.cells[1].split("\n") == [
        "# Self-check",
        f"pass  # {SELF_CHECK_MARK} from grader.student.selfcheck import check",
        f'pass  # {SELF_CHECK_MARK} check("derivative", "d.ipynb")',
    ]
    lines = erin.cells[2].split("\n")
    assert lines[:4] == [
        f"pass  # {SELF_CHECK_MARK} from grader.student.selfcheck import check",
        f"pass  # {SELF_CHECK_MARK} check(",
        '#     "derivative",',
        "# )",
    ]
    assert "\n".join(lines[4:]) == CODE
    # A call of the student's own `check` with a non-literal argument is their code: it stays.
    assert erin.cells[3] == "check(derivative)"
