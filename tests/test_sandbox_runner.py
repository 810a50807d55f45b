"""The sandbox on its own: one submission's calls, with real templates and workers."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.sandbox.launcher import Template
from grader.sandbox.pipes import OUTPUT_CAP
from grader.sandbox.plan import AHEAD, CallPlan
from grader.sandbox.runner import (
    BudgetExhausted,
    CallFailed,
    CallTimedOut,
    FunctionMissing,
    RunLimits,
    StudentRaised,
    SubmissionRunner,
    WorkerCrashed,
)

HAS_BWRAP = shutil.which("bwrap") is not None

SOURCE = """
import os, sys
state = []
def remember(x):
    state.append(x)
    return len(state)
def double(x):
    return 2 * x
def crash():
    import ctypes
    ctypes.string_at(0)
def hang():
    while True:
        pass
def shout(n):
    sys.stdout.write("y" * n)
    return n
def whoami():
    return os.getuid()
def listing(path):
    return sorted(os.listdir(path))
def leave_file():
    open("note.txt", "w").write("left for the next student")
    return os.listdir(".")
def look_for_file():
    return os.listdir(".")
def parse(text):
    import json
    return json.loads(text)
"""


@pytest.fixture(scope="module")
def template():
    started = Template()
    yield started
    started.close()


def runner(template, seconds_per_call=1.0, seconds_per_submission=20.0, source=SOURCE,
           plan=None, record=None):  # fmt: skip
    limits = RunLimits(seconds_per_call, seconds_per_submission, 256)
    made = SubmissionRunner(template, [source], "student.py", notebook=False, limits=limits,
                            plan=plan, record=record)  # fmt: skip
    made.load()
    return made


def planned(template, *calls):
    """The plan a run making `calls` (name, args) records: their encoded requests, in order."""
    requests: list[bytes] = []
    run = runner(template, record=requests)
    for name, args in calls:
        with contextlib.suppress(CallFailed):
            run.call(name, args)
    run.close()
    return CallPlan(requests)


def test_load_reports_the_functions(template):
    run = runner(template)
    assert {"double", "crash", "hang"} <= set(run.load_report.functions)
    assert run.call("double", [21]).value == 42
    run.close()


def test_crash_costs_one_call_and_the_next_starts_fresh(template):
    run = runner(template)
    assert run.call("remember", [1]).value == 1
    assert run.call("remember", [2]).value == 2
    with pytest.raises(WorkerCrashed, match="segmentation fault"):
        run.call("crash")
    # a fresh worker: the module ran again, its state is new
    assert run.call("remember", [3]).value == 1
    run.close()


def test_timeout_costs_one_call(template):
    run = runner(template, seconds_per_call=0.5)
    with pytest.raises(CallTimedOut, match=r"0\.5 s"):
        run.call("hang")
    assert run.call("double", [2]).value == 4
    run.close()


def test_budget_stops_further_calls(template):
    run = runner(template, seconds_per_call=5.0, seconds_per_submission=1.0)
    with pytest.raises(BudgetExhausted):
        run.call("hang")
    with pytest.raises(BudgetExhausted):
        run.call("double", [1])
    run.close()


def test_missing_function_and_exceptions(template):
    run = runner(template)
    with pytest.raises(FunctionMissing, match="nope is not defined"):
        run.call("nope")
    with pytest.raises(StudentRaised, match=r"TypeError \(line 8\)"):
        run.call("double", [None])
    # Raised deep inside a library: the student's own line is the one named.
    with pytest.raises(StudentRaised, match=r"JSONDecodeError \(line 29\)"):
        run.call("parse", ["{"])
    run.close()


def test_output_is_capped(template):
    run = runner(template)
    assert run.call("shout", [OUTPUT_CAP * 20]).value == OUTPUT_CAP * 20
    run.close()
    assert len(run.output) <= OUTPUT_CAP


def test_no_file_passes_to_the_next_submission(template):
    first = runner(template)
    assert "note.txt" in first.call("leave_file").value
    first.close()
    second = runner(template)
    assert second.call("look_for_file").value == []
    second.close()


@pytest.mark.skipif(not HAS_BWRAP, reason="bubblewrap is not installed")
def test_worker_sees_no_course_and_runs_unprivileged(template):
    run = runner(template)
    here = os.path.dirname(os.path.abspath(__file__))
    with pytest.raises(StudentRaised, match="FileNotFoundError"):
        run.call("listing", [here])
    assert run.call("listing", ["/opt/gradkit"]).value == ["gradkit_sandbox"]
    if os.geteuid() == 0:
        assert run.call("whoami").value == 65534
    assert "bubblewrap" in template.base_layers
    assert {"seccomp", "rlimits"} <= set(run.layers)
    run.close()


def test_without_bubblewrap_the_level_says_so():
    plain = Template(use_bubblewrap=False)
    try:
        run = runner(plain)
        assert run.call("double", [3]).value == 6
        assert "bubblewrap" not in plain.base_layers
        assert "rlimits" in run.layers
        run.close()
    finally:
        plain.close()


@pytest.mark.parametrize("use_bubblewrap", [False, *([True] if HAS_BWRAP else [])])
def test_many_workers_in_a_row_each_start(use_bubblewrap):
    """Closing a worker and asking for the next at once, a hundred times: the template must
    reap only workers that ended, even when a new one got the old one's pidfd number (it once
    waited on a live standby instead and stopped answering)."""
    started = Template(use_bubblewrap=use_bubblewrap)
    try:
        answers = []
        for n in range(100):
            run = runner(started, source="def double(x):\n    return 2 * x\n")
            answers.append(run.call("double", [n]).value)
            run.close()
        assert answers == [2 * n for n in range(100)]
    finally:
        started.close()


PROBE = """
import sys
sys.path.append({site!r})
from grader.sandbox.launcher import Template
from grader.sandbox.runner import RunLimits, SubmissionRunner

template = Template()
try:
    source = "import gradkit_probe\\ndef where():\\n    return gradkit_probe.NAME\\n"
    limits = RunLimits(2.0, 20.0, 256)
    run = SubmissionRunner(template, [source], "student.py", notebook=False, limits=limits)
    report = run.load()
    print(report.errors or run.call("where").value)
    run.close()
finally:
    template.close()
"""


def test_libraries_under_tmp_stay_visible(tmp_path):
    """A virtual environment under /tmp (a CI checkout there) is bound on top of the sandbox's
    own /tmp, not hidden by it."""
    site = Path("/tmp") / f"gradkit-site-{os.getpid()}" / "site-packages"
    site.mkdir(parents=True)
    try:
        (site / "gradkit_probe.py").write_text("NAME = 'found'\n")
        site.chmod(0o755)
        site.parent.chmod(0o755)
        done = subprocess.run(
            [sys.executable, "-c", PROBE.format(site=str(site))],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.stdout.strip() == "found", done.stdout + done.stderr
    finally:
        shutil.rmtree(site.parent)


def test_matplotlib_template_hands_workers_no_figure():
    """The matplotlib template draws a warm-up plot before forking; a worker must find pyplot
    as a fresh process does: no figure open, the non-interactive backend."""
    started = Template(preload=("matplotlib",))
    try:
        source = (
            "import matplotlib\nimport matplotlib.pyplot as plt\n"
            "def state():\n    return [plt.get_fignums(), matplotlib.get_backend().lower()]\n"
        )
        run = runner(started, seconds_per_call=5.0, source=source)
        assert run.call("state").value == [[], "agg"]
        run.close()
    finally:
        started.close()


def test_planned_calls_run_ahead_and_each_answer_goes_to_its_own_call(template):
    """The worker runs planned calls before they are asked: a check that skips one (as a failing
    check stops early) gets its own answer, after the skipped call has run."""
    plan = planned(template, *[("remember", [value]) for value in (10, 20, 30, 40)])
    run = runner(template, plan=plan)
    assert run.call("remember", [10]).value == 1
    assert run.call("remember", [30]).value == 3  # remember(20) ran ahead, unasked
    assert run.call("double", [4]).value == 8  # not planned: asked now, behind those ahead
    assert run.call("remember", [40]).value == 4  # its answer was kept meanwhile
    run.close()


def test_only_the_next_calls_are_sent_ahead(template):
    plan = planned(template, *[("remember", [value]) for value in range(3 * AHEAD)])
    run = runner(template, plan=plan)
    assert run.call("remember", [0]).value == 1
    assert run.call("double", [1]).value == 2
    # remember(0) and the AHEAD calls sent after it ran before double; none beyond them did.
    assert run.call("remember", [3 * AHEAD - 1]).value == AHEAD + 2
    run.close()


def test_a_call_sent_ahead_that_crashes_or_hangs_costs_the_asked_call_nothing(template):
    plan = planned(template, ("double", [1]), ("crash", []), ("double", [2]), ("hang", []),
                   ("double", [3]))  # fmt: skip
    run = runner(template, seconds_per_call=0.5, plan=plan)
    assert run.call("double", [1]).value == 2
    assert run.call("double", [2]).value == 4  # from a fresh worker: crash ran ahead
    assert run.call("double", [3]).value == 6  # likewise, after hang ran out of time
    run.close()


def test_a_planned_call_keeps_its_own_limits_and_failures(template):
    plan = planned(template, ("double", [1]), ("hang", []), ("crash", []), ("double", [None]))
    run = runner(template, seconds_per_call=0.5, plan=plan)
    assert run.call("double", [1]).value == 2
    with pytest.raises(CallTimedOut, match=r"0\.5 s"):
        run.call("hang")
    with pytest.raises(WorkerCrashed, match="segmentation fault"):
        run.call("crash")
    with pytest.raises(StudentRaised, match="TypeError"):
        run.call("double", [None])
    run.close()


def _huge_pages_on_request() -> bool:
    """Whether huge pages come only when asked for (the kernel's `madvise` setting, the usual
    default) and the kernel can collapse memory into them on request (Linux 6.1 and later)."""
    setting = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    if not setting.exists() or "[madvise]" not in setting.read_text():
        return False
    version = re.match(r"(\d+)\.(\d+)", os.uname().release)
    return version is not None and (int(version[1]), int(version[2])) >= (6, 1)


def _anonymous_huge_kib(template: Template) -> int:
    """AnonHugePages of the template process, found from here among the launched process's
    descendants: the Python whose parent is not a Python (workers are forked from it)."""
    parents, commands = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            commands[int(entry.name)] = (entry / "cmdline").read_bytes()
    tree, pending = set(), [template.process.pid]
    while pending:
        pid = pending.pop()
        tree.add(pid)
        pending += [child for child, parent in parents.items() if parent == pid]
    python = [pid for pid in tree if commands.get(pid, b"").split(b"\0")[1:3] == [b"-I", b"-S"]]
    (zygote,) = [pid for pid in python if parents[pid] not in python]
    for line in Path(f"/proc/{zygote}/smaps_rollup").read_text().splitlines():
        if line.startswith("AnonHugePages:"):
            return int(line.split()[1])
    raise AssertionError("no AnonHugePages line")


@pytest.mark.skipif(not _huge_pages_on_request(), reason="no huge pages on request here")
def test_a_template_asked_for_huge_pages_collapses_its_memory_and_still_serves():
    """With `huge_pages` the template's heap and arenas are in 2 MiB pages when it is ready (its
    own later writes split some of them again); its workers run submissions as before."""
    source = "def double(x):\n    return 2 * x\n"
    huge_kib = {}
    for huge_pages in (False, True):
        started = Template(preload=("sympy",), huge_pages=huge_pages)
        try:
            started.wait_ready()
            huge_kib[huge_pages] = _anonymous_huge_kib(started)
            run = runner(started, seconds_per_call=5.0, source=source)
            assert run.call("double", [21]).value == 42
            run.close()
        finally:
            started.close()
    assert huge_kib[True] >= 2 * 1024 and huge_kib[False] == 0, huge_kib


def test_workers_are_waited_for_on_descriptors_past_1024(template):
    """A grader holding many files gets pipes numbered past select()'s limit of 1024: waiting
    on them still works (a crash and a timeout too), and the descriptors are given back."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 4096), max(hard, 4096)))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        run = runner(template, seconds_per_call=0.5)
        assert min(run._worker.pipes.response_r, run._worker.pipes.output_r) > 1024
        assert run.call("double", [21]).value == 42
        with pytest.raises(CallTimedOut):
            run.call("hang")
        with pytest.raises(WorkerCrashed, match="segmentation fault"):
            run.call("crash")
        assert run.call("double", [2]).value == 4
        run.close()
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
