"""Upload → read → review → accept, through the services and the views."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from conftest import GOLDEN, PASSWORD, SEEDS, golden
from django.test import Client
from django.urls import reverse
from reader.conftest import review_form

from binhdang.docparse.pipeline import parse_bytes
from binhdang.plans.errors import PlanFormatError
from binhdang.plans.interchange import plan_export
from binhdang.plans.models import Plan
from binhdang.reader import services
from binhdang.reader.models import DocumentImport, ImportStatus
from binhdang.reader.services import UploadRefused, document_read, document_upload


def _seed_bytes(seed: str) -> bytes:
    return (GOLDEN / f"{seed}.txt").read_bytes()


def _without_reader_keys(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data.pop("source", None)
    data.pop("provenance", None)
    data["document"].pop("unit_code", None)
    for check in data["budget"]["checks"]:
        check.pop("message", None)
    # A task's group flag is the reader's (plan_for_loader drops it: the lead's name says it).
    for task in data["tasks"]:
        task.pop("group", None)
    return data


def test_same_file_uploaded_twice_is_recognised(world: Any) -> None:
    first, created = document_upload(user=world.admin, filename="a.txt", data=_seed_bytes(SEEDS[2]))
    again, created_again = document_upload(user=world.admin, filename="b.txt", data=_seed_bytes(SEEDS[2]))
    assert created and not created_again and again.pk == first.pk


def test_empty_and_oversized_uploads_are_refused(world: Any, settings: Any) -> None:
    with pytest.raises(UploadRefused):
        document_upload(user=world.admin, filename="empty.txt", data=b"")
    settings.BINHDANG_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(UploadRefused):
        document_upload(user=world.admin, filename="big.txt", data=b"x" * 1001)
    assert DocumentImport.objects.count() == 0


def test_junk_is_recorded_as_a_failure_with_the_readers_message(world: Any) -> None:
    doc, _ = document_upload(user=world.admin, filename="junk.bin", data=bytes(range(256)) * 20)
    doc = document_read(import_id=doc.pk)
    assert doc.status == ImportStatus.FAILED
    assert doc.error.startswith("UnsupportedFormat:")


def test_a_text_that_is_not_a_plan_is_said_so(world: Any) -> None:
    doc, _ = document_upload(user=world.admin, filename="note.txt", data="Thông báo lịch họp tuần.".encode())
    assert document_read(import_id=doc.pk).status == ImportStatus.NOT_A_PLAN


def test_browser_upload_of_junk_shows_a_vietnamese_error(world: Any, read_now: None, client: Client) -> None:
    client.login(username="admin", password=PASSWORD)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("reader-upload"), {"document": SimpleUploadedFile("x.pdf", b"%PDF-1.4 broken")}, follow=True
    )
    assert "Tệp bị hỏng, không đọc được." in response.content.decode()
    assert Plan.objects.count() == 0


@pytest.mark.parametrize("seed", SEEDS)
def test_accepting_a_seed_keeps_everything_the_reader_found(
    world: Any, read_now: None, client: Client, seed: str
) -> None:
    client.login(username="admin", password=PASSWORD)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("reader-upload"), {"document": SimpleUploadedFile(f"{seed}.txt", _seed_bytes(seed))})
    doc = DocumentImport.objects.get()
    assert response.status_code == 302 and doc.status == ImportStatus.PARSED, doc.error
    review = client.get(reverse("reader-review", args=[doc.pk]))
    page = review.content.decode()
    assert review.status_code == 200 and "Nguyên văn" in page
    unit_pk = int(re.search(r'<option value="(\d+)" selected', page).group(1))  # type: ignore[union-attr]
    accepted = client.post(reverse("reader-review", args=[doc.pk]), review_form(doc.result, unit_pk))
    assert accepted.status_code == 302, accepted.content.decode()[:2000]
    plan = Plan.objects.get()
    assert plan.status == "draft" and plan.source_sha256 == doc.sha256
    read = parse_bytes(_seed_bytes(seed), f"{seed}.txt").plan
    read["document"]["status"] = "draft"  # accepting creates a draft; a person issues it
    assert _without_reader_keys(plan_export(plan)) == _without_reader_keys(read)


def test_upload_of_the_yen_the_plan_gives_its_golden_file(world: Any, read_now: None, client: Client) -> None:
    # Seed 002 is read completely; its accepted export must equal what was written by reading the document.
    seed = "002_bba7be5b5b954222"
    client.login(username="admin", password=PASSWORD)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(reverse("reader-upload"), {"document": SimpleUploadedFile(f"{seed}.txt", _seed_bytes(seed))})
    doc = DocumentImport.objects.get()
    page = client.get(reverse("reader-review", args=[doc.pk])).content.decode()
    unit_pk = int(re.search(r'<option value="(\d+)" selected', page).group(1))  # type: ignore[union-attr]
    client.post(reverse("reader-review", args=[doc.pk]), review_form(doc.result, unit_pk))
    expected = golden(seed)
    expected["document"]["status"] = "draft"  # allowed difference: accepted plans start as drafts
    exported = _without_reader_keys(plan_export(Plan.objects.get()))
    assert exported == _without_reader_keys(expected)


def test_a_correction_in_the_review_is_applied(world: Any, read_now: None, client: Client) -> None:
    seed = SEEDS[1]
    client.login(username="admin", password=PASSWORD)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(reverse("reader-upload"), {"document": SimpleUploadedFile(f"{seed}.txt", _seed_bytes(seed))})
    doc = DocumentImport.objects.get()
    page = client.get(reverse("reader-review", args=[doc.pk])).content.decode()
    unit_pk = int(re.search(r'<option value="(\d+)" selected', page).group(1))  # type: ignore[union-attr]
    form = review_form(doc.result, unit_pk)
    form["f:/document/place"] = "Thái Nguyên (đã sửa)"
    form["f:/document/years/1"] = "năm sau"
    refused = client.post(reverse("reader-review", args=[doc.pk]), form)
    assert refused.status_code == 200 and "phải là số nguyên" in refused.content.decode()
    assert Plan.objects.count() == 0
    form["f:/document/years/1"] = "2024"
    form["delete"] = ["/tasks/0"]
    client.post(reverse("reader-review", args=[doc.pk]), form)
    plan = Plan.objects.get()
    assert plan.place == "Thái Nguyên (đã sửa)" and plan.year_end == 2024
    assert plan.tasks.count() == len(doc.result["tasks"]) - 1


def test_commune_user_cannot_accept_a_plan_for_the_province(world: Any, read_now: None, client: Client) -> None:
    client.login(username="xa_a", password=PASSWORD)
    from django.core.files.uploadedfile import SimpleUploadedFile

    seed = SEEDS[1]
    client.post(reverse("reader-upload"), {"document": SimpleUploadedFile(f"{seed}.txt", _seed_bytes(seed))})
    doc = DocumentImport.objects.get()
    page = client.get(reverse("reader-review", args=[doc.pk])).content.decode()
    unit_pk = int(re.search(r'<option value="(\d+)" selected', page).group(1))  # type: ignore[union-attr]
    response = client.post(reverse("reader-review", args=[doc.pk]), review_form(doc.result, unit_pk))
    assert response.status_code == 200
    # The refusal names the unit chosen, not as if it were the user's own (issue 14, item 7).
    assert "Bạn không có quyền tạo kế hoạch cho địa bàn" in response.content.decode()
    assert Plan.objects.count() == 0


def test_other_users_cannot_see_an_upload(world: Any, client: Client) -> None:
    doc, _ = document_upload(user=world.commune_user, filename="a.txt", data=_seed_bytes(SEEDS[2]))
    client.login(username="xa_b", password=PASSWORD)
    assert client.get(reverse("reader-status", args=[doc.pk])).status_code == 404
    assert client.get(reverse("reader-review", args=[doc.pk])).status_code == 404


def test_background_reading_is_one_job_per_upload(world: Any) -> None:
    """Reading in the background is a job (run at once in tests): asking twice for the same upload is one job."""
    from binhdang.jobs.models import Job

    doc, _ = document_upload(user=world.admin, filename="a.txt", data=_seed_bytes(SEEDS[2]))
    services.document_read_in_background(import_id=doc.pk)
    services.document_read_in_background(import_id=doc.pk)
    (job,) = Job.objects.all()
    assert (job.kind, job.state, job.attempts, job.created_by) == ("reader.read", "succeeded", 1, world.admin)
    doc.refresh_from_db()
    assert doc.status == ImportStatus.PARSED and doc.result


def test_reading_reports_progress_as_pages_are_done(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real_update = DocumentImport.objects.filter

    def parse_with_pages(data: bytes, filename: str, **kwargs: Any) -> Any:
        for done in range(4):
            kwargs["progress"](done, 3)
            seen.append(real_update(pk=doc.pk).values_list("progress", flat=True).get())
        return parse_bytes(data, filename)

    doc, _ = document_upload(user=world.admin, filename="a.txt", data=_seed_bytes(SEEDS[2]))
    monkeypatch.setattr(services, "parse_bytes", parse_with_pages)
    assert document_read(import_id=doc.pk).status == ImportStatus.PARSED
    assert seen == [5, 35, 65, 95]


@pytest.mark.parametrize("tree", [{}, {"document": None}, []])
def test_accepting_a_tree_without_a_document_is_a_format_error(world: Any, tree: Any) -> None:
    """Found by tests/security/test_fuzz_importers.py: KeyError and TypeError before the plan was validated."""
    doc, _ = document_upload(user=world.admin, filename="a.txt", data=_seed_bytes(SEEDS[2]))
    doc = document_read(import_id=doc.pk)
    with pytest.raises(PlanFormatError):
        services.document_accept(user=world.admin, doc=doc, plan_data=tree, unit=world.province, agency_map={})
    assert DocumentImport.objects.get(pk=doc.pk).status == ImportStatus.PARSED
    assert not Plan.objects.exists()
