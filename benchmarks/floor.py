"""The least time a fresh worker per submission allows: each worker's own work, and nothing else.

Run from the repository root:

    .venv/bin/python benchmarks/floor.py [--count 1000] [--jobs 2] [--assignments derivatives ...]

DESIGN.md runs every submission in its own fresh process, forked from a preloaded template. This
measures what that alone costs on this machine, whatever the grader around it does, so that the
engine's own cost can be told apart from the work no grader of this design can avoid.

For each assignment it grades the reference solution once with the real engine, to learn the
calls the checks make (the plan every worker is sent ahead, `grader.sandbox.plan`). Then `--jobs`
processes, each preloaded, warmed and collapsed into huge pages as gradkit's template is for a
long session, fork `--count` workers between them, all at once; each worker runs the reference
solution's code and answers the whole plan with gradkit's own worker code
(`grader.sandbox.worker.serve`), reading the requests from a file and writing its answers to
/dev/null. Nothing else runs: no sandbox layer, no checks, no session, no results. The solution
is run as a `.py` file and as a notebook (the worked example's plot cell, then the solution's
code), and a bare fork (a worker that exits at once) is timed the same way for comparison.

For each case it prints the CPU per worker (the forking process's and the worker's), and the
wall time 10,000 such workers take on `--jobs` processes at this rate. Side by side, it grades
`--count` copies of the reference solution, and a quarter as many, with the real engine (full
sandbox, public and hidden checks, `--jobs` sessions) and prints the wall time each further
submission adds (start-up left out, as in the floor) and how many times the floor's that is.
The `.py` floor is the least `scale.py` could measure for 10,000 correct submissions on this
machine; the notebook floor, the least `compare_nbgrader.py` could measure per notebook after
its start-up.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

# The rest of gradkit is imported where it is used: a template process started from this file
# must hold what gradkit's template holds, not pytest and the checks as well.
from grader.sandbox import wire

if TYPE_CHECKING:
    from grader.course.config import Assignment, Course

FULL_SIZE = 10_000


def record_plan(course: Course, assignment: Assignment) -> list[bytes]:
    """The requests the checks send to a worker grading a correct submission, in order."""
    import pytest

    from grader.course.submissions import Submission
    from grader.grading.plugin import GradingPlugin
    from grader.grading.run import released_preload
    from grader.grading.session import check_modules, pytest_arguments

    preload = released_preload(assignment, "py")  # with no submissions, the plan's template
    plugin = GradingPlugin(course, assignment, [], lambda *_: None, preload=preload)
    with contextlib.redirect_stdout(io.StringIO()):
        pytest.main(pytest_arguments(check_modules(assignment), course.root), plugins=[plugin])
    # Hidden inputs are each student's own: a worker is timed answering one student's calls.
    student = Submission("student", assignment.solution, "py", assignment.solution.name)
    plan = plugin.plan_for(student) if not plugin.problems else None
    if plan is None:
        raise SystemExit(f"{assignment.id}: no plan recorded: {'; '.join(plugin.problems)}")
    return list(plan.requests)


def write_requests(path: Path, cells: list[str], filename: str, notebook: bool,
                   plan: list[bytes]) -> None:  # fmt: skip
    """Write the load request and the planned calls, framed as the worker reads them."""
    load = {"op": "load", "cells": cells, "filename": filename, "notebook": notebook}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for request in (wire.encode(load), *plan):
            wire.write_frame(descriptor, request)
    finally:
        os.close(descriptor)


def measure(requests: Path | None, preload: tuple[str, ...], count: int, jobs: int) -> dict:
    """Fork `count` workers on `jobs` template processes started together; None `requests` forks
    workers that exit at once. Returns CPU seconds per worker, wall seconds for all of them, and
    the answers of one worker, checked."""
    shares = [count // jobs + (index < count % jobs) for index in range(jobs)]
    command = [sys.executable, __file__, "--fork-as-template", str(requests or ""), *preload]
    runners = [
        subprocess.Popen(
            [*command, "--forks", str(share)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for share in shares
        if share
    ]
    try:
        for runner in runners:  # wait until each has preloaded, then start them all at once
            if runner.stdout is None or runner.stdout.readline().strip() != "ready":
                raise SystemExit("a template process did not start; see above")
        for runner in runners:
            if runner.stdin is not None:
                runner.stdin.write("go\n")
                runner.stdin.flush()
        outputs = [runner.communicate()[0] for runner in runners]
    finally:
        for runner in runners:
            if runner.poll() is None:
                runner.kill()
    if any(runner.returncode for runner in runners):
        raise SystemExit("a template process failed; see above")
    reports = [json.loads(output) for output in outputs]
    return {
        "cpu": sum(report["cpu"] for report in reports) / count,
        "wall": max(report["end"] for report in reports) - min(r["start"] for r in reports),
        "answers": reports[0]["answers"],
    }


def fork_as_template(requests: str, preload: list[str], forks: int) -> None:
    """One template process: preload and collapse into huge pages as gradkit's template does for a
    long session, then fork workers in turn."""
    from grader.sandbox import hugepages, zygote

    zygote._preload(preload)
    hugepages.collapse_anonymous_memory()
    print("ready", flush=True)
    sys.stdin.readline()
    with tempfile.NamedTemporaryFile(prefix="floor-answers-") as answers_file:
        answers = _fork_workers(requests, forks, answers_file.name)
    print(json.dumps(answers))


def _fork_workers(requests: str, forks: int, answers_path: str) -> dict:
    """Fork `forks` workers one after another; the first writes its answers to `answers_path`."""
    before = _cpu()
    start = time.monotonic()
    for index in range(forks):
        pid = os.fork()
        if pid == 0:
            _serve(requests, answers_path if index == 0 else os.devnull)
        _, status = os.waitpid(pid, 0)
        if status != 0:
            raise SystemExit(f"a worker ended with status {status}")
    end = time.monotonic()
    cpu = _cpu() - before
    reader = wire.FrameReader()
    reader.feed(Path(answers_path).read_bytes())
    answers = [wire.decode(frame) for frame in iter(reader.next_frame, None)]
    return {"cpu": cpu, "start": start, "end": end, "answers": _tally(answers)}


def _serve(requests: str, answers: str) -> None:
    """In a forked worker: answer each request in the file with gradkit's worker; never returns."""
    status = 1
    try:
        silent = os.open(os.devnull, os.O_WRONLY)
        os.dup2(silent, 1)
        os.dup2(silent, 2)
        if requests:
            from grader.sandbox.worker import serve

            answer_fd = os.open(answers, os.O_WRONLY)
            serve(os.open(requests, os.O_RDONLY), answer_fd)
        status = 0
    finally:
        os._exit(status)


def _cpu() -> float:
    """CPU seconds of this process and its reaped children, user and system."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                           resource.RUSAGE_CHILDREN))  # fmt: skip
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _tally(answers: list) -> dict:
    """How a worker's answers went: whether the code loaded, and how many calls gave a value."""
    if not answers:
        return {"loaded": False, "values": 0}
    load, calls = answers[0], answers[1:]
    values = sum(1 for answer in calls if "value" in answer)
    return {"loaded": "functions" in load and not load.get("errors"), "values": values}


def main() -> None:
    """Record each assignment's plan, time workers answering it and the engine grading the same
    solution, and print the floors next to the engine."""
    from course_options import add_assignments_option, chosen_assignments

    from grader.course.figures import read_figure
    from grader.course.submissions import SubmissionCode, preload_for

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    add_assignments_option(parser)
    arguments = parser.parse_args()
    if arguments.count < 1 or arguments.jobs < 1:
        parser.error("--count and --jobs must be at least 1")
    course, assignments = chosen_assignments(parser, arguments)
    cases = f"cores: {os.cpu_count()}, jobs: {arguments.jobs}, workers per case: {arguments.count}"
    print(cases, flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for assignment in assignments:
            assignment_id = assignment.id
            plan = record_plan(course, assignment)
            source = assignment.solution.read_text(encoding="utf-8")
            print(f"{assignment_id}: {len(plan)} planned calls", flush=True)
            walls: dict[str, float] = {}  # wall seconds per worker, by kind
            drawn = [read_figure(figure).code for figure in assignment.figures]
            for kind, cells in (("py", [source]), ("ipynb", [*drawn, source])):
                requests = Path(folder) / f"{assignment_id}.{kind}.requests"
                write_requests(requests, cells, f"{assignment_id}.{kind}", kind == "ipynb", plan)
                preload = preload_for(SubmissionCode(tuple(cells)))
                bare = measure(None, preload, arguments.count, arguments.jobs)
                timed = measure(requests, preload, arguments.count, arguments.jobs)
                print("  " + row(kind, timed, bare, arguments.count, len(plan)), flush=True)
                walls[kind] = timed["wall"] / arguments.count
            further, line = engine(course, assignment, arguments.count, arguments.jobs)
            print(
                f"  {line}: x{further / walls['py']:.2f} the .py floor's "
                f"{walls['py'] * 1000:.2f} ms per worker",
                flush=True,
            )


def row(kind: str, timed: dict, bare: dict, count: int, planned: int) -> str:
    """One case's line: CPU per worker and per bare fork, the wall time of 10,000 workers at the
    rate measured, and whether the worker answered every planned call with a value."""
    full = timed["wall"] / count * FULL_SIZE
    answers = timed["answers"]
    if not answers["loaded"]:
        outcome = "the solution's code did not load"
    elif answers["values"] == planned:
        outcome = f"all {planned} calls answered with a value"
    else:
        outcome = f"only {answers['values']} of {planned} calls answered with a value"
    return (
        f"{kind:<5}: {timed['cpu'] * 1000:.1f} ms of CPU per worker (a bare fork: "
        f"{bare['cpu'] * 1000:.1f} ms); {FULL_SIZE:,} workers: {full:.1f} s of wall; {outcome}"
    )


def engine(course: Course, assignment: Assignment, count: int, jobs: int) -> tuple[float, str]:
    """Grade `count // 4` and `count` copies of the reference solution with the real engine; the
    wall seconds each further submission adds, and a line saying so."""
    from grader.course.submissions import discover
    from grader.grading.run import grade

    source = assignment.solution.read_text(encoding="utf-8")
    timed = []
    for size in (max(count // 4, 1), count):
        with tempfile.TemporaryDirectory() as folder:
            for index in range(size):
                (Path(folder) / f"s{index:06d}.py").write_text(source, encoding="utf-8")
            submissions = discover(Path(folder), assignment.id)
            start = time.perf_counter()
            result = grade(course, assignment, submissions, jobs=jobs)
            timed.append((size, time.perf_counter() - start))
    full = sum(1 for graded in result.submissions if graded.points == graded.max_points)
    (small, small_wall), (large, large_wall) = timed
    further = (large_wall - small_wall) / (large - small) if large > small else large_wall / large
    return further, (
        f"engine: {large} correct submissions in {large_wall:.1f} s ({full} with full marks, "
        f"isolation: {result.isolation}), {further * 1000:.2f} ms per further submission"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--fork-as-template":
        fork_as_template(sys.argv[2], sys.argv[3 : sys.argv.index("--forks")],
                         int(sys.argv[sys.argv.index("--forks") + 1]))  # fmt: skip
    else:
        main()
