"""Side by side: nbgrader's own `autograde` and `grader grade --nbgrader` on the same notebooks.

Run from the repository root (the virtual environment's bin must be on PATH for nbgrader's
`alembic`, as an activated environment has it):

    .venv/bin/python benchmarks/compare_nbgrader.py [--count 30] [--course PATH] [--assignment ID]

It builds the course with `grader nbgrader build`, releases the assignment with
`nbgrader generate_assignment`, writes `--count` completed notebooks (in rotation: correct,
partly wrong, untouched) and puts the same notebooks in three course directories. Then, in this
one run, it times:

1. `nbgrader autograde` of the gradkit course: nbgrader executes each notebook in a fresh
   kernel, and the test cells grade it with gradkit's engine (one sandbox session per notebook);
2. `nbgrader autograde` of the same notebooks with every test cell emptied: nbgrader's own cost
   per notebook (a kernel, the notebook's code, the gradebook), the least any nbgrader test
   suite can cost, and so the fair baseline;
3. `grader grade --nbgrader`: the sandbox, every public and hidden check, the gradebook, the
   autograded notebooks and grades.json, with `--jobs` sandboxes (default: the cores).

It prints the machine's core count, the milliseconds per submission of each and the ratios, and
checks that (1) and (3) wrote the same score for every student. Goal: gradkit at least 100x
faster per submission than nbgrader.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from course_options import add_course_option, chosen_course
from nbgrader.api import Gradebook

from grader.course.config import CourseError

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WRONG_BODY = "return 0.0  # a wrong answer"


def run(command: list[str], cwd: Path) -> None:
    """Run a command with the environment's bin first on PATH; stop on failure."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:3])} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def build(root: Path, course: Path, assignment: str, *, empty_tests: bool) -> None:
    """A course directory with the assignment generated; test cells emptied if asked."""
    run([sys.executable, "-m", "grader", "nbgrader", "build", str(root), "--course", str(course)],
        REPO)  # fmt: skip
    if empty_tests:
        path = root / "source" / assignment / f"{assignment}.ipynb"
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                cell.source = "# (no checks: nbgrader's own cost only)"
        nbformat.write(notebook, path)
    run([str(BIN / "nbgrader"), "generate_assignment", assignment], root)


def solution_cells(notebook: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    """The notebook's solution cells by grade_id."""
    return {
        cell.metadata["nbgrader"]["grade_id"]: cell
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def submissions(root: Path, assignment: str, count: int) -> list[nbformat.NotebookNode]:
    """`count` notebooks in rotation: correct, partly wrong (some exercises wrong or untouched),
    untouched."""
    name = f"{assignment}.ipynb"
    release = nbformat.read(root / "release" / assignment / name, as_version=4)
    answers = solution_cells(nbformat.read(root / "source" / assignment / name, as_version=4))
    chooser = random.Random(2026)
    notebooks = []
    for index in range(count):
        notebook = nbformat.from_dict(release)
        for grade_id, cell in solution_cells(notebook).items():
            kind = index % 3
            if kind == 2 or (kind == 1 and chooser.random() < 0.3):
                continue  # untouched: the stub as released
            cell.source = answers[grade_id].source
            if kind == 1 and chooser.random() < 0.4:
                indent = cell.source.split("### BEGIN SOLUTION")[0].rsplit("\n", 1)[-1]
                cell.source = cell.source.replace("### BEGIN SOLUTION", f"{WRONG_BODY}\n{indent}#")
        notebooks.append(notebook)
    return notebooks


def submit(roots: list[Path], assignment: str, notebooks: list[nbformat.NotebookNode]) -> None:
    """Put the same notebooks in every course directory's submitted/."""
    for root in roots:
        for index, notebook in enumerate(notebooks):
            folder = root / "submitted" / f"s{index:05d}" / assignment
            folder.mkdir(parents=True)
            nbformat.write(notebook, folder / f"{assignment}.ipynb")
            (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC\n")


def timed(command: list[str], cwd: Path) -> float:
    """Seconds a command takes."""
    start = time.perf_counter()
    run(command, cwd)
    return time.perf_counter() - start


def scores(root: Path, assignment: str) -> dict[str, float]:
    """Every student's total score in a course directory's gradebook."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        return {s.student_id: s.score for s in gradebook.find_assignment(assignment).submissions}


def main() -> None:
    """Build, generate, time the three runs, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30, help="notebook submissions")
    add_course_option(parser)
    parser.add_argument("--assignment", help="assignment id (default: the course's first)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    arguments = parser.parse_args()
    course = chosen_course(parser, arguments)
    try:
        assignment = course.assignment(arguments.assignment or course.assignments[0].id).id
    except CourseError as error:
        parser.error(str(error))
    count = arguments.count
    with tempfile.TemporaryDirectory(prefix="gradkit-compare-") as folder:
        base = Path(folder)
        native, floor, sandboxed = base / "native", base / "floor", base / "sandboxed"
        build(native, course.path, assignment, empty_tests=False)
        build(floor, course.path, assignment, empty_tests=True)
        shutil.copytree(native, sandboxed)
        submit([native, floor, sandboxed], assignment, submissions(native, assignment, count))
        nbgrader = [str(BIN / "nbgrader"), "autograde", assignment]
        gradkit = [sys.executable, "-m", "grader", "grade", "--nbgrader", str(sandboxed)]
        gradkit += ["--assignment", assignment, "--jobs", str(arguments.jobs)]
        gradkit += ["--course", str(course.path)]
        seconds = {
            "nbgrader autograde, gradkit's test cells": timed(nbgrader, native),
            "nbgrader autograde, empty test cells": timed(nbgrader, floor),
            "grader grade --nbgrader": timed(gradkit, REPO),
        }
        native_scores, gradkit_scores = scores(native, assignment), scores(sandboxed, assignment)
    ms = {label: 1000 * value / count for label, value in seconds.items()}
    print(f"{count} notebook submissions of {assignment}, {os.cpu_count()} cores")
    for label, value in ms.items():
        print(f"  {label:<42} {value:9.1f} ms per submission")
    ours = ms["grader grade --nbgrader"]
    native_ms, floor_ms = (
        ms["nbgrader autograde, gradkit's test cells"],
        ms["nbgrader autograde, empty test cells"],
    )
    print(f"  gradkit vs nbgrader with gradkit's cells:  {native_ms / ours:7.1f}x")
    print(f"  gradkit vs nbgrader's own floor:           {floor_ms / ours:7.1f}x")
    differ = [s for s in native_scores if abs(native_scores[s] - gradkit_scores.get(s, -1)) > 1e-6]
    print(f"  students whose score differs between the two gradings: {len(differ)} of {count}")


if __name__ == "__main__":
    main()
