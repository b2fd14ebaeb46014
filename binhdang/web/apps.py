from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "binhdang.web"
    label = "web"
    verbose_name = "Giao diện web"
