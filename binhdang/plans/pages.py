"""What the plan pages show: the plan list's search, a plan's page (its parts grouped and numbered, the budget
table with its checks, the reporting deadlines) and an agency's work, built from the selectors for the views in
`binhdang.web.views.browse`, which keep only the request and the response (like `binhdang.analytics.pages`).

Labels go through gettext, so they follow the language of the request. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from binhdang.lib.budget import BudgetCheck, budget_checks
from binhdang.lib.text import fold
from binhdang.places.models import Agency

from . import selectors
from .models import Assignment, FundingSource, Indicator, Objective, Plan, Project, Role, Task
from .numbering import label_indicators, label_tasks
from .schedule import deadlines_in_plan, next_deadlines

SOURCE_ORDER = [FundingSource.CENTRAL.value, FundingSource.LOCAL.value, FundingSource.OTHER.value, ""]


# The plan list ---------------------------------------------------------------------------------------------


def _text_matches(plans: QuerySet[Plan], text: str) -> QuerySet[Plan]:
    """Plans whose title, code or issuer contain the text, ignoring case and Vietnamese accents.

    The database does the plain case-insensitive match; the accent-insensitive one ("binh dang" finds
    "bình đẳng") folds the three short fields of the already-scoped plans in Python, which is one light
    query over the plans the user may see.
    """
    needle = fold(text)
    folded_ids = [
        pk
        for pk, title, code, issuer in plans.values_list("pk", "title", "code", "issuer")
        if needle in fold(f"{title} {code} {issuer}")
    ]
    raw = Q(title__icontains=text) | Q(code__icontains=text) | Q(issuer__icontains=text)
    return plans.filter(raw | Q(pk__in=folded_ids))


def plan_search(
    plans: QuerySet[Plan],
    *,
    text: str = "",
    level: str = "",
    status: str = "",
    year: int | None = None,
    unit: str = "",
) -> QuerySet[Plan]:
    """The plans (already scoped to the user) that match the plan list's filters; empty filters match all."""
    if level:
        plans = plans.filter(level=level)
    if status:
        plans = plans.filter(status=status)
    if year is not None:
        plans = plans.filter(year_start__lte=year, year_end__gte=year)
    if unit.strip():
        plans = plans.filter(Q(unit__name_key__contains=fold(unit)) | Q(unit_written_as__icontains=unit.strip()))
    if text.strip():
        plans = _text_matches(plans, text.strip())
    return plans


# A plan's page -------------------------------------------------------------------------------------------


@dataclass
class AgencyTasks:
    """One agency's share of a plan's tasks, for the "Tổ chức thực hiện" section."""

    agency: Agency | None
    linked: bool = False
    rows: list[tuple[Task, str, list[Assignment]]] = field(default_factory=list)
    # The names the plan wrote for this agency where they differ from its name ("Sở LĐTĐ&XH").
    written: list[str] = field(default_factory=list)


def tasks_by_agency(tasks: Iterable[Task], visible_agency_ids: set[int]) -> list[AgencyTasks]:
    """Tasks grouped by the agencies named on them, leads and partners marked, in order of first mention.

    A task appears under each agency named on it; a task with no lead also appears in the group of tasks
    "Chưa giao cơ quan chủ trì", so that nothing unassigned goes unseen.
    """
    groups: dict[int, AgencyTasks] = {}
    unassigned = AgencyTasks(agency=None)
    for task in tasks:
        assignments = list(task.assignments.all())
        if not any(a.role == Role.LEAD for a in assignments):
            others = [a for a in assignments if a.role == Role.PARTNER]
            unassigned.rows.append((task, "", others))
        for assignment in assignments:
            group = groups.get(assignment.agency_id)
            if group is None:
                group = AgencyTasks(agency=assignment.agency, linked=assignment.agency_id in visible_agency_ids)
                groups[assignment.agency_id] = group
            others = [a for a in assignments if a.agency_id != assignment.agency_id]
            group.rows.append((task, assignment.role, others))
            if assignment.written_as != assignment.agency.name and assignment.written_as not in group.written:
                group.written.append(assignment.written_as)
    result = list(groups.values())
    if unassigned.rows:
        result.append(unassigned)
    return result


@dataclass
class BudgetColumn:
    year: int | None
    source: str | None  # None: all sources of the year (a subtotal column)
    label: str
    group_end: bool = False


@dataclass
class BudgetCell:
    amount: Decimal | None
    printed: Decimal | None = None
    check: BudgetCheck | None = None


@dataclass
class BudgetTable:
    columns: list[BudgetColumn]
    year_groups: list[tuple[str, int]]
    rows: list[tuple[str, list[BudgetCell]]]
    computed: list[BudgetCell]
    printed: list[BudgetCell]
    checks: list[dict[str, Any]]
    has_printed: bool

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [row for row in self.checks if not row["check"].ok]


def _source_label(source: str | None) -> str:
    if source is None:
        return _("Cộng")
    if source == "":
        return _("Không rõ nguồn")
    return str(FundingSource(source).label)


def _check_row(check: BudgetCheck) -> dict[str, Any]:
    """A check with the words the page shows for its scope: which item, which year, which source."""
    return {
        "check": check,
        "item": check.item or _("toàn kế hoạch"),
        "year": str(check.year) if check.year is not None else _("cả giai đoạn"),
        "source": _source_label(check.source) if check.source else _("mọi nguồn"),
        "difference": check.computed - check.printed,
    }


def budget_table(plan: Plan) -> BudgetTable | None:
    """The budget as the Quảng Ninh table prints it: items down, (year, source) across, sums computed.

    Columns: each year's sources (and the year's sum when it has more than one), then the whole period by
    source and in all. Every sum is computed from the lines; the printed totals are shown on their own row
    beside the computed one, each checked against the lines (lib.budget) and never corrected.
    """
    lines = list(plan.budgetlines.all())
    totals = list(plan.budgettotals.all())
    if not lines and not totals:
        return None
    line_dicts: list[dict[str, Any]] = [
        {"item": ln.item or None, "year": ln.year, "source": ln.source or None, "amount": ln.amount} for ln in lines
    ]
    total_dicts: list[dict[str, Any]] = [
        {"item": t.item or None, "year": t.year, "source": t.source or None, "amount": t.amount} for t in totals
    ]
    checks = budget_checks(line_dicts, total_dicts)

    years = sorted({ln.year for ln in lines if ln.year is not None} | {t.year for t in totals if t.year is not None})
    columns: list[BudgetColumn] = []
    year_groups: list[tuple[str, int]] = []

    for year in [*years, *([None] if any(ln.year is None for ln in lines) else [])]:
        in_year = [ln for ln in lines if ln.year == year] + [t for t in totals if t.year == year and t.source]
        sources = [s for s in SOURCE_ORDER if s in {x.source or "" for x in in_year}]
        start = len(columns)
        columns.extend(BudgetColumn(year, s, _source_label(s)) for s in sources)
        if len(sources) != 1:
            columns.append(BudgetColumn(year, None, _("Cộng")))
        columns[-1].group_end = True
        year_groups.append((str(year) if year is not None else _("Không ghi năm"), len(columns) - start))
    # The whole period: by source, then everything.
    all_sources = [
        s for s in SOURCE_ORDER if s in {ln.source or "" for ln in lines} | {t.source or "" for t in totals if t.source}
    ]
    start = len(columns)
    columns.extend(BudgetColumn(0, s, _source_label(s)) for s in all_sources if len(all_sources) > 1)
    columns.append(BudgetColumn(0, None, _("Tổng")))
    year_groups.append((_("Cả giai đoạn"), len(columns) - start))

    def covers(column: BudgetColumn, year: int | None, source: str) -> bool:
        # Year 0 marks the whole-period columns; None marks lines with no year.
        return (column.year == 0 or column.year == year) and (column.source is None or column.source == source)

    def sums(selected: list[Any]) -> list[BudgetCell]:
        cells = []
        for column in columns:
            covered = [ln.amount for ln in selected if covers(column, ln.year, ln.source or "")]
            cells.append(BudgetCell(sum(covered, Decimal(0)) if covered else None))
        return cells

    items: list[str] = []
    for ln in lines:
        if ln.item not in items:
            items.append(ln.item)
    rows = [(item or _("(không ghi hạng mục)"), sums([ln for ln in lines if ln.item == item])) for item in items]

    # Printed grand totals (no item) go under the column they sum; item totals appear in the checks list.
    printed: list[BudgetCell] = [BudgetCell(None) for _column in columns]
    for total, check in zip(total_dicts, checks, strict=True):
        if total["item"]:
            continue
        for index, column in enumerate(columns):
            year_matches = (column.year == 0 and total["year"] is None) or (
                column.year not in (0, None) and column.year == total["year"]
            )
            if year_matches and column.source == (total["source"] if total["source"] else None):
                printed[index] = BudgetCell(total["amount"], printed=total["amount"], check=check)
    # A total printed for a source the lines never use has no column; the checks list still names it.
    return BudgetTable(
        columns=columns,
        year_groups=year_groups,
        rows=rows,
        computed=sums(lines),
        printed=printed,
        checks=[_check_row(check) for check in checks],
        has_printed=any(cell.check is not None for cell in printed),
    )


def objectives_tree(
    plan: Plan,
) -> tuple[list[tuple[Objective, list[Indicator]]], dict[int, list[Indicator]], list[Indicator]]:
    """Indicators under their objective, or under their project, or (neither) on their own."""
    by_objective: dict[int, list[Indicator]] = {}
    by_project: dict[int, list[Indicator]] = {}
    loose: list[Indicator] = []
    for ind in plan.indicators.all():
        if ind.objective_id is not None:
            by_objective.setdefault(ind.objective_id, []).append(ind)
        elif ind.project_id is not None:
            by_project.setdefault(ind.project_id, []).append(ind)
        else:
            loose.append(ind)
    return [(obj, by_objective.get(obj.pk, [])) for obj in plan.objectives.all()], by_project, loose


def project_tree(plan: Plan, indicators: dict[int, list[Indicator]]) -> list[tuple[Project, int, list[Indicator]]]:
    """Projects depth-first with their depth and indicators, so Dự án → Tiểu dự án → Nội dung nest."""
    projects = list(plan.projects.all())
    children: dict[int | None, list[Project]] = {}
    for proj in projects:
        children.setdefault(proj.parent_id, []).append(proj)
    ordered: list[tuple[Project, int, list[Indicator]]] = []

    def walk(parent: int | None, depth: int) -> None:
        for proj in children.get(parent, []):
            ordered.append((proj, depth, indicators.get(proj.pk, [])))
            walk(proj.pk, depth + 1)

    walk(None, 0)
    seen = {proj.pk for proj, _depth, _inds in ordered}
    ordered.extend((proj, 0, indicators.get(proj.pk, [])) for proj in projects if proj.pk not in seen)
    return ordered


def reporting_rows(plan: Plan, today: dt.date) -> list[dict[str, Any]]:
    """Each reporting rule with its next deadline and the deadline the plan sets (the first in its years)."""
    result = []
    for rule in plan.reporting_rules.all():
        try:
            upcoming = next_deadlines(rule, plan, today)
            dates = deadlines_in_plan(rule, plan) if rule.due else []
            deadline = dates[0] if dates else None
        except ValueError:
            upcoming, deadline = [], None
        result.append(
            {
                "rule": rule,
                "next": upcoming[0] if upcoming else None,
                # A one-year plan's deadline is one date; only a multi-year plan repeats it "hằng năm".
                "yearly": rule.due.startswith("--") and plan.year_end > plan.year_start,
                "deadline": deadline,
            }
        )
    return result


def plan_page(user: Any, plan: Plan, today: dt.date) -> dict[str, Any]:
    """Everything a plan's page shows of a plan the user may see (from `selectors.plan_detail`, prefetched)."""
    visible = selectors.plans_visible_to(user)
    linked_ids = {ref.linked_plan_id for ref in plan.references.all() if ref.linked_plan_id}
    linked_ids |= {child.pk for child in plan.children.all()}
    if plan.parent_id:
        linked_ids.add(plan.parent_id)
    readable = set(visible.filter(pk__in=linked_ids).values_list("pk", flat=True)) if linked_ids else set()
    agency_ids = {a.agency_id for task in plan.tasks.all() for a in task.assignments.all()}
    visible_agencies = set(selectors.agencies_visible_to(user).filter(pk__in=agency_ids).values_list("pk", flat=True))
    label_indicators(plan.indicators.all())  # the prefetched rows the page prints
    label_tasks(plan.tasks.all())
    objectives, project_indicators, loose_indicators = objectives_tree(plan)
    return {
        "plan": plan,
        "can_edit": selectors.plan_can_edit(user, plan),
        "references": list(plan.references.all()),
        "readable_ids": readable,
        "children": [child for child in plan.children.all() if child.pk in readable],
        "objectives": objectives,
        "loose_indicators": loose_indicators,
        "projects": project_tree(plan, project_indicators),
        "project_indicator_count": sum(len(v) for v in project_indicators.values()),
        "task_groups": tasks_by_agency(plan.tasks.all(), visible_agencies),
        "task_count": len(plan.tasks.all()),
        "budget": budget_table(plan),
        "reporting": reporting_rows(plan, today),
        "ended": plan.year_end < today.year,
    }


# An agency's work ----------------------------------------------------------------------------------------


def _role_of(assignments: Iterable[Assignment], agency: Agency) -> str:
    # "report": not assigned to the agency by name, but on its report (a lower committee's share).
    return next((a.role for a in assignments if a.agency_id == agency.pk), "report")


def agency_work_plans(agency: Agency, tasks: list[Task], indicators: list[Indicator]) -> list[dict[str, Any]]:
    """The agency's tasks and indicators grouped by plan, numbered as their plans number them, with its role."""
    label_tasks(tasks)
    label_indicators(indicators)
    # The role comes from each item's own assignments: the selector's roles map is keyed by bare ids,
    # which a task and an indicator can share.
    prefetch_related_objects(indicators, "assignments")
    plans: dict[int, dict[str, Any]] = {}
    for task in tasks:
        entry = plans.setdefault(task.plan_id, {"plan": task.plan, "tasks": [], "indicators": []})
        entry["tasks"].append((task, _role_of(task.assignments.all(), agency), task.assignments.all()))
    for ind in indicators:
        entry = plans.setdefault(ind.plan_id, {"plan": ind.plan, "tasks": [], "indicators": []})
        entry["indicators"].append((ind, _role_of(ind.assignments.all(), agency)))
    return list(plans.values())
