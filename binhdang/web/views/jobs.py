"""A background job's page: its progress while it runs (polled), then its result, error or file."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from binhdang.jobs.models import Job, JobState
from binhdang.jobs.selectors import jobs_visible_to
from binhdang.lib.http import found_or_404, not_found


def _job_or_404(request: HttpRequest, pk: int) -> Job:
    return found_or_404(jobs_visible_to(request.user).filter(pk=pk).defer("payload", "output").first(), "job")


def failure_message(code: str) -> str:
    """The Vietnamese message of a job's error code (binhdang.jobs.services and the handlers name them)."""
    known = {
        "input_gone": _("Dữ liệu của công việc này đã bị xóa trước khi chạy, nên không làm được."),
        "crashed": _("Công việc bị dừng giữa chừng nhiều lần (máy chủ khởi động lại hoặc lỗi), nên đã dừng hẳn."),
        "pdf_unavailable": _("Máy chủ chưa tạo được tệp PDF (thiếu LibreOffice hoặc chuyển đổi lỗi)."),
    }
    return known.get(code, _("Lỗi hệ thống khi chạy công việc; hãy thử lại hoặc báo quản trị viên."))


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    failure = failure_message(job.error_code) if job.state == JobState.FAILED else ""
    return render(request, "jobs/status.html", {"job": job, "result": job.result or {}, "failure": failure})


@login_required
def job_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job_or_404(request, pk)
    return JsonResponse(
        {
            "state": job.state,
            "label": job.get_state_display(),
            "progress": job.progress,
            "stage": job.stage,
            "finished": job.is_finished,
            "next": reverse("job-status", args=[job.pk]),
        }
    )


@login_required
def job_file(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    data = Job.objects.filter(pk=job.pk, state=JobState.SUCCEEDED).values_list("output", flat=True).first()
    if not data:
        raise not_found("file")
    result = job.result or {}
    response = HttpResponse(bytes(data), content_type=str(result.get("content_type") or "application/octet-stream"))
    filename = str(result.get("filename") or f"job-{job.pk}")
    response["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
