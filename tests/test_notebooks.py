"""Assignment notebooks: generated from the modules byte for byte, and runnable top to bottom."""

from __future__ import annotations

import ast
import re

import nbclient
import nbformat
import pytest
from conftest import REPO, copy_course

from grader.course.config import CourseError, load_course
from grader.student.notebooks import (
    build_notebook,
    docstring_markdown,
    notebook_text,
    write_notebooks,
)

COURSE = load_course(REPO / "course.toml")


def public_exercises(assignment_id: str) -> set[str]:
    """The exercises that have a public check (`@check("name")` in the public checks)."""
    source = (REPO / "checks" / assignment_id / "public.py").read_text()
    return set(re.findall(r'@check\("(\w+)"', source))


@pytest.mark.parametrize("assignment", COURSE.assignments, ids=lambda a: a.id)
def test_committed_notebook_is_what_the_generator_writes(assignment):
    committed = (REPO / "notebooks" / f"{assignment.id}.ipynb").read_bytes()
    assert notebook_text(build_notebook(assignment)).encode() == committed, (
        "notebooks/ is stale: run `grader notebooks` and commit the result"
    )


def test_generation_is_deterministic_across_runs(tmp_path):
    first = [path.read_bytes() for path in write_notebooks(COURSE, tmp_path / "a")]
    second = [path.read_bytes() for path in write_notebooks(COURSE, tmp_path / "b")]
    assert first == second
    assert all(b'execution_count": null' in text for text in first)


@pytest.mark.parametrize("assignment", COURSE.assignments, ids=lambda a: a.id)
def test_notebook_layout(assignment):
    notebook = build_notebook(assignment)
    nbformat.validate(notebook)
    ids = [cell.id for cell in notebook.cells]
    assert len(ids) == len(set(ids))
    assert notebook.cells[0].source.startswith("# Assignment")
    # Every exercise: its docstring as markdown, then the stub, then the self-check.
    for exercise in assignment.exercises:
        index = ids.index(f"{exercise.id}-text")
        text, stub, check = notebook.cells[index : index + 3]
        assert text.cell_type == "markdown" and f"`{exercise.id}(" in text.source
        assert stub.id == exercise.id
        tree = ast.parse(stub.source)
        assert [node.name for node in tree.body] == [exercise.id]
        assert isinstance(tree.body[0].body[-1], ast.Raise)
        assert check.id == f"{exercise.id}-check"
        assert f'check("{exercise.id}", "{assignment.id}.ipynb")' in check.source
    assert assignment.figures, "every assignment's notebook draws at least one figure"
    for name in figure_ids(assignment):
        assert notebook.cells[ids.index(name)].cell_type == "code"
        assert ids.index(f"{name}-caption") == ids.index(name) - 1
        assert ids.index(name) < ids.index(f"{assignment.exercises[0].id}-text")


def figure_ids(assignment) -> list[str]:
    """The ids of the code cells that draw the assignment's figures, in course.toml's order."""
    return [f"figure-{figure.path.stem.replace('_', '-')}" for figure in assignment.figures]


def test_the_tangent_line_figure_draws_the_worked_example():
    for assignment in ("derivatives", "gradients", "descent"):
        cells = {cell.id: cell for cell in build_notebook(COURSE.assignment(assignment)).cells}
        plot = cells["figure-tangent-lines"].source
        assert "(-0.5, 0.0, 0.5)" in plot and "np.linspace(-1.0, 1.0" in plot


def test_backprop_figures_follow_their_sections_and_compute_everything_themselves():
    """The sigmoid figure after the vanishing gradients, the five optimisers after the adaptive
    ones; neither calls an exercise, which the student has not written when the figures run."""
    assignment = COURSE.assignment("backprop")
    notebook = build_notebook(assignment)
    ids = [cell.id for cell in notebook.cells]
    sources = [cell.source for cell in notebook.cells]
    for heading, figure in (
        ("## Vanishing and exploding gradients", "figure-vanishing-gradients"),
        ("## Adaptive optimisers", "figure-optimiser-paths"),
    ):
        section = next(i for i, text in enumerate(sources) if text.startswith(heading))
        assert ids[section + 1 : section + 3] == [f"{figure}-caption", figure]
    vanishing = sources[ids.index("figure-vanishing-gradients")]
    assert "0.25**layers" in vanishing and "np.arange(1, 21)" in vanishing
    paths = sources[ids.index("figure-optimiser-paths")]
    for optimiser in ("gradient descent", "momentum", "AdaGrad", "RMSProp", "Adam"):
        assert f'("{optimiser}' in paths
    assert "plt.subplots(\n    1, len(optimisers)" in paths  # side by side, one row
    for figure in ("figure-vanishing-gradients", "figure-optimiser-paths"):
        tree = ast.parse(sources[ids.index(figure)])
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        assert not names & {exercise.id for exercise in assignment.exercises}, figure


def test_derivatives_notebook_draws_the_worked_example_after_its_section():
    notebook = build_notebook(COURSE.assignment("derivatives"))
    sources = [cell.source for cell in notebook.cells]
    worked = next(i for i, text in enumerate(sources) if text.startswith("## A worked example"))
    assert notebook.cells[worked + 2].id == "figure-tangent-lines"
    assert sources.index(next(s for s in sources if "def objective" in s)) < sources.index(
        next(s for s in sources if "def derivative" in s)
    )


def test_docstring_markdown_lists_arguments_and_fences_doctests():
    docstring = """Do a thing.

    Arguments:
        x: a number, or an array of
            numbers.
        h: the step.

    Returns:
        A float.

    Worked example:
        Some prose.

        >>> thing(1)
        2.0
    """
    text = docstring_markdown(docstring)
    assert "- `x`: a number, or an array of numbers." in text
    assert "- `h`: the step." in text
    assert "**Returns**\n\nA float." in text
    assert "```python\n>>> thing(1)\n2.0\n```" in text
    assert "Some prose." in text and "    Some prose." not in text


@pytest.mark.slow
@pytest.mark.parametrize("assignment", COURSE.assignments, ids=lambda a: a.id)
def test_notebook_runs_top_to_bottom_on_the_stubs(assignment):
    """A real kernel runs every cell; each self-check reports the stub as not implemented yet."""
    folder = REPO / "notebooks"
    notebook = nbformat.read(folder / f"{assignment.id}.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()  # raises CellExecutionError if any cell raises
    cells = {cell.id: cell for cell in notebook.cells}
    for figure in figure_ids(assignment):
        assert any("image/png" in output.get("data", {}) for output in cells[figure].outputs)
    with_public = public_exercises(assignment.id)
    for exercise in assignment.exercises:
        outputs = cells[f"{exercise.id}-check"].outputs
        assert len(outputs) == 1 and outputs[0].output_type == "execute_result"
        text, page = outputs[0].data["text/plain"], outputs[0].data["text/html"]
        expected = "not implemented yet" if exercise.id in with_public else "no public checks"
        assert f"{exercise.id}  {expected}" in text
        assert f"<code>{exercise.id}</code>" in page and expected in page
        assert "note:" not in text  # the notebook's other cells all ran cleanly in the sandbox


# --- figures: course.toml names the files, the notebook draws them where it says ---------------

FIGURE = (
    '"""**A line.** The caption, in markdown."""\n\nimport matplotlib.pyplot as plt\n\n'
    "plt.plot([0, 1])\n"
)


def _course_with_figures(tmp_path, figures: str):
    """The bundled course's derivatives assignment in a copy whose course.toml lists `figures`."""
    root = tmp_path / "course"
    copy_course(root)
    (root / "figures").mkdir(exist_ok=True)
    (root / "figures" / "line.py").write_text(FIGURE)
    (root / "figures" / "other_line.py").write_text(FIGURE.replace("A line", "Another line"))
    text = (root / "course.toml").read_text()
    start = text.index("figures = [{ file")
    end = text.index("\n", start)
    (root / "course.toml").write_text(text[:start] + f"figures = {figures}" + text[end:])
    return root / "course.toml"


def test_figures_are_drawn_after_the_section_they_name(tmp_path):
    course = load_course(_course_with_figures(tmp_path, (
        '["figures/line.py", { file = "figures/other_line.py", after = "A worked example: '
        'f(x) = x**2" }]'
    )))  # fmt: skip
    notebook = build_notebook(course.assignment("derivatives"))
    ids = [cell.id for cell in notebook.cells]
    assert ids[:4] == ["intro", "how-to", "figure-line-caption", "figure-line"]
    worked = next(
        i for i, cell in enumerate(notebook.cells) if cell.source.startswith("## A worked example")
    )
    assert ids[worked + 1 : worked + 3] == ["figure-other-line-caption", "figure-other-line"]
    assert notebook.cells[worked + 1].source == "**Another line.** The caption, in markdown."
    assert (
        notebook.cells[worked + 2].source == "import matplotlib.pyplot as plt\n\nplt.plot([0, 1])"
    )
    assert "figure-tangent-lines" not in ids  # only what course.toml names


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ('["figures/none.py"]', "figures[0].file: figures/none.py does not exist"),
        ('[{ file = "figures/line.py", after = "No such section" }]',
         "figures[0].after: exercises/derivatives.py's docstring has no section headed "
         "## No such section; its sections are: "),
        ('[{ file = "figures/line.py", place = "top" }]', "figures[0].place: unknown key"),
        ("[3]", "figures[0]: must be a list of figure files"),
    ],
)  # fmt: skip
def test_a_figure_course_toml_cannot_draw_is_one_sentence(tmp_path, figures, message):
    with pytest.raises(CourseError) as raised:
        load_course(_course_with_figures(tmp_path, figures))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
