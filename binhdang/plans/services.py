"""Writes on plans and their parts. Each function is keyword-only, typed and one transaction (STYLE.md).

Every service first checks `plan_can_edit(user, plan)` and raises `PlanNotEditable` otherwise, so no caller
(view, command, API) can change a plan the user may not change. Rule violations are named exceptions
(subclasses of `PlanError`) that the edges map to messages; nothing of a refused call is written, because the
check that refuses runs inside the transaction that would have written.

Part data arrive as mappings of model field names (a form's `cleaned_data` does), so each service copies the
fields it knows and ignores the rest. Agencies arrive as `Agency` objects or as names; names are resolved
with `agency_get_or_create` in the plan's unit, inside the transaction, so a refused call creates none.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction

from binhdang.lib.text import clean_text
from binhdang.places.models import AdministrativeUnit, Agency, AgencyKind
from binhdang.places.selectors import user_agency, user_is_admin
from binhdang.places.services import agency_find, agency_get_or_create

from .errors import PlanError, PlanNotEditable
from .interchange.load import plan_load, reference_links_refresh
from .locks import assert_free
from .models import (
    INDICATOR_FIELDS,
    INDICATOR_TEXT_FIELDS,
    Assignment,
    BudgetLine,
    BudgetTotal,
    CatalogueIndicator,
    Indicator,
    Objective,
    Plan,
    PlanStatus,
    Project,
    ProjectPlace,
    Reference,
    ReferenceRelation,
    ReportingRule,
    Role,
    Target,
    Task,
)
from .selectors import plan_can_edit, plans_visible_to, unit_is_below

AgencyRef = Agency | str
"""An agency already known, or a name to resolve (and create if unknown) in the plan's unit."""

M = TypeVar("M", bound=models.Model)


# --- named rule violations ---------------------------------------------------------------------------------
# They live here rather than in errors.py because only these services raise them; all are PlanErrors.


class AgencyLeadAndPartner(PlanError):
    """One agency was named as both the lead and a partner of the same task or project."""

    def __init__(self, agency: Agency) -> None:
        self.agency = agency
        super().__init__(f"{agency.name!r} cannot be both lead and partner")


class PartOfOtherPlan(PlanError):
    """A link (objective, indicator, parent task, ...) points at a part of another plan."""

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(f"{field} belongs to another plan")


class DeriveUnitNotBelow(PlanError):
    """A plan can only be derived for a unit below the unit of the plan it comes from."""

    def __init__(self, unit: AdministrativeUnit, parent: Plan) -> None:
        self.unit = unit
        self.parent = parent
        super().__init__(f"{unit} is not below {parent.unit}")


class ParentNotAbove(PlanError):
    """A "parent" reference names a plan that is not of a unit above this plan's unit (same hierarchy)."""

    code = "parent_not_above"

    def __init__(self, plan_code: str) -> None:
        self.plan_code = plan_code
        super().__init__(f"no plan {plan_code!r} of a unit above this plan's unit: it cannot be the parent plan")


class ParentNotVisible(PlanError):
    """A "parent" reference names a plan the user may not see; linking would join a reporting it cannot read."""

    code = "parent_not_visible"

    def __init__(self, plan_code: str) -> None:
        self.plan_code = plan_code
        super().__init__(f"no plan {plan_code!r} visible to this user can be the parent plan")


class NoUnit(PlanError):
    """The user belongs to no agency, so there is no unit to make the plan for."""


class CatalogueAlreadyAdopted(PlanError):
    """The plan already carries this indicator of the national strategy."""

    def __init__(self, indicator: Indicator) -> None:
        self.indicator = indicator
        super().__init__(f"the plan already adopted this catalogue indicator as {indicator.key}")


# --- helpers -----------------------------------------------------------------------------------------------


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


def _user_unit(user: Any) -> AdministrativeUnit:
    agency = user_agency(user)
    if agency is None:
        raise NoUnit(f"user {getattr(user, 'username', user)!r} belongs to no agency")
    return agency.unit


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


# --- objectives --------------------------------------------------------------------------------------------

OBJECTIVE_FIELDS = ("number", "title", "text")


@transaction.atomic
def objective_create(*, plan: Plan, user: Any, data: Mapping[str, Any]) -> Objective:
    _require_edit(user, plan)
    objective = Objective(
        plan=plan,
        key=_next_key(plan.objectives.values_list("key", flat=True), "O"),
        order=_next_order(plan.objectives.all()),
    )
    return _save(_apply(objective, data, OBJECTIVE_FIELDS, OBJECTIVE_FIELDS))


@transaction.atomic
def objective_update(*, objective: Objective, user: Any, data: Mapping[str, Any]) -> Objective:
    _require_edit(user, objective.plan)
    return _save(_apply(objective, data, OBJECTIVE_FIELDS, OBJECTIVE_FIELDS))


@transaction.atomic
def objective_delete(*, objective: Objective, user: Any) -> None:
    _require_edit(user, objective.plan)
    objective.delete()


# --- indicators and their targets --------------------------------------------------------------------------

_INDICATOR_MEANING = ("measure", "rate_per", "disaggregations")  # what a reported figure of it means
TARGET_FIELDS = ("year", "value", "comparator", "text")


def _indicator_fill(indicator: Indicator, data: Mapping[str, Any]) -> Indicator:
    _apply(indicator, data, INDICATOR_FIELDS, INDICATOR_TEXT_FIELDS)
    _same_plan(indicator.plan, "objective", indicator.objective)
    _same_plan(indicator.plan, "project", indicator.project)
    indicator.disaggregations = list(indicator.disaggregations or [])
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


# --- tasks -------------------------------------------------------------------------------------------------

TASK_FIELDS = ("parent", "section", "number", "text", "window_start", "window_end")
_TASK_TEXT = ("section", "number", "text", "window_start", "window_end")


def _task_fill(task: Task, data: Mapping[str, Any]) -> Task:
    _apply(task, data, TASK_FIELDS, _TASK_TEXT)
    _same_plan(task.plan, "parent", task.parent)
    if task.parent is not None and task.pk is not None:
        ancestor: Task | None = task.parent
        while ancestor is not None:
            if ancestor.pk == task.pk:
                raise PartOfOtherPlan("parent")  # a task cannot sit below itself
            ancestor = ancestor.parent
    return task


def _task_links(task: Task, data: Mapping[str, Any]) -> None:
    if "objectives" in data:
        objectives = list(data["objectives"] or [])
        _same_plan(task.plan, "objectives", *objectives)
        task.objectives.set(objectives)
    if "indicators" in data:
        indicators = list(data["indicators"] or [])
        _same_plan(task.plan, "indicators", *indicators)
        task.indicators.set(indicators)


@transaction.atomic
def task_create(
    *,
    plan: Plan,
    user: Any,
    data: Mapping[str, Any],
    lead: AgencyRef | None = None,
    partners: Sequence[AgencyRef] = (),
) -> Task:
    _require_edit(user, plan)
    task = Task(
        plan=plan, key=_next_key(plan.tasks.values_list("key", flat=True), "T"), order=_next_order(plan.tasks.all())
    )
    _save(_task_fill(task, data))
    _task_links(task, data)
    task_assign(task=task, user=user, lead=lead, partners=partners)
    return task


@transaction.atomic
def task_update(
    *,
    task: Task,
    user: Any,
    data: Mapping[str, Any],
    lead: AgencyRef | None = None,
    partners: Sequence[AgencyRef] | None = None,
) -> Task:
    """Change a task; with `partners` given (even empty), the lead and partners are replaced too."""
    _require_edit(user, task.plan)
    _save(_task_fill(task, data))
    _task_links(task, data)
    if partners is not None:
        task_assign(task=task, user=user, lead=lead, partners=partners)
    return task


def _task_tree_ids(task: Task) -> set[int]:
    """The task and its sub-tasks, which the database deletes with it."""
    ids, frontier = {task.pk}, {task.pk}
    while frontier:
        frontier = set(Task.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return ids


@transaction.atomic
def task_delete(*, task: Task, user: Any) -> None:
    """Delete a task (and its sub-tasks) no report hangs on; one with reports is retired (`task_retire`)."""
    _require_edit(user, task.plan)
    assert_free(code="delete", kind="task", ids=_task_tree_ids(task), label=task.number or task.key)
    task.delete()


@transaction.atomic
def task_retire(*, task: Task, user: Any, retired: bool = True) -> Task:
    """As `indicator_retire`, for a task."""
    _require_edit(user, task.plan)
    task.retired_on = dt.date.today() if retired else None  # noqa: DTZ011 - a calendar date, not a moment
    task.save(update_fields=["retired_on"])
    return task


@transaction.atomic
def task_assign(*, task: Task, user: Any, lead: AgencyRef | None, partners: Sequence[AgencyRef]) -> None:
    """Set the lead and partners of a task; refuses one agency as both (AgencyLeadAndPartner)."""
    _require_edit(user, task.plan)
    _set_assignments(task.plan, {"task": task}, task.assignments.all(), lead, partners, Role.PARTNER)


# --- projects ----------------------------------------------------------------------------------------------

PROJECT_FIELDS = ("parent", "kind", "number", "name", "scope")
_PROJECT_TEXT = ("kind", "number", "name", "scope")


def _project_fill(project: Project, data: Mapping[str, Any]) -> Project:
    _apply(project, data, PROJECT_FIELDS, _PROJECT_TEXT)
    _same_plan(project.plan, "parent", project.parent)
    if project.parent is not None and project.pk is not None:
        ancestor: Project | None = project.parent
        while ancestor is not None:
            if ancestor.pk == project.pk:
                raise PartOfOtherPlan("parent")
            ancestor = ancestor.parent
    return project


def _project_places(project: Project, data: Mapping[str, Any]) -> None:
    if "places" not in data:
        return
    from binhdang.places.resolve import unit_find

    on = project.plan.unit.valid_to or dt.date.today()  # noqa: DTZ011 - a calendar date, not a moment
    project.places.all().delete()
    ProjectPlace.objects.bulk_create(
        [
            ProjectPlace(
                project=project, order=i, written_as=name, unit=unit_find(name, at=on, within=project.plan.unit)
            )
            for i, name in enumerate(_lines(data["places"]))
        ]
    )


@transaction.atomic
def project_create(
    *,
    plan: Plan,
    user: Any,
    data: Mapping[str, Any],
    lead: AgencyRef | None = None,
    partners: Sequence[AgencyRef] = (),
) -> Project:
    _require_edit(user, plan)
    project = Project(
        plan=plan,
        key=_next_key(plan.projects.values_list("key", flat=True), "P"),
        order=_next_order(plan.projects.all()),
    )
    _save(_project_fill(project, data))
    _project_places(project, data)
    project_assign(project=project, user=user, lead=lead, partners=partners)
    return project


@transaction.atomic
def project_update(
    *,
    project: Project,
    user: Any,
    data: Mapping[str, Any],
    lead: AgencyRef | None = None,
    partners: Sequence[AgencyRef] | None = None,
) -> Project:
    _require_edit(user, project.plan)
    _save(_project_fill(project, data))
    _project_places(project, data)
    if partners is not None:
        project_assign(project=project, user=user, lead=lead, partners=partners)
    return project


@transaction.atomic
def project_delete(*, project: Project, user: Any) -> None:
    _require_edit(user, project.plan)
    project.delete()


@transaction.atomic
def project_assign(*, project: Project, user: Any, lead: AgencyRef | None, partners: Sequence[AgencyRef]) -> None:
    _require_edit(user, project.plan)
    _set_assignments(project.plan, {"project": project}, project.assignments.all(), lead, partners, Role.PARTNER)


# --- budget ------------------------------------------------------------------------------------------------

BUDGET_FIELDS = ("item", "year", "source", "amount")


@transaction.atomic
def budget_line_create(*, plan: Plan, user: Any, data: Mapping[str, Any]) -> BudgetLine:
    _require_edit(user, plan)
    line = BudgetLine(plan=plan, order=_next_order(plan.budgetlines.all()))
    return _save(_apply(line, data, BUDGET_FIELDS, ("item", "source")))


@transaction.atomic
def budget_line_update(*, line: BudgetLine, user: Any, data: Mapping[str, Any]) -> BudgetLine:
    _require_edit(user, line.plan)
    return _save(_apply(line, data, BUDGET_FIELDS, ("item", "source")))


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, user: Any) -> None:
    _require_edit(user, line.plan)
    line.delete()


@transaction.atomic
def budget_total_create(*, plan: Plan, user: Any, data: Mapping[str, Any]) -> BudgetTotal:
    _require_edit(user, plan)
    total = BudgetTotal(plan=plan, order=_next_order(plan.budgettotals.all()))
    return _save(_apply(total, data, BUDGET_FIELDS, ("item", "source")))


@transaction.atomic
def budget_total_update(*, total: BudgetTotal, user: Any, data: Mapping[str, Any]) -> BudgetTotal:
    _require_edit(user, total.plan)
    return _save(_apply(total, data, BUDGET_FIELDS, ("item", "source")))


@transaction.atomic
def budget_total_delete(*, total: BudgetTotal, user: Any) -> None:
    _require_edit(user, total.plan)
    total.delete()


# --- reporting regime --------------------------------------------------------------------------------------

REPORTING_FIELDS = ("kind", "due", "text", "recipients")


def _reporting_fill(
    rule: ReportingRule, data: Mapping[str, Any], to: AgencyRef | None, through: AgencyRef | None
) -> ReportingRule:
    _apply(rule, data, REPORTING_FIELDS, ("kind", "due", "text", "recipients"))
    for prefix, ref in (("to", to), ("through", through)):
        if ref in (None, ""):
            setattr(rule, f"{prefix}_agency", None)
            setattr(rule, f"{prefix}_written_as", "")
            continue
        assert ref is not None
        agency, name = _resolve(rule.plan, ref)
        current: Agency | None = getattr(rule, f"{prefix}_agency")
        keep = current is not None and current.pk == agency.pk and getattr(rule, f"{prefix}_written_as")
        setattr(rule, f"{prefix}_agency", agency)
        if not keep:
            setattr(rule, f"{prefix}_written_as", name)
    return rule


@transaction.atomic
def reporting_rule_create(
    *,
    plan: Plan,
    user: Any,
    data: Mapping[str, Any],
    to: AgencyRef | None = None,
    through: AgencyRef | None = None,
) -> ReportingRule:
    _require_edit(user, plan)
    rule = ReportingRule(plan=plan, order=_next_order(plan.reporting_rules.all()))
    return _save(_reporting_fill(rule, data, to, through))


@transaction.atomic
def reporting_rule_update(
    *,
    rule: ReportingRule,
    user: Any,
    data: Mapping[str, Any],
    to: AgencyRef | None = None,
    through: AgencyRef | None = None,
) -> ReportingRule:
    _require_edit(user, rule.plan)
    return _save(_reporting_fill(rule, data, to, through))


@transaction.atomic
def reporting_rule_delete(*, rule: ReportingRule, user: Any) -> None:
    _require_edit(user, rule.plan)
    rule.delete()


# --- deriving a lower level's plan -------------------------------------------------------------------------


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
        copy = Indicator.objects.create(
            plan=plan,
            key=ind.key,
            order=ind.order,
            objective=objectives.get(ind.objective_id) if ind.objective_id else None,
            number=ind.number,
            text=ind.text,
            measure=ind.measure,
            unit=ind.unit,
            direction=ind.direction,
            rate_per=ind.rate_per,
            numerator=ind.numerator,
            denominator=ind.denominator,
            disaggregations=list(ind.disaggregations),
            baseline_year=ind.baseline_year,
            baseline_value=ind.baseline_value,
            catalogue=ind.catalogue,
        )
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
