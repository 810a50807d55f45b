"""The assignment notebooks, generated from `exercises/<assignment>.py` so that the two never drift.

A notebook holds, in order: the module docstring as markdown (one cell per `##` section, with
the figures course.toml names for the assignment after their sections), the module's imports,
then for each function of the module, its docstring as markdown, its code (for an exercise, the
stub: signature, docstring and `raise`) and, after each exercise, a self-check cell.

The self-check cell calls `grader.student.selfcheck.check(exercise, notebook_file)`. It checks the
notebook *file*, as last saved, not the kernel's state: the checks run the file's code in the
sandbox, exactly as grading will. The file name is written into the cell by this generator
because a kernel cannot reliably learn which notebook it serves; a student who renames the
notebook changes the name in the cells (the check says so when the file is missing).

Generation is deterministic: the same module gives the same bytes (fixed cell ids, no outputs,
no timestamps), so the committed notebooks can be compared with freshly generated ones.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from grader.course.config import Assignment, Course
from grader.course.figures import read_figure
from grader.reports.outputs import check_output_folder

SELF_CHECK_IMPORT = "from grader.student.selfcheck import check"
_SECTION = re.compile(r"^([A-Z][A-Za-z ]*):$")
_ARGUMENT = re.compile(r"^(\*{0,2}\w+): (.*)$")


HOW_TO = """\
## How to work in this notebook

Implement each function in its code cell, keeping its name and signature, and run the cell.
Then **save the notebook** (Ctrl+S; Jupyter also saves every few minutes) and run the
self-check cell below it: the check reads this notebook's file as last saved and runs its code
in a sandbox, the way grading will, with the public checks. Grading adds hidden checks of more
cases, so passing every public check is a good sign, not yet full marks. If you rename this
notebook, change its file name in the self-check cells."""


def notebook_name(assignment: Assignment) -> str:
    """The file name of an assignment's notebook."""
    return f"{assignment.id}.ipynb"


def build_notebook(assignment: Assignment) -> NotebookNode:
    """The notebook of one assignment, from its stub module (read, never imported)."""
    source = assignment.module.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(assignment.module))
    exercises = {exercise.id for exercise in assignment.exercises}
    cells = _docstring_cells(ast.get_docstring(tree) or assignment.title)
    for figure in reversed(assignment.figures):  # reversed: several after one section keep order
        drawn = read_figure(figure)
        heading = f"## {figure.after}"
        at = next((i for i, cell in enumerate(cells) if cell.source.startswith(heading)), 0)
        at = at if figure.after else 0
        name = figure.path.stem.replace("_", "-")
        cells[at + 1 : at + 1] = [
            _markdown(f"figure-{name}-caption", drawn.caption),
            _code(f"figure-{name}", drawn.code),
        ]
    cells.insert(1, _markdown("how-to", HOW_TO))
    setup = _setup_code(source, [node for node in tree.body if not _is_def_or_docstring(node)])
    if setup:
        cells.append(_code("setup", setup))
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if node.name in exercises:
            cells += _exercise_cells(assignment, source, node)
        else:
            text = f"Given, not graded: `{node.name}` is part of the assignment; run its cell."
            cells += [
                _markdown(f"{node.name}-text", text),
                _code(node.name, statement_source(source, node)),
            ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.nbformat_minor = 5
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return notebook


def notebook_text(notebook: NotebookNode) -> str:
    """The notebook as file text: nbformat's JSON with sorted keys, ending with a newline."""
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def write_notebooks(course: Course, folder: Path) -> list[Path]:
    """Generate every assignment's notebook into `folder`; return the paths written.

    An `OutputError` (one sentence) says, before anything is written, that `folder` cannot be.
    """
    check_output_folder(folder, "--out", files=[notebook_name(a) for a in course.assignments])
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for assignment in course.assignments:
        path = folder / notebook_name(assignment)
        path.write_text(notebook_text(build_notebook(assignment)), encoding="utf-8")
        written.append(path)
    return written


def docstring_markdown(docstring: str) -> str:
    """A function docstring as markdown: sections in bold, arguments as a list, doctests as code.

    Docstrings here follow one layout: a summary, paragraphs (indented blocks are formulas, kept
    as code), then `Arguments:`, `Returns:` and `Worked example:` sections indented by four.
    """
    out: list[str] = []
    section = None
    doctest = False
    for line in inspect.cleandoc(docstring).splitlines():
        header = _SECTION.match(line)
        if header:
            section = header.group(1)
            out += ["", f"**{section}**", ""] if out and out[-1] else [f"**{section}**", ""]
            continue
        if section is None:
            out.append(line)
            continue
        text = line[4:] if line.startswith("    ") else line.strip()
        if text.startswith(">>>") and not doctest:
            out.append("```python")
            doctest = True
        elif doctest and not text.strip():
            out += ["```", ""]
            doctest = False
            continue
        argument = _ARGUMENT.match(text) if section == "Arguments" and not doctest else None
        if argument:
            out.append(f"- `{argument.group(1)}`: {argument.group(2)}")
        elif section == "Arguments" and text.startswith("    "):
            out[-1] += " " + text.strip()  # the continuation of an argument's description
        else:
            out.append(text)
    if doctest:
        out.append("```")
    return "\n".join(out).strip()


def _docstring_cells(docstring: str) -> list[NotebookNode]:
    """The module docstring as markdown cells: a title, then one cell per `##` section."""
    lines = inspect.cleandoc(docstring).splitlines()
    blocks: list[list[str]] = [[f"# {lines[0]}"]]
    for line in lines[1:]:
        if line.startswith("## "):
            blocks.append([])
        blocks[-1].append(line)
    return [
        _markdown("intro" if index == 0 else f"section-{index}", "\n".join(block).strip())
        for index, block in enumerate(blocks)
    ]


def _exercise_cells(assignment: Assignment, source: str, node: ast.FunctionDef) -> list:
    number = [exercise.id for exercise in assignment.exercises].index(node.name) + 1
    heading = f"## Exercise {number}: `{node.name}({_parameters(source, node)})`"
    check_code = (
        f"# Self-check: the public checks of {node.name}, on this notebook as last saved.\n"
        f"{SELF_CHECK_IMPORT}\n\n"
        f'check("{node.name}", "{notebook_name(assignment)}")'
    )
    return [
        _markdown(
            f"{node.name}-text", f"{heading}\n\n{docstring_markdown(ast.get_docstring(node) or '')}"
        ),
        _code(node.name, statement_source(source, node)),
        _code(f"{node.name}-check", check_code),
    ]


def _parameters(source: str, node: ast.FunctionDef) -> str:
    """The parameters as a student passes them: names and defaults as written, no annotations."""
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
    pairs = [
        *zip(positional, defaults, strict=True),
        *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True),
    ]
    parts = [
        argument.arg
        if default is None
        else f"{argument.arg}={ast.get_source_segment(source, default)}"
        for argument, default in pairs
    ]
    if arguments.vararg is not None:
        parts.insert(len(positional), f"*{arguments.vararg.arg}")
    if arguments.kwarg is not None:
        parts.append(f"**{arguments.kwarg.arg}")
    return ", ".join(parts)


def statement_source(source: str, node: ast.stmt) -> str:
    """The exact source lines of a top-level statement, decorators included."""
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return "\n".join(source.splitlines()[first - 1 : node.end_lineno])


def _is_def_or_docstring(node: ast.stmt) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return True
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _markdown(cell_id: str, text: str) -> NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = cell_id
    return cell


def _setup_code(source: str, nodes: list[ast.stmt]) -> str:
    """The module's statements other than functions, with the blank lines that separate them in
    the module kept (so import groups stay as isort and ruff want them)."""
    lines: list[str] = []
    for previous, node in zip([None, *nodes], nodes, strict=False):
        if previous is not None and node.lineno > (previous.end_lineno or previous.lineno) + 1:
            lines.append("")
        lines.append(statement_source(source, node))
    return "\n".join(lines)


def _code(cell_id: str, code: str) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(code)
    cell.id = cell_id
    return cell
