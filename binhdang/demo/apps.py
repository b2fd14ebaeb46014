from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and synthetic data (the `demo` and `synth` commands). Domain apps never import it."""

    name = "binhdang.demo"
    label = "demo"
    verbose_name = "Dữ liệu trình diễn"
