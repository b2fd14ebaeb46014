from __future__ import annotations

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "binhdang.reporting"
    label = "reporting"
    verbose_name = "Báo cáo"
