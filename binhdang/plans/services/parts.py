"""Writes on a plan's other parts: objectives, tasks, projects, budget lines and totals, the reporting regime."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from binhdang.places.models import Agency

from ..locks import assert_free
from ..models import (
    BudgetLine,
    BudgetTotal,
    Objective,
    Plan,
    Project,
    ProjectPlace,
    ReportingRule,
    Role,
    Task,
)
from .common import (
    AgencyRef,
    _apply,
    _lines,
    _next_key,
    _next_order,
    _require_edit,
    _resolve,
    _same_plan,
    _save,
    _set_assignments,
)
from .violations import (
    PartCycle,
)

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
                raise PartCycle("parent")  # a task cannot sit below itself
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
                raise PartCycle("parent")  # nor a project
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
