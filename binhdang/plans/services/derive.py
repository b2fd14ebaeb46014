"""Deriving a lower level's draft plan from the plan above: copy what is addressed below, re-home agencies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from binhdang.places.models import AdministrativeUnit, Agency, AgencyKind
from binhdang.places.selectors import user_is_admin
from binhdang.places.services import agency_find, agency_get_or_create

from ..models import (
    INDICATOR_FIELDS,
    Assignment,
    Indicator,
    Objective,
    Plan,
    PlanStatus,
    Reference,
    ReferenceRelation,
    Role,
    Target,
    Task,
)
from ..selectors import unit_is_below
from .common import (
    _require_edit,
    _save,
    _user_unit,
)
from .violations import (
    DeriveUnitNotBelow,
)


def _unit_committee(unit: AdministrativeUnit) -> Agency:
    """The unit's own People's Committee, which a plan above addresses as "Ủy ban nhân dân các xã"."""
    found = Agency.objects.filter(unit=unit, kind=AgencyKind.PEOPLES_COMMITTEE).order_by("pk").first()
    if found is not None:
        return found
    return agency_get_or_create(name=f"Ủy ban nhân dân {unit.name}", unit=unit, kind=AgencyKind.PEOPLES_COMMITTEE)


def _is_below(unit: AdministrativeUnit, parent: Plan) -> bool:
    return unit_is_below(unit, parent.unit)


class _Rehome:
    """Maps the parent plan's agencies to the derived plan's unit, by name, once per agency."""

    def __init__(self, unit: AdministrativeUnit) -> None:
        self.unit = unit
        self._cache: dict[int, Agency | None] = {}

    def get(self, assignment: Assignment) -> Agency | None:
        agency = assignment.agency
        if agency.pk not in self._cache:
            found: Agency | None
            if agency.kind == AgencyKind.LOWER_COMMITTEES:
                found = _unit_committee(self.unit)
            else:
                found = agency_find(name=assignment.written_as, unit=self.unit) or agency_find(
                    name=agency.name, unit=self.unit
                )
            self._cache[agency.pk] = found
        return self._cache[agency.pk]


def _copy_assignments(rehome: _Rehome, source: Iterable[Assignment], **owner: models.Model) -> None:
    rows: list[Assignment] = []
    seen: set[int] = set()
    has_lead = False
    for assignment in sorted(source, key=lambda a: (a.role != Role.LEAD, a.order)):
        agency = rehome.get(assignment)
        if agency is None or agency.pk in seen:
            continue  # the lower unit has no agency of that name: the person adapting the draft assigns one
        seen.add(agency.pk)
        role = assignment.role
        if role == Role.LEAD:
            has_lead = True
        elif role == Role.PARTNER and not has_lead and assignment.agency.kind == AgencyKind.LOWER_COMMITTEES:
            # Addressed to the lower committees as partner of an agency the lower unit does not have: in the
            # lower unit's own plan the committee carries the task.
            role, has_lead = Role.LEAD, True
        written = agency.name if assignment.agency.kind == AgencyKind.LOWER_COMMITTEES else assignment.written_as
        rows.append(Assignment(agency=agency, role=role, written_as=written, order=len(rows), **owner))
    Assignment.objects.bulk_create(rows)


def _addressed_below(task: Task) -> bool:
    assignments = list(task.assignments.all())
    return not assignments or any(a.agency.kind == AgencyKind.LOWER_COMMITTEES for a in assignments)


@transaction.atomic
def plan_derive(*, parent: Plan, user: Any, unit: AdministrativeUnit | None = None) -> Plan:
    """Start a lower level's draft plan from the plan above.

    The new plan belongs to the user's unit (administrators may name another), covers the parent's years,
    links to the parent (field and a "parent" reference), and copies the objectives, the indicators with
    their targets to adapt, and the tasks addressed to the lower level (or to no agency). Agencies are
    re-resolved by name in the new unit; "Ủy ban nhân dân các xã/huyện" becomes the unit's own committee.
    """
    if unit is None or not user_is_admin(user):
        own = _user_unit(user)
        unit = unit or own
    plan = Plan(
        unit=unit,
        level=unit.level,
        status=PlanStatus.DRAFT,
        kind=parent.kind or "KH",
        title=parent.title,
        issuer=f"Ủy ban nhân dân {unit.name}",
        unit_written_as=unit.name,
        year_start=parent.year_start,
        year_end=parent.year_end,
        parent=parent,
        aims=list(parent.aims),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _require_edit(user, plan)
    if not _is_below(unit, parent):
        raise DeriveUnitNotBelow(unit, parent)
    _save(plan)

    Reference.objects.create(
        plan=plan,
        order=0,
        kind=parent.kind,
        code=parent.code,
        number=parent.number,
        issued_on=parent.issued_on,
        issuer=parent.issuer,
        title=parent.title,
        relation=ReferenceRelation.PARENT,
        linked_plan=parent,
    )

    source = Plan.objects.prefetch_related(
        "objectives",
        "indicators__targets",
        "indicators__assignments__agency",
        "tasks__assignments__agency",
        "tasks__objectives",
        "tasks__indicators",
    ).get(pk=parent.pk)
    rehome = _Rehome(unit)

    objectives: dict[int, Objective] = {}
    for obj in source.objectives.all():
        objectives[obj.pk] = Objective.objects.create(
            plan=plan, key=obj.key, order=obj.order, number=obj.number, title=obj.title, text=obj.text
        )

    indicators: dict[int, Indicator] = {}
    for ind in source.indicators.all():
        values = {name: getattr(ind, name) for name in INDICATOR_FIELDS}
        values["objective"] = objectives.get(ind.objective_id) if ind.objective_id else None
        values["project"] = None  # projects stay with the plan above
        values["disaggregations"] = list(ind.disaggregations)
        values["age_groups"] = list(ind.age_groups)
        copy = Indicator.objects.create(plan=plan, key=ind.key, order=ind.order, catalogue=ind.catalogue, **values)
        indicators[ind.pk] = copy
        Target.objects.bulk_create(
            [
                Target(indicator=copy, order=t.order, year=t.year, value=t.value, comparator=t.comparator, text=t.text)
                for t in ind.targets.all()
            ]
        )
        _copy_assignments(rehome, ind.assignments.all(), indicator=copy)

    tasks: dict[int, Task] = {}
    chosen = [task for task in source.tasks.all() if _addressed_below(task)]
    for task in chosen:
        copy_task = Task.objects.create(
            plan=plan,
            key=task.key,
            order=task.order,
            section=task.section,
            number=task.number,
            text=task.text,
            window_start=task.window_start,
            window_end=task.window_end,
        )
        tasks[task.pk] = copy_task
        _copy_assignments(rehome, task.assignments.all(), task=copy_task)
        copy_task.objectives.set([objectives[o.pk] for o in task.objectives.all() if o.pk in objectives])
        copy_task.indicators.set([indicators[i.pk] for i in task.indicators.all() if i.pk in indicators])
    for task in chosen:
        if task.parent_id in tasks:
            copy_task = tasks[task.pk]
            copy_task.parent = tasks[task.parent_id]
            copy_task.save(update_fields=["parent"])
    return plan
