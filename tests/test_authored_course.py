"""A course authored outside the repository, driven by gradkit installed as a user installs it.

gradkit is copied from the repository's tracked files (`git ls-files`, a clean tree) and
installed with `pip install --no-deps --no-build-isolation` into a fresh virtual environment,
not in editable mode: every command below runs the installed package and the data it ships
(the `grader init` template, the release template), so a file missing from the package shows
here. The new environment sees the development environment's dependencies through a `.pth` line
(a path only: the `.pth` files inside that folder do not run, so its editable gradkit is not
importable there), so nothing but gradkit itself is installed again.

In a course folder outside the repository, with that environment's `grader`: `grader init`;
`grader grade` (reference full marks, stub 0); the worked exercise of docs/authoring.md added
as written there and graded; `grader validate` passing, and failing with one line per problem
for each kind of authoring mistake; `grader release` installed into a second environment made
the same way, whose `grader check` passes on the reference; `grader nbgrader build`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader_course import completed, nbgrader

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "authoring.md"
# The template assignment `grader init` writes, and the guide's worked one.
SLOPES = "slopes"
ACTIVATIONS = "activations"
# How the guide marks the files of its worked exercise: a comment line, then a code block.
GUIDE_FILE = re.compile(r"<!-- (file|append): (\S+) -->\n```\w*\n(.*?)```", re.DOTALL)
MISTAKE_X = "x * (1 - x): the formula applied to x instead of to sigmoid(x)"
MISTAKE_ITSELF = "sigmoid(x) itself instead of its slope"


@dataclass(frozen=True)
class Venv:
    """A virtual environment: its folder, interpreter, `grader` script and site-packages."""

    root: Path
    python: Path
    grader: Path
    site: Path

    def run(self, *arguments: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
        """Run this environment's `grader` command in `cwd`, as an instructor would."""
        return subprocess.run(
            [str(self.grader), *arguments], cwd=cwd, capture_output=True, text=True,
            timeout=timeout, env=clean_environment(),
        )  # fmt: skip

    def pip_install(self, source: Path) -> None:
        """`pip install --no-deps --no-build-isolation SOURCE`, never editable."""
        command = [str(self.python), "-m", "pip", "install", "-q", "--no-deps",
                   "--no-build-isolation", str(source)]  # fmt: skip
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=600, env=clean_environment(),
            cwd=self.root,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr

    def imported_from(self, module: str) -> Path:
        """Where this environment's interpreter imports `module` from."""
        done = subprocess.run(
            [str(self.python), "-c", f"import {module}; print({module}.__file__)"],
            capture_output=True, text=True, timeout=120, env=clean_environment(), cwd=self.root,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return Path(done.stdout.strip())


def clean_environment() -> dict[str, str]:
    """The environment without what would point Python at the development tree."""
    return {
        name: value
        for name, value in os.environ.items()
        if name not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP")
    }


def development_site_packages() -> list[str]:
    """The running interpreter's library folders (the development environment's)."""
    paths = sysconfig.get_paths()
    return list(dict.fromkeys(paths[name] for name in ("purelib", "platlib")))


def make_venv(root: Path) -> Venv:
    """A fresh virtual environment that sees the development environment's packages by path.

    Its own setuptools builds gradkit's wheel (`--no-build-isolation` uses it); the one `venv`
    bundles with some Pythons predates building wheels without the `wheel` package, so a newer
    one is installed there when needed: a build tool, not one of gradkit's dependencies.
    """
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300)
    python = root / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True, timeout=60, cwd=root,
        ).stdout.strip()
    )  # fmt: skip
    (site / "gradkit-development-dependencies.pth").write_text(
        "".join(f"{path}\n" for path in development_site_packages())
    )
    builds_wheels = subprocess.run(
        [str(python), "-c", "import setuptools.command.bdist_wheel"],
        capture_output=True, timeout=60, cwd=root,
    )  # fmt: skip
    if builds_wheels.returncode != 0:
        upgrade = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "setuptools>=70.1"],
            capture_output=True, text=True, timeout=600, env=clean_environment(), cwd=root,
        )  # fmt: skip
        assert upgrade.returncode == 0, upgrade.stdout + upgrade.stderr
    return Venv(root, python, root / "bin" / "grader", site)


def copy_tracked_files(destination: Path) -> Path:
    """The repository's tracked files as they are in the work tree, copied to `destination`."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # a tracked file deleted in the work tree is left out
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A folder outside the repository for the environments and the courses."""
    folder = Path(tempfile.mkdtemp(prefix="gradkit-authored-"))
    assert REPO not in folder.parents
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def gradkit(scratch: Path) -> Venv:
    """gradkit installed, not editable, from a clean copy of the repository."""
    venv = make_venv(scratch / "venv")
    venv.pip_install(copy_tracked_files(scratch / "gradkit-source"))
    return venv


@pytest.fixture(scope="module")
def initialised(gradkit: Venv, scratch: Path) -> Path:
    """A course folder written by the installed `grader init`."""
    run = gradkit.run("init", "course", cwd=scratch)
    assert run.returncode == 0, run.stdout + run.stderr
    return scratch / "course"


@pytest.fixture(scope="module")
def authored(initialised: Path, scratch: Path) -> Path:
    """The `grader init` course with the guide's worked assignment added as the guide says."""
    course = scratch / "authored"
    shutil.copytree(initialised, course)
    add_guide_assignment(course)
    return course


def add_guide_assignment(course: Path) -> list[str]:
    """Write each file of the guide's worked exercise into `course`; return their paths."""
    written = []
    for kind, name, text in GUIDE_FILE.findall(GUIDE.read_text(encoding="utf-8")):
        path = course / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "append":
            text = path.read_text(encoding="utf-8") + "\n" + text
        path.write_text(text, encoding="utf-8")
        written.append(name)
    return written


def grades(venv: Venv, course: Path, submissions: Path, assignment: str) -> dict[str, dict]:
    """`grader grade` of `submissions` in `course`: grades.json's submissions by student."""
    out = submissions.parent / f"grades-{submissions.name}"
    run = venv.run(
        "grade", str(submissions), "--assignment", assignment, "--out", str(out), "--replace",
        cwd=course,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    results = json.loads((out / "grades.json").read_text())["submissions"]
    assert all(result["error"] is None for result in results), results
    return {result["student"]: result for result in results}


def submissions_of(folder: Path, files: dict[str, str]) -> Path:
    """A folder of `<student>.py` submissions."""
    folder.mkdir(parents=True)
    for student, text in files.items():
        (folder / f"{student}.py").write_text(text, encoding="utf-8")
    return folder


def messages(result: dict, exercise: str) -> dict[str, str]:
    """Each check of an exercise and the message the student reads."""
    return {check["name"]: check["message"] for check in result["exercises"][exercise]["checks"]}


# --- the installation ------------------------------------------------------------------------


def test_gradkit_runs_from_the_installed_copy_not_the_repository(gradkit: Venv) -> None:
    for module in ("grader", "grader.authoring", "grader.course.init"):
        location = gradkit.imported_from(module)
        assert gradkit.site in location.parents, location
        assert REPO not in location.parents, location
    # The dependencies come from the development environment, by path, not installed again.
    numpy = gradkit.imported_from("numpy")
    assert str(numpy).startswith(tuple(development_site_packages())), numpy
    assert not list(gradkit.site.glob("numpy*"))


# --- grader init and grader grade ------------------------------------------------------------


def test_init_writes_a_course_whose_reference_earns_full_marks_and_stub_none(
    gradkit: Venv, initialised: Path, scratch: Path
) -> None:
    for name in ("course.toml", "README.md", f"exercises/{SLOPES}.py", f"solutions/{SLOPES}.py",
                 f"checks/{SLOPES}/public.py", f"checks/{SLOPES}/hidden.py"):  # fmt: skip
        assert (initialised / name).is_file(), name
    folder = submissions_of(
        scratch / "slopes-submissions",
        {
            "reference": (initialised / "solutions" / f"{SLOPES}.py").read_text(),
            "stub": (initialised / "exercises" / f"{SLOPES}.py").read_text(),
        },
    )
    graded = grades(gradkit, initialised, folder, SLOPES)
    reference, stub = graded["reference"], graded["stub"]
    assert reference["points"] == reference["max_points"] > 0
    assert stub["points"] == 0
    assert all(
        "NotImplementedError" in message
        for exercise in stub["exercises"]
        for message in messages(stub, exercise).values()
    )


def test_the_guides_worked_exercise_grades_as_the_guide_says(
    gradkit: Venv, authored: Path, scratch: Path
) -> None:
    solution = (authored / "solutions" / f"{ACTIVATIONS}.py").read_text()
    right = "s = sigmoid(x)\n    return s * (1.0 - s)"
    assert right in solution
    on_x = "x = np.asarray(x, dtype=float)\n    return x * (1.0 - x)"
    overflowing = "x = np.asarray(x, dtype=float)\n    return np.exp(-x) / (1 + np.exp(-x)) ** 2"
    folder = submissions_of(
        scratch / "activations-submissions",
        {
            "reference": solution,
            "stub": (authored / "exercises" / f"{ACTIVATIONS}.py").read_text(),
            "on_x": solution.replace(right, on_x),
            "itself": solution.replace(right, "return sigmoid(x)"),
            "overflowing": solution.replace(right, overflowing),
        },
    )
    graded = grades(gradkit, authored, folder, ACTIVATIONS)
    assert graded["reference"]["points"] == graded["reference"]["max_points"] == 2
    assert graded["stub"]["points"] == 0
    # The guide's table of points: weights 1, 2 and 1 share the exercise's 2 points.
    checks = graded["reference"]["exercises"]["sigmoid_derivative"]["checks"]
    assert [(c["name"], c["max_points"], c["hidden"]) for c in checks] == [
        ("sigmoid_derivative_worked_example", 0.5, False),
        ("sigmoid_derivative_random_points", 1.0, True),
        ("sigmoid_derivative_far_from_zero", 0.5, True),
    ]
    on_x_reads = messages(graded["on_x"], "sigmoid_derivative")
    assert on_x_reads["sigmoid_derivative_worked_example"] == (
        "sigmoid_derivative(0.0) returned 0.0, expected 0.25. This looks like zeros where the "
        "expected values are not zero."
    )
    assert on_x_reads["sigmoid_derivative_random_points"].endswith(f"This looks like {MISTAKE_X}.")
    assert on_x_reads["sigmoid_derivative_far_from_zero"] == (
        f"sigmoid_derivative(-800.0) returned -640800.0, expected 0.0. This looks like {MISTAKE_X}."
    )
    itself_reads = messages(graded["itself"], "sigmoid_derivative")
    assert itself_reads["sigmoid_derivative_random_points"].endswith(
        f"This looks like {MISTAKE_ITSELF}."
    )
    assert graded["overflowing"]["points"] == 1.5
    assert messages(graded["overflowing"], "sigmoid_derivative")[
        "sigmoid_derivative_far_from_zero"
    ] == (
        "sigmoid_derivative(-800.0) returned nan, expected 0.0; nan usually comes from an "
        "undefined operation such as 0/0."
    )


# --- grader validate ------------------------------------------------------------------------

HIDDEN = f"checks/{ACTIVATIONS}/hidden.py"
PUBLIC = f"checks/{ACTIVATIONS}/public.py"
STUB = f"exercises/{ACTIVATIONS}.py"
SOLUTION = f"solutions/{ACTIVATIONS}.py"
FAR_CHECK = '\n\n@check("sigmoid_derivative")\ndef test_sigmoid_derivative_far_from_zero'


def edit(course: Path, name: str, old: str, new: str) -> None:
    """Replace the one `old` in the course's file `name` by `new`."""
    path = course / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(course: Path, name: str, text: str) -> int:
    """Add `text` at the end of the course's file `name`; return the number of its first line."""
    path = course / name
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1 + len(text) - len(text.lstrip("\n"))


def check_that_does_not_import(course: Path) -> tuple[str, ...]:
    """A check file that raises on import: the problem names the file and the line."""
    line = append(course, HIDDEN, "\nraise RuntimeError('left over from debugging')\n")
    return (f"{HIDDEN}, line {line}", "RuntimeError")


def check_of_an_unlisted_exercise(course: Path) -> tuple[str, ...]:
    """A check tied to an exercise that course.toml does not list (a typo, say)."""
    append(
        course,
        HIDDEN,
        '\n\n@check("sigmoid_second_derivative")\n'
        "def test_sigmoid_second_derivative_at_zero(student, reference):\n"
        '    """A check of an exercise that course.toml does not list."""\n'
        '    same_number(student, reference, "sigmoid_second_derivative", 0.0)\n',
    )
    return (HIDDEN, "sigmoid_second_derivative")


def exercise_without_a_check(course: Path) -> tuple[str, ...]:
    """A new exercise in course.toml, the stub and the solution, with no check yet."""
    listed = "sigmoid_derivative = 2\n"
    edit(course, "course.toml", listed, listed + "tanh_slope = 1\n")
    append(
        course,
        STUB,
        '\n\ndef tanh_slope(x):\n    """The slope of tanh at x."""\n'
        '    raise NotImplementedError("Return 1 - tanh(x)**2.")\n',
    )
    append(
        course,
        SOLUTION,
        '\n\ndef tanh_slope(x):\n    """Reference: 1 - tanh(x)**2."""\n'
        "    return 1.0 - np.tanh(x) ** 2\n",
    )
    return ("tanh_slope",)


def path_that_does_not_exist(course: Path) -> tuple[str, ...]:
    """course.toml names a solution file that is not there."""
    edit(course, "course.toml", f'solution = "{SOLUTION}"', 'solution = "solutions/activation.py"')
    return ("course.toml", "solutions/activation.py")


def solution_missing_a_function(course: Path) -> tuple[str, ...]:
    """The reference solution does not define one of the exercises."""
    edit(course, SOLUTION, "def sigmoid_derivative(", "def sigmoid_slope(")
    return (SOLUTION, "sigmoid_derivative")


def two_checks_with_one_name(course: Path) -> tuple[str, ...]:
    """A hidden check named as the public one (its name is what students read)."""
    append(
        course,
        HIDDEN,
        '\n\n@check("sigmoid_derivative")\n'
        "def test_sigmoid_derivative_worked_example(student, reference):\n"
        '    """The same name as the public worked example."""\n'
        '    same_number(student, reference, "sigmoid_derivative", 1.0)\n',
    )
    return (HIDDEN, PUBLIC, "sigmoid_derivative_worked_example")


def check_that_accepts_a_wrong_formula(course: Path) -> tuple[str, ...]:
    """The hidden checks weakened until they look at the answer's shape only: every named wrong
    formula passes them (the public check still fails it, without naming it)."""
    path = course / HIDDEN
    text = path.read_text(encoding="utf-8")
    text = text[: text.index(FAR_CHECK)] + "\n"
    text = text.replace(
        "check_array(got, reference.sigmoid_derivative(x), call=student.last_call)",
        "check_shape(got, (5,), call=student.last_call)",
    ).replace("import check, check_array,", "import check, check_array, check_shape,")
    path.write_text(text, encoding="utf-8")
    return (MISTAKE_X,)


def exercise_with_public_checks_only(course: Path) -> tuple[str, ...]:
    """No hidden check: grading would ask nothing that students could not see."""
    (course / HIDDEN).write_text('"""No hidden checks yet."""\n', encoding="utf-8")
    return (HIDDEN, "sigmoid_derivative", "no hidden check")


def check_with_unseeded_inputs(course: Path) -> tuple[str, ...]:
    """Inputs drawn from an unseeded generator: two gradings ask different questions."""
    edit(
        course,
        HIDDEN,
        "x = rng.uniform(-4.0, 4.0, size=5)",
        "import numpy\n    x = numpy.random.default_rng().uniform(-4.0, 4.0, size=5)",
    )
    return (HIDDEN, "sigmoid_derivative_random_points", "rng")


def stub_that_returns_a_value(course: Path) -> tuple[str, ...]:
    """A stub with an answer in it instead of NotImplementedError."""
    edit(course, STUB, 'raise NotImplementedError("Return sigmoid(x) * (1 - sigmoid(x)).")',
         "return 0.0")  # fmt: skip
    return (STUB, "sigmoid_derivative", "NotImplementedError")


def checks_weakened_to_the_shape(course: Path) -> None:
    """Public and hidden checks that look at nothing but the answer's type and shape."""
    check_that_accepts_a_wrong_formula(course)
    (course / PUBLIC).write_text(
        '"""Public checks, weakened: any number passes."""\n\n'
        "from grader.authoring import check, check_number, require\n\n\n"
        '@check("sigmoid_derivative")\n'
        "def test_sigmoid_derivative_worked_example(student, reference):\n"
        '    """Any answer passes: only the type is compared."""\n'
        "    got = student.sigmoid_derivative(0.0)\n"
        "    require(check_number(got, got, call=student.last_call))\n",
        encoding="utf-8",
    )


BREAKAGES = (
    check_that_does_not_import,
    check_of_an_unlisted_exercise,
    exercise_without_a_check,
    path_that_does_not_exist,
    solution_missing_a_function,
    two_checks_with_one_name,
    check_that_accepts_a_wrong_formula,
    exercise_with_public_checks_only,
    check_with_unseeded_inputs,
    stub_that_returns_a_value,
)


def validate(venv: Venv, course: Path, *arguments: str) -> subprocess.CompletedProcess:
    """`grader validate` run in the course folder."""
    return venv.run("validate", *arguments, cwd=course)


def test_validate_passes_the_initialised_and_the_authored_course(
    gradkit: Venv, initialised: Path, authored: Path
) -> None:
    for course in (initialised, authored):
        run = validate(gradkit, course)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.__name__ for b in BREAKAGES])
def test_validate_names_each_authoring_mistake_in_one_line(
    gradkit: Venv, authored: Path, tmp_path: Path, breakage
) -> None:
    course = tmp_path / "course"
    shutil.copytree(authored, course)
    expected = breakage(course)
    run = validate(gradkit, course)
    said = run.stdout + run.stderr
    assert run.returncode == 1, said
    assert "Traceback" not in said
    lines = [line for line in said.splitlines() if all(part in line for part in expected)]
    assert lines, said
    assert all(line.rstrip().endswith(".") for line in lines), lines


def test_validate_mutants_scores_the_checks_and_lists_each_survivor(
    gradkit: Venv, authored: Path, tmp_path: Path
) -> None:
    strong = validate(gradkit, authored, "--assignment", ACTIVATIONS, "--mutants")
    assert strong.returncode == 0, strong.stdout + strong.stderr
    assert "mutation score: 5 of 5 mutants killed (100.0%)" in strong.stdout
    assert "survivor:" not in strong.stdout
    course = tmp_path / "course"
    shutil.copytree(authored, course)
    checks_weakened_to_the_shape(course)
    weak = validate(gradkit, course, "--assignment", ACTIVATIONS, "--mutants")
    assert weak.returncode == 1, weak.stdout + weak.stderr
    assert "mutation score: 0 of 5 mutants killed (0.0%)" in weak.stdout
    survivors = [line for line in weak.stdout.splitlines() if "survivor:" in line]
    assert len(survivors) == 5
    assert all(f"{SOLUTION}, line 16, in sigmoid_derivative" in line for line in survivors)
    assert any("return s * (1.0 + s)" in line for line in survivors)
    # Every named formula now earns full marks, and validate says so of each.
    passing = [line for line in weak.stdout.splitlines() if "passes every check of" in line]
    assert len(passing) == 3 and any(MISTAKE_X in line for line in passing)


# --- the guide against the code --------------------------------------------------------------


def test_the_guide_names_every_name_of_the_authoring_api(gradkit: Venv) -> None:
    program = "import json, grader.authoring as api; print(json.dumps(api.__all__))"
    done = subprocess.run(
        [str(gradkit.python), "-c", program], capture_output=True, text=True, timeout=120,
        env=clean_environment(), cwd=gradkit.root,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    api = section(GUIDE.read_text(encoding="utf-8"), "## The API, grouped")
    documented = set(re.findall(r"^\| `([A-Za-z_]+)[`(]", api, re.MULTILINE))
    documented |= set(re.findall(r"^\| `[A-Za-z_]+[^|]*`, `([A-Za-z_]+)[`(]", api, re.MULTILINE))
    assert set(json.loads(done.stdout)) == documented


def test_the_guide_documents_every_key_of_course_toml() -> None:
    from grader.course.model import CHECK_FILES
    from grader.course.reader import _ASSIGNMENT, _COURSE, _LIMITS

    keys = section(GUIDE.read_text(encoding="utf-8"), "## course.toml, key by key")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", keys, re.MULTILINE))
    assert {*_COURSE, *_LIMITS, *_ASSIGNMENT, *CHECK_FILES} == documented


def section(text: str, heading: str) -> str:
    """The text of a `##` section of the guide, up to the next `##` heading."""
    start = text.index(heading + "\n")
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end >= 0 else len(text)]


# --- grader release and grader nbgrader build ------------------------------------------------


def test_the_release_installs_and_its_grader_check_passes_the_reference(
    gradkit: Venv, authored: Path, scratch: Path
) -> None:
    release = scratch / "release"
    run = gradkit.run("release", "--out", str(release), cwd=authored)
    assert run.returncode == 0, run.stdout + run.stderr
    student = make_venv(scratch / "student-venv")
    student.pip_install(release)
    assert student.site in student.imported_from("grader").parents
    for assignment in (SLOPES, ACTIVATIONS):
        solution = (authored / "solutions" / f"{assignment}.py").read_text()
        (release / "exercises" / f"{assignment}.py").write_text(solution)
    # Outside the course folder, so that only the installed release's course data is found.
    done = student.run("check", str(release / "exercises"), cwd=scratch)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "✓ sigmoid_derivative" in done.stdout and "✓ secant_slope" in done.stdout
    (release / "exercises" / f"{ACTIVATIONS}.py").write_text(
        (authored / "exercises" / f"{ACTIVATIONS}.py").read_text()
    )
    stub = student.run("check", str(release / "exercises" / f"{ACTIVATIONS}.py"), cwd=scratch)
    assert stub.returncode == 1
    assert "sigmoid_derivative  not implemented yet" in stub.stdout


def test_nbgrader_build_writes_the_source_notebooks(
    gradkit: Venv, authored: Path, scratch: Path
) -> None:
    folder = scratch / "nbgrader"
    run = gradkit.run("nbgrader", "build", str(folder), "--course", str(authored), cwd=scratch)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (folder / "nbgrader_config.py").is_file()
    for assignment in (SLOPES, ACTIVATIONS):
        notebook = json.loads((folder / "source" / assignment / f"{assignment}.ipynb").read_text())
        sources = ["".join(cell["source"]) for cell in notebook["cells"]]
        assert any("### BEGIN SOLUTION" in source for source in sources)
        assert any("### BEGIN HIDDEN TESTS" in source for source in sources)
    notebook = json.loads((folder / "source" / ACTIVATIONS / f"{ACTIVATIONS}.ipynb").read_text())
    code = "".join("".join(cell["source"]) for cell in notebook["cells"])
    assert "return s * (1.0 - s)" in code  # the reference, in its solution cell


def test_grade_nbgrader_writes_the_authored_courses_scores_into_the_gradebook(
    gradkit: Venv, authored: Path, scratch: Path
) -> None:
    """`grader grade --nbgrader` on the authored course: nbgrader releases the built notebook, a
    student who fills every solution cell with the reference's code and one who hands the
    release back as it is are graded in the sandbox, and their scores reach gradebook.db."""
    folder = scratch / "nbgrader-graded"
    built = gradkit.run("nbgrader", "build", str(folder), "--course", str(authored), cwd=scratch)
    assert built.returncode == 0, built.stdout + built.stderr
    nbgrader("generate_assignment", SLOPES, cwd=folder)
    release = folder / "release" / SLOPES / f"{SLOPES}.ipynb"
    source = folder / "source" / SLOPES / f"{SLOPES}.ipynb"
    handed_in = {
        "alice": completed(release, source, {}),
        "carol": nbformat.read(release, as_version=4),
    }
    for student, notebook in handed_in.items():
        place = folder / "submitted" / student / SLOPES
        place.mkdir(parents=True)
        nbformat.write(notebook, place / f"{SLOPES}.ipynb")
    graded = gradkit.run(
        "grade", "--nbgrader", str(folder), "--assignment", SLOPES, "--course", str(authored),
        "--jobs", "2", cwd=scratch,
    )  # fmt: skip
    assert graded.returncode == 0, graded.stdout + graded.stderr
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gradebook:
        totals = {
            submission.student_id: submission.score
            for submission in gradebook.find_assignment(SLOPES).submissions
        }
        maximum = gradebook.find_assignment(SLOPES).max_score
    assert maximum == 2.0  # secant_slope and square_slope, 1 point each in the template
    assert totals == {"alice": maximum, "carol": 0}


def test_notebooks_are_generated_for_every_assignment_of_the_authored_course(
    gradkit: Venv, authored: Path, scratch: Path
) -> None:
    """`grader notebooks` writes one notebook per assignment of the authored course: the stub's
    teaching text as markdown and its functions as code cells."""
    out = scratch / "authored-notebooks"
    run = gradkit.run("notebooks", "--out", str(out), cwd=authored)
    assert run.returncode == 0, run.stdout + run.stderr
    assert sorted(path.name for path in out.iterdir()) == [f"{ACTIVATIONS}.ipynb",
                                                           f"{SLOPES}.ipynb"]  # fmt: skip
    notebook = nbformat.read(out / f"{ACTIVATIONS}.ipynb", as_version=4)
    code = "".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "def sigmoid_derivative(" in code and "def sigmoid(" in code
    assert any(cell.cell_type == "markdown" for cell in notebook.cells)


def test_the_benchmarks_measure_the_authored_course(authored: Path) -> None:
    """`benchmarks/scale.py --course` grades the authored course's generated submissions (from
    its own reference) and prints a row for its assignment."""
    done = subprocess.run(
        [sys.executable, "benchmarks/scale.py", "--course", str(authored / "course.toml"),
         "--sizes", "2", "--assignments", ACTIVATIONS],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split() for line in done.stdout.splitlines()[2:]]
    assert rows[0][:2] == [ACTIVATIONS, "2"]
