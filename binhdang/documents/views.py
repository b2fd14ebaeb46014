"""Downloads of official documents: a plan's Kế hoạch and a period's Báo cáo, as .docx (the editable form,
to finish before issuing) or PDF."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from binhdang.lib.http import found_or_404

from .access import can_see_compiled, visible_period, visible_plan
from .docx import render_docx
from .jobs import pdf_enqueue
from .model import OfficialDocument
from .plan import plan_document
from .report import report_document

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _respond(request: HttpRequest, doc: OfficialDocument, fmt: str, kind: str, pk: int) -> HttpResponse:
    if fmt == "pdf":
        # LibreOffice takes seconds: the PDF is a background job, its page shows progress and then the file.
        job = pdf_enqueue(user=request.user, kind=kind, pk=pk, doc=doc)
        return redirect("job-status", pk=job.pk)
    data = render_docx(doc)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    filename = f"{doc.file_stem}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(filename)}"
    return response


@login_required
def plan_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = found_or_404(visible_plan(request.user, pk), "plan")
    return _respond(request, plan_document(plan), fmt, "plan", plan.pk)


@login_required
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    period = found_or_404(visible_period(request.user, pk), "period")
    if not can_see_compiled(request.user, period.plan):
        raise PermissionDenied(_("Chỉ cơ quan thường trực và đơn vị ban hành kế hoạch mới tải được báo cáo tổng hợp."))
    return _respond(request, report_document(period), fmt, "report", period.pk)
