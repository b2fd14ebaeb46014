"""Writes on a plan's indicators and their targets, and adopting an indicator of the national strategy."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from ..locks import assert_free
from ..models import (
    INDICATOR_FIELDS,
    INDICATOR_TEXT_FIELDS,
    CatalogueIndicator,
    Indicator,
    Objective,
    Plan,
    Role,
    Target,
)
from .common import (
    AgencyRef,
    _apply,
    _next_key,
    _next_order,
    _require_edit,
    _same_plan,
    _save,
    _set_assignments,
)
from .violations import (
    CatalogueAlreadyAdopted,
)

_INDICATOR_MEANING = ("measure", "rate_per", "disaggregations", "age_groups")  # what a reported figure of it means
TARGET_FIELDS = ("year", "value", "comparator", "text")


def _indicator_fill(indicator: Indicator, data: Mapping[str, Any]) -> Indicator:
    _apply(indicator, data, INDICATOR_FIELDS, INDICATOR_TEXT_FIELDS)
    _same_plan(indicator.plan, "objective", indicator.objective)
    _same_plan(indicator.plan, "project", indicator.project)
    indicator.disaggregations = list(indicator.disaggregations or [])
    indicator.age_groups = list(indicator.age_groups or [])
    return indicator


def _targets_replace(indicator: Indicator, targets: Sequence[Mapping[str, Any]]) -> None:
    indicator.targets.all().delete()
    for order, item in enumerate(targets):
        _target_save(Target(indicator=indicator, order=order), item)


def _target_save(target: Target, data: Mapping[str, Any]) -> Target:
    _apply(target, data, TARGET_FIELDS, ("text", "comparator"))
    if target.value is not None and not target.comparator:
        target.comparator = "="  # a bare value is an equality, as the interchange loader reads it
    return _save(target)


@transaction.atomic
def indicator_create(
    *,
    plan: Plan,
    user: Any,
    data: Mapping[str, Any],
    targets: Sequence[Mapping[str, Any]] = (),
    responsible: Sequence[AgencyRef] | None = None,
) -> Indicator:
    _require_edit(user, plan)
    indicator = Indicator(
        plan=plan,
        key=_next_key(plan.indicators.values_list("key", flat=True), "I"),
        order=_next_order(plan.indicators.all()),
    )
    _save(_indicator_fill(indicator, data))
    _targets_replace(indicator, targets)
    if responsible is not None:
        indicator_set_responsible(indicator=indicator, user=user, responsible=responsible)
    return indicator


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    user: Any,
    data: Mapping[str, Any],
    targets: Sequence[Mapping[str, Any]] | None = None,
    responsible: Sequence[AgencyRef] | None = None,
) -> Indicator:
    """Change an indicator; `targets` (when given) replace all its targets, `responsible` its agencies.

    How an indicator is measured (measure, rate, sex disaggregation) is what its reported figures mean, so it
    does not change once reports hang on it (PartLocked, code "reshape"); its wording and targets may."""
    _require_edit(user, indicator.plan)
    before = Indicator.objects.get(pk=indicator.pk)
    _indicator_fill(indicator, data)
    if any(getattr(before, name) != getattr(indicator, name) for name in _INDICATOR_MEANING):
        assert_free(code="reshape", kind="indicator", ids={indicator.pk}, label=indicator.number or indicator.key)
    _save(indicator)
    if targets is not None:
        _targets_replace(indicator, targets)
    if responsible is not None:
        indicator_set_responsible(indicator=indicator, user=user, responsible=responsible)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user: Any) -> None:
    """Delete an indicator no report hangs on; one with reports is retired instead (`indicator_retire`)."""
    _require_edit(user, indicator.plan)
    assert_free(code="delete", kind="indicator", ids={indicator.pk}, label=indicator.number or indicator.key)
    indicator.delete()


@transaction.atomic
def indicator_retire(*, indicator: Indicator, user: Any, retired: bool = True) -> Indicator:
    """ "Ngừng theo dõi": new reports stop asking for the indicator; its figures stay in history and dashboards.
    With `retired=False` it is followed again from the next reports generated."""
    _require_edit(user, indicator.plan)
    indicator.retired_on = dt.date.today() if retired else None  # noqa: DTZ011 - a calendar date, not a moment
    indicator.save(update_fields=["retired_on"])
    return indicator


@transaction.atomic
def indicator_set_responsible(*, indicator: Indicator, user: Any, responsible: Sequence[AgencyRef]) -> None:
    _require_edit(user, indicator.plan)
    _set_assignments(
        indicator.plan, {"indicator": indicator}, indicator.assignments.all(), None, responsible, Role.RESPONSIBLE
    )


@transaction.atomic
def target_create(*, indicator: Indicator, user: Any, data: Mapping[str, Any]) -> Target:
    _require_edit(user, indicator.plan)
    return _target_save(Target(indicator=indicator, order=_next_order(indicator.targets.all())), data)


@transaction.atomic
def target_update(*, target: Target, user: Any, data: Mapping[str, Any]) -> Target:
    _require_edit(user, target.indicator.plan)
    return _target_save(target, data)


@transaction.atomic
def target_delete(*, target: Target, user: Any) -> None:
    _require_edit(user, target.indicator.plan)
    target.delete()


@transaction.atomic
def indicator_adopt(
    *,
    plan: Plan,
    user: Any,
    catalogue: CatalogueIndicator,
    objective: Objective | None = None,
    targets: Sequence[Mapping[str, Any]] | None = None,
) -> Indicator:
    """Copy a national-strategy indicator into the plan, with the plan's own targets.

    Without `targets` the strategy's targets are copied as a starting point to adapt.
    """
    _require_edit(user, plan)
    _same_plan(plan, "objective", objective)
    already = plan.indicators.filter(catalogue=catalogue).first()
    if already is not None:
        raise CatalogueAlreadyAdopted(already)
    # Every indicator field the strategy's indicator also has is copied; the objective is the plan's own.
    shared = {f.name for f in CatalogueIndicator._meta.concrete_fields} & set(INDICATOR_FIELDS)
    data: dict[str, Any] = {name: getattr(catalogue, name) for name in INDICATOR_FIELDS if name in shared}
    data["objective"] = objective
    if targets is None:
        targets = [_catalogue_target(item) for item in catalogue.targets if isinstance(item, dict)]
    indicator = indicator_create(plan=plan, user=user, data=data, targets=targets)
    indicator.catalogue = catalogue
    indicator.save(update_fields=["catalogue"])
    return indicator


def _catalogue_target(item: Mapping[str, Any]) -> dict[str, Any]:
    value = item.get("value")
    return {
        "year": item.get("year"),
        # Through str: the catalogue's JSON floats must not bring binary fractions into a Decimal field.
        "value": None if value is None or isinstance(value, bool) else Decimal(json.dumps(value)),
        "comparator": item.get("comparator") or "",
        "text": item.get("text") or "",
    }
