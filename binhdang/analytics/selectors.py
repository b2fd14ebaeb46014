"""Reads for the dashboards, scoped by permission: a dashboard exists only for a plan the user may see.

A plan's dashboard shows the plan's own figures (its unit, rolled up). A unit's dashboard also needs the unit
to be within the user's scope (its unit, the units below, and their historic predecessors).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from binhdang.places.models import AdministrativeUnit
from binhdang.places.selectors import (
    remembered,
    unit_descendant_ids,
    unit_successor_ids,
    units_in_scope_ids,
    user_agency,
)
from binhdang.plans.models import Plan
from binhdang.plans.selectors import plans_visible_to
from binhdang.reporting.models import Report


def dashboard_plan(user: Any, pk: int) -> Plan | None:
    return plans_visible_to(user).filter(pk=pk).first()


def dashboard_plans(user: Any) -> QuerySet[Plan]:
    return plans_visible_to(user).order_by("-year_start", "unit__name", "code")


def dashboard_unit_ids(user: Any) -> set[int] | None:
    """Units whose dashboards the user may open: the units in scope; and, for a user whose own unit no longer exists
    (abolished or merged in 2025), the units that took over those in scope and the units below the one that took
    over the user's own unit.

    A standing agency registered in its pre-2025 province (Thái Nguyên before the merger) reads its plan's
    figures on today's province and communes, where the dashboards file them; without the successors the
    drill-down from its own plan was a 404 for it while it worked for the administrator (issue 14). The figures
    on such a page are still only those of a plan the user may see (`dashboard_plan`), so a commune of the
    merged-in province shows that plan's figures for it (none) and nothing of other plans.
    """
    scope = units_in_scope_ids(user)
    agency = user_agency(user)
    if scope is None:
        return None
    if agency is None:
        return set()

    def load() -> frozenset[int]:
        if agency.unit.valid_to is None:
            # A unit in force: its scope already holds its own predecessors; the successors of those may be
            # other units in force (a commune split in 2025), which are not this user's.
            return frozenset(scope)
        own_successors = unit_successor_ids({agency.unit_id})
        return frozenset(scope | unit_successor_ids(scope) | unit_descendant_ids(own_successors))

    ids: frozenset[int] = remembered(user, "dashboard_units", load)
    return set(ids)


def unit_can_open(visible: set[int] | None, unit_id: int | None) -> bool:
    """Whether a unit's dashboard opens for a user whose ``dashboard_unit_ids`` is ``visible``: a page links a
    unit only where this holds, so no link leads to a 404."""
    return unit_id is not None and (visible is None or unit_id in visible)


def dashboard_unit(user: Any, pk: int) -> AdministrativeUnit | None:
    allowed = dashboard_unit_ids(user)
    if allowed is not None and pk not in allowed:
        return None
    return AdministrativeUnit.objects.select_related("parent").filter(pk=pk).first()


def completeness_reports(user: Any, plan: Plan) -> list[Report]:
    """The plan's reports for the completeness heat map, limited to units the user may see."""
    reports = Report.objects.filter(period__plan=plan).select_related("period", "reporter", "unit__parent")
    scope = units_in_scope_ids(user)
    if scope is not None:
        reports = reports.filter(unit_id__in=scope)
    return list(reports.order_by("unit__name", "reporter__name"))
