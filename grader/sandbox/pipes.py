"""Grader side: the three pipes to one worker, and a bounded wait for each answer.

Requests go down one pipe and answers come up another, framed; everything the worker prints
arrives on a third pipe, which is drained while waiting so the worker never blocks on it, and of
which only the first `OUTPUT_CAP` bytes are kept: a flood of output costs neither memory nor disk.
Requests never block the grader: what the request pipe does not take at once is written while
waiting for answers, so that with several requests in flight (see `grader.sandbox.plan`) the
grader and a worker waiting for its answers to be read never wait on each other.
"""

from __future__ import annotations

import contextlib
import math
import os
import select
import time

from .wire import FrameReader

OUTPUT_CAP = 64 * 1024
READ_CHUNK = 1 << 16


class WorkerGone(Exception):
    """The worker closed its answer pipe: it exited or was killed."""


class WorkerSilent(Exception):
    """No answer came before the deadline."""


class WorkerPipes:
    """The grader's ends of a worker's request, response and output pipes."""

    def __init__(self, request_w: int, response_r: int, output_r: int) -> None:
        self.request_w = request_w
        self.response_r = response_r
        self.output_r = output_r
        self.output = bytearray()
        self.output_dropped = 0
        self._output_open = True
        self._frames = FrameReader()
        self._outgoing = bytearray()
        for fd in (request_w, response_r, output_r):
            os.set_blocking(fd, False)

    @classmethod
    def create(cls) -> tuple[WorkerPipes, list[int]]:
        """New pipes: the grader's ends wrapped, and the worker's ends to pass to the template."""
        request_r, request_w = os.pipe()
        response_r, response_w = os.pipe()
        output_r, output_w = os.pipe()
        return cls(request_w, response_r, output_r), [request_r, response_w, output_w]

    def send(self, payload: bytes) -> None:
        """Queue one framed request and write what the pipe takes now; `receive` writes the rest."""
        self._outgoing += len(payload).to_bytes(4, "big") + payload
        self._flush()

    def _flush(self) -> None:
        while self._outgoing:
            try:
                written = os.write(self.request_w, self._outgoing)
            except BlockingIOError:
                return
            except BrokenPipeError as error:
                raise WorkerGone from error
            del self._outgoing[:written]

    def receive(self, deadline: float) -> bytes:
        """The next framed answer; WorkerGone at end of stream, WorkerSilent past the deadline,
        WireError for a frame over the size limit."""
        while True:
            frame = self._frames.next_frame()
            if frame is not None:
                return frame
            writable = [self.request_w] if self._outgoing else []
            ready = self._wait([self.response_r], deadline, writable)
            if self.request_w in ready:
                self._flush()
            if self.response_r in ready:
                chunk = self._read(self.response_r)
                if chunk == b"":
                    raise WorkerGone
                self._frames.feed(chunk or b"")  # WireError: a frame no worker writes

    def _wait(self, readable: list[int], deadline: float, writable: list[int] = ()) -> set[int]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WorkerSilent
        # poll, not select: select cannot watch a descriptor numbered 1024 or more, which a
        # grader holding many files (or many workers' pipes) is given.
        poller = select.poll()
        for fd in readable:
            if fd != self.output_r:
                poller.register(fd, select.POLLIN)
        if self._output_open:
            poller.register(self.output_r, select.POLLIN)
        for fd in writable:
            poller.register(fd, select.POLLOUT)
        ready = {fd for fd, _ in poller.poll(math.ceil(remaining * 1000))}
        if not ready:
            raise WorkerSilent
        if self.output_r in ready:
            self._drain_output()
        return ready

    def _drain_output(self) -> None:
        chunk = self._read(self.output_r)
        if chunk == b"":
            self._output_open = False  # the worker closed its output; stop watching it
        if not chunk:
            return
        room = OUTPUT_CAP - len(self.output)
        self.output += chunk[:room]
        self.output_dropped += max(0, len(chunk) - room)

    @staticmethod
    def _read(fd: int) -> bytes | None:
        try:
            return os.read(fd, READ_CHUNK)
        except BlockingIOError:
            return None

    def close(self) -> None:
        """Close the grader's ends; the worker sees end of stream and leaves."""
        for fd in (self.request_w, self.response_r, self.output_r):
            with contextlib.suppress(OSError):
                os.close(fd)
