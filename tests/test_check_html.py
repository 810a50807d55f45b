"""The HTML summary that `check(...)` shows in Jupyter, rendered by a real browser (Chromium).

Chromium comes from Debian's `chromium` package (.ci/run installs it).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from grader.student.selfcheck import check_paths

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs chromium (apt-get install chromium)"
)
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--window-size=1000,800",
)  # fmt: skip
# A student's own exception message, which must reach the page as text, never as markup; and an
# exercise left undefined.
CHANGES = """

def interpret_sign(d, tol=1e-8):
    raise ValueError("<b>not bold</b>")


del second_derivative
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page holding the summary of a part-wrong derivatives file and the gradients stubs."""
    folder = tmp_path_factory.mktemp("html")
    bob = (REPO / "examples" / "submissions" / "derivatives" / "bob.py").read_text()
    (folder / "derivatives.py").write_text(bob + CHANGES)
    summary = check_paths([folder / "derivatives.py", REPO / "exercises" / "gradients.py"])
    document = (
        '<!doctype html><html><head><meta charset="utf-8"><title>check</title></head>'
        f"<body>{summary._repr_html_()}</body></html>"
    )
    path = folder / "summary.html"
    path.write_text(document, encoding="utf-8")
    return path


def chromium(*arguments: str, profile: Path) -> subprocess.CompletedProcess:
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def test_screenshot_is_a_full_picture(page, tmp_path):
    screenshot = tmp_path / "summary.png"
    run = chromium(f"--screenshot={screenshot}", page.as_uri(), profile=tmp_path / "profile")
    assert screenshot.is_file(), run.stderr
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 800)
    # A blank page compresses to about a kilobyte; two tables of coloured text do not.
    assert len(data) > 20_000


def test_rendered_page_shows_every_exercise_and_status(page, tmp_path):
    run = chromium("--dump-dom", page.as_uri(), profile=tmp_path / "profile")
    assert run.returncode == 0, run.stderr
    dom = run.stdout
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))
    for name in ("derivative", "central_difference", "second_derivative", "hessian"):
        assert f" {name} " in text
    for status in ("✓ passed", "✗ failed", "… not implemented yet", "✗ missing"):
        assert status in text
    assert "derivative(-0.5) returned -0.5" in text
    assert "derivatives.py (assignment derivatives)" in text
    assert "gradients.py (assignment gradients): public checks passed for 0 of 8" in text
    assert "define it with the name and signature of the stub" in text
    # The student's text stayed text.
    assert "&lt;b&gt;not bold&lt;/b&gt;" in dom and "<b>not bold</b>" not in dom
