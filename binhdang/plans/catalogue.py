"""The national strategy 2021–2030 catalogue: shipped as data, adopted by plans with their own targets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

CATALOGUE_FILE = Path(__file__).parent / "data" / "strategy_2021_2030.json"


def catalogue_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return data


@transaction.atomic
def catalogue_load(model: Any = None) -> int:
    """Upsert the catalogue; `model` lets a data migration pass its historical model."""
    if model is None:
        from .models import CatalogueIndicator as model
    data = catalogue_data()
    count = 0
    for item in data["indicators"]:
        model.objects.update_or_create(
            objective_number=item["objective"],
            number=item["number"],
            defaults={
                "objective_title": data["objectives"][str(item["objective"])],
                "text": item["text"],
                "measure": item["measure"],
                "unit": item.get("unit", ""),
                "direction": item.get("direction", ""),
                "rate_per": item.get("rate_per"),
                "numerator": item.get("numerator", ""),
                "denominator": item.get("denominator", ""),
                "disaggregations": item.get("disaggregations", []),
                "targets": item.get("targets", []),
                "source": data["source"][:255],
                "confirmed": True,
            },
        )
        count += 1
    return count
