"""Scaling of `grader grade`: 100, 1,000 and 10,000 `.py` submissions of each assignment.

Run from the repository root:

    .venv/bin/python benchmarks/scale.py [--sizes 100 1000 10000] [--assignments derivatives ...]

For each assignment and size it generates that many submissions (correct ones, the example
mistakes, alternative correct forms and untouched stubs, in rotation), grades them with the real
engine (public and hidden checks, full sandbox, `--jobs` = cores) and prints the wall time, the
time per submission, and the peak memory of the whole process tree (the sum of proportional set
sizes, so pages shared by forked workers count once). After each assignment's rows it prints how
time grows from each size to the next: the exponent k of time ~ N**k, and the time each further
submission adds (the start-up left out). Goals: 10,000 in under 3 minutes, under 500 MB, and
time linear in N.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import threading
import time
from itertools import pairwise
from pathlib import Path

from course_options import add_assignments_option, chosen_assignments, submission_texts

from grader.course.config import Assignment, Course
from grader.course.submissions import discover
from grader.grading.run import grade


def generate(folder: Path, course: Course, assignment: Assignment, count: int) -> None:
    """Write `count` submissions of `assignment` into `folder`."""
    texts = submission_texts(course, assignment)
    for index in range(count):
        (folder / f"s{index:06d}.py").write_text(texts[index % len(texts)])


class TreeMemory:
    """Samples the proportional set size of this process and all its descendants; keeps the peak.

    A sample reads every process's smaps_rollup, 10-20 ms of CPU with two grading sessions
    running: taken every 0.2 s, it would slow the grading it measures by some 4%. Samples are
    therefore spaced so that sampling takes at most `SHARE` of one core.
    """

    SHARE = 0.02

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.thread_time()
            self.peak = max(self.peak, tree_pss(os.getpid()))
            cost = time.thread_time() - started
            self._stop.wait(max(self.interval, cost / self.SHARE))


def tree_pss(root: int) -> int:
    """Bytes of proportional set size of `root` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, []))
        total += _pss(pid)
    return total


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main() -> None:
    """Generate, grade and measure every size of every assignment."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    add_assignments_option(parser)
    arguments = parser.parse_args()
    course, assignments = chosen_assignments(parser, arguments)
    print(f"cores: {os.cpu_count()}, jobs: {arguments.jobs}")
    print(f"{'assignment':<12} {'N':>7} {'wall s':>8} {'ms/sub':>8} {'subs/s':>8} {'peak MB':>8}")
    for assignment in assignments:
        assignment_id = assignment.id
        timed: list[tuple[int, float]] = []
        for size in arguments.sizes:
            with tempfile.TemporaryDirectory() as folder:
                generate(Path(folder), course, assignment, size)
                submissions = discover(Path(folder), assignment_id)
                with TreeMemory() as memory:
                    start = time.perf_counter()
                    grade(course, assignment, submissions, jobs=arguments.jobs)
                    wall = time.perf_counter() - start
            print(
                f"{assignment_id:<12} {size:>7} {wall:>8.1f} {wall / size * 1000:>8.2f} "
                f"{size / wall:>8.1f} {memory.peak / 1e6:>8.0f}",
                flush=True,
            )
            timed.append((size, wall))
        for line in growth(timed):
            print(f"  {assignment_id}: {line}", flush=True)


def growth(timed: list[tuple[int, float]]) -> list[str]:
    """How wall time grows between consecutive sizes: the exponent k of time ~ N**k (1 is
    linear; start-up makes it less between small sizes) and the cost of each further submission,
    which leaves the fixed start-up out."""
    lines = []
    for (small, small_wall), (large, large_wall) in pairwise(sorted(timed)):
        if large == small:
            continue
        exponent = math.log(large_wall / small_wall) / math.log(large / small)
        further = (large_wall - small_wall) / (large - small) * 1000
        lines.append(
            f"from {small} to {large}: time x{large_wall / small_wall:.2f} for N "
            f"x{large / small:.2f} (exponent {exponent:.2f}; 1 is linear), "
            f"{further:.2f} ms per further submission"
        )
    return lines


if __name__ == "__main__":
    main()
