"""One piece of background work per input: what it is, whose it is, where it stands."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    SUCCEEDED = "succeeded", _("Đã xong")
    FAILED = "failed", _("Thất bại")


class Job(models.Model):
    # The handler's name (binhdang.jobs.registry), e.g. "reader.read".
    kind = models.CharField(_("loại"), max_length=64)
    # The input, as a unique key: the same input enqueued twice is the same job, so it never runs twice. A job
    # that failed for good gives its key up (services._give_up), so the same input can be tried again later.
    key = models.CharField(max_length=255, unique=True)
    params = models.JSONField(default=dict, blank=True)
    # An uploaded file the job works on (a workbook), kept with the job so the upload is one transaction.
    payload = models.BinaryField(null=True, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    stage = models.CharField(_("bước"), max_length=120, blank=True)
    # English and technical (the class of the error and its text); the pages map codes to Vietnamese.
    error = models.TextField(_("lỗi"), blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    result = models.JSONField(null=True, blank=True)
    # A produced file (a PDF), served to the person who asked for it.
    output = models.BinaryField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Which worker process holds the job and until when; a worker renews its lease while it runs, so a lease
    # that ran out means the worker died and the job is queued again (services.jobs_recover).
    worker = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "lease_until"])]
        verbose_name = _("công việc chạy nền")
        verbose_name_plural = _("công việc chạy nền")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)
