from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "binhdang.web"
    label = "web"
    verbose_name = "Giao diện web"

    def ready(self) -> None:
        from django.urls import register_converter

        from binhdang.lib.urlids import IdConverter

        # Before any URL conf is imported: they all use <id:...> for database ids (binhdang/lib/urlids.py).
        register_converter(IdConverter, "id")
