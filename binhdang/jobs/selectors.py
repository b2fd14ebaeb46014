"""Who sees which job: the person who started it, and the administrators."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from binhdang.places.selectors import user_is_admin

from .models import Job


def jobs_visible_to(user: Any) -> QuerySet[Job]:
    if user_is_admin(user):
        return Job.objects.all()
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(created_by=user)
