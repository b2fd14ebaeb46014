from __future__ import annotations

from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "binhdang.opendata"
    label = "opendata"
    verbose_name = "Dữ liệu mở"
