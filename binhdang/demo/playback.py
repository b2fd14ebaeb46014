"""One period of the labelled synthetic reporting history (binhdang/demo/history.py), played through the real
reporting services, with synthetic back-dating.

The services stamp "now"; the history needs the days it pretends to be, so right after each call the timestamps
(and the lateness that follows from them) are back-dated with a queryset ``update()``, marked "synthetic
back-dating" where it happens.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from binhdang.plans.models import SYNTHETIC_LABEL as LABEL
from binhdang.plans.models import Plan
from binhdang.reporting.models import AuditEvent, Notice, Period, Report, ReportStatus
from binhdang.reporting.selectors import report_can_decide
from binhdang.reporting.services import report_accept, report_return, report_save, report_submit

from .figures import report_entries, report_progress, report_spending, report_summary

_RETURN_COMMENTS = (
    "Đề nghị bổ sung số liệu tách biệt theo giới và ghi rõ nguồn số liệu.",
    "Số liệu một số chỉ tiêu chưa khớp với báo cáo kỳ trước; đề nghị rà soát, giải trình.",
    "Báo cáo chưa nêu khó khăn, vướng mắc và đề xuất, kiến nghị; đề nghị bổ sung.",
)


@dataclass
class HistoryContext:
    plan: Plan
    today: dt.date
    decider: Any
    actors: dict[int, Any]
    fallback: Any
    keep_untouched: set[int] = field(default_factory=set)  # report ids left as untouched drafts

    def actor(self, agency_id: int) -> Any:
        return self.actors.get(agency_id, self.fallback)


# --- one period ----------------------------------------------------------------------------------------------


def latest_past(periods: list[Period], today: dt.date) -> Period | None:
    past = [p for p in periods if p.due < today]
    return max(past, key=lambda p: (p.due, p.pk)) if past else None


def play_period(context: HistoryContext, period: Period, *, latest: bool) -> None:
    """Decide, deterministically, what each reporter did in this period, and do it through the services."""
    seed = f"binhdang-demo:{context.plan.unit.code}:{period.kind}:{period.year}:{period.number}"
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    reports = [
        r
        for r in Report.objects.filter(period=period)
        .select_related("reporter", "unit")
        .order_by("reporter__name_key", "pk")
        if r.status == ReportStatus.DRAFT and r.version == 1 and r.pk not in context.keep_untouched
    ]
    rng.shuffle(reports)
    n = len(reports)
    if not n:
        return
    if period.due >= context.today:
        # The period still runs: some have sent already, some have a draft, the rest have not started.
        sent, drafted = round(n * 0.3), round(n * 0.3)
        for report in reports[:sent]:
            day = _on_time_day(period, rng, last=context.today - dt.timedelta(days=1))
            _submit(context, report, period, rng, day, accept=rng.random() < 0.5)
        for report in reports[sent : sent + drafted]:
            _save(context, report, period, rng, moment(context.today - dt.timedelta(days=rng.randint(1, 5)), 10))
        return
    missing = max(1, round(n * 0.1))
    late = max(1, round(n * 0.15))
    returned = max(1, round(n * 0.1))
    returned_open = 1 if latest and n > 6 else 0
    awaiting = 2 if latest and n > 8 else 0
    plan_of: list[str] = (
        ["missing"] * missing
        + ["late"] * late
        + ["returned"] * returned
        + ["returned_open"] * returned_open
        + ["awaiting"] * awaiting
    )
    plan_of += ["on_time"] * max(0, n - len(plan_of))
    for report, fate in zip(reports, plan_of, strict=False):
        if fate == "missing":
            if rng.random() < 0.5:  # a draft begun and never sent
                _save(context, report, period, rng, moment(period.due - dt.timedelta(days=rng.randint(1, 6)), 15))
            continue
        if fate == "late":
            day = min(period.due + dt.timedelta(days=rng.randint(2, 25)), context.today)
        else:
            day = _on_time_day(period, rng)
        if fate in ("returned", "returned_open"):
            _submit(context, report, period, rng, day, accept=False)
            back = _later(day, rng.randint(1, 3), context.today)
            _return(context, report, rng, back)
            if fate == "returned":
                again = _later(back, rng.randint(2, 6), context.today)
                _resubmit(context, report, period, again, accept=_later(again, rng.randint(1, 4), context.today))
            continue
        _submit(context, report, period, rng, day, accept=fate != "awaiting")


# --- the services, with synthetic back-dating ----------------------------------------------------------------


def moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_current_timezone())


def _later(day: dt.date, days: int, today: dt.date) -> dt.date:
    return min(day + dt.timedelta(days=days), today)


def _on_time_day(period: Period, rng: random.Random, last: dt.date | None = None) -> dt.date:
    first = max(period.data_to + dt.timedelta(days=1), period.due - dt.timedelta(days=12))
    last = min(period.due, last) if last is not None else period.due
    if last < first:
        return last
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _last_event(report: Report) -> tuple[int, int]:
    """Where the report's audit trail and the notices stand before a service call."""
    event = AuditEvent.objects.filter(report=report).order_by("-pk").values_list("pk", flat=True).first()
    notice = Notice.objects.order_by("-pk").values_list("pk", flat=True).first()
    return event or 0, notice or 0


def _backdate(report: Report, since: tuple[int, int], when: dt.datetime, **fields: Any) -> None:
    # Synthetic back-dating: the services stamp "now"; the demo history needs the day it pretends to be.
    # Never later than now: a step dated "today at 16:00" run in the morning would be a time in the future.
    now = timezone.now()
    when = min(when, now)
    fields = {k: min(v, now) if isinstance(v, dt.datetime) else v for k, v in fields.items()}
    Report.objects.filter(pk=report.pk).update(updated_at=when, **fields)
    AuditEvent.objects.filter(report=report, pk__gt=since[0]).update(at=when)
    # The workflow's notices of that day: labelled, dated and already read, so a demo user's inbox is not
    # flooded with years of simulated history as if it were news.
    Notice.objects.filter(pk__gt=since[1], url=reverse("report-detail", args=[report.pk])).update(
        text=Concat(Value(f"{LABEL} "), F("text")), created_at=when, read_at=when
    )


def _save(context: HistoryContext, report: Report, period: Period, rng: random.Random, when: dt.datetime) -> Report:
    since = _last_event(report)
    report = report_save(
        report=report,
        user=context.actor(report.reporter_id),
        version=report.version,
        entries=report_entries(context.plan, report, period, rng),
        progress=report_progress(report, period, rng),
        spending=report_spending(report, rng),
        summary=report_summary(report, period, rng),
    )
    _backdate(report, since, when)
    return report


def _submit(
    context: HistoryContext, report: Report, period: Period, rng: random.Random, day: dt.date, *, accept: bool
) -> Report:
    hour = rng.randint(8, 16)
    report = _save(context, report, period, rng, moment(day, hour, rng.randint(0, 29)))
    since = _last_event(report)
    report = report_submit(report=report, user=context.actor(report.reporter_id), version=report.version)
    when = moment(day, hour, rng.randint(30, 59))
    _backdate(report, since, when, submitted_at=when, late=day > period.due)
    if accept:
        _accept(context, report, _later(day, rng.randint(1, 8), context.today))
    return report


def _resubmit(context: HistoryContext, report: Report, period: Period, day: dt.date, *, accept: dt.date) -> None:
    report.refresh_from_db()
    since = _last_event(report)
    report = report_save(
        report=report,
        user=context.actor(report.reporter_id),
        version=report.version,
        summary=f"{report.summary} Đã bổ sung, chỉnh sửa theo ý kiến của cơ quan thường trực.",
    )
    report = report_submit(report=report, user=context.actor(report.reporter_id), version=report.version)
    when = moment(day, 9, 30)
    _backdate(report, since, when, submitted_at=when)  # timeliness stays that of the first submission
    _accept(context, report, accept)


def _return(context: HistoryContext, report: Report, rng: random.Random, day: dt.date) -> None:
    since = _last_event(report)
    report.refresh_from_db(fields=["version"])  # the history is played on objects read before the last step
    report_return(
        report=report, user=_decider(context, report), comment=rng.choice(_RETURN_COMMENTS), version=report.version
    )
    when = moment(day, 14)
    _backdate(report, since, when, decided_at=when)


def _decider(context: HistoryContext, report: Report) -> Any:
    """The standing agency's user; for the standing agency's own report (nobody decides their own agency's) the
    synthetic account, an administrator of no agency."""
    return context.decider if report_can_decide(context.decider, report) else context.fallback


def _accept(context: HistoryContext, report: Report, day: dt.date) -> None:
    since = _last_event(report)
    report.refresh_from_db(fields=["version"])
    report_accept(report=report, user=_decider(context, report), version=report.version)
    when = moment(day, 16)
    _backdate(report, since, when, decided_at=when)
