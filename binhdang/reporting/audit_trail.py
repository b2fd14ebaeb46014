"""A report's audit trail in words: who changed which figure or status, from what to what, and why."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from binhdang.lib.numbers import format_vn_number
from binhdang.plans.models import FundingSource, Indicator, Task

from .checks import cell_label
from .models import AuditEvent, Report, ReportStatus, TaskStatus

SPENDING_SOURCES = (FundingSource.CENTRAL, FundingSource.LOCAL, FundingSource.OTHER)
# The database keeps 4 decimals for values (20 digits) and 3 for amounts (16 digits).
VALUE_PLACES, VALUE_DIGITS = 4, 20
AMOUNT_PLACES, AMOUNT_DIGITS = 3, 16


# --- the audit trail, in words ---------------------------------------------------------------------------------

ACTION_LABELS = {
    "value": gettext_lazy("Sửa số liệu"),
    "task": gettext_lazy("Sửa tiến độ nhiệm vụ"),
    "spending": gettext_lazy("Sửa kinh phí"),
    "summary": gettext_lazy("Sửa tóm tắt"),
    "status": gettext_lazy("Chuyển trạng thái"),
    "reopen": gettext_lazy("Mở lại báo cáo"),
}
STATUS_ACTIONS = {
    ReportStatus.SUBMITTED: gettext_lazy("Gửi báo cáo"),
    ReportStatus.RETURNED: gettext_lazy("Trả lại"),
    ReportStatus.ACCEPTED: gettext_lazy("Chấp nhận"),
}
ATTR_LABELS = {
    "value": gettext_lazy("giá trị"),
    "numerator": gettext_lazy("tử số"),
    "denominator": gettext_lazy("mẫu số"),
    "source": gettext_lazy("nguồn số liệu"),
    "note": gettext_lazy("ghi chú"),
    "status": gettext_lazy("tình trạng"),
    "narrative": gettext_lazy("kết quả thực hiện"),
}


@dataclass
class AuditRow:
    event: AuditEvent
    who: str
    action: str
    field: str
    old: str
    new: str
    reason: str


def _short(text: str, length: int = 70) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _indicator_name(indicator: Indicator | None, pk: str) -> str:
    if indicator is None:
        return _("Chỉ tiêu %(id)s") % {"id": pk}
    number = f"{indicator.label}. " if indicator.label else ""
    return number + _short(indicator.text)


def _task_name(task: Task | None, pk: str) -> str:
    if task is None:
        return _("Nhiệm vụ %(id)s") % {"id": pk}
    return (f"{task.label}. " if task.label else "") + _short(task.text)


def _number_text(text: str) -> str:
    try:
        return format_vn_number(Decimal(text)) if text else ""
    except (InvalidOperation, ValueError):
        return text


def _choice_text(choices: type[TaskStatus] | type[ReportStatus], text: str) -> str:
    return str(choices(text).label) if text in choices.values else text


def audit_rows(report: Report) -> list[AuditRow]:
    """The report's trail with field names people can read: "Tỷ lệ lao động nữ… — Nữ — tử số"."""
    events = list(AuditEvent.objects.filter(report=report).select_related("user").order_by("at", "pk"))
    indicator_ids = {e.field.split(":")[1] for e in events if e.field.startswith("indicator:")}
    task_ids = {e.field.split(":")[1] for e in events if e.field.startswith(("task:", "spending:"))}
    indicators = {str(i.pk): i for i in Indicator.objects.filter(pk__in=[i for i in indicator_ids if i.isdigit()])}
    tasks = {str(t.pk): t for t in Task.objects.filter(pk__in=[t for t in task_ids if t.isdigit()])}
    rows = []
    for event in events:
        parts = event.field.split(":")
        old, new = event.old, event.new
        action = str(ACTION_LABELS.get(event.action, event.action))
        if parts[0] == "indicator" and len(parts) in (4, 5):
            cell = cell_label(parts[2], parts[4] if len(parts) == 5 else "")
            label = f"{_indicator_name(indicators.get(parts[1]), parts[1])} — {cell} — "
            label += str(ATTR_LABELS.get(parts[3], parts[3]))
            if parts[3] in ("value", "numerator", "denominator"):
                old, new = _number_text(old), _number_text(new)
        elif parts[0] == "task" and len(parts) == 3:
            label = f"{_task_name(tasks.get(parts[1]), parts[1])} — {ATTR_LABELS.get(parts[2], parts[2])}"
            if parts[2] == "status":
                old, new = _choice_text(TaskStatus, old), _choice_text(TaskStatus, new)
        elif parts[0] == "spending" and len(parts) == 3:
            source = str(FundingSource(parts[2]).label) if parts[2] in FundingSource.values else parts[2]
            task_label = _task_name(tasks.get(parts[1]), parts[1]) if parts[1] != "None" else _("Chung")
            label = _("Kinh phí đã chi (triệu đồng) — %(task)s — %(source)s") % {"task": task_label, "source": source}
            old, new = _number_text(old), _number_text(new)
        elif event.field == "summary":
            label = _("Tóm tắt kết quả")
        elif event.field == "status":
            label = _("Trạng thái báo cáo")
            if event.action == "status":
                action = str(STATUS_ACTIONS.get(ReportStatus(new), action)) if new in ReportStatus.values else action
            old, new = _choice_text(ReportStatus, old), _choice_text(ReportStatus, new)
        else:
            label = event.field
        user = event.user
        who = (user.get_full_name() or user.get_username()) if user is not None else _("(không rõ)")
        rows.append(AuditRow(event, who, action, label, old, new, event.reason))
    return rows
