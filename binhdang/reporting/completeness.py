"""Reporting completeness and timeliness per period and reporter, as DHIS2 counts reporting rates.

expected: reports the period asks for. submitted: sent and not returned (submitted or accepted).
on_time / late: of those, sent by the deadline or after it. missing: not submitted (never, or returned and
not sent again) once the deadline has passed. pending: not submitted while the deadline is still ahead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from binhdang.plans.models import Plan

from .models import Period, Report


@dataclass
class Rate:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0

    @property
    def percent_submitted(self) -> float | None:
        return round(100 * self.submitted / self.expected, 1) if self.expected else None

    @property
    def percent_on_time(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None

    def add(self, state: str) -> None:
        self.expected += 1
        if state in ("on_time", "late"):
            self.submitted += 1
        setattr(self, state, getattr(self, state) + 1)


@dataclass
class PeriodCompleteness:
    period: Period
    rate: Rate
    rows: list[tuple[Report, str]] = field(default_factory=list)


def _count(entry: PeriodCompleteness, report: Report, today: dt.date) -> None:
    state = report.state(today)
    entry.rate.add(state)
    entry.rows.append((report, state))


def _reports() -> QuerySet[Report]:
    return Report.objects.select_related("period", "reporter", "unit")


def plan_completeness(plan: Plan, today: dt.date) -> list[PeriodCompleteness]:
    """Every period of the plan, by deadline; in each, its reports by unit and reporter name."""
    periods = {p.pk: PeriodCompleteness(p, Rate()) for p in Period.objects.filter(plan=plan).order_by("due")}
    for report in _reports().filter(period__plan=plan).order_by("unit__name", "reporter__name"):
        _count(periods[report.period_id], report, today)
    return list(periods.values())


def period_completeness(period: Period, today: dt.date) -> PeriodCompleteness:
    """One period; the agencies' reports first, then the lower-level committees', each by unit and name."""
    entry = PeriodCompleteness(period, Rate())
    for report in _reports().filter(period=period).order_by("is_committee", "unit__name", "reporter__name"):
        _count(entry, report, today)
    return entry


def _reporter_label(report: Report) -> str:
    # Lower committees' standing agencies share names ("Phòng Lao động - ..."): the unit tells them apart.
    return f"{report.reporter.name} ({report.unit.name})" if report.is_committee else report.reporter.name


def status_rows(plans: list[Plan], today: dt.date) -> list[dict[str, object]]:
    """The same figures as plain rows, for `binhdang report status --json` and CSV downloads."""
    rows: list[dict[str, object]] = []
    for plan in plans:
        for item in plan_completeness(plan, today):
            rows.append(
                {
                    "plan": plan.code or plan.title[:60],
                    "period": item.period.label,
                    "due": item.period.due.isoformat(),
                    "expected": item.rate.expected,
                    "submitted": item.rate.submitted,
                    "on_time": item.rate.on_time,
                    "late": item.rate.late,
                    "missing": item.rate.missing,
                    "pending": item.rate.pending,
                    "missing_reporters": [_reporter_label(r) for r, state in item.rows if state == "missing"],
                }
            )
    return rows
