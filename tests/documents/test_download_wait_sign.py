"""Every download that can take more than a second tells the person to wait (issue 14, item 5): a PDF is a
background job whose page shows progress and announces its state to screen readers; the files made while the
person waits (Word documents, the period's Excel workbook) are links marked data-busy, which binhdang/busy.js turns
into a "Đang tạo tệp, vui lòng chờ…" sign in the page's live region."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from binhdang.reporting.services import periods_generate, reports_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(cycle: Any) -> Any:
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    reports_generate(period=period)
    cycle.period = period
    return cycle


def _page(client: Client, name: str, pk: int) -> str:
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def _link(page: str, url: str) -> str:
    (tag,) = re.findall(rf'<a [^>]*href="{re.escape(url)}"[^>]*>', page)
    return tag


def test_files_made_while_waiting_are_marked_and_pdfs_are_jobs(period: Any) -> None:
    client = Client()
    client.force_login(period.province_user)
    plan_page = _page(client, "plan-detail", period.plan.pk)
    period_page = _page(client, "period-detail", period.period.pk)
    compiled_page = _page(client, "period-compiled", period.period.pk)
    upload_page = _page(client, "period-xlsx-upload", period.period.pk)
    marked = [
        (plan_page, reverse("document-plan-docx", args=[period.plan.pk])),
        (compiled_page, reverse("document-report-docx", args=[period.period.pk])),
        (period_page, reverse("period-xlsx", args=[period.period.pk])),
        (upload_page, reverse("period-xlsx", args=[period.period.pk])),
    ]
    for page, url in marked:
        assert " data-busy" in _link(page, url), url
        response = client.get(url)  # still an ordinary download without JavaScript
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment"), url
    for page, url in (
        (plan_page, reverse("document-plan-pdf", args=[period.plan.pk])),
        (compiled_page, reverse("document-report-pdf", args=[period.period.pk])),
    ):
        assert "data-busy" not in _link(page, url)  # a job: its own page shows the progress
    # Every page carries the live region and the script that fills it.
    for page in (plan_page, period_page, compiled_page):
        (region,) = re.findall(r'<p id="busy-status"[^>]*>', page)
        assert 'role="status"' in region and 'aria-live="polite"' in region
        assert 'data-wait="Đang tạo tệp, vui lòng chờ…"' in region
        assert re.search(r'<script src="[^"]*binhdang/busy\.js" defer>', page)
    found = finders.find("binhdang/busy.js")  # served as a static file like the rest
    assert found, "binhdang/busy.js is not among the static files"
    with open(str(found), encoding="utf-8") as file:
        script = file.read()
    assert "a[data-busy]" in script and "busy-status" in script and "dataset.wait" in script


def test_the_wait_sign_is_in_the_interface_language(period: Any) -> None:
    client = Client()
    client.force_login(period.province_user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _page(client, "plan-detail", period.plan.pk)
    assert '<html lang="en">' in page
    assert 'data-wait="Making the file, please wait…"' in page and 'data-done="The file is ready."' in page


def test_a_pdf_waiting_for_the_worker_shows_progress_announced_to_screen_readers(period: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, not run at once
    client = Client()
    client.force_login(period.province_user)
    response = client.get(reverse("document-report-pdf", args=[period.period.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/cong-viec/")
    page = client.get(response["Location"]).content.decode()
    assert re.search(r'<progress id="job-progress" max="100" value="\d+">', page)
    assert re.search(r'<span id="job-state" role="status" aria-live="polite">', page)
