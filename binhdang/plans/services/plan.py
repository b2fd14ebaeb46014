"""Writes on a plan itself: create, update, delete, import a plan/1 file, and its references to other plans."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from binhdang.places.models import AdministrativeUnit

from ..interchange.load import plan_load, reference_links_refresh
from ..locks import assert_free
from ..models import (
    Plan,
    PlanStatus,
    Reference,
    ReferenceRelation,
)
from ..selectors import plans_visible_to, unit_is_below
from .common import (
    _apply,
    _lines,
    _next_order,
    _require_edit,
    _save,
    _user_unit,
)
from .violations import (
    ParentNotAbove,
    ParentNotVisible,
)

# --- plans -------------------------------------------------------------------------------------------------

PLAN_FIELDS = (
    "kind",
    "number",
    "symbol",
    "code",
    "issuer",
    "unit_written_as",
    "place",
    "issued_on",
    "title",
    "year_start",
    "year_end",
    "status",
    "signer_name",
    "signer_title",
    "signer_authority",
)
_PLAN_TEXT = tuple(f for f in PLAN_FIELDS if f not in {"issued_on", "year_start", "year_end"})


def _plan_fill(plan: Plan, data: Mapping[str, Any]) -> Plan:
    _apply(plan, data, PLAN_FIELDS, _PLAN_TEXT)
    plan.code = re.sub(r"\s+", "", plan.code)
    if not plan.code and plan.number and plan.symbol:
        plan.code = f"{plan.number}/{plan.symbol}"
    plan.kind = plan.kind or "KH"
    for name in ("aims", "recipients"):
        if name in data:
            setattr(plan, name, _lines(data[name]))
    return plan


@transaction.atomic
def plan_create(*, user: Any, data: Mapping[str, Any], unit: AdministrativeUnit | None = None) -> Plan:
    """A new plan of `unit` (default: the user's unit); its level is the unit's level."""
    unit = unit or _user_unit(user)
    plan = Plan(unit=unit, level=unit.level, status=PlanStatus.DRAFT)
    _require_edit(user, plan)
    _plan_fill(plan, data)
    plan.created_by = user if getattr(user, "is_authenticated", False) else None
    _save(plan)
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, user: Any, data: Mapping[str, Any], unit: AdministrativeUnit | None = None) -> Plan:
    _require_edit(user, plan)
    if unit is not None and unit.pk != plan.unit_id:
        # Reports are about the plan's unit and accepted by its standing agency: moving would re-home them.
        assert_free(code="move", kind="plan", ids={plan.pk}, label=plan.code or plan.title)
        plan.unit = unit
        plan.level = unit.level
        _require_edit(user, plan)  # moving a plan needs the right to edit it where it lands too
    _plan_fill(plan, data)
    _save(plan)
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan, user: Any) -> None:
    _require_edit(user, plan)
    assert_free(code="delete", kind="plan", ids={plan.pk}, label=plan.code or plan.title)
    plan.delete()


@transaction.atomic
def plan_import(*, user: Any, data: Any, filename: str = "", sha256: str = "", replace: Plan | None = None) -> Plan:
    """Load a plan/1 tree (interchange.plan_load) as the user, or replace an existing plan with it.

    The loaded plan must be one the user may edit; otherwise the whole load is rolled back. Replacing keeps the
    plan's unit, its parent link when the file names none, and the links of plans below it. A plan that reports
    hang on is never replaced (PartLocked, code "reimport"): replacing deletes and re-creates every part, and
    with them the reports, periods, audit trail and published figures. Merging by the file's stable ids was
    weighed and refused (docs/decisions.md): edit such a plan part by part, or load the file as a new plan.
    """
    if replace is not None:
        _require_edit(user, replace)
        assert_free(code="reimport", kind="plan", ids={replace.pk}, label=replace.code or replace.title)
        unit = replace.unit
        parent_id = replace.parent_id
        children = list(replace.children.values_list("pk", flat=True))
        citing = list(replace.cited_by.values_list("pk", flat=True))
        # Through the queryset: Model.delete() would set the caller's replace.pk to None, and when the file is
        # refused (the deletion rolled back) the page that shows the refusal needs the plan's id.
        Plan.objects.filter(pk=replace.pk).delete()
        plan = plan_load(data, user=user, unit=unit, source_sha256=sha256, source_filename=filename)
        if plan.parent_id is None and parent_id is not None:
            plan.parent_id = parent_id
            plan.save(update_fields=["parent"])
        Plan.objects.filter(pk__in=children).update(parent=plan)
        Reference.objects.filter(pk__in=citing).update(linked_plan=plan)
    else:
        plan = plan_load(data, user=user, source_sha256=sha256, source_filename=filename)
    _require_edit(user, plan)
    return plan


# --- references --------------------------------------------------------------------------------------------

REFERENCE_FIELDS = ("kind", "code", "number", "issued_on", "issuer", "title", "relation")
_REFERENCE_TEXT = ("kind", "code", "number", "issuer", "title")


def _reference_fill(ref: Reference, data: Mapping[str, Any]) -> Reference:
    _apply(ref, data, REFERENCE_FIELDS, _REFERENCE_TEXT)
    ref.code = re.sub(r"\s+", "", ref.code)
    ref.relation = ref.relation or ReferenceRelation.CITED
    return ref


def _parent_check(ref: Reference, user: Any) -> None:
    """A "parent" reference may only name a plan of a unit above, that the user may see (finding 1 of issue 13).
    Runs after the links are refreshed, inside the transaction that made them, so a refusal undoes them."""
    if ref.relation != ReferenceRelation.PARENT or not ref.code:
        return
    plan = Plan.objects.select_related("unit", "parent__unit").get(pk=ref.plan_id)
    same_code = Plan.objects.filter(code=ref.code, issued_on=ref.issued_on).exclude(pk=plan.pk).select_related("unit")
    if same_code.exists() and not any(unit_is_below(plan.unit, other.unit) for other in same_code):
        raise ParentNotAbove(ref.code)
    if plan.parent is not None and not plans_visible_to(user).filter(pk=plan.parent.pk).exists():
        raise ParentNotVisible(ref.code)


@transaction.atomic
def reference_create(*, plan: Plan, user: Any, data: Mapping[str, Any]) -> Reference:
    _require_edit(user, plan)
    ref = _save(_reference_fill(Reference(plan=plan, order=_next_order(plan.references.all())), data))
    reference_links_refresh(plan)
    ref.refresh_from_db()
    _parent_check(ref, user)
    return ref


@transaction.atomic
def reference_update(*, reference: Reference, user: Any, data: Mapping[str, Any]) -> Reference:
    _require_edit(user, reference.plan)
    old_code = reference.code
    _reference_fill(reference, data)
    if reference.code != old_code:
        reference.linked_plan = None
    _save(reference)
    reference_links_refresh(reference.plan)
    reference.refresh_from_db()
    _parent_check(reference, user)
    return reference


@transaction.atomic
def reference_delete(*, reference: Reference, user: Any) -> None:
    _require_edit(user, reference.plan)
    reference.delete()
