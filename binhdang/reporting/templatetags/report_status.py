"""Template filters for a report's status as a person reads it (binhdang.reporting.status)."""

from __future__ import annotations

import datetime as dt

from django import template

from binhdang.reporting import status
from binhdang.reporting.models import Period, Report

register = template.Library()


@register.filter
def status_code(report: Report) -> str:
    return status.status_code(report)


@register.filter
def status_label(report: Report) -> str:
    return status.status_label(status.status_code(report))


@register.filter
def decision_label(report: Report) -> str:
    return status.decision_label(report) or ""


@register.filter
def overdue_on(report: Report, today: dt.date) -> bool:
    """`{% if report|overdue_on:today %}`: Report.overdue, the one rule, for a template."""
    return report.overdue(today)


@register.filter
def past_due_on(period: Period, today: dt.date) -> bool:
    return period.past_due(today)
