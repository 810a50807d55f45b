"""formgrader, nbgrader's grading web app, shows `grader grade --nbgrader`'s grades as autograded.

A real Jupyter server with nbgrader's formgrader extension serves the shared course's sandboxed
copy (`nbgrader_course`); its JSON API is read directly, and its grading page for one notebook is
rendered by a real headless Chromium, whose JavaScript fills in the scores and comments.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from nbgrader_course import ASSIGNMENT, BIN, POINTS

from grader.nbgrader.build import checks_grade_id

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.slow
SUBMITTED = ("alice", "bob", "carol", "dave", "frank")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def formgrader(course_dirs, tmp_path_factory) -> Iterator[str]:
    """The base URL of a Jupyter server running formgrader on the sandboxed course directory.

    Authentication is off: the server listens on 127.0.0.1 only, for this test's browser.
    """
    root = course_dirs["sandboxed"]
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    port = free_port()
    command = [
        str(BIN / "jupyter"), "server", "--no-browser", "--allow-root", "--ip=127.0.0.1",
        f"--port={port}", "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}",
        "--IdentityProvider.token=", "--ServerApp.password=",
    ]  # fmt: skip
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_RUNTIME_DIR": str(runtime),
    }
    log = (runtime / "server.log").open("w")
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a start-up wait, not a measurement
        while True:
            assert server.poll() is None, (runtime / "server.log").read_text()
            try:
                get_json(f"{base}/formgrader/api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, (runtime / "server.log").read_text()
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


@pytest.fixture(scope="module")
def grades_json(course_dirs) -> dict[str, dict]:
    """`grader grade --nbgrader`'s own grades.json, by student."""
    path = course_dirs["sandboxed"] / "grades" / ASSIGNMENT / "grades.json"
    return {entry["student"]: entry for entry in json.loads(path.read_text())["submissions"]}


def test_formgrader_lists_every_submission_as_autograded(formgrader, grades_json):
    """formgrader counts a submission as autograded only when gradebook and autograded/ agree
    on its timestamp; each shows gradkit's points and nothing left to grade by hand."""
    listed = {
        s["student"]: s for s in get_json(f"{formgrader}/formgrader/api/submissions/{ASSIGNMENT}")
    }
    for student in SUBMITTED:
        assert listed[student]["autograded"] is True, student
        assert listed[student]["needs_manual_grade"] is False, student
        assert listed[student]["score"] == pytest.approx(grades_json[student]["points"]), student
        assert listed[student]["max_score"] == sum(POINTS.values())
    assert listed["bob"]["score"] < listed["alice"]["score"] == sum(POINTS.values())


class _GradingPage(HTMLParser):
    """The score inputs and comment boxes of formgrader's grading page, after its JavaScript:
    formgrader shows the autograded score and comment as each field's placeholder."""

    def __init__(self) -> None:
        super().__init__()
        self.scores: dict[str, str] = {}
        self.comments: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "input" and "score" in classes:
            self.scores[found["id"] or ""] = found.get("placeholder") or ""
        if tag == "textarea" and "comment" in classes:
            self.comments[(found["id"] or "").removesuffix("-comment")] = (
                found.get("placeholder") or ""
            )


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (apt-get install chromium)")
def test_grading_page_shows_scores_and_feedback(formgrader, grades_json, tmp_path):
    """bob's grading page, rendered by Chromium: each test cell's autograded score is gradkit's
    points for the exercise, each solution cell's comment gradkit's feedback, and no hidden
    check source is anywhere on the page."""
    notebooks = get_json(
        f"{formgrader}/formgrader/api/submitted_notebooks/{ASSIGNMENT}/{ASSIGNMENT}"
    )
    bob = next(notebook for notebook in notebooks if notebook["student"] == "bob")
    assert bob["failed_tests"] is True
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=15000", "--dump-dom",
        f"{formgrader}/formgrader/submissions/{bob['id']}/",
    ]  # fmt: skip
    rendered = subprocess.run(command, capture_output=True, text=True, timeout=180)
    page = _GradingPage()
    page.feed(rendered.stdout)
    exercises = grades_json["bob"]["exercises"]
    assert page.scores == {
        checks_grade_id(exercise): f"{result['points']:g}" for exercise, result in exercises.items()
    }, rendered.stderr
    assert 0 < float(page.scores[checks_grade_id("interpret_sign")]) < POINTS["interpret_sign"]
    assert set(page.comments) == set(POINTS)
    assert page.comments["central_difference"].startswith("central_difference: 0 of 1 points")
    assert "✗ central_difference_large_step (hidden)" in page.comments["central_difference"]
    for hidden_source in ("HIDDEN TESTS", "grading_check", "def test_"):
        assert hidden_source not in rendered.stdout
