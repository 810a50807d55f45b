"""matplotlib's font list: built once in the sandbox, then lent read-only to every template."""

from __future__ import annotations

import shutil

import pytest

from grader.sandbox.fontlist import CACHE_INSIDE
from grader.sandbox.launcher import Template
from grader.sandbox.runner import RunLimits, SubmissionRunner

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap")

SOURCE = f"""
import io
import matplotlib.pyplot as plt

def lent():
    points = [line.split()[4] for line in open("/proc/self/mountinfo")]
    return sorted(point for point in points if point.startswith({CACHE_INSIDE!r}))

def draw():
    figure, axes = plt.subplots()
    axes.set_title("f(x) = x**2")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()[:4] == b"\\x89PNG"
"""


def _worker_sees(cache_home, monkeypatch) -> tuple[list[str], bool]:
    """What a worker of a new matplotlib template finds lent, and whether it can draw text."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    template = Template(preload=("matplotlib",))
    try:
        run = SubmissionRunner(template, [SOURCE], "student.py", notebook=False,
                               limits=RunLimits(10.0, 30.0, 512))  # fmt: skip
        run.load()
        seen = run.call("lent").value, run.call("draw").value
        run.close()
        return seen
    finally:
        template.close()


def test_the_font_list_is_built_once_and_lent_read_only(tmp_path, monkeypatch):
    """The first template builds the list into the cache; it and the next one find it bound
    read-only where matplotlib looks, and the next one does not build it again."""
    lent, drew = _worker_sees(tmp_path, monkeypatch)
    (built,) = (tmp_path / "gradkit" / "matplotlib-fonts").glob("*/fontlist-*.json")
    assert lent == [f"{CACHE_INSIDE}/{built.name}"]
    assert drew
    first_build = built.stat()
    assert _worker_sees(tmp_path, monkeypatch) == (lent, True)
    again = built.stat()
    assert (again.st_ino, again.st_mtime_ns) == (first_build.st_ino, first_build.st_mtime_ns)
    assert [path.name for path in built.parent.parent.iterdir()] == [built.parent.name]


def test_without_a_usable_cache_folder_the_template_searches_fonts_itself(tmp_path, monkeypatch):
    """A cache location that cannot be a folder lends nothing, and grading goes on as before."""
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder would be")
    assert _worker_sees(not_a_folder, monkeypatch) == ([], True)
