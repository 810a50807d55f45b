"""grades.json, grades.csv and the console summary, written from real result records."""

from __future__ import annotations

import csv
from pathlib import Path

from rich.console import Console

from grader.grading.results import CheckResult, ExerciseResult, GradingResult, SubmissionResult
from grader.reports.grades import format_points, read_grades, write_grades
from grader.reports.summary import render_summary, summary_table

EXERCISES = ("derivative", "tangent_estimate", "symbolic_derivative")


def exercise(name: str, *points: tuple[float, float]) -> ExerciseResult:
    """An exercise whose checks earned (points, max_points) each."""
    checks = tuple(
        CheckResult(
            name=f"{name}_{index}",
            exercise=name,
            points=earned,
            max_points=worth,
            passed=earned == worth,
            hidden=index % 2 == 1,
            message="passed" if earned == worth else f"{name} returned 3.0; expected 6.0.",
        )
        for index, (earned, worth) in enumerate(points)
    )
    return ExerciseResult(name, sum(worth for _, worth in points), checks)


def sample_result() -> GradingResult:
    """Three students: full marks, partial with float-noisy points, unreadable."""
    alice = SubmissionResult(
        student="alice",
        source="subs/alice.py",
        max_points=12.0,
        exercises={
            "derivative": exercise("derivative", (1.0, 1.0)),
            "tangent_estimate": exercise("tangent_estimate", (2.5, 2.5), (2.5, 2.5)),
            "symbolic_derivative": exercise("symbolic_derivative", (6.0, 6.0)),
        },
    )
    bob = SubmissionResult(
        student="bob",
        source="subs/bob.ipynb",
        max_points=12.0,
        exercises={
            "derivative": exercise("derivative", (0.1, 0.5), (0.2, 0.5)),
            "tangent_estimate": exercise("tangent_estimate", (0.0, 2.5), (2.5, 2.5)),
            "symbolic_derivative": exercise("symbolic_derivative", (0.0, 6.0)),
        },
        notes=("cell 3: ZeroDivisionError: division by zero",),
    )
    chloe = SubmissionResult(
        student="chloé",
        source="subs/chloé.py",
        max_points=12.0,
        exercises={name: ExerciseResult(name, 4.0) for name in EXERCISES},
        error="=chloé.py is not UTF-8 text; save it as UTF-8 and resubmit.",
    )
    return GradingResult(
        course="gradkit",
        assignment="derivatives",
        max_points=12.0,
        isolation="partial (without bubblewrap)",
        submissions=(alice, bob, chloe),
        isolation_layers=("seccomp", "rlimits"),
        graded_at="2024-05-01T12:00:00+00:00",
    )


def test_grades_json_has_the_contract_keys_and_nesting(tmp_path: Path) -> None:
    json_path, _ = write_grades(sample_result(), tmp_path / "out")
    assert json_path == tmp_path / "out" / "grades.json"
    grades = read_grades(json_path)
    assert list(grades)[:4] == ["course", "assignment", "max_points", "isolation"]
    assert {"course", "assignment", "max_points", "isolation", "submissions"} <= set(grades)
    assert (grades["course"], grades["assignment"], grades["max_points"], grades["isolation"]) == (
        "gradkit", "derivatives", 12.0, "partial (without bubblewrap)"
    )  # fmt: skip
    alice, bob, chloe = grades["submissions"]
    assert {"student", "source", "points", "max_points", "error", "exercises"} <= set(alice)
    assert (alice["student"], alice["source"], alice["points"], alice["error"]) == (
        "alice", "subs/alice.py", 12.0, None
    )  # fmt: skip
    assert list(alice["exercises"]) == list(EXERCISES)
    tangent = alice["exercises"]["tangent_estimate"]
    assert (tangent["points"], tangent["max_points"]) == (5.0, 5.0)
    assert tangent["checks"][1] == {
        "name": "tangent_estimate_1",
        "points": 2.5,
        "max_points": 2.5,
        "passed": True,
        "hidden": True,
        "message": "passed",
    }
    assert bob["exercises"]["derivative"]["points"] == 0.3
    assert chloe["student"] == "chloé"
    assert chloe["error"].startswith("=chloé.py is not UTF-8")


def test_grades_json_text_is_indented_unescaped_and_ends_with_a_newline(tmp_path: Path) -> None:
    json_path, _ = write_grades(sample_result(), tmp_path)
    text = json_path.read_text(encoding="utf-8")
    assert text.startswith('{\n  "course": "gradkit",\n  "assignment": "derivatives",')
    assert '"student": "chloé"' in text
    assert text.endswith("}\n") and not text.endswith("\n\n")


def test_grades_csv_header_follows_the_given_exercise_order(tmp_path: Path) -> None:
    order = ["symbolic_derivative", "derivative", "tangent_estimate"]
    _, csv_path = write_grades(sample_result(), tmp_path, exercise_ids=order)
    lines = csv_path.read_text(encoding="utf-8").split("\n")
    header = "student,symbolic_derivative,derivative,tangent_estimate,total,max_points,error"
    assert lines[0] == header
    assert lines[1] == "alice,6,1,5,12,12,"
    assert lines[2] == "bob,0,0.3,2.5,2.8,12,"
    assert lines[4] == ""


def test_grades_csv_without_an_order_uses_the_results_order(tmp_path: Path) -> None:
    _, csv_path = write_grades(sample_result(), tmp_path)
    with csv_path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["student", *EXERCISES, "total", "max_points", "error"]
    # A leading "=" would make a spreadsheet evaluate the student's text as a formula.
    assert rows[3] == ["chloé", "0", "0", "0", "0", "12",
                       "'=chloé.py is not UTF-8 text; save it as UTF-8 and resubmit."]  # fmt: skip


def test_a_missing_exercise_is_an_empty_cell(tmp_path: Path) -> None:
    lost = SubmissionResult("dan", "subs/dan.py", 12.0, error="grading stopped")
    result = GradingResult("gradkit", "derivatives", 12.0, "full", submissions=(lost,))
    _, csv_path = write_grades(result, tmp_path, exercise_ids=EXERCISES)
    assert csv_path.read_text(encoding="utf-8").split("\n")[1] == "dan,,,,0,12,grading stopped"


def test_output_is_identical_byte_for_byte_for_the_same_result(tmp_path: Path) -> None:
    first = write_grades(sample_result(), tmp_path / "first", exercise_ids=EXERCISES)
    second = write_grades(sample_result(), tmp_path / "second", exercise_ids=EXERCISES)
    for one, other in zip(first, second, strict=True):
        assert one.read_bytes() == other.read_bytes()
    assert sorted(path.name for path in (tmp_path / "first").iterdir()) == [
        "grades.csv", "grades.json"
    ]  # fmt: skip


def test_points_are_formatted_without_float_noise() -> None:
    points = (1.0, 0.5, 10.25, 0.1 + 0.2, 12, -0.0, 0.0, 0.969697, 8.318182)
    assert [format_points(p) for p in points] == [
        "1", "0.5", "10.25", "0.3", "12", "0", "0", "0.97", "8.32"
    ]  # fmt: skip


def test_summary_table_renders_students_points_and_statistics() -> None:
    console = Console(record=True, width=120)
    render_summary(sample_result(), console)
    text = console.export_text()
    assert "derivatives" in text and "partial (without bubblewrap)" in text
    lines = {name: line for line in text.splitlines() for name in ("alice", "bob", "chloé")
             if f" {name} " in line}  # fmt: skip
    assert "12 / 12" in lines["alice"] and "███ 3/3" in lines["alice"]
    assert "2.8 / 12" in lines["bob"] and "▄▄▁ 0/3" in lines["bob"]
    assert "0 / 12" in lines["chloé"] and "not UTF-8" in lines["chloé"]
    # mean of 12, 2.8 and 0; median 2.8
    assert "mean 4.93 / 12" in text and "median 2.8 / 12" in text


def test_summary_prints_student_text_literally_not_as_markup() -> None:
    student = SubmissionResult("[bold red]mallory", "subs/m.py", 1.0, error="[link=x]click[/link]")
    result = GradingResult("gradkit", "derivatives", 1.0, "full", submissions=(student,))
    console = Console(record=True, width=120)
    console.print(summary_table(result))
    text = console.export_text()
    assert "[bold red]mallory" in text
    assert "[link=x]click[/link]" in text


def test_summary_of_no_submissions_says_so() -> None:
    console = Console(record=True, width=120)
    render_summary(GradingResult("gradkit", "descent", 10.0, "full"), console)
    assert "no submissions" in console.export_text()


def test_shares_that_do_not_divide_evenly_add_up_to_full_marks() -> None:
    """Eleven checks of 1/11 point each, sent through a shard's unrounded dict, earn exactly 1."""
    checks = tuple(
        CheckResult(f"c{i}", "derivative", 1 / 11, 1 / 11, True, True) for i in range(11)
    )
    exercise = ExerciseResult("derivative", 1.0, checks)
    submission = SubmissionResult("alice", "alice.py", 1.0, {"derivative": exercise})
    received = SubmissionResult.from_dict(submission.as_dict(rounded=False))
    assert received.exercises["derivative"].points == 1.0
    assert received.points == 1.0
    rounded = submission.as_dict()["exercises"]["derivative"]["checks"][0]
    assert rounded["points"] == 0.090909
