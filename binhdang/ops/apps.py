from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "binhdang.ops"
    label = "ops"
    verbose_name = "Vận hành"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
