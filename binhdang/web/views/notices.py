"""The user's notices (a report sent, returned, accepted, a reminder): the list, and marking them read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from binhdang.lib.http import not_found
from binhdang.reporting.models import Notice
from binhdang.reporting.notices import notices_mark_read


@login_required
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = Notice.objects.filter(user_id=int(request.user.pk or 0))
    if request.method == "POST":
        notice_id = request.POST.get("notice", "")
        if notice_id.isdigit():
            try:
                notice = notices_mark_read(user=request.user, notice_id=int(notice_id))
            except Notice.DoesNotExist:
                raise not_found("notice") from None
            if notice and request.POST.get("open") and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
                return redirect(notice.url)
        else:
            notices_mark_read(user=request.user)
            messages.success(request, _("Đã đánh dấu mọi thông báo là đã đọc."))
        return redirect("notice-list")
    return render(
        request,
        "reporting/notice_list.html",
        {"notices": list(notices[:200]), "unread": notices.filter(read_at__isnull=True).count()},
    )
