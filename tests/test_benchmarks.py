"""The benchmarks run and report what they promise (their figures are measured, never asserted)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_scale_prints_cores_and_one_row_per_size():
    """`scale.py` grades generated submissions and prints the core count, then for each size the
    wall time, time per submission, throughput and peak memory of the process tree."""
    done = subprocess.run(
        [sys.executable, "benchmarks/scale.py", "--sizes", "2", "4", "--assignments", "descent"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("cores: ")
    rows = [line.split() for line in lines[2:]]
    assert [row[:2] for row in rows] == [["descent", "2"], ["descent", "4"]]
    assert all(float(row[5]) > 0 for row in rows)  # a peak memory was sampled
