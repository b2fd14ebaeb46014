"""Inspections, findings followed until closed, and the review that gathers the periods: services and pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from binhdang.reporting.checks import Entry
from binhdang.reporting.errors import InvalidValues, NotAllowed, WrongState
from binhdang.reporting.inspections import finding_add, finding_close, inspection_create, review_gather
from binhdang.reporting.models import Finding, FindingStatus, Inspection, Period, Report
from binhdang.reporting.services import (
    period_create,
    periods_generate,
    report_accept,
    report_save,
    report_submit,
    reports_generate,
)

D = Decimal
START = dt.date(2026, 9, 14)


def _inspection(cycle: Any, user: Any = None) -> Inspection:
    return inspection_create(
        plan=cycle.plan,
        user=user or cycle.province_user,
        title="Đoàn kiểm tra liên ngành năm 2026",
        team="Sở Nội vụ (trưởng đoàn)\nSở Y tế",
        starts_on=START,
        ends_on=START + dt.timedelta(days=3),
        units=[cycle.commune_a, cycle.commune_b],
        agencies=[cycle.a_office],
    )


def test_the_standing_agency_records_findings_per_unit_and_closes_them(cycle: Any) -> None:
    inspection = _inspection(cycle)
    assert set(inspection.units.all()) == {cycle.commune_a, cycle.commune_b}
    first = finding_add(
        inspection=inspection,
        user=cycle.province_user,
        unit=cycle.commune_b,
        agency=None,
        text="Chưa kiện toàn Ban VSTBPN",
        recommendation="Kiện toàn trong quý IV",
        due=None,
    )
    second = finding_add(
        inspection=inspection,
        user=cycle.province_user,
        unit=None,
        agency=cycle.a_office,
        text="Báo cáo gửi chậm",
        recommendation="",
        due=dt.date(2026, 12, 31),
    )
    assert second.unit == cycle.commune_a  # the agency's unit
    closed = finding_close(finding=first, user=cycle.province_user, note="Đã có quyết định kiện toàn")
    assert closed.status == FindingStatus.CLOSED and closed.closed_at is not None
    assert closed.closing_note == "Đã có quyết định kiện toàn"
    with pytest.raises(WrongState):
        finding_close(finding=first, user=cycle.province_user, note="lần nữa")
    with pytest.raises(InvalidValues):
        finding_close(finding=second, user=cycle.province_user, note="  ")
    assert Finding.objects.get(pk=second.pk).status == FindingStatus.OPEN


def test_only_those_who_may_change_the_plan_record_and_close(cycle: Any) -> None:
    with pytest.raises(NotAllowed):
        _inspection(cycle, user=cycle.commune_user)
    inspection = _inspection(cycle)
    with pytest.raises(NotAllowed):
        finding_add(
            inspection=inspection,
            user=cycle.other_province_user,
            unit=cycle.commune_a,
            agency=None,
            text="x",
            recommendation="",
            due=None,
        )
    finding = finding_add(
        inspection=inspection,
        user=cycle.admin,
        unit=cycle.commune_a,
        agency=None,
        text="Thiếu số liệu tách biệt giới",
        recommendation="",
        due=None,
    )
    with pytest.raises(NotAllowed):
        finding_close(finding=finding, user=cycle.commune_user, note="Tự đóng")
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN


def test_dates_and_places_are_checked(cycle: Any) -> None:
    with pytest.raises(InvalidValues) as info:
        inspection_create(
            plan=cycle.plan,
            user=cycle.province_user,
            title=" ",
            team="",
            starts_on=START,
            ends_on=START - dt.timedelta(days=1),
            units=[cycle.other_province],
            agencies=[],
        )
    assert {issue.where for issue in info.value.issues} == {"title", "ends_on", "units"}
    inspection = _inspection(cycle)
    other = inspection_create(
        plan=cycle.plan,
        user=cycle.province_user,
        title="Kiểm tra xã A",
        team="",
        starts_on=START,
        ends_on=START,
        units=[cycle.commune_a],
        agencies=[],
    )
    with pytest.raises(InvalidValues):
        finding_add(
            inspection=other,
            user=cycle.province_user,
            unit=cycle.commune_b,
            agency=None,
            text="Không thuộc đợt này",
            recommendation="",
            due=None,
        )
    with pytest.raises(InvalidValues):
        finding_add(
            inspection=inspection,
            user=cycle.province_user,
            unit=None,
            agency=None,
            text="Không rõ nơi",
            recommendation="",
            due=None,
        )


def _accepted(cycle: Any, period: Period, female: int, male: int) -> Report:
    report = next(r for r in reports_generate(period=period) if r.reporter_id == cycle.a_office.pk)
    report = report_save(
        report=report,
        user=cycle.commune_user,
        version=report.version,
        entries=[
            Entry(cycle.i1.pk, "total", numerator=D(female + male), denominator=D(200)),
            Entry(cycle.i1.pk, "female", numerator=D(female), denominator=D(100)),
            Entry(cycle.i1.pk, "male", numerator=D(male), denominator=D(100)),
            Entry(cycle.i2.pk, "total", value=D(3)),
        ],
    )
    report = report_submit(report=report, user=cycle.commune_user, version=report.version)
    return report_accept(report=report, user=cycle.province_user, version=report.version)


@pytest.fixture
def review(cycle: Any) -> Any:
    periods = {p.kind: p for p in periods_generate(plan=cycle.plan)}
    _accepted(cycle, periods["semiannual"], 40, 50)
    _accepted(cycle, periods["annual"], 45, 55)
    cycle.final = period_create(
        plan=cycle.plan,
        user=cycle.province_user,
        kind="final",
        year=2026,
        label="Báo cáo tổng kết 2026",
        data_from=dt.date(2025, 12, 15),
        data_to=dt.date(2026, 12, 14),
        due=dt.date(2026, 12, 31),
    )
    cycle.periods = periods
    return cycle


def test_a_review_gathers_every_period_in_its_window_as_one_table(review: Any) -> None:
    table = review_gather(plan=review.plan, period=review.final)
    assert table.periods == [review.periods["semiannual"], review.periods["annual"]]
    rows = {(row.indicator.key, row.sex): row for row in table.rows}
    assert [c.figure for c in rows[("I1", "total")].cells] == [D(45), D(50)]  # 90/200, 100/200
    assert [c.figure for c in rows[("I1", "female")].cells] == [D(40), D(45)]
    assert rows[("I1", "total")].shown() == ["45,0", "50,0"]
    assert rows[("I2", "total")].shown() == ["3", "3"]
    assert rows[("I1", "total")].target is not None and rows[("I1", "total")].target.value == D(50)
    with pytest.raises(ValueError):
        review_gather(plan=review.plan, period=review.periods["annual"])


# --- pages ---------------------------------------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_record_an_inspection_a_finding_and_close_it(cycle: Any) -> None:
    client = _client(cycle.province_user)
    listing = client.get(reverse("inspection-list", args=[cycle.plan.pk]))
    assert listing.status_code == 200 and "Chưa ghi đợt kiểm tra nào" in listing.content.decode()
    response = client.post(
        reverse("inspection-create", args=[cycle.plan.pk]),
        {
            "title": "Đoàn kiểm tra liên ngành",
            "team": "Sở Nội vụ",
            "starts_on": "14/9/2026",
            "ends_on": "17/9/2026",
            "units": [cycle.commune_a.pk],
            "agencies": [cycle.a_office.pk],
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspection-detail", args=[inspection.pk])
    response = client.post(
        reverse("inspection-detail", args=[inspection.pk]),
        {
            "target": f"unit:{cycle.commune_a.pk}",
            "text": "Chưa có kế hoạch năm",
            "recommendation": "Ban hành ngay",
            "due": "31/12/2026",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    page = client.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()
    assert "Chưa có kế hoạch năm" in page and reverse("finding-close", args=[finding.pk]) in page
    client.post(reverse("finding-close", args=[finding.pk]), {"note": "Đã ban hành kế hoạch"})
    assert Finding.objects.get().status == FindingStatus.CLOSED
    assert "Đã ban hành kế hoạch" in client.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()


def test_the_create_form_says_what_is_wrong(cycle: Any) -> None:
    response = _client(cycle.province_user).post(
        reverse("inspection-create", args=[cycle.plan.pk]),
        {"title": "Đoàn kiểm tra", "starts_on": "17/9/2026", "ends_on": "14/9/2026"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Ngày kết thúc trước ngày bắt đầu." in page
    assert "Hãy chọn ít nhất một địa bàn" in page and not Inspection.objects.exists()


def test_pages_refuse_those_who_may_not(cycle: Any) -> None:
    inspection = _inspection(cycle)
    finding = finding_add(
        inspection=inspection,
        user=cycle.province_user,
        unit=cycle.commune_a,
        agency=None,
        text="Thiếu số liệu",
        recommendation="",
        due=None,
    )
    commune = _client(cycle.commune_user)
    assert commune.get(reverse("inspection-list", args=[cycle.plan.pk])).status_code == 200
    assert commune.get(reverse("inspection-create", args=[cycle.plan.pk])).status_code == 403
    assert commune.post(reverse("finding-close", args=[finding.pk]), {"note": "x"}).status_code == 403
    assert "Đóng kiến nghị" not in commune.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()
    outsider = _client(cycle.other_province_user)
    assert outsider.get(reverse("inspection-detail", args=[inspection.pk])).status_code == 404
    assert Finding.objects.get().status == FindingStatus.OPEN


def test_the_review_page_shows_the_table(review: Any) -> None:
    client = _client(review.province_user)
    page = client.get(reverse("review-summary", args=[review.plan.pk, review.final.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Báo cáo tổng kết 2026" in text and "45,0" in text and "50,0" in text
    listing = client.get(reverse("inspection-list", args=[review.plan.pk])).content.decode()
    assert reverse("review-summary", args=[review.plan.pk, review.final.pk]) in listing
    annual = review.periods["annual"]
    assert client.get(reverse("review-summary", args=[review.plan.pk, annual.pk])).status_code == 404
