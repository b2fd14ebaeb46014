"""An uploaded plan document and what the reader made of it, until a person accepts it as a plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from binhdang.plans.models import Plan


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ đọc")
    RUNNING = "running", _("Đang đọc")
    PARSED = "parsed", _("Đã đọc, chờ duyệt")
    NOT_A_PLAN = "not_plan", _("Không phải kế hoạch")
    FAILED = "failed", _("Không đọc được")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class DocumentImport(models.Model):
    sha256 = models.CharField(max_length=64, db_index=True)
    filename = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    # The bytes stay in the database until accepted, so an upload is one transaction and never half-stored.
    content = models.BinaryField()
    media_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    stage = models.CharField(_("bước"), max_length=120, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    result = models.JSONField(null=True, blank=True)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("văn bản tải lên")
        verbose_name_plural = _("văn bản tải lên")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING)
