"""The benchmarks run and report what they promise (their figures are measured, never asserted)."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys

import pytest
from conftest import REPO

from grader.course.config import load_course
from grader.grading.session import check_modules


def test_scale_prints_cores_one_row_per_size_and_the_growth_between_sizes():
    """`scale.py` grades generated submissions and prints the core count, then for each size the
    wall time, time per submission, throughput and peak memory of the process tree, and then how
    time grows from one size to the next: the ratio, its exponent and the cost per further
    submission, consistent with the rows (which show wall times to 0.1 s)."""
    done = subprocess.run(
        [sys.executable, "benchmarks/scale.py", "--sizes", "2", "4", "--assignments", "descent"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("cores: ")
    assert len(lines) == 5
    rows = [line.split() for line in lines[2:4]]
    assert [row[:2] for row in rows] == [["descent", "2"], ["descent", "4"]]
    assert all(float(row[5]) > 0 for row in rows)  # a peak memory was sampled
    growth = re.fullmatch(
        r"  descent: from 2 to 4: time x([\d.]+) for N x2\.00 "
        r"\(exponent (-?[\d.]+); 1 is linear\), (-?[\d.]+) ms per further submission",
        lines[4],
    )
    assert growth is not None, lines[4]
    ratio, exponent, further = (float(value) for value in growth.groups())
    small, large = (float(row[2]) for row in rows)
    assert (large - 0.05) / (small + 0.05) - 0.01 <= ratio <= (large + 0.05) / (small - 0.05) + 0.01
    assert exponent == pytest.approx(math.log2(ratio), abs=0.02)  # both printed to 0.01
    assert further == pytest.approx((large - small) / 2 * 1000, abs=51)


def test_throughput_prints_cores_isolation_and_submissions_per_second():
    """`throughput.py` grades generated `derivatives` submissions with the full sandbox and prints
    the core count, the isolation reached, the number of check results (every check of the
    assignment for each submission) and the throughput."""
    done = subprocess.run(
        [sys.executable, "benchmarks/throughput.py", "--count", "5", "--jobs", "2"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"cores: {os.cpu_count()}, jobs: 2, isolation: full"
    count, checks = lines[1].split(" submissions (")
    derivatives = load_course(REPO / "course.toml").assignment("derivatives")
    per_submission = sum(  # the public and hidden checks, each run once
        module.read_text().count("\ndef test_") for module in check_modules(derivatives)
    )
    assert count == "5" and int(checks.split()[0]) == 5 * per_submission
    assert lines[2].startswith("throughput: ") and lines[2].endswith(" submissions per second")
    assert float(lines[2].split()[1]) > 0


@pytest.mark.slow
def test_compare_nbgrader_times_the_three_runs_and_finds_the_same_scores():
    """`compare_nbgrader.py` builds the course, releases it with nbgrader, grades the same three
    notebooks (correct, partly wrong, untouched) with nbgrader's autograde twice and with
    `grader grade --nbgrader`, prints each one's time per submission and both ratios, and finds
    that nbgrader (running gradkit's test cells) and gradkit gave every student the same score."""
    command = ["benchmarks/compare_nbgrader.py", "--count", "3", "--assignment", "descent"]
    done = subprocess.run(
        [sys.executable, *command],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"3 notebook submissions of descent, {os.cpu_count()} cores"
    timed = {line[:44].strip(): line[44:].split() for line in lines[1:4]}
    assert list(timed) == [
        "nbgrader autograde, gradkit's test cells",
        "nbgrader autograde, empty test cells",
        "grader grade --nbgrader",
    ]
    assert all(float(value) > 0 and unit == "ms" for value, unit, *_ in timed.values())
    assert lines[4].startswith("  gradkit vs nbgrader with gradkit's cells:")
    assert lines[5].startswith("  gradkit vs nbgrader's own floor:")
    assert lines[6] == "  students whose score differs between the two gradings: 0 of 3"


def test_floor_times_fresh_workers_and_the_engine_on_the_same_solution():
    """`floor.py` records the calls the checks make, then times fresh forked workers answering all
    of them with the reference solution, as a `.py` file and as a notebook, against a bare fork;
    then grades copies of that solution with the real engine. It prints the core count, the
    number of planned calls, for each case the CPU per worker, the bare fork's, the wall time of
    10,000 workers and that every call got a value, and the engine's full marks, isolation and
    time per further submission as a multiple of the floor's."""
    done = subprocess.run(
        [sys.executable, "benchmarks/floor.py", "--count", "8", "--jobs", "2",
         "--assignments", "descent"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"cores: {os.cpu_count()}, jobs: 2, workers per case: 8"
    planned = re.fullmatch(r"descent: (\d+) planned calls", lines[1])
    assert planned is not None, lines[1]
    calls = int(planned.group(1))
    assert calls > 20  # the descent checks make dozens of calls (39 on 2026-11-23)
    cpu, walls = {}, {}
    for kind, line in zip(("py   ", "ipynb"), lines[2:4], strict=True):
        row = re.fullmatch(
            rf"  {kind}: ([\d.]+) ms of CPU per worker \(a bare fork: ([\d.]+) ms\); "
            rf"10,000 workers: ([\d.]+) s of wall; all {calls} calls answered with a value",
            line,
        )
        assert row is not None, line
        worker, bare, full = (float(value) for value in row.groups())
        assert worker > bare and full > 0
        cpu[kind.strip()], walls[kind.strip()] = worker, full / 10_000 * 1000
    assert cpu["ipynb"] > cpu["py"]  # the notebook's worker also draws the worked example's plot
    engine = re.fullmatch(
        r"  engine: 8 correct submissions in [\d.]+ s \(8 with full marks, isolation: full\), "
        r"(-?[\d.]+) ms per further submission: "
        r"x(-?[\d.]+) the \.py floor's ([\d.]+) ms per worker",
        lines[4],
    )
    assert engine is not None, lines[4]
    further, ratio, floor = (float(value) for value in engine.groups())
    # The floor's wall per worker, as the .py row's 10,000 workers give it (both rounded).
    assert floor == pytest.approx(walls["py"], abs=0.0101)
    assert ratio == pytest.approx(further / floor, abs=0.01 + abs(further / floor) * 0.01)
    assert len(lines) == 5


@pytest.mark.parametrize("benchmark", ["floor.py", "scale.py"])
def test_benchmarks_name_an_unknown_assignment_in_one_sentence(benchmark):
    """An assignment the course does not have is a usage error naming the course file and the
    assignments it has, before any work starts, not a traceback."""
    done = subprocess.run(
        [sys.executable, f"benchmarks/{benchmark}", "--assignments", "derivatives", "integrals"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (  # the course file as seen from the working folder
        f"{benchmark}: error: course.toml has no assignment 'integrals'; "
        "choose one of derivatives, gradients, descent, backprop."
    )


def test_floor_refuses_no_workers_in_one_sentence():
    """A count or job count below 1 would divide by zero at the end; it is a usage error first."""
    done = subprocess.run(
        [sys.executable, "benchmarks/floor.py", "--count", "0"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[-1] == "floor.py: error: --count and --jobs must be at least 1"
