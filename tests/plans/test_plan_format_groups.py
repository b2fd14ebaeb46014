"""The plan format binhdang.plan/1 carries what an indicator is broken down by (issue 16): sex, age groups,
ethnicity and area go out and come back unchanged, a bad one is refused with its place in the file, and a file
written before age groups existed still loads (docs/plan-format.md, "Versions")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import minimal_plan

from binhdang.plans.categories import combos_for
from binhdang.plans.errors import PlanFormatError
from binhdang.plans.interchange import plan_export, plan_load, plan_validate
from binhdang.plans.models import Indicator

SCHEMA = json.loads((Path(__file__).parents[2] / "binhdang" / "schemas" / "plan-1.schema.json").read_text())


def _doc(**indicator: Any) -> dict[str, Any]:
    doc = minimal_plan("2025:19", title="Kế hoạch bình đẳng giới năm 2026")
    doc["indicators"] = [
        {
            "id": "I1",
            "text": "Tỷ lệ phụ nữ dân tộc thiểu số ở nông thôn được tư vấn về sức khỏe sinh sản",
            "measure": "percentage",
            **indicator,
        },
        {"id": "I2", "text": "Số hộ nghèo do phụ nữ làm chủ hộ", "measure": "count", "disaggregations": ["area"]},
    ]
    return doc


def _refused(doc: dict[str, Any]) -> list[Any]:
    with pytest.raises(PlanFormatError) as caught:
        plan_validate(doc)
    return caught.value.errors


def test_age_ethnicity_and_area_go_out_and_come_back_unchanged(db: None) -> None:
    categories = ["sex", "age", "ethnicity", "area"]
    ages = ["0-4", "5-14", "15-24", "25-59", "60+"]
    plan = plan_load(_doc(disaggregations=categories, age_groups=ages))
    first = plan_export(plan)
    exported = {ind["id"]: ind for ind in first["indicators"]}
    assert exported["I1"]["disaggregations"] == categories
    assert exported["I1"]["age_groups"] == ages
    assert exported["I2"]["disaggregations"] == ["area"] and "age_groups" not in exported["I2"]
    jsonschema.validate(first, SCHEMA)
    second = plan_export(plan_load(first, replace=True))
    assert second == first
    indicator = Indicator.objects.get(key="I1")
    assert (indicator.disaggregations, indicator.age_groups) == (categories, ages)
    # 5 age groups × 2 ethnicities × 2 areas, and the total.
    assert len(combos_for(indicator)) == 1 + 5 * 2 * 2
    assert "age=15-24;ethnicity=dtts;area=rural" in combos_for(indicator)


def test_a_file_without_age_groups_still_loads(db: None) -> None:
    """As written before issue 16: "age" declared, no groups. It loads; the indicator has no age grid yet."""
    plan = plan_load(_doc(disaggregations=["sex", "age", "ethnicity"]))
    indicator = plan.indicators.get(key="I1")
    assert indicator.age_groups == []
    assert combos_for(indicator) == ["", "ethnicity=kinh", "ethnicity=dtts"]
    assert "age_groups" not in json.dumps(plan_export(plan))


@pytest.mark.parametrize(
    ("indicator", "path", "code", "english"),
    [
        (
            {"disaggregations": ["sex", "religion"]},
            "/indicators/0/disaggregations/1",
            "unknown_disaggregation",
            "religion",
        ),
        # An empty string is left out, but the bad item is still named at its own place in the file.
        (
            {"disaggregations": ["", "Ethnicity"]},
            "/indicators/0/disaggregations/1",
            "unknown_disaggregation",
            "Ethnicity",
        ),
        ({"disaggregations": ["area", "area"]}, "/indicators/0/disaggregations/1", "disaggregation_twice", "area"),
        (
            {"disaggregations": ["age"], "age_groups": ["0-4", "dưới 5"]},
            "/indicators/0/age_groups/1",
            "age_group_invalid",
            "dưới 5",
        ),
        (
            {"disaggregations": ["age"], "age_groups": ["", "15-24", "15+"]},
            "/indicators/0/age_groups/2",
            "age_groups_overlap",
            "15+",
        ),
    ],
)
def test_a_bad_category_or_age_group_is_refused_at_its_place(
    db: None, indicator: dict[str, Any], path: str, code: str, english: str
) -> None:
    errors = _refused(_doc(**indicator))
    assert [(e.path, e.code) for e in errors] == [(path, code)]
    assert english in errors[0].message
    assert not Indicator.objects.exists()
