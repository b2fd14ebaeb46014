"""The administrators' list of background jobs: state, progress, attempts and errors of everyone's jobs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ("id", "kind", "state", "progress", "stage", "attempts", "created_by", "created_at", "finished_at")
    list_filter = ("state", "kind")
    search_fields = ("key", "error")
    ordering = ["-created_at"]
    exclude = ("payload", "output")
    readonly_fields = (
        "kind",
        "key",
        "params",
        "state",
        "progress",
        "stage",
        "error",
        "error_code",
        "attempts",
        "max_attempts",
        "result",
        "created_by",
        "worker",
        "lease_until",
        "task_id",
        "started_at",
        "finished_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
