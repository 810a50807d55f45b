"""Containment a freshly forked worker applies to itself before any student code runs.

It comes in two steps. `drop_privileges` runs as soon as a worker is forked (a standby worker is
forked ahead of need): the unprivileged user, then seccomp last, because setting the user needs
calls the filter forbids. `apply_limits` runs when the worker is handed a submission, with that
submission's limits (lowering a limit needs no privilege).
Each layer that could not be applied is left out of the returned list, so the grader records the
isolation level actually reached instead of assuming it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import tempfile
from dataclasses import dataclass

NOBODY = 65534
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
BPF_INSTRUCTION_BYTES = 8
CLONE_THREAD = 0x00010000
# The environment of every grading process: grading runs one process per core already, so a
# numeric library's own thread pool would only compete for the same cores (idle OpenBLAS threads
# spin on them), and a worker may not start threads anyway.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

# Calls a worker never needs: new programs and processes, the network, signals (to anyone: the
# filter is built once for all workers, so it cannot name a worker's own pid), other processes'
# memory, and anything that reshapes namespaces or mounts.
DENIED_CALLS = (
    "execve", "execveat", "fork", "vfork", "socket", "socketpair", "connect", "bind", "listen",
    "accept", "accept4", "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_send_signal",
    "pidfd_getfd", "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "bpf",
    "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key", "personality",
    "io_uring_setup", "mknod", "mknodat", "setsid", "setpgid", "kill", "tkill", "tgkill",
    "rt_sigqueueinfo", "rt_tgsigqueueinfo",
)  # fmt: skip
# Calls through which one worker could reach another, since all of a template's workers share a
# uid and an IPC namespace (and other templates' workers share files): System V shared memory,
# semaphores and message queues and POSIX message queues (a channel, and memory that outlives
# the worker and no rlimit counts), anonymous memory files (memory RLIMIT_AS does not count when
# written rather than mapped), file locks on the shared read-only files (a channel between
# workers running at once), and the scheduler (another worker's nice value, scheduling class,
# CPU affinity and I/O priority).
CROSS_WORKER_CALLS = (
    "shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop", "semctl",
    "msgget", "msgsnd", "msgrcv", "msgctl", "mq_open", "mq_unlink", "mq_timedsend",
    "mq_timedreceive", "mq_notify", "mq_getsetattr", "memfd_create", "memfd_secret", "flock",
    "setpriority", "sched_setscheduler", "sched_setparam", "sched_setattr", "sched_setaffinity",
    "ioprio_set", "migrate_pages", "move_pages", "process_madvise", "kcmp",
)  # fmt: skip
# fcntl commands that lock a file or watch a folder (F_GETLK, F_SETLK, F_SETLKW, their
# open-file-description forms, F_SETLEASE, F_NOTIFY); every other fcntl stays allowed.
LOCKING_FCNTL = (5, 6, 7, 36, 37, 38, 1024, 1026)


@dataclass(frozen=True)
class WorkerLimits:
    """What one worker may use; sent by the grader with each spawn request."""

    memory_mb: int
    cpu_seconds: int
    file_bytes: int = 16 * 1024 * 1024
    open_files: int = 64

    @classmethod
    def from_dict(cls, data: dict) -> WorkerLimits:
        """Rebuild limits from the spawn request."""
        return cls(
            memory_mb=int(data["memory_mb"]),
            cpu_seconds=int(data["cpu_seconds"]),
            file_bytes=int(data.get("file_bytes", 16 * 1024 * 1024)),
            open_files=int(data.get("open_files", 64)),
        )

    def as_dict(self) -> dict:
        """The limits as data for the spawn request."""
        return {
            "memory_mb": self.memory_mb,
            "cpu_seconds": self.cpu_seconds,
            "file_bytes": self.file_bytes,
            "open_files": self.open_files,
        }


def drop_privileges(drop_user: bool, seccomp_program: bytes | None) -> list[str]:
    """The layers a worker takes on as soon as it is forked, before it is given anything to run.

    Returns the names of the layers in force. After this the process can neither regain
    privileges nor start processes, open sockets or signal anyone.
    """
    layers = []
    _set_not_dumpable()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if drop_user and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        layers.append("unprivileged-user")
    if os.geteuid() != 0:
        # RLIMIT_NPROC binds only unprivileged users: one more fence against new processes.
        resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    if seccomp_program and _install_seccomp(seccomp_program):
        layers.append("seccomp")
    return layers


def apply_limits(limits: WorkerLimits) -> str:
    """The per-submission resource limits, set once the worker knows its submission's limits."""
    # The template already maps numpy and friends: the budget is on top of what is mapped now.
    address_space = _mapped_bytes() + limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    return "rlimits"


def _set_not_dumpable() -> None:
    """Keep siblings of the same uid from attaching to this process or writing its memory."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def _mapped_bytes() -> int:
    with open("/proc/self/statm", "rb") as statm:
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def compile_seccomp_filter() -> bytes | None:
    """The worker's system-call filter as a BPF program, built once in the template.

    The filter is the same for every worker, so the template compiles it once and each worker only
    loads it (a single prctl), which keeps a fresh worker cheap. None where libseccomp is missing.
    """
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError):
        return None
    denied = seccomp.ERRNO(errno.EPERM)
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for name in (*DENIED_CALLS, *CROSS_WORKER_CALLS):
            try:
                rules.add_rule(denied, name)
            except (ValueError, RuntimeError, OSError):
                continue  # a call this kernel or architecture does not have
        for command in LOCKING_FCNTL:
            rules.add_rule(denied, "fcntl", seccomp.Arg(1, seccomp.EQ, command))
        # Its own limits a worker may read and lower (libc's getrlimit and setrlimit are this
        # call with pid 0); another process's, never.
        rules.add_rule(denied, "prlimit64", seccomp.Arg(0, seccomp.NE, 0))
        # Threads stay possible (numpy may start them); new processes do not.
        rules.add_rule(denied, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
        # clone3 hides its flags in memory a filter cannot read; ENOSYS makes libc use clone.
        rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
        rules.add_rule(denied, "prctl", seccomp.Arg(0, seccomp.EQ, PR_SET_DUMPABLE))
        with tempfile.TemporaryFile() as exported:
            rules.export_bpf(exported)
            exported.seek(0)
            return exported.read()
    except (RuntimeError, OSError, ValueError):
        return None


class _SockFprog(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_char_p))


def _install_seccomp(program: bytes) -> bool:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    fprog = _SockFprog(len(program) // BPF_INSTRUCTION_BYTES, program)
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0
