from __future__ import annotations

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "binhdang.reporting"
    label = "reporting"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        # The plans app cannot import reporting; it asks its lock probes whether reports hang on a part.
        from binhdang.plans.locks import probe_register

        from .selectors import reports_holding

        probe_register(reports_holding)
