"""The template: a clean, preloaded process that forks one fresh worker per request.

It imports numpy (and SymPy or matplotlib when asked) once, so that a worker starts in about a
millisecond with nothing of any earlier submission in it. It never runs student code itself. It
talks to the grader over one Unix socket: the grader sends ``spawn`` (with the worker's three
pipe ends attached) and ``kill``; the template answers ``spawned`` and, when a worker ends,
``exited`` with its status. Each worker writes only in its own scratch folder, removed when it
ends, so that no file passes from one submission to the next.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import secrets
import select
import signal
import socket
import sys
from dataclasses import dataclass
from types import ModuleType

from .containment import NOBODY, WorkerLimits, apply_limits, compile_seccomp_filter, drop_privileges
from .hugepages import collapse_anonymous_memory

MAX_COMMAND_BYTES = 64 * 1024


def main() -> None:
    """Entry point: the configuration is JSON in argv[1]; the control socket is the fd it names."""
    config = json.loads(sys.argv[1])
    control = socket.socket(fileno=config["control_fd"])
    _preload(config["preload"])
    if config.get("huge_pages"):
        collapse_anonymous_memory()
    program = compile_seccomp_filter() if config["seccomp"] else None
    Template(control, config, program).run()


def _preload(modules: list[str]) -> None:
    """Import what submissions use, once, before any fork; then freeze it against copy-on-write.

    Every module loaded here makes each fork dearer (SymPy triples its cost, matplotlib doubles it
    again), so the grader asks only for what its submissions mention.
    """
    import collections.abc  # noqa: F401
    import math  # noqa: F401
    import typing  # noqa: F401

    import numpy
    import numpy.typing

    _warm_numpy(numpy)
    if "sympy" in modules:
        import sympy

        _warm_sympy(sympy)
    if "matplotlib" in modules:
        with contextlib.suppress(ImportError):
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot

            _warm_matplotlib(matplotlib.pyplot)
    from . import worker  # noqa: F401

    gc.collect()
    gc.freeze()


def _warm_numpy(numpy: ModuleType) -> None:
    """Run what exercises typically run once, so first-use set-up is inherited, not per worker.

    NumPy sets up ufunc dispatch, array printing and linalg on first use; done here, before the
    fork, every worker finds it ready (and shares its pages) instead of paying for it itself.
    """
    matrix = numpy.asarray([[2.0, 1.0], [1.0, 3.0]])
    vector = numpy.asarray([1, 2], dtype=float)
    numpy.linalg.eigvalsh(matrix)
    numpy.linalg.norm(matrix @ vector - vector.T)
    numpy.outer(vector, vector).reshape(-1).sum()
    numpy.random.default_rng(0).permutation(4)
    numpy.array_split(numpy.arange(5), 2)
    numpy.zeros_like(matrix).copy()[:, 0] = numpy.exp(vector) * numpy.sin(vector)
    numpy.isfinite(numpy.abs(vector)).all()
    repr(matrix)


def _warm_sympy(sympy: ModuleType) -> None:
    """Parse, differentiate, simplify and print once, so each worker inherits SymPy's lazily
    imported parser and printers (a cold first call costs about 15 ms).

    The expressions are made up for this and used by no check: SymPy caches what it computes,
    and this file and the cache are both readable by student code, so a hidden check's input
    written here would be a hidden input shown to every submission.
    """
    x, t = sympy.symbols("x t")
    expression = sympy.sympify("exp(2*x)*sin(x**3) + cos(x)/(2 + x**3) + sqrt(x)*tan(x) + t**3")
    slope = sympy.diff(expression, x)
    str(slope)
    str(sympy.diff(sympy.sympify("t**3*cos(x) + exp(x*t) + log(t)"), t))
    sympy.simplify(sympy.diff(sympy.parse_expr("sin(x)**2 + cos(x)**2 + t*x"), t))
    sympy.lambdify(x, slope.subs(t, 1), "math")(1.0)


def _warm_matplotlib(pyplot: ModuleType) -> None:
    """Draw one throwaway plot, as the notebooks' worked examples do, and close it.

    A first figure looks up its fonts and builds matplotlib's lazily made text, tick and legend
    machinery: some 15 ms that every worker running a plotting cell would pay again (a
    notebook's start in the sandbox went from 41 to 26 ms). Nothing of the figure is left
    behind (pyplot holds no figure afterwards).
    """
    _, axes = pyplot.subplots(figsize=(6, 4))
    axes.plot([0.0, 1.0], [0.0, 1.0], "--", color="black", linewidth=2, label="line")
    axes.plot([0.5], [0.5], "o")
    axes.set(xlim=(-1, 1), ylim=(-1, 1), xlabel="x", ylabel="y")
    axes.set_title("warm-up")
    axes.axhline(0.0, color="grey", linewidth=0.5)
    axes.legend(loc="upper center")
    pyplot.close("all")


@dataclass
class _Child:
    """A forked worker as the template tracks it."""

    pid: int
    pidfd: int
    scratch: str = ""
    standby: socket.socket | None = None  # the template's end of a standby's activation socket


class Template:
    """The zygote's loop: fork workers, hand them to the grader, report how they end, clean up.

    One worker is always forked ahead as a standby: already unprivileged and filtered, it waits
    for its pipes. A spawn request hands it out, so the fork is off the grader's path. Each
    worker gets its own scratch folder with an unguessable name under a folder it cannot list,
    removed when the worker is reaped; when the worker's user is the template's own (no drop to
    nobody), the previous worker is instead reaped before the next one is handed out.
    """

    def __init__(self, control: socket.socket, config: dict, seccomp_program: bytes | None):
        self.control = control
        self.scratch_root = config["scratch"]
        self.drop_user = bool(config["drop_user"])
        self.seccomp_program = seccomp_program
        self.children: dict[int, _Child] = {}  # pidfd -> child
        self.current: _Child | None = None
        self.standby: _Child | None = None
        os.makedirs(self.scratch_root, exist_ok=True)
        os.chmod(self.scratch_root, 0o711)  # workers may enter their folder, not list the others

    def run(self) -> None:
        """Serve until the grader closes the control socket, then end every worker."""
        self._send({"op": "ready", "pid": os.getpid()})
        self.standby = self._fork_standby()
        while True:
            watched = dict(self.children)
            readable, _, _ = select.select([self.control, *watched], [], [])
            for source in readable:
                if source is self.control:
                    if not self._command():
                        self._shutdown()
                        return
                # A command may have reaped this child and a new child may have been given the
                # same pidfd number since select returned: only the child seen exiting is reaped
                # (waiting on a live standby would block the template for good).
                elif source in watched and self.children.get(source) is watched[source]:
                    self._reap(source)

    def _command(self) -> bool:
        try:
            data, fds, _, _ = socket.recv_fds(self.control, MAX_COMMAND_BYTES, 3)
        except OSError:
            return False
        if not data:
            return False
        command = json.loads(data)
        if command["op"] == "spawn":
            self._spawn(fds, command["limits"])
        elif command["op"] == "kill":
            self._kill(int(command["pid"]))
        return True

    def _spawn(self, fds: list[int], limits: dict) -> None:
        previous, self.current = self.current, None
        if previous is not None:
            self._kill(previous.pid)
            if not self.drop_user:
                # Same user as the next worker: it must be gone, not just dying, before the next.
                self._reap(previous.pidfd)
        worker = self.standby if self.standby is not None else self._fork_standby()
        self.standby = None
        worker.scratch = self._new_scratch()
        activation = json.dumps({"limits": limits, "scratch": worker.scratch}).encode()
        # If the standby died, sending fails; the grader then sees the pipes close and reports it.
        with contextlib.suppress(OSError):
            socket.send_fds(worker.standby, [activation], fds)
        worker.standby.close()
        worker.standby = None
        for fd in fds:
            os.close(fd)
        self.current = worker
        self._send({"op": "spawned", "pid": worker.pid})
        self.standby = self._fork_standby()

    def _new_scratch(self) -> str:
        folder = os.path.join(self.scratch_root, secrets.token_hex(16))
        os.mkdir(folder, 0o700)
        if self.drop_user:
            os.chown(folder, NOBODY, NOBODY)
        return folder

    def _fork_standby(self) -> _Child:
        template_end, worker_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            template_end.close()
            self._become_worker(worker_end)
        worker_end.close()
        child = _Child(pid, os.pidfd_open(pid), standby=template_end)
        self.children[child.pidfd] = child
        return child

    def _become_worker(self, activation: socket.socket) -> None:
        """Runs in the child: wait for a submission's pipes, then serve it. Never returns."""
        status = 70
        try:
            self.control.close()
            for child in self.children.values():
                os.close(child.pidfd)
                if child.standby is not None:
                    child.standby.close()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            layers = drop_privileges(self.drop_user, self.seccomp_program)
            data, fds, _, _ = socket.recv_fds(activation, MAX_COMMAND_BYTES, 3)
            activation.close()
            if len(fds) != 3:
                os._exit(0)  # the template is shutting down
            order = json.loads(data)
            request_fd, response_fd = _install_pipes(*fds)
            layers.append(apply_limits(WorkerLimits.from_dict(order["limits"])))
            os.chdir(order["scratch"])
            from . import wire
            from .worker import serve

            wire.write_frame(response_fd, wire.encode({"layers": layers, "n": 0}))
            serve(request_fd, response_fd)
            status = 0
        finally:
            os._exit(status)

    def _kill(self, pid: int) -> None:
        if any(child.pid == pid for child in self.children.values()):
            os.kill(pid, signal.SIGKILL)

    def _reap(self, pidfd: int) -> None:
        child = self.children.pop(pidfd, None)
        if child is None:
            return
        os.close(pidfd)
        _, status = os.waitpid(child.pid, 0)
        if child.scratch:
            remove_tree(child.scratch)
        if child.standby is not None:
            child.standby.close()
            if self.standby is child:
                self.standby = None
            return
        if self.current is child:
            self.current = None
        if os.WIFSIGNALED(status):
            self._send({"op": "exited", "pid": child.pid, "signal": os.WTERMSIG(status)})
        else:
            self._send({"op": "exited", "pid": child.pid, "code": os.WEXITSTATUS(status)})

    def _shutdown(self) -> None:
        for pidfd, child in list(self.children.items()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)
            self._reap(pidfd)

    def _send(self, message: dict) -> None:
        self.control.sendall(json.dumps(message).encode())


def remove_tree(path: str) -> None:
    """Remove a worker's scratch folder, however deep or wide, holding one descriptor at a time.

    The worker made the tree, so its shape is the student's choice: a recursive removal (as
    `shutil.rmtree` is) runs out of stack thousands of levels down, and paths that deep are
    longer than the kernel accepts. This walks down and back up through descriptors instead,
    reading each folder once and never following a link; the worker is already reaped, so
    nothing changes the tree meanwhile. Whatever cannot be removed stays (the scratch tmpfs
    ends with the template); no error of the removal reaches the template's loop.
    """
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        current = os.open(path, flags)
    except OSError:
        return
    try:
        pending = [_clear_files(current)]  # per level walked into: its folders still to remove
        while pending:
            if pending[-1]:
                try:
                    below = os.open(pending[-1][-1], flags, dir_fd=current)
                except OSError:
                    pending[-1].pop()
                    continue
                os.close(current)
                current = below
                pending.append(_clear_files(current))
                continue
            pending.pop()
            if pending:
                above = os.open("..", flags, dir_fd=current)
                os.close(current)
                current = above
                with contextlib.suppress(OSError):
                    os.rmdir(pending[-1].pop(), dir_fd=current)
    except OSError:
        pass
    finally:
        os.close(current)
    with contextlib.suppress(OSError):
        os.rmdir(path)


def _clear_files(folder: int) -> list[str]:
    """Unlink everything but folders in `folder`; return the names of the folders."""
    folders = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.name)
            else:
                with contextlib.suppress(OSError):
                    os.unlink(entry.name, dir_fd=folder)
    return folders


def _install_pipes(request_fd: int, response_fd: int, output_fd: int) -> tuple[int, int]:
    """Put the pipes where the worker expects them: output as fds 1 and 2, requests 3, answers 4."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    # Park the pipes high first, so that moving one to 3 or 4 cannot close the other.
    request_fd = fcntl.fcntl(request_fd, fcntl.F_DUPFD, 100)
    response_fd = fcntl.fcntl(response_fd, fcntl.F_DUPFD, 100)
    os.dup2(request_fd, 3)
    os.dup2(response_fd, 4)
    os.closerange(5, 1 << 16)
    sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
    return 3, 4


if __name__ == "__main__":
    main()
