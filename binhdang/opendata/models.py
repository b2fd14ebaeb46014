"""Which indicators the province publishes as open data. Nothing is public unless an administrator says so."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from binhdang.plans.models import Indicator


class PublishedIndicator(models.Model):
    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="publication", verbose_name=_("chỉ tiêu")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người công bố"),
    )
    published_at = models.DateTimeField(_("công bố lúc"))
    note = models.TextField(_("ghi chú cho người dùng dữ liệu"), blank=True)

    class Meta:
        ordering = ["indicator__plan", "indicator__order"]
        verbose_name = _("chỉ tiêu công bố dữ liệu mở")
        verbose_name_plural = _("chỉ tiêu công bố dữ liệu mở")

    def __str__(self) -> str:
        return str(self.indicator)
