"""Snapshots of database tables, to show that a refused write changed nothing."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Max, Model

# A table with more rows than this is compared by its row count and largest id, not row by row: the
# administrative units (some 14,000 rows of reference data that no importer writes) would make every
# comparison slow.
FULL_ROWS = 2_000


def tables(*models: type[Model]) -> dict[str, list[dict[str, Any]]]:
    """Every row of the given tables, ordered by id."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def product_tables() -> dict[str, Any]:
    """Every table of the product's own apps (binhdang.*) and the users: whatever an importer could write."""
    state: dict[str, Any] = {}
    for model in apps.get_models():
        if not (model.__module__.startswith("binhdang.") or model._meta.label == "auth.User"):
            continue
        if model._meta.proxy:
            continue  # the same rows as the model it stands for (binhdang_api.ApiToken is DRF's Token table)
        if model._meta.label == "jobs.Job":
            # The background-job ledger records every attempt, refused imports included (their errors are the
            # job's result): bookkeeping about a write, not data an importer writes.
            continue
        count = model.objects.count()
        if count > FULL_ROWS:
            state[model._meta.label] = (count, model.objects.aggregate(last=Max("pk"))["last"])
        else:
            state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state
