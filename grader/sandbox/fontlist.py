"""matplotlib's font list, built once per machine inside the sandbox and lent to every template.

The first time matplotlib is imported it searches the system for fonts and writes what it found
into its cache folder. A sandboxed template starts with an empty /tmp, so every template that
preloads matplotlib searched again (running `fc-list` and reading every font file): some 0.2 s of
the 1.1-1.25 s of CPU such a template took to start, measured side by side.
Here the list is built once, by a sandbox run like a template's (same binds, same environment,
so the same fonts at the same paths) that imports only matplotlib, with one writable folder of
the grader's cache bound as matplotlib's cache. Templates then get that file bound read-only
where matplotlib looks for it. Nothing written inside a template or a worker ever leaves the
sandbox: the list is written by a run in which no submission code exists.

Like matplotlib's own cache, the list is not rebuilt when fonts are installed later (matplotlib
still finds every font it lists); it is rebuilt when matplotlib is reinstalled or upgraded.
Deleting the cache folder (`~/.cache/gradkit/matplotlib-fonts`) rebuilds it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# matplotlib's cache folder in the sandbox, where HOME is /tmp.
CACHE_INSIDE = "/tmp/.cache/matplotlib"
BUILD = (
    "import sys, json; sys.path[:0] = json.loads(sys.argv[1]); import matplotlib; "
    "matplotlib.use('Agg'); import matplotlib.font_manager"
)
BUILD_SECONDS = 120


def lend_font_list(sandbox: list[str], python: str, path: list[str], env: dict) -> list[str]:
    """bubblewrap arguments that bind this machine's font list into a template, building it
    first if there is none yet; [] where it cannot be built (the template then searches itself).

    `sandbox` is the bubblewrap command up to the program, `path` the template's `sys.path`.
    """
    folder = _cache_folder(python, path)
    if folder is None:
        return []
    if not _font_lists(folder):
        _build(folder, sandbox, python, path, env)
    lent = []
    for parent in (str(Path(CACHE_INSIDE).parent), CACHE_INSIDE):
        lent += ["--perms", "0755", "--dir", parent]
    for file in _font_lists(folder):
        lent += ["--ro-bind", str(file), f"{CACHE_INSIDE}/{file.name}"]
    return lent


def _cache_folder(python: str, path: list[str]) -> Path | None:
    """The folder for this Python and this installation of matplotlib; None without either."""
    try:
        spec = importlib.util.find_spec("matplotlib")
        if spec is None or spec.origin is None:
            return None
        installed = os.stat(spec.origin)
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except (ImportError, ValueError, OSError, RuntimeError):  # RuntimeError: no home folder
        return None
    key = json.dumps([python, path, spec.origin, installed.st_mtime_ns, installed.st_size])
    return base / "gradkit" / "matplotlib-fonts" / hashlib.sha256(key.encode()).hexdigest()[:16]


def _font_lists(folder: Path) -> list[Path]:
    with contextlib.suppress(OSError):
        return sorted(file for file in folder.glob("fontlist-*.json") if file.is_file())
    return []


def _build(folder: Path, sandbox: list[str], python: str, path: list[str], env: dict) -> None:
    """Run matplotlib's font search in the sandbox, into a new folder moved into place whole (two
    sessions starting together may both build; the first to finish wins)."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".building-"))
    except OSError:
        return
    try:
        command = [*sandbox, "--bind", str(building), CACHE_INSIDE, python, "-I", "-S", "-c",
                   BUILD, json.dumps(path)]  # fmt: skip
        done = subprocess.run(command, env=env, capture_output=True, timeout=BUILD_SECONDS)
        if done.returncode == 0 and _font_lists(building):
            building.rename(folder)
    except (OSError, subprocess.SubprocessError):
        pass
    finally:
        shutil.rmtree(building, ignore_errors=True)
