from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "binhdang.plans"
    label = "plans"
    verbose_name = "Kế hoạch"
