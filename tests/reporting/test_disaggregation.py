"""Figures by age group, ethnicity and area as well as sex (issue 16): stored under a combination key, checked
against their totals, entered on the web form as a grid, summed at acceptance and rolled up per combination,
while every reader of today's figures keeps reading the totals only."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from migrations_back import migrate_back_before_combos_and_forward

from binhdang.analytics.rollup import Rollup
from binhdang.plans.models import Indicator
from binhdang.reporting.checks import Entry
from binhdang.reporting.compilation import compile_indicators
from binhdang.reporting.errors import InvalidValues
from binhdang.reporting.models import AcceptedSum, Report, Value
from binhdang.reporting.services import (
    check_report_entries,
    periods_generate,
    report_accept,
    report_reopen,
    report_save,
    report_submit,
    reports_generate,
)
from tests.web.test_reporting_views import FormReader

pytestmark = pytest.mark.django_db
D = Decimal
AGE_ETH = ["sex", "age", "ethnicity"]
AGES = ["0-14", "15+"]  # tiles every age


@pytest.fixture
def world16(cycle: SimpleNamespace) -> SimpleNamespace:
    """The cycle with I1 (a percentage) by sex × age group × ethnicity and I2 (a count) by ethnicity, and the
    semiannual reports of the two communes."""
    Indicator.objects.filter(pk=cycle.i1.pk).update(disaggregations=AGE_ETH, age_groups=AGES)
    Indicator.objects.filter(pk=cycle.i2.pk).update(disaggregations=["ethnicity"])
    periods = periods_generate(plan=cycle.plan)
    semiannual = next(p for p in periods if p.kind == "semiannual")
    by_agency = {r.reporter_id: r for r in reports_generate(period=semiannual)}
    a, b = by_agency[cycle.a_office.pk], by_agency[cycle.b_office.pk]
    for report in (a, b):
        lines = set(report.indicator_lines.values_list("indicator_id", flat=True))
        assert {cycle.i1.pk, cycle.i2.pk} <= lines
    return SimpleNamespace(**vars(cycle), period=semiannual, a=a, b=b)


def _count(w: Any, sex: str, value: int, combo: str = "") -> Entry:
    return Entry(w.i2.pk, sex, value=D(value), combo=combo)


def _rate(w: Any, sex: str, num: int, den: int, combo: str = "") -> Entry:
    return Entry(w.i1.pk, sex, numerator=D(num), denominator=D(den), combo=combo)


def _accept(w: Any, report: Report, entries: list[Entry]) -> Report:
    for indicator in (w.i1, w.i2):  # an indicator left empty needs a note to be sent
        if not any(e.indicator_id == indicator.pk for e in entries):
            entries = [*entries, Entry(indicator.pk, "total", note="Không có số liệu kỳ này")]
    report = report_save(report=report, user=w.admin, version=report.version, entries=entries)
    report = report_submit(report=report, user=w.admin, version=report.version)
    return report_accept(report=report, user=w.admin, version=report.version)


def _errors(w: Any, report: Report, entries: list[Entry]) -> list[Any]:
    return [i for i in check_report_entries(report, entries) if i.level == "error"]


# Storing and refusing ------------------------------------------------------------------------------------------


def test_a_combination_the_indicator_does_not_declare_is_refused_naming_the_cell(world16: Any) -> None:
    w = world16
    before = Value.objects.count()
    bad = _rate(w, "female", 1, 2, "age=15-24;ethnicity=dtts")  # 15-24 is not one of I1's groups
    with pytest.raises(InvalidValues) as refused:
        report_save(report=w.a, user=w.admin, version=w.a.version, entries=[_rate(w, "total", 5, 10), bad])
    messages = [i.message for i in refused.value.issues]
    assert any("Nữ, 15–24 tuổi, dân tộc thiểu số" in m for m in messages), messages
    assert refused.value.issues[0].where.endswith(":age=15-24;ethnicity=dtts")
    assert Value.objects.count() == before  # nothing written, not even the good total
    area = _count(w, "total", 1, "area=rural")  # I2 is by ethnicity, not area
    with pytest.raises(InvalidValues):
        report_save(report=w.a, user=w.admin, version=w.a.version, entries=[area])
    assert Value.objects.count() == before


def test_parts_and_totals_are_saved_side_by_side_and_read_back(world16: Any) -> None:
    w = world16
    entries = [_count(w, "total", 10), _count(w, "total", 3, "ethnicity=dtts"), _count(w, "total", 7, "ethnicity=kinh")]
    report_save(report=w.a, user=w.admin, version=w.a.version, entries=entries)
    stored = dict(Value.objects.filter(report=w.a, indicator=w.i2).values_list("combo", "value"))
    assert stored == {"": D(10), "ethnicity=dtts": D(3), "ethnicity=kinh": D(7)}


def test_parts_must_add_up_to_the_total_when_they_cover_it(world16: Any) -> None:
    w = world16
    parts = [_count(w, "total", 3, "ethnicity=dtts"), _count(w, "total", 6, "ethnicity=kinh")]
    errors = _errors(w, w.a, [_count(w, "total", 10), *parts])
    assert len(errors) == 1
    assert "(9)" in errors[0].message and "(10)" in errors[0].message
    assert errors[0].where == f"indicator:{w.i2.pk}:total:value"
    assert _errors(w, w.a, [_count(w, "total", 9), *parts]) == []
    # Only one part entered: it may not exceed the total, and need not equal it.
    assert _errors(w, w.a, [_count(w, "total", 10), parts[0]]) == []
    over = _errors(w, w.a, [_count(w, "total", 2), parts[0]])
    assert over and all("dân tộc thiểu số" in e.message or "(3)" in e.message for e in over)


def test_rates_check_numerator_and_denominator_of_the_parts_separately(world16: Any) -> None:
    w = world16
    total = [_rate(w, "female", 30, 100)]
    parts = [
        _rate(w, "female", 10, 40, "age=0-14;ethnicity=kinh"),
        _rate(w, "female", 5, 20, "age=0-14;ethnicity=dtts"),
        _rate(w, "female", 10, 30, "age=15+;ethnicity=kinh"),
        _rate(w, "female", 5, 10, "age=15+;ethnicity=dtts"),
    ]
    assert _errors(w, w.a, total + parts) == []
    parts[3] = _rate(w, "female", 5, 11, "age=15+;ethnicity=dtts")  # denominators add to 101
    errors = _errors(w, w.a, total + parts)
    assert [e.where for e in errors] == [f"indicator:{w.i1.pk}:female:denominator"]
    assert errors[0].message.startswith("Nữ:")


def test_a_part_over_its_total_names_the_combination_in_words(world16: Any) -> None:
    w = world16
    entries = [_rate(w, "female", 3, 10), _rate(w, "female", 4, 5, "age=15+;ethnicity=dtts")]
    errors = _errors(w, w.a, entries)
    assert any("Nữ, 15 tuổi trở lên, dân tộc thiểu số" in e.message for e in errors), errors


def test_groups_that_do_not_cover_every_age_only_bound_the_total(world16: Any) -> None:
    w = world16
    Indicator.objects.filter(pk=w.i1.pk).update(age_groups=["15-24", "60+"])
    parts = [
        _rate(w, "total", 1, 10, f"age={age};ethnicity={eth}") for age in ("15-24", "60+") for eth in ("kinh", "dtts")
    ]
    assert _errors(w, w.a, [_rate(w, "total", 20, 100), *parts]) == []  # 4 of 20 and 40 of 100: fine
    assert _errors(w, w.a, [_rate(w, "total", 3, 100), *parts])  # 4 > 3


def test_overlapping_age_groups_are_refused_on_the_indicator(world16: Any) -> None:
    from django.core.exceptions import ValidationError

    indicator = Indicator.objects.get(pk=world16.i1.pk)
    indicator.age_groups = ["15+", "15-24"]
    with pytest.raises(ValidationError) as refused:
        indicator.clean()
    assert "15+" in str(refused.value) and "15-24" in str(refused.value)


# The web form --------------------------------------------------------------------------------------------------


def _form(client: Client, report: Report) -> dict[str, str]:
    response = client.get(reverse("report-detail", args=[report.pk]))
    assert response.status_code == 200
    reader = FormReader("entry-form")
    reader.feed(response.content.decode())
    return reader.fields


def test_the_grid_is_saved_from_the_web_form_and_shown_again(world16: Any) -> None:
    w = world16
    client = Client()
    client.force_login(w.commune_user)
    fields = _form(client, w.a)
    i1, i2 = w.i1.pk, w.i2.pk
    dtts = f"i{i1}-female-numerator@age=15+;ethnicity=dtts"
    assert dtts in fields and f"i{i1}-male-denominator@age=0-14;ethnicity=kinh" in fields
    assert f"i{i2}-total-value@ethnicity=dtts" in fields
    assert not any("@" in name and name.startswith(f"i{i2}-female") for name in fields)  # I2 has no sex split
    fields.update(
        {
            f"i{i2}-total-value": "1.040",
            f"i{i2}-total-value@ethnicity=dtts": "40",
            f"i{i2}-total-value@ethnicity=kinh": "1.000",
            f"i{i1}-female-numerator": "12",
            f"i{i1}-female-denominator": "40",
            dtts: "3",
            f"i{i1}-female-denominator@age=15+;ethnicity=dtts": "7,5",
        }
    )
    response = client.post(reverse("report-detail", args=[w.a.pk]), fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = {
        (v.indicator_id, v.sex, v.combo): (v.value, v.numerator, v.denominator)
        for v in Value.objects.filter(report=w.a)
    }
    assert stored[(i2, "total", "ethnicity=dtts")][0] == D(40)
    assert stored[(i2, "total", "ethnicity=kinh")][0] == D(1000)
    assert stored[(i2, "total", "")][0] == D(1040)
    assert stored[(i1, "female", "age=15+;ethnicity=dtts")][1:] == (D(3), D("7.5"))
    again = _form(client, w.a)
    assert again[dtts] == "3"
    assert again[f"i{i1}-female-denominator@age=15+;ethnicity=dtts"] == "7,5"
    assert again[f"i{i2}-total-value@ethnicity=kinh"] == "1.000"
    # A part corrected and the total cleared: the total is worked out again from the parts.
    again[f"i{i2}-total-value@ethnicity=dtts"] = "60"
    again[f"i{i2}-total-value"] = ""
    response = client.post(reverse("report-detail", args=[w.a.pk]), again)
    assert response.status_code == 302
    assert Value.objects.get(report=w.a, indicator=w.i2, sex="total", combo="").value == D(1060)
    # A part and a total typed together that disagree: refused, the cell named in words, nothing written, and
    # the form shows what was typed so that nothing is lost.
    again = _form(client, w.a)
    again[f"i{i2}-total-value"] = "1.500"
    again[f"i{i2}-total-value@ethnicity=dtts"] = "2.000"
    before = list(Value.objects.filter(report=w.a).order_by("pk").values_list("value", "numerator", "denominator"))
    response = client.post(reverse("report-detail", args=[w.a.pk]), again)
    assert response.status_code == 400
    page = response.content.decode()
    assert "dân tộc thiểu số: lớn hơn số tổng (1.500)" in page
    assert 'value="2.000"' in page
    after = list(Value.objects.filter(report=w.a).order_by("pk").values_list("value", "numerator", "denominator"))
    assert after == before


def test_input_names_read_back() -> None:
    from binhdang.reporting.forms import input_key

    assert input_key("i12-female-value@age=15+;ethnicity=dtts") == (12, "female", "value", "age=15+;ethnicity=dtts")
    assert input_key("i12-total-numerator") == (12, "total", "numerator", "")
    assert input_key("i12-source") is None
    assert input_key("t3-central") is None


def test_a_number_that_cannot_be_read_in_the_grid_saves_nothing(world16: Any) -> None:
    w = world16
    client = Client()
    client.force_login(w.commune_user)
    fields = _form(client, w.a)
    fields[f"i{w.i2.pk}-total-value"] = "10"
    fields[f"i{w.i2.pk}-total-value@ethnicity=dtts"] = "mười"
    response = client.post(reverse("report-detail", args=[w.a.pk]), fields)
    assert response.status_code == 400
    assert not Value.objects.filter(report=w.a).exists()


def test_an_accepted_report_shows_its_grid_locked(world16: Any) -> None:
    w = world16
    _accept(w, w.a, [_count(w, "total", 5), _count(w, "total", 2, "ethnicity=dtts")])
    client = Client()
    client.force_login(w.commune_user)
    page = client.get(reverse("report-detail", args=[w.a.pk])).content.decode()
    assert f'id="i{w.i2.pk}-total-value@ethnicity=dtts">2<' in page
    assert f'name="i{w.i2.pk}-total-value@ethnicity=dtts"' not in page  # no input: locked
    with pytest.raises(Exception):  # noqa: B017 - the named error is the services', whichever applies
        w.a.refresh_from_db()
        report_save(report=w.a, user=w.admin, version=w.a.version, entries=[_count(w, "total", 9, "ethnicity=dtts")])
    assert Value.objects.get(report=w.a, indicator=w.i2, combo="ethnicity=dtts").value == D(2)


# Summary and roll-up -------------------------------------------------------------------------------------------


def _communes(w: Any) -> dict[str, dict[str, tuple[int, int, int]]]:
    """Per commune, I1 female (numerator, denominator) per combination and I2 per combination; the totals are the
    sums, as a commune would enter them."""
    return {
        "a": {"age=0-14;ethnicity=dtts": (2, 10, 5), "age=15+;ethnicity=dtts": (3, 12, 4), "": (20, 60, 30)},
        "b": {"age=0-14;ethnicity=dtts": (1, 8, 7), "age=15+;ethnicity=dtts": (6, 9, 1), "": (30, 70, 44)},
    }


def _entries(w: Any, figures: dict[str, tuple[int, int, int]]) -> list[Entry]:
    entries = []
    for combo, (num, den, count) in figures.items():
        entries.append(_rate(w, "female", num, den, combo))
        ethnicity = f"ethnicity={combo.rsplit('=', 1)[1]}" if combo else ""
        if combo.startswith("age=0-14"):  # I2 is by ethnicity only: one dtts figure per commune
            entries.append(_count(w, "total", count + figures["age=15+;ethnicity=dtts"][2], ethnicity))
        elif not combo:
            entries.append(_count(w, "total", count))
    return entries


def test_accepted_parts_are_summed_per_combination_and_rolled_up_to_the_province(world16: Any) -> None:
    w = world16
    communes = _communes(w)
    reports = {"a": w.a, "b": w.b}
    for name, figures in communes.items():
        reports[name] = _accept(w, reports[name], _entries(w, figures))
    rows = AcceptedSum.objects.filter(plan=w.plan, unit=w.province, indicator=w.i2, own=False, reports__gt=0)
    assert set(rows.values_list("combo", flat=True)) == {"", "ethnicity=dtts"}
    dtts_count = sum(f["age=0-14;ethnicity=dtts"][2] + f["age=15+;ethnicity=dtts"][2] for f in communes.values())
    assert rows.get(combo="ethnicity=dtts").value == D(dtts_count)
    # The province's figure for ethnic-minority women 15+: the communes' numerators over their denominators.
    combo = "age=15+;ethnicity=dtts"
    num = sum(f[combo][0] for f in communes.values())
    den = sum(f[combo][1] for f in communes.values())
    figure = Rollup(w.plan, combo=combo).figures(w.province.pk, 0)[(w.i1.pk, "female", w.period.pk)]
    assert (figure.numerator, figure.denominator, figure.reports) == (D(num), D(den), 2)
    assert figure.figure == D(num) / D(den) * 100
    dtts = Rollup(w.plan, combo="ethnicity=dtts").figures(w.province.pk, 0)[(w.i2.pk, "total", w.period.pk)]
    assert dtts.figure == D(dtts_count)
    # The totals are exactly the totals entered: no part is added into them.
    totals = Rollup(w.plan).figures(w.province.pk, 0)
    assert totals[(w.i2.pk, "total", w.period.pk)].figure == D(sum(f[""][2] for f in communes.values()))
    female = totals[(w.i1.pk, "female", w.period.pk)]
    assert (female.numerator, female.denominator) == (D(50), D(130))
    compiled = {c.indicator.pk: c for c in compile_indicators(w.period)}
    assert compiled[w.i2.pk] is not None
    # Reopening takes the report's parts out again.
    report = reports["b"]
    report_reopen(report=report, user=w.admin, reason="Sửa số liệu", version=report.version)
    figure = Rollup(w.plan, combo=combo).figures(w.province.pk, 0)[(w.i1.pk, "female", w.period.pk)]
    assert (figure.numerator, figure.denominator) == (D(communes["a"][combo][0]), D(communes["a"][combo][1]))


def test_readers_of_totals_see_no_parts(world16: Any) -> None:
    """The compilation of a period and open data read combo "" only: 10, not 10 + 4 + 6."""
    from binhdang.opendata.selectors import indicator_records

    w = world16
    entries = [_count(w, "total", 10), _count(w, "total", 4, "ethnicity=dtts"), _count(w, "total", 6, "ethnicity=kinh")]
    _accept(w, w.a, entries)
    compiled = next(c for c in compile_indicators(w.period) if c.indicator.pk == w.i2.pk)
    assert (compiled.cells["total"].value, compiled.cells["total"].reports) == (D(10), 1)
    records = [r for r in indicator_records(w.i2) if r.unit.pk == w.commune_a.pk]
    assert [(r.sex, r.value, r.reports) for r in records] == [("total", D(10), 1)]


# The migration -------------------------------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="migrating back and forth inside a test needs transactional DDL"
)
def test_the_migration_keeps_every_existing_value_as_the_total(world16: Any) -> None:
    w = world16
    _accept(w, w.a, [_rate(w, "total", 9, 10), _rate(w, "female", 4, 5), _count(w, "total", 3)])
    columns = ("report_id", "indicator_id", "sex", "value", "numerator", "denominator", "source", "note")
    before = sorted(Value.objects.values_list(*columns))
    sums_before = sorted(AcceptedSum.objects.values_list("unit_id", "indicator_id", "sex", "value", "numerator"))
    assert before and sums_before
    migrate_back_before_combos_and_forward()
    assert sorted(Value.objects.values_list(*columns)) == before
    assert set(Value.objects.values_list("combo", flat=True)) == {""}
    assert (
        sorted(AcceptedSum.objects.values_list("unit_id", "indicator_id", "sex", "value", "numerator")) == sums_before
    )
    assert set(AcceptedSum.objects.values_list("combo", flat=True)) == {""}
