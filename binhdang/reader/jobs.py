"""Reading an uploaded document (OCR included) as a background job."""

from __future__ import annotations

from binhdang.jobs.models import Job
from binhdang.jobs.registry import job_handler
from binhdang.jobs.services import JobContext, JobFailed

from .models import DocumentImport, ImportStatus
from .services import document_read


def _read_failed(job: Job, error: str) -> None:
    """The retries are spent (or the input is gone): the person who uploaded sees the failure and its error."""
    DocumentImport.objects.filter(
        pk=int((job.params or {}).get("import_id") or 0), status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    ).update(status=ImportStatus.FAILED, progress=100, stage="", error=f"InternalError: {error}")


@job_handler("reader.read", max_attempts=3, on_failure=_read_failed)
def read(ctx: JobContext) -> None:
    import_id = int(ctx.params["import_id"])
    if not DocumentImport.objects.filter(pk=import_id).exists():
        raise JobFailed("input_gone", f"the upload {import_id} was deleted before it was read")
    document_read(import_id=import_id, finish=ctx.finish, retry_crashes=True, on_progress=ctx.progress)
