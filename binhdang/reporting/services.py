"""Writes of the reporting cycle. Each is one transaction; rule violations raise the named errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from binhdang.lib.text import typed_text
from binhdang.places.models import AdministrativeUnit, AdvancementCommittee, Agency, AgencyKind
from binhdang.places.selectors import unit_tree_ids
from binhdang.plans.models import Assignment, Indicator, Measure, Plan

from .checks import Entry, IndicatorMeta, check_entry, check_sexes, computed
from .errors import (
    FLAG,
    InvalidValues,
    Issue,
    NotAllowed,
    PeriodClosed,
    ReportAlreadyAccepted,
    ReportNotEditable,
    StaleReport,
    WrongState,
)
from .models import (
    AuditEvent,
    Notice,
    Period,
    Progress,
    Report,
    ReportIndicator,
    ReportStatus,
    ReportTask,
    Sex,
    Spending,
    TaskStatus,
    Value,
)
from .outliers import outlier, outlier_message
from .periods import periods_for_rule
from .selectors import accepted_history, acceptor_of_report, report_can_decide, report_can_edit, report_can_submit
from .summary import summary_apply
from .summary import summary_rebuild as summary_rebuild  # re-exported: a service like the others

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


# --- data entry ----------------------------------------------------------------------------------------------


@dataclass
class ProgressInput:
    task_id: int
    status: str
    narrative: str = ""


@dataclass
class SpendingInput:
    task_id: int | None
    source: str
    amount: Decimal | None


def indicator_meta(indicator: Indicator) -> IndicatorMeta:
    if indicator.measure == Measure.PERCENTAGE:
        scale = Decimal(100)
    elif indicator.rate_per:
        scale = Decimal(indicator.rate_per)
    else:
        scale = Decimal(1)
    return IndicatorMeta(indicator.pk, indicator.measure, scale, by_sex="sex" in (indicator.disaggregations or []))


def previous_figures(report: Report, indicator_ids: Iterable[int]) -> dict[tuple[int, str], Decimal]:
    """The latest accepted figure of the same unit in an earlier period, per (indicator, sex)."""
    earlier = (
        Value.objects.filter(
            report__unit=report.unit,
            report__status=ReportStatus.ACCEPTED,
            indicator_id__in=list(indicator_ids),
            report__period__due__lt=report.period.due,
        )
        .select_related("indicator", "report__period")
        .order_by("report__period__due")
    )
    figures: dict[tuple[int, str], Decimal] = {}
    for value in earlier:
        figure = computed(indicator_meta(value.indicator), _entry_of(value))
        if figure is not None:
            figures[(value.indicator_id, value.sex)] = figure
    return figures


def _entry_of(value: Value) -> Entry:
    return Entry(
        value.indicator_id, value.sex, value.value, value.numerator, value.denominator, value.source, value.note
    )


def check_report_entries(report: Report, entries: list[Entry]) -> list[Issue]:
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={e.indicator_id for e in entries})}
    previous = previous_figures(report, indicators)
    history = accepted_history(report, indicators)
    issues: list[Issue] = []
    by_indicator: dict[int, dict[str, Entry]] = {}
    for entry in entries:
        indicator = indicators.get(entry.indicator_id)
        if indicator is None:
            issues.append(Issue("error", f"indicator:{entry.indicator_id}", "unknown indicator"))
            continue
        if entry.is_empty:
            continue
        meta = indicator_meta(indicator)
        found = check_entry(meta, entry, previous.get((entry.indicator_id, entry.sex)))
        issues += found
        if not any(issue.level == "error" for issue in found):
            issues += _outlier_flag(meta, entry, history.get((entry.indicator_id, entry.sex), []))
        by_indicator.setdefault(entry.indicator_id, {})[entry.sex] = entry
    for indicator_id, sexes in by_indicator.items():
        issues += check_sexes(indicator_meta(indicators[indicator_id]), sexes)
    return issues


def _outlier_flag(meta: IndicatorMeta, entry: Entry, history: list[Entry]) -> list[Issue]:
    """A figure far from the unit's own past figures, flagged for a second look (reporting/outliers.py). Not on
    a figure that carries a note (the note is the reporter's answer to that second look), nor on one already
    refused by an error (one message per mistake), nor on yes/no answers."""
    if entry.note or meta.measure in (Measure.BOOLEAN, Measure.TEXT):
        return []
    figure = computed(meta, entry)
    if figure is None:
        return []
    past = [f for f in (computed(meta, e) for e in history) if f is not None]
    found = outlier(figure, past)
    if found is None:
        return []
    field = "numerator" if meta.uses_fraction else "value"
    where = f"indicator:{entry.indicator_id}:{entry.sex}:{field}"
    return [Issue(FLAG, where, outlier_message(meta.measure, found))]


def report_assert_editable(report: Report, user: Any) -> None:
    """Raise the named error that stops this user from changing this report now, if any."""
    if not report_can_edit(user, report):
        raise NotAllowed
    if report.period.closed:
        raise PeriodClosed
    if report.status == ReportStatus.ACCEPTED:
        raise ReportAlreadyAccepted
    if report.status == ReportStatus.SUBMITTED:
        raise ReportNotEditable


def _lock(report: Report, version: int | None) -> Report:
    """The report, locked for this transaction, if it is still the version the caller read.

    The version is required: a form or API call that sends none is refused (StaleReport), never applied over
    whatever changed since (issue 13, finding 7). Importers of files without a version (CSV, DHIS2) pass the
    version they read in the same transaction."""
    locked = Report.objects.select_for_update().select_related("period__plan__unit").get(pk=report.pk)
    if version is None or isinstance(version, bool) or locked.version != version:
        raise StaleReport
    return locked


def _text(value: Decimal | str | None) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def report_save(
    *,
    report: Report,
    user: Any,
    version: int,
    entries: list[Entry] | None = None,
    progress: list[ProgressInput] | None = None,
    spending: list[SpendingInput] | None = None,
    summary: str | None = None,
) -> Report:
    """Save a draft: values, task progress, spending, summary. Errors are kept for submission to block;
    only values that cannot be stored at all (an indicator or task outside the report) refuse the save."""
    report = _lock(report, version)
    report_assert_editable(report, user)
    # Text is stored in NFC, whatever the browser or file sent (decomposed Vietnamese would not compare equal),
    # and without control characters (no Excel or Word file made from the report could hold them).
    entries = [replace(e, source=typed_text(e.source or ""), note=typed_text(e.note or "")) for e in entries or []]
    progress = [replace(p, narrative=typed_text(p.narrative)) for p in progress or []]
    summary = typed_text(summary) if summary is not None else None
    allowed_indicators = set(report.indicator_lines.values_list("indicator_id", flat=True))
    allowed_tasks = set(report.task_lines.values_list("task_id", flat=True))
    refusals = (
        [
            Issue("error", f"indicator:{e.indicator_id}", "not an indicator of this report")
            for e in entries or []
            if e.indicator_id not in allowed_indicators
        ]
        + [
            Issue("error", f"task:{p.task_id}", "not a task of this report")
            for p in progress or []
            if p.task_id not in allowed_tasks
        ]
        + [
            Issue("error", f"spending:{s.task_id}:{s.source}", "amount must not be negative")
            for s in spending or []
            if s.amount is not None and s.amount < 0
        ]
        + [
            Issue("error", f"task:{p.task_id}", f"unknown status {p.status!r}")
            for p in progress or []
            if p.status not in TaskStatus.values
        ]
    )
    if refusals:
        raise InvalidValues(refusals)
    audit: list[AuditEvent] = []
    existing = {(v.indicator_id, v.sex): v for v in Value.objects.filter(report=report)}
    for entry in entries or []:
        current = existing.get((entry.indicator_id, entry.sex))
        if current is None and entry.is_empty and not entry.note and not entry.source:
            continue
        if current is None:
            current = Value(report=report, indicator_id=entry.indicator_id, sex=entry.sex)
        changed = False
        for attr in ("value", "numerator", "denominator", "source", "note"):
            old, new = getattr(current, attr), getattr(entry, attr)
            if (
                attr in ("value", "numerator", "denominator")
                and old is not None
                and new is not None
                and Decimal(old) == new
            ):
                continue
            if (old or "") != (new or "") if attr in ("source", "note") else old != new:
                audit.append(
                    AuditEvent(
                        report=report,
                        user=user,
                        action="value",
                        field=f"indicator:{entry.indicator_id}:{entry.sex}:{attr}",
                        old=_text(old),
                        new=_text(new),
                        reason=entry.note,
                    )
                )
                setattr(current, attr, new)
                changed = True
        if changed:
            current.save()
    existing_progress = {p.task_id: p for p in Progress.objects.filter(report=report)}
    for item in progress or []:
        row = existing_progress.get(item.task_id) or Progress(report=report, task_id=item.task_id)
        for attr in ("status", "narrative"):
            old, new = getattr(row, attr) if row.pk else "", getattr(item, attr)
            if old != new:
                audit.append(
                    AuditEvent(
                        report=report,
                        user=user,
                        action="task",
                        field=f"task:{item.task_id}:{attr}",
                        old=str(old),
                        new=str(new),
                    )
                )
                setattr(row, attr, new)
        row.save()
    existing_spending = {(s.task_id, s.source): s for s in Spending.objects.filter(report=report)}
    for spend in spending or []:
        spent = existing_spending.get((spend.task_id, spend.source))
        if spend.amount is None:
            if spent is not None:
                audit.append(
                    AuditEvent(
                        report=report,
                        user=user,
                        action="spending",
                        field=f"spending:{spend.task_id}:{spend.source}",
                        old=str(spent.amount),
                        new="",
                    )
                )
                spent.delete()
            continue
        if spent is None or spent.amount != spend.amount:
            audit.append(
                AuditEvent(
                    report=report,
                    user=user,
                    action="spending",
                    field=f"spending:{spend.task_id}:{spend.source}",
                    old="" if spent is None else str(spent.amount),
                    new=str(spend.amount),
                )
            )
            if spent is None:
                Spending.objects.create(report=report, task_id=spend.task_id, source=spend.source, amount=spend.amount)
            else:
                spent.amount = spend.amount
                spent.save(update_fields=["amount"])
    if summary is not None and summary != report.summary:
        audit.append(
            AuditEvent(report=report, user=user, action="summary", field="summary", old=report.summary, new=summary)
        )
        report.summary = summary
    AuditEvent.objects.bulk_create(audit)
    report.version += 1
    report.save(update_fields=["summary", "version", "updated_at"])
    return report


def report_entries(report: Report) -> list[Entry]:
    return [_entry_of(v) for v in Value.objects.filter(report=report)]


def report_problems(report: Report, *, flags: bool = False) -> list[Issue]:
    """What stops submission: value errors, warnings without a note, indicators left empty without a note. Flags
    ask for a second look and stop nothing: only with ``flags`` (the page shows them beside the fields)."""
    entries = report_entries(report)
    issues = [issue for issue in check_report_entries(report, entries) if flags or issue.level != FLAG]
    filled = {e.indicator_id for e in entries if not e.is_empty or e.note}
    for line in report.indicator_lines.select_related("indicator"):
        if line.indicator_id not in filled and line.indicator.measure != Measure.TEXT:
            issues.append(
                Issue(
                    "error",
                    f"indicator:{line.indicator_id}:total:value",
                    gettext("Chưa có số liệu; nếu không có, hãy ghi chú lý do."),
                )
            )
    return issues


def _agency_users(agency: Agency | None) -> list[Any]:
    if agency is None:
        return []
    return list(get_user_model().objects.filter(profile__agency=agency, is_active=True))


def _notify(users: list[Any], report: Report, text: str) -> None:
    """In-app notices, written in the same transaction as the change they announce."""
    url = reverse("report-detail", args=[report.pk])
    Notice.objects.bulk_create([Notice(user=user, text=text, url=url) for user in users])


def _status_event(report: Report, user: Any, new: str, reason: str = "") -> AuditEvent:
    return AuditEvent(
        report=report, user=user, action="status", field="status", old=report.status, new=new, reason=reason
    )


@transaction.atomic
def report_submit(*, report: Report, user: Any, version: int) -> Report:
    report = _lock(report, version)
    report_assert_editable(report, user)
    if not report_can_submit(user, report):
        raise NotAllowed
    problems = report_problems(report)
    if problems:
        raise InvalidValues(problems)
    now = timezone.now()
    event = _status_event(report, user, ReportStatus.SUBMITTED)
    report.status = ReportStatus.SUBMITTED
    if report.submitted_at is None:
        # Timeliness is decided by the first submission, as DHIS2 counts it: sending again after a return or a
        # re-opening does not make an on-time report late (issue 14).
        report.late = timezone.localdate(now) > report.period.due
    report.submitted_at = now
    report.version += 1
    report.save(update_fields=["status", "submitted_at", "late", "version", "updated_at"])
    event.save()
    _notify(
        _agency_users(acceptor_of_report(report)),
        report,
        gettext("%(reporter)s đã gửi %(period)s; đang chờ anh/chị xem xét.")
        % {"reporter": report.reporter.name, "period": report.period.label},
    )
    return report


@transaction.atomic
def report_return(*, report: Report, user: Any, comment: str, version: int) -> Report:
    report = _lock(report, version)
    if not report_can_decide(user, report):
        raise NotAllowed
    if report.status != ReportStatus.SUBMITTED:
        raise WrongState
    if not comment.strip():
        raise InvalidValues([Issue("error", "comment", gettext("Hãy ghi lý do."))])
    event = _status_event(report, user, ReportStatus.RETURNED, comment)
    report.status = ReportStatus.RETURNED
    report.return_comment = comment
    report.decided_at, report.decided_by = timezone.now(), user
    report.version += 1
    report.save(update_fields=["status", "return_comment", "decided_at", "decided_by", "version", "updated_at"])
    event.save()
    _notify(
        _agency_users(report.reporter),
        report,
        gettext("%(period)s bị trả lại: %(comment)s") % {"period": report.period.label, "comment": comment},
    )
    return report


@transaction.atomic
def report_accept(*, report: Report, user: Any, version: int) -> Report:
    report = _lock(report, version)
    if not report_can_decide(user, report):
        raise NotAllowed
    if report.status == ReportStatus.ACCEPTED:
        raise ReportAlreadyAccepted
    if report.status != ReportStatus.SUBMITTED:
        raise WrongState
    event = _status_event(report, user, ReportStatus.ACCEPTED)
    report.status = ReportStatus.ACCEPTED
    report.decided_at, report.decided_by = timezone.now(), user
    report.version += 1
    report.save(update_fields=["status", "decided_at", "decided_by", "version", "updated_at"])
    summary_apply(report=report, sign=1)  # same transaction: the next page load shows it
    event.save()
    _notify(
        _agency_users(report.reporter),
        report,
        gettext("%(period)s đã được chấp nhận.") % {"period": report.period.label},
    )
    return report


@transaction.atomic
def report_reopen(*, report: Report, user: Any, reason: str, version: int) -> Report:
    """Unlock an accepted report: a recorded decision of the acceptor, with its reason."""
    report = _lock(report, version)
    if not report_can_decide(user, report):
        raise NotAllowed
    if report.status != ReportStatus.ACCEPTED:
        raise WrongState
    if not reason.strip():
        raise InvalidValues([Issue("error", "reason", gettext("Hãy ghi lý do."))])
    event = AuditEvent(
        report=report,
        user=user,
        action="reopen",
        field="status",
        old=report.status,
        new=ReportStatus.RETURNED,
        reason=reason,
    )
    report.status = ReportStatus.RETURNED
    report.return_comment = reason
    report.version += 1
    report.save(update_fields=["status", "return_comment", "version", "updated_at"])
    summary_apply(report=report, sign=-1)
    event.save()
    _notify(
        _agency_users(report.reporter),
        report,
        gettext("%(period)s đã được mở lại để sửa: %(reason)s") % {"period": report.period.label, "reason": reason},
    )
    return report


def sexes_for(indicator: Indicator) -> list[str]:
    """The cells an indicator asks for: total, and female and male when it is disaggregated by sex."""
    if "sex" in (indicator.disaggregations or []):
        return [Sex.TOTAL, Sex.FEMALE, Sex.MALE]
    return [Sex.TOTAL]
