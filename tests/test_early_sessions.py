"""Grading sessions started before their submissions are known (`grader.grading.run.EarlySessions`).

`grader grade --nbgrader` starts them before importing nbgrader, so that they and their templates
start while it reads the course directory. They must grade exactly as sessions started with their
submissions do, end when nothing is dealt to them, and preload what the released files need.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, by_student

from grader.course.config import load_course
from grader.course.submissions import discover, preload_for, submission_at
from grader.grading.plugin import GradingPlugin
from grader.grading.run import EarlySessions, grade, released_preload
from grader.student.notebooks import build_notebook, notebook_text

COURSE = load_course(REPO / "course.toml")


def test_early_sessions_grade_what_they_are_dealt_as_new_sessions_would():
    """One session more than there are submissions: the idle one ends without grading."""
    assignment = COURSE.assignment("derivatives")
    submissions = discover(REPO / "examples" / "submissions" / "derivatives", "derivatives")
    assert len(submissions) >= 4
    expected = grade(COURSE, assignment, submissions, jobs=2)
    with EarlySessions(COURSE, assignment, jobs=len(submissions) + 1) as early:
        graded = grade(COURSE, assignment, submissions, early=early)
    assert by_student(graded) == by_student(expected)
    assert graded.isolation_layers == expected.isolation_layers
    assert [session.process.returncode for session in early.sessions] == [0] * len(early.sessions)
    assert not Path(early._folder.name).exists()


def test_early_sessions_end_when_the_caller_fails_before_dealing():
    """An error between starting the sessions and dealing (a broken course directory, say)
    leaves no session behind and no job folder."""
    assignment = COURSE.assignment("descent")
    with pytest.raises(RuntimeError), EarlySessions(COURSE, assignment, jobs=2) as early:
        raise RuntimeError("the course directory could not be read")
    assert [session.process.returncode for session in early.sessions] == [0, 0]
    assert not Path(early._folder.name).exists()


@pytest.mark.parametrize("assignment_id", [a.id for a in COURSE.assignments])
def test_the_early_template_preloads_what_the_released_files_need(assignment_id, tmp_path):
    """The early template is the one a submission left as released needs, as a `.py` stub and as
    the generated notebook, so that no second template has to start."""
    assignment = COURSE.assignment(assignment_id)
    stub = submission_at(assignment.module, "stub").read()
    notebook = tmp_path / f"{assignment_id}.ipynb"
    notebook.write_text(notebook_text(build_notebook(assignment)))
    released = submission_at(notebook, "stub").read()
    assert released_preload(assignment, "py") == preload_for(stub)
    assert released_preload(assignment, "ipynb") == preload_for(released)
    assert "matplotlib" in released_preload(assignment, "ipynb")  # the worked example's plot


def test_an_early_session_starts_its_template_before_its_submissions_arrive():
    """The template for the released files starts at once, asking for huge pages (its start
    overlaps the grader's own work, and the share may be long); the submissions are asked for
    only later, and the same template then serves them."""
    assignment = COURSE.assignment("descent")
    submission = submission_at(REPO / "solutions" / "descent.py", "alice")
    asked = []

    def share() -> list:
        asked.append(True)
        return [submission] * 3

    preload = released_preload(assignment, "py")
    plugin = GradingPlugin(COURSE, assignment, share, lambda *_: None, preload=preload)
    plugin.pytest_sessionstart()
    try:
        assert list(plugin._templates) == [preload] and not asked
        (early,) = plugin._templates.values()
        assert early.huge_pages is True
        plugin._take_submissions()
        assert asked == [True] and len(plugin.submissions) == 3
        assert plugin._template(submission.read()) is early
    finally:
        for template in plugin._templates.values():
            template.close()
