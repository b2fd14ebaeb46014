"""The queue's own housekeeping, a daily scheduled job: made files and old task rows do not pile up."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Job, JobState
from .registry import job_handler, job_schedule
from .services import JobContext

# Kinds whose result is a made file: the whole job goes after a day (asking again makes the file anew).
FILE_KINDS = ("documents.pdf",)


def jobs_prune(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete made files older than a day and finished task rows older than BINHDANG_JOB_KEEP_DAYS; the counts.
    The jobs themselves (who read or imported what, and how it ended) are kept."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    finished = (JobState.SUCCEEDED, JobState.FAILED)
    files, _ = Job.objects.filter(
        kind__in=FILE_KINDS, state__in=finished, finished_at__lt=now - dt.timedelta(days=1)
    ).delete()
    keep = dt.timedelta(days=int(getattr(settings, "BINHDANG_JOB_KEEP_DAYS", 30)))
    tasks, _ = DBTaskResult.objects.filter(status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=now - keep).delete()
    return {"files": files, "tasks": tasks}


@job_handler("jobs.prune", max_attempts=2)
def prune(ctx: JobContext) -> None:
    with transaction.atomic():
        counts = jobs_prune()
        ctx.finish(result=counts)


job_schedule("jobs.prune", at=lambda: dt.time(3, 0), params=lambda day: {"day": day.isoformat()})
