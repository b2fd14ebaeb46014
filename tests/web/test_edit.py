"""The write pages: every part of a plan created, changed and deleted through the views; bad input refused with
the field and the reason in Vietnamese and nothing saved; permissions; deriving; adopting; loading a JSON file.
"""

from __future__ import annotations

import json
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import minimal_plan
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from binhdang.places.models import Agency
from binhdang.plans import services
from binhdang.plans.interchange import plan_load
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
    ReportingRule,
    Role,
    Target,
    Task,
)

pytestmark = pytest.mark.django_db

LOWER = "Ủy ban nhân dân các xã, phường"


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    # The manifest storage needs `collectstatic`; tests render without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def snapshot() -> dict[str, list[dict[str, Any]]]:
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
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plans(world: SimpleNamespace) -> SimpleNamespace:
    doc = minimal_plan(
        "2025:19", code="12/KH-UBND", number="12", symbol="KH-UBND", date="2026-02-03", years=[2026, 2030]
    )
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Trong lĩnh vực chính trị"}]
    doc["indicators"] = [
        {
            "id": "O1.1",
            "objective": "O1",
            "text": "Tỷ lệ nữ lãnh đạo",
            "targets": [{"year": 2030, "value": 60, "comparator": ">="}],
        }
    ]
    doc["tasks"] = [{"id": "T1", "text": "Tuyên truyền", "lead": "Sở Nội vụ", "partners": [LOWER]}]
    province = plan_load(doc)
    commune_a = plan_load(minimal_plan(f"2025:{world.commune_a.code}", level="commune", title="Kế hoạch xã A"))
    commune_b = plan_load(minimal_plan(f"2025:{world.commune_b.code}", level="commune", title="Kế hoạch xã B"))
    return SimpleNamespace(province=province, a=commune_a, b=commune_b)


def detail(plan: Plan) -> str:
    return reverse("plan-detail", args=[plan.pk])


def targets_data(*rows: dict[str, str], initial: int = 0) -> dict[str, str]:
    data = {
        "targets-TOTAL_FORMS": str(len(rows)),
        "targets-INITIAL_FORMS": str(initial),
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"targets-{i}-{key}": value for key, value in row.items()})
    return data


def errors_of(response: Any, field: str, form: str = "form") -> list[str]:
    assert response.status_code == 200, response.status_code
    return list(response.context[form].errors.get(field, []))


# --- plans ---------------------------------------------------------------------------------------------------

PLAN_POST = {"title": "Kế hoạch thực hiện công tác bình đẳng giới năm 2026", "year_start": "2026", "year_end": "2026"}


def test_anonymous_users_are_sent_to_sign_in(plans: SimpleNamespace) -> None:
    response = Client().get(reverse("part-create", args=[plans.a.pk, "objective"]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_create_a_plan_through_the_form(world: SimpleNamespace) -> None:
    client = client_for(world.commune_user)
    assert client.get(reverse("plan-create")).status_code == 200
    data = {**PLAN_POST, "issued_on": "ngày 13 tháng 4 năm 2026", "number": "7", "symbol": "KH-UBND"}
    response = client.post(reverse("plan-create"), data)
    plan = Plan.objects.get(title=PLAN_POST["title"])
    assert response.status_code == 302 and response["Location"] == detail(plan)
    assert (plan.unit, plan.code, plan.issued_on.isoformat()) == (world.commune_a, "7/KH-UBND", "2026-04-13")
    assert "Đã tạo kế hoạch." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issued_on", "31/02/2026", "Ngày không hợp lệ: “31/02/2026”"),
        ("issued_on", "hôm qua", "Ngày không hợp lệ"),
        ("issued_on", "13/4/1985", "Năm 1985 nằm ngoài khoảng 1990–2100."),
        ("year_start", "1850", "Năm 1850 nằm ngoài khoảng 1990–2100."),
        ("year_end", "2101", "Năm 2101 nằm ngoài khoảng 1990–2100."),
        ("year_start", "năm nay", "Năm phải là số có bốn chữ số"),
        ("year_end", "2020", "Năm kết thúc 2020 trước năm bắt đầu 2026."),
        ("unit_code", "99999", "Không có đơn vị hành chính mã “99999”."),
        ("title", "", "Cần nhập trích yếu của kế hoạch."),
        ("status", "approved", "Giá trị không hợp lệ: “approved”."),
    ],
)
def test_plan_form_refuses_bad_input(world: SimpleNamespace, field: str, value: str, message: str) -> None:
    before = snapshot()
    response = client_for(world.admin).post(reverse("plan-create"), {**PLAN_POST, field: value})
    assert any(message in error for error in errors_of(response, field)), errors_of(response, field)
    assert snapshot() == before


def test_update_and_delete_a_plan(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.commune_user)
    page = client.get(reverse("plan-update", args=[plans.a.pk]))
    assert page.status_code == 200 and "Kế hoạch xã A" in page.content.decode()
    response = client.post(reverse("plan-update", args=[plans.a.pk]), {**PLAN_POST, "title": "Tên mới"})
    assert response["Location"] == detail(plans.a)
    plans.a.refresh_from_db()
    assert plans.a.title == "Tên mới"
    assert client.get(reverse("plan-delete", args=[plans.a.pk])).status_code == 200
    assert client.post(reverse("plan-delete", args=[plans.a.pk]))["Location"] == reverse("plan-list")
    assert not Plan.objects.filter(pk=plans.a.pk).exists()


# --- permissions ---------------------------------------------------------------------------------------------


def _write_urls(plan: Plan) -> list[str]:
    objective = plan.objectives.first()
    urls = [
        reverse("plan-update", args=[plan.pk]),
        reverse("plan-delete", args=[plan.pk]),
        reverse("plan-import-json", args=[plan.pk]),
        reverse("indicator-adopt", args=[plan.pk]),
        reverse("part-create", args=[plan.pk, "objective"]),
        reverse("part-create", args=[plan.pk, "budget-line"]),
    ]
    if objective is not None:
        urls += [
            reverse("part-update", args=[plan.pk, "objective", objective.pk]),
            reverse("part-delete", args=[plan.pk, "objective", objective.pk]),
        ]
    return urls


def test_commune_user_gets_403_on_a_province_plan_it_can_read(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    # The province plan gives the commune's office a task, so the commune user may read it, not change it.
    services.task_assign(task=plans.province.tasks.get(), user=world.admin, lead=world.a_office, partners=[])
    client = client_for(world.commune_user)
    assert client.get(detail(plans.province)).status_code == 200
    before = snapshot()
    for url in _write_urls(plans.province):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "x", "amount": "1"}).status_code == 403, url
    assert snapshot() == before


def test_commune_user_cannot_touch_another_communes_plan(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    services.objective_create(plan=plans.b, user=world.other_commune_user, data={"title": "Mục tiêu xã B"})
    client = client_for(world.commune_user)
    before = snapshot()
    for url in _write_urls(plans.b):
        # Not readable either: a 404, exactly as if the plan did not exist.
        assert client.post(url, {"title": "x"}).status_code == 404, url
    assert snapshot() == before


def test_province_user_gets_403_on_a_commune_plan(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.province_user)
    before = snapshot()
    for url in _write_urls(plans.a):
        assert client.post(url, {"title": "x"}).status_code == 403, url
    assert snapshot() == before


def test_unknown_part_and_item_are_404(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.province_user)
    assert client.get(reverse("part-create", args=[plans.province.pk, "signer"])).status_code == 404
    other = plans.a.objectives.create(key="O9", title="x")
    assert client.get(reverse("part-update", args=[plans.province.pk, "objective", other.pk])).status_code == 404


# --- every part through the views ----------------------------------------------------------------------------


def test_objective_create_update_delete(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.commune_user)
    url = reverse("part-create", args=[plans.a.pk, "objective"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"number": "1", "title": "Trong lĩnh vực kinh tế"})
    assert response["Location"] == detail(plans.a)
    objective = plans.a.objectives.get()
    assert (objective.key, objective.title) == ("O1", "Trong lĩnh vực kinh tế")
    edit = reverse("part-update", args=[plans.a.pk, "objective", objective.pk])
    assert "Trong lĩnh vực kinh tế" in client.get(edit).content.decode()
    client.post(edit, {"number": "1", "title": "Kinh tế, lao động"})
    objective.refresh_from_db()
    assert objective.title == "Kinh tế, lao động"
    client.post(reverse("part-delete", args=[plans.a.pk, "objective", objective.pk]))
    assert not plans.a.objectives.exists()


def test_indicator_with_targets_in_vietnamese_numbers(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.commune_user)
    url = reverse("part-create", args=[plans.a.pk, "indicator"])
    assert client.get(url).status_code == 200
    data = {
        "text": "Số hộ gia đình được tuyên truyền",
        "measure": "count",
        "unit": "hộ",
        "direction": "increase",
        "baseline_year": "2025",
        "baseline_value": "1.040",
        "responsible": [str(world.a_office.pk)],
        "responsible_new": "Hội Liên hiệp Phụ nữ xã",
        **targets_data({"year": "2026", "value": "1,7", "comparator": ">="}, {"year": "2030", "value": "10.050"}),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    indicator = plans.a.indicators.get()
    assert (indicator.key, indicator.baseline_value) == ("I1", Decimal(1040))
    assert [(t.year, t.value, t.comparator) for t in indicator.targets.all()] == [
        (2026, Decimal("1.7"), ">="),
        (2030, Decimal(10050), "="),
    ]
    assert {a.agency.name for a in indicator.assignments.all()} == {"Phòng Văn hóa - Xã hội", "Hội Liên hiệp Phụ nữ xã"}

    edit = reverse("part-update", args=[plans.a.pk, "indicator", indicator.pk])
    page = client.get(edit).content.decode()
    assert 'value="1,7"' in page and 'value="10.050"' in page  # shown back the Vietnamese way
    update = {
        **data,
        **targets_data(
            {"year": "2026", "value": "1,7", "comparator": ">=", "DELETE": "on"},
            {"year": "2030", "value": "12", "comparator": "~"},
            initial=2,
        ),
    }
    assert client.post(edit, update).status_code == 302
    assert [(t.year, t.value, t.comparator) for t in indicator.targets.all()] == [(2030, Decimal(12), "~")]


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"year": "2026", "value": "abc"}, "value", "Không phải số: “abc”"),
        ({"year": "2026", "value": "1.5"}, "value", "Không phải số: “1.5”"),
        ({"year": "2026", "value": "12", "comparator": "=>"}, "comparator", "Phép so sánh không hợp lệ: “=>”"),
        ({"year": "2200", "value": "12"}, "year", "Năm 2200 nằm ngoài khoảng 1990–2100."),
        ({"year": "hai nghìn", "value": "12"}, "year", "Năm phải là số có bốn chữ số"),
        ({"year": "2026"}, "value", "Cần nhập giá trị hoặc nguyên văn của chỉ tiêu."),
    ],
)
def test_indicator_refuses_bad_targets(
    world: SimpleNamespace, plans: SimpleNamespace, row: dict[str, str], field: str, message: str
) -> None:
    indicator = plans.province.indicators.get()
    url = reverse("part-update", args=[plans.province.pk, "indicator", indicator.pk])
    before = snapshot()
    data = {"text": "Chỉ tiêu sửa", "measure": "percentage", **targets_data({"year": "2030", "value": "60"}, row)}
    response = client_for(world.province_user).post(url, data)
    errors = response.context["targets"].forms[1].errors.get(field, [])
    assert any(message in error for error in errors), response.context["targets"].errors
    assert snapshot() == before  # not even the indicator's text, which was valid


def test_task_with_lead_partners_and_window(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.province_user)
    url = reverse("part-create", args=[plans.province.pk, "task"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "text": "Tổ chức tập huấn",
            "section": "IV",
            "lead": str(world.standing.pk),
            "partners": [str(world.health.pk)],
            "partners_new": "Báo Thái Nguyên\n",
            "window_start": "15/11",
            "window_end": "15/12/2026",
            "objectives": [str(plans.province.objectives.get().pk)],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    task = plans.province.tasks.get(key="T2")
    assert (task.window_start, task.window_end) == ("--11-15", "2026-12-15")
    assert [(a.agency.name, a.role) for a in task.assignments.all()] == [
        ("Sở Nội vụ", Role.LEAD),
        ("Sở Y tế", Role.PARTNER),
        ("Báo Thái Nguyên", Role.PARTNER),
    ]
    edit = reverse("part-update", args=[plans.province.pk, "task", task.pk])
    assert 'value="15/11"' in client.get(edit).content.decode()
    client.post(edit, {"text": "Tập huấn", "lead_new": "Sở Y tế"})
    assert [(a.agency, a.role) for a in task.assignments.all()] == [(world.health, Role.LEAD)]


@pytest.mark.parametrize(
    "post",
    [
        {"lead": "STANDING", "partners": ["STANDING"]},
        {"lead": "STANDING", "partners_new": "Sở Nội vụ"},
        {"lead_new": "Sở Nội vụ", "partners": ["STANDING"]},
        {"lead_new": "sở nội vụ", "partners_new": "Sở  Nội vụ"},
    ],
)
def test_task_refuses_one_agency_as_lead_and_partner(
    world: SimpleNamespace, plans: SimpleNamespace, post: dict[str, Any]
) -> None:
    def fill(value: Any) -> Any:
        if isinstance(value, list):
            return [fill(v) for v in value]
        return str(world.standing.pk) if value == "STANDING" else value

    url = reverse("part-create", args=[plans.province.pk, "task"])
    before = snapshot()
    response = client_for(world.province_user).post(url, {"text": "Việc mới", **{k: fill(v) for k, v in post.items()}})
    # The name as the user chose or typed it.
    [error] = errors_of(response, "partners")
    assert error.casefold() == "“sở nội vụ” không thể vừa là cơ quan chủ trì vừa là cơ quan phối hợp."
    assert snapshot() == before


def test_task_lead_and_partner_matched_by_alias_is_refused_by_the_service(
    world: SimpleNamespace, plans: SimpleNamespace
) -> None:
    from binhdang.places.services import agency_alias_add

    agency_alias_add(agency=world.health, alias="Sở YT")
    before = snapshot()
    response = client_for(world.province_user).post(
        reverse("part-create", args=[plans.province.pk, "task"]),
        {"text": "Việc mới", "lead": str(world.health.pk), "partners_new": "Sở YT"},
    )
    assert errors_of(response, "partners") == ["“Sở Y tế” không thể vừa là cơ quan chủ trì vừa là cơ quan phối hợp."]
    assert snapshot() == before


def test_task_refuses_an_agency_the_user_cannot_see(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    other = Agency.objects.get(unit=world.other_province)
    before = snapshot()
    response = client_for(world.province_user).post(
        reverse("part-create", args=[plans.province.pk, "task"]), {"text": "Việc", "lead": str(other.pk)}
    )
    assert errors_of(response, "lead") == ["Cơ quan không có hoặc bạn không được chọn."]
    assert snapshot() == before


def test_project_create_and_update(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.province_user)
    url = reverse("part-create", args=[plans.province.pk, "project"])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "Mô hình thí điểm", "kind": "model", "places": world.commune_a.name, "lead": str(world.health.pk)}
    )
    assert response.status_code == 302, response.context["form"].errors
    project = plans.province.projects.get()
    assert (project.key, project.places.get().unit) == ("P1", world.commune_a)
    edit = reverse("part-update", args=[plans.province.pk, "project", project.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"name": "Mô hình (sửa)", "kind": "model"})
    project.refresh_from_db()
    assert project.name == "Mô hình (sửa)" and not project.assignments.exists()


@pytest.mark.parametrize("part", ["budget-line", "budget-total"])
def test_budget_amounts_in_vietnamese_numbers(world: SimpleNamespace, plans: SimpleNamespace, part: str) -> None:
    client = client_for(world.commune_user)
    url = reverse("part-create", args=[plans.a.pk, part])
    assert client.get(url).status_code == 200
    response = client.post(url, {"item": "Tuyên truyền", "year": "2026", "source": "local", "amount": "1.040,5"})
    assert response.status_code == 302, response.context["form"].errors
    line = (plans.a.budgetlines if part == "budget-line" else plans.a.budgettotals).get()
    assert (line.amount, line.source, line.year) == (Decimal("1040.5"), "local", 2026)
    client.post(reverse("part-update", args=[plans.a.pk, part, line.pk]), {"amount": "12"})
    line.refresh_from_db()
    assert (line.amount, line.item, line.year) == (Decimal(12), "", None)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "Số tiền không được âm: -5."),
        ("abc", "Không phải số: “abc”"),
        ("1,2345", "Nhiều nhất 3 chữ số sau dấu phẩy"),
        ("", "Cần nhập số tiền."),
    ],
)
def test_budget_refuses_bad_amounts(world: SimpleNamespace, plans: SimpleNamespace, value: str, message: str) -> None:
    before = snapshot()
    response = client_for(world.commune_user).post(
        reverse("part-create", args=[plans.a.pk, "budget-line"]), {"item": "x", "amount": value}
    )
    assert any(message in e for e in errors_of(response, "amount")), errors_of(response, "amount")
    assert snapshot() == before


def test_reporting_rule_create_and_update(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.commune_user)
    url = reverse("part-create", args=[plans.a.pk, "reporting"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "semiannual", "due": "ngày 10/6", "to": str(world.a_office.pk)})
    assert response.status_code == 302, response.context["form"].errors
    rule = plans.a.reporting_rules.get()
    assert (rule.due, rule.to_agency, rule.to_written_as) == ("--06-10", world.a_office, "Phòng Văn hóa - Xã hội")
    client.post(reverse("part-update", args=[plans.a.pk, "reporting", rule.pk]), {"kind": "annual", "due": "10/12"})
    rule.refresh_from_db()
    assert (rule.kind, rule.due, rule.to_agency) == ("annual", "--12-10", None)


def test_reporting_rule_refuses_bad_kind_and_day(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    before = snapshot()
    response = client_for(world.commune_user).post(
        reverse("part-create", args=[plans.a.pk, "reporting"]), {"kind": "weekly", "due": "31/2"}
    )
    assert errors_of(response, "kind") == ["Giá trị không hợp lệ: “weekly”."]
    assert "Ngày không hợp lệ: “31/2”" in errors_of(response, "due")[0]
    assert snapshot() == before


def test_reference_create_update_delete(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.commune_user)
    url = reverse("part-create", args=[plans.a.pk, "reference"])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"relation": "parent", "code": "12/KH-UBND", "issued_on": "03/02/2026", "title": "Kế hoạch của tỉnh"}
    )
    assert response.status_code == 302, response.context["form"].errors
    ref = plans.a.references.get()
    assert ref.linked_plan == plans.province
    edit = reverse("part-update", args=[plans.a.pk, "reference", ref.pk])
    assert "03/02/2026" in client.get(edit).content.decode()
    before = snapshot()
    response = client.post(edit, {"relation": "basis", "code": "12/KH-UBND", "issued_on": "32/01/2026"})
    assert "Ngày không hợp lệ" in errors_of(response, "issued_on")[0]
    assert snapshot() == before
    client.post(reverse("part-delete", args=[plans.a.pk, "reference", ref.pk]))
    assert not plans.a.references.exists()


# --- deriving, adopting ---------------------------------------------------------------------------------------


def test_admin_derives_a_commune_plan_through_the_view(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.admin)
    url = reverse("plan-derive", args=[plans.province.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"unit_code": world.commune_a.code})
    child = Plan.objects.get(parent=plans.province)
    assert response["Location"] == detail(child)
    assert child.unit == world.commune_a
    assert child.references.get().linked_plan == plans.province
    assert [o.title for o in child.objectives.all()] == ["Trong lĩnh vực chính trị"]
    assert [(t.year, t.value) for t in child.indicators.get().targets.all()] == [(2030, Decimal(60))]
    assert [t.text for t in child.tasks.all()] == ["Tuyên truyền"]


def test_commune_user_derives_from_a_province_plan_it_can_read(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    services.task_assign(task=plans.province.tasks.get(), user=world.admin, lead=world.a_office, partners=[LOWER])
    response = client_for(world.commune_user).post(reverse("plan-derive", args=[plans.province.pk]))
    child = Plan.objects.get(parent=plans.province)
    assert response["Location"] == detail(child)
    assert (child.unit, child.level) == (world.commune_a, "commune")


def test_derive_refuses_a_unit_not_below_or_unknown(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.admin)
    url = reverse("plan-derive", args=[plans.province.pk])
    before = snapshot()
    other = client.post(url, {"unit_code": world.other_province.code})
    assert errors_of(other, "unit_code") == [
        f"{world.other_province.name} không phải địa bàn cấp dưới của {world.province.name}."
    ]
    unknown = client.post(url, {"unit_code": "00000"})
    assert errors_of(unknown, "unit_code") == ["Không có đơn vị hành chính mã “00000”."]
    assert snapshot() == before


def test_adopt_a_strategy_indicator_through_the_view(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    client = client_for(world.commune_user)
    url = reverse("indicator-adopt", args=[plans.a.pk])
    assert client.get(url).status_code == 200
    catalogue = CatalogueIndicator.objects.get(objective_number=1, number="1")
    response = client.post(url, {"catalogue": str(catalogue.pk), **targets_data({"year": "2027", "value": "1,7"})})
    assert response["Location"] == detail(plans.a)
    indicator = plans.a.indicators.get()
    assert indicator.catalogue == catalogue
    assert [(t.year, t.value) for t in indicator.targets.all()] == [(2027, Decimal("1.7"))]
    before = snapshot()
    again = client.post(url, {"catalogue": str(catalogue.pk), **targets_data()})
    assert errors_of(again, "catalogue") == ["Kế hoạch đã có chỉ tiêu này (1)."]
    bad = client.post(url, {"catalogue": str(catalogue.pk), **targets_data({"year": "2027", "value": "nhiều"})})
    assert "Không phải số: “nhiều”" in bad.context["targets"].forms[0].errors["value"][0]
    assert snapshot() == before


# --- loading a plan/1 file -----------------------------------------------------------------------------------


def upload(data: Any, name: str = "ke-hoach.json") -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


def test_import_a_plan_file(world: SimpleNamespace) -> None:
    client = client_for(world.commune_user)
    assert client.get(reverse("plan-import-json-new")).status_code == 200
    doc = minimal_plan(f"2025:{world.commune_a.code}", level="commune", title="Kế hoạch từ tệp")
    response = client.post(reverse("plan-import-json-new"), {"file": upload(doc)})
    plan = Plan.objects.get(title="Kế hoạch từ tệp")
    assert response["Location"] == detail(plan)
    assert (plan.unit, plan.source_filename, len(plan.source_sha256)) == (world.commune_a, "ke-hoach.json", 64)


def test_import_refuses_a_bad_plan_listing_every_field(world: SimpleNamespace) -> None:
    doc = minimal_plan(f"2025:{world.commune_a.code}", level="commune", years=[1850, 2026], date="2026-02-30")
    doc["indicators"] = [{"id": "I1", "text": "x", "targets": [{"year": 2026, "value": "abc"}]}]
    before = snapshot()
    response = client_for(world.commune_user).post(reverse("plan-import-json-new"), {"file": upload(doc)})
    page = response.content.decode()
    assert response.status_code == 200 and "Tệp kế hoạch bị từ chối" in page
    refused = {(e["path"], e["message"]) for e in response.context["refused"]}
    assert ("/document/years/0", "năm 1850 nằm ngoài khoảng 1990–2100") in refused
    assert ("/document/date", "ngày không hợp lệ '2026-02-30'; cần dạng YYYY-MM-DD") in refused
    assert any(path == "/indicators/0/targets/0/value" and m.startswith("không phải số: 'abc'") for path, m in refused)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{ not json", "Không phải tệp JSON hợp lệ (dòng 1, cột 3)."),
        (b"\xff\xfe\x00", "Tệp không phải văn bản UTF-8, không phải tệp JSON."),
        (b" " * (5 * 1024 * 1024 + 1), "Tệp lớn hơn 5 MB."),
        # Python's json refuses these with ValueError / RecursionError, not JSONDecodeError.
        (b'{"schema": ' + b"9" * 5000 + b"}", "Không phải tệp JSON hợp lệ: có số quá dài hoặc lồng nhau quá sâu."),
        (b"[" * 100_000 + b"]" * 100_000, "Không phải tệp JSON hợp lệ: có số quá dài hoặc lồng nhau quá sâu."),
    ],
)
def test_import_refuses_what_is_not_a_json_file(world: SimpleNamespace, content: bytes, message: str) -> None:
    before = snapshot()
    response = client_for(world.commune_user).post(reverse("plan-import-json-new"), {"file": upload(content)})
    assert errors_of(response, "file") == [message]
    assert snapshot() == before


def test_import_refuses_another_schema(world: SimpleNamespace) -> None:
    response = client_for(world.commune_user).post(
        reverse("plan-import-json-new"), {"file": upload({"schema": "other/2", "document": {}})}
    )
    assert response.context["refused"] == [
        {"path": "/schema", "message": "lược đồ phải là 'binhdang.plan/1', tệp ghi 'other/2'"}
    ]


def test_import_refuses_a_plan_of_another_unit(world: SimpleNamespace) -> None:
    before = snapshot()
    response = client_for(world.commune_user).post(
        reverse("plan-import-json-new"), {"file": upload(minimal_plan("2025:19"))}
    )
    assert errors_of(response, "file") == ["Kế hoạch trong tệp thuộc địa bàn mà bạn không được lập kế hoạch."]
    assert snapshot() == before


def test_reimport_replaces_the_plan(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    doc = minimal_plan(f"2025:{world.commune_a.code}", level="commune", title="Kế hoạch xã A (bản mới)")
    response = client_for(world.commune_user).post(
        reverse("plan-import-json", args=[plans.a.pk]), {"file": upload(doc)}
    )
    new = Plan.objects.get(title="Kế hoạch xã A (bản mới)")
    assert response["Location"] == detail(new)
    assert not Plan.objects.filter(pk=plans.a.pk).exists()


def test_a_refused_reimport_keeps_the_plan_and_shows_the_errors(world: SimpleNamespace, plans: SimpleNamespace) -> None:
    """Found by tests/security/test_fuzz_forms.py: a refused file on "replace this plan" was a 500 (the page
    linked to the plan through an id the rolled-back deletion had cleared)."""
    before = snapshot()
    response = client_for(world.commune_user).post(
        reverse("plan-import-json", args=[plans.a.pk]), {"file": upload({"schema": "binhdang.plan/1"})}
    )
    assert response.status_code == 200
    assert response.context["refused"]
    assert detail(plans.a) in response.content.decode()
    assert snapshot() == before


def test_task_made_its_grandparents_parent_is_refused_as_a_cycle(
    world: SimpleNamespace, plans: SimpleNamespace
) -> None:
    grandparent = plans.province.tasks.get(key="T1")
    parent = services.task_create(
        plan=plans.province, user=world.province_user, data={"text": "Con", "parent": grandparent}
    )
    child = services.task_create(plan=plans.province, user=world.province_user, data={"text": "Cháu", "parent": parent})
    url = reverse("part-update", args=[plans.province.pk, "task", grandparent.pk])
    before = snapshot()
    response = client_for(world.province_user).post(url, {"text": "Tuyên truyền", "parent": str(child.pk)})
    assert errors_of(response, "parent") == ["Không thể chọn chính mục này hoặc một mục con của nó làm mục cấp trên."]
    assert snapshot() == before
