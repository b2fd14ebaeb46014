"""Reporting periods of a plan and who reports what in them: the writes that set up a reporting cycle.

The calendar itself (cut-offs and deadlines) is pure date arithmetic in plans/schedule.py; this module writes the
periods and the reports it asks for. Each write is one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q

from binhdang.places.models import AdministrativeUnit, AdvancementCommittee, Agency, AgencyKind
from binhdang.places.selectors import unit_tree_ids
from binhdang.plans.models import Assignment, Indicator, Measure, Plan
from binhdang.plans.schedule import periods_for_rule

from .errors import NotAllowed
from .models import Period, Report, ReportIndicator, ReportStatus, ReportTask

# --- periods -------------------------------------------------------------------------------------------------


@transaction.atomic
def periods_generate(*, plan: Plan) -> list[Period]:
    """Create the periods the plan's regime asks for, across all its years. Idempotent; closed periods are kept,
    and so are the dates of a period that a sent report belongs to (its figures were given for those dates)."""
    result = []
    for rule in plan.reporting_rules.all():
        for spec in periods_for_rule(rule.kind, rule.due, plan.year_start, plan.year_end):
            period, created = Period.objects.get_or_create(
                plan=plan,
                kind=spec.kind,
                year=spec.year,
                number=spec.number,
                defaults={
                    "rule": rule,
                    "label": spec.label,
                    "data_from": spec.data_from,
                    "data_to": spec.data_to,
                    "due": spec.due,
                },
            )
            if not created and not period.closed and not period.reports.exclude(status=ReportStatus.DRAFT).exists():
                period.label, period.data_from, period.data_to, period.due = (
                    spec.label,
                    spec.data_from,
                    spec.data_to,
                    spec.due,
                )
                period.save(update_fields=["label", "data_from", "data_to", "due"])
            result.append(period)
    return result


@transaction.atomic
def period_create(
    *, plan: Plan, user: Any, kind: str, year: int, label: str, data_from: dt.date, data_to: dt.date, due: dt.date
) -> Period:
    """An ad hoc (đột xuất) or extra period set by the standing agency."""
    from binhdang.plans.selectors import plan_can_edit

    if not plan_can_edit(user, plan):
        raise NotAllowed
    number = (
        Period.objects.filter(plan=plan, kind=kind, year=year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    return Period.objects.create(
        plan=plan, kind=kind, year=year, number=number, label=label, data_from=data_from, data_to=data_to, due=due
    )


@transaction.atomic
def period_close(*, period: Period, user: Any, closed: bool = True) -> Period:
    from binhdang.plans.selectors import plan_can_edit

    if not plan_can_edit(user, period.plan):
        raise NotAllowed
    period.closed = closed
    period.save(update_fields=["closed"])
    return period


# --- who reports what ----------------------------------------------------------------------------------------


@dataclass
class ReporterSpec:
    agency: Agency
    unit: AdministrativeUnit
    is_committee: bool
    indicator_ids: set[int] = field(default_factory=set)
    task_ids: set[int] = field(default_factory=set)


def reporters_for(plan: Plan) -> list[ReporterSpec]:
    """Each agency assigned work in the plan, and each lower-level committee (through its standing agency).

    An agency reports exactly the indicators it is responsible for and the tasks it leads or partners.
    A lower-level committee reports the plan's measurable indicators (those assigned to lower committees
    when the plan says so, otherwise all of them) and the tasks addressed to lower committees.
    Retired indicators and tasks are asked of nobody, and only agencies of units inside the plan's unit tree
    report: a plan cannot pull in another province's agencies (issue 13, finding 1).
    """
    inside = _unit_tree_ids(plan)
    specs: dict[int, ReporterSpec] = {}
    assignments = Assignment.objects.filter(
        Q(task__plan=plan, task__retired_on__isnull=True) | Q(indicator__plan=plan, indicator__retired_on__isnull=True)
    ).select_related("agency__unit")
    lower_indicators: set[int] = set()
    lower_tasks: set[int] = set()
    for assignment in assignments:
        agency = assignment.agency
        target_ids = None
        if assignment.indicator_id:
            target_ids = ("indicator", assignment.indicator_id)
        elif assignment.task_id:
            target_ids = ("task", assignment.task_id)
        if target_ids is None:
            continue
        if agency.kind == AgencyKind.LOWER_COMMITTEES:
            (lower_indicators if target_ids[0] == "indicator" else lower_tasks).add(target_ids[1])
            continue
        if agency.kind == AgencyKind.GROUP or agency.unit_id not in inside:
            continue
        spec = specs.setdefault(agency.pk, ReporterSpec(agency, agency.unit, False))
        (spec.indicator_ids if target_ids[0] == "indicator" else spec.task_ids).add(target_ids[1])
    measurable = set(
        Indicator.objects.filter(plan=plan, retired_on__isnull=True)
        .exclude(measure=Measure.TEXT)
        .values_list("pk", flat=True)
    )
    committee_indicators = lower_indicators or measurable
    for committee in _lower_committees(plan):
        agency = committee.standing_agency
        if committee.unit_id not in inside:
            continue
        spec = specs.setdefault(agency.pk, ReporterSpec(agency, committee.unit, True))
        spec.is_committee = True
        spec.unit = committee.unit
        spec.indicator_ids |= committee_indicators
        spec.task_ids |= lower_tasks
    return sorted(specs.values(), key=lambda s: (s.is_committee, s.unit.name, s.agency.name))


def _unit_tree_ids(plan: Plan) -> set[int]:
    """The plan's unit, every unit below it, and the historic units merged into them."""
    return unit_tree_ids({plan.unit_id})


def _lower_committees(plan: Plan) -> list[AdvancementCommittee]:
    """Committees of the units directly below the plan's unit, and of units whose plans carry this plan out."""
    child_units = set(AdministrativeUnit.objects.filter(parent=plan.unit).values_list("pk", flat=True))
    child_units |= set(plan.children.values_list("unit_id", flat=True))
    child_units.discard(plan.unit_id)
    return list(
        AdvancementCommittee.objects.filter(unit_id__in=child_units, valid_to__isnull=True).select_related(
            "unit", "standing_agency"
        )
    )


@transaction.atomic
def reports_generate(*, period: Period) -> list[Report]:
    """One report per reporter for the period, listing exactly its indicators and tasks. Idempotent.

    An existing report gains lines for indicators and tasks added to the plan since only while it is a draft,
    and its version moves on so that a form opened before cannot overwrite it; a sent, returned or accepted
    report is never changed here (what was sent or accepted is what was asked for then)."""
    reports = []
    for spec in reporters_for(period.plan):
        report, created = Report.objects.get_or_create(
            period=period, reporter=spec.agency, defaults={"unit": spec.unit, "is_committee": spec.is_committee}
        )
        if not created:
            report = Report.objects.select_for_update().get(pk=report.pk)
            if report.status != ReportStatus.DRAFT:
                reports.append(report)
                continue
        have_ind = set(report.indicator_lines.values_list("indicator_id", flat=True))
        new_ind = ReportIndicator.objects.bulk_create(
            [ReportIndicator(report=report, indicator_id=i) for i in sorted(spec.indicator_ids - have_ind)]
        )
        have_task = set(report.task_lines.values_list("task_id", flat=True))
        new_task = ReportTask.objects.bulk_create(
            [ReportTask(report=report, task_id=t) for t in sorted(spec.task_ids - have_task)]
        )
        if not created and (new_ind or new_task):
            report.version += 1
            report.save(update_fields=["version", "updated_at"])
        reports.append(report)
    return reports


@dataclass(frozen=True)
class CycleSetUp:
    periods: list[Period]
    new_reports: int


@transaction.atomic
def reporting_cycle_set_up(*, plan: Plan, user: Any) -> CycleSetUp:
    """The plan's periods and, in every open one, a report per reporter: one decision, one transaction (a
    failure half-way leaves nothing behind). Only the plan's editors may do it."""
    from binhdang.plans.selectors import plan_can_edit

    if not plan_can_edit(user, plan):
        raise NotAllowed
    periods = periods_generate(plan=plan)
    open_ids = [period.pk for period in periods if not period.closed]
    before = Report.objects.filter(period_id__in=open_ids).count()
    for period in periods:
        if not period.closed:
            reports_generate(period=period)
    return CycleSetUp(periods, Report.objects.filter(period_id__in=open_ids).count() - before)
