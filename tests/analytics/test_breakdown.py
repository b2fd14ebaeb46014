"""Dashboards by disaggregation (issue 16): a group's figure is the sum of the full combinations that hold it, rolled
up from the communes' accepted values; the unit dashboard shows it as charts and tables (?by=), the CSV with
machine-readable category columns; pages without combinations or without ?by= are as they were."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from binhdang.analytics import charts
from binhdang.analytics.breakdown import indicator_breakdown, margin_figures
from binhdang.analytics.rollup import Rollup
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Value
from tests.reporting.test_disaggregation import AGES, _accept, world16  # noqa: F401 - world16 is a fixture

pytestmark = pytest.mark.django_db
D = Decimal
ETHS = ("kinh", "dtts")
COMBOS = [f"age={a};ethnicity={e}" for a in AGES for e in ETHS]

# I1 (a percentage, by sex × age × ethnicity): per commune, per full combination, (numerator, denominator) of
# women and of men. The totals are entered as the sums, as a commune would.
I1 = {
    "a": {
        "age=0-14;ethnicity=kinh": {"female": (3, 10), "male": (2, 12)},
        "age=0-14;ethnicity=dtts": {"female": (1, 6), "male": (4, 9)},
        "age=15+;ethnicity=kinh": {"female": (7, 20), "male": (5, 25)},
        "age=15+;ethnicity=dtts": {"female": (2, 5), "male": (1, 8)},
    },
    "b": {
        "age=0-14;ethnicity=kinh": {"female": (6, 15), "male": (3, 11)},
        "age=0-14;ethnicity=dtts": {"female": (5, 7), "male": (2, 13)},
        "age=15+;ethnicity=kinh": {"female": (9, 30), "male": (8, 16)},
        "age=15+;ethnicity=dtts": {"female": (4, 4), "male": (3, 10)},
    },
}
# I2 (a count, by ethnicity only, no sex): per commune, per ethnicity.
I2 = {"a": {"kinh": 7, "dtts": 4}, "b": {"kinh": 5, "dtts": 9}}


def _entries(w: Any, commune: str) -> list[Entry]:
    entries = []
    sums: dict[str, list[int]] = {"female": [0, 0], "male": [0, 0]}
    for combo, sexes in I1[commune].items():
        for sex, (num, den) in sexes.items():
            entries.append(Entry(w.i1.pk, sex, numerator=D(num), denominator=D(den), combo=combo))
            sums[sex][0] += num
            sums[sex][1] += den
        total = (sexes["female"][0] + sexes["male"][0], sexes["female"][1] + sexes["male"][1])
        entries.append(Entry(w.i1.pk, "total", numerator=D(total[0]), denominator=D(total[1]), combo=combo))
    for sex, (num, den) in sums.items():
        entries.append(Entry(w.i1.pk, sex, numerator=D(num), denominator=D(den)))
    all_num, all_den = sums["female"][0] + sums["male"][0], sums["female"][1] + sums["male"][1]
    entries.append(Entry(w.i1.pk, "total", numerator=D(all_num), denominator=D(all_den)))
    for eth, count in I2[commune].items():
        entries.append(Entry(w.i2.pk, "total", value=D(count), combo=f"ethnicity={eth}"))
    entries.append(Entry(w.i2.pk, "total", value=D(sum(I2[commune].values()))))
    return entries


@pytest.fixture
def accepted(world16: Any) -> Any:  # noqa: F811 - the fixture imported above
    w = world16
    w.i1.refresh_from_db()  # world16 declared the categories with an update()
    w.i2.refresh_from_db()
    _accept(w, w.a, _entries(w, "a"))
    _accept(w, w.b, _entries(w, "b"))
    assert Value.objects.filter(report__status="accepted").exclude(combo="").exists()
    return w


def _expected(communes: list[str], sex: str, keep: Any) -> tuple[Decimal, Decimal]:
    """Summed numerator and denominator of the full combinations ``keep`` accepts, over ``communes``."""
    num = sum(I1[c][combo][sex][0] for c in communes for combo in COMBOS if keep(combo))
    den = sum(I1[c][combo][sex][1] for c in communes for combo in COMBOS if keep(combo))
    return D(num), D(den)


# The selector --------------------------------------------------------------------------------------------------


def test_a_provinces_group_figures_are_built_from_its_communes_full_combinations(accepted: Any) -> None:
    w = accepted
    by_age = margin_figures(w.plan, w.i1, w.province.pk, 0, "age")
    by_ethnicity = margin_figures(w.plan, w.i1, w.province.pk, 0, "ethnicity")
    for sex in ("female", "male"):
        for age in AGES:
            num, den = _expected(["a", "b"], sex, lambda combo, age=age: combo.startswith(f"age={age};"))
            fig = by_age[(age, sex, w.period.pk)]
            assert (fig.numerator, fig.denominator, fig.reports) == (num, den, 4)  # 2 communes × 2 ethnicities
            assert fig.figure == num / den * 100
        for eth in ETHS:
            num, den = _expected(["a", "b"], sex, lambda combo, eth=eth: combo.endswith(f"ethnicity={eth}"))
            fig = by_ethnicity[(eth, sex, w.period.pk)]
            assert (fig.numerator, fig.denominator) == (num, den)
    # The groups' totals: the total rows of the combinations, which hold female + male.
    num_f, den_f = _expected(["a", "b"], "female", lambda combo: combo.endswith("dtts"))
    num_m, den_m = _expected(["a", "b"], "male", lambda combo: combo.endswith("dtts"))
    total = by_ethnicity[("dtts", "total", w.period.pk)]
    assert (total.numerator, total.denominator) == (num_f + num_m, den_f + den_m)
    # No area was declared: nothing to break down by.
    assert margin_figures(w.plan, w.i1, w.province.pk, 0, "area") == {}


def test_a_commune_shows_its_own_values_and_not_its_neighbours(accepted: Any) -> None:
    w = accepted
    figures = margin_figures(w.plan, w.i1, w.commune_a.pk, 2, "age")
    num, den = _expected(["a"], "female", lambda combo: combo.startswith("age=0-14;"))
    fig = figures[("0-14", "female", w.period.pk)]
    assert (fig.numerator, fig.denominator, fig.reports) == (num, den, 2)


def test_a_margin_of_a_single_category_indicator_is_the_stored_combination(accepted: Any) -> None:
    w = accepted
    figures = margin_figures(w.plan, w.i2, w.province.pk, 0, "ethnicity")
    for eth in ETHS:
        expected = D(I2["a"][eth] + I2["b"][eth])
        assert figures[(eth, "total", w.period.pk)].figure == expected
        stored = Rollup(w.plan, combo=f"ethnicity={eth}").figures(w.province.pk, 0)
        assert stored[(w.i2.pk, "total", w.period.pk)].figure == expected


def test_the_breakdown_puts_the_whole_beside_the_groups_in_the_latest_period_with_groups(accepted: Any) -> None:
    w = accepted
    rollup = Rollup(w.plan)
    totals = rollup.figures(w.province.pk, 0)
    breakdown = indicator_breakdown(w.plan, w.i1, w.province.pk, 0, "ethnicity", rollup.periods, totals)
    assert breakdown.period == w.period
    assert [g.member for g in breakdown.groups] == list(ETHS)
    assert breakdown.sexes == ["total", "female", "male"]
    num, den = _expected(["a", "b"], "female", lambda combo: True)
    whole = breakdown.whole.figures["female"]
    assert whole is not None and (whole.numerator, whole.denominator) == (num, den)
    dtts = breakdown.groups[1]
    f_num, f_den = _expected(["a", "b"], "female", lambda combo: combo.endswith("dtts"))
    m_num, m_den = _expected(["a", "b"], "male", lambda combo: combo.endswith("dtts"))
    assert dtts.gap == f_num / f_den * 100 - m_num / m_den * 100


def test_the_gap_chart_draws_negative_gaps_left_of_zero_and_keeps_values_inside() -> None:
    chart = charts.gap_chart([("a", D(10)), ("b", D(-5)), ("c", None)], width=640, label_width=220)
    right, left, missing = chart.rows
    assert right.x == chart.zero and right.width > 0 and right.css == "female" and right.anchor == "start"
    assert left.x + left.width == pytest.approx(chart.zero) and left.width == pytest.approx(right.width / 2, abs=0.1)
    assert left.css == "male" and left.anchor == "end"
    assert missing.width == 0 and missing.text == "—"
    # The longest bar's value stays inside the chart, and a bar to the left never reaches the labels.
    assert right.text_x + 40 <= chart.width
    widest_left = charts.gap_chart([("x", D(-10)), ("y", D(1))], width=640, label_width=220).rows[0]
    assert widest_left.text_x - 40 >= 220


# The pages -----------------------------------------------------------------------------------------------------


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(w: Any, unit: Any) -> str:
    return f"/theo-doi/dia-ban/{unit.pk}/"


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _vn(value: Decimal) -> str:
    return charts.fmt(value)


def test_the_unit_page_shows_bars_gap_and_table_by_age(accepted: Any) -> None:
    w = accepted
    page = _client(w.province_user).get(_url(w, w.province), {"plan": w.plan.pk, "indicator": w.i1.pk, "by": "age"})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<select id="by" name="by">' in html and '<option value="age" selected>' in html
    assert html.count('class="chart gaps"') == 1
    num, den = _expected(["a", "b"], "female", lambda combo: combo.startswith("age=15+;"))
    assert f"<td>15 tuổi trở lên</td><td>Nữ</td><td>{_vn(num / den * 100)}</td><td>{_vn(num)}</td>" in html
    assert "<td>dưới 15 tuổi</td><td>Nam</td>" in html
    assert "dtts-toan-bo" not in html  # ethnic minorities vs the whole is for by=ethnicity


def test_the_csv_gives_the_same_figures_with_category_codes(accepted: Any) -> None:
    w = accepted
    query = {"plan": w.plan.pk, "indicator": w.i1.pk, "by": "age", "format": "csv", "table": "phan-to"}
    rows = _csv(_client(w.province_user).get(_url(w, w.province), query))
    assert len(rows) == (len(AGES) + 1) * 3  # each group and the whole, three sexes
    found = {(r["group"], r["sex"]): r for r in rows}
    for age in AGES:
        for sex in ("female", "male"):
            num, den = _expected(["a", "b"], sex, lambda combo, age=age: combo.startswith(f"age={age};"))
            row = found[(age, sex)]
            assert (row["category"], row["combo"]) == ("age", f"age={age}")
            assert (row["Tử số"], row["Mẫu số"], row["Giá trị"]) == (_vn(num), _vn(den), _vn(num / den * 100))
            assert row["period_from"] == w.period.data_from.isoformat()
    assert found[("", "total")]["Nhóm"] == "Toàn bộ"
    gaps = _csv(_client(w.province_user).get(_url(w, w.province), {**query, "table": "chenh-lech"}))
    assert [g["group"] for g in gaps] == [*AGES, ""]


def test_ethnic_minorities_beside_the_whole(accepted: Any) -> None:
    w = accepted
    client = _client(w.province_user)
    query = {"plan": w.plan.pk, "indicator": w.i2.pk, "by": "ethnicity"}
    html = client.get(_url(w, w.province), query).content.decode()
    assert 'id="dtts-toan-bo"' in html and 'class="bar dtts"' in html and 'class="bar whole"' in html
    assert 'class="chart gaps"' not in html  # I2 is not reported by sex: no female-male gap
    rows = _csv(client.get(_url(w, w.province), {**query, "format": "csv", "table": "dtts-toan-bo"}))
    dtts = I2["a"]["dtts"] + I2["b"]["dtts"]
    whole = sum(I2["a"].values()) + sum(I2["b"].values())
    assert [(r["sex"], r["Dân tộc thiểu số"], r["Toàn bộ"]) for r in rows] == [("total", _vn(D(dtts)), _vn(D(whole)))]


def test_a_category_the_indicator_does_not_declare_says_so(accepted: Any) -> None:
    w = accepted
    query = {"plan": w.plan.pk, "indicator": w.i2.pk, "by": "age"}  # I2 is by ethnicity only
    html = _client(w.province_user).get(_url(w, w.province), query).content.decode()
    assert "không được báo cáo theo nhóm tuổi" in html
    assert 'id="phan-to-gioi-tinh"' not in html
    response = _client(w.province_user).get(_url(w, w.province), {**query, "format": "csv", "table": "phan-to"})
    assert response.status_code == 404


def _main(html: str) -> str:
    """The page's <main> (the header echoes the address, ?by= included, for the language switch)."""
    found = re.search(r"<main.*?</main>", html, re.S)
    assert found is not None
    return found.group(0)


def test_a_plan_without_combinations_renders_as_before(cycle: Any) -> None:
    """No indicator declares a category: no chooser, and ?by= changes nothing on the page."""
    client = _client(cycle.province_user)
    url = f"/theo-doi/dia-ban/{cycle.province.pk}/"
    plain = client.get(url, {"plan": cycle.plan.pk}).content.decode()
    chosen = client.get(url, {"plan": cycle.plan.pk, "by": "ethnicity"}).content.decode()
    assert 'id="phan-to"' not in plain
    assert _main(chosen) == _main(plain)


def test_without_by_only_the_chooser_is_added(accepted: Any) -> None:
    w = accepted
    html = _client(w.province_user).get(_url(w, w.province), {"plan": w.plan.pk}).content.decode()
    assert 'id="phan-to"' in html and '<option value="" selected>' in html
    assert 'id="phan-to-gioi-tinh"' not in html and "chenh-lech" not in html
    # A commune's page (no ranking, no indicator chooser above) has it too.
    html = _client(w.commune_user).get(_url(w, w.commune_a), {"plan": w.plan.pk, "by": "age"}).content.decode()
    assert 'id="by-indicator"' in html and 'id="phan-to-gioi-tinh"' in html


def test_the_breakdown_reads_in_english(accepted: Any) -> None:
    from django.conf import settings

    w = accepted
    client = _client(w.province_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    query = {"plan": w.plan.pk, "indicator": w.i2.pk, "by": "ethnicity"}
    html = client.get(_url(w, w.province), query).content.decode()
    assert "By group: age, ethnicity, area" in html
    assert "Ethnic minorities compared with the whole" in html
    assert '<th scope="col">Group</th><th scope="col">Sex</th>' in html
    assert "Dân tộc thiểu số so với toàn bộ" not in html
