"""Rule violations of the reporting cycle, one exception per rule, mapped to messages at the edges."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


class ReportingError(Exception):
    """A rule of the reporting cycle said no. ``code`` names the rule for the edges (API bodies, the command line
    in English); ``message`` is the sentence a page shows."""

    code = "reporting_error"
    message = _("Không thực hiện được thao tác trên báo cáo.")

    def __str__(self) -> str:
        detail = super().__str__()
        return f"{self.message} {detail}".strip()


class PeriodClosed(ReportingError):
    code = "period_closed"
    message = _("Kỳ báo cáo đã khóa, không nhận số liệu.")


class ReportAlreadyAccepted(ReportingError):
    code = "report_already_accepted"
    message = _("Báo cáo đã được chấp nhận; số liệu đã khóa.")


class ReportNotEditable(ReportingError):
    code = "report_not_editable"
    message = _("Báo cáo đã gửi, đang chờ duyệt; không sửa được.")


class WrongState(ReportingError):
    code = "wrong_state"
    message = _("Báo cáo không ở trạng thái cho phép thao tác này.")


class NotAllowed(ReportingError):
    code = "not_allowed"
    message = _("Bạn không có quyền thực hiện thao tác này với báo cáo.")


class StaleReport(ReportingError):
    code = "stale_report"
    message = _("Báo cáo vừa được người khác thay đổi. Hãy tải lại trang để xem số liệu mới rồi nhập lại.")


# The level of an issue that only asks for a second look (reporting.checks.check_sexes).
FLAG = "flag"


@dataclass(frozen=True)
class Issue:
    """A problem with one entered value: errors block saving and submission, warnings need a note, flags ask for a
    second look and block nothing."""

    level: str  # "error" | "warning" | FLAG
    where: str  # "indicator:<id>:<sex>:<field>", "task:<id>", "report"
    message: str  # what the page shows, in the reader's language
    # Which check said it, and the figures it named: the command line's English is looked up by code
    # (reporting/spreadsheets/result.py), never by matching the sentence.
    code: str = ""
    params: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)


class InvalidValues(ReportingError):
    code = "invalid_values"
    message = _("Số liệu chưa hợp lệ.")

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(f"{issue.where}: {issue.message}" for issue in issues[:20]))
