"""Reads for the dashboards, scoped by permission: a dashboard exists only for a plan the user may see.

A plan's dashboard shows the plan's own figures (its unit, rolled up). A unit's dashboard also needs the unit
to be within the user's scope (its unit, the units below, and their historic predecessors).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from binhdang.places.models import AdministrativeUnit
from binhdang.places.selectors import units_in_scope_ids
from binhdang.plans.models import Plan
from binhdang.plans.selectors import plans_visible_to
from binhdang.reporting.models import Report


def dashboard_plan(user: Any, pk: int) -> Plan | None:
    return plans_visible_to(user).filter(pk=pk).first()


def dashboard_plans(user: Any) -> QuerySet[Plan]:
    return plans_visible_to(user).order_by("-year_start", "unit__name", "code")


def dashboard_unit(user: Any, pk: int) -> AdministrativeUnit | None:
    scope = units_in_scope_ids(user)
    if scope is not None and pk not in scope:
        return None
    return AdministrativeUnit.objects.select_related("parent").filter(pk=pk).first()


def completeness_reports(user: Any, plan: Plan) -> list[Report]:
    """The plan's reports for the completeness heat map, limited to units the user may see."""
    reports = Report.objects.filter(period__plan=plan).select_related("period", "reporter", "unit")
    scope = units_in_scope_ids(user)
    if scope is not None:
        reports = reports.filter(unit_id__in=scope)
    return list(reports.order_by("unit__name", "reporter__name"))
