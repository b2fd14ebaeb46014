from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from binhdang.lib.admin import ProductModelAdmin

from .models import PublishedIndicator
from .services import indicator_publish, indicator_unpublish


@admin.register(PublishedIndicator)
class PublishedIndicatorAdmin(ProductModelAdmin):
    list_display = ("indicator", "published_by", "published_at")
    raw_id_fields = ("indicator",)
    fields = ("indicator", "note")

    def save_model(self, request: HttpRequest, obj: PublishedIndicator, form: Any, change: bool) -> None:
        # Through the service, so the rule (administrators only) and the stamp are the same everywhere.
        published = indicator_publish(indicator=obj.indicator, user=request.user, note=obj.note)
        obj.pk, obj.published_at, obj.published_by = published.pk, published.published_at, published.published_by

    def delete_model(self, request: HttpRequest, obj: PublishedIndicator) -> None:
        indicator_unpublish(indicator=obj.indicator, user=request.user)
