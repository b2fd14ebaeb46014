"""Issue 13, one plain regression test per finding: accepted data cannot be lost or forged, nobody acts outside
their duty. Each test failed on the code before the fix (the attack succeeded) and passes now; every refusal
leaves every product table as it was (tests/dbsnapshot.py)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from conftest import PASSWORD
from dbsnapshot import product_tables
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from binhdang.places.models import AdministrativeUnit
from binhdang.places.services import agency_get_or_create, committee_set_standing_agency, user_create
from binhdang.plans import services as plans
from binhdang.plans.errors import PlanNotEditable
from binhdang.plans.interchange import plan_export, plan_load
from binhdang.plans.locks import PartLocked
from binhdang.plans.models import Plan
from binhdang.reporting.checks import Entry
from binhdang.reporting.errors import NotAllowed
from binhdang.reporting.models import Report, ReportStatus, Value
from binhdang.reporting.services import (
    periods_generate,
    report_accept,
    report_reopen,
    report_save,
    report_submit,
    reports_generate,
)

D = Decimal


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _accepted_health_report(cycle: Any) -> Report:
    """Sở Y tế's semiannual report with its wage-share figures, sent and accepted by the standing agency."""
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    report = next(r for r in reports_generate(period=period) if r.reporter_id == cycle.health.pk)
    entries = [
        Entry(cycle.i1.pk, "total", numerator=D(95), denominator=D(200)),
        Entry(cycle.i1.pk, "female", numerator=D(45), denominator=D(100)),
        Entry(cycle.i1.pk, "male", numerator=D(50), denominator=D(100)),
    ]
    report = report_save(report=report, user=cycle.department_user, version=report.version, entries=entries)
    report = report_submit(report=report, user=cycle.department_user, version=report.version)
    return report_accept(report=report, user=cycle.province_user, version=report.version)


# --- finding 1: another province's commune joins a province's reporting -----------------------------------------


@pytest.fixture
def ha_tinh_commune(world: Any) -> Any:
    """A commune of Hà Tĩnh with its standing office, its officer and its own plan."""
    commune = AdministrativeUnit.objects.filter(parent=world.other_province).order_by("code").first()
    office = agency_get_or_create(name="Văn phòng HĐND và UBND", unit=commune)
    committee_set_standing_agency(unit=commune, agency=office)
    user = user_create(username="xa_ha_tinh", password=PASSWORD, agency=office)
    plan = plan_load(
        {
            "schema": "binhdang.plan/1",
            "document": {
                "kind": "KH",
                "title": "Kế hoạch xã Hà Tĩnh",
                "level": "commune",
                "years": [2026, 2026],
                "status": "draft",
                "unit_code": f"2025:{commune.code}",
            },
        }
    )
    return type("HaTinh", (), {"commune": commune, "office": office, "user": user, "plan": plan})


def test_finding1_a_commune_of_another_province_cannot_link_to_a_provinces_plan(
    cycle: Any, ha_tinh_commune: Any
) -> None:
    cycle.plan.code = "59/KH-UBND"
    cycle.plan.save(update_fields=["code"])
    client = _client(ha_tinh_commune.user)  # signing in writes last_login: before the snapshot
    before = product_tables()
    response = client.post(
        reverse("part-create", args=[ha_tinh_commune.plan.pk, "reference"]),
        {"relation": "parent", "kind": "KH", "code": "59/KH-UBND"},
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert "không thuộc địa bàn cấp trên" in response.content.decode()
    assert product_tables() == before
    ha_tinh_commune.plan.refresh_from_db()
    assert ha_tinh_commune.plan.parent_id is None
    # Even a parent link made behind the services' back brings no reporter from outside the plan's unit tree.
    Plan.objects.filter(pk=ha_tinh_commune.plan.pk).update(parent=cycle.plan)
    period = periods_generate(plan=cycle.plan)[0]
    reporters = {r.reporter_id for r in reports_generate(period=period)}
    assert ha_tinh_commune.office.pk not in reporters
    assert {cycle.health.pk, cycle.a_office.pk, cycle.b_office.pk} <= reporters


# --- finding 2a: a department deletes an indicator with accepted values -------------------------------------------


def test_finding2a_accepted_values_survive_deleting_their_indicator(cycle: Any) -> None:
    report = _accepted_health_report(cycle)
    values = sorted(Value.objects.filter(report=report).values_list("sex", "numerator"))
    department, standing = _client(cycle.department_user), _client(cycle.province_user)
    before = product_tables()
    # The department reads and reports; it does not edit the plan (separation of duties).
    response = department.post(reverse("part-delete", args=[cycle.plan.pk, "indicator", cycle.i1.pk]))
    assert response.status_code == 403
    with pytest.raises(PlanNotEditable):
        plans.indicator_delete(indicator=cycle.i1, user=cycle.department_user)
    # The plan's own standing agency may edit the plan, but not delete what accepted figures hang on.
    response = standing.post(reverse("part-delete", args=[cycle.plan.pk, "indicator", cycle.i1.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Không xóa được" in page and "Ngừng theo dõi" in page and cycle.standing.name in page
    assert product_tables() == before
    # Retiring it keeps every figure and the report's state.
    response = standing.post(reverse("part-retire", args=[cycle.plan.pk, "indicator", cycle.i1.pk]), {"retired": "1"})
    assert response.status_code == 302
    cycle.i1.refresh_from_db()
    assert cycle.i1.retired_on is not None
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert sorted(Value.objects.filter(report=report).values_list("sex", "numerator")) == values


# --- finding 2b: re-importing a plan's own JSON deletes its reports ------------------------------------------------


def test_finding2b_reimporting_a_plan_with_reports_is_refused(cycle: Any) -> None:
    report = _accepted_health_report(cycle)
    exported = json.dumps(plan_export(cycle.plan), ensure_ascii=False).encode()
    client = _client(cycle.province_user)
    before = product_tables()
    response = client.post(
        reverse("plan-import-json", args=[cycle.plan.pk]),
        {"file": SimpleUploadedFile("plan.json", exported, content_type="application/json")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không nạp lại được" in page and "kế hoạch mới" in page
    assert product_tables() == before
    with pytest.raises(PartLocked) as info:
        plans.plan_import(user=cycle.province_user, data=json.loads(exported), replace=cycle.plan)
    assert info.value.code == "reimport" and info.value.hold.accepted == 1
    assert Report.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


# --- finding 2c: generating periods again changes an accepted report ----------------------------------------------


def test_finding2c_generating_periods_again_leaves_an_accepted_report_alone(cycle: Any) -> None:
    report = _accepted_health_report(cycle)
    lines = set(report.indicator_lines.values_list("indicator_id", flat=True))
    new = plans.indicator_create(
        plan=cycle.plan,
        user=cycle.province_user,
        data={"text": "Tỷ lệ nữ lãnh đạo", "measure": "percentage"},
        responsible=[cycle.health],
    )
    for period in periods_generate(plan=cycle.plan):
        reports_generate(period=period)
    again = Report.objects.get(pk=report.pk)
    assert (again.status, again.version) == (ReportStatus.ACCEPTED, report.version)
    assert set(again.indicator_lines.values_list("indicator_id", flat=True)) == lines
    # A draft report of the same reporter does get the new indicator, and a new version.
    annual = Report.objects.get(period__plan=cycle.plan, period__kind="annual", reporter=cycle.health)
    assert new.pk in set(annual.indicator_lines.values_list("indicator_id", flat=True))


# --- finding 3: a reporter approves its own report ------------------------------------------------------------------


def test_finding3_nobody_decides_a_report_of_their_own_agency(cycle: Any) -> None:
    # A commune plan whose task the commune's own standing office carries out: the office reports and would accept.
    doc = {
        "schema": "binhdang.plan/1",
        "document": {
            "kind": "KH",
            "title": "Kế hoạch xã A",
            "level": "commune",
            "years": [2026, 2026],
            "status": "draft",
            "unit_code": f"2025:{cycle.commune_a.code}",
        },
        "indicators": [{"id": "I1", "text": "Số hộ được tuyên truyền", "measure": "count", "responsible": []}],
        "tasks": [{"id": "T1", "text": "Tuyên truyền", "lead": cycle.a_office.name, "partners": []}],
        "reporting": [{"kind": "annual", "due": "--11-10", "to": cycle.a_office.name}],
    }
    plan = plan_load(doc)
    indicator = plan.indicators.get()
    plans.indicator_set_responsible(indicator=indicator, user=cycle.admin, responsible=[cycle.a_office])
    period = periods_generate(plan=plan)[0]
    report = next(r for r in reports_generate(period=period) if r.reporter_id == cycle.a_office.pk)
    report = report_save(
        report=report, user=cycle.commune_user, version=report.version, entries=[Entry(indicator.pk, "total", D(312))]
    )
    report = report_submit(report=report, user=cycle.commune_user, version=report.version)
    client = _client(cycle.commune_user)
    before = product_tables()
    with pytest.raises(NotAllowed):
        report_accept(report=report, user=cycle.commune_user, version=report.version)
    response = client.post(reverse("report-accept", args=[report.pk]), {"version": report.version})
    assert response.status_code == 403
    assert product_tables() == before
    # The level above accepts it; the commune cannot re-open it either, to change 312 into 600.
    report = report_accept(report=report, user=cycle.province_user, version=report.version)
    with pytest.raises(NotAllowed):
        report_reopen(report=report, user=cycle.commune_user, reason="sửa", version=report.version)
    assert report.decided_by == cycle.province_user


# --- finding 7 (my part): omitting `version` skips optimistic locking ----------------------------------------------


def test_finding7_a_decision_or_submission_without_version_is_refused(cycle: Any) -> None:
    report = _accepted_health_report(cycle)
    report = report_reopen(report=report, user=cycle.province_user, reason="Xem lại", version=report.version)
    report = report_submit(report=report, user=cycle.department_user, version=report.version)
    client = _client(cycle.province_user)
    before = product_tables()
    response = client.post(reverse("report-accept", args=[report.pk]))
    assert response.status_code == 400
    assert "phiên bản" in response.content.decode()
    response = client.post(reverse("report-return", args=[report.pk]), {"comment": "Sai"})
    assert response.status_code == 400
    api = APIClient()
    api.force_authenticate(cycle.department_user)
    response = api.post(reverse("api:report-values", args=[report.pk]), {"values": []}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    assert product_tables() == before
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
