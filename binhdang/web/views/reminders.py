"""“Nhắc nộp”: the standing agency reminds one reporter from the period page (binhdang.reporting.reminders)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binhdang.reporting.errors import NotAllowed, ReportingError
from binhdang.reporting.reminders import report_remind
from binhdang.web.lookup import visible_report


@login_required
@require_POST
def report_remind_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_report(request, pk)
    try:
        sent = report_remind(report=report, user=request.user, today=timezone.localdate())
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ReportingError as exc:
        messages.warning(request, str(exc.message))
        return redirect("period-detail", pk=report.period_id)
    name = report.reporter.name
    if sent.emails:
        messages.success(
            request,
            _("Đã nhắc %(reporter)s: thư gửi tới %(emails)s và %(notices)s thông báo trong hệ thống.")
            % {"reporter": name, "emails": ", ".join(sent.emails), "notices": sent.notices},
        )
    elif sent.failures:
        messages.warning(
            request,
            _(
                "Đã nhắc %(reporter)s bằng %(notices)s thông báo trong hệ thống; "
                "máy chủ thư không gửi được tới %(emails)s."
            )
            % {"reporter": name, "notices": sent.notices, "emails": ", ".join(sent.failures)},
        )
    else:
        messages.success(
            request,
            _(
                "Đã nhắc %(reporter)s bằng %(notices)s thông báo trong hệ thống; đơn vị chưa có địa chỉ thư điện tử "
                "nên không gửi thư."
            )
            % {"reporter": name, "notices": sent.notices},
        )
    return redirect("period-detail", pk=report.period_id)
