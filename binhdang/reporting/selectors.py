"""Reads of the reporting cycle, scoped by permission (docs/permissions.md, docs/reporting.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from binhdang.places.models import AdministrativeUnit, Agency
from binhdang.places.selectors import standing_agency_of, units_in_scope_ids, user_agency, user_is_admin
from binhdang.plans.models import Plan
from binhdang.plans.selectors import plan_can_edit, plan_ids_visible_to, plans_visible_to

from .models import Period, Report


def acceptor_of(plan: Plan) -> Agency | None:
    """The standing agency that accepts reports of this plan: its unit's, or a successor unit's for old units."""
    agency = standing_agency_of(plan.unit)
    if agency is not None:
        return agency
    for successor in plan.unit.successors.all():
        agency = standing_agency_of(successor)
        if agency is not None:
            return agency
    return None


def reports_visible_to(user: Any) -> QuerySet[Report]:
    reports = Report.objects.select_related("period__plan__unit", "reporter", "unit")
    if user_is_admin(user):
        return reports
    agency = user_agency(user)
    if agency is None:
        return reports.none()
    scope = units_in_scope_ids(user) or set()
    plan_ids = plan_ids_visible_to(user) or set()
    return reports.filter(Q(reporter=agency) | Q(unit_id__in=scope, period__plan_id__in=plan_ids))


def report_can_edit(user: Any, report: Report) -> bool:
    """The reporter; and the standing agency above for a lower-level committee's report, since communes often
    send their figures as an Excel file by e-mail and the province enters them (the audit trail names who)."""
    if user_is_admin(user):
        return True
    agency = user_agency(user)
    if agency is None:
        return False
    return agency.pk == report.reporter_id or (report.is_committee and report_can_decide(user, report))


def report_can_submit(user: Any, report: Report) -> bool:
    """Only the reporter sends its report: figures entered on its behalf still need its own confirmation."""
    if user_is_admin(user):
        return True
    agency = user_agency(user)
    return agency is not None and agency.pk == report.reporter_id


def report_can_decide(user: Any, report: Report) -> bool:
    """Return, accept and re-open belong to the standing agency of the plan's level (and administrators)."""
    if user_is_admin(user):
        return True
    agency = user_agency(user)
    acceptor = acceptor_of(report.period.plan)
    return agency is not None and acceptor is not None and agency.pk == acceptor.pk


def periods_visible_to(user: Any, plan: Plan | None = None) -> QuerySet[Period]:
    periods = Period.objects.select_related("plan").filter(plan__in=plans_visible_to(user))
    return periods.filter(plan=plan) if plan is not None else periods


def user_reports(user: Any) -> QuerySet[Report]:
    """The reports the user's agency must fill in, newest period first (the current one at the top, issue 14)."""
    agency = user_agency(user)
    if agency is None:
        return Report.objects.none()
    return Report.objects.select_related("period__plan", "unit").filter(reporter=agency).order_by("-period__due", "-pk")


def unit_label(unit: AdministrativeUnit) -> str:
    return unit.name


def can_see_compiled(user: Any, plan: Plan) -> bool:
    """The plan's overseers: administrators, its editors and its acceptor agency. They see the compiled view,
    every reporter's row of a period (send times included) and every inspection finding; anyone else sees the
    rows and findings of its own scope only (docs/permissions.md)."""
    if user_is_admin(user) or plan_can_edit(user, plan):
        return True
    agency = user_agency(user)
    acceptor = acceptor_of(plan)
    return agency is not None and acceptor is not None and agency.pk == acceptor.pk


def report_rows_visible(user: Any, plan: Plan, reports: list[Report]) -> list[Report]:
    """The rows of a period or completeness table the user may see: all for an overseer, else its own."""
    if can_see_compiled(user, plan):
        return reports
    visible = set(reports_visible_to(user).filter(pk__in=[r.pk for r in reports]).values_list("pk", flat=True))
    return [r for r in reports if r.pk in visible]
