"""One list of an indicator's written fields (plans.models.INDICATOR_FIELDS): every place that copies an
indicator's fields follows it, so a new model field is carried everywhere or a test here fails."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conftest import minimal_plan

from binhdang.api.serializers import INDICATOR_NOT_PUBLISHED, IndicatorSerializer
from binhdang.plans import services
from binhdang.plans.interchange.export import plan_export
from binhdang.plans.interchange.load import plan_load
from binhdang.plans.interchange.validate import plan_validate
from binhdang.plans.models import INDICATOR_FIELDS, INDICATOR_NOT_WRITTEN, Indicator


def every_field_tree() -> dict[str, Any]:
    """A plan whose one indicator sets every written field to a value other than the field's default."""
    data = minimal_plan("2025:19")
    data["objectives"] = [{"id": "O1", "text": "Mục tiêu"}]
    data["projects"] = [{"id": "P1", "kind": "project", "name": "Đề án"}]
    data["indicators"] = [
        {
            "id": "I1",
            "objective": "O1",
            "project": "P1",
            "number": "1.a",
            "text": "Tỷ suất bạo lực gia đình được phát hiện",
            "measure": "rate",
            "unit": "vụ",
            "direction": "decrease",
            "rate_per": 1000,
            "numerator": "Số vụ được phát hiện",
            "denominator": "Số hộ gia đình",
            "disaggregations": ["sex", "age", "area"],
            "age_groups": ["15-24", "0-4", "60+"],
            "baseline": {"year": 2024, "value": "2,5"},
        }
    ]
    return data


def test_every_concrete_indicator_field_is_written_or_excluded_with_a_reason() -> None:
    concrete = [f.name for f in Indicator._meta.concrete_fields]
    missing = [name for name in concrete if name not in INDICATOR_FIELDS and name not in INDICATOR_NOT_WRITTEN]
    assert missing == []
    # An exclusion names a real field, not in the written list, and says why.
    assert set(INDICATOR_NOT_WRITTEN) <= set(concrete)
    assert not set(INDICATOR_NOT_WRITTEN) & set(INDICATOR_FIELDS)
    assert all(reason.strip() for reason in INDICATOR_NOT_WRITTEN.values())


def test_the_interchange_format_carries_every_written_field(db: None) -> None:
    clean = plan_validate(every_field_tree())
    assert set(INDICATOR_FIELDS) <= set(clean.indicators[0])

    indicator = plan_load(every_field_tree()).indicators.get()
    for name in INDICATOR_FIELDS:
        # Each field was set from the document: none is left at the model's default.
        assert getattr(indicator, name) not in (None, "", []), name
    assert (indicator.baseline_value, indicator.objective.key, indicator.project.key) == (Decimal("2.5"), "O1", "P1")

    reloaded = plan_load(plan_export(indicator.plan), replace=True).indicators.get()
    for name in INDICATOR_FIELDS:
        before, after = getattr(indicator, name), getattr(reloaded, name)
        if name in ("objective", "project"):
            before, after = before.key, after.key
        assert after == before, name


def test_services_copy_every_written_field(world: Any) -> None:
    source = plan_load(every_field_tree()).indicators.get()
    plan = source.plan
    data = {name: getattr(source, name) for name in INDICATOR_FIELDS}
    copy = services.indicator_create(plan=plan, user=world.province_user, data=data)
    copy.refresh_from_db()
    assert {name: getattr(copy, name) for name in INDICATOR_FIELDS} == data
    assert copy.key != source.key


def test_the_api_publishes_every_written_field_but_the_listed_ones() -> None:
    published = set(IndicatorSerializer.Meta.fields)
    assert published == {"id", "plan", "key"} | (set(INDICATOR_FIELDS) - set(INDICATOR_NOT_PUBLISHED))
    assert set(INDICATOR_NOT_PUBLISHED) <= set(INDICATOR_FIELDS)


def test_deriving_a_plan_copies_every_written_field_but_the_project(world: Any) -> None:
    source = plan_load(every_field_tree()).indicators.get()
    derived = services.plan_derive(parent=source.plan, user=world.commune_user).indicators.get()
    for name in INDICATOR_FIELDS:
        before, after = getattr(source, name), getattr(derived, name)
        if name == "objective":
            before, after = before.key, after.key
        if name == "project":
            assert after is None  # projects stay with the plan above
        else:
            assert after == before, name
