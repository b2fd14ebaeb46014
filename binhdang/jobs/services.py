"""Enqueue, run, retry and recover jobs. The guarantees (docs/background-jobs.md):

- one job per input: ``Job.key`` is unique, so enqueuing the same input again gives the same job back;
- at most one run at a time: a worker claims a job with a conditional UPDATE (queued → running), so of two
  workers handed the same job only one runs it;
- exactly one result: a handler writes its results and marks the job succeeded in one transaction
  (``JobContext.finish``), and that mark only succeeds while the worker still holds the job; a worker that
  lost it (its lease ran out and another worker took over) rolls its writes back;
- a dead worker's job runs again: a running worker renews its lease every few seconds; a job whose lease ran
  out is queued again by the next sweep (``jobs_recover``), run by any worker, and given up after
  ``max_attempts`` runs, so an input that kills the worker every time fails instead of looping;
- a failure is retried with a growing delay up to ``max_attempts``; ``JobFailed`` (bad or missing input) fails
  at once. The error is kept on the job and, through the handler's ``on_failure``, on its input.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from .models import Job, JobState
from .registry import HANDLERS, SCHEDULES, Handler

log = logging.getLogger(__name__)


class JobFailed(Exception):
    """Bad or missing input: the job fails at once, without retries. ``code`` names the case for the pages."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class LeaseLost(Exception):
    """The worker no longer holds the job (another worker took it over): its writes must be rolled back."""


def lease_seconds() -> float:
    return float(getattr(settings, "BINHDANG_JOB_LEASE_SECONDS", 60))


def _new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


# The id of this process as a worker; renewed leases name it (the worker command sets its own).
WORKER_ID = _new_worker_id()
# Only the worker command renews leases from a thread: in a web request or a test the job runs within the call.
HEARTBEAT = False


def set_worker(worker_id: str | None = None, *, heartbeat: bool = True) -> str:
    global WORKER_ID, HEARTBEAT
    WORKER_ID = worker_id or _new_worker_id()
    HEARTBEAT = heartbeat
    return WORKER_ID


# --- enqueue --------------------------------------------------------------------------------------------------


def _enqueue_task(job: Job, *, delay: float = 0) -> None:
    """Put the job on the queue (a row of django_tasks_db in the same database, so it commits with the job)."""
    from .tasks import job_run

    task = job_run
    if delay and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    result = task.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def job_enqueue(
    *,
    kind: str,
    key: str,
    params: dict[str, Any] | None = None,
    payload: bytes | None = None,
    user: Any = None,
) -> tuple[Job, bool]:
    """The job for this input: the existing one if the input was enqueued before, else a new queued job."""
    if kind not in HANDLERS:
        raise ValueError(f"no job handler named {kind!r}")
    handler = HANDLERS[kind]
    with transaction.atomic():
        job, created = Job.objects.get_or_create(
            key=key[:255],
            defaults={
                "kind": kind,
                "params": params or {},
                "payload": payload,
                "created_by": user if getattr(user, "pk", None) else None,
                "max_attempts": handler.max_attempts,
            },
        )
        if created:
            _enqueue_task(job)
    if created:
        job.refresh_from_db()
    return job, created


# --- run ------------------------------------------------------------------------------------------------------


@dataclass
class JobContext:
    """What a handler gets: the job, and ways to report progress and to finish."""

    job: Job
    worker: str
    finished: bool = field(default=False)

    @property
    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = self.job.params or {}
        return params

    @property
    def final_attempt(self) -> bool:
        return self.job.attempts >= self.job.max_attempts

    def progress(self, percent: int, stage: str = "") -> None:
        Job.objects.filter(pk=self.job.pk, worker=self.worker, state=JobState.RUNNING).update(
            progress=max(0, min(99, percent)), stage=stage[:120], updated_at=timezone.now()
        )

    def finish(self, *, result: Any = None, output: bytes | None = None) -> None:
        """Mark the job succeeded: call it inside the transaction of the handler's writes, as its last step."""
        if not connection.in_atomic_block:
            raise RuntimeError("JobContext.finish must run inside the handler's write transaction")
        done = Job.objects.filter(pk=self.job.pk, worker=self.worker, state=JobState.RUNNING).update(
            state=JobState.SUCCEEDED,
            progress=100,
            stage="",
            error="",
            error_code="",
            result=result,
            output=output,
            # The uploaded file is not needed once the job has ended; its result is kept.
            payload=None,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if done != 1:
            raise LeaseLost(f"job {self.job.pk} is no longer held by {self.worker}")
        self.finished = True


def job_execute(*, job_id: int) -> str:
    """Run one job if it is still queued; what happened, for the task's result."""
    worker = WORKER_ID
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING,
        worker=worker,
        attempts=F("attempts") + 1,
        lease_until=now + dt.timedelta(seconds=lease_seconds()),
        started_at=now,
        updated_at=now,
    )
    if not claimed:
        return "skipped: not queued (finished, or run by another worker)"
    job = Job.objects.get(pk=job_id)
    handler = HANDLERS.get(job.kind)
    if handler is None:
        _give_up(job, None, worker, code="unknown_kind", error=f"no job handler named {job.kind!r}")
        return "failed"
    if job.attempts > job.max_attempts:
        _give_up(
            job,
            handler,
            worker,
            code="crashed",
            error=f"given up after {job.max_attempts} runs that ended without a result (the worker stopped or "
            f"crashed each time)",
        )
        return "failed"
    ctx = JobContext(job=job, worker=worker)
    with _heartbeat(job.pk, worker):
        try:
            handler.run(ctx)
            if not ctx.finished:
                with transaction.atomic():
                    ctx.finish()
        except LeaseLost:
            log.warning("job %s: lease lost, results rolled back", job.pk)
            return "lost"
        except JobFailed as exc:
            _give_up(job, handler, worker, code=exc.code, error=str(exc))
            return "failed"
        except Exception as exc:
            log.exception("job %s (%s) failed on attempt %s", job.pk, job.kind, job.attempts)
            error = f"{type(exc).__name__}: {exc}"
            if job.attempts >= job.max_attempts:
                _give_up(job, handler, worker, code="error", error=error)
                return "failed"
            _retry(job, worker, error=error)
            return "retry"
    return "succeeded"


def _retry(job: Job, worker: str, *, error: str) -> None:
    with transaction.atomic():
        released = Job.objects.filter(pk=job.pk, worker=worker, state=JobState.RUNNING).update(
            state=JobState.QUEUED, worker="", lease_until=None, error=error, updated_at=timezone.now()
        )
        if released:
            # 2 s, 4 s, 8 s ... between attempts: a passing cause (a locked database) has time to clear.
            _enqueue_task(job, delay=2.0**job.attempts)


def _give_up(job: Job, handler: Handler | None, worker: str, *, code: str, error: str) -> None:
    with transaction.atomic():
        # The key is given up with the job, so the same input may be tried again by a new job.
        failed = Job.objects.filter(pk=job.pk, worker=worker, state=JobState.RUNNING).update(
            state=JobState.FAILED,
            error=error,
            error_code=code[:40],
            progress=100,
            stage="",
            key=f"failed:{job.pk}:{job.key}"[:255],
            payload=None,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if failed and handler is not None and handler.on_failure is not None:
            handler.on_failure(job, error)


@contextmanager
def _heartbeat(job_id: int, worker: str) -> Iterator[None]:
    """Renew the job's lease from a thread while the handler runs (it may hold the database for a while)."""
    if not HEARTBEAT:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(lease_seconds() / 3):
                try:
                    Job.objects.filter(pk=job_id, worker=worker, state=JobState.RUNNING).update(
                        lease_until=timezone.now() + dt.timedelta(seconds=lease_seconds())
                    )
                except Exception:  # a locked SQLite file: the next beat tries again
                    log.warning("job %s: could not renew the lease", job_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-{job_id}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


# --- recovery and schedules (the worker's sweep) ----------------------------------------------------------------


# A task id no row has: a job without a task row matches none.
_NO_TASK = "00000000-0000-0000-0000-000000000000"


def jobs_recover(*, now: dt.datetime | None = None) -> list[int]:
    """Queue again the jobs whose worker died (lease ran out); the ids queued again."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    requeued: list[int] = []
    for job in Job.objects.filter(state=JobState.RUNNING, lease_until__lt=now):
        with transaction.atomic():
            taken = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, lease_until__lt=now).update(
                state=JobState.QUEUED,
                worker="",
                lease_until=None,
                error=f"the worker {job.worker} stopped during run {job.attempts}; queued again",
                updated_at=now,
            )
            if taken:
                # The dead worker's task row would say "running" for ever; say what happened to it.
                DBTaskResult.objects.filter(pk=job.task_id or _NO_TASK, status="RUNNING").update(
                    status="FAILED",
                    finished_at=now,
                    exception_class_path="binhdang.jobs.services.WorkerLost",
                    traceback=f"worker {job.worker} stopped; job {job.pk} queued again",
                )
                _enqueue_task(job)
                requeued.append(job.pk)
    # A worker that died between taking the task row and claiming the job leaves a queued job no task will run.
    # A task row taken within the lease belongs to a live worker about to claim the job: leave it be.
    stale = now - dt.timedelta(seconds=lease_seconds())
    for job in Job.objects.filter(state=JobState.QUEUED, updated_at__lt=stale):
        pending = DBTaskResult.objects.filter(pk=job.task_id or _NO_TASK).filter(
            Q(status="READY") | Q(status="RUNNING", started_at__gte=stale)
        )
        if not pending.exists():
            with transaction.atomic():
                if Job.objects.filter(pk=job.pk, state=JobState.QUEUED, updated_at__lt=stale).update(updated_at=now):
                    _enqueue_task(job)
                    requeued.append(job.pk)
    if requeued:
        log.warning("queued again after a worker stopped: jobs %s", requeued)
    return requeued


def jobs_schedule(*, now: dt.datetime | None = None) -> list[Job]:
    """Enqueue each schedule's run of today once it is due; the key (kind and date) makes it once per cluster."""
    local = timezone.localtime(now or timezone.now())
    created: list[Job] = []
    for schedule in SCHEDULES.values():
        if local.time() < schedule.at():
            continue
        key = f"schedule:{schedule.kind}:{local.date().isoformat()}"
        # A run that failed for good keeps its key with a "failed:" prefix: the day's run is still done.
        if Job.objects.filter(key__endswith=key).exists():
            continue
        job, new = job_enqueue(kind=schedule.kind, key=key, params=schedule.params(local.date()))
        if new:
            created.append(job)
    return created


def jobs_sweep() -> None:
    """One round of the worker's housekeeping; errors are logged, the next round tries again."""
    try:
        jobs_recover()
        jobs_schedule()
    except Exception:
        log.exception("job sweep failed")
    finally:
        close_old_connections()
