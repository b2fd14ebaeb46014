"""Upload, read and accept plan documents. Writes happen only here, each in one transaction."""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction

from binhdang.docparse import errors as parse_errors
from binhdang.docparse.pipeline import parse_bytes
from binhdang.places.models import AdministrativeUnit, Agency
from binhdang.places.services import agency_alias_add
from binhdang.plans.errors import FieldError, PlanFormatError, PlanNotEditable
from binhdang.plans.interchange import plan_load
from binhdang.plans.models import Plan, PlanStatus
from binhdang.plans.selectors import plan_can_edit_unit

from .models import DocumentImport, ImportStatus

log = logging.getLogger(__name__)


class UploadRefused(Exception):
    """An upload that is refused before it is stored (empty, too large)."""


class ImportNotReady(Exception):
    """The document has not been read successfully yet, or was accepted already."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "BINHDANG_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


@transaction.atomic
def document_upload(*, user: Any, filename: str, data: bytes) -> tuple[DocumentImport, bool]:
    """Store an uploaded document for reading; the same bytes uploaded again give the earlier import back."""
    if not data:
        raise UploadRefused("empty")
    if len(data) > max_upload_bytes():
        raise UploadRefused("too_large")
    digest = hashlib.sha256(data).hexdigest()
    earlier = (
        DocumentImport.objects.filter(sha256=digest).exclude(status=ImportStatus.FAILED).order_by("-created_at").first()
    )
    if earlier is not None and (earlier.created_by_id == user.pk or earlier.plan_id is not None):
        return earlier, False
    doc = DocumentImport.objects.create(
        sha256=digest, filename=filename[:255] or "document", size=len(data), content=data, created_by=user
    )
    return doc, True


def document_read(
    *,
    import_id: int,
    finish: Callable[[], None] | None = None,
    retry_crashes: bool = False,
    on_progress: Callable[[int, str], None] | None = None,
) -> DocumentImport:
    """Run the reader on a stored upload and keep its result; failures are recorded, not raised.

    Run as a job (binhdang/reader/jobs.py): ``finish`` marks the job done in the transaction that stores the
    result, so a reading killed halfway leaves nothing; with ``retry_crashes`` a crash of the reader is raised
    for the job to retry instead of recorded (the job records it once the retries are spent).
    """
    doc = DocumentImport.objects.get(pk=import_id)
    _progress(doc, status=ImportStatus.RUNNING, progress=5, stage="reading")

    def pages_done(done: int, total: int) -> None:
        # Pages are most of the work (OCR); keep 5% for loading and 5% for extraction.
        percent = 5 + int(90 * done / total) if total else 5
        DocumentImport.objects.filter(pk=doc.pk).update(progress=percent, stage=f"pages {done}/{total}")
        if on_progress is not None:
            on_progress(percent, f"pages {done}/{total}")

    try:
        result = parse_bytes(bytes(doc.content), doc.filename, max_bytes=max_upload_bytes(), progress=pages_done)
    except parse_errors.DocParseError as exc:
        with transaction.atomic():
            _progress(doc, status=ImportStatus.FAILED, progress=100, stage="", error=f"{type(exc).__name__}: {exc}")
            if finish is not None:
                finish()
        return doc
    except Exception as exc:
        if retry_crashes:
            raise
        # A reader bug must not leave the upload spinning forever; the person sees a failure and we log it.
        log.exception("reader crashed on import %s", import_id)
        _progress(doc, status=ImportStatus.FAILED, progress=100, stage="", error=f"InternalError: {exc}")
        return doc
    doc.result = result.plan
    doc.media_type = (result.plan.get("source") or {}).get("media_type") or ""
    with transaction.atomic():
        if result.is_plan:
            _progress(doc, status=ImportStatus.PARSED, progress=100, stage="")
        else:
            _progress(doc, status=ImportStatus.NOT_A_PLAN, progress=100, stage="", error=result.reason or "")
        if finish is not None:
            finish()
    return doc


def _progress(doc: DocumentImport, *, status: str, progress: int, stage: str, error: str = "") -> None:
    doc.status = status
    doc.progress = progress
    doc.stage = stage
    doc.error = error
    doc.save(update_fields=["status", "progress", "stage", "error", "result", "media_type", "updated_at"])


def document_read_in_background(*, import_id: int) -> None:
    """Queue the reading as a job (binhdang/reader/jobs.py): any worker reads it, even after a restart, and the
    page polls the import's status meanwhile. An upload is read once: its job is keyed by the import."""
    from binhdang.jobs.services import job_enqueue

    doc = DocumentImport.objects.only("pk", "filename", "created_by").get(pk=import_id)
    job_enqueue(
        kind="reader.read",
        key=f"reader.read:{import_id}",
        params={"import_id": import_id, "title": doc.filename},
        user=doc.created_by,
    )


@transaction.atomic
def document_accept(
    *,
    user: Any,
    doc: DocumentImport,
    plan_data: dict[str, Any],
    unit: AdministrativeUnit,
    agency_map: Mapping[str, Agency],
) -> Plan:
    """Create the reviewed plan as a draft, matched names remembered as aliases; all or nothing."""
    doc = DocumentImport.objects.select_for_update().get(pk=doc.pk)
    if doc.status != ImportStatus.PARSED:
        raise ImportNotReady(doc.get_status_display())
    if not plan_can_edit_unit(user, unit):
        raise PlanNotEditable(f"user {user} may not create plans of {unit}")
    data = copy.deepcopy(plan_data)
    if not isinstance(data, dict) or not isinstance(data.get("document"), dict):
        raise PlanFormatError([FieldError("/document", "required_object")])
    data.pop("source", None)
    data.pop("provenance", None)
    data["document"]["status"] = PlanStatus.DRAFT
    plan = plan_load(
        data, user=user, unit=unit, agency_map=agency_map, source_sha256=doc.sha256, source_filename=doc.filename
    )
    for written_as, agency in agency_map.items():
        if agency.unit_id == unit.pk:
            agency_alias_add(agency=agency, alias=written_as)
    doc.plan = plan
    doc.status = ImportStatus.ACCEPTED
    doc.save(update_fields=["plan", "status", "updated_at"])
    return plan
