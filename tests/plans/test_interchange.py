"""The plan/1 format: golden seed plans load and export unchanged; bad documents are refused whole."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import SEEDS, golden, minimal_plan

from binhdang.places.models import Agency
from binhdang.plans.errors import PlanAlreadyExists, PlanFormatError
from binhdang.plans.interchange.export import plan_export
from binhdang.plans.interchange.load import plan_load
from binhdang.plans.models import Assignment, BudgetLine, Indicator, Plan, Target, Task
from binhdang.reader.review import plan_for_loader

SCHEMA = json.loads((Path(__file__).parents[2] / "binhdang" / "schemas" / "plan-1.schema.json").read_text())
# Keys the export adds to what a reader of the document writes (docs/plan-format.md): where the plan's unit
# was matched, and the human-readable message of each budget check.
EXPORT_ONLY = {("document", "unit_code")}


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for section, key in EXPORT_ONLY:
        data[section].pop(key, None)
    for check in data.get("budget", {}).get("checks", []):
        check.pop("message", None)
    return data


def test_all_five_seeds_have_golden_files() -> None:
    assert len(SEEDS) == 5


@pytest.mark.parametrize("seed", SEEDS)
def test_golden_plan_loads_and_exports_as_written(db: None, seed: str) -> None:
    # The golden file is what the reader must find, reader-only keys included (a task's group flag); the plan
    # stores what acceptance keeps of it (reader.review.plan_for_loader, the one home of that rule).
    expected = plan_for_loader(golden(seed))
    plan = plan_load(expected)
    assert comparable(plan_export(plan)) == comparable(expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_export_loads_back_to_an_identical_export(db: None, seed: str) -> None:
    first = plan_export(plan_load(golden(seed)))
    second = plan_export(plan_load(first, replace=True))
    assert second == first
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("seed", SEEDS)
def test_export_validates_against_the_schema(db: None, seed: str) -> None:
    jsonschema.validate(plan_export(plan_load(golden(seed))), SCHEMA)


def test_seed_units_resolve_to_real_historic_units(db: None) -> None:
    units = {seed: plan_load(golden(seed)).unit for seed in SEEDS}
    by_name = {unit.name_key: unit for unit in units.values()}
    assert "huyen yen the" in by_name and by_name["huyen yen the"].parent.name_key == "tinh bac giang"
    assert "xa an hoa thinh" in by_name and by_name["xa an hoa thinh"].parent.name_key == "huyen huong son"
    assert all(unit.generation == "legacy" for unit in units.values())
    # The seed's "Thừa Thiên Huế" is today's Thành phố Huế: the historic unit leads to it.
    hue = units["000_a5392e136c8837e1"]
    assert {s.name_key for s in hue.successors.all()} == {"thanh pho hue"}


def test_quang_ninh_budget_checks_flag_the_left_out_inspection_line(db: None) -> None:
    plan = plan_load(golden("003_ecf9f5f172921c6a"))
    checks = plan_export(plan)["budget"]["checks"]
    grand = next(c for c in checks if c["item"] is None and c["year"] is None and c["source"] is None)
    # The document prints 10.050 in all; its lines include row V (inspection: 20 + 20 + 50 = 90).
    assert grand["printed"] == 10050
    assert grand["computed"] == 10050 + 90
    assert grand["ok"] is False
    assert "10.050" in grand["message"] and "10.140" in grand["message"]
    failed = [c for c in checks if not c["ok"]]
    assert {c["computed"] - c["printed"] for c in failed} == {20, 50, 90}


def test_parent_plan_is_linked_when_both_are_loaded(db: None, world: Any) -> None:
    parent = plan_load(minimal_plan("2025:19", code="5/KH-UBND", number="5", symbol="KH-UBND", date="2026-01-05"))
    child_doc = minimal_plan(f"2025:{world.commune_a.code}", level="commune")
    child_doc["references"] = [
        {"kind": "KH", "code": "5/KH-UBND", "date": "2026-01-05", "relation": "parent", "issuer": "UBND tỉnh"}
    ]
    child = plan_load(child_doc)
    assert child.parent == parent
    assert child.references.get().linked_plan == parent


def test_vietnamese_number_strings_are_numbers(db: None) -> None:
    doc = minimal_plan("2025:19")
    doc["indicators"] = [
        {"id": "I1", "text": "Tỷ lệ", "targets": [{"year": 2026, "value": "1,7", "comparator": "<="}]},
        {
            "id": "I2",
            "text": "Số",
            "measure": "count",
            "targets": [{"year": 2026, "value": "1.040", "comparator": ">="}],
        },
    ]
    doc["budget"] = {
        "unit": "million VND",
        "lines": [{"item": "A", "year": 2026, "source": "local", "amount": "10.050"}],
    }
    exported = plan_export(plan_load(doc))
    assert [i["targets"][0]["value"] for i in exported["indicators"]] == [1.7, 1040]
    assert exported["budget"]["lines"][0]["amount"] == 10050


def _refused(doc: dict[str, Any]) -> list[str]:
    counts = (Plan.objects.count(), Agency.objects.count(), Task.objects.count(), Target.objects.count())
    with pytest.raises(PlanFormatError) as info:
        plan_load(doc)
    assert (Plan.objects.count(), Agency.objects.count(), Task.objects.count(), Target.objects.count()) == counts
    return [str(error) for error in info.value.errors]


def test_other_schema_is_refused(db: None) -> None:
    doc = minimal_plan("2025:19")
    doc["schema"] = "something.else/2"
    assert _refused(doc) == ["/schema: expected 'binhdang.plan/1', got 'something.else/2'"]


def test_invalid_date_and_years_out_of_range_are_refused(db: None) -> None:
    doc = minimal_plan("2025:19", date="2023-02-30", years=[1850, 2026])
    errors = _refused(doc)
    assert any(e.startswith("/document/date: invalid date '2023-02-30'") for e in errors)
    assert any(e.startswith("/document/years/0: year 1850 is out of range") for e in errors)


def test_non_numeric_target_and_unknown_comparator_are_refused(db: None) -> None:
    doc = minimal_plan("2025:19")
    doc["indicators"] = [
        {"id": "I1", "text": "Tỷ lệ", "targets": [{"year": 2026, "value": "năm mươi", "comparator": "≈"}]}
    ]
    errors = _refused(doc)
    assert any(e.startswith("/indicators/0/targets/0/value: not a number: 'năm mươi'") for e in errors)
    assert any(e.startswith("/indicators/0/targets/0/comparator: unknown value '≈'") for e in errors)


def test_same_agency_as_lead_and_partner_is_refused(db: None) -> None:
    doc = minimal_plan("2025:19")
    doc["tasks"] = [
        {"id": "T1", "text": "Việc", "lead": "Sở LĐTBXH", "partners": ["Sở Lao động - Thương binh và Xã hội"]}
    ]
    errors = _refused(doc)
    assert errors == ["/tasks/0/partners: 'Sở LĐTBXH' cannot be both lead and partner"]


@pytest.mark.parametrize(("amount", "message"), [(-5, "must not be negative"), ("nhiều", "not a number")])
def test_negative_or_non_numeric_amount_is_refused(db: None, amount: Any, message: str) -> None:
    doc = minimal_plan("2025:19")
    doc["budget"] = {"lines": [{"item": "A", "year": 2026, "source": "local", "amount": amount}]}
    errors = _refused(doc)
    assert len(errors) == 1 and errors[0].startswith("/budget/lines/0/amount: " + message)


def test_unknown_unit_code_is_refused(db: None) -> None:
    doc = minimal_plan("2025:99999", unit="xã Không Có Thật, tỉnh Không Có")
    assert _refused(doc)[0].startswith("/document/unit: no administrative unit matches")


def test_a_refused_plan_leaves_nothing_behind_even_after_agencies_were_needed(db: None) -> None:
    # Valid tasks would create agencies; the broken budget line must undo the whole plan.
    doc = minimal_plan("2025:19")
    doc["tasks"] = [{"id": "T1", "text": "Việc", "lead": "Sở Hoàn Toàn Mới"}]
    doc["budget"] = {"lines": [{"item": "A", "year": 2026, "amount": -1}]}
    _refused(doc)
    assert not Agency.objects.filter(name="Sở Hoàn Toàn Mới").exists()


def test_loading_the_same_plan_twice_is_refused_unless_replacing(db: None) -> None:
    plan_load(golden(SEEDS[1]))
    with pytest.raises(PlanAlreadyExists):
        plan_load(golden(SEEDS[1]))
    plan_load(golden(SEEDS[1]), replace=True)
    assert Plan.objects.count() == 1
    assert Indicator.objects.count() + Task.objects.count() + BudgetLine.objects.count() > 0
    assert Assignment.objects.filter(task__plan__isnull=False).count() > 0
