"""Template filters for a report's status as a person reads it (binhdang.reporting.status)."""

from __future__ import annotations

from django import template

from binhdang.reporting import status
from binhdang.reporting.models import Report

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
