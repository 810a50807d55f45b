"""`grader release`: the bundle students receive, which holds no hidden check and no solution.

The bundle is a folder that `pip install DIR` turns into the student's `grader check`:

    README.md, pyproject.toml     the student README and the `gradkit-student` distribution
    exercises/<assignment>.py     the stubs to complete
    notebooks/<assignment>.ipynb  the same stubs as notebooks
    grader/                       what checking needs: the engine, the sandbox, the oracles, the
                                  authoring API, and the student's command line (`check` only)
    grader/course-data/           the course as the release sees it, a course folder itself:
                                  course.toml with the public seed, copies of the stubs, the
                                  public check files (checks/<assignment>/public.py), and
                                  replay/<assignment>.json, the reference's recorded answers

Which files go in is a list of names, never "everything but": a module added to grader/ later is
left out of the bundle until someone decides it belongs there. Only sandbox/, oracles/ and
authoring/ go in whole, sub-packages included: they hold no course data, only the code that
runs, judges and lets checks be written. Of the course's check files only the public ones go in:
a public check must not import the hidden checks or the wrong formulas.
"""

from __future__ import annotations

import json
import shutil
import string
from pathlib import Path

from grader import __version__
from grader.course.config import Assignment, Course
from grader.reports.outputs import OutputError, check_output_folder
from grader.student.notebooks import write_notebooks
from grader.student.replay import REPLAY_FOLDER, dump_records, public_seed, record

ENGINE = Path(__file__).resolve().parent.parent  # the grader package
TEMPLATE = ENGINE / "student" / "release_template"
COURSE_DATA = "course-data"
# The modules of grader/ that `grader check` imports, and nothing else.
MODULES = (
    "__init__.py", "__main__.py", "py.typed",
    "course/__init__.py", "course/config.py", "course/model.py", "course/reader.py",
    "course/check_files.py",
    "course/notebook_source.py", "course/safe_read.py", "course/submissions.py",
    "grading/__init__.py", "grading/collection.py", "grading/marker.py", "grading/messages.py",
    "grading/opening.py", "grading/planning.py",
    "grading/plugin.py", "grading/proxy.py",
    "grading/pytest.ini", "grading/reference_memo.py", "grading/rehearsal.py",
    "grading/results.py", "grading/session.py",
    "student/__init__.py", "student/check_summary.py", "student/replay.py",
    "student/selfcheck.py",
    "reports/__init__.py", "reports/text.py",
)  # fmt: skip
# Every module of these, sub-packages included: they hold no course data, only the code that
# runs, judges and lets checks be written.
PACKAGES = ("sandbox", "oracles", "authoring")


class ReleaseError(Exception):
    """The release could not be built; `str()` is one sentence for the instructor."""


def build_release(course: Course, out: Path) -> list[Path]:
    """Write the student bundle of `course` into the new folder `out`; return the files written."""
    try:
        check_output_folder(out, "--out")  # before the recording, which takes a while
    except OutputError as error:
        raise ReleaseError(str(error)) from None
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out} already exists and is not empty; give a new folder with --out.")
    # Recording runs every public check on the reference first: a failing one stops the release
    # before anything is written.
    seed = public_seed(course)
    records = {assignment.id: record(course, assignment) for assignment in course.assignments}
    out.mkdir(parents=True, exist_ok=True)
    _copy_engine(out / "grader")
    data = out / "grader" / COURSE_DATA
    for assignment in course.assignments:
        _copy(assignment.module, out / "exercises" / assignment.module.name)
        _copy(assignment.module, data / "exercises" / assignment.module.name)
        if assignment.public_checks is not None:
            _copy(assignment.public_checks, data / public_checks_path(assignment))
        replay_file = data / REPLAY_FOLDER / f"{assignment.id}.json"
        replay_file.parent.mkdir(parents=True, exist_ok=True)
        replay_file.write_text(dump_records(assignment, seed, records[assignment.id]))
    (data / "course.toml").write_text(course_toml(course, seed))
    write_notebooks(course, out / "notebooks")
    first = course.assignments[0]
    values = {
        "title": course.title, "version": __version__, "assignments": _listing(course),
        # the README's examples name the course's own first assignment and exercise
        "assignment": first.id, "exercise": first.exercises[0].id,
    }  # fmt: skip
    for name, template in (("README.md", "README.md"), ("pyproject.toml", "pyproject.toml.in")):
        text = string.Template((TEMPLATE / template).read_text(encoding="utf-8")).substitute(values)
        (out / name).write_text(text, encoding="utf-8")
    return sorted(path for path in out.rglob("*") if path.is_file())


def course_toml(course: Course, seed: int) -> str:
    """The release's course.toml: the course's assignments and limits, the public seed, and no
    solution (each `solution` names the stub, which defines every exercise, so the file validates;
    the reference answers come from the replay records)."""
    lines = [
        "# The course as the student release sees it, written by `grader release`.",
        "# seed is the public checks' seed; solution names the stub: answers are replayed.",
        "",
        "[course]",
        f"id = {_toml(course.id)}",
        f"title = {_toml(course.title)}",
        f"seed = {seed}",
        "",
        "[limits]",
        *_limit_lines(course.limits),
    ]
    for assignment in course.assignments:
        module = f"exercises/{assignment.module.name}"
        lines += [
            "",
            f"[assignments.{assignment.id}]",
            f"title = {_toml(assignment.title)}",
            f"module = {_toml(module)}",
            f"solution = {_toml(module)}",
            f"given = [{', '.join(_toml(name) for name in assignment.given)}]",
            *(
                [f"public_checks = {_toml(public_checks_path(assignment))}"]
                if assignment.public_checks is not None
                else []
            ),
            "",
            f"[assignments.{assignment.id}.limits]",
            *_limit_lines(assignment.limits),
            "",
            f"[assignments.{assignment.id}.exercises]",
            *(f"{exercise.id} = {exercise.points!r}" for exercise in assignment.exercises),
        ]
    return "\n".join(lines) + "\n"


def public_checks_path(assignment: Assignment) -> str:
    """Where the release keeps an assignment's public checks, relative to its course.toml."""
    return f"checks/{assignment.id}/public.py"


def _copy_engine(target: Path) -> None:
    for name in MODULES:
        _copy(ENGINE / name, target / name)
    for package in PACKAGES:
        for module in sorted((ENGINE / package).rglob("*.py")):
            _copy(module, target / module.relative_to(ENGINE))
    (target / "cli").mkdir(parents=True, exist_ok=True)
    (target / "cli" / "__init__.py").write_text('"""The student\'s command line."""\n')
    _copy(TEMPLATE / "cli.py", target / "cli" / "main.py")


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _listing(course: Course) -> str:
    return "\n".join(
        f"- `exercises/{a.module.name}` or `notebooks/{a.id}.ipynb`: {a.title}"
        for a in course.assignments
    )


def _limit_lines(limits: object) -> list[str]:
    return [f"{key} = {value!r}" for key, value in vars(limits).items()]


def _toml(text: str) -> str:
    # A JSON string is a valid TOML basic string (same quotes and escapes).
    return json.dumps(text)
