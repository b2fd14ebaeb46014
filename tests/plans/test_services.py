"""The plan-writing services: parts, assignments, permissions, deriving a lower level's plan, adopting indicators."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import minimal_plan
from dbsnapshot import tables
from django.core.exceptions import ValidationError

from binhdang.places.models import Agency, AgencyKind
from binhdang.places.services import agency_alias_add
from binhdang.plans import services
from binhdang.plans.errors import PlanNotEditable
from binhdang.plans.interchange.load import plan_load
from binhdang.plans.models import (
    Assignment,
    BudgetLine,
    BudgetTotal,
    CatalogueIndicator,
    Indicator,
    Objective,
    Plan,
    Project,
    ProjectPlace,
    Reference,
    ReferenceRelation,
    ReportingRule,
    Role,
    Target,
    Task,
)

pytestmark = pytest.mark.django_db

LOWER = "Ủy ban nhân dân các xã, phường"


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row a plan service could write, to show that a refused call wrote nothing."""
    models = (
        Plan,
        Reference,
        Objective,
        Indicator,
        Target,
        Task,
        Assignment,
        Project,
        ProjectPlace,
        BudgetLine,
        BudgetTotal,
        ReportingRule,
        Agency,
    )
    return tables(*models)


def province_plan_doc() -> dict[str, Any]:
    doc = minimal_plan(
        "2025:19",
        code="12/KH-UBND",
        number="12",
        symbol="KH-UBND",
        date="2026-02-03",
        issuer="Ủy ban nhân dân tỉnh Thái Nguyên",
        years=[2026, 2030],
        status="issued",
    )
    doc["objectives"] = [
        {"id": "O1", "number": "1", "title": "Trong lĩnh vực chính trị"},
        {"id": "O2", "number": "2", "title": "Trong lĩnh vực kinh tế, lao động"},
    ]
    doc["indicators"] = [
        {
            "id": "O2.1",
            "objective": "O2",
            "number": "1",
            "text": "Tỷ lệ lao động nữ làm công hưởng lương đạt 50% vào năm 2030",
            "measure": "percentage",
            "unit": "%",
            "direction": "increase",
            "targets": [
                {"year": 2028, "value": "1,7", "comparator": ">=", "text": "đạt 1,7"},
                {"year": 2030, "value": 50, "comparator": ">=", "text": "đạt 50% vào năm 2030"},
            ],
            "responsible": ["Sở Nội vụ", "Phòng Văn hóa - Xã hội"],
        }
    ]
    doc["tasks"] = [
        {"id": "T1", "text": "Tuyên truyền về bình đẳng giới", "lead": "Sở Nội vụ", "partners": [LOWER]},
        {"id": "T2", "text": "Khám sức khỏe sinh sản", "lead": "Sở Y tế", "partners": []},
        {"id": "T3", "text": "Kiện toàn Ban Vì sự tiến bộ của phụ nữ", "objectives": ["O1"]},
        {"id": "T4", "parent": "T1", "text": "Tọa đàm ở cơ sở", "lead": LOWER, "indicators": ["O2.1"]},
    ]
    return doc


@pytest.fixture
def plans(world: SimpleNamespace) -> SimpleNamespace:
    province = plan_load(province_plan_doc())
    commune_a = plan_load(minimal_plan(f"2025:{world.commune_a.code}", level="commune", title="Kế hoạch xã A"))
    commune_b = plan_load(minimal_plan(f"2025:{world.commune_b.code}", level="commune", title="Kế hoạch xã B"))
    return SimpleNamespace(province=province, a=commune_a, b=commune_b)


# --- plans ---------------------------------------------------------------------------------------------------


def test_plan_create_belongs_to_the_users_unit(world: SimpleNamespace) -> None:
    plan = services.plan_create(
        user=world.commune_user,
        data={"title": "Kế hoạch năm 2026", "year_start": 2026, "year_end": 2026, "number": "3", "symbol": "KH-UBND"},
    )
    assert plan.unit == world.commune_a
    assert plan.level == "commune"
    assert plan.code == "3/KH-UBND"
    assert plan.created_by == world.commune_user


def test_admin_creates_a_plan_for_any_unit(world: SimpleNamespace) -> None:
    data = {"title": "Kế hoạch", "year_start": 2026, "year_end": 2027}
    plan = services.plan_create(user=world.admin, data=data, unit=world.commune_b)
    assert plan.unit == world.commune_b


def test_commune_user_cannot_create_a_plan_for_the_province(world: SimpleNamespace) -> None:
    before = snapshot()
    with pytest.raises(PlanNotEditable):
        services.plan_create(
            user=world.commune_user,
            data={"title": "Kế hoạch", "year_start": 2026, "year_end": 2026},
            unit=world.province,
        )
    assert snapshot() == before


def test_plan_create_refuses_years_out_of_range_without_forms(world: SimpleNamespace) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        services.plan_create(user=world.commune_user, data={"title": "K", "year_start": 1850, "year_end": 2026})
    assert "year_start" in caught.value.error_dict
    assert snapshot() == before


def test_plan_update_and_delete(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    services.plan_update(plan=plans.a, user=world.commune_user, data={"title": "Tên mới", "aims": "Một\n\nHai"})
    plans.a.refresh_from_db()
    assert plans.a.title == "Tên mới"
    assert plans.a.aims == ["Một", "Hai"]
    services.plan_delete(plan=plans.a, user=world.commune_user)
    assert not Plan.objects.filter(pk=plans.a.pk).exists()


# --- permissions ---------------------------------------------------------------------------------------------

Call = Callable[[SimpleNamespace, Any], object]
CALLS: dict[str, Call] = {
    "plan_update": lambda p, user: services.plan_update(plan=p, user=user, data={"title": "x"}),
    "plan_delete": lambda p, user: services.plan_delete(plan=p, user=user),
    "objective_create": lambda p, user: services.objective_create(plan=p, user=user, data={"title": "x"}),
    "indicator_create": lambda p, user: services.indicator_create(plan=p, user=user, data={"text": "x"}),
    "task_create": lambda p, user: services.task_create(plan=p, user=user, data={"text": "x"}),
    "project_create": lambda p, user: services.project_create(plan=p, user=user, data={"name": "x", "kind": "project"}),
    "budget_line_create": lambda p, user: services.budget_line_create(plan=p, user=user, data={"amount": 1}),
    "budget_total_create": lambda p, user: services.budget_total_create(plan=p, user=user, data={"amount": 1}),
    "reporting_rule_create": lambda p, user: services.reporting_rule_create(plan=p, user=user, data={"kind": "annual"}),
    "reference_create": lambda p, user: services.reference_create(
        plan=p, user=user, data={"title": "x", "relation": "basis"}
    ),
    "indicator_adopt": lambda p, user: services.indicator_adopt(
        plan=p, user=user, catalogue=CatalogueIndicator.objects.first()
    ),
    "objective_update": lambda p, user: services.objective_update(
        objective=p.objectives.first(), user=user, data={"title": "x"}
    ),
    "objective_delete": lambda p, user: services.objective_delete(objective=p.objectives.first(), user=user),
    "indicator_update": lambda p, user: services.indicator_update(
        indicator=p.indicators.first(), user=user, data={"text": "x"}, targets=[]
    ),
    "target_delete": lambda p, user: services.target_delete(target=p.indicators.first().targets.first(), user=user),
    "task_assign": lambda p, user: services.task_assign(task=p.tasks.first(), user=user, lead=None, partners=[]),
    "task_delete": lambda p, user: services.task_delete(task=p.tasks.first(), user=user),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_commune_user_cannot_edit_the_province_plan(world: SimpleNamespace, plans: SimpleNamespace, call: str) -> None:
    before = snapshot()
    with pytest.raises(PlanNotEditable):
        CALLS[call](plans.province, world.commune_user)
    assert snapshot() == before


@pytest.mark.parametrize("call", ["plan_update", "plan_delete", "objective_create", "task_create", "indicator_adopt"])
def test_commune_user_cannot_edit_another_communes_plan(
    world: SimpleNamespace, plans: SimpleNamespace, call: str
) -> None:
    before = snapshot()
    with pytest.raises(PlanNotEditable):
        CALLS[call](plans.b, world.commune_user)
    assert snapshot() == before


def test_province_user_cannot_edit_a_commune_plan_but_admin_can(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    with pytest.raises(PlanNotEditable):
        services.objective_create(plan=plans.a, user=world.province_user, data={"title": "x"})
    assert services.objective_create(plan=plans.a, user=world.admin, data={"title": "x"}).plan == plans.a


# --- parts ---------------------------------------------------------------------------------------------------


def test_new_parts_get_the_next_free_key(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    user = world.province_user
    assert services.objective_create(plan=plans.province, user=user, data={"title": "Ba"}).key == "O3"
    assert services.indicator_create(plan=plans.province, user=user, data={"text": "Mới"}).key == "I1"
    assert services.indicator_create(plan=plans.province, user=user, data={"text": "Mới 2"}).key == "I2"
    assert services.task_create(plan=plans.province, user=user, data={"text": "Mới"}).key == "T5"
    assert (
        services.project_create(plan=plans.province, user=user, data={"name": "Dự án", "kind": "project"}).key == "P1"
    )


def test_indicator_with_targets_and_responsible_agencies(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    objective = plans.a.objectives.first() or services.objective_create(
        plan=plans.a, user=world.commune_user, data={"title": "Kinh tế"}
    )
    indicator = services.indicator_create(
        plan=plans.a,
        user=world.commune_user,
        data={"text": "Tỷ lệ nữ", "objective": objective, "measure": "percentage", "unit": "%"},
        targets=[{"year": 2026, "value": Decimal("1040"), "comparator": ">=", "text": ""}, {"text": "Duy trì"}],
        responsible=[world.a_office, "Hội Liên hiệp Phụ nữ xã"],
    )
    assert [(t.year, t.value, t.comparator) for t in indicator.targets.all()] == [
        (2026, Decimal("1040"), ">="),
        (None, None, ""),
    ]
    roles = {(a.agency.name, a.role, a.agency.unit_id) for a in indicator.assignments.select_related("agency")}
    assert roles == {
        ("Phòng Văn hóa - Xã hội", Role.RESPONSIBLE, world.commune_a.pk),
        ("Hội Liên hiệp Phụ nữ xã", Role.RESPONSIBLE, world.commune_a.pk),
    }

    services.indicator_update(
        indicator=indicator,
        user=world.commune_user,
        data={"text": "Tỷ lệ nữ (sửa)"},
        targets=[{"year": 2027, "value": Decimal("1.7")}],
    )
    indicator.refresh_from_db()
    assert indicator.text == "Tỷ lệ nữ (sửa)"
    assert [(t.year, t.value, t.comparator) for t in indicator.targets.all()] == [(2027, Decimal("1.7"), "=")]

    target = services.target_create(indicator=indicator, user=world.commune_user, data={"year": 2028, "value": 2})
    services.target_update(target=target, user=world.commune_user, data={"value": Decimal(3), "comparator": "<="})
    target.refresh_from_db()
    assert (target.order, target.value, target.comparator) == (1, Decimal(3), "<=")


def test_indicator_refuses_an_objective_of_another_plan(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    before = snapshot()
    with pytest.raises(services.PartOfOtherPlan):
        services.indicator_create(
            plan=plans.a, user=world.commune_user, data={"text": "x", "objective": plans.province.objectives.first()}
        )
    assert snapshot() == before


def test_task_lead_and_partners_keep_their_written_names(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    task = services.task_create(
        plan=plans.province,
        user=world.province_user,
        data={"text": "Hướng dẫn", "window_start": "--11-15", "window_end": "--12-15"},
        lead=world.standing,
        partners=["Sở Y tế", world.health, "Báo Thái Nguyên"],
    )
    rows = [(a.agency.name, a.role) for a in task.assignments.select_related("agency")]
    assert rows == [("Sở Nội vụ", Role.LEAD), ("Sở Y tế", Role.PARTNER), ("Báo Thái Nguyên", Role.PARTNER)]
    assert Agency.objects.get(name="Báo Thái Nguyên").unit == world.province


@pytest.mark.parametrize("partner", ["object", "same name", "alias"])
def test_task_refuses_one_agency_as_lead_and_partner(
    world: SimpleNamespace, plans: SimpleNamespace, partner: str
) -> None:
    agency_alias_add(agency=world.health, alias="Sở YT")
    task = plans.province.tasks.get(key="T2")
    ref: Agency | str = {"object": world.health, "same name": "Sở Y tế", "alias": "Sở YT"}[partner]
    before = snapshot()
    with pytest.raises(services.AgencyLeadAndPartner) as caught:
        services.task_update(
            task=task,
            user=world.province_user,
            data={"text": "Sửa nội dung"},
            lead=world.health,
            partners=["Một cơ quan mới", ref],
        )
    assert caught.value.agency == world.health
    assert snapshot() == before  # neither the text, the assignments nor the new agency were saved


def test_project_with_places_and_assignments(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    project = services.project_create(
        plan=plans.province,
        user=world.province_user,
        data={"name": "Mô hình thí điểm", "kind": "model", "places": f"{world.commune_a.name}\nxã Không Có"},
        lead=world.standing,
        partners=[world.health],
    )
    places = [(p.written_as, p.unit) for p in project.places.all()]
    assert places == [(world.commune_a.name, world.commune_a), ("xã Không Có", None)]
    with pytest.raises(services.AgencyLeadAndPartner):
        services.project_assign(project=project, user=world.province_user, lead=world.health, partners=[world.health])
    assert project.assignments.count() == 2


def test_budget_refuses_a_negative_amount_even_without_forms(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    line = services.budget_line_create(
        plan=plans.a, user=world.commune_user, data={"item": "Tuyên truyền", "year": 2026, "amount": Decimal("10.5")}
    )
    before = snapshot()
    with pytest.raises(ValidationError):
        services.budget_line_update(line=line, user=world.commune_user, data={"amount": Decimal(-1)})
    with pytest.raises(ValidationError):
        services.budget_total_create(plan=plans.a, user=world.commune_user, data={"amount": Decimal(-1)})
    assert snapshot() == before


def test_reporting_rule_resolves_agencies_in_the_plan_unit(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    rule = services.reporting_rule_create(
        plan=plans.a,
        user=world.commune_user,
        data={"kind": "annual", "due": "--12-10"},
        to="Phòng Văn hóa - Xã hội",
    )
    assert rule.to_agency == world.a_office
    assert rule.to_written_as == "Phòng Văn hóa - Xã hội"
    services.reporting_rule_delete(rule=rule, user=world.commune_user)
    assert not ReportingRule.objects.filter(pk=rule.pk).exists()


def test_reference_links_to_a_plan_in_the_system(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    ref = services.reference_create(
        plan=plans.a,
        user=world.commune_user,
        data={"code": "12/KH-UBND", "issued_on": plans.province.issued_on, "relation": ReferenceRelation.PARENT},
    )
    assert ref.linked_plan == plans.province
    plans.a.refresh_from_db()
    assert plans.a.parent == plans.province


# --- deriving a lower level's plan ---------------------------------------------------------------------------


def test_commune_derives_its_plan_from_the_province_plan(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    child = services.plan_derive(parent=plans.province, user=world.commune_user)

    assert child.parent == plans.province
    assert (child.unit, child.level, child.status) == (world.commune_a, "commune", "draft")
    assert (child.year_start, child.year_end) == (2026, 2030)
    parent_ref = child.references.get()
    assert (parent_ref.relation, parent_ref.code, parent_ref.linked_plan) == ("parent", "12/KH-UBND", plans.province)

    assert [(o.key, o.title) for o in child.objectives.all()] == [
        ("O1", "Trong lĩnh vực chính trị"),
        ("O2", "Trong lĩnh vực kinh tế, lao động"),
    ]
    indicator = child.indicators.get()
    assert indicator.objective is not None and indicator.objective.plan == child
    assert [(t.year, t.value, t.comparator) for t in indicator.targets.all()] == [
        (2028, Decimal("1.7"), ">="),
        (2030, Decimal(50), ">="),
    ]
    # "Sở Nội vụ" has no namesake in the commune and is dropped; the commune's own office is found by name.
    assert [a.agency for a in indicator.assignments.all()] == [world.a_office]

    tasks = {t.key: t for t in child.tasks.prefetch_related("assignments__agency")}
    assert sorted(tasks) == ["T1", "T3", "T4"]  # T2 is the provincial health department's alone
    committee = Agency.objects.get(unit=world.commune_a, kind=AgencyKind.PEOPLES_COMMITTEE)
    assert [(a.agency, a.role) for a in tasks["T1"].assignments.all()] == [(committee, Role.LEAD)]
    assert [(a.agency, a.role) for a in tasks["T4"].assignments.all()] == [(committee, Role.LEAD)]
    assert tasks["T4"].parent == tasks["T1"]
    assert [i.plan_id for i in tasks["T4"].indicators.all()] == [child.pk]
    assert [o.key for o in tasks["T3"].objectives.all()] == ["O1"]
    # The parent plan is untouched.
    assert plans.province.tasks.count() == 4 and plans.province.indicators.get().targets.count() == 2


def test_derive_creates_the_committee_of_a_commune_that_has_none(
    world: SimpleNamespace, plans: SimpleNamespace
) -> None:
    child = services.plan_derive(parent=plans.province, user=world.other_commune_user)
    lead = child.tasks.get(key="T1").assignments.get()
    assert lead.agency.unit == world.commune_b
    assert lead.agency.kind == AgencyKind.PEOPLES_COMMITTEE


def test_admin_derives_for_a_named_unit(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    child = services.plan_derive(parent=plans.province, user=world.admin, unit=world.commune_b)
    assert child.unit == world.commune_b and child.parent == plans.province


def test_derive_refuses_a_unit_not_below_the_parent(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    before = snapshot()
    with pytest.raises(services.DeriveUnitNotBelow):
        services.plan_derive(parent=plans.province, user=world.other_province_user)
    with pytest.raises(services.DeriveUnitNotBelow):
        services.plan_derive(parent=plans.b, user=world.commune_user)
    assert snapshot() == before


def test_a_commune_user_cannot_derive_for_another_commune(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    before = snapshot()
    with pytest.raises(PlanNotEditable):
        services.plan_derive(parent=plans.province, user=world.commune_user, unit=world.commune_b)
    assert snapshot() == before


# --- the national strategy catalogue -------------------------------------------------------------------------


def test_adopt_a_catalogue_indicator_with_its_targets(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    catalogue = CatalogueIndicator.objects.get(objective_number=1, number="1")
    objective = plans.province.objectives.get(key="O1")
    indicator = services.indicator_adopt(
        plan=plans.province, user=world.province_user, catalogue=catalogue, objective=objective
    )
    assert (indicator.catalogue, indicator.objective, indicator.key) == (catalogue, objective, "I1")
    assert (indicator.text, indicator.measure, indicator.direction) == (catalogue.text, "percentage", "increase")
    assert [(t.year, t.value, t.comparator) for t in indicator.targets.all()] == [
        (2025, Decimal(60), ">="),
        (2030, Decimal(75), ">="),
    ]


def test_adopt_with_own_targets_and_refuse_twice(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    catalogue = CatalogueIndicator.objects.get(objective_number=1, number="1")
    indicator = services.indicator_adopt(
        plan=plans.a,
        user=world.commune_user,
        catalogue=catalogue,
        targets=[{"year": 2027, "value": Decimal("1.7"), "comparator": "~"}],
    )
    assert [(t.year, t.value, t.comparator) for t in indicator.targets.all()] == [(2027, Decimal("1.7"), "~")]
    before = snapshot()
    with pytest.raises(services.CatalogueAlreadyAdopted):
        services.indicator_adopt(plan=plans.a, user=world.commune_user, catalogue=catalogue)
    assert snapshot() == before


# --- importing a plan/1 file ---------------------------------------------------------------------------------


def test_import_refuses_a_plan_of_a_unit_the_user_may_not_edit(world: SimpleNamespace) -> None:
    before = snapshot()
    with pytest.raises(PlanNotEditable):
        services.plan_import(user=world.commune_user, data=province_plan_doc())
    assert snapshot() == before


def test_import_replacing_a_plan_keeps_its_unit_and_links(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    child = services.plan_derive(parent=plans.province, user=world.commune_user)
    doc = province_plan_doc()
    doc["document"]["title"] = "Kế hoạch tỉnh (bản sửa)"
    new = services.plan_import(user=world.province_user, data=doc, replace=plans.province)
    assert new.unit == world.province and new.title == "Kế hoạch tỉnh (bản sửa)"
    child.refresh_from_db()
    assert child.parent == new
    assert child.references.get().linked_plan == new


@pytest.mark.parametrize("part", ["task", "project"])
def test_a_part_cannot_be_made_its_own_ancestor(world: SimpleNamespace, plans: SimpleNamespace, part: str) -> None:
    user = world.commune_user

    def make(parent: Any) -> Any:
        if part == "task":
            return services.task_create(plan=plans.a, user=user, data={"text": "Việc", "parent": parent})
        return services.project_create(
            plan=plans.a, user=user, data={"name": "Dự án", "kind": "project", "parent": parent}
        )

    grandparent = make(None)
    grandchild = make(make(grandparent))
    before = snapshot()
    with pytest.raises(services.PartCycle) as refused:
        if part == "task":
            services.task_update(task=grandparent, user=user, data={"parent": grandchild})
        else:
            services.project_update(project=grandparent, user=user, data={"parent": grandchild})
    assert refused.value.field == "parent"
    assert not isinstance(refused.value, services.PartOfOtherPlan)
    assert snapshot() == before
