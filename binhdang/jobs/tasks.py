"""The one task the queue carries: run a job. Everything else (claiming, retries, leases) is services.py."""

from __future__ import annotations

from django_tasks import task


@task()
def job_run(job_id: int) -> str:
    from .services import job_execute

    return job_execute(job_id=job_id)
