"""What every plan service shares: the edit check, keys and order, copying fields, agencies and assignments."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models

from binhdang.lib.text import clean_text
from binhdang.places.models import AdministrativeUnit, Agency
from binhdang.places.selectors import user_agency
from binhdang.places.services import agency_get_or_create

from ..errors import PlanNotEditable
from ..models import (
    Assignment,
    Plan,
    Role,
)
from ..selectors import plan_can_edit
from .violations import (
    AgencyLeadAndPartner,
    NoUnit,
    PartOfOtherPlan,
)

AgencyRef = Agency | str
"""An agency already known, or a name to resolve (and create if unknown) in the plan's unit."""

M = TypeVar("M", bound=models.Model)


def _require_edit(user: Any, plan: Plan) -> None:
    if not plan_can_edit(user, plan):
        raise PlanNotEditable(f"user {getattr(user, 'username', user)!r} may not change plan {plan.pk}")


def _next_key(keys: Iterable[str], prefix: str) -> str:
    """The next free "<prefix><n>": one past the highest number used with this prefix."""
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)$")
    used = set(keys)
    numbers = [int(m.group(1)) for key in used if (m := pattern.match(key))]
    n = max(numbers, default=0) + 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


def _next_order(queryset: models.QuerySet[Any]) -> int:
    top = queryset.aggregate(top=models.Max("order"))["top"]
    return 0 if top is None else top + 1


def _text(value: Any) -> str:
    return clean_text(value) if isinstance(value, str) else ("" if value is None else str(value))


def _lines(value: Any) -> list[str]:
    if value is None:
        return []
    items = value.splitlines() if isinstance(value, str) else list(value)
    return [line for line in (clean_text(str(item)) for item in items) if line]


def _apply(obj: M, data: Mapping[str, Any], fields: Sequence[str], text_fields: Sequence[str] = ()) -> M:
    """Copy the given fields from data (only those present), cleaning text fields."""
    for name in fields:
        if name in data:
            value = data[name]
            if name in text_fields:
                value = _text(value)
            setattr(obj, name, value)
    return obj


def _same_plan(plan: Plan, field: str, *objs: models.Model | None) -> None:
    for obj in objs:
        if obj is not None and getattr(obj, "plan_id", None) != plan.pk:
            raise PartOfOtherPlan(field)


def _save(obj: M) -> M:
    # Model validation (years 1990–2100, non-negative amounts, choices) guards callers that skip the forms.
    obj.full_clean()
    obj.save()
    return obj


def _resolve(plan: Plan, ref: AgencyRef) -> tuple[Agency, str]:
    """The agency for a reference and the name to keep as written."""
    if isinstance(ref, Agency):
        return ref, ref.name
    name = clean_text(ref)
    return agency_get_or_create(name=name, unit=plan.unit), name


def _set_assignments(
    plan: Plan,
    owner: dict[str, models.Model],
    existing: models.QuerySet[Assignment],
    lead: AgencyRef | None,
    others: Sequence[AgencyRef],
    other_role: str,
) -> None:
    """Replace an owner's assignments, keeping the written name of agencies that stay."""
    written = {a.agency_id: a.written_as for a in existing}
    lead_pair = _resolve(plan, lead) if lead not in (None, "") else None
    rows: list[Assignment] = []
    seen: set[int] = set()
    if lead_pair is not None:
        agency, name = lead_pair
        rows.append(Assignment(agency=agency, role=Role.LEAD, written_as=written.get(agency.pk, name), **owner))
        seen.add(agency.pk)
    for ref in others:
        if ref in (None, ""):
            continue
        agency, name = _resolve(plan, ref)
        if lead_pair is not None and agency.pk == lead_pair[0].pk:
            raise AgencyLeadAndPartner(agency)
        if agency.pk in seen:
            continue  # named twice: once is enough
        seen.add(agency.pk)
        rows.append(Assignment(agency=agency, role=other_role, written_as=written.get(agency.pk, name), **owner))
    existing.delete()
    for order, row in enumerate(rows):
        row.order = order
    Assignment.objects.bulk_create(rows)


def _user_unit(user: Any) -> AdministrativeUnit:
    agency = user_agency(user)
    if agency is None:
        raise NoUnit(f"user {getattr(user, 'username', user)!r} belongs to no agency")
    return agency.unit
