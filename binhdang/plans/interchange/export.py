"""A plan as a plan/1 tree (docs/plan-format.md); loading the export back gives a plan that exports identically."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from binhdang.lib.budget import budget_checks

from ..models import Assignment, BudgetLine, BudgetTotal, Indicator, Measure, Plan, Role
from .fields import SCHEMA


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


def _or_none(value: str) -> str | None:
    return value or None


def plan_export(plan: Plan) -> dict[str, Any]:
    """The plan as a plan/1 tree; loading it back gives a plan that exports identically."""
    plan = (
        Plan.objects.select_related("unit")
        .prefetch_related(
            "references",
            "objectives",
            "tasks__assignments",
            "tasks__objectives",
            "tasks__indicators",
            "projects__assignments",
            "projects__places",
            "indicators__targets",
            "indicators__assignments",
            "budgetlines",
            "budgettotals",
            "reporting_rules",
        )
        .get(pk=plan.pk)
    )
    objective_keys = {obj.pk: obj.key for obj in plan.objectives.all()}
    project_keys = {proj.pk: proj.key for proj in plan.projects.all()}
    task_keys = {task.pk: task.key for task in plan.tasks.all()}

    def lead_of(assignments: Iterable[Assignment]) -> str | None:
        return next((a.written_as for a in assignments if a.role == Role.LEAD), None)

    def others(assignments: Iterable[Assignment], role: str) -> list[str]:
        return [a.written_as for a in sorted(assignments, key=lambda a: a.order) if a.role == role]

    lines = [_budget_dict(line) for line in plan.budgetlines.all()]
    totals = [_budget_dict(line) for line in plan.budgettotals.all()]
    result: dict[str, Any] = {
        "schema": SCHEMA,
        "document": {
            "kind": plan.kind,
            "code": _or_none(plan.code),
            "number": _or_none(plan.number),
            "symbol": _or_none(plan.symbol),
            "date": plan.issued_on.isoformat() if plan.issued_on else None,
            "place": _or_none(plan.place),
            "issuer": _or_none(plan.issuer),
            "unit": _or_none(plan.unit_written_as),
            "unit_code": f"{plan.unit.generation}:{plan.unit.code}",
            "title": plan.title,
            "level": plan.level,
            "years": [plan.year_start, plan.year_end],
            "status": plan.status,
        },
        "references": [
            {
                "kind": _or_none(ref.kind),
                "code": _or_none(ref.code),
                "number": _or_none(ref.number),
                "date": ref.issued_on.isoformat() if ref.issued_on else None,
                "issuer": _or_none(ref.issuer),
                "title": _or_none(ref.title),
                "relation": ref.relation,
            }
            for ref in plan.references.all()
        ],
        "aims": list(plan.aims),
        "objectives": [
            {"id": obj.key, "number": _or_none(obj.number), "title": _or_none(obj.title), "text": _or_none(obj.text)}
            for obj in plan.objectives.all()
        ],
        "indicators": [
            {
                "id": ind.key,
                "objective": objective_keys.get(ind.objective_id) if ind.objective_id else None,
                "project": project_keys.get(ind.project_id) if ind.project_id else None,
                "number": _or_none(ind.number),
                "text": ind.text,
                "measure": ind.measure,
                "unit": _or_none(ind.unit),
                "direction": _or_none(ind.direction),
                "baseline": (
                    {"year": ind.baseline_year, "value": _num(ind.baseline_value)}
                    if ind.baseline_year or ind.baseline_value is not None
                    else None
                ),
                "targets": [
                    {
                        "year": t.year,
                        "value": _target_value(ind.measure, t.value),
                        "comparator": _or_none(t.comparator),
                        "text": _or_none(t.text),
                    }
                    for t in ind.targets.all()
                ],
                "disaggregations": list(ind.disaggregations),
                # Optional in binhdang.plan/1: written only when set, so older plans export exactly as before.
                **({"age_groups": list(ind.age_groups)} if ind.age_groups else {}),
                "responsible": others(ind.assignments.all(), Role.RESPONSIBLE),
                **_rate_fields(ind),
            }
            for ind in plan.indicators.all()
        ],
        "tasks": [
            {
                "id": task.key,
                "parent": task_keys.get(task.parent_id) if task.parent_id else None,
                "section": _or_none(task.section),
                "number": _or_none(task.number),
                "text": task.text,
                "lead": lead_of(task.assignments.all()),
                "partners": others(task.assignments.all(), Role.PARTNER),
                "window": (
                    {"start": task.window_start or None, "end": task.window_end or None}
                    if task.window_start or task.window_end
                    else None
                ),
                "objectives": [objective_keys[o.pk] for o in task.objectives.all()],
                "indicators": [ind.key for ind in task.indicators.all()],
            }
            for task in plan.tasks.all()
        ],
        "projects": [
            {
                "id": proj.key,
                "parent": project_keys.get(proj.parent_id) if proj.parent_id else None,
                "kind": proj.kind,
                "number": _or_none(proj.number),
                "name": proj.name,
                "lead": lead_of(proj.assignments.all()),
                "partners": others(proj.assignments.all(), Role.PARTNER),
                "units": [place.written_as for place in proj.places.all()],
                "scope": _or_none(proj.scope),
            }
            for proj in plan.projects.all()
        ],
        "budget": {
            "unit": "million VND" if lines or totals else None,
            "lines": lines,
            "totals": totals,
            "checks": [check.as_dict() for check in budget_checks(lines, totals)],
        },
        "reporting": [
            {
                "kind": rule.kind,
                "due": _or_none(rule.due),
                "to": _or_none(rule.to_written_as),
                "through": _or_none(rule.through_written_as),
                "text": _or_none(rule.text),
            }
            for rule in plan.reporting_rules.all()
        ],
        "signer": (
            {
                "name": _or_none(plan.signer_name),
                "title": _or_none(plan.signer_title),
                "authority": _or_none(plan.signer_authority),
            }
            if plan.has_signature
            else None
        ),
        "recipients": list(plan.recipients),
    }
    return result


def _rate_fields(ind: Indicator) -> dict[str, Any]:
    # Only rates carry these; other measures keep the export to the documented keys.
    if ind.measure != Measure.RATE and not (ind.numerator or ind.denominator or ind.rate_per):
        return {}
    return {"rate_per": ind.rate_per, "numerator": _or_none(ind.numerator), "denominator": _or_none(ind.denominator)}


def _target_value(measure: str, value: Decimal | None) -> int | float | bool | None:
    if measure == Measure.BOOLEAN and value is not None:
        return bool(value)
    return _num(value)


def _budget_dict(line: BudgetLine | BudgetTotal) -> dict[str, Any]:
    return {
        "item": _or_none(line.item),
        "year": line.year,
        "source": _or_none(line.source),
        "amount": _num(line.amount),
    }


def plans_export(plans: Iterable[Plan], export: Callable[[Plan], dict[str, Any]] = plan_export) -> list[dict[str, Any]]:
    return [export(plan) for plan in plans]
