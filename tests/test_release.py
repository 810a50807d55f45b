"""`grader release`: the student bundle holds no hidden check, no solution body and no hidden seed,
and installs alone, in a fresh virtual environment, as a working `grader check`."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import REPO, reference_source

from grader.course.config import load_course
from grader.student.replay import public_seed

COURSE = load_course(REPO / "course.toml")
GIVEN = {name for assignment in COURSE.assignments for name in assignment.given}


def grader(*arguments: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "grader", *arguments], cwd=cwd, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "bundle"
    run = grader("release", "--out", str(out))
    assert run.returncode == 0, run.stderr
    return out


def files_of(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def hidden_check_names() -> set[str]:
    names = set()
    for module in (REPO / "checks").glob("*/hidden.py"):
        tree = ast.parse(module.read_text())
        names |= {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    return {name for name in names if name.startswith("test_")}


def body_dumps(source: str) -> dict[str, str]:
    """AST dump of each function body (docstring left out) -> the function's name."""
    dumps = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            if body:
                dumps[ast.dump(ast.Module(body=body, type_ignores=[]))] = node.name
    return dumps


def code_of(path: Path) -> list[str]:
    """The Python sources of a file: a .py file, or the code cells of a notebook."""
    if path.suffix == ".py":
        return [path.read_text()]
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    return []


def reference_bodies() -> dict[str, str]:
    """Every reference function body, but those of the given functions, handed out by design."""
    bodies: dict[str, str] = {}
    for solution in (REPO / "solutions").glob("*.py"):
        bodies.update(body_dumps(solution.read_text()))
    return {dump: name for dump, name in bodies.items() if name not in GIVEN}


def leaked_bodies(folder: Path) -> set[str]:
    references = reference_bodies()
    found = set()
    for path in files_of(folder):
        for source in code_of(path):
            found |= {references[d] for d in body_dumps(source) if d in references}
    return found


def test_bundle_layout(bundle):
    names = {path.relative_to(bundle).as_posix() for path in files_of(bundle)}
    for assignment in COURSE.assignments:
        assert f"exercises/{assignment.id}.py" in names
        assert f"notebooks/{assignment.id}.ipynb" in names
        assert f"grader/course-data/checks/{assignment.id}/public.py" in names
        assert f"grader/course-data/replay/{assignment.id}.json" in names
    assert {"README.md", "pyproject.toml", "grader/cli/main.py", "grader/student/selfcheck.py",
            "grader/authoring/__init__.py"} <= names  # fmt: skip
    assert not [name for name in names if "hidden" in name or "solution" in name]
    assert "grader/grading/run.py" not in names  # only what `grader check` needs
    assert not [name for name in names if "known" in name]  # no wrong formulas
    for assignment in COURSE.assignments:  # the stubs, unchanged
        exercise = (bundle / "exercises" / f"{assignment.id}.py").read_bytes()
        assert exercise == assignment.module.read_bytes()


def test_no_file_names_a_hidden_check(bundle):
    names = hidden_check_names()
    assert len(names) >= len(COURSE.assignments)
    for path in files_of(bundle):
        text = path.read_bytes().decode("latin-1")
        assert not [name for name in names if name in text], path


def test_no_reference_function_body_anywhere(bundle, tmp_path):
    assert leaked_bodies(bundle) == set()
    # The scan would have seen a leak: a solution, reformatted and renamed, is found.
    tree = ast.parse(reference_source("gradients"))
    (tmp_path / "helpers.py").write_text("# mine\n" + ast.unparse(tree).replace("def ", "def my_"))
    assert "hessian" in leaked_bodies(tmp_path)


def test_course_data_has_the_public_seed_only(bundle):
    seed = str(COURSE.seed)
    for path in files_of(bundle):
        assert seed not in path.read_bytes().decode("latin-1"), path
    released = load_course(bundle / "grader" / "course-data" / "course.toml")
    assert released.seed == public_seed(COURSE) != COURSE.seed
    assert [a.id for a in released.assignments] == [a.id for a in COURSE.assignments]
    assert released.assignments[0].exercises == COURSE.assignments[0].exercises


def test_release_refuses_a_folder_in_use(tmp_path):
    (tmp_path / "old.txt").write_text("keep me")
    run = grader("release", "--out", str(tmp_path))
    assert run.returncode == 2 and "not empty" in run.stderr and "Traceback" not in run.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["old.txt"]


@pytest.fixture
def venv_folder():
    # Outside /tmp: the sandbox gives its processes a fresh /tmp, which would hide an interpreter
    # installed there.
    folder = Path(tempfile.mkdtemp(prefix="gradkit-venv-", dir="/var/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_bundle_installs_alone_and_checks(bundle, tmp_path, venv_folder):
    student = tmp_path / "student"
    shutil.copytree(bundle, student)
    subprocess.run([sys.executable, "-m", "venv", str(venv_folder)], check=True)
    install = subprocess.run(
        [str(venv_folder / "bin" / "pip"), "install", "-q", str(student)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    site = next(venv_folder.glob("lib/python*/site-packages"))
    assert not list(site.glob("grader/course-data/checks/*/hidden.py"))
    assert list(site.glob("grader/course-data/checks/*/public.py"))
    assert not (site / "gradkit").exists() and not list(site.glob("gradkit-*"))

    def check(*arguments: str) -> subprocess.CompletedProcess:
        command = [str(venv_folder / "bin" / "grader"), "check", *arguments]
        return subprocess.run(command, cwd=student, capture_output=True, text=True, timeout=300)

    for assignment in COURSE.assignments:
        (student / "exercises" / f"{assignment.id}.py").write_text(reference_source(assignment.id))
    done = check()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "✓ derivative" in done.stdout and "✓ momentum_step" in done.stdout
    assert "✓ newton_step" in done.stdout and "✗" not in done.stdout

    ascent = (
        "def descent_step(x, grad, lr):\n    return np.asarray(x, float) + lr * np.asarray(grad)\n"
    )
    (student / "exercises" / "descent.py").write_text(reference_source("descent") + "\n\n" + ascent)
    failed = check("exercises/descent.py")
    assert failed.returncode == 1
    assert "✗ descent_step" in failed.stdout and "✓ mse_gradient" in failed.stdout

    notebook = check("notebooks/gradients.ipynb", "--exercise", "hessian")
    assert notebook.returncode == 1 and "hessian  not implemented yet" in notebook.stdout

    # backprop: bob's four misconceptions fail, his right answers pass, the notebook is a stub.
    bob_source = REPO / "examples" / "submissions" / "backprop" / "bob.py"
    shutil.copyfile(bob_source, student / "exercises" / "backprop.py")
    bob = check("exercises/backprop.py")
    assert bob.returncode == 1
    for wrong in ("chain_rule_derivative", "mlp_gradients", "clip_by_norm", "adam_step"):
        assert f"✗ {wrong}" in bob.stdout, bob.stdout
    for right in ("sigmoid_derivative", "relu_derivative", "adagrad_step", "rmsprop_step",
                  "newton_step"):  # fmt: skip
        assert f"✓ {right}" in bob.stdout, bob.stdout
    stub = check("notebooks/backprop.ipynb", "--exercise", "mlp_gradients")
    assert stub.returncode == 1 and "mlp_gradients  not implemented yet" in stub.stdout
