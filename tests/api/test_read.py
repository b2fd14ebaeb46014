"""Reads through the API are scoped by the same selectors as the pages: another unit's objects are 404."""

from __future__ import annotations

from typing import Any


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_commune_user_cannot_read_other_commune_draft_plan(api_world: Any, client_for: Any) -> None:
    client = client_for(api_world.commune_user)
    assert api_world.b_plan.pk not in _ids(client.get("/api/plans/"))
    response = client.get(f"/api/plans/{api_world.b_plan.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_commune_b_user_reads_own_draft_plan_as_plan_export(api_world: Any, client_for: Any) -> None:
    response = client_for(api_world.other_commune_user).get(f"/api/plans/{api_world.b_plan.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["schema"] == "binhdang.plan/1"
    assert body["document"]["title"] == "Kế hoạch nháp của xã B"


def test_commune_user_sees_province_plan_that_gives_work_to_communes(api_world: Any, client_for: Any) -> None:
    client = client_for(api_world.commune_user)
    assert api_world.plan.pk in _ids(client.get("/api/plans/"))
    detail = client.get(f"/api/plans/{api_world.plan.pk}/").json()
    assert [i["id"] for i in detail["indicators"]] == ["I1", "I2"]


def test_plan_filters(api_world: Any, client_for: Any) -> None:
    client = client_for(api_world.admin)
    assert _ids(client.get("/api/plans/", {"level": "commune"})) == {api_world.b_plan.pk}
    assert _ids(client.get("/api/plans/", {"unit": api_world.province.pk})) == {api_world.plan.pk}
    assert api_world.plan.pk in _ids(client.get("/api/plans/", {"year": 2026, "status": "draft"}))
    assert _ids(client.get("/api/plans/", {"year": 2030})) == set()


def test_reports_and_values_of_another_commune_are_not_visible(api_world: Any, client_for: Any) -> None:
    client = client_for(api_world.commune_user)
    visible = _ids(client.get("/api/reports/"))
    assert api_world.a_report.pk in visible
    assert api_world.b_report.pk not in visible
    assert client.get(f"/api/reports/{api_world.b_report.pk}/").status_code == 404
    assert _ids(client.get("/api/values/", {"report": api_world.b_report.pk})) == set()


def test_report_lists_the_indicators_it_asks_for(api_world: Any, client_for: Any) -> None:
    body = client_for(api_world.commune_user).get(f"/api/reports/{api_world.a_report.pk}/").json()
    assert body["indicators"] == sorted([api_world.i1.pk, api_world.i2.pk])
    assert body["plan"] == api_world.plan.pk
    assert body["version"] == api_world.a_report.version


def test_province_user_sees_commune_reports(api_world: Any, client_for: Any) -> None:
    visible = _ids(client_for(api_world.province_user).get("/api/reports/", {"period": api_world.period.pk}))
    assert {api_world.a_report.pk, api_world.b_report.pk, api_world.health_report.pk} <= visible


def test_agencies_are_those_of_the_units_in_scope(api_world: Any, client_for: Any) -> None:
    names = {row["id"] for row in client_for(api_world.commune_user).get("/api/agencies/").json()["results"]}
    assert api_world.a_office.pk in names
    assert api_world.b_office.pk not in names and api_world.health.pk not in names


def test_indicators_and_periods_of_visible_plans_only(api_world: Any, client_for: Any) -> None:
    outsider = client_for(api_world.other_province_user)
    assert _ids(outsider.get("/api/indicators/")) == set()
    assert _ids(outsider.get("/api/periods/")) == set()
    assert outsider.get(f"/api/indicators/{api_world.i1.pk}/").status_code == 404
    client = client_for(api_world.commune_user)
    assert _ids(client.get("/api/indicators/", {"plan": api_world.plan.pk})) == {api_world.i1.pk, api_world.i2.pk}
    assert api_world.period.pk in _ids(client.get("/api/periods/", {"year": 2026}))


def test_units_filter_by_parent_level_and_name_without_accents(api_world: Any, client_for: Any) -> None:
    client = client_for(api_world.commune_user)
    children = _ids(client.get("/api/units/", {"parent": api_world.province.pk, "page_size": 200}))
    assert {api_world.commune_a.pk, api_world.commune_b.pk} <= children
    found = _ids(client.get("/api/units/", {"q": "thai nguyen", "level": "province", "generation": "2025"}))
    assert found == {api_world.province.pk}


def test_pagination_is_bounded(api_world: Any, client_for: Any) -> None:
    client = client_for(api_world.commune_user)
    page = client.get("/api/units/", {"page_size": 200}).json()
    assert len(page["results"]) == 200 and page["next"]
    refused = client.get("/api/units/", {"page_size": 1000000})
    assert refused.status_code == 400
    assert "page_size" in refused.json()
    assert client.get("/api/units/", {"page": 10**9}).status_code == 404
