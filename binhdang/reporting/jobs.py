"""Reporting's background jobs: a period's workbook import (every commune of a period at once) and the daily
reminders, a scheduled job run once a day for the whole cluster (not a cron line per server)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from binhdang.jobs.models import Job
from binhdang.jobs.registry import job_handler, job_schedule
from binhdang.jobs.services import JobContext, JobFailed, job_enqueue

from .models import Period, Report
from .reminders import reminders_send, summary_counts
from .spreadsheets import ImportResult, workbook_import


def period_import_enqueue(*, user: Any, period: Period, data: bytes, filename: str, back: str) -> Job:
    """The job importing this file into this period. The key is the file and the reports' versions at upload:
    the same upload sent twice is one import; the same file uploaded after the reports changed is a new one."""
    versions = list(Report.objects.filter(period=period).order_by("pk").values_list("pk", "version"))
    digest = hashlib.sha256(data + repr(versions).encode()).hexdigest()
    job, _created = job_enqueue(
        kind="reporting.workbook_import",
        key=f"reporting.workbook_import:{period.pk}:{user.pk}:{digest}",
        params={
            "period_id": period.pk,
            "user_id": user.pk,
            "filename": filename[:200],
            "title": _("Nhập tệp Excel %(name)s") % {"name": filename[:200]},
            "back": back,
            "lang": translation.get_language() or settings.LANGUAGE_CODE,
        },
        payload=data,
        user=user,
    )
    return job


def import_result_json(result: ImportResult, *, filename: str, english: bool = False) -> dict[str, Any]:
    """An import's outcome as the job keeps it: the page lists the errors as the upload form did."""
    if result.ok:
        done = _("Đã nhập số liệu từ tệp %(name)s: %(n)s báo cáo được cập nhật.")
        same = _("Tệp không có gì khác với số liệu hiện có; không có thay đổi nào.")
        message = done % {"name": filename, "n": len(result.saved)} if result.saved else same
    else:
        message = ""
    return {
        "ok": result.ok,
        "saved": len(result.saved),
        "message": message,
        "errors": [
            {"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message_en if english else e.message}
            for e in result.errors
        ],
        "warnings": [w.english() if english else str(w) for w in result.warnings],
    }


@job_handler("reporting.workbook_import", max_attempts=3)
def period_import(ctx: JobContext) -> None:
    params = ctx.params
    user = get_user_model().objects.filter(pk=int(params.get("user_id") or 0), is_active=True).first()
    period = Period.objects.filter(pk=int(params.get("period_id") or 0)).first()
    data = Job.objects.filter(pk=ctx.job.pk).values_list("payload", flat=True).first()
    if user is None or period is None or not data:
        raise JobFailed("input_gone", "the period, the user or the uploaded file was deleted before the import")
    ctx.progress(10, "reading")
    language = str(params.get("lang") or settings.LANGUAGE_CODE)
    with translation.override(language), transaction.atomic():
        # The import's writes and the job's result commit together: a killed import leaves no row behind.
        result = workbook_import(user=user, data=bytes(data), period=period)
        filename = str(params.get("filename") or "")
        ctx.finish(result=import_result_json(result, filename=filename, english=language.startswith("en")))


def _reminder_time() -> dt.time:
    try:
        return dt.time.fromisoformat(settings.BINHDANG_REMINDER_TIME)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"BINHDANG_REMINDER_TIME must be a time written HH:MM, got {settings.BINHDANG_REMINDER_TIME!r}"
        ) from exc


@job_handler("reporting.reminders", max_attempts=3)
def reminders(ctx: JobContext) -> None:
    # Each reminder is recorded with its sending (reminders.py), so a retried or resumed run sends only the rest.
    today = dt.date.fromisoformat(str(ctx.params["day"]))
    sent = reminders_send(today=today, within_days=int(ctx.params.get("days") or settings.BINHDANG_REMINDER_DAYS))
    with transaction.atomic():
        ctx.finish(result={"sent": len(sent), "by_kind": summary_counts(sent)})


job_schedule(
    "reporting.reminders",
    at=_reminder_time,
    params=lambda day: {"day": day.isoformat(), "days": settings.BINHDANG_REMINDER_DAYS},
)
