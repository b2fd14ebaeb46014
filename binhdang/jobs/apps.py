from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "binhdang.jobs"
    label = "jobs"
    verbose_name = "Công việc chạy nền"

    def ready(self) -> None:
        # Each app declares its job handlers and schedules in its own jobs.py (as admin.py is found for the admin).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
