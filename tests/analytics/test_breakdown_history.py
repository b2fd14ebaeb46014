"""A former district's page (a plan from before July 2025) breaks its figures down by group from its own and its
lower units' accepted reports, with the drill-down's rule (the nearest level below that reported), as its other
figures are (issue 16; analytics/drilldown.py historic_part_rows)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from binhdang.places.models import AdministrativeUnit, Generation
from binhdang.places.services import agency_get_or_create, committee_set_standing_agency, user_create
from binhdang.plans.interchange import plan_load
from binhdang.reporting.checks import Entry
from binhdang.reporting.services import periods_generate, report_accept, report_save, report_submit
from tests.analytics.test_drilldown_history import PASSWORD, _client, _plan_doc, _report, _unit_url

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def split(world: SimpleNamespace) -> SimpleNamespace:
    """The 2023 plan on the pre-2025 province with I2 (a count) reported by ethnicity: two former districts
    reported, and in the second also one of its communes."""
    old_province = AdministrativeUnit.objects.get(
        generation=Generation.LEGACY, level="province", name_key="tinh thai nguyen"
    )
    standing = agency_get_or_create(name="Sở Lao động - Thương binh và Xã hội", unit=old_province)
    committee_set_standing_agency(unit=old_province, agency=standing)
    user = user_create(username="thainguyen_cu", password=PASSWORD, agency=standing)
    doc = _plan_doc(f"legacy:{old_province.code}", [2023, 2023])
    doc["indicators"][1]["disaggregations"] = ["ethnicity"]
    plan = plan_load(doc)
    (period,) = periods_generate(plan=plan)
    district_a, district_b = AdministrativeUnit.objects.filter(parent=old_province, level="district").order_by("code")[
        :2
    ]
    commune = AdministrativeUnit.objects.filter(parent=district_b, level="commune").order_by("code").first()
    assert commune is not None
    i2 = plan.indicators.get(key="I2")
    figures = {district_a: (4, 7), district_b: (20, 30), commune: (2, 9)}  # (kinh, dtts)
    for unit, (kinh, dtts) in figures.items():
        report = _report(plan, period, unit)
        entries = [
            Entry(i2.pk, "total", value=D(kinh), combo="ethnicity=kinh"),
            Entry(i2.pk, "total", value=D(dtts), combo="ethnicity=dtts"),
            Entry(plan.indicators.get(key="I1").pk, "total", note="Không có số liệu"),
        ]
        report = report_save(report=report, user=world.admin, version=report.version, entries=entries)
        report = report_submit(report=report, user=world.admin, version=report.version)
        report_accept(report=report, user=world.admin, version=report.version)
    return SimpleNamespace(user=user, plan=plan, i2=i2, district_a=district_a, district_b=district_b, figures=figures)


def _groups(response: Any) -> dict[str, Decimal | None]:
    breakdown = response.context["breakdown"]
    return {row.member or "whole": row.figure("total") for row in [*breakdown.groups, breakdown.whole]}


def test_a_former_districts_groups_come_from_its_own_reports(split: SimpleNamespace) -> None:
    s = split
    response = _client(s.user).get(_unit_url(s.district_a, s.plan, indicator=s.i2.pk, by="ethnicity"))
    assert response.status_code == 200
    kinh, dtts = s.figures[s.district_a]
    # The whole was derived from the parts on saving (it was left empty): the page shows it beside them.
    assert _groups(response) == {"kinh": D(kinh), "dtts": D(dtts), "whole": D(kinh + dtts)}


def test_a_former_district_with_a_commune_below_takes_the_nearest_level_as_for_its_totals(
    split: SimpleNamespace,
) -> None:
    s = split
    response = _client(s.user).get(_unit_url(s.district_b, s.plan, indicator=s.i2.pk, by="ethnicity"))
    commune = next(u for u in s.figures if u.level == "commune")
    kinh, dtts = s.figures[commune]  # the district's own 20 / 30 are not added in, as for its total
    assert _groups(response) == {"kinh": D(kinh), "dtts": D(dtts), "whole": D(kinh + dtts)}
    assert "dân tộc thiểu số" in response.content.decode()
