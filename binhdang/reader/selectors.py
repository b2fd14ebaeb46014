"""Reads of uploaded documents, scoped to the person who uploaded them (administrators see all)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from binhdang.places.selectors import user_is_admin

from .models import DocumentImport


def imports_visible_to(user: Any) -> QuerySet[DocumentImport]:
    imports = DocumentImport.objects.select_related("plan").defer("content")
    if user_is_admin(user):
        return imports
    return imports.filter(created_by=user)
