from __future__ import annotations

from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "binhdang.interop"
    label = "interop"
    verbose_name = "Trao đổi dữ liệu DHIS2"
