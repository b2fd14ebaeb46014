"""Reads of the reporting cycle, scoped by permission (docs/permissions.md, docs/reporting.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from binhdang.places.models import AdministrativeUnit, Agency
from binhdang.places.selectors import standing_agency_of, units_in_scope_ids, user_agency, user_is_admin
from binhdang.plans.locks import Hold
from binhdang.plans.models import Plan
from binhdang.plans.selectors import plan_can_edit, plan_ids_visible_to, plans_visible_to

from .checks import Entry
from .models import Period, Progress, Report, ReportStatus, Spending, Value


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


def acceptor_of_report(report: Report) -> Agency | None:
    """Who accepts this report: the plan's acceptor, unless that is the reporter itself — nobody accepts a
    report of their own agency — in which case the standing agency of the nearest unit above that has one.
    None when there is none above (a province's own report): then only an administrator of another agency
    decides it (docs/permissions.md, "Separation of duties")."""
    plan = report.period.plan
    acceptor = acceptor_of(plan)
    if acceptor is None or acceptor.pk != report.reporter_id:
        return acceptor
    unit = plan.unit.parent
    while unit is not None:
        above = standing_agency_of(unit)
        if above is not None and above.pk != report.reporter_id:
            return above
        unit = unit.parent
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
    """Return, accept and re-open belong to the report's acceptor (`acceptor_of_report`) and administrators,
    never to a member of the reporting agency itself, administrator or not: re-opening one's own accepted
    report, changing it and accepting it again would change an official figure with no second person."""
    agency = user_agency(user)
    if agency is not None and agency.pk == report.reporter_id:
        return False
    if user_is_admin(user):
        return True
    acceptor = acceptor_of_report(report)
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


def _holding(kind: str, ids: frozenset[int]) -> QuerySet[Report]:
    """Reports that hang on the plans, indicators or tasks: with figures for them, or sent with them."""
    sent = ~Q(status=ReportStatus.DRAFT)
    if kind == "plan":
        return Report.objects.filter(period__plan_id__in=ids).filter(
            sent
            | Q(pk__in=Value.objects.values("report_id"))
            | Q(pk__in=Progress.objects.values("report_id"))
            | Q(pk__in=Spending.objects.values("report_id"))
        )
    if kind == "indicator":
        return Report.objects.filter(
            Q(pk__in=Value.objects.filter(indicator_id__in=ids).values("report_id"))
            | (sent & Q(indicator_lines__indicator_id__in=ids))
        )
    if kind == "task":
        return Report.objects.filter(
            Q(pk__in=Progress.objects.filter(task_id__in=ids).values("report_id"))
            | Q(pk__in=Spending.objects.filter(task_id__in=ids).values("report_id"))
            | (sent & Q(task_lines__task_id__in=ids))
        )
    raise ValueError(f"unknown plan part kind {kind!r}")


def reports_holding(kind: str, ids: frozenset[int]) -> Hold:
    """The plans app's lock probe (plans/locks.py): how many reports hang on the parts, how many accepted,
    and which agencies can re-open the accepted ones."""
    if not ids:
        return Hold()
    holding = _holding(kind, ids).distinct()
    reports = holding.count()
    if not reports:
        return Hold()
    accepted = list(holding.filter(status=ReportStatus.ACCEPTED).select_related("period__plan__unit", "reporter")[:200])
    names = set()
    for report in accepted:
        acceptor = acceptor_of_report(report)
        if acceptor is not None:  # none: only an administrator re-opens it, which the edge's message says
            names.add(acceptor.name)
    count_accepted = holding.filter(status=ReportStatus.ACCEPTED).count()
    return Hold(reports, count_accepted, tuple(sorted(names)))


def accepted_history(report: Report, indicator_ids: Iterable[int]) -> dict[tuple[int, str], list[Entry]]:
    """The reporter's accepted entries of these indicators in earlier periods of the same kind, per (indicator,
    sex), oldest first: the history the outlier flag (reporting/outliers.py) judges a new figure by. One query for
    the whole report, however many fields it has.

    Same reporter and unit: another agency of the same province may report the same indicator for its own
    field. Same kind of period: a 6-month count is about half of a year's, so mixing them would make every
    annual figure look far from a median pulled down by the 6-month ones (docs/reporting.md)."""
    rows = (
        Value.objects.filter(
            report__reporter_id=report.reporter_id,
            report__unit_id=report.unit_id,
            report__status=ReportStatus.ACCEPTED,
            report__period__kind=report.period.kind,
            report__period__due__lt=report.period.due,
            indicator_id__in=list(indicator_ids),
            combo="",  # the totals' history; a part is judged by no history (yet)
        )
        .exclude(report_id=report.pk)
        .order_by("report__period__due", "pk")
        .values_list("indicator_id", "sex", "value", "numerator", "denominator")
    )
    history: dict[tuple[int, str], list[Entry]] = {}
    for indicator_id, sex, value, numerator, denominator in rows:
        history.setdefault((indicator_id, sex), []).append(Entry(indicator_id, sex, value, numerator, denominator))
    return history
