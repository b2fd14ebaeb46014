"""The read pages: sign-in, the plan list and its filters, a plan's page, its export, an agency's work.

Assertions read real content from the golden seed files, so a page that drops a section fails here.
"""

from __future__ import annotations

import html
import json
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import PASSWORD, SEEDS, golden, minimal_plan
from django.test import Client
from django.urls import reverse

from binhdang.plans.interchange import plan_load
from binhdang.plans.models import Plan
from binhdang.plans.selectors import plans_visible_to

pytestmark = pytest.mark.django_db

QUANG_NINH = "003_ecf9f5f172921c6a"
AN_HOA_THINH = "004_3d4526835677c441"


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    # The manifest storage needs `collectstatic`, which `binhdang serve` runs; tests render without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def seeds(world: SimpleNamespace) -> dict[str, Plan]:
    """The five seed plans, loaded from their golden files through the real loader."""
    return {seed: plan_load(golden(seed)) for seed in SEEDS}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def esc(text: str) -> str:
    """Text as Django's autoescape writes it into the page."""
    return html.escape(text, quote=True)


def unit_code(unit: Any) -> str:
    return f"{unit.generation}:{unit.code}"


def page(client: Client, name: str, *args: Any, **query: Any) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Sign-in -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [("plan-list", ()), ("plan-detail", (1,)), ("plan-export", (1,)), ("agency-work", (1,)), ("my-work", ())],
)
def test_anonymous_user_is_sent_to_sign_in(db: None, name: str, args: tuple[int, ...]) -> None:
    response = Client().get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_sends_anonymous_to_sign_in_and_shows_users_their_todo_page(world: SimpleNamespace) -> None:
    assert Client().get(reverse("home"))["Location"] == reverse("login")
    response = client_for(world.commune_user).get(reverse("home"))
    assert response.status_code == 200
    assert "<h1>Việc cần làm</h1>" in response.content.decode()


def test_sign_in_page_is_vietnamese(db: None) -> None:
    content = page(Client(), "login")
    assert '<html lang="vi">' in content
    assert "Đăng nhập" in content
    assert "Mật khẩu" in content


def test_wrong_password_shows_vietnamese_error(world: SimpleNamespace) -> None:
    response = Client().post(reverse("login"), {"username": "xa_a", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_good_password_lands_on_the_todo_page(world: SimpleNamespace) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "xa_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_sign_out_is_a_post_form(world: SimpleNamespace) -> None:
    client = client_for(world.commune_user)
    content = page(client, "plan-list")
    assert f'method="post" action="{reverse("logout")}"' in content
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("plan-list")).status_code == 302


# The plan list -----------------------------------------------------------------------------------------


def test_admin_sees_all_five_seed_plans(seeds: dict[str, Plan], world: SimpleNamespace) -> None:
    assert len(SEEDS) == 5
    content = page(client_for(world.admin), "plan-list")
    for seed in SEEDS:
        assert esc(golden(seed)["document"]["title"]) in content, seed
        assert reverse("plan-detail", args=[seeds[seed].pk]) in content


def test_list_shows_only_visible_plans(world: SimpleNamespace) -> None:
    own = plan_load(minimal_plan(unit_code(world.commune_a), level="commune", title="Kế hoạch của xã A"))
    other = plan_load(minimal_plan(unit_code(world.commune_b), level="commune", title="Kế hoạch của xã B"))
    province = plan_load(minimal_plan(unit_code(world.province), title="Kế hoạch của tỉnh"))

    commune = page(client_for(world.commune_user), "plan-list")
    assert own.title in commune
    assert other.title not in commune
    assert province.title not in commune

    whole_province = page(client_for(world.province_user), "plan-list")
    assert all(plan.title in whole_province for plan in (own, other, province))

    elsewhere = page(client_for(world.other_province_user), "plan-list")
    assert not any(plan.title in elsewhere for plan in (own, other, province))


def titles_for(client: Client, **query: Any) -> set[str]:
    response = client.get(reverse("plan-list"), query)
    assert response.status_code == 200
    return {plan.title for plan in response.context["plans"]}


def title(seed: str) -> str:
    return str(golden(seed)["document"]["title"])


def test_filters(seeds: dict[str, Plan], world: SimpleNamespace) -> None:
    client = client_for(world.admin)
    assert titles_for(client) == {title(seed) for seed in SEEDS}
    assert titles_for(client, level="commune") == {title(AN_HOA_THINH)}
    assert titles_for(client, level="district") == {title("002_bba7be5b5b954222")}
    assert titles_for(client, status="draft") == {title(QUANG_NINH), title(AN_HOA_THINH)}
    # A year selects the plans that cover it, not only those that start in it.
    assert titles_for(client, year=2013) == {title(QUANG_NINH)}
    assert titles_for(client, year=2026) == {title(AN_HOA_THINH)}
    assert titles_for(client, year=2023) == {title("001_bb8641eaaac6b658"), title(AN_HOA_THINH)}
    # Unit and text match without accents and case.
    assert titles_for(client, unit="quang ninh") == {title(QUANG_NINH)}
    assert titles_for(client, unit="Thái Nguyên") == {title("001_bb8641eaaac6b658")}
    assert titles_for(client, q="59/KH") == {title("001_bb8641eaaac6b658")}
    assert titles_for(client, q="AN HOA THINH") == {title(AN_HOA_THINH)}
    assert titles_for(client, q="chương trình quốc gia") == {title(QUANG_NINH)}
    assert titles_for(client, q="yen the") == {title("002_bba7be5b5b954222")}
    assert titles_for(client, level="province", year=2015, status="issued") == {title("000_a5392e136c8837e1")}
    assert titles_for(client, q="không có kế hoạch nào như thế") == set()


def test_bad_filter_is_refused_not_ignored(seeds: dict[str, Plan], world: SimpleNamespace) -> None:
    response = client_for(world.admin).get(reverse("plan-list"), {"year": "năm ngoái"})
    assert response.status_code == 200
    assert list(response.context["plans"]) == []
    assert "Điều kiện lọc không hợp lệ" in response.content.decode()


def test_list_is_paginated(world: SimpleNamespace) -> None:
    for year in range(2000, 2030):
        plan_load(minimal_plan(unit_code(world.province), title=f"Kế hoạch năm {year}", years=[year, year]))
    client = client_for(world.admin)
    first = client.get(reverse("plan-list"))
    assert len(first.context["plans"]) == 25
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(reverse("plan-list"), {"page": 2, "level": "province"})
    assert len(second.context["plans"]) == 5
    assert "level=province&amp;page=1" in second.content.decode()


# A plan's page -----------------------------------------------------------------------------------------

SECTION_HEADINGS = [
    "Căn cứ và văn bản dẫn chiếu",
    "Mục đích, yêu cầu",
    "Mục tiêu và chỉ tiêu",
    "Dự án, mô hình",
    "Nhiệm vụ theo cơ quan",
    "Kinh phí",
    "Chế độ báo cáo",
    "Ký ban hành, nơi nhận",
]


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_page_shows_every_section_of_the_seed(seed: str, seeds: dict[str, Plan], world: SimpleNamespace) -> None:
    data = golden(seed)
    content = page(client_for(world.admin), "plan-detail", seeds[seed].pk)

    for heading in SECTION_HEADINGS:
        assert f">{heading}</h2>" in content, heading
    assert esc(data["document"]["title"]) in content
    if data["document"]["code"]:
        assert esc(data["document"]["code"]) in content
    for ref in data["references"]:
        assert esc(ref["code"] or ref["title"]) in content, ref
    for aim in data["aims"]:
        assert esc(aim) in content
    for objective in data["objectives"]:
        assert esc(objective["title"] or objective["text"]) in content, objective
    for indicator in data["indicators"]:
        assert esc(indicator["text"]) in content, indicator["id"]
        for target in indicator["targets"]:
            if target["text"]:
                assert esc(target["text"]) in content
    for project in data["projects"]:
        assert esc(project["name"]) in content, project["id"]
    for task in data["tasks"]:
        assert esc(task["text"]) in content, task["id"]
        for agency in [task["lead"], *task["partners"]]:
            if agency:
                assert esc(agency) in content, (task["id"], agency)
    if any(task["lead"] for task in data["tasks"]):
        assert ">Chủ trì</span>" in content
    if any(task["partners"] for task in data["tasks"]):
        assert ">Phối hợp</span>" in content
    if any(not task["lead"] for task in data["tasks"]):
        assert "Chưa giao cơ quan chủ trì" in content
    for rule in data["reporting"]:
        if rule["text"]:
            assert esc(rule["text"]) in content
    if data["signer"] and data["signer"]["name"]:
        assert esc(data["signer"]["name"]) in content
    for recipient in data["recipients"]:
        assert esc(recipient) in content


def test_tasks_are_grouped_by_agency_with_roles(seeds: dict[str, Plan], world: SimpleNamespace) -> None:
    data = golden("001_bb8641eaaac6b658")
    response = client_for(world.admin).get(reverse("plan-detail", args=[seeds["001_bb8641eaaac6b658"].pk]))
    groups = response.context["task_groups"]
    by_name: dict[str, list[tuple[str, str]]] = {}
    for group in groups:
        names = [group.agency.name, *group.written] if group.agency else ["(no lead)"]
        for name in names:
            by_name.setdefault(name, []).extend((task.text, role) for task, role, _others in group.rows)
    for task in data["tasks"]:
        if task["lead"]:
            assert (task["text"], "lead") in by_name[task["lead"]], task["id"]
        else:
            assert (task["text"], "") in by_name["(no lead)"], task["id"]
        for partner in task["partners"]:
            assert (task["text"], "partner") in by_name[partner], (task["id"], partner)
    # The unassigned group comes last, after the agencies.
    assert groups[-1].agency is None


def test_quang_ninh_budget_by_year_and_source_flags_the_missing_line(
    seeds: dict[str, Plan], world: SimpleNamespace
) -> None:
    data = golden(QUANG_NINH)["budget"]
    # No skipping: a golden file without the budget table is a failure of this test.
    assert data["lines"], "the Quảng Ninh golden file has no budget lines"
    assert data["totals"], "the Quảng Ninh golden file has no printed totals"
    response = client_for(world.admin).get(reverse("plan-detail", args=[seeds[QUANG_NINH].pk]))
    content = response.content.decode()
    budget = response.context["budget"]

    assert "Kinh phí theo hạng mục, năm và nguồn (triệu đồng)" in content
    assert [label for label, _span in budget.year_groups] == ["2012", "2013", "2014", "2015", "Cả giai đoạn"]
    for label in ("Ngân sách trung ương", "Ngân sách địa phương", "Nguồn hợp pháp khác"):
        assert f">{label}</th>" in content
    # Every line's item is a row and the grand total is computed from the lines.
    items = [row[0] for row in budget.rows]
    assert items == list(dict.fromkeys(line["item"] for line in data["lines"]))
    computed_total = sum(Decimal(str(line["amount"])) for line in data["lines"])
    assert budget.computed[-1].amount == computed_total == Decimal(10140)
    assert budget.printed[-1].printed == Decimal(10050)
    # Printed figures keep the Vietnamese thousands separator.
    assert ">10.140</td>" in content
    assert "10.050</td>" in content

    failed = [check for check in data["checks"] if not check["ok"]]
    assert failed, "the golden file records no failed check"
    assert len(budget.failed) == len(failed)
    assert content.count("Tổng in trong văn bản không khớp với các dòng chi tiết") == len(failed)
    # The 2014 local-budget total leaves out the inspection line: printed 1.750, lines 1.770.
    assert "năm: 2014; nguồn: Ngân sách địa phương. Văn bản in 1.750 triệu đồng, cộng các dòng được 1.770" in content
    assert "Văn bản in 10.050 triệu đồng, cộng các dòng được 10.140 triệu đồng (chênh lệch 90)" in content
    mismatched = [cell for cell in budget.printed if cell.check is not None and not cell.check.ok]
    assert {(c.check.year, c.check.source) for c in mismatched} == {(c["year"], c["source"]) for c in failed}


def test_plan_without_budget_says_so(seeds: dict[str, Plan], world: SimpleNamespace) -> None:
    content = page(client_for(world.admin), "plan-detail", seeds["001_bb8641eaaac6b658"].pk)
    assert "Văn bản không ghi bảng kinh phí." in content
    assert "không khớp" not in content


def test_reporting_regime_shows_deadlines(seeds: dict[str, Plan], world: SimpleNamespace) -> None:
    client = client_for(world.admin)
    ended = page(client, "plan-detail", seeds["001_bb8641eaaac6b658"].pk)
    assert "trước ngày 10/6" in ended
    assert "09/06/2023" in ended  # the day before 10/6; a one-year plan has one date
    assert "09/11/2023" in ended
    assert "Kế hoạch đã kết thúc" in ended

    running = client.get(reverse("plan-detail", args=[seeds[AN_HOA_THINH].pk]))
    # The dated rules; the mid-term and final reviews (golden file 004) have no printed day.
    rows = [row for row in running.context["reporting"] if row["rule"].due]
    assert [row["rule"].due for row in rows] == ["--06-01", "--12-01"]
    assert {row["rule"].kind for row in running.context["reporting"] if not row["rule"].due} == {"midterm", "final"}
    # 2021–2030: there is always a next deadline, the day before 1/6 or 1/12.
    assert all(row["next"] is not None for row in rows)
    assert {(row["next"].month, row["next"].day) for row in rows} <= {(5, 31), (11, 30)}
    content = running.content.decode()
    assert "31/5 hằng năm" in content and "30/11 hằng năm" in content


def test_reference_links_to_a_plan_in_the_system(world: SimpleNamespace) -> None:
    parent = plan_load(minimal_plan(unit_code(world.province), code="12/KH-UBND", status="issued", title="Cấp trên"))
    child_doc = minimal_plan(unit_code(world.commune_a), level="commune", title="Cấp dưới")
    child_doc["references"] = [
        {"kind": "KH", "code": "12/KH-UBND", "issuer": "Ủy ban nhân dân tỉnh", "relation": "parent"}
    ]
    child = plan_load(child_doc)
    child.refresh_from_db()
    link = f'href="{reverse("plan-detail", args=[parent.pk])}"'
    assert link in page(client_for(world.province_user), "plan-detail", child.pk)
    # The commune officer reads the child plan; the reference stays, but no link to a page it cannot open.
    commune = page(client_for(world.commune_user), "plan-detail", child.pk)
    assert "12/KH-UBND" in commune
    if parent.pk not in set(plans_visible_to(world.commune_user).values_list("pk", flat=True)):
        assert link not in commune


def test_edit_links_only_for_those_who_may_edit(world: SimpleNamespace) -> None:
    plan = plan_load(minimal_plan(unit_code(world.commune_a), level="commune", title="Kế hoạch của xã A"))
    edit_link = reverse("plan-update", args=[plan.pk])
    assert edit_link in page(client_for(world.commune_user), "plan-detail", plan.pk)
    assert edit_link in page(client_for(world.admin), "plan-detail", plan.pk)
    # The province officer reads the commune's plan but may not change it: no edit link.
    province_page = page(client_for(world.province_user), "plan-detail", plan.pk)
    assert "Kế hoạch của xã A" in province_page
    assert edit_link not in province_page


# Permissions ---------------------------------------------------------------------------------------------


def test_commune_user_cannot_read_other_communes_draft(world: SimpleNamespace) -> None:
    draft = plan_load(minimal_plan(unit_code(world.commune_b), level="commune", title="Dự thảo của xã B"))
    assert draft.status == "draft"
    # Through the selector ...
    assert not plans_visible_to(world.commune_user).filter(pk=draft.pk).exists()
    assert plans_visible_to(world.other_commune_user).filter(pk=draft.pk).exists()
    # ... and through every view that shows a plan.
    client = client_for(world.commune_user)
    assert client.get(reverse("plan-detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("plan-export", args=[draft.pk])).status_code == 404
    assert client.get(reverse("plan-list"), {"q": "Dự thảo của xã B"}).context["page"].paginator.count == 0
    assert client_for(world.other_commune_user).get(reverse("plan-detail", args=[draft.pk])).status_code == 200


def test_commune_user_cannot_read_the_an_hoa_thinh_draft(seeds: dict[str, Plan], world: SimpleNamespace) -> None:
    plan = seeds[AN_HOA_THINH]
    assert plan.status == "draft" and plan.level == "commune"
    assert not plans_visible_to(world.commune_user).filter(pk=plan.pk).exists()
    assert client_for(world.commune_user).get(reverse("plan-detail", args=[plan.pk])).status_code == 404


def test_missing_plan_is_404(world: SimpleNamespace) -> None:
    assert client_for(world.admin).get(reverse("plan-detail", args=[999999])).status_code == 404


# Export ------------------------------------------------------------------------------------------------


def test_export_downloads_the_plan_as_json(seeds: dict[str, Plan], world: SimpleNamespace) -> None:
    response = client_for(world.admin).get(reverse("plan-export", args=[seeds["001_bb8641eaaac6b658"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="59-kh-ubnd.json"'
    data = json.loads(response.content)
    assert data["schema"] == "binhdang.plan/1"
    assert data["document"]["title"] == title("001_bb8641eaaac6b658")
    # Vietnamese stays readable in the file, not \\u-escaped.
    assert "Thái Nguyên".encode() in response.content


# An agency's work --------------------------------------------------------------------------------------


@pytest.fixture
def assigned(world: SimpleNamespace) -> Plan:
    doc = minimal_plan(unit_code(world.province), title="Kế hoạch giao việc")
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Trong lĩnh vực y tế"}]
    doc["indicators"] = [
        {
            "id": "O1.1",
            "objective": "O1",
            "number": "1",
            "text": "Tỷ số giới tính khi sinh dưới 111 bé trai/100 bé gái",
            "measure": "ratio",
            "targets": [{"year": 2026, "value": 111, "comparator": "<"}],
            "responsible": ["Sở Y tế"],
        }
    ]
    doc["tasks"] = [
        {"id": "T1", "text": "Tư vấn sức khỏe sinh sản cho phụ nữ", "lead": "Sở Y tế", "partners": ["Sở Nội vụ"]},
        {"id": "T2", "text": "Tổng hợp báo cáo năm", "lead": "Sở Nội vụ", "partners": []},
    ]
    return plan_load(doc)


def test_agency_work_lists_tasks_and_indicators_with_roles(assigned: Plan, world: SimpleNamespace) -> None:
    client = client_for(world.department_user)
    content = page(client, "agency-work", world.health.pk)
    assert "Việc của đơn vị" in content
    assert "Tư vấn sức khỏe sinh sản cho phụ nữ" in content
    assert "Tổng hợp báo cáo năm" not in content
    assert "Tỷ số giới tính khi sinh dưới 111 bé trai/100 bé gái" in content
    response = client.get(reverse("agency-work", args=[world.health.pk]))
    [entry] = response.context["plans"]
    assert [(task.text, role) for task, role, _a in entry["tasks"]] == [("Tư vấn sức khỏe sinh sản cho phụ nữ", "lead")]
    assert [role for _ind, role in entry["indicators"]] == ["responsible"]

    standing = client_for(world.province_user).get(reverse("agency-work", args=[world.standing.pk]))
    [entry] = standing.context["plans"]
    assert sorted((task.text, role) for task, role, _a in entry["tasks"]) == [
        ("Tư vấn sức khỏe sinh sản cho phụ nữ", "partner"),
        ("Tổng hợp báo cáo năm", "lead"),
    ]


def test_agency_outside_the_users_scope_is_404(assigned: Plan, world: SimpleNamespace) -> None:
    assert client_for(world.commune_user).get(reverse("agency-work", args=[world.health.pk])).status_code == 404
    assert client_for(world.other_province_user).get(reverse("agency-work", args=[world.health.pk])).status_code == 404
    assert client_for(world.admin).get(reverse("agency-work", args=[world.health.pk])).status_code == 200


def test_my_work_goes_to_own_agency(world: SimpleNamespace) -> None:
    response = client_for(world.department_user).get(reverse("my-work"))
    assert response["Location"] == reverse("agency-work", args=[world.health.pk])


def test_nav_shows_admin_link_only_to_staff(world: SimpleNamespace) -> None:
    assert reverse("admin:index") in page(client_for(world.admin), "plan-list")
    assert reverse("admin:index") not in page(client_for(world.commune_user), "plan-list")


# Language ----------------------------------------------------------------------------------------------


def test_language_switch_to_english(seeds: dict[str, Plan], world: SimpleNamespace) -> None:
    client = client_for(world.admin)
    vietnamese = page(client, "plan-list")
    assert ">Kế hoạch</h1>" in vietnamese
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("plan-list")})
    assert response.status_code == 302
    english = page(client, "plan-list")
    assert '<html lang="en">' in english
    assert ">Plans</h1>" in english
    assert "Sign out" in english
    plan_page = page(client, "plan-detail", seeds[QUANG_NINH].pk)
    assert "Budget" in plan_page
    assert "The printed total does not match the detailed lines" in plan_page
    # The plan itself stays as it was written.
    assert esc(title(QUANG_NINH)) in plan_page


def test_agency_work_runs_only_the_queries_it_returns(assigned: Plan, world: SimpleNamespace) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from binhdang.plans.selectors import agency_work

    with CaptureQueriesContext(connection) as queries:
        work = agency_work(world.department_user, world.health)
    assert set(work) == {"tasks", "indicators"}
    assert [task.key for task in work["tasks"]] == ["T1"]
    # What each query reads: its selected columns. Projects and a map of roles were read and never used; the
    # roles come from the tasks' own prefetched assignments.
    read = [q["sql"].split(" FROM ")[0] for q in queries.captured_queries]
    assert not [q for q in read if '"plans_project"."id"' in q]
    assert len([q for q in read if '"plans_assignment"."id"' in q]) == 1
