"""Interagency inspections (Đoàn kiểm tra liên ngành) and mid-term and final reviews (sơ kết, tổng kết).

An inspection names its team, the units and agencies it visits and its dates; its findings and
recommendations are recorded per unit (or agency) and followed until closed. Only those who may change the
plan (plans.selectors.plan_can_edit: the plan's own unit, and administrators) record and close them.

A review period (kind midterm or final) gathers the compiled figures of every period inside its data window
into one table, indicator by period (`review_gather`), from the accepted reports only, as compilation.py
rolls them up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from binhdang.lib.numbers import format_vn_number
from binhdang.places.models import AdministrativeUnit, Agency
from binhdang.places.selectors import unit_tree_ids, units_in_scope_ids, user_agency
from binhdang.plans.models import Indicator, Measure, Plan, Target
from binhdang.plans.numbering import label_indicators
from binhdang.plans.selectors import plan_can_edit

from .compilation import Cell, compile_indicators
from .errors import InvalidValues, Issue, NotAllowed, WrongState
from .models import Finding, FindingStatus, Inspection, Period, Sex
from .selectors import can_see_compiled

REVIEW_KINDS = ("midterm", "final")


# --- where an inspection may go ------------------------------------------------------------------------------


def inspection_unit_ids(plan: Plan) -> set[int]:
    """The plan's unit, the units below it, and (for units merged in 2025) their predecessors and successors."""
    own = {plan.unit_id}
    successors = set(plan.unit.successors.values_list("pk", flat=True))
    return unit_tree_ids(own | successors)


def inspection_units(plan: Plan) -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(pk__in=inspection_unit_ids(plan)).order_by("level", "name")


def inspection_agencies(plan: Plan) -> QuerySet[Agency]:
    return (
        Agency.objects.filter(unit_id__in=inspection_unit_ids(plan))
        .select_related("unit")
        .order_by("unit__name", "name")
    )


def _require_editor(user: Any, plan: Plan) -> None:
    if not plan_can_edit(user, plan):
        raise NotAllowed


# --- services ------------------------------------------------------------------------------------------------


@transaction.atomic
def inspection_create(
    *,
    plan: Plan,
    user: Any,
    title: str,
    team: str,
    starts_on: dt.date,
    ends_on: dt.date,
    units: Iterable[AdministrativeUnit],
    agencies: Iterable[Agency],
) -> Inspection:
    _require_editor(user, plan)
    units, agencies = list(units), list(agencies)
    issues: list[Issue] = []
    title = (title or "").strip()
    if not title:
        issues.append(Issue("error", "title", gettext("Hãy ghi tên đoàn kiểm tra.")))
    if ends_on < starts_on:
        issues.append(Issue("error", "ends_on", gettext("Ngày kết thúc trước ngày bắt đầu.")))
    if not units and not agencies:
        issues.append(Issue("error", "units", gettext("Hãy chọn ít nhất một địa bàn hoặc cơ quan được kiểm tra.")))
    allowed = inspection_unit_ids(plan)
    outside = [u.name for u in units if u.pk not in allowed] + [a.name for a in agencies if a.unit_id not in allowed]
    if outside:
        issues.append(
            Issue(
                "error",
                "units",
                gettext("Ngoài địa bàn của kế hoạch: %(names)s.") % {"names": ", ".join(outside)},
            )
        )
    if issues:
        raise InvalidValues(issues)
    inspection = Inspection.objects.create(
        plan=plan, title=title, team=(team or "").strip(), starts_on=starts_on, ends_on=ends_on
    )
    inspection.units.set(units)
    inspection.agencies.set(agencies)
    return inspection


@transaction.atomic
def finding_add(
    *,
    inspection: Inspection,
    user: Any,
    unit: AdministrativeUnit | None,
    agency: Agency | None,
    text: str,
    recommendation: str,
    due: dt.date | None,
) -> Finding:
    """A finding and its recommendation about one visited unit or agency (the agency's unit when no unit)."""
    _require_editor(user, inspection.plan)
    issues: list[Issue] = []
    text = (text or "").strip()
    if not text:
        issues.append(Issue("error", "text", gettext("Hãy ghi nội dung phát hiện.")))
    if unit is None and agency is not None:
        unit = agency.unit
    if unit is None:
        issues.append(Issue("error", "unit", gettext("Hãy chọn địa bàn hoặc cơ quan.")))
    else:
        visited_units = set(inspection.units.values_list("pk", flat=True))
        visited_agencies = set(inspection.agencies.values_list("pk", flat=True))
        if agency is not None:
            visited = agency.pk in visited_agencies or agency.unit_id in visited_units
        else:
            visited = unit.pk in visited_units | set(inspection.agencies.values_list("unit_id", flat=True))
        if not visited:
            issues.append(Issue("error", "unit", gettext("Địa bàn, cơ quan này không thuộc đợt kiểm tra.")))
    if due is not None and due < inspection.starts_on:
        issues.append(Issue("error", "due", gettext("Hạn khắc phục trước ngày bắt đầu kiểm tra.")))
    if issues:
        raise InvalidValues(issues)
    return Finding.objects.create(
        inspection=inspection,
        unit=unit,
        agency=agency,
        text=text,
        recommendation=(recommendation or "").strip(),
        due=due,
    )


@transaction.atomic
def finding_close(*, finding: Finding, user: Any, note: str) -> Finding:
    """Record that a finding has been remedied, with what was done. A closed finding stays closed."""
    finding = Finding.objects.select_for_update().select_related("inspection__plan__unit").get(pk=finding.pk)
    _require_editor(user, finding.inspection.plan)
    if finding.status != FindingStatus.OPEN:
        raise WrongState
    note = (note or "").strip()
    if not note:
        raise InvalidValues([Issue("error", "note", gettext("Hãy ghi kết quả khắc phục."))])
    finding.status = FindingStatus.CLOSED
    finding.closed_at = timezone.now()
    finding.closing_note = note
    finding.save(update_fields=["status", "closed_at", "closing_note"])
    return finding


# --- reads ---------------------------------------------------------------------------------------------------


@dataclass
class FindingGroup:
    unit: AdministrativeUnit | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(1 for f in self.findings if f.status == FindingStatus.OPEN)


def findings_visible_to(user: Any, inspection: Inspection) -> QuerySet[Finding]:
    """All findings for the plan's overseers (selectors.can_see_compiled); for anyone else, those about its own
    agency and about the units of its scope, but not another agency's: peers do not read each other's."""
    findings = inspection.findings.all()
    if can_see_compiled(user, inspection.plan):
        return findings
    agency = user_agency(user)
    if agency is None:
        return findings.none()
    scope = units_in_scope_ids(user) or set()
    return findings.filter(Q(agency=agency) | Q(agency__isnull=True, unit_id__in=scope))


def findings_by_unit(inspection: Inspection, user: Any) -> list[FindingGroup]:
    groups: dict[int | None, FindingGroup] = {}
    findings = (
        findings_visible_to(user, inspection)
        .select_related("unit", "agency__unit")
        .order_by("unit__name", "-status", "pk")
    )
    for finding in findings:
        unit = finding.unit or (finding.agency.unit if finding.agency else None)
        key = unit.pk if unit is not None else None
        groups.setdefault(key, FindingGroup(unit)).findings.append(finding)
    return list(groups.values())


def review_periods(plan: Plan) -> QuerySet[Period]:
    return Period.objects.filter(plan=plan, kind__in=REVIEW_KINDS).order_by("due")


@dataclass
class ReviewRow:
    indicator: Indicator
    sex: str
    cells: list[Cell]  # one per period of the review, in order
    target: Target | None = None

    @property
    def sex_label(self) -> str:
        return str(Sex(self.sex).label)

    def shown(self) -> list[str]:
        """Each period's figure as people read it: "45,3" for rates, "12" for counts, "" when nothing came in."""
        decimals = 0 if self.indicator.measure in (Measure.COUNT, Measure.BOOLEAN) else 1
        return ["" if c.figure is None else format_vn_number(c.figure, decimals) for c in self.cells]


@dataclass
class ReviewTable:
    review: Period
    periods: list[Period]
    rows: list[ReviewRow]


def review_gather(*, plan: Plan, period: Period) -> ReviewTable:
    """The compiled figures of every period inside a review's window, as one indicator × period table.

    The periods are those of the plan whose data lie inside the review period's window (other reviews
    excepted), in order of their deadlines; each column is compilation.compile_indicators of one period,
    so only accepted reports count. The target shown is the one for the review's year, or the plan's
    yearless one.
    """
    if period.plan_id != plan.pk or period.kind not in REVIEW_KINDS:
        raise ValueError("review_gather needs a mid-term or final review period of the plan")
    periods = list(
        Period.objects.filter(plan=plan, data_from__gte=period.data_from, data_to__lte=period.data_to)
        .exclude(kind__in=REVIEW_KINDS)
        .order_by("due", "kind")
    )
    compiled = [{c.indicator.pk: c for c in compile_indicators(p)} for p in periods]
    indicators = list(Indicator.objects.filter(plan=plan).prefetch_related("targets").order_by("order"))
    label_indicators(indicators)
    rows: list[ReviewRow] = []
    for indicator in indicators:
        targets = list(indicator.targets.all())
        target = next((t for t in targets if t.year == period.year), None) or next(
            (t for t in targets if t.year is None), None
        )
        sexes = next((c[indicator.pk].sexes for c in compiled if indicator.pk in c), ["total"])
        for sex in sexes:
            cells = [c[indicator.pk].cells.get(sex, Cell()) if indicator.pk in c else Cell() for c in compiled]
            rows.append(ReviewRow(indicator, sex, cells, target if sex == "total" else None))
    return ReviewTable(period, periods, rows)
