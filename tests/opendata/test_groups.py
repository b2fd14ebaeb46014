"""Open data with the groups of issue 16: the downloads carry each accepted group's row beside the totals, with
age_group / ethnicity / area columns that are empty on a total's row, while the public page, its chart and the
publishing page's counts stay on the totals. Only published indicators and accepted reports, as before."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from binhdang.opendata.selectors import publishable_indicators
from binhdang.opendata.services import indicator_publish
from binhdang.plans.models import Indicator
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Report
from binhdang.reporting.services import periods_generate, report_accept, report_save, report_submit, reports_generate

pytestmark = pytest.mark.django_db
D = Decimal

# The columns every download had before issue 16, in their order: consumers reading by position keep working.
OLD_COLUMNS = [
    "indicator_key",
    "indicator",
    "unit_code",
    "unit_generation",
    "unit_name",
    "year",
    "period_kind",
    "period",
    "data_from",
    "data_to",
    "sex",
    "figure",
    "value",
    "numerator",
    "denominator",
    "reports",
]
NEW_COLUMNS = ["age_group", "ethnicity", "area", "group_label"]
RURAL_DTTS = "age=15+;ethnicity=dtts;area=rural"
URBAN_KINH = "age=0-14;ethnicity=kinh;area=urban"
# Figures that only a submitted report or an unpublished indicator carries: never public.
HIDDEN = ("7770", "3885", "5551", "9992", "4321", "1234", "3087")


def _rate(indicator: Any, sex: str, num: int, den: int, combo: str = "") -> Entry:
    return Entry(indicator.pk, sex, numerator=D(num), denominator=D(den), combo=combo)


def _send(w: Any, report: Report, entries: list[Entry], *, accept: bool) -> Report:
    for indicator in (w.i1, w.i2):  # an indicator left empty needs a note to be sent
        if not any(e.indicator_id == indicator.pk for e in entries):
            entries = [*entries, Entry(indicator.pk, "total", note="Không có số liệu kỳ này")]
    report = report_save(report=report, user=w.admin, version=report.version, entries=entries)
    report = report_submit(report=report, user=w.admin, version=report.version)
    return report_accept(report=report, user=w.admin, version=report.version) if accept else report


@pytest.fixture
def groups(cycle: SimpleNamespace) -> SimpleNamespace:
    """I1 (a percentage) by sex × age × ethnicity × area, published; I2 (a count) by ethnicity, unpublished.
    Commune A's semiannual report is accepted with totals and two groups; commune B's is only submitted."""
    Indicator.objects.filter(pk=cycle.i1.pk).update(
        disaggregations=["sex", "age", "ethnicity", "area"], age_groups=["0-14", "15+"]
    )
    Indicator.objects.filter(pk=cycle.i2.pk).update(disaggregations=["ethnicity"])
    w = SimpleNamespace(**vars(cycle))
    w.i1.refresh_from_db()
    w.i2.refresh_from_db()
    semiannual = next(p for p in periods_generate(plan=w.plan) if p.kind == "semiannual")
    by_agency = {r.reporter_id: r for r in reports_generate(period=semiannual)}
    i1, i2 = w.i1, w.i2
    _send(
        w,
        by_agency[w.a_office.pk],
        [
            _rate(i1, "total", 90, 200),
            _rate(i1, "female", 45, 100),
            _rate(i1, "male", 45, 100),
            _rate(i1, "total", 30, 60, RURAL_DTTS),
            _rate(i1, "female", 12, 24, RURAL_DTTS),
            _rate(i1, "male", 18, 36, RURAL_DTTS),
            _rate(i1, "total", 5, 20, URBAN_KINH),
            Entry(i2.pk, "total", value=D(4321)),
            Entry(i2.pk, "total", value=D(1234), combo="ethnicity=dtts"),
            Entry(i2.pk, "total", value=D(3087), combo="ethnicity=kinh"),
        ],
        accept=True,
    )
    _send(
        w,
        by_agency[w.b_office.pk],
        [
            _rate(i1, "total", 7770, 10000),
            _rate(i1, "female", 3885, 5000),
            _rate(i1, "male", 3885, 5000),
            _rate(i1, "total", 5551, 9992, RURAL_DTTS),
        ],
        accept=False,
    )
    indicator_publish(indicator=i1, user=w.admin)
    return w


def _csv_rows(client: Client, w: Any) -> tuple[list[str], list[dict[str, str]]]:
    response = client.get(f"/du-lieu-mo/chi-tieu/{w.i1.pk}.csv")
    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _key(row: dict[str, Any]) -> tuple[str, str, str, str, str, str, str]:
    return (
        row["age_group"],
        row["ethnicity"],
        row["area"],
        row["sex"],
        str(row["figure"]),
        str(row["numerator"]),
        str(row["denominator"]),
    )


# What commune A entered, as (age_group, ethnicity, area, sex, figure, numerator, denominator); figure = n/d × 100.
EXPECTED = {
    ("", "", "", "total", "45", "90", "200"),
    ("", "", "", "female", "45", "45", "100"),
    ("", "", "", "male", "45", "45", "100"),
    ("15+", "dtts", "rural", "total", "50", "30", "60"),
    ("15+", "dtts", "rural", "female", "50", "12", "24"),
    ("15+", "dtts", "rural", "male", "50", "18", "36"),
    ("0-14", "kinh", "urban", "total", "25", "5", "20"),
}


def test_csv_carries_totals_and_accepted_groups_with_the_new_columns_at_the_end(groups: Any) -> None:
    header, rows = _csv_rows(Client(), groups)
    assert header == OLD_COLUMNS + NEW_COLUMNS
    assert {_key(r) for r in rows} == EXPECTED
    assert len(rows) == len(EXPECTED)  # one row each: nothing summed twice, nothing from commune B
    assert {r["unit_name"] for r in rows} == {groups.commune_a.name}
    labels = {(r["age_group"], r["ethnicity"], r["area"]): r["group_label"] for r in rows}
    assert labels[("", "", "")] == ""
    assert labels[("15+", "dtts", "rural")] == "15 tuổi trở lên, dân tộc thiểu số, nông thôn"
    assert labels[("0-14", "kinh", "urban")] == "dưới 15 tuổi, dân tộc Kinh, thành thị"


def test_filtering_on_empty_group_columns_gives_exactly_the_totals(groups: Any) -> None:
    """The rule the data dictionary states: rows whose three group columns are empty are the totals."""
    _header, rows = _csv_rows(Client(), groups)
    totals = [r for r in rows if not (r["age_group"] or r["ethnicity"] or r["area"])]
    assert {(r["sex"], r["numerator"], r["denominator"]) for r in totals} == {
        ("total", "90", "200"),
        ("female", "45", "100"),
        ("male", "45", "100"),
    }
    # Within the unit and period the totals come first, so a reader stopping at the first group misses nothing.
    assert [bool(r["age_group"]) for r in rows] == sorted(bool(r["age_group"]) for r in rows)


def test_json_records_and_dictionary_name_the_groups(groups: Any) -> None:
    client = Client()
    payload = json.loads(client.get(f"/du-lieu-mo/chi-tieu/{groups.i1.pk}.json").content)
    assert [f["name"] for f in payload["fields"]] == OLD_COLUMNS + NEW_COLUMNS
    assert {_key(r) for r in payload["records"]} == EXPECTED
    entry = payload["indicator"]
    assert entry["age_groups"] == ["0-14", "15+"]
    # 2 age groups × 2 ethnicities × 2 areas, each once, with its columns.
    assert len(entry["groups"]) == 8
    assert len({g["combo"] for g in entry["groups"]}) == 8
    rural = next(g for g in entry["groups"] if g["combo"] == RURAL_DTTS)
    assert (rural["age_group"], rural["ethnicity"], rural["area"]) == ("15+", "dtts", "rural")
    dictionary = json.loads(client.get("/du-lieu-mo/tu-dien.json").content)
    assert [f["name"] for f in dictionary["fields"]][-4:] == NEW_COLUMNS
    page = client.get("/du-lieu-mo/tu-dien/").content.decode()
    assert 'id="totals-rule"' in page and RURAL_DTTS in page
    english = Client()
    english.cookies["django_language"] = "en"  # the language switch's choice
    described = {
        f["name"]: f["description"] for f in json.loads(english.get("/du-lieu-mo/tu-dien.json").content)["fields"]
    }
    assert described["area"] == "Area: urban, rural; empty: both"
    assert "do not add the groups' rows" in english.get("/du-lieu-mo/tu-dien/").content.decode()


def test_nothing_unaccepted_or_unpublished_leaks(groups: Any) -> None:
    client = Client()
    for suffix in ("/", ".csv", ".json"):
        text = client.get(f"/du-lieu-mo/chi-tieu/{groups.i1.pk}{suffix}").content.decode()
        for figure in HIDDEN:
            assert figure not in text, (suffix, figure)
        assert client.get(f"/du-lieu-mo/chi-tieu/{groups.i2.pk}{suffix}").status_code == 404
    for url in ("/du-lieu-mo/", "/du-lieu-mo/tu-dien/", "/du-lieu-mo/tu-dien.json"):
        text = client.get(url).content.decode()
        assert all(figure not in text for figure in HIDDEN), url


def test_page_and_publishing_counts_stay_on_the_totals(groups: Any) -> None:
    page = Client().get(f"/du-lieu-mo/chi-tieu/{groups.i1.pk}/").content.decode()
    assert "(90/200)" in page  # the total's cell
    assert "(30/60)" not in page and "(12/24)" not in page and "(5/20)" not in page  # no group in the table
    assert 'id="opendata-groups"' in page  # it says where the groups are
    counts = {indicator.pk: accepted for indicator, _pub, accepted in publishable_indicators(groups.plan)}
    assert counts[groups.i1.pk] == 3  # total, female, male of commune A; not the four group rows
    assert counts[groups.i2.pk] == 1
