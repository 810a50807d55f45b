"""Calls sent ahead: the requests every submission is expected to receive, in their order.

Checks ask every submission the same questions in the same order: their inputs come from
generators seeded per check, never from the submission. A grading session records the requests it
sends while grading the reference solution (a `CallPlan`); for each student's submission the
runner then keeps the next `AHEAD` planned requests in flight, so that the worker goes from one
call to the next without waiting for the grader, and the grader mostly finds its answer already
there, instead of both processes falling asleep and waking up again for every call.

Each answer still belongs to exactly one request: a check asking a planned request gets the
answer to those very bytes, waited for with the per-call time limit counted from when the grader
starts waiting for it. What sending ahead changes is this: when a check stops early (a wrong
answer fails it at its first call), the calls it skipped have already run, and their answers are
dropped. For the pure functions the curriculum asks for, that changes nothing; a function that
keeps state between calls (which the contract rules out) sees those extra calls. A request that
was not planned (a check whose inputs depend on an answer) is sent behind the ones in flight,
whose answers are kept until a check asks for them.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

# Requests in flight at once: enough that the worker rarely waits for the grader, few enough
# that a check stopping early wastes little of the worker's time on calls nobody will read.
AHEAD = 8


class CallPlan:
    """The planned requests, as the encoded bytes sent to the worker, and where each occurs."""

    def __init__(self, requests: Sequence[bytes]) -> None:
        self.requests = tuple(requests)
        self._positions: dict[bytes, list[int]] = {}
        for position, request in enumerate(self.requests):
            self._positions.setdefault(request, []).append(position)

    def __len__(self) -> int:
        return len(self.requests)

    def find(self, request: bytes, start: int) -> int | None:
        """The first position at or after `start` where exactly `request` is planned, or None."""
        positions = self._positions.get(request)
        if not positions:
            return None
        index = bisect.bisect_left(positions, start)
        return positions[index] if index < len(positions) else None


@dataclass
class PlanProgress:
    """Where one submission's grading is in the plan.

    Positions before `cursor` are past (asked for, or skipped by the checks); `ahead` holds the
    positions sent to the current worker whose answers are not read yet, oldest first; `kept`
    holds answers read before a check asked for them; `next` is the next position to send.
    """

    plan: CallPlan
    cursor: int = 0
    next: int = 0
    ahead: deque[int] = field(default_factory=deque)
    kept: dict[int, dict] = field(default_factory=dict)

    def find(self, request: bytes) -> int | None:
        """Where the checks' next request is planned, from where they are now."""
        return self.plan.find(request, self.cursor)

    def skip_to(self, position: int) -> None:
        """The checks ask for `position` next: what comes before it will not be asked for."""
        self.cursor = position
        self.next = max(self.next, position)
        for past in [kept for kept in self.kept if kept < position]:
            del self.kept[past]

    def to_send(self) -> list[int]:
        """Positions to send now to keep `AHEAD` requests in flight; they count as sent."""
        positions = []
        while len(self.ahead) < AHEAD and self.next < len(self.plan):
            positions.append(self.next)
            self.ahead.append(self.next)
            self.next += 1
        return positions

    def restart(self) -> None:
        """The worker ended: nothing is in flight, and a new worker starts where the checks are."""
        self.ahead.clear()
        self.kept.clear()
        self.next = self.cursor
