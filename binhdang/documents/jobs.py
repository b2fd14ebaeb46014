"""PDF files of official documents as background jobs: LibreOffice takes seconds per file, so a download is a
job whose page shows progress and then the file."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.translation import gettext as _

from binhdang.jobs.models import Job
from binhdang.jobs.registry import job_handler
from binhdang.jobs.services import JobContext, JobFailed, job_enqueue
from binhdang.plans.models import Plan
from binhdang.reporting.models import Period

from . import pdf
from .model import OfficialDocument
from .plan import plan_document
from .report import report_document


def _document(kind: str, pk: int) -> OfficialDocument | None:
    if kind == "plan":
        plan = Plan.objects.filter(pk=pk).first()
        return plan_document(plan) if plan is not None else None
    period = Period.objects.filter(pk=pk).first()
    return report_document(period) if period is not None else None


def pdf_enqueue(*, user: Any, kind: str, pk: int, doc: OfficialDocument) -> Job:
    """The job making this document's PDF for this user; the same unchanged document asked again is the same
    job (its content is in the key), so a PDF is made once per version and person."""
    fingerprint = hashlib.sha256(repr(doc).encode("utf-8")).hexdigest()[:32]
    job, _created = job_enqueue(
        kind="documents.pdf",
        key=f"documents.pdf:{kind}:{pk}:{getattr(user, 'pk', '')}:{fingerprint}",
        params={"doc": kind, "pk": pk, "title": _("Tạo tệp PDF: %(name)s") % {"name": doc.file_stem}},
        user=user,
    )
    return job


@job_handler("documents.pdf", max_attempts=2)
def make_pdf(ctx: JobContext) -> None:
    kind, pk = str(ctx.params["doc"]), int(ctx.params["pk"])
    ctx.progress(10, "document")
    doc = _document(kind, pk)
    if doc is None:
        raise JobFailed("input_gone", f"the {kind} {pk} was deleted before its PDF was made")
    ctx.progress(30, "pdf")
    try:
        data = pdf.render_pdf(doc)
    except pdf.PdfUnavailable as exc:
        raise JobFailed("pdf_unavailable", str(exc)) from exc
    from django.db import transaction

    with transaction.atomic():
        ctx.finish(output=data, result={"filename": f"{doc.file_stem}.pdf", "content_type": "application/pdf"})
