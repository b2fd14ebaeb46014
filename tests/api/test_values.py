"""Value writes and submission go through reporting.services: same checks, rules, audit trail and locking."""

from __future__ import annotations

from typing import Any

from binhdang.reporting.models import AuditEvent, ReportStatus, Value


def _post(client: Any, report: Any, values: list[dict[str, Any]], version: int | None = None) -> Any:
    return client.post(
        f"/api/reports/{report.pk}/values/",
        {"version": report.version if version is None else version, "values": values},
        format="json",
    )


def _i1(cycle: Any, total: Any, female: Any, male: Any) -> list[dict[str, Any]]:
    return [
        {"indicator": cycle.i1.pk, "sex": "total", "numerator": total, "denominator": 200},
        {"indicator": cycle.i1.pk, "sex": "female", "numerator": female, "denominator": 100},
        {"indicator": cycle.i1.pk, "sex": "male", "numerator": male, "denominator": 100},
    ]


def test_commune_user_saves_values_with_audit_and_new_version(api_world: Any, client_for: Any) -> None:
    report = api_world.a_report
    response = _post(client_for(api_world.commune_user), report, _i1(api_world, 90, "40", 50.0))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["report"]["version"] == report.version + 1
    stored = Value.objects.get(report=report, indicator=api_world.i1, sex="female")
    assert stored.numerator == 40 and stored.denominator == 100
    assert AuditEvent.objects.filter(report=report, user=api_world.commune_user, action="value").count() == 6
    # Still to do before submission, as in the form: the count indicator is empty.
    assert any(issue["where"].startswith(f"indicator:{api_world.i2.pk}") for issue in body["issues"])


def test_check_errors_are_saved_as_draft_and_named_with_their_field(api_world: Any, client_for: Any) -> None:
    response = _post(client_for(api_world.commune_user), api_world.a_report, _i1(api_world, 95, 40, 50))
    assert response.status_code == 200
    sums = [i for i in response.json()["issues"] if i["where"] == f"indicator:{api_world.i1.pk}:total:numerator"]
    assert sums and sums[0]["field"] == "values[0].numerator" and sums[0]["level"] == "error"


def test_stale_version_is_refused_with_409_and_nothing_written(api_world: Any, client_for: Any) -> None:
    client = client_for(api_world.commune_user)
    report = api_world.a_report
    assert _post(client, report, _i1(api_world, 90, 40, 50)).status_code == 200
    response = _post(client, report, _i1(api_world, 80, 30, 50), version=report.version)
    assert response.status_code == 409
    assert response.json()["code"] == "stale_report"
    assert Value.objects.get(report=report, indicator=api_world.i1, sex="total").numerator == 90


def test_commune_user_cannot_write_other_commune_report(api_world: Any, client_for: Any) -> None:
    response = _post(client_for(api_world.commune_user), api_world.b_report, _i1(api_world, 90, 40, 50))
    assert response.status_code == 404
    assert not Value.objects.filter(report=api_world.b_report).exists()


def test_department_user_sees_but_cannot_write_commune_report(api_world: Any, client_for: Any) -> None:
    response = _post(client_for(api_world.department_user), api_world.a_report, _i1(api_world, 90, 40, 50))
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    assert not Value.objects.filter(report=api_world.a_report).exists()


def test_indicator_outside_the_report_refuses_the_whole_request(api_world: Any, client_for: Any) -> None:
    values = [*_i1(api_world, 90, 40, 50), {"indicator": api_world.i2.pk, "value": 3}]
    response = _post(client_for(api_world.department_user), api_world.health_report, values)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_values"
    assert body["issues"][0]["field"] == "values[3].indicator"
    assert not Value.objects.filter(report=api_world.health_report).exists()


def test_female_value_of_an_indicator_not_split_by_sex_is_refused(api_world: Any, client_for: Any) -> None:
    values = [
        {"indicator": api_world.i2.pk, "sex": "total", "value": 3},
        {"indicator": api_world.i2.pk, "sex": "female", "value": 1},
    ]
    response = _post(client_for(api_world.commune_user), api_world.a_report, values)
    assert response.status_code == 400
    assert response.json()["issues"][0]["field"] == "values[1].value"
    assert not Value.objects.filter(report=api_world.a_report).exists()


def test_submit_refuses_with_issues_then_accepts_and_locks(api_world: Any, client_for: Any) -> None:
    client = client_for(api_world.commune_user)
    report = api_world.a_report
    refused = client.post(f"/api/reports/{report.pk}/submit/", {"version": report.version}, format="json")
    assert refused.status_code == 400 and refused.json()["issues"]
    values = [*_i1(api_world, 90, 40, 50), {"indicator": api_world.i2.pk, "value": 3}]
    saved = _post(client, report, values).json()
    assert saved["issues"] == []
    sent = client.post(f"/api/reports/{report.pk}/submit/", {"version": saved["report"]["version"]}, format="json")
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == ReportStatus.SUBMITTED
    locked = _post(client, report, values, version=sent.json()["version"])
    assert locked.status_code == 409 and locked.json()["code"] == "report_not_editable"


def test_province_enters_commune_figures_but_only_the_commune_submits(api_world: Any, client_for: Any) -> None:
    province = client_for(api_world.province_user)
    report = api_world.a_report
    values = [*_i1(api_world, 90, 40, 50), {"indicator": api_world.i2.pk, "value": 3}]
    saved = _post(province, report, values)
    assert saved.status_code == 200
    version = saved.json()["report"]["version"]
    refused = province.post(f"/api/reports/{report.pk}/submit/", {"version": version}, format="json")
    assert refused.status_code == 403


def test_closed_period_is_409(api_world: Any, client_for: Any) -> None:
    api_world.period.closed = True
    api_world.period.save(update_fields=["closed"])
    response = _post(client_for(api_world.commune_user), api_world.a_report, _i1(api_world, 90, 40, 50))
    assert response.status_code == 409 and response.json()["code"] == "period_closed"
