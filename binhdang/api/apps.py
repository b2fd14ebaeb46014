from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "binhdang.api"
    # "api" alone is a common label; a prefixed one cannot collide with a third-party app.
    label = "binhdang_api"
    verbose_name = "API"

    def ready(self) -> None:
        from . import tokens  # noqa: F401  (token revocation on password change)
