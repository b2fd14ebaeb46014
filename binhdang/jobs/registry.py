"""Job handlers and schedules, declared by each app in its jobs.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Job
    from .services import JobContext


@dataclass(frozen=True)
class Handler:
    kind: str
    run: Callable[[JobContext], None]
    # Called in the transaction that marks the job failed for good, to record the failure on the job's input.
    on_failure: Callable[[Job, str], None] | None
    max_attempts: int


@dataclass(frozen=True)
class Schedule:
    kind: str
    # Local time of day (settings.TIME_ZONE) from which the day's run is due.
    at: Callable[[], dt.time]
    params: Callable[[dt.date], dict[str, object]]


HANDLERS: dict[str, Handler] = {}
SCHEDULES: dict[str, Schedule] = {}


def job_handler(
    kind: str, *, max_attempts: int = 3, on_failure: Callable[[Job, str], None] | None = None
) -> Callable[[Callable[[JobContext], None]], Callable[[JobContext], None]]:
    def register(run: Callable[[JobContext], None]) -> Callable[[JobContext], None]:
        HANDLERS[kind] = Handler(kind, run, on_failure, max_attempts)
        return run

    return register


def job_schedule(kind: str, *, at: Callable[[], dt.time], params: Callable[[dt.date], dict[str, object]]) -> None:
    """Run the handler ``kind`` once a day from ``at``: once for the whole cluster, whatever the number of workers."""
    SCHEDULES[kind] = Schedule(kind, at, params)
