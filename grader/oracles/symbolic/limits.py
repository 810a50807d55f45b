"""Hard limits on the time the trusted grader spends on one student's expression.

SymPy cannot be interrupted from another thread, and its own loops (simplify's strategies, an
expansion's terms) decide how long they run, so clock checks between steps are not enough. Two
mechanisms really stop the work, each where it is safe:

- `CpuLimit(seconds)`: a one-shot timer on this process's CPU time (`ITIMER_VIRTUAL`, signal
  SIGVTALRM) whose handler raises `OutOfTime` in the code running at that moment. Python runs
  signal handlers only in the main thread, which is where checks run: a grading session calls
  `pytest.main` in its main thread (`grader.grading.session`), and the plugin calls each check from
  there. It guards only code that an exception leaves nothing half-done in: the numeric
  evaluation, pure functions over a private mpmath context. `OutOfTime` derives from
  BaseException, so that no `except Exception` in a library swallows it. CPU time rather than
  wall time: the same answer gets the same verdict on a busy machine. A handler that runs while
  Python is finalising an object (a generator SymPy abandoned, a `__del__`) has its exception
  reported as "Exception ignored" and dropped; the block then keeps the hook Python reports that
  through (`sys.unraisablehook`), which raises `OutOfTime` again a moment later.
- `in_child(function, seconds)`: SymPy's expand and simplify fill global caches and flip global
  evaluation flags, which an exception could leave half-changed for the next student; they run in
  a forked child instead, under its own CPU-time and memory limits, killed when time is up. Only
  one byte comes back: whether the difference reached 0.

Where a mechanism is unavailable (another thread, a platform without `fork` or `setitimer`, a
timer already in use), the work runs as it did before, bounded by the parser's size limits and
the caller's clock checks.
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType

# Memory a child may use beyond the grader's own: simplification of a difference the parser
# accepted needs a few MB; an expansion that runs away is stopped here instead of swapping.
CHILD_MEMORY_BYTES = 1 << 30
# A child's CPU time is its limit; the wall-clock wait for it allows for a busy machine.
WALL_FACTOR = 3.0
WALL_SLACK = 1.0
# CPU time after a dropped `OutOfTime` before it is raised again.
RETRY_SECONDS = 0.005


class OutOfTime(BaseException):
    """Raised inside a `CpuLimit` block whose CPU time is up."""


_active = [False]  # an `OutOfTime` is still to be raised in the block
_inside = [False]  # a block is running, whether or not it has raised
_outer_hook = [sys.__unraisablehook__]  # the hook that was in place when the block began


def _on_signal(signum: int, frame: FrameType | None) -> None:
    # One raise per block, and none once the block is left: a timer that fires just as the block
    # ends must not raise in whatever the grader does next.
    if _active[0]:
        _active[0] = False
        raise OutOfTime


def _on_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    # Only the exception of a block still running is raised again; anything else goes to the
    # hook the block found (pytest's, say).
    if (
        _inside[0]
        and unraisable.exc_type is not None
        and issubclass(unraisable.exc_type, OutOfTime)
    ):
        _active[0] = True
        signal.setitimer(signal.ITIMER_VIRTUAL, RETRY_SECONDS)
        return
    _outer_hook[0](unraisable)


def can_interrupt() -> bool:
    """Whether `CpuLimit` can stop work here: the main thread, and the timer free for us."""
    if not (hasattr(signal, "setitimer") and hasattr(signal, "SIGVTALRM")):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    # Someone else's handler or running timer is left alone (a profiler, an outer limit).
    if signal.getsignal(signal.SIGVTALRM) not in (signal.SIG_DFL, _on_signal):
        return False
    return signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)


class CpuLimit:
    """`with CpuLimit(seconds):` raises `OutOfTime` in the block after `seconds` of CPU time.

    `armed` says whether the limit is in force (see `can_interrupt`); when it is not, the block
    simply runs. The timer is one-shot: if the block is left by `OutOfTime`, the handler stays
    installed, harmless and reused by the next block.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False
        self._previous: object = None

    def __enter__(self) -> CpuLimit:
        if self.seconds > 0 and can_interrupt():
            self._previous = signal.signal(signal.SIGVTALRM, _on_signal)
            _outer_hook[0], sys.unraisablehook = sys.unraisablehook, _on_unraisable
            _inside[0] = _active[0] = True
            signal.setitimer(signal.ITIMER_VIRTUAL, self.seconds)
            self.armed = True
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        _inside[0] = _active[0] = False
        if self.armed:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM, self._previous)  # type: ignore[arg-type]
            sys.unraisablehook = _outer_hook[0]
            self.armed = False


def can_fork() -> bool:
    """Whether `in_child` can run here: forking is safe only in a single-threaded process."""
    return (
        hasattr(os, "fork")
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )


def in_child(
    function: Callable[[], bool], seconds: float, memory_bytes: int = CHILD_MEMORY_BYTES
) -> bool | None:
    """`function()` computed in a forked child with `seconds` of CPU time; None if it gave no
    answer (out of time or memory, or failed). Call only when `can_fork()`."""
    if seconds <= 0:
        return None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, write one byte, and leave without any clean-up of ours
        status = 1
        try:
            os.close(read_end)
            _limit_child(seconds, memory_bytes)
            os.write(write_end, b"1" if function() else b"0")
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        return _answer(read_end, seconds * WALL_FACTOR + WALL_SLACK)
    finally:
        os.close(read_end)
        _reap(pid)


def _limit_child(seconds: float, memory_bytes: int) -> None:
    """The child's own limits: killed by the kernel past its CPU time or its memory."""
    signal.signal(signal.SIGVTALRM, signal.SIG_DFL)  # the default action ends the process
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    cpu = math.ceil(seconds) + 1  # a backstop in whole seconds, should the timer be reset
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard < 0 else min(cpu, hard), hard))
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return  # no /proc: the CPU limit alone bounds the child
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard < 0 else min(limit, hard), hard))


def _answer(read_end: int, wall_seconds: float) -> bool | None:
    deadline = time.monotonic() + wall_seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([read_end], [], [], left)
        if ready:
            byte = os.read(read_end, 1)
            return {b"1": True, b"0": False}.get(byte)
    return None


def _reap(pid: int) -> None:
    """End the child if it is still running, and collect it so that no zombie is left."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
