"""Roll-up, historic units, freshness and permissions, through the real reporting services and the views."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from binhdang.analytics.progress import Status
from binhdang.analytics.rollup import Rollup, attribute
from binhdang.places.models import AdministrativeUnit, Generation
from binhdang.places.services import agency_get_or_create
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Period, Report, ReportIndicator
from binhdang.reporting.services import (
    periods_generate,
    report_accept,
    report_save,
    report_submit,
    reports_generate,
    summary_rebuild,
)

D = Decimal
PASSWORD = "mat-khau-thu-nghiem-2026"


def _periods(m: Any) -> tuple[Period, Period]:
    periods = periods_generate(plan=m.plan)
    return next(p for p in periods if p.kind == "semiannual"), next(p for p in periods if p.kind == "annual")


def _reports(m: Any, period: Period) -> dict[int, Report]:
    return {r.unit_id: r for r in reports_generate(period=period) if r.is_committee}


def _fill(m: Any, report: Report, num: int, den: int, count: int, *, accept: bool = True) -> Report:
    """Women num of den (half of each sex's denominator), and a count; submitted and, unless told, accepted."""
    female, male = num // 2, num - num // 2
    report = report_save(
        report=report,
        user=m.admin,
        version=report.version,
        entries=[
            Entry(m.i1.pk, "total", numerator=D(num), denominator=D(den)),
            Entry(m.i1.pk, "female", numerator=D(female), denominator=D(den // 2)),
            Entry(m.i1.pk, "male", numerator=D(male), denominator=D(den - den // 2)),
            Entry(m.i2.pk, "total", value=D(count)),
        ],
    )
    report = report_submit(report=report, user=m.admin, version=report.version)
    return report_accept(report=report, user=m.admin, version=report.version) if accept else report


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_province_figure_sums_numerators_of_its_communes(monitored: Any) -> None:
    m = monitored
    semiannual, _annual = _periods(m)
    reports = _reports(m, semiannual)
    _fill(m, reports[m.commune_a.pk], 9, 10, 2)
    _fill(m, reports[m.commune_b.pk], 10, 90, 3)
    figures = Rollup(m.plan).figures(m.province.pk, 0)
    rate = figures[(m.i1.pk, "total", semiannual.pk)]
    # (9 + 10) / (10 + 90) = 19%, not the 50.6% an average of 90% and 11.1% would give.
    assert (rate.numerator, rate.denominator, rate.figure) == (D(19), D(100), D(19))
    assert figures[(m.i2.pk, "total", semiannual.pk)].figure == D(5)
    assert Rollup(m.plan).figures(m.commune_b.pk, 2)[(m.i1.pk, "total", semiannual.pk)].figure == D(10) / D(90) * 100


def test_only_accepted_reports_count(monitored: Any) -> None:
    m = monitored
    semiannual, _annual = _periods(m)
    reports = _reports(m, semiannual)
    _fill(m, reports[m.commune_a.pk], 9, 10, 2)
    _fill(m, reports[m.commune_b.pk], 10, 90, 3, accept=False)
    assert Rollup(m.plan).figures(m.province.pk, 0)[(m.i1.pk, "total", semiannual.pk)].figure == D(90)


def _legacy_predecessor(unit: AdministrativeUnit) -> AdministrativeUnit:
    through = AdministrativeUnit.successors.through
    ids = through.objects.filter(to_administrativeunit_id=unit.pk).values_list("from_administrativeunit_id", flat=True)
    return AdministrativeUnit.objects.filter(pk__in=ids, generation=Generation.LEGACY, level="commune").order_by(
        "code"
    )[0]


def test_a_historic_commune_counts_toward_its_successor(monitored: Any) -> None:
    m = monitored
    semiannual, annual = _periods(m)
    old = _legacy_predecessor(m.commune_a)
    # No service files reports for a unit abolished in 2025 under a 2026 plan; the report row stands for
    # figures carried over from before the reorganisation, then goes through the real workflow.
    agency = agency_get_or_create(name="Ban Văn hóa - Xã hội", unit=old)
    report = Report.objects.create(period=semiannual, reporter=agency, unit=old, is_committee=True)
    ReportIndicator.objects.bulk_create([ReportIndicator(report=report, indicator=i) for i in (m.i1, m.i2)])
    _fill(m, report, 3, 10, 1)
    _fill(m, _reports(m, annual)[m.commune_a.pk], 6, 10, 4)
    home = attribute({old.pk}).homes[old.pk]
    assert home.unit_id in {u.pk for u in old.successors.all()}
    rollup = Rollup(m.plan)
    series = [rollup.figures(home.unit_id, 2).get((m.i1.pk, "total", p.pk)) for p in (semiannual, annual)]
    if home.unit_id == m.commune_a.pk:  # the time series crosses the reorganisation
        assert [f.figure if f else None for f in series] == [D(30), D(60)]
    province = rollup.figures(m.province.pk, 0)
    assert province[(m.i1.pk, "total", semiannual.pk)].figure == D(30)
    assert province[(m.i2.pk, "total", semiannual.pk)].figure == D(1)


def test_zero_denominator_is_shown_as_missing_not_as_a_status(monitored: Any) -> None:
    m = monitored
    semiannual, _annual = _periods(m)
    report = _reports(m, semiannual)[m.commune_a.pk]
    report = report_save(
        report=report,
        user=m.admin,
        version=report.version,
        entries=[Entry(m.i1.pk, "total", numerator=D(0), denominator=D(0)), Entry(m.i2.pk, "total", value=D(0))],
    )
    # A zero denominator is refused at submission; an accepted one can only come from older data, loaded
    # past the services and followed by a rebuild of the summary, so the roll-up is checked directly.
    report.status = "accepted"
    report.save(update_fields=["status"])
    summary_rebuild(plan=m.plan)
    rate = Rollup(m.plan).figures(m.province.pk, 0)[(m.i1.pk, "total", semiannual.pk)]
    assert rate.figure is None and "mẫu số bằng 0" in rate.problem
    page = _client(m.province_user).get(f"/theo-doi/ke-hoach/{m.plan.pk}/").content.decode()
    assert "mẫu số bằng 0" in page


def test_a_value_accepted_now_shows_on_the_next_page_load(monitored: Any) -> None:
    m = monitored
    semiannual, _annual = _periods(m)
    report = _reports(m, semiannual)[m.commune_a.pk]
    client = _client(m.province_user)
    plan_url = f"/theo-doi/ke-hoach/{m.plan.pk}/"
    unit_url = f"/theo-doi/dia-ban/{m.province.pk}/?plan={m.plan.pk}"
    before = client.get(plan_url)
    assert before.status_code == 200
    line = next(x for x in before.context["lines"] if x.indicator == m.i1)
    assert line.assessment.status == Status.NO_DATA
    report = _fill(m, report, 41, 100, 7, accept=False)
    assert "41/100" not in client.get(plan_url).content.decode()  # submitted is not accepted
    report_accept(report=report, user=m.province_user, version=report.version)
    for url in (plan_url, unit_url):
        response = client.get(url)
        page = response.content.decode()
        assert "41/100" in page, url
        line = next(x for x in response.context["lines"] if x.indicator == m.i1)
        assert line.figure.figure == D(41) and line.assessment.status == Status.OFF_TRACK
    csv = client.get(plan_url, {"format": "csv", "table": "chi-tieu"})
    assert csv["Content-Type"].startswith("text/csv") and "41" in csv.content.decode("utf-8-sig")


def test_dashboards_say_what_is_missing(monitored: Any) -> None:
    m = monitored
    _periods(m)
    response = _client(m.province_user).get(f"/theo-doi/ke-hoach/{m.plan.pk}/")
    page = response.content.decode()
    lines = {x.indicator.key: x for x in response.context["lines"]}
    assert lines["I2"].assessment.status == Status.NO_DATA
    assert "Chưa có chỉ tiêu" in page  # I2 has no target
    assert "định tính" in page  # I3 is a text indicator
    assert page.count("<svg") >= 1 and "Cách tính" in page  # the target path is drawn before any data


def test_unit_dashboard_ranks_communes_and_drills_down(monitored: Any) -> None:
    m = monitored
    semiannual, _annual = _periods(m)
    reports = _reports(m, semiannual)
    _fill(m, reports[m.commune_a.pk], 9, 10, 2)
    _fill(m, reports[m.commune_b.pk], 10, 90, 3)
    client = _client(m.province_user)
    url = f"/theo-doi/dia-ban/{m.province.pk}/"
    response = client.get(url, {"plan": m.plan.pk, "indicator": m.i1.pk})
    assert response.status_code == 200
    ranked = [(child.pk, fig.figure if fig else None) for child, fig, _a in response.context["ranking"]]
    assert ranked[0] == (m.commune_a.pk, D(90))
    assert ranked[1][0] == m.commune_b.pk
    csv = client.get(url, {"plan": m.plan.pk, "indicator": m.i1.pk, "format": "csv", "table": "xep-hang"})
    assert m.commune_a.name in csv.content.decode("utf-8-sig")
    commune = client.get(f"/theo-doi/dia-ban/{m.commune_a.pk}/", {"plan": m.plan.pk})
    assert next(x for x in commune.context["lines"] if x.indicator == m.i1).figure.figure == D(90)


def test_queries_do_not_grow_with_units(monitored: Any) -> None:
    m = monitored
    semiannual, annual = _periods(m)
    for period in (semiannual, annual):
        reports = _reports(m, period)
        _fill(m, reports[m.commune_a.pk], 9, 10, 2)
        _fill(m, reports[m.commune_b.pk], 10, 90, 3)
    with CaptureQueriesContext(connection) as queries:
        rollup = Rollup(m.plan)
        for child in AdministrativeUnit.objects.filter(parent=m.province, valid_to__isnull=True):
            rollup.figures(child.pk, 2)
    assert len(queries) <= 10


@pytest.mark.parametrize(
    "url",
    ["/theo-doi/ke-hoach/{plan}/", "/theo-doi/dia-ban/{unit}/?plan={plan}", "/theo-doi/ke-hoach/{plan}/?format=csv"],
)
def test_another_provinces_user_gets_404(monitored: Any, url: str) -> None:
    m = monitored
    response = _client(m.other_province_user).get(url.format(plan=m.plan.pk, unit=m.province.pk))
    assert response.status_code == 404


def test_anonymous_is_sent_to_login_and_method_page_renders(monitored: Any) -> None:
    m = monitored
    assert Client().get(f"/theo-doi/ke-hoach/{m.plan.pk}/").status_code == 302
    page = _client(m.commune_user).get("/theo-doi/cach-tinh/").content.decode()
    assert "Đúng tiến độ" in page and "<table>" in page


@pytest.mark.parametrize("who", ["province_user", "department_user", "commune_user"])
def test_every_unit_link_on_the_dashboards_opens(monitored: Any, who: str) -> None:
    """A dashboard links a unit only where its page opens for this user: the commune officer reads its province's
    plan, but the province's own page is not its to open, so the province's name is text, not a link to a 404."""
    import re

    m = monitored
    semiannual, _annual = _periods(m)
    reports = _reports(m, semiannual)
    _fill(m, reports[m.commune_a.pk], 9, 10, 2)
    client = _client(getattr(m, who))
    start = client.get(f"/theo-doi/ke-hoach/{m.plan.pk}/")
    assert start.status_code == 200
    seen: set[str] = set()
    frontier = [start.content.decode()]
    for _depth in range(2):
        found = {href for page in frontier for href in re.findall(r'href="(/theo-doi/dia-ban/[^"]+)"', page)}
        frontier = []
        for href in sorted(found - seen):
            seen.add(href)
            response = client.get(href.replace("&amp;", "&"))
            assert response.status_code == 200, (who, href)
            frontier.append(response.content.decode())
    if who == "commune_user":
        # Its own commune's page is reached from the plan (the ranking is the province's, not its to open).
        assert f"/theo-doi/dia-ban/{m.province.pk}/" not in " ".join(seen)
    else:
        assert any(f"/theo-doi/dia-ban/{m.province.pk}/" in href for href in seen)
