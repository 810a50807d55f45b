"""The engine and the course are two things, and the package's layout shows its design.

Nothing under `grader/` names an assignment or an exercise of the bundled course (it grades any
course folder); the bundled course's check files import only the public authoring API; the
package's modules import each other without a circle, and each reads in one sitting.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest
from conftest import REPO

from grader.course.config import load_course

PACKAGE = REPO / "grader"
COURSE = load_course(REPO / "course.toml")
NAMES = {a.id for a in COURSE.assignments} | {
    name for a in COURSE.assignments for name in (*a.points_by_exercise, *a.given)
}
# A module longer than this is not read in one sitting.
MAX_LINES = 450
# What a check file may import besides grader.authoring and its own folder (relative imports).
ALLOWED_IMPORTS = {"numpy", "sympy", "math", "functools", "itertools", "collections", "types",
                   "typing", "contextlib", "dataclasses", "__future__", "warnings"}  # fmt: skip


def _engine_files(suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*") if path.suffix in suffixes and
                  "__pycache__" not in path.parts)  # fmt: skip


def _prose_mentions(text: str) -> set[str]:
    """The course's names used as code in prose: quoted, called, an attribute, a file name."""
    found = set()
    for name in NAMES:
        word = re.escape(name)
        patterns = [
            rf"[\"'`]{word}[\"'`]", rf"\b{word}\(", rf"\.{word}\b", rf"\b{word}\.(py|ipynb)\b",
            rf"--assignment[ =]{word}\b", rf"/{word}\b",
        ]  # fmt: skip
        if "_" in name:  # a name no English sentence uses
            patterns.append(rf"\b{word}\b")
        if any(re.search(pattern, text) for pattern in patterns):
            found.add(name)
    return found


def _python_mentions(path: Path) -> set[tuple[int, str]]:
    found = set()
    source = path.read_text(encoding="utf-8")
    before: list[str] = ["", ""]
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        # a library's own function of that name (sympy.hessian) is not the course's exercise
        of_library = before == [".", "sympy"] or before == [".", "np"]
        if token.type == tokenize.NAME and token.string in NAMES and not of_library:
            found.add((token.start[0], token.string))
        elif token.type in (tokenize.STRING, tokenize.COMMENT):
            found |= {(token.start[0], name) for name in _prose_mentions(token.string)}
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            before = [token.string, before[0]]
    return found


def test_the_engine_names_no_assignment_or_exercise_of_the_bundled_course() -> None:
    mentions = [
        f"{path.relative_to(REPO)}:{line}: {name}"
        for path in _engine_files((".py",))
        for line, name in sorted(_python_mentions(path))
    ]
    mentions += [
        f"{path.relative_to(REPO)}: {name}"
        for path in _engine_files((".md", ".in", ".ini", ".toml", ".txt"))
        for name in sorted(_prose_mentions(path.read_text(encoding="utf-8")))
    ]
    assert mentions == []


def test_the_scan_would_see_a_mention() -> None:
    """The scan above is not blind: each kind of mention it looks for is found."""
    assert _prose_mentions('check("interpret_sign", ...)') == {"interpret_sign"}
    assert _prose_mentions("grade notebooks/descent.ipynb") == {"descent"}
    assert _prose_mentions("student.hessian(f, x)") == {"hessian"}
    assert _prose_mentions("the derivative of a function, the hessian matrix") == set()


@pytest.mark.parametrize("path", sorted((REPO / "checks").rglob("*.py")), ids=str)
def test_check_files_import_only_the_authoring_api(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
    grader = {name for name in imported if name.split(".")[0] == "grader"}
    assert grader <= {"grader.authoring"}
    relative = {name for name in imported if name.startswith(".")}
    if path.name == "public.py":
        assert relative == set()  # students receive the public file alone
    others = imported - grader - relative
    assert {name.split(".")[0] for name in others} <= ALLOWED_IMPORTS


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The grader modules `path` imports, at any depth of its code."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("grader"):
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names if alias.name.startswith("grader")}
    return names


def test_no_import_circle_between_the_package_modules() -> None:
    modules = {
        _module_name(path): path for path in _engine_files((".py",))
        if "release_template" not in path.parts and "template" not in path.parts
    }  # fmt: skip
    graph = {name: {other for other in _imports(path) if other in modules and other != name}
             for name, path in modules.items()}  # fmt: skip
    # A package's __init__ re-exporting its own modules is no circle of concerns.
    for name in graph:
        graph[name] = {other for other in graph[name] if not name.startswith(other + ".")}
    circles = []
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                circles.append(" -> ".join([*trail[trail.index(other) :], other]))
            elif other not in state:
                visit(other, [*trail, other])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_every_module_reads_in_one_sitting() -> None:
    long = [
        f"{path.relative_to(REPO)}: {count} lines"
        for path in _engine_files((".py",))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert long == []
