"""Writing a validated plan/1 tree: one plan, all or nothing, in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from binhdang.places.models import AdministrativeUnit, Agency
from binhdang.places.services import agency_get_or_create

from ..errors import FieldError, PlanAlreadyExists, PlanFormatError
from ..locks import assert_free
from ..models import (
    INDICATOR_FIELDS,
    Assignment,
    BudgetLine,
    BudgetTotal,
    Indicator,
    Objective,
    Plan,
    Project,
    ProjectPlace,
    Reference,
    ReferenceRelation,
    ReportingRule,
    Role,
    Target,
    Task,
)
from ..selectors import unit_is_below
from ..units import plan_unit_resolve
from .validate import plan_validate


@transaction.atomic
def plan_load(
    data: Any,
    *,
    user: Any = None,
    unit: AdministrativeUnit | None = None,
    replace: bool = False,
    source_sha256: str = "",
    source_filename: str = "",
    agency_map: Mapping[str, Agency] | None = None,
) -> Plan:
    """Create one plan from a plan/1 tree. Refuses the whole plan on any error; nothing is half-written.

    `agency_map` gives agencies a person matched by hand to names as written; other names are matched
    through the alias key, or created in the plan's unit.
    """
    clean = plan_validate(data)
    doc = clean.document
    if unit is None:
        unit = plan_unit_resolve(
            unit_code=doc["unit_code"],
            unit_path=doc["unit"],
            issuer=doc["issuer"],
            level=doc["level"],
            on=doc["date"] or dt.date(doc["year_start"], 1, 1),
        )
        if unit is None:
            raise PlanFormatError(
                [FieldError("/document/unit", "no_unit", {"value": repr(doc["unit"] or doc["issuer"])})]
            )
    existing = _existing(doc, unit)
    if existing is not None:
        if not replace:
            raise PlanAlreadyExists(existing.pk, existing.code or existing.title[:60])
        # Replacing deletes the plan's reports with it: refused once any report hangs on it (plans/locks.py).
        assert_free(code="reimport", kind="plan", ids={existing.pk}, label=existing.code or existing.title[:60])
        existing.delete()

    plan = Plan.objects.create(
        kind=doc["kind"],
        number=doc["number"],
        symbol=doc["symbol"],
        code=doc["code"],
        issuer=doc["issuer"],
        unit=unit,
        unit_written_as=doc["unit"],
        place=doc["place"],
        issued_on=doc["date"],
        title=doc["title"],
        level=doc["level"],
        year_start=doc["year_start"],
        year_end=doc["year_end"],
        status=doc["status"],
        aims=clean.aims,
        signer_name=clean.signer["name"],
        signer_title=clean.signer["title"],
        signer_authority=clean.signer["authority"],
        recipients=clean.recipients,
        source_sha256=source_sha256,
        source_filename=source_filename,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    agencies = _AgencyCache(unit, agency_map)

    references = [
        Reference(
            plan=plan,
            order=i,
            kind=ref["kind"],
            code=ref["code"],
            number=ref["number"],
            issued_on=ref["issued_on"],
            issuer=ref["issuer"],
            title=ref["title"],
            relation=ref["relation"],
        )
        for i, ref in enumerate(clean.references)
    ]
    Reference.objects.bulk_create(references)
    reference_links_refresh(plan)

    objectives = {
        obj["key"]: Objective.objects.create(
            plan=plan, key=obj["key"], order=i, number=obj["number"], title=obj["title"], text=obj["text"]
        )
        for i, obj in enumerate(clean.objectives)
    }
    projects: dict[str, Project] = {}
    for i, proj in enumerate(clean.projects):
        projects[proj["key"]] = Project.objects.create(
            plan=plan,
            key=proj["key"],
            order=i,
            kind=proj["kind"],
            number=proj["number"],
            name=proj["name"],
            scope=proj["scope"],
        )
    for proj in clean.projects:
        obj = projects[proj["key"]]
        if proj["parent"]:
            obj.parent = projects[proj["parent"]]
            obj.save(update_fields=["parent"])
        _assign(agencies, proj["lead"], proj["partners"], project=obj)
        ProjectPlace.objects.bulk_create(
            [
                ProjectPlace(project=obj, order=j, written_as=name, unit=_place_unit(name, unit))
                for j, name in enumerate(proj["units"])
            ]
        )

    indicators: dict[str, Indicator] = {}
    for i, ind in enumerate(clean.indicators):
        values = {name: ind[name] for name in INDICATOR_FIELDS}  # the validated tree carries every field
        values["objective"] = objectives.get(ind["objective"]) if ind["objective"] else None
        values["project"] = projects.get(ind["project"]) if ind["project"] else None
        indicator = Indicator.objects.create(plan=plan, key=ind["key"], order=i, **values)
        indicators[ind["key"]] = indicator
        Target.objects.bulk_create(
            [
                Target(
                    indicator=indicator,
                    order=j,
                    year=t["year"],
                    value=t["value"],
                    comparator=t["comparator"],
                    text=t["text"],
                )
                for j, t in enumerate(ind["targets"])
            ]
        )
        _assign(agencies, "", ind["responsible"], indicator=indicator, partner_role=Role.RESPONSIBLE)

    tasks: dict[str, Task] = {}
    for i, task in enumerate(clean.tasks):
        tasks[task["key"]] = Task.objects.create(
            plan=plan,
            key=task["key"],
            order=i,
            section=task["section"],
            number=task["number"],
            text=task["text"],
            window_start=task["window_start"],
            window_end=task["window_end"],
        )
    for task in clean.tasks:
        task_obj = tasks[task["key"]]
        if task["parent"]:
            task_obj.parent = tasks[task["parent"]]
            task_obj.save(update_fields=["parent"])
        _assign(agencies, task["lead"], task["partners"], task=task_obj)
        task_obj.objectives.set([objectives[key] for key in task["objectives"]])
        task_obj.indicators.set([indicators[key] for key in task["indicators"]])

    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                plan=plan, order=i, item=line["item"], year=line["year"], source=line["source"], amount=line["amount"]
            )
            for i, line in enumerate(clean.budget_lines)
        ]
    )
    BudgetTotal.objects.bulk_create(
        [
            BudgetTotal(
                plan=plan, order=i, item=line["item"], year=line["year"], source=line["source"], amount=line["amount"]
            )
            for i, line in enumerate(clean.budget_totals)
        ]
    )
    ReportingRule.objects.bulk_create(
        [
            ReportingRule(
                plan=plan,
                order=i,
                kind=rule["kind"],
                due=rule["due"],
                to_written_as=rule["to"],
                to_agency=agencies.get(rule["to"]) if rule["to"] else None,
                through_written_as=rule["through"],
                through_agency=agencies.get(rule["through"]) if rule["through"] else None,
                text=rule["text"],
            )
            for i, rule in enumerate(clean.reporting)
        ]
    )
    return plan


def _existing(doc: dict[str, Any], unit: AdministrativeUnit) -> Plan | None:
    plans = Plan.objects.filter(unit=unit, code=doc["code"], issued_on=doc["date"], title=doc["title"])
    return plans.first()


class _AgencyCache:
    """Resolves names to the plan unit's agencies once per name, creating agencies that are not known yet."""

    def __init__(self, unit: AdministrativeUnit, preset: Mapping[str, Agency] | None = None) -> None:
        self.unit = unit
        self._cache: dict[str, Agency] = dict(preset or {})

    def get(self, name: str) -> Agency:
        if name not in self._cache:
            self._cache[name] = agency_get_or_create(name=name, unit=self.unit)
        return self._cache[name]


def _assign(
    agencies: _AgencyCache,
    lead: str,
    partners: list[str],
    *,
    partner_role: str = Role.PARTNER,
    **owner: Any,
) -> None:
    rows: list[Assignment] = []
    used: set[int] = set()
    named = ([(lead, Role.LEAD)] if lead else []) + [(name, partner_role) for name in partners]
    for order, (name, role) in enumerate(named):
        agency = agencies.get(name)
        if agency.pk in used:
            # Two written names matched one agency ("Sở LĐTBXH" and "Sở Lao động - TB&XH"): the first wins.
            continue
        used.add(agency.pk)
        rows.append(Assignment(agency=agency, role=role, written_as=name, order=order, **owner))
    Assignment.objects.bulk_create(rows)


def _place_unit(name: str, plan_unit: AdministrativeUnit) -> AdministrativeUnit | None:
    from binhdang.places.resolve import unit_find

    on = plan_unit.valid_to or dt.date.today()  # noqa: DTZ011 - a calendar date, not a moment
    return unit_find(name, at=on, within=plan_unit)


def reference_links_refresh(plan: Plan) -> None:
    """Link the plan's references to plans in the system, and other plans' references to this one.

    A "parent" reference makes the plan a child of the plan it names only when that plan belongs to a unit
    above this plan's unit (same hierarchy, higher level): a commune of another province naming a province's
    plan as its parent must not join that province's reporting (issue 13, finding 1).
    """
    for ref in plan.references.filter(linked_plan__isnull=True).exclude(code=""):
        candidates = list(
            Plan.objects.filter(code=ref.code, issued_on=ref.issued_on).exclude(pk=plan.pk).select_related("unit")
        )
        if ref.relation == ReferenceRelation.PARENT:
            candidates = [c for c in candidates if unit_is_below(plan.unit, c.unit)]
        target = candidates[0] if candidates else None
        if target is not None:
            ref.linked_plan = target
            ref.save(update_fields=["linked_plan"])
            if ref.relation == ReferenceRelation.PARENT and plan.parent_id is None:
                plan.parent = target
                plan.save(update_fields=["parent"])
    if plan.code:
        citing = Reference.objects.filter(code=plan.code, issued_on=plan.issued_on, linked_plan__isnull=True)
        for ref in citing.exclude(plan=plan).select_related("plan__unit"):
            if ref.relation == ReferenceRelation.PARENT and not unit_is_below(ref.plan.unit, plan.unit):
                continue
            ref.linked_plan = plan
            ref.save(update_fields=["linked_plan"])
            if ref.relation == ReferenceRelation.PARENT and ref.plan.parent_id is None:
                ref.plan.parent = plan
                ref.plan.save(update_fields=["parent"])
