"""Writes of the reporting cycle. Each is one transaction; rule violations raise the named errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from binhdang.lib.text import typed_text
from binhdang.places.models import Agency

from .checks import Entry, check_combo_declared
from .entries import check_report_entries as check_report_entries  # re-exported: the pages ask services
from .entries import entry_of, indicator_meta
from .entries import report_problems as report_problems
from .errors import (
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
    Progress,
    Report,
    ReportStatus,
    Spending,
    TaskStatus,
    Value,
)
from .notices import notices_send
from .periods import ReporterSpec as ReporterSpec  # re-exported: services is the reporting API
from .periods import period_close as period_close
from .periods import period_create as period_create
from .periods import periods_generate as periods_generate
from .periods import reporters_for as reporters_for
from .periods import reporting_cycle_set_up as reporting_cycle_set_up
from .periods import reports_generate as reports_generate
from .selectors import acceptor_of_report, report_can_decide, report_can_edit, report_can_submit
from .summary import summary_apply
from .summary import summary_rebuild as summary_rebuild  # re-exported: a service like the others
from .totals import reconcile

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
    values that cannot be stored at all (an indicator or task outside the report, a combination the indicator
    does not declare) and parts that disagree with their total (totals.py) refuse the save."""
    report = _lock(report, version)
    report_assert_editable(report, user)
    # Text is stored in NFC, whatever the browser or file sent (decomposed Vietnamese would not compare equal),
    # and without control characters (no Excel or Word file made from the report could hold them).
    entries = [replace(e, source=typed_text(e.source or ""), note=typed_text(e.note or "")) for e in entries or []]
    progress = [replace(p, narrative=typed_text(p.narrative)) for p in progress or []]
    summary = typed_text(summary) if summary is not None else None
    metas = {
        line.indicator_id: indicator_meta(line.indicator) for line in report.indicator_lines.select_related("indicator")
    }
    allowed_indicators = set(metas)
    allowed_tasks = set(report.task_lines.values_list("task_id", flat=True))
    refusals = (
        [
            Issue("error", f"indicator:{e.indicator_id}", "not an indicator of this report")
            for e in entries or []
            if e.indicator_id not in allowed_indicators
        ]
        # A figure for a combination the indicator is not reported by (issue 16) has nowhere to go: nothing saved.
        + [
            issue
            for e in entries or []
            if e.indicator_id in metas
            for issue in check_combo_declared(metas[e.indicator_id], e)
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
    existing = {(v.indicator_id, v.sex, v.combo): v for v in Value.objects.filter(report=report)}
    if not refusals and entries:
        # Totals follow from their parts, and parts that disagree with their total save nothing (totals.py).
        entries, refusals = reconcile(metas, [entry_of(v) for v in existing.values()], entries)
    if refusals:
        raise InvalidValues(refusals)
    audit: list[AuditEvent] = []
    for entry in entries or []:
        current = existing.get((entry.indicator_id, entry.sex, entry.combo))
        if current is None and entry.is_empty and not entry.note and not entry.source:
            continue
        if current is None:
            current = Value(report=report, indicator_id=entry.indicator_id, sex=entry.sex, combo=entry.combo)
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
                        field=f"indicator:{entry.indicator_id}:{entry.sex}:{attr}"
                        + (f":{entry.combo}" if entry.combo else ""),
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


def _agency_users(agency: Agency | None) -> list[Any]:
    if agency is None:
        return []
    return list(get_user_model().objects.filter(profile__agency=agency, is_active=True))


def _notify(users: list[Any], report: Report, text: str) -> None:
    notices_send(users, text=text, url=reverse("report-detail", args=[report.pk]))


def _transition(
    report: Report,
    *,
    user: Any,
    version: int | None,
    check: Callable[[Report], None],
    to: str,
    notify: Callable[[Report], Agency | None],
    notice: Callable[[Report], str],
    action: str = "status",
    reason: str = "",
    stamp: Callable[[Report], list[str]] | None = None,
    summary_sign: int = 0,
) -> Report:
    """The one path of every workflow step (submit, return, accept, re-open): lock the version the caller read,
    check who and which state (``check`` raises the named error), write the new state, keep the accepted-values
    summary in step, record the audit event and tell the other side; all in the caller's transaction.

    ``stamp`` sets the step's own fields and names them; ``summary_sign`` adds (+1) or removes (-1) the report's
    values from the summary of accepted values."""
    report = _lock(report, version)
    check(report)
    event = AuditEvent(
        report=report, user=user, action=action, field="status", old=report.status, new=to, reason=reason
    )
    report.status = to
    fields = stamp(report) if stamp is not None else []
    report.version += 1
    report.save(update_fields=["status", *fields, "version", "updated_at"])
    if summary_sign:
        summary_apply(report=report, sign=summary_sign)  # same transaction: the next page load shows it
    event.save()
    _notify(_agency_users(notify(report)), report, notice(report))
    return report


def _reason_given(field_name: str, reason: str) -> None:
    if not reason.strip():
        raise InvalidValues([Issue("error", field_name, gettext("Hãy ghi lý do."))])


def _reporter(report: Report) -> Agency:
    return report.reporter


@transaction.atomic
def report_submit(*, report: Report, user: Any, version: int) -> Report:
    def check(locked: Report) -> None:
        report_assert_editable(locked, user)
        if not report_can_submit(user, locked):
            raise NotAllowed
        problems = report_problems(locked)
        if problems:
            raise InvalidValues(problems)

    def stamp(locked: Report) -> list[str]:
        now = timezone.now()
        if locked.submitted_at is None:
            # Timeliness is decided by the first submission, as DHIS2 counts it: sending again after a return or
            # a re-opening does not make an on-time report late (issue 14).
            locked.late = locked.period.past_due(timezone.localdate(now))
        locked.submitted_at = now
        return ["submitted_at", "late"]

    return _transition(
        report,
        user=user,
        version=version,
        check=check,
        to=ReportStatus.SUBMITTED,
        stamp=stamp,
        notify=acceptor_of_report,
        notice=lambda r: (
            gettext("%(reporter)s đã gửi %(period)s; đang chờ anh/chị xem xét.")
            % {"reporter": r.reporter.name, "period": r.period.label}
        ),
    )


def _decider_check(user: Any, *, expect: str, accepting: bool = False) -> Callable[[Report], None]:
    """The acceptor's steps: only the deciding agency, only from the expected state. Accepting an accepted report
    says so by name (a second click, or two tabs)."""

    def check(locked: Report) -> None:
        if not report_can_decide(user, locked):
            raise NotAllowed
        if accepting and locked.status == ReportStatus.ACCEPTED:
            raise ReportAlreadyAccepted
        if locked.status != expect:
            raise WrongState

    return check


def _decided(user: Any) -> Callable[[Report], list[str]]:
    def stamp(locked: Report) -> list[str]:
        locked.decided_at, locked.decided_by = timezone.now(), user
        return ["decided_at", "decided_by"]

    return stamp


@transaction.atomic
def report_return(*, report: Report, user: Any, comment: str, version: int) -> Report:
    def check(locked: Report) -> None:
        _decider_check(user, expect=ReportStatus.SUBMITTED)(locked)
        _reason_given("comment", comment)

    def stamp(locked: Report) -> list[str]:
        locked.return_comment = comment
        return ["return_comment", *_decided(user)(locked)]

    return _transition(
        report,
        user=user,
        version=version,
        check=check,
        to=ReportStatus.RETURNED,
        reason=comment,
        stamp=stamp,
        notify=_reporter,
        notice=lambda r: gettext("%(period)s bị trả lại: %(comment)s") % {"period": r.period.label, "comment": comment},
    )


@transaction.atomic
def report_accept(*, report: Report, user: Any, version: int) -> Report:
    return _transition(
        report,
        user=user,
        version=version,
        check=_decider_check(user, expect=ReportStatus.SUBMITTED, accepting=True),
        to=ReportStatus.ACCEPTED,
        stamp=_decided(user),
        summary_sign=1,
        notify=_reporter,
        notice=lambda r: gettext("%(period)s đã được chấp nhận.") % {"period": r.period.label},
    )


@transaction.atomic
def report_reopen(*, report: Report, user: Any, reason: str, version: int) -> Report:
    """Unlock an accepted report: a recorded decision of the acceptor, with its reason."""

    def check(locked: Report) -> None:
        _decider_check(user, expect=ReportStatus.ACCEPTED)(locked)
        _reason_given("reason", reason)

    def stamp(locked: Report) -> list[str]:
        locked.return_comment = reason
        return ["return_comment"]

    return _transition(
        report,
        user=user,
        version=version,
        check=check,
        to=ReportStatus.RETURNED,
        action="reopen",
        reason=reason,
        stamp=stamp,
        summary_sign=-1,
        notify=_reporter,
        notice=lambda r: (
            gettext("%(period)s đã được mở lại để sửa: %(reason)s") % {"period": r.period.label, "reason": reason}
        ),
    )
