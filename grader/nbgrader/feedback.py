"""The feedback an nbgrader course shows per exercise: the points and each check's verdict.

One text for both paths, so a student reads the same words whichever graded the notebook: the
output of a test cell under `nbgrader autograde`, and the comment `grader grade --nbgrader`
writes into the gradebook. Check names and messages only, never a check's source.
"""

from __future__ import annotations

from grader.grading.results import ExerciseResult


def feedback_text(outcome: ExerciseResult) -> str:
    """An exercise's points, then one line per check: ✓ or ✗, the name, what went wrong."""
    lines = [f"{outcome.exercise}: {outcome.points:g} of {outcome.max_points:g} points"]
    for check in outcome.checks:
        label = f"{check.name} (hidden)" if check.hidden else check.name
        lines.append(f"  ✓ {label}" if check.passed else f"  ✗ {label}: {check.message}")
    return "\n".join(lines)
