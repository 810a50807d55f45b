"""Grader side: starts the template (inside bubblewrap where available) and hands out workers.

The template sees a read-only file system made of the Python installation, the libraries it
imports and this sandbox package alone (and matplotlib's font list, see `fontlist`): never the
course (solutions/, checks, grades, other submissions). It has no network, its own process
namespace (it cannot see or signal the grader), and runs its workers as an unprivileged user
when the grader is root. Where bubblewrap is missing the template runs as a plain child process,
and `Template.layers` says which layers were reached.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from .containment import ONE_THREAD, WorkerLimits
from .fontlist import lend_font_list
from .pipes import WorkerPipes

SANDBOX_PACKAGE = Path(__file__).resolve().parent
INSIDE_ROOT = "/opt/gradkit"
INSIDE_PACKAGE = "gradkit_sandbox"
SCRATCH_INSIDE = "/tmp/work"
SCRATCH_MB = 64
BOOT = (
    "import sys, json, importlib; config = json.loads(sys.argv[1]); "
    "sys.path[:0] = config['path']; importlib.import_module(config['module']).main()"
)
ENVIRONMENT = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/tmp",
    "MPLBACKEND": "Agg",
    **ONE_THREAD,
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONIOENCODING": "utf-8",
}


class SandboxError(RuntimeError):
    """The template could not be started or stopped answering: a problem of this machine."""


def bubblewrap_path() -> str | None:
    """The bwrap binary, unless GRADKIT_NO_BWRAP asks to do without it."""
    if os.environ.get("GRADKIT_NO_BWRAP"):
        return None
    return shutil.which("bwrap")


class Template:
    """One running template process and the control socket to it; workers are spawned through it."""

    def __init__(
        self,
        *,
        preload: tuple[str, ...] = (),
        use_bubblewrap: bool | None = None,
        use_seccomp: bool = True,
        huge_pages: bool = False,
    ) -> None:
        """`huge_pages`: collapse the template's memory into huge pages before its first fork,
        which costs some 0.2 s once and makes every fork cheaper (see `hugepages`)."""
        bwrap = bubblewrap_path() if use_bubblewrap in (None, True) else None
        if use_bubblewrap and bwrap is None:
            raise SandboxError(
                "bubblewrap (bwrap) is not installed; install the bubblewrap package."
            )
        self._own_scratch = None if bwrap else tempfile.mkdtemp(prefix="gradkit-scratch-")
        scratch = SCRATCH_INSIDE if bwrap else self._own_scratch
        self.huge_pages = huge_pages
        self.drop_user = os.geteuid() == 0 and (bwrap is not None or _readable_by_nobody())
        grader_end, template_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.control = grader_end
        self._exits: dict[int, dict] = {}
        site_dirs = _site_dirs()
        config = {
            "preload": list(preload),
            "control_fd": template_end.fileno(),
            "scratch": scratch,
            "drop_user": self.drop_user,
            "seccomp": use_seccomp,
            "huge_pages": huge_pages,
            "path": [INSIDE_ROOT if bwrap else str(SANDBOX_PACKAGE.parent.parent), *site_dirs],
            "module": f"{INSIDE_PACKAGE}.zygote" if bwrap else "grader.sandbox.zygote",
        }
        python = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
        command = [python, "-I", "-S", "-c", BOOT, json.dumps(config)]
        if bwrap:
            sandbox = [bwrap, *_bubblewrap_arguments()]
            if "matplotlib" in preload:
                sandbox += lend_font_list(sandbox, python, site_dirs, ENVIRONMENT)
            command = [*sandbox, python, *command[1:]]
        self.bubblewrap = bwrap is not None
        self.process = subprocess.Popen(
            command,
            pass_fds=[template_end.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("GRADKIT_DEBUG_SANDBOX") else subprocess.DEVNULL,
            env=ENVIRONMENT,
            cwd=self._own_scratch or "/",
        )
        template_end.close()
        self._started = False

    def wait_ready(self) -> None:
        """Wait until the template has imported its libraries (it starts in the background)."""
        if self._started:
            return
        ready = self.receive(timeout=120)
        if ready is None or ready.get("op") != "ready":
            self.close()
            raise SandboxError(
                "the sandbox template did not start; set GRADKIT_DEBUG_SANDBOX=1 to see why."
            )
        self._started = True

    @property
    def base_layers(self) -> list[str]:
        """Layers that hold for every worker of this template, before it applies its own."""
        return ["bubblewrap"] if self.bubblewrap else []

    def spawn(self, limits: WorkerLimits) -> tuple[int, WorkerPipes]:
        """A fresh worker from the template: its pid (as the template sees it) and its pipes."""
        self.wait_ready()
        pipes, worker_ends = WorkerPipes.create()
        message = json.dumps({"op": "spawn", "limits": limits.as_dict()}).encode()
        try:
            socket.send_fds(self.control, [message], worker_ends)
        except OSError as error:
            pipes.close()
            raise SandboxError("the sandbox template stopped answering.") from error
        finally:
            for fd in worker_ends:
                os.close(fd)
        answer = self._receive_op("spawned", timeout=30)
        if answer is None:
            pipes.close()
            raise SandboxError("the sandbox template did not spawn a worker.")
        return int(answer["pid"]), pipes

    def kill(self, pid: int) -> None:
        """Ask the template to end a worker at once."""
        with contextlib.suppress(OSError):
            self.control.send(json.dumps({"op": "kill", "pid": pid}).encode())

    def wait_exit(self, pid: int, timeout: float = 10.0) -> dict | None:
        """The template's report of how worker `pid` ended, or None if it never came."""
        while pid not in self._exits:
            if self._receive_op("exited", timeout=timeout) is None:
                return None
        return self._exits.pop(pid)

    def _receive_op(self, op: str, timeout: float) -> dict | None:
        """The next message of kind `op`; reports of ended workers are kept for `wait_exit`."""
        while True:
            message = self.receive(timeout=timeout)
            if message is None:
                return None
            if message.get("op") == "exited":
                self._exits[int(message["pid"])] = message
                # Only the last few matter; older ones are of workers nobody waits for.
                while len(self._exits) > 16:
                    self._exits.pop(next(iter(self._exits)))
            if message.get("op") == op:
                return message

    def receive(self, timeout: float) -> dict | None:
        """The next message from the template, or None on timeout or if it is gone."""
        self.control.settimeout(timeout)
        try:
            data = self.control.recv(64 * 1024)
        except (TimeoutError, OSError):
            return None
        return json.loads(data) if data else None

    def close(self) -> None:
        """Stop the template and everything under it."""
        try:
            self.control.close()
        finally:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            if self._own_scratch:
                shutil.rmtree(self._own_scratch, ignore_errors=True)


def _site_dirs() -> list[str]:
    """Where the template's imports live: the grader's own library folders, de-duplicated."""
    names = ("purelib", "platlib", "stdlib", "platstdlib")
    folders = [sysconfig.get_paths()[name] for name in names]
    folders += [entry for entry in sys.path if entry.endswith("site-packages")]
    return [folder for folder in dict.fromkeys(folders) if os.path.isdir(folder)]


def _bubblewrap_arguments() -> list[str]:
    """A read-only view of what Python needs, minus this package's siblings (checks, course)."""
    arguments = [
        "--unshare-net", "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session", "--clearenv",
        "--proc", "/proc", "--dev", "/dev",
    ]  # fmt: skip
    if os.geteuid() != 0:
        arguments.append("--unshare-user")
    for top in ("/usr", "/lib", "/lib64", "/bin", "/sbin", "/lib32", "/libx32"):
        if os.path.islink(top):
            arguments += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            arguments += ["--ro-bind", top, top]
    for config_file in ("/etc/ld.so.cache", "/etc/localtime"):
        if os.path.exists(config_file):
            arguments += ["--ro-bind", config_file, config_file]
    # The only writable place, small; the template wipes it after every worker. Mounted before
    # the binds: a virtual environment under /tmp (a CI checkout) must stay visible on top of it.
    arguments += ["--size", str(SCRATCH_MB * 1024 * 1024), "--tmpfs", "/tmp"]
    prefix = os.path.realpath(sys.base_prefix)
    binds = [] if prefix.startswith("/usr/") else [prefix]
    binds += [folder for folder in _site_dirs() if not folder.startswith(("/usr/", prefix + "/"))]
    # bwrap makes missing parents 0700, which the unprivileged worker could not cross.
    parents = sorted({str(parent) for path in binds for parent in Path(path).parents} - {"/"})
    for parent in [*parents, INSIDE_ROOT]:
        arguments += ["--perms", "0755", "--dir", parent]
    for folder in binds:
        arguments += ["--ro-bind", folder, folder]
    for folder in _site_dirs():
        installed = Path(folder) / "grader"
        if installed.is_dir():
            # An installed grader holds the checks; the sandbox package is bound on its own below.
            arguments += ["--tmpfs", str(installed)]
    arguments += ["--ro-bind", str(SANDBOX_PACKAGE), f"{INSIDE_ROOT}/{INSIDE_PACKAGE}"]
    arguments += ["--remount-ro", "/", "--chdir", "/tmp"]
    for name, value in ENVIRONMENT.items():
        arguments += ["--setenv", name, value]
    return arguments


def _readable_by_nobody() -> bool:
    """Whether an unprivileged user could still load Python after the drop (not under /root)."""
    paths = [os.path.realpath(sys.base_prefix), *_site_dirs(), str(SANDBOX_PACKAGE)]
    for path in paths:
        current = Path(path)
        for folder in [current, *current.parents]:
            try:
                mode = folder.stat().st_mode
            except OSError:
                return False
            if not mode & stat.S_IXOTH:
                return False
    return True
