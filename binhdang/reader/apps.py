from __future__ import annotations

from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "binhdang.reader"
    label = "reader"
    verbose_name = "Đọc văn bản kế hoạch"
