"""“Việc cần làm”: what the signed-in user has to do today, and “Việc của đơn vị”: what the unit must report.

Selectors only (reads, scoped by permission). The home page (web/views/todo.py) renders what `todo_for`
returns; every list is newest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from binhdang.places.models import Agency
from binhdang.places.selectors import user_agency, user_is_admin
from binhdang.plans.models import Indicator, Plan, PlanStatus, Task
from binhdang.plans.selectors import agency_work, plans_visible_to

from .models import Finding, FindingStatus, Report, ReportIndicator, ReportStatus, ReportTask
from .selectors import report_can_decide, reports_visible_to


@dataclass(frozen=True)
class DueReport:
    """A report the user's unit still has to send, with the days left before its deadline (negative: overdue)."""

    report: Report
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return -self.days_left


@dataclass
class Todo:
    agency: Agency | None
    is_admin: bool
    due: list[DueReport] = field(default_factory=list)
    returned: list[DueReport] = field(default_factory=list)
    to_review: list[Report] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    plans_to_accept: list[Plan] = field(default_factory=list)

    @property
    def count(self) -> int:
        lists = (self.due, self.returned, self.to_review, self.findings, self.plans_to_accept)
        return sum(len(items) for items in lists)


def days_left(report: Report, today: dt.date) -> int:
    return (report.period.due - today).days


def _own_open_reports(agency: Agency, today: dt.date) -> list[Report]:
    """The unit's unsent reports of open periods that have begun (a 2030 period is not today's work)."""
    return list(
        Report.objects.select_related("period__plan", "unit", "reporter")
        .filter(
            reporter=agency,
            status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED),
            period__closed=False,
            period__data_from__lte=today,
        )
        .order_by("-period__due", "-pk")
    )


def reports_to_review(user: Any) -> list[Report]:
    """Submitted reports this user decides on (the plan's standing agency, or an administrator), newest first."""
    waiting = reports_visible_to(user).filter(status=ReportStatus.SUBMITTED).order_by("-submitted_at", "-pk")
    decides: dict[int, bool] = {}
    result = []
    for report in waiting:
        plan_id = report.period.plan_id
        if plan_id not in decides:
            decides[plan_id] = report_can_decide(user, report)
        if decides[plan_id]:
            result.append(report)
    return result


def open_findings_for(agency: Agency) -> list[Finding]:
    """Open inspection findings addressed to the agency, or to its unit without naming an agency."""
    return list(
        Finding.objects.select_related("inspection__plan", "unit", "agency")
        .filter(status=FindingStatus.OPEN)
        .filter(Q(agency=agency) | Q(agency__isnull=True, unit_id=agency.unit_id))
        .order_by("-inspection__starts_on", "-pk")
    )


def plans_to_accept(user: Any, agency: Agency | None) -> list[Plan]:
    """Draft plans of the units below that carry out a plan of the user's unit: the lower level's plans the
    user's unit has to see through to issue (docs/decisions.md, "Việc cần làm"). Administrators see them all."""
    drafts = plans_visible_to(user).filter(status=PlanStatus.DRAFT, parent__isnull=False)
    if not user_is_admin(user):
        if agency is None:
            return []
        drafts = drafts.filter(parent__unit_id=agency.unit_id).exclude(unit_id=agency.unit_id)
    return list(drafts.select_related("parent").order_by("-year_start", "-pk"))


def todo_for(user: Any, today: dt.date) -> Todo:
    agency = user_agency(user)
    todo = Todo(agency=agency, is_admin=user_is_admin(user))
    if agency is None and not todo.is_admin:
        return todo
    if agency is not None:
        for report in _own_open_reports(agency, today):
            item = DueReport(report, days_left(report, today))
            (todo.returned if report.status == ReportStatus.RETURNED else todo.due).append(item)
        todo.findings = open_findings_for(agency)
    todo.to_review = reports_to_review(user)
    todo.plans_to_accept = plans_to_accept(user, agency)
    return todo


# --- "Việc của đơn vị" ---------------------------------------------------------------------------------------


def unit_work(user: Any, agency: Agency) -> dict[str, Any]:
    """Everything the agency is asked to do: what plans assign to it by name (plans.selectors.agency_work) and
    what its reports ask for.

    A commune's standing office reports as its People's Committee for the plans above that address "the
    lower-level committees" (reporting.services.reporters_for): those indicators and tasks are on its report
    but assigned to no agency of its own, so the plans' assignments alone showed the commune nothing to do.
    """
    work = agency_work(user, agency)
    reports = Report.objects.filter(reporter=agency)
    indicator_ids = set(ReportIndicator.objects.filter(report__in=reports).values_list("indicator_id", flat=True)) - {
        ind.pk for ind in work["indicators"]
    }
    task_ids = set(ReportTask.objects.filter(report__in=reports).values_list("task_id", flat=True)) - {
        task.pk for task in work["tasks"]
    }
    if indicator_ids:
        work["indicators"] = work["indicators"] + list(
            Indicator.objects.filter(pk__in=indicator_ids)
            .select_related("plan")
            .prefetch_related("targets")
            .order_by("-plan__year_start", "plan_id", "order")
        )
    if task_ids:
        work["tasks"] = work["tasks"] + list(
            Task.objects.filter(pk__in=task_ids)
            .select_related("plan")
            .prefetch_related("assignments__agency")
            .order_by("-plan__year_start", "plan_id", "order")
        )
    return work
