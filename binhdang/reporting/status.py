"""The status a person reads for a report: returned, re-opened and accepted are told apart (issue 14).

The stored status has four values; a report re-opened after acceptance is stored as "returned" (it is open to
the reporter again), but a reader must not be told it was refused. Whether it was re-opened is read from its
audit trail (the last status change is a "reopen" event), annotated in one query for lists.
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext

from .models import AuditEvent, Report, ReportStatus

REOPENED = "reopened"


def with_last_status_action(reports: QuerySet[Report]) -> QuerySet[Report]:
    """The reports with `last_status_action` ("status" or "reopen"), so a list needs no query per report."""
    last = AuditEvent.objects.filter(report=OuterRef("pk"), field="status").order_by("-at", "-pk").values("action")
    return reports.annotate(last_status_action=Subquery(last[:1]))


def status_code(report: Report) -> str:
    """draft, submitted, returned, reopened or accepted."""
    if report.status != ReportStatus.RETURNED:
        return str(report.status)
    if hasattr(report, "last_status_action"):
        action = report.last_status_action
    else:
        action = (
            AuditEvent.objects.filter(report=report, field="status")
            .order_by("-at", "-pk")
            .values_list("action", flat=True)
            .first()
        )
    return REOPENED if action == "reopen" else str(ReportStatus.RETURNED)


def status_label(code: str) -> str:
    labels = {
        ReportStatus.DRAFT: gettext("Đang soạn"),
        ReportStatus.SUBMITTED: gettext("Đã gửi, chờ xem xét"),
        ReportStatus.RETURNED: gettext("Bị trả lại"),
        REOPENED: gettext("Đã mở lại để sửa"),
        ReportStatus.ACCEPTED: gettext("Đã chấp nhận"),
    }
    return labels.get(code, code)


def decision_label(report: Report) -> str | None:
    """What `decided_at` means for this report: the acceptance, the return, or nothing to show."""
    code = status_code(report)
    if code == ReportStatus.ACCEPTED:
        return gettext("Chấp nhận lúc")
    if code == ReportStatus.RETURNED:
        return gettext("Trả lại lúc")
    return None
