"""Issue 16's migration changes no figure on any dashboard: today's sex-only values become the same values under
the sex category with nothing lost.

Accepted values by sex only (two communes, two periods) are read through every dashboard the way the pages read
them (the plan's dashboard, each unit's dashboard for each indicator, the national view for each indicator:
their figures exactly, their tables as shown and as CSV, and each page's <main> as rendered); then the database
is migrated back to before combinations existed (reporting/0003, plans/0005) and forward again, and everything
is read again and compared. PostgreSQL only: migrating inside a test needs transactional DDL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from migrations_back import migrate_back_before_combos_and_forward

from binhdang.analytics import dashboards, pages
from binhdang.analytics.charts import fmt
from binhdang.analytics.drilldown import drilldown_rows
from binhdang.analytics.rollup import LEVEL_RANK, Rollup
from binhdang.plans.models import Plan
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import AcceptedSum, Report, Value
from binhdang.reporting.services import (
    periods_generate,
    report_accept,
    report_save,
    report_submit,
    reports_generate,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="migrating back and forth inside a test needs transactional DDL"
    ),
]
D = Decimal
TODAY = dt.date(2026, 12, 1)

# Per period kind and commune: I1 (a percentage by sex) female and male (numerator, denominator), I2 a count.
FIGURES = {
    "semiannual": {"a": ((4, 10), (3, 12), 5), "b": ((7, 9), (2, 11), 8)},
    "annual": {"a": ((6, 10), (5, 12), 9), "b": ((8, 9), (4, 11), 12)},
}


def _accept(w: Any, report: Report, figures: tuple[tuple[int, int], tuple[int, int], int]) -> None:
    (fn, fd), (mn, md), count = figures
    entries = [
        Entry(w.i1.pk, "female", numerator=D(fn), denominator=D(fd)),
        Entry(w.i1.pk, "male", numerator=D(mn), denominator=D(md)),
        Entry(w.i1.pk, "total", numerator=D(fn + mn), denominator=D(fd + md)),
        Entry(w.i2.pk, "total", value=D(count)),
    ]
    report = report_save(report=report, user=w.admin, version=report.version, entries=entries)
    report = report_submit(report=report, user=w.admin, version=report.version)
    report_accept(report=report, user=w.admin, version=report.version)


@pytest.fixture
def sex_only(cycle: SimpleNamespace) -> SimpleNamespace:
    Plan.objects.filter(pk=cycle.plan.pk).update(is_national=True)  # so that the national view has figures too
    cycle.plan.refresh_from_db()
    offices = {cycle.a_office.pk: "a", cycle.b_office.pk: "b"}
    for period in periods_generate(plan=cycle.plan):
        if period.kind not in FIGURES:
            continue
        for report in reports_generate(period=period):
            if report.reporter_id in offices:
                _accept(cycle, report, FIGURES[period.kind][offices[report.reporter_id]])
    assert Report.objects.filter(status="accepted").count() == 4
    return cycle


def _table(table: dashboards.Table) -> tuple[Any, ...]:
    return (table.slug, table.title, tuple(table.headers), tuple(map(tuple, table.rows)))


def _figures(figures: dict[Any, Any]) -> dict[Any, Any]:
    return {key: dataclasses.astuple(figure) for key, figure in figures.items()}


def _main(html: str) -> str:
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found is not None
    return found.group(0)


def every_figure(w: SimpleNamespace) -> dict[str, Any]:
    """What every dashboard shows, keyed by page: figures exactly, tables as shown, CSV bytes, rendered <main>."""
    plan = Plan.objects.get(pk=w.plan.pk)
    seen: dict[str, Any] = {}
    reports = list(Report.objects.filter(period__plan=plan).select_related("period", "reporter", "unit__parent"))
    context = dashboards.plan_dashboard(plan, reports, TODAY)
    seen["plan"] = sorted(_table(t) for t in context["tables"].values())
    units = [w.province, w.commune_a, w.commune_b]
    rollup = Rollup(plan)
    measurable = [i.pk for i in rollup.indicators.values() if i.measure != "text"]
    for unit in units:
        seen[f"rollup {unit.pk}"] = _figures(rollup.figures(unit.pk, LEVEL_RANK[unit.level]))
        rows = drilldown_rows(plan, unit, None)
        for indicator_id in measurable:
            context = dashboards.unit_dashboard(plan, unit, [r.unit for r in rows], indicator_id, TODAY, rows)
            seen[f"unit {unit.pk} {indicator_id}"] = sorted(_table(t) for t in context["tables"].values())
            seen[f"unit {unit.pk} {indicator_id} lines"] = [
                (line.indicator.pk, dataclasses.astuple(line.figure) if line.figure else None, line.status)
                for line in context["lines"]
            ]
    for indicator_id in measurable:
        context = pages.national_page(plan, indicator_id, None)
        seen[f"national {indicator_id}"] = (
            sorted(_table(t) for t in context["tables"].values()),
            context["national_text"],
            context["national_fraction"],
        )
    client = Client()
    client.force_login(w.admin)
    urls = [f"/theo-doi/ke-hoach/{plan.pk}/", "/theo-doi/quoc-gia/"]
    urls += [f"/theo-doi/dia-ban/{u.pk}/?plan={plan.pk}&indicator={i}" for u in units for i in measurable]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        seen[f"page {url}"] = _main(response.content.decode())
        # Every table of the page as CSV, as its "Tải CSV" link downloads it.
        for slug in sorted(set(re.findall(r"format=csv&amp;table=([a-z0-9-]+)", response.content.decode()))):
            csv = client.get(f"{url}{'&' if '?' in url else '?'}format=csv&table={slug}")
            assert csv.status_code == 200, (url, slug)
            seen[f"csv {url} {slug}"] = csv.content
    return seen


def test_every_dashboard_figure_is_the_same_after_the_migration(sex_only: SimpleNamespace) -> None:
    w = sex_only
    columns = ("report_id", "indicator_id", "sex", "value", "numerator", "denominator", "source", "note")
    values_before = sorted(Value.objects.values_list(*columns))
    before = every_figure(w)
    # The capture holds the figures entered, so comparing it proves something: the province's latest I1 figure
    # for women is the two communes' annual numerators over their denominators.
    annual = FIGURES["annual"]
    female = before[f"rollup {w.province.pk}"]
    num, den = D(annual["a"][0][0] + annual["b"][0][0]), D(annual["a"][0][1] + annual["b"][0][1])
    assert any(key[:2] == (w.i1.pk, "female") and fig[2:4] == (num, den) for key, fig in female.items())
    assert any(key.startswith("page /theo-doi/dia-ban/") for key in before) and "page /theo-doi/quoc-gia/" in before
    assert fmt(D(sum(f[2] for f in annual.values()))) in before[f"page /theo-doi/ke-hoach/{w.plan.pk}/"]
    assert sum(key.startswith("csv ") for key in before) > len(urls_of(before))  # several tables per page

    migrate_back_before_combos_and_forward()

    assert sorted(Value.objects.values_list(*columns)) == values_before  # every value kept, as the total (combo "")
    assert set(Value.objects.values_list("combo", flat=True)) == {""}
    assert set(AcceptedSum.objects.values_list("combo", flat=True)) == {""}
    after = every_figure(w)
    assert after.keys() == before.keys()
    differ = [key for key in before if before[key] != after[key]]
    assert differ == [], differ


def urls_of(seen: dict[str, Any]) -> list[str]:
    return [key for key in seen if key.startswith("page ")]
