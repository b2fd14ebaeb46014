"""The drill-down of a plan from before July 2025 lists the units that reported (former districts and communes,
each with the unit in force that took it over), not today's empty communes; a post-2025 plan's drill-down is
unchanged (issue 14, item 4)."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import minimal_plan, wage_share_indicator
from django.test import Client
from django.urls import reverse

from binhdang.analytics.drilldown import drilldown_rows
from binhdang.analytics.rollup import Rollup
from binhdang.places.models import AdministrativeUnit, Generation
from binhdang.places.selectors import unit_successor_ids
from binhdang.places.services import agency_get_or_create, committee_set_standing_agency, user_create
from binhdang.plans.interchange import plan_load
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Period, Report, ReportIndicator
from binhdang.reporting.services import periods_generate, report_accept, report_save, report_submit

pytestmark = pytest.mark.django_db

D = Decimal
PASSWORD = "mat-khau-thu-nghiem-2026"


def _plan_doc(unit_code: str, years: list[int]) -> dict[str, Any]:
    doc = minimal_plan(unit_code, years=years)
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Kinh tế, lao động"}]
    doc["indicators"] = [
        {k: v for k, v in wage_share_indicator().items() if k != "responsible"},
        {"id": "I2", "objective": "O1", "text": "Số vụ bạo lực gia đình", "measure": "count", "targets": []},
    ]
    doc["reporting"] = [{"kind": "annual", "due": "--11-10", "to": "Sở Lao động - Thương binh và Xã hội"}]
    return doc


def _report(plan: Any, period: Period, unit: AdministrativeUnit) -> Report:
    """A lower level's report for ``unit``, as the demo's history files them for former districts."""
    agency = agency_get_or_create(name="Phòng Lao động - Thương binh và Xã hội", unit=unit)
    report = Report.objects.create(period=period, reporter=agency, unit=unit, is_committee=True)
    ReportIndicator.objects.bulk_create([ReportIndicator(report=report, indicator=i) for i in plan.indicators.all()])
    return report


def _accept(admin: Any, plan: Any, report: Report, num: int, den: int, count: int) -> Report:
    i1, i2 = plan.indicators.get(key="I1"), plan.indicators.get(key="I2")
    report = report_save(
        report=report,
        user=admin,
        version=report.version,
        entries=[Entry(i1.pk, "total", numerator=D(num), denominator=D(den)), Entry(i2.pk, "total", value=D(count))],
    )
    report = report_submit(report=report, user=admin, version=report.version)
    return report_accept(report=report, user=admin, version=report.version)


@pytest.fixture
def history(world: SimpleNamespace) -> SimpleNamespace:
    """Thái Nguyên's 2023 plan on the pre-2025 province; two former districts reported, and in the second also
    one of its former communes (the district's own figure and the commune's: the roll-up keeps the nearest level
    below, never both)."""
    old_province = AdministrativeUnit.objects.get(
        generation=Generation.LEGACY, level="province", name_key="tinh thai nguyen"
    )
    standing = agency_get_or_create(name="Sở Lao động - Thương binh và Xã hội", unit=old_province)
    committee_set_standing_agency(unit=old_province, agency=standing)
    user = user_create(username="thainguyen_cu", password=PASSWORD, agency=standing)
    plan = plan_load(_plan_doc(f"legacy:{old_province.code}", [2023, 2023]))
    (period,) = periods_generate(plan=plan)
    district_a, district_b = AdministrativeUnit.objects.filter(parent=old_province, level="district").order_by("code")[
        :2
    ]
    commune = AdministrativeUnit.objects.filter(parent=district_b, level="commune").order_by("code").first()
    assert commune is not None
    _accept(world.admin, plan, _report(plan, period, district_a), 9, 10, 2)
    _accept(world.admin, plan, _report(plan, period, district_b), 10, 90, 3)
    _accept(world.admin, plan, _report(plan, period, commune), 3, 10, 1)
    current = AdministrativeUnit.objects.get(pk__in=unit_successor_ids({old_province.pk}), level="province")
    return SimpleNamespace(
        old_province=old_province,
        user=user,
        plan=plan,
        period=period,
        district_a=district_a,
        district_b=district_b,
        commune=commune,
        current=current,
        i1=plan.indicators.get(key="I1"),
        **vars(world),
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _unit_url(unit: AdministrativeUnit, plan: Any, **query: Any) -> str:
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return reverse("dashboard-unit", args=[unit.pk]) + f"?plan={plan.pk}{extra}"


def test_a_pre_2025_plan_drills_down_to_the_former_districts_that_reported(history: SimpleNamespace) -> None:
    h = history
    rows = drilldown_rows(h.plan, h.current, None)
    assert {r.unit.pk for r in rows} == {h.district_a.pk, h.district_b.pk}  # not today's communes
    for row in rows:
        assert row.reported and not row.current
        assert row.parent == h.old_province
        # A district was abolished, not merged into a commune: it is now part of the province in force.
        assert [s.unit.pk for s in row.successors] == [h.current.pk] and row.part_of


def test_the_former_districts_show_their_figures_without_double_counting(history: SimpleNamespace) -> None:
    h = history
    response = _client(h.user).get(_unit_url(h.current, h.plan, indicator=h.i1.pk))
    assert response.status_code == 200
    ranked = {child.pk: fig.figure if fig else None for child, fig, _a in response.context["ranking"]}
    assert ranked[h.district_a.pk] == D(90)
    # District B's own 10/90 and its commune's 3/10: the commune's only (nearest level below), not 13/100.
    assert ranked[h.district_b.pk] == D(30)
    # The province follows the same rule from its side: its nearest level below is the districts, (9+10)/(10+90).
    province = Rollup(h.plan).figures(h.current.pk, 0)[(h.i1.pk, "total", h.period.pk)]
    assert province.figure == D(19)
    page = response.content.decode()
    assert "nay thuộc" in page and h.old_province.name in page
    csv = _client(h.user).get(_unit_url(h.current, h.plan, indicator=h.i1.pk, format="csv", table="xep-hang"))
    text = csv.content.decode("utf-8-sig")
    assert h.district_a.name in text and "nay thuộc" in text


def test_a_former_district_drills_down_to_its_commune_and_its_successor(history: SimpleNamespace) -> None:
    h = history
    rows = drilldown_rows(h.plan, h.district_b, None)
    assert [r.unit.pk for r in rows] == [h.commune.pk]
    successors = {s.unit.pk for s in rows[0].successors}
    assert successors and successors <= unit_successor_ids({h.commune.pk})
    assert not rows[0].part_of
    response = _client(h.user).get(_unit_url(h.district_b, h.plan, indicator=h.i1.pk))
    ranked = {child.pk: fig.figure if fig else None for child, fig, _a in response.context["ranking"]}
    assert ranked == {h.commune.pk: D(30)}
    assert "nay là" in response.content.decode()


def test_a_former_districts_page_shows_its_own_figures(history: SimpleNamespace) -> None:
    h = history
    for district, expected in ((h.district_a, D(90)), (h.district_b, D(30))):
        response = _client(h.user).get(_unit_url(district, h.plan))
        assert response.status_code == 200
        line = next(x for x in response.context["lines"] if x.indicator == h.i1)
        assert line.figure is not None and line.figure.figure == expected, district
        # Its banner names where its figures count now: the province in force, linked for the standing agency.
        assert [s.unit.pk for s in response.context["successors"]] == [h.current.pk]
        assert response.context["successors"][0].link


def test_the_standing_agency_opens_every_drill_down_it_is_linked_to(history: SimpleNamespace) -> None:
    h = history
    client = _client(h.user)
    seen: set[str] = set()
    pending = [_unit_url(h.current, h.plan)]
    plan_page = client.get(reverse("dashboard-plan", args=[h.plan.pk])).content.decode()
    pending += [href.replace("&amp;", "&") for href in re.findall(r'href="(/theo-doi/dia-ban/[^"]+)"', plan_page)]
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        if len(seen) < 12:  # the province, its former districts, the commune and the successors they link to
            pending += [
                href.replace("&amp;", "&")
                for href in re.findall(r'class="drill-(?:unit|successor)" href="([^"]+)"', page)
            ]
    expected = {_unit_url(u, h.plan) for u in (h.district_a, h.district_b, h.commune)}
    assert expected <= seen


def test_a_post_2025_plan_still_lists_todays_communes(monitored: Any) -> None:
    m = monitored
    (period, *_rest) = periods_generate(plan=m.plan)
    communes = list(
        AdministrativeUnit.objects.filter(parent=m.province, valid_to__isnull=True).values_list("pk", flat=True)
    )
    assert [r.unit.pk for r in drilldown_rows(m.plan, m.province, None)] == list(
        AdministrativeUnit.objects.filter(pk__in=communes).order_by("name").values_list("pk", flat=True)
    )
    # A former commune's figures carried into a 2026 plan count in the row of the commune that took it over:
    # no row of its own, nor of its former district.
    old = m.commune_a.predecessors.filter(level="commune").order_by("code").first()
    assert old is not None and old.valid_to is not None
    _accept(m.admin, m.plan, _report(m.plan, period, old), 3, 10, 1)
    rows = drilldown_rows(m.plan, m.province, None)
    assert {r.unit.pk for r in rows} == set(communes)
    assert all(r.current and not r.successors for r in rows)
    response = _client(m.province_user).get(_unit_url(m.province, m.plan, indicator=m.i1.pk))
    assert len(response.context["ranking"]) == len(communes)
