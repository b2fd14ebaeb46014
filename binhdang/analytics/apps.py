from __future__ import annotations

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "binhdang.analytics"
    label = "analytics"
    verbose_name = "Theo dõi, đánh giá"
