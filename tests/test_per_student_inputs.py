"""Hidden inputs drawn per student still catch every mistake, whoever the student is.

Each student's hidden checks draw inputs of their own (`grader.grading.collection.check_seed`), so a
check that catches a mistake only on lucky draws would let it through for some students. The corpus
mistakes whose detection depends on the drawn values are graded here under many names.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import CORPUS_ROOT, REPO

from grader.course.config import load_course
from grader.course.submissions import discover
from grader.grading.run import grade

NAMES = [f"learner{index:02d}" for index in range(12)]
# (assignment, corpus file, the exercise it breaks)
SENSITIVE = [
    ("gradients", "wrong_partial_in_place", "partial_derivative"),
    ("gradients", "wrong_classify_semidefinite", "classify_stationary_point"),
    ("gradients", "wrong_classify_diagonal", "classify_stationary_point"),
    ("descent", "wrong_batches_legacy_seed", "minibatches"),
]


@pytest.mark.parametrize(("assignment_id", "mistake", "exercise"), SENSITIVE)
def test_a_mistake_loses_points_for_every_student(tmp_path, assignment_id, mistake, exercise):
    source = CORPUS_ROOT / assignment_id / f"{mistake}.py"
    for name in NAMES:
        shutil.copy(source, tmp_path / f"{name}.py")
    course = load_course(REPO / "course.toml")
    assignment = course.assignment(assignment_id)
    result = grade(course, assignment, discover(tmp_path, assignment_id), jobs=2)
    full = assignment.exercise(exercise).points
    kept = {s.student: s.exercises[exercise].points for s in result.submissions}
    assert sorted(kept) == NAMES
    assert all(points < full for points in kept.values()), kept
