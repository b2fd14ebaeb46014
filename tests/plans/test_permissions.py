"""Who sees and changes which plans, enforced in the selectors (docs/permissions.md)."""

from __future__ import annotations

from typing import Any

from conftest import minimal_plan

from binhdang.plans.interchange.load import plan_load
from binhdang.plans.models import Plan
from binhdang.plans.selectors import plan_can_edit, plans_visible_to


def _plans(world: Any) -> dict[str, Plan]:
    province = plan_load(minimal_plan("2025:19", title="Kế hoạch tỉnh"))
    a = plan_load(minimal_plan(f"2025:{world.commune_a.code}", level="commune", title="Kế hoạch xã A"))
    b = plan_load(minimal_plan(f"2025:{world.commune_b.code}", level="commune", title="Kế hoạch xã B"))
    other = plan_load(minimal_plan(f"2025:{world.other_province.code}", title="Kế hoạch tỉnh khác"))
    return {"province": province, "a": a, "b": b, "other": other}


def _visible(user: Any) -> set[str]:
    return set(plans_visible_to(user).values_list("title", flat=True))


def test_commune_user_sees_only_its_own_commune(world: Any) -> None:
    _plans(world)
    assert _visible(world.commune_user) == {"Kế hoạch xã A"}


def test_commune_user_cannot_read_another_communes_draft(world: Any) -> None:
    plans = _plans(world)
    assert plans["b"].status == "draft"
    assert not plans_visible_to(world.commune_user).filter(pk=plans["b"].pk).exists()


def test_province_user_sees_its_province_and_communes_but_not_another_province(world: Any) -> None:
    _plans(world)
    assert _visible(world.province_user) == {"Kế hoạch tỉnh", "Kế hoạch xã A", "Kế hoạch xã B"}


def test_province_plan_that_assigns_work_to_a_commune_agency_is_visible_to_it(world: Any) -> None:
    doc = minimal_plan("2025:19", title="Kế hoạch giao việc")
    plan = plan_load(doc)
    task = plan.tasks.create(key="T1", text="Việc của xã")
    task.assignments.create(agency=world.a_office, role="partner", written_as=world.a_office.name)
    assert "Kế hoạch giao việc" in _visible(world.commune_user)
    assert "Kế hoạch giao việc" not in _visible(world.other_commune_user)


def test_admin_sees_everything(world: Any) -> None:
    _plans(world)
    assert len(_visible(world.admin)) == 4


def test_only_own_unit_can_edit(world: Any) -> None:
    plans = _plans(world)
    assert plan_can_edit(world.commune_user, plans["a"])
    assert not plan_can_edit(world.commune_user, plans["b"])
    assert not plan_can_edit(world.commune_user, plans["province"])
    assert plan_can_edit(world.province_user, plans["province"])
    assert not plan_can_edit(world.province_user, plans["a"])
    assert plan_can_edit(world.admin, plans["other"])


def test_historic_plans_of_merged_units_are_visible_from_the_successor(world: Any) -> None:
    # A 2023 plan of the pre-2025 Thái Nguyên province belongs to today's Thái Nguyên's history.
    old = plan_load(minimal_plan("legacy:19", title="Kế hoạch 2023", years=[2023, 2023]))
    assert plans_visible_to(world.province_user).filter(pk=old.pk).exists()
    assert not plans_visible_to(world.other_province_user).filter(pk=old.pk).exists()


def test_a_plan_above_that_addresses_lower_committees_is_visible_below(world: Any) -> None:
    doc = minimal_plan("2025:19", title="Kế hoạch tỉnh giao cấp xã")
    doc["tasks"] = [{"id": "T1", "text": "Xây dựng kế hoạch cấp xã", "lead": "Ủy ban nhân dân các xã, phường"}]
    plan_load(doc)
    quiet = plan_load(minimal_plan("2025:19", title="Kế hoạch nội bộ của tỉnh"))
    assert "Kế hoạch tỉnh giao cấp xã" in _visible(world.commune_user)
    assert quiet.title not in _visible(world.commune_user)
    assert "Kế hoạch tỉnh giao cấp xã" not in _visible(world.other_province_user)
