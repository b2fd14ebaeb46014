"""The national view of the synthetic plan: each province's figure and rank against a direct SQL sum, the
national total, the page, its banner, drill-down links, CSV and who may see it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from binhdang.analytics.national import current_provinces, national_plan, national_view
from binhdang.demo.national import LABEL, synth_build
from binhdang.reporting.models import Period, ReportStatus, Value

TINY: dict[str, Any] = {"scale": 0.01, "provinces": 3, "seed": 5}


def _direct(plan: Any, indicator: Any) -> dict[int, dict[int, tuple[Decimal, Decimal]]]:
    """Province id → period id → (sum of numerators, sum of denominators) of accepted commune totals."""
    rows = (
        Value.objects.filter(
            report__period__plan=plan, report__status=ReportStatus.ACCEPTED, indicator=indicator, sex="total"
        )
        .values("report__unit__parent_id", "report__period_id")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
    )
    result: dict[int, dict[int, tuple[Decimal, Decimal]]] = {}
    for row in rows:
        result.setdefault(row["report__unit__parent_id"], {})[row["report__period_id"]] = (row["n"], row["d"])
    return result


@pytest.mark.django_db
def test_provinces_ranked_by_their_latest_rolled_up_figure() -> None:
    synth_build(**TINY)
    plan = national_plan()
    assert plan is not None and plan.title.startswith(LABEL)
    indicator = plan.indicators.filter(measure="percentage").order_by("order").first()
    assert indicator is not None
    view = national_view(plan, indicator.pk)
    assert view.chosen == indicator
    periods = list(Period.objects.filter(plan=plan).order_by("data_to"))
    direct = _direct(plan, indicator)
    assert len(direct) == 3  # the three provinces the tiny build covers
    expected: dict[int, Decimal] = {}
    for province_id, by_period in direct.items():
        last = [p for p in periods if p.pk in by_period][-1]
        n, d = by_period[last.pk]
        expected[province_id] = n / d * 100
    lines = {line.unit.pk: line for line in view.provinces}
    assert len(view.provinces) == len(current_provinces()) == 34
    for province_id, value in expected.items():
        assert lines[province_id].figure is not None
        assert lines[province_id].figure.figure == value
    best_first = sorted(expected, key=lambda pk: expected[pk], reverse=indicator.direction != "decrease")
    assert [line.unit.pk for line in view.provinces[:3]] == best_first
    assert [line.rank for line in view.provinces[:3]] == [1, 2, 3]
    assert all(line.figure is None and line.rank is None for line in view.provinces[3:])
    unranked = [line.unit.name for line in view.provinces[3:]]
    assert unranked == sorted(unranked)
    # Whole country: the last period, every province's numerators and denominators added up.
    last = periods[-1]
    n = sum(direct[p][last.pk][0] for p in direct)
    d = sum(direct[p][last.pk][1] for p in direct)
    assert view.national_period == last
    assert view.national is not None and view.national.figure == n / d * 100


@pytest.mark.django_db
def test_national_page_banner_links_csv_and_index(world: Any) -> None:
    synth_build(**TINY)
    plan = national_plan()
    assert plan is not None
    client = Client()
    client.force_login(world.admin)
    index = client.get(reverse("dashboard-index")).content.decode()
    assert reverse("dashboard-national") in index and "[Dữ liệu mô phỏng]" in index
    page = client.get(reverse("dashboard-national"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "synthetic-banner" in html and "[Dữ liệu mô phỏng]" in html
    assert html.count('<rect class="bar') == 3  # only provinces with a figure draw a bar
    assert html.count(f"?plan={plan.pk}&amp;indicator=") == 34  # a drill-down link per province
    csv = client.get(reverse("dashboard-national"), {"format": "csv"}).content.decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 1 + 34
    unit = client.get(reverse("dashboard-unit", args=[view_first_province(plan)]), {"plan": plan.pk})
    assert unit.status_code == 200 and "synthetic-banner" in unit.content.decode()


def view_first_province(plan: Any) -> int:
    pk: int = national_view(plan, None).provinces[0].unit.pk
    return pk


@pytest.mark.django_db
def test_national_page_needs_the_plan_to_be_visible(world: Any) -> None:
    client = Client()
    client.force_login(world.admin)
    assert client.get(reverse("dashboard-national")).status_code == 404  # nothing built yet
    assert reverse("dashboard-national") not in client.get(reverse("dashboard-index")).content.decode()
    synth_build(**TINY)
    client.force_login(world.other_province_user)  # Hà Tĩnh: the synthetic plan hangs on the first province
    assert client.get(reverse("dashboard-national")).status_code == 404
    assert reverse("dashboard-national") not in client.get(reverse("dashboard-index")).content.decode()


@pytest.mark.django_db
def test_the_national_view_shows_the_flagged_plan_whatever_its_title(world: Any) -> None:
    from conftest import minimal_plan

    from binhdang.plans.interchange import plan_load

    # A real national plan (any title, no synthetic label) marked national is what the national view shows.
    real = plan_load(minimal_plan("2025:19", title="Kế hoạch thực hiện Chiến lược quốc gia về bình đẳng giới"))
    real.is_national = True
    real.save(update_fields=["is_national"])
    assert national_plan() == real
    client = Client()
    client.force_login(world.admin)
    page = client.get(reverse("dashboard-national"))
    assert page.status_code == 200
    html = page.content.decode()
    assert real.title in html
    assert "synthetic-banner" not in html and "[Dữ liệu mô phỏng]" not in html
    index = client.get(reverse("dashboard-index")).content.decode()
    assert reverse("dashboard-national") in index and "[Dữ liệu mô phỏng]" not in index


@pytest.mark.django_db
def test_a_plan_with_the_old_synthetic_title_but_no_flag_is_not_the_national_plan(world: Any) -> None:
    from conftest import minimal_plan

    from binhdang.plans.interchange import plan_load
    from binhdang.plans.models import SYNTHETIC_LABEL

    plan_load(minimal_plan("2025:19", title=f"{SYNTHETIC_LABEL} Kế hoạch quốc gia mô phỏng"))
    assert national_plan() is None
    client = Client()
    client.force_login(world.admin)
    assert client.get(reverse("dashboard-national")).status_code == 404


@pytest.mark.django_db
def test_at_most_one_plan_is_national(world: Any) -> None:
    from conftest import minimal_plan
    from django.db import IntegrityError, transaction

    from binhdang.plans.interchange import plan_load
    from binhdang.plans.models import Plan

    first = plan_load(minimal_plan("2025:19", title="Kế hoạch một"))
    second = plan_load(minimal_plan("2025:19", title="Kế hoạch hai"))
    Plan.objects.filter(pk=first.pk).update(is_national=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=second.pk).update(is_national=True)
