"""Reminders of reporting deadlines: e-mail (Django's mail settings) and in-app notices, never sent twice.

Three kinds, each sent at most once per period, report and recipient (recorded in `Reminder`):

- ``due_soon``: the report is due within N days (today up to today + N, the deadline day included) and
  has not been sent (draft, or returned and not sent again);
- ``overdue``: the deadline has passed and the report has not been sent. It is a different kind, so a
  reporter reminded before the deadline is reminded once more after it;
- ``standing_summary``: once per period, on the first run after its deadline while reports are missing,
  the standing agency that accepts the plan's reports (`selectors.acceptor_of`) gets the list of who has
  not reported.

Recipients of a report's reminders are the active users of the reporting agency who have an e-mail address,
and the agency's own address; every user of the agency also gets an in-app `Notice`, recorded as a reminder
to ``user:<id>`` so that it is not repeated either. Closed periods are not reminded of.

Each reminder is recorded and sent in one transaction: when the mail server refuses, the record is rolled back
and the next run tries again. `binhdang remind` runs it; a daily cron line is enough (docs/reporting.md).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy

from binhdang.lib.dates import format_vn_date
from binhdang.places.models import Agency, Profile

from .errors import NotAllowed, ReportingError
from .models import Period, Reminder, Report, ReportStatus
from .notices import notices_send
from .selectors import acceptor_of, report_can_decide

logger = logging.getLogger(__name__)

DUE_SOON = "due_soon"
OVERDUE = "overdue"
STANDING_SUMMARY = "standing_summary"
KINDS = (DUE_SOON, OVERDUE, STANDING_SUMMARY)

EMAIL = "email"
NOTICE = "notice"

_NOT_SENT = (ReportStatus.DRAFT, ReportStatus.RETURNED)
_SIGNATURE = (
    "\n\n--\nThư này do hệ thống Bình Đẳng gửi tự động; mỗi lời nhắc chỉ gửi một lần. Vui lòng không trả lời thư này."
)


@dataclass(frozen=True)
class PlannedReminder:
    """One message to one recipient: an e-mail to an address, or an in-app notice to a user."""

    kind: str
    channel: str  # "email" | "notice"
    recipient: str  # the e-mail address, or "user:<id>" for a notice
    period: Period
    report: Report | None
    subject: str
    body: str
    url: str
    user_id: int | None = None

    @property
    def key(self) -> tuple[int, int | None, str, str]:
        return (self.period.pk, self.report.pk if self.report is not None else None, self.kind, self.recipient)


# --- what is due ---------------------------------------------------------------------------------------------


def reminders_due(*, today: dt.date, within_days: int) -> list[PlannedReminder]:
    """Every reminder that should go out today and has not been recorded as sent."""
    if within_days < 0:
        raise ValueError("within_days must not be negative")
    horizon = today + dt.timedelta(days=within_days)
    reports = list(
        Report.objects.filter(status__in=_NOT_SENT, period__closed=False, period__due__lte=horizon)
        .select_related("period__plan__unit", "reporter", "unit")
        .order_by("period__due", "period__pk", "reporter__name", "pk")
    )
    members = _members([r.reporter_id for r in reports])
    planned: list[PlannedReminder] = []
    for report in reports:
        kind = OVERDUE if report.period.past_due(today) else DUE_SOON
        planned += _for_agency(
            report.reporter, members, kind, report.period, report, _report_message(report, kind, today)
        )
    planned += _standing_summaries(today)
    sent = _recorded({p.period.pk for p in planned})
    return [p for p in planned if p.key not in sent]


def _standing_summaries(today: dt.date) -> list[PlannedReminder]:
    periods = list(
        Period.objects.filter(closed=False, due__lt=today, reports__status__in=_NOT_SENT)
        .select_related("plan__unit")
        .distinct()
        .order_by("due", "pk")
    )
    if not periods:
        return []
    missing: dict[int, list[Report]] = defaultdict(list)
    for report in (
        Report.objects.filter(period__in=periods, status__in=_NOT_SENT)
        .select_related("reporter", "unit", "period")
        .order_by("unit__name", "reporter__name")
    ):
        missing[report.period_id].append(report)
    acceptors: dict[int, Agency | None] = {}
    for period in periods:
        if period.plan_id not in acceptors:
            acceptors[period.plan_id] = acceptor_of(period.plan)
    members = _members([a.pk for a in acceptors.values() if a is not None])
    planned: list[PlannedReminder] = []
    for period in periods:
        acceptor = acceptors[period.plan_id]
        if acceptor is None or not missing[period.pk]:
            continue
        message = _summary_message(period, missing[period.pk], today)
        planned += _for_agency(acceptor, members, STANDING_SUMMARY, period, None, message)
    return planned


def _members(agency_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The active users of each agency, in a stable order."""
    by_agency: dict[int, list[Any]] = defaultdict(list)
    profiles = (
        Profile.objects.filter(agency_id__in=set(agency_ids), user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    for profile in profiles:
        by_agency[profile.agency_id].append(profile.user)
    return by_agency


def _for_agency(
    agency: Agency,
    members: dict[int, list[Any]],
    kind: str,
    period: Period,
    report: Report | None,
    message: tuple[str, str, str],
) -> list[PlannedReminder]:
    subject, body, url = message
    planned: list[PlannedReminder] = []
    addresses: list[str] = []
    for address in [agency.email, *(u.email for u in members.get(agency.pk, []))]:
        address = (address or "").strip()
        if address and address.lower() not in {a.lower() for a in addresses}:
            addresses.append(address)
    for address in addresses:
        planned.append(PlannedReminder(kind, EMAIL, address, period, report, subject, body, url))
    for user in members.get(agency.pk, []):
        planned.append(PlannedReminder(kind, NOTICE, f"user:{user.pk}", period, report, subject, body, url, user.pk))
    return planned


def _recorded(period_ids: set[int]) -> set[tuple[int, int | None, str, str]]:
    rows = Reminder.objects.filter(period_id__in=period_ids).values_list("period_id", "report_id", "kind", "recipient")
    return set(rows)


# --- the words -----------------------------------------------------------------------------------------------


def _link(path: str) -> str:
    base = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if base else path


def _plan_name(period: Period) -> str:
    plan = period.plan
    return f"Kế hoạch số {plan.code}" if plan.code else f"Kế hoạch “{plan.title[:120]}”"


def _report_message(report: Report, kind: str, today: dt.date) -> tuple[str, str, str]:
    period = report.period
    due = format_vn_date(period.due)
    path = reverse("report-detail", args=[report.pk])
    if kind == DUE_SOON:
        days = (period.due - today).days
        left = "hôm nay là hạn cuối" if days == 0 else f"còn {days} ngày"
        subject = f"[Bình Đẳng] Nhắc hạn nộp {period.label} (hạn {due})"
        opening = f"{period.label} của {_plan_name(period)} cần gửi chậm nhất ngày {due} ({left})."
    else:
        days = (today - period.due).days
        subject = f"[Bình Đẳng] Báo cáo quá hạn: {period.label} (hạn {due})"
        opening = (
            f"{period.label} của {_plan_name(period)} đã quá hạn {days} ngày (hạn {due}) "
            "mà đơn vị chưa gửi. Đề nghị đơn vị hoàn thành và gửi báo cáo sớm nhất."
        )
    lines = [f"Kính gửi: {report.reporter.name} ({report.unit.name}),", "", opening]
    if report.status == ReportStatus.RETURNED:
        lines += ["", "Báo cáo đã bị cơ quan thường trực trả lại để bổ sung, chỉnh sửa."]
        if report.return_comment:
            lines.append(f"Ý kiến khi trả lại: {report.return_comment}")
    lines += ["", f"Số liệu tính từ ngày {format_vn_date(period.data_from)} đến ngày {format_vn_date(period.data_to)}."]
    lines += [f"Nhập và gửi báo cáo tại: {_link(path)}"]
    return subject, "\n".join(lines) + _SIGNATURE, path


def _summary_message(period: Period, missing: list[Report], today: dt.date) -> tuple[str, str, str]:
    due = format_vn_date(period.due)
    expected = Report.objects.filter(period=period).count()
    path = reverse("period-detail", args=[period.pk])
    subject = f"[Bình Đẳng] Tình hình nộp {period.label}: {len(missing)}/{expected} đơn vị chưa gửi"
    lines = [
        "Kính gửi: Cơ quan thường trực Ban Vì sự tiến bộ của phụ nữ,",
        "",
        f"Đã quá hạn nộp {period.label} của {_plan_name(period)} (hạn {due}). "
        f"Đến ngày {format_vn_date(today)}, {len(missing)} trên {expected} đơn vị chưa gửi báo cáo:",
        "",
    ]
    for number, report in enumerate(missing, start=1):
        state = " (bị trả lại, chưa gửi lại)" if report.status == ReportStatus.RETURNED else ""
        lines.append(f"{number}. {report.reporter.name} – {report.unit.name}{state}")
    lines += ["", f"Xem tình hình báo cáo của kỳ: {_link(path)}"]
    return subject, "\n".join(lines) + _SIGNATURE, path


# --- sending -------------------------------------------------------------------------------------------------


class RemindersFailed(Exception):
    """Some reminders could not be sent (the mail server refused); they stay unrecorded for the next run."""

    def __init__(self, sent: list[PlannedReminder], failures: list[tuple[PlannedReminder, Exception]]) -> None:
        self.sent = sent
        self.failures = failures
        super().__init__(f"{len(failures)} reminder(s) could not be sent: {failures[0][1]}")


def reminders_send(*, today: dt.date, within_days: int, dry_run: bool = False) -> list[PlannedReminder]:
    """Send (or, with ``dry_run``, only list) the reminders due today; returns those sent or that would be.

    A dry run sends nothing and records nothing. Otherwise each reminder is recorded and sent in one
    transaction; one that another run recorded meanwhile is skipped. One the mail server refuses is rolled
    back and left for the next run; the others are still sent, then `RemindersFailed` names the failures.
    """
    planned = reminders_due(today=today, within_days=within_days)
    if dry_run:
        return planned
    user_model = get_user_model()
    users = {u.pk: u for u in user_model.objects.filter(pk__in={p.user_id for p in planned if p.user_id})}
    sent: list[PlannedReminder] = []
    failures: list[tuple[PlannedReminder, Exception]] = []
    for item in planned:
        try:
            if _send_one(item, users):
                sent.append(item)
        except OSError as exc:  # smtplib's errors are OSErrors
            failures.append((item, exc))
    if failures:
        raise RemindersFailed(sent, failures)
    return sent


def _send_one(item: PlannedReminder, users: dict[int, Any]) -> bool:
    user = users.get(item.user_id) if item.user_id is not None else None
    if item.channel == NOTICE and user is None:
        return False
    try:
        with transaction.atomic():
            if item.report is None:
                # The unique constraint does not hold rows without a report (NULLs are distinct in SQL):
                # lock the period so that two runs at once cannot both send its summary.
                list(Period.objects.select_for_update().filter(pk=item.period.pk).values_list("pk", flat=True))
            _reminder, created = Reminder.objects.get_or_create(
                period=item.period, report=item.report, kind=item.kind, recipient=item.recipient
            )
            if not created:
                return False
            if item.channel == NOTICE and user is not None:
                text = item.subject.removeprefix("[Bình Đẳng] ")
                notices_send([user], text=text, url=item.url)
            else:
                EmailMessage(
                    subject=item.subject,
                    body=item.body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[item.recipient],
                ).send(fail_silently=False)
    except IntegrityError:
        # Another run recorded the same reminder between our read and our write: it has been sent.
        return False
    return True


def summary_counts(items: Iterable[PlannedReminder]) -> dict[str, int]:
    """How many of each kind and channel, for the command's last line."""
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item.kind] += 1
        counts[item.channel] += 1
    return dict(counts)


# --- "Nhắc nộp": a reminder the standing agency sends by hand from the period page --------------------------

MANUAL_PREFIX = "manual:"  # + the ISO date: one manual reminder per reporter per day


class AlreadyRemindedToday(ReportingError):
    code = "already_reminded_today"
    message = gettext_lazy("Đơn vị này đã được nhắc hôm nay; mỗi ngày chỉ nhắc một lần.")


class NothingToRemind(ReportingError):
    code = "nothing_to_remind"
    message = gettext_lazy("Báo cáo này đã gửi, hoặc kỳ báo cáo đã khóa: không cần nhắc.")


class NobodyToRemind(ReportingError):
    code = "nobody_to_remind"
    message = gettext_lazy(
        "Đơn vị này chưa có người dùng và chưa có địa chỉ thư điện tử trong hệ thống nên không nhắc được. Hãy liên "
        "hệ trực tiếp, và nhờ quản trị hệ thống thêm địa chỉ thư hoặc tài khoản cho đơn vị."
    )


@dataclass(frozen=True)
class ManualReminder:
    emails: list[str]
    notices: int
    failures: list[str]

    @property
    def email_missing(self) -> bool:
        return not self.emails and not self.failures


def manual_kind(today: dt.date) -> str:
    return f"{MANUAL_PREFIX}{today.isoformat()}"


def reachable_reporters(agency_ids: Iterable[int]) -> set[int]:
    """The agencies a reminder can reach: with an e-mail address of their own or an active user (who gets the
    in-app notice). The period page offers "Nhắc nộp" only for these (report_remind refuses the others)."""
    ids = set(agency_ids)
    with_address = set(Agency.objects.filter(pk__in=ids).exclude(email="").values_list("pk", flat=True))
    return with_address | set(_members(ids))


def reminded_today(report_ids: Iterable[int], today: dt.date) -> set[int]:
    """Which of these reports' reporters were reminded by hand today."""
    return set(
        Reminder.objects.filter(report_id__in=set(report_ids), kind=manual_kind(today)).values_list(
            "report_id", flat=True
        )
    )


def report_remind(*, report: Report, user: Any, today: dt.date) -> ManualReminder:
    """Remind one reporter that has not sent its report: an e-mail to the agency and its users who have an
    address, and an in-app notice to every user of the agency. Once per reporter per day (recorded in
    `Reminder` with the kind "manual:<date>", so the daily cron's reminders are not affected).

    A reporter without any e-mail address gets the notices and a log line, never an error; a mail server that
    refuses is reported back (the notices are still given) and the refused address may be tried again today.
    """
    if not report_can_decide(user, report):
        raise NotAllowed
    if report.status not in _NOT_SENT or report.period.closed:
        raise NothingToRemind
    kind = manual_kind(today)
    if Reminder.objects.filter(report=report, kind=kind).exists():
        raise AlreadyRemindedToday
    base_kind = OVERDUE if report.period.past_due(today) else DUE_SOON
    planned = [
        replace(item, kind=kind)
        for item in _for_agency(
            report.reporter,
            _members([report.reporter_id]),
            base_kind,
            report.period,
            report,
            _report_message(report, base_kind, today),
        )
    ]
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in={p.user_id for p in planned if p.user_id})}
    emails: list[str] = []
    failures: list[str] = []
    notices = 0
    for item in planned:
        try:
            if _send_one(item, users):
                if item.channel == EMAIL:
                    emails.append(item.recipient)
                else:
                    notices += 1
        except OSError as exc:
            failures.append(item.recipient)
            logger.warning("Reminder to %s for report %s could not be sent: %s", item.recipient, report.pk, exc)
    if not emails and not failures:
        logger.info(
            "Reporter %s (%s) has no e-mail address: reminder for report %s given as %d in-app notice(s) only",
            report.reporter.name,
            report.reporter_id,
            report.pk,
            notices,
        )
    if not emails and not notices and not failures:
        # Nobody to tell (an agency with no users and no address): nothing was reminded, so nothing is recorded and
        # the page must not say it was; the acceptor is told to reach the unit another way.
        logger.info(
            "Reporter %s (%s) has no users and no e-mail address: nobody to remind",
            report.reporter.name,
            report.reporter_id,
        )
        raise NobodyToRemind
    logger.info(
        "Manual reminder for report %s by user %s: %d e-mail(s), %d notice(s)", report.pk, user.pk, len(emails), notices
    )
    return ManualReminder(emails=emails, notices=notices, failures=failures)


__all__ = [
    "DUE_SOON",
    "KINDS",
    "OVERDUE",
    "STANDING_SUMMARY",
    "AlreadyRemindedToday",
    "ManualReminder",
    "NobodyToRemind",
    "NothingToRemind",
    "PlannedReminder",
    "RemindersFailed",
    "reachable_reporters",
    "reminded_today",
    "reminders_due",
    "reminders_send",
    "report_remind",
    "summary_counts",
]
