"""Reads of plans, scoped by what the user may see (docs/permissions.md).

The rules: administrators see and change everything. Others see the plans of their unit and the units
below it (historic units that merged into them included), and the plans of other units that assign work
to their own agency; they change only plans of their own unit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from binhdang.places.models import AdministrativeUnit, AdvancementCommittee, Agency, AgencyKind
from binhdang.places.selectors import (
    remembered,
    unit_ancestor_ids,
    unit_predecessor_ids,
    units_in_scope_ids,
    user_agency,
    user_is_admin,
)

from .models import Assignment, Indicator, Plan, ReportingRule, Task


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    plans = Plan.objects.select_related("unit", "parent")
    if user_is_admin(user):
        return plans
    scope = units_in_scope_ids(user)
    agency = user_agency(user)
    if agency is None or not scope:
        return plans.none()
    assigned = Assignment.objects.filter(agency=agency).filter(
        Q(task__plan=OuterRef("pk")) | Q(project__plan=OuterRef("pk")) | Q(indicator__plan=OuterRef("pk"))
    )
    reports_to = ReportingRule.objects.filter(plan=OuterRef("pk")).filter(
        Q(to_agency=agency) | Q(through_agency=agency)
    )
    # A plan above that gives work to "the lower-level committees" gives it to this unit too.
    to_lower_levels = Assignment.objects.filter(agency__kind=AgencyKind.LOWER_COMMITTEES).filter(
        Q(task__plan=OuterRef("pk")) | Q(project__plan=OuterRef("pk")) | Q(indicator__plan=OuterRef("pk"))
    )
    above = set(remembered(user, "above", lambda: frozenset(units_above_ids(agency.unit))))
    return plans.filter(
        Q(unit_id__in=scope) | Exists(assigned) | Exists(reports_to) | (Q(unit_id__in=above) & Exists(to_lower_levels))
    )


def plan_ids_visible_to(user: Any) -> set[int] | None:
    """The ids of `plans_visible_to(user)`, None for administrators (everything). In a web request the set is
    computed once and remembered; filtering by it is far cheaper than repeating the subquery in every query."""
    if user_is_admin(user):
        return None
    ids: frozenset[int] = remembered(
        user, "plan_ids", lambda: frozenset(plans_visible_to(user).values_list("pk", flat=True))
    )
    return set(ids)


def units_above_ids(unit: AdministrativeUnit) -> set[int]:
    """The units above this one, and above the historic units it succeeded (one query per level)."""
    own = {unit.pk} | unit_predecessor_ids({unit.pk})
    above: set[int] = set()
    frontier = set(
        AdministrativeUnit.objects.filter(pk__in=own, parent__isnull=False).values_list("parent_id", flat=True)
    )
    while frontier:
        above |= frontier
        frontier = (
            set(
                AdministrativeUnit.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                    "parent_id", flat=True
                )
            )
            - above
        )
    return above


def agency_leads_unit(agency: Agency, unit_id: int) -> bool:
    """Whether the agency edits the unit's plans: the standing agency of the unit's Committee for the
    Advancement of Women, or the unit's People's Committee (its leaders: the chair and vice-chairs work through
    the committee's office). Departments and other agencies read plans and report; they do not edit them."""
    if agency.unit_id != unit_id:
        return False
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        return True
    return AdvancementCommittee.objects.filter(unit_id=unit_id, standing_agency=agency, valid_to__isnull=True).exists()


def _leads(user: Any, unit_id: int) -> bool:
    agency = user_agency(user)
    if agency is None:
        return False
    leads: bool = remembered(user, ("leads", unit_id), lambda: agency_leads_unit(agency, unit_id))
    return leads


def plan_can_edit(user: Any, plan: Plan) -> bool:
    """Administrators; and the standing agency and leaders of the plan's own unit (docs/permissions.md)."""
    return user_is_admin(user) or _leads(user, plan.unit_id)


def plan_can_edit_unit(user: Any, unit: AdministrativeUnit) -> bool:
    """Whether the user may create plans of this unit: as `plan_can_edit` for a plan of that unit."""
    return user_is_admin(user) or _leads(user, unit.pk)


def plans_editable_by(user: Any) -> QuerySet[Plan]:
    if user_is_admin(user):
        return Plan.objects.all()
    agency = user_agency(user)
    if agency is None or not _leads(user, agency.unit_id):
        return Plan.objects.none()
    return Plan.objects.filter(unit_id=agency.unit_id)


def unit_is_below(unit: AdministrativeUnit, above: AdministrativeUnit) -> bool:
    """Whether `above` is an ancestor of `unit` (a plan of a unit merged away in 2025 still counts as the plan
    above its successor's units): the only units whose plans may be a plan's parent."""
    ancestors = unit_ancestor_ids(unit)
    return above.pk in ancestors or above.pk in unit_predecessor_ids(ancestors)


def plan_detail(user: Any, pk: int) -> Plan | None:
    """One plan with everything its page shows, or None when it does not exist or is not visible."""
    return (
        plans_visible_to(user)
        .prefetch_related(
            "references__linked_plan",
            "objectives",
            "indicators__targets",
            "indicators__assignments__agency",
            "indicators__objective",
            "tasks__assignments__agency",
            "tasks__objectives",
            "tasks__indicators",
            "projects__assignments__agency",
            "projects__places__unit",
            "budgetlines",
            "budgettotals",
            "reporting_rules",
            "children",
        )
        .filter(pk=pk)
        .first()
    )


def agency_work(user: Any, agency: Agency) -> dict[str, Any]:
    """ "Việc của đơn vị": every task and indicator assigned to the agency, across visible plans. (Its role on
    each is read from the item's own assignments, which the lists prefetch or the page loads.)"""
    visible = plans_visible_to(user)
    tasks = (
        Task.objects.filter(assignments__agency=agency, plan__in=visible)
        .select_related("plan")
        .prefetch_related("assignments__agency")
        .order_by("-plan__year_start", "plan_id", "order")
        .distinct()
    )
    indicators = (
        Indicator.objects.filter(assignments__agency=agency, plan__in=visible)
        .select_related("plan")
        .prefetch_related("targets")
        .order_by("-plan__year_start", "plan_id", "order")
        .distinct()
    )
    return {"tasks": list(tasks), "indicators": list(indicators)}


def agencies_visible_to(user: Any) -> QuerySet[Agency]:
    agencies = Agency.objects.select_related("unit")
    scope = units_in_scope_ids(user)
    if scope is None:
        return agencies
    return agencies.filter(unit_id__in=scope)
