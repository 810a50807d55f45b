"""What students hand in as they do: source encodings, two files for one student, the wrong
assignment. Each is graded the way Python and the instructor would expect, and said in one line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, reference_source

EXAMPLES = REPO / "examples" / "submissions" / "derivatives"


def grader(*arguments: str) -> subprocess.CompletedProcess:
    """`grader` as a user runs it, from the repository."""
    command = [sys.executable, "-m", "grader", *arguments]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)


def graded(out: Path) -> dict[str, dict]:
    return {
        entry["student"]: entry
        for entry in json.loads((out / "grades.json").read_text())["submissions"]
    }


def test_a_coding_declaration_is_read_as_python_reads_it(tmp_path: Path) -> None:
    """A latin-1 file that says so (PEP 263) is Python that runs; a codec that does not exist is
    one sentence; a UTF-8 file with a byte-order mark is UTF-8."""
    folder = tmp_path / "subs"
    folder.mkdir()
    extra = '\n\ndef _note():\n    return "café, naïve"\n'
    (folder / "latin.py").write_bytes(
        ("# -*- coding: latin-1 -*-\n" + reference_source("derivatives") + extra).encode("latin-1")
    )
    (folder / "bom.py").write_bytes(
        b"\xef\xbb\xbf" + (reference_source("derivatives") + extra).encode("utf-8")
    )
    (folder / "unknown.py").write_text("# coding: klingon\n" + reference_source("derivatives"))
    (folder / "lying.py").write_bytes(
        ("# coding: utf-8\n" + reference_source("derivatives") + extra).encode("latin-1")
    )
    out = tmp_path / "out"
    done = grader("grade", str(folder), "--assignment", "derivatives", "--out", str(out))
    assert done.returncode == 0, done.stderr
    results = graded(out)
    assert results["latin"]["points"] == results["latin"]["max_points"]
    assert results["bom"]["points"] == results["bom"]["max_points"]
    assert results["unknown"]["error"] == (
        "unknown.py declares an encoding Python does not know in its first lines; remove the "
        "coding declaration, save the file as UTF-8 and resubmit."
    )
    assert results["lying"]["error"] == "lying.py is not UTF-8 text; save it as UTF-8 and resubmit."


def test_two_files_of_one_student_say_which_was_graded(tmp_path: Path) -> None:
    folder = tmp_path / "subs"
    folder.mkdir()
    shutil.copyfile(EXAMPLES / "alice.py", folder / "alice.py")
    shutil.copyfile(EXAMPLES / "dana.ipynb", folder / "alice.ipynb")
    shutil.copyfile(EXAMPLES / "bob.py", folder / "bob.py")
    out = tmp_path / "out"
    done = grader("grade", str(folder), "--assignment", "derivatives", "--out", str(out))
    assert done.returncode == 0, done.stderr
    note = (
        "alice.py was graded; alice.ipynb was not (one file is graded per student: hand in only "
        "the one you mean)."
    )
    assert f"note: {note}" in done.stderr
    results = graded(out)
    assert note in results["alice"]["notes"]
    assert results["alice"]["source"].endswith("alice.py")
    assert not any("was graded" in line for line in results["bob"]["notes"])


def test_the_wrong_assignment_is_warned_about_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = grader("grade", str(EXAMPLES), "--assignment", "gradients", "--out", str(out))
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: no submission defines any exercise of gradients; check --assignment (the "
        "course's other assignments: derivatives, descent, backprop)."
    ]
    right = grader(
        "grade", str(EXAMPLES), "--assignment", "derivatives", "--out", str(tmp_path / "o2")
    )
    assert right.returncode == 0
    assert "check --assignment" not in right.stderr
