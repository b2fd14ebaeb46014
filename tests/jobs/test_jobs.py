"""The job machinery in-process: bad input, poisoned input, retries, take-over of a dead worker's job, the daily
schedule, who sees a job, and the period import's page while its job waits for a worker."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from conftest import GOLDEN, PASSWORD, SEEDS
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from binhdang.jobs import services
from binhdang.jobs.models import Job, JobState
from binhdang.reader import services as reader_services
from binhdang.reader.models import DocumentImport, ImportStatus
from binhdang.reader.services import document_read_in_background, document_upload


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _upload(world: Any) -> DocumentImport:
    doc, _ = document_upload(user=world.admin, filename="a.txt", data=(GOLDEN / f"{SEEDS[1]}.txt").read_bytes())
    return doc


def test_a_deleted_upload_fails_at_once_with_a_message(world: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    doc = _upload(world)
    document_read_in_background(import_id=doc.pk)
    doc.delete()
    (job,) = Job.objects.all()
    assert services.job_execute(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error_code) == (JobState.FAILED, 1, "input_gone")
    assert "deleted" in job.error
    # Not a crash loop: nothing is queued again, and the failed job stays failed.
    assert services.job_execute(job_id=job.pk).startswith("skipped")
    assert services.jobs_recover(now=timezone.now() + dt.timedelta(hours=1)) == []


def test_a_poisoned_document_fails_after_its_retries_and_shows_the_error(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def crash(data: bytes, filename: str, **kwargs: Any) -> Any:
        calls.append(filename)
        raise RuntimeError("the reader fell over on page 3")

    monkeypatch.setattr(reader_services, "parse_bytes", crash)
    doc = _upload(world)
    document_read_in_background(import_id=doc.pk)  # jobs run at once in tests: all three attempts happen here
    (job,) = Job.objects.all()
    assert (job.state, job.attempts, job.error_code) == (JobState.FAILED, 3, "error")
    assert len(calls) == 3
    doc.refresh_from_db()
    assert doc.status == ImportStatus.FAILED and "the reader fell over on page 3" in doc.error
    page = _client(world.admin).get(reverse("reader-status", args=[doc.pk]))
    assert "the reader fell over on page 3" in page.content.decode()


def test_a_job_whose_worker_died_is_taken_over_and_given_up_after_its_attempts(world: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    doc = _upload(world)
    document_read_in_background(import_id=doc.pk)
    (job,) = Job.objects.all()
    # A worker claimed it and died: the job says running, its lease runs out.
    past = timezone.now() - dt.timedelta(seconds=1)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, attempts=1, worker="dead", lease_until=past)
    assert services.jobs_recover(now=timezone.now() - dt.timedelta(hours=1)) == []  # not yet run out then
    assert services.jobs_recover() == [job.pk]
    assert services.job_execute(job_id=job.pk) == "succeeded"
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.SUCCEEDED, 2)
    doc.refresh_from_db()
    assert doc.status == ImportStatus.PARSED

    # An input that kills the worker every time: after max_attempts runs it fails instead of looping.
    other, _ = document_upload(user=world.admin, filename="b.txt", data=(GOLDEN / f"{SEEDS[2]}.txt").read_bytes())
    document_read_in_background(import_id=other.pk)
    poisoned = Job.objects.get(params__import_id=other.pk)
    Job.objects.filter(pk=poisoned.pk).update(state=JobState.RUNNING, attempts=3, worker="dead", lease_until=past)
    assert services.jobs_recover() == [poisoned.pk]
    assert services.job_execute(job_id=poisoned.pk) == "failed"
    poisoned.refresh_from_db()
    assert (poisoned.state, poisoned.error_code) == (JobState.FAILED, "crashed")
    other.refresh_from_db()
    assert other.status == ImportStatus.FAILED and "crashed" in other.error


def test_a_result_written_after_the_job_was_taken_over_is_rolled_back(world: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    doc = _upload(world)
    document_read_in_background(import_id=doc.pk)
    job = Job.objects.get()
    original = reader_services.parse_bytes

    def slow_then_overtaken(data: bytes, filename: str, **kwargs: Any) -> Any:
        # Meanwhile the lease ran out and another worker took the job over.
        Job.objects.filter(pk=job.pk).update(worker="someone-else")
        return original(data, filename, **kwargs)

    reader_services.parse_bytes = slow_then_overtaken  # type: ignore[assignment]
    try:
        assert services.job_execute(job_id=job.pk) == "lost"
    finally:
        reader_services.parse_bytes = original
    doc.refresh_from_db()
    assert doc.status == ImportStatus.RUNNING and doc.result is None  # the reading's result was not kept


def test_reminders_are_one_job_a_day_for_the_whole_cluster(world: Any, settings: Any) -> None:
    settings.BINHDANG_REMINDER_TIME = "07:30"

    def reminders(now: dt.datetime) -> list[Job]:
        return [job for job in services.jobs_schedule(now=now) if job.kind == "reporting.reminders"]

    morning = timezone.make_aware(dt.datetime(2026, 6, 4, 7, 0))
    assert reminders(morning) == []
    later = morning + dt.timedelta(hours=1)
    (job,) = reminders(later)
    # A second worker's sweep, a minute later: the day's job exists already.
    assert reminders(later + dt.timedelta(minutes=1)) == []
    job.refresh_from_db()
    assert (job.params["day"], job.state) == ("2026-06-04", JobState.SUCCEEDED)
    assert len(reminders(later + dt.timedelta(days=1))) == 1
    assert Job.objects.filter(kind="reporting.reminders").count() == 2


def test_the_daily_housekeeping_deletes_old_files_and_task_rows_only(world: Any, settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from binhdang.jobs.jobs import jobs_prune

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    doc = _upload(world)
    document_read_in_background(import_id=doc.pk)
    read = Job.objects.get()
    assert services.job_execute(job_id=read.pk) == "succeeded"
    pdf, _ = services.job_enqueue(kind="documents.pdf", key="pdf-test", params={"doc": "plan", "pk": 0})
    Job.objects.filter(pk=pdf.pk).update(state=JobState.SUCCEEDED, output=b"%PDF", finished_at=timezone.now())
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=timezone.now())
    assert jobs_prune() == {"files": 0, "tasks": 0}
    later = timezone.now() + dt.timedelta(days=2)
    assert jobs_prune(now=later) == {"files": 1, "tasks": 0}
    assert list(Job.objects.values_list("kind", flat=True)) == ["reader.read"]  # who read what is kept
    rows = DBTaskResult.objects.count()
    assert rows == 2  # the reading's task and the PDF's
    assert jobs_prune(now=later + dt.timedelta(days=30)) == {"files": 0, "tasks": rows}
    assert not DBTaskResult.objects.exists()


def test_a_job_is_seen_by_its_owner_and_the_administrators_only(world: Any) -> None:
    doc = _upload(world)
    document_read_in_background(import_id=doc.pk)
    job = Job.objects.get()
    url = reverse("job-status", args=[job.pk])
    assert _client(world.admin).get(url).status_code == 200
    assert _client(world.commune_user).get(url).status_code == 404
    assert _client(world.commune_user).get(reverse("job-status-json", args=[job.pk])).status_code == 404
    # The administrators' list of everyone's jobs.
    listing = _client(world.admin).get("/admin/jobs/job/")
    assert listing.status_code == 200 and "reader.read" in listing.content.decode()
    assert _client(world.commune_user).get("/admin/jobs/job/").status_code == 302


def test_a_period_import_waiting_for_a_worker_shows_its_progress_then_its_result(cycle: Any, settings: Any) -> None:
    from binhdang.reporting.models import Value
    from binhdang.reporting.services import periods_generate, reports_generate
    from binhdang.reporting.spreadsheets import SHEET_INDICATORS, period_reports, period_workbook

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    reports_generate(period=period)
    wb = openpyxl.load_workbook(io.BytesIO(period_workbook(period, period_reports(period))))
    ws = wb[SHEET_INDICATORS]
    cols = {c.value: c.column for c in ws[1]}
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, cols["Mã chỉ tiêu"]).value == cycle.i2.pk:
            ws.cell(row, cols["Giá trị"]).value = 6
    out = io.BytesIO()
    wb.save(out)
    client = _client(cycle.province_user)
    url = reverse("period-xlsx-upload", args=[period.pk])
    response = client.post(url, {"file": SimpleUploadedFile("ky.xlsx", out.getvalue())})
    job = Job.objects.get(kind="reporting.workbook_import")
    assert response.status_code == 302 and response["Location"] == reverse("job-status", args=[job.pk])
    # The same upload sent again before it ran (a double click) is the same import.
    again = client.post(url, {"file": SimpleUploadedFile("ky.xlsx", out.getvalue())})
    assert again["Location"] == response["Location"] and Job.objects.filter(kind=job.kind).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert 'id="job-progress"' in page and not Value.objects.exists()
    assert client.get(reverse("job-status-json", args=[job.pk])).json()["finished"] is False

    assert services.job_execute(job_id=job.pk) == "succeeded"
    status = client.get(reverse("job-status-json", args=[job.pk])).json()
    assert (status["finished"], status["progress"]) == (True, 100)
    page = client.get(reverse("job-status", args=[job.pk])).content.decode()
    assert "2 báo cáo được cập nhật" in page
    assert sorted(Value.objects.values_list("value", flat=True)) == [6, 6]
    job.refresh_from_db()
    assert job.payload is None  # the uploaded file goes once the job has ended


def test_a_job_left_queued_by_a_worker_that_died_taking_its_task_is_queued_again(world: Any, settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    doc = _upload(world)
    document_read_in_background(import_id=doc.pk)
    job = Job.objects.get()
    # A worker took the task row and, before claiming the job, died.
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING", started_at=timezone.now())
    soon = timezone.now() + dt.timedelta(seconds=services.lease_seconds() / 2)
    Job.objects.filter(pk=job.pk).update(updated_at=soon - dt.timedelta(seconds=services.lease_seconds() * 2))
    assert services.jobs_recover(now=soon) == []  # taken within the lease: a live worker may be about to claim it
    later = timezone.now() + dt.timedelta(seconds=services.lease_seconds() * 2)
    assert services.jobs_recover(now=later) == [job.pk]
    job.refresh_from_db()
    assert DBTaskResult.objects.filter(pk=job.task_id, status="READY").exists()
    assert services.job_execute(job_id=job.pk) == "succeeded"
