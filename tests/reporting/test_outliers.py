"""A figure far from the unit's own history is flagged for a second look, never refused (issue 14): DHIS2's
modified z-score over the unit's accepted figures of earlier periods of the same kind (reporting/outliers.py)."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from binhdang.reporting import services
from binhdang.reporting.checks import Entry
from binhdang.reporting.csv_import import csv_import
from binhdang.reporting.errors import FLAG
from binhdang.reporting.models import Period, Report, ReportStatus, Value
from binhdang.reporting.outliers import outlier, outlier_message
from binhdang.reporting.selectors import accepted_history

D = Decimal
HISTORY = [D(40), D(45), D(52)]  # median 45; MAD 5 (deviations 5, 0, 7)


# --- the statistic ---------------------------------------------------------------------------------------------


def _independent(figure: Decimal, history: list[Decimal]) -> bool:
    """The modified z-score rule computed here with the standard library, not with the module under test."""
    center = statistics.median(history)
    mad = statistics.median([abs(x - center) for x in history])
    return abs(figure - center) / (D("1.4826") * mad) > 3


@pytest.mark.parametrize(
    "history",
    [
        [D(40), D(45), D(52)],
        [D(12), D(15), D(14), D(30), D(13)],
        [D("48.5"), D("50.25"), D("47"), D("52.75")],  # an even count: the median is the mean of the middle two
        [D(1000), D(1040), D(990), D(1200), D(1010), D(1005)],
    ],
)
def test_flag_follows_the_modified_z_score(history: list[Decimal]) -> None:
    center = statistics.median(history)
    band = 3 * D("1.4826") * statistics.median([abs(x - center) for x in history])
    candidates = [center, center + band - D("0.01"), center - band + D("0.01"), center + band + D("0.01")]
    candidates += [center - band - D("0.01"), center * 3, center / 4, max(history), min(history)]
    flags = [outlier(x, history) is not None for x in candidates]
    assert flags == [_independent(x, history) for x in candidates]
    assert True in flags and False in flags  # the band is crossed in both directions, not just always/never
    found = outlier(center * 3, history)
    assert found is not None
    assert (found.median, found.low, found.high) == (center, min(history), max(history))


def test_exactly_on_the_threshold_is_not_flagged() -> None:
    band = 3 * D("1.4826") * 5
    assert outlier(D(45) + band, HISTORY) is None
    assert outlier(D(45) + band + D("0.0001"), HISTORY) is not None


def test_too_little_history_gives_no_flag() -> None:
    assert outlier(D(450), []) is None
    assert outlier(D(450), [D(45)]) is None
    assert outlier(D(450), [D(40), D(45)]) is None
    assert outlier(D(450), HISTORY) is not None


def test_mad_zero_flags_only_a_clear_difference() -> None:
    # MAD is 0 when at least half of the past figures are equal: then more than half the median, and more than
    # 10 in the figure's unit, away.
    flat = [D(200), D(200), D(200), D(260)]
    assert statistics.median([abs(x - 200) for x in flat]) == 0
    assert outlier(D(299), flat) is None
    assert outlier(D(301), flat) is not None
    assert outlier(D(99), flat) is not None
    assert outlier(D(101), flat) is None
    # Small numbers: 2 cases three times, then 4 or 12, is not a second look; 13 is.
    small = [D(2), D(2), D(2)]
    assert outlier(D(4), small) is None and outlier(D(12), small) is None
    assert outlier(D(13), small) is not None
    zero = [D(0), D(0), D(0)]
    assert outlier(D(10), zero) is None and outlier(D(11), zero) is not None
    found = outlier(D(13), small)
    assert found is not None and found.score is None and found.mad == 0


def test_message_names_the_figure_the_usual_value_and_the_range_in_vietnamese() -> None:
    found = outlier(D(450), HISTORY)
    assert found is not None
    assert outlier_message("count", found) == (
        "Giá trị 450 khác xa số liệu các kỳ trước của đơn vị (trung vị 45; từ 40 đến 52). Vui lòng kiểm tra lại."
    )
    large = outlier(D("45.5"), [D(1000), D(1040), D("1100.25")])
    assert large is not None
    assert outlier_message("percentage", large) == (
        "Tỷ lệ 45,5 khác xa số liệu các kỳ trước của đơn vị (trung vị 1.040; từ 1.000 đến 1.100,25). "
        "Vui lòng kiểm tra lại."
    )


# --- the history of a unit ------------------------------------------------------------------------------------


def make_semiannual(cycle: SimpleNamespace, years: list[int], kind: str = "semiannual") -> list[Period]:
    """Earlier periods of the plan (the cycle plan covers 2026 only); their reports as the regime would make."""
    periods = []
    for year in years:
        due = dt.date(year, 6, 9) if kind == "semiannual" else dt.date(year, 11, 9)
        period = Period.objects.create(
            plan=cycle.plan,
            kind=kind,
            year=year,
            number=1,
            label=f"{kind} {year}",
            data_from=dt.date(year - 1, 12, 15),
            data_to=due - dt.timedelta(days=2),
            due=due,
        )
        services.reports_generate(period=period)
        periods.append(period)
    return periods


def entries(cycle: SimpleNamespace, count: Decimal | None, note: str = "") -> list[Entry]:
    """A full report: the wage share (45 %, by sex) and the count of cases."""
    return [
        Entry(cycle.i1.pk, "total", numerator=D(90), denominator=D(200)),
        Entry(cycle.i1.pk, "female", numerator=D(40), denominator=D(100)),
        Entry(cycle.i1.pk, "male", numerator=D(50), denominator=D(100)),
        Entry(cycle.i2.pk, "total", value=count, note=note),
    ]


def send(cycle: SimpleNamespace, period: Period, reporter: Any, user: Any, count: Decimal, *, accept: bool) -> Report:
    report = Report.objects.get(period=period, reporter=reporter)
    # The history carries a note so that a jump between past periods never stops its own submission.
    report = services.report_save(
        report=report, user=user, version=report.version, entries=entries(cycle, count, "Theo Công an xã")
    )
    report = services.report_submit(report=report, user=user, version=report.version)
    if accept:
        report = services.report_accept(report=report, user=cycle.province_user, version=report.version)
    return report


@pytest.fixture
def current(cycle: SimpleNamespace) -> SimpleNamespace:
    """The 2026 6-month reports of both communes, to be judged against what came before."""
    for period in services.periods_generate(plan=cycle.plan):
        services.reports_generate(period=period)
    semi = Period.objects.get(plan=cycle.plan, kind="semiannual", year=2026)
    return SimpleNamespace(
        a=Report.objects.get(period=semi, reporter=cycle.a_office),
        b=Report.objects.get(period=semi, reporter=cycle.b_office),
        **vars(cycle),
    )


def count_flags(report: Report, cycle: SimpleNamespace, count: Decimal, note: str = "") -> list[str]:
    issues = services.check_report_entries(report, entries(cycle, count, note))
    return [i.message for i in issues if i.level == FLAG and i.where == f"indicator:{cycle.i2.pk}:total:value"]


def history_of_a(current: SimpleNamespace, counts: list[int]) -> list[Report]:
    periods = make_semiannual(current, [2022, 2023, 2024, 2025][-len(counts) :])
    return [
        send(current, period, current.a_office, current.commune_user, D(n), accept=True)
        for period, n in zip(periods, counts, strict=True)
    ]


@pytest.mark.django_db
def test_a_figure_far_from_the_units_history_is_flagged(current: SimpleNamespace) -> None:
    history_of_a(current, [40, 52, 45])
    assert count_flags(current.a, current, D(48)) == []
    assert count_flags(current.a, current, D(450)) == [
        "Giá trị 450 khác xa số liệu các kỳ trước của đơn vị (trung vị 45; từ 40 đến 52). Vui lòng kiểm tra lại."
    ]
    # The percentage, stable at 45 % in every period, is not flagged.
    flagged = [i.where for i in services.check_report_entries(current.a, entries(current, D(48))) if i.level == FLAG]
    assert flagged == []


@pytest.mark.django_db
def test_a_note_answers_the_second_look(current: SimpleNamespace) -> None:
    history_of_a(current, [40, 52, 45])
    assert count_flags(current.a, current, D(450), note="Năm nay mở rộng địa bàn khảo sát") == []


@pytest.mark.django_db
def test_two_accepted_periods_are_too_little_history(current: SimpleNamespace) -> None:
    history_of_a(current, [40, 45])
    assert count_flags(current.a, current, D(450)) == []


@pytest.mark.django_db
def test_only_accepted_figures_count(current: SimpleNamespace) -> None:
    periods = make_semiannual(current, [2023, 2024, 2025])
    send(current, periods[0], current.a_office, current.commune_user, D(40), accept=True)
    send(current, periods[1], current.a_office, current.commune_user, D(45), accept=True)
    waiting = send(current, periods[2], current.a_office, current.commune_user, D(52), accept=False)
    assert waiting.status == ReportStatus.SUBMITTED
    assert count_flags(current.a, current, D(450)) == []  # two accepted figures: too little to judge
    services.report_accept(report=waiting, user=current.province_user, version=waiting.version)
    assert len(count_flags(current.a, current, D(450))) == 1


@pytest.mark.django_db
def test_another_units_history_is_ignored(current: SimpleNamespace) -> None:
    for period, n in zip(make_semiannual(current, [2023, 2024, 2025]), [40, 45, 52], strict=True):
        send(current, period, current.b_office, current.other_commune_user, D(n), accept=True)
    assert count_flags(current.a, current, D(450)) == []  # commune A has no history of its own
    assert len(count_flags(current.b, current, D(450))) == 1  # commune B's own history does flag it


@pytest.mark.django_db
def test_six_month_figures_are_not_judged_by_annual_ones(current: SimpleNamespace) -> None:
    history_of_a(current, [40, 52, 45])
    for period, n in zip(make_semiannual(current, [2023, 2024, 2025], kind="annual"), [100, 110, 120], strict=True):
        send(current, period, current.a_office, current.commune_user, D(n), accept=True)
    # Against 6-month figures alone 100 is far; mixed with the annual ones (median 76) it would not be.
    assert len(count_flags(current.a, current, D(100))) == 1
    annual = Report.objects.get(
        period__plan=current.plan, period__kind="annual", period__year=2026, reporter=current.a_office
    )
    assert count_flags(annual, current, D(115)) == []
    assert len(count_flags(annual, current, D(45))) == 1


@pytest.mark.django_db
def test_history_of_a_whole_report_is_one_query(current: SimpleNamespace) -> None:
    history_of_a(current, [40, 52, 45])
    report = Report.objects.select_related("period").get(pk=current.a.pk)  # as the form and the services hold it
    with CaptureQueriesContext(connection) as queries:
        history = accepted_history(report, [current.i1.pk, current.i2.pk])
    assert len(queries) == 1
    assert [e.value for e in history[(current.i2.pk, "total")]] == [D(40), D(52), D(45)]
    assert len(history[(current.i1.pk, "female")]) == 3


@pytest.mark.django_db
def test_the_flag_does_not_block_submission(current: SimpleNamespace) -> None:
    history_of_a(current, [40, 45, 52])
    # 150 is under three times the last figure (52), so the previous-period warning does not ask for a note;
    # against the unit's history it is far (modified z-score 14).
    assert len(count_flags(current.a, current, D(150))) == 1
    report = services.report_save(
        report=current.a, user=current.commune_user, version=current.a.version, entries=entries(current, D(150))
    )
    assert services.report_problems(report) == []
    assert [i.level for i in services.report_problems(report, flags=True)] == [FLAG]
    report = services.report_submit(report=report, user=current.commune_user, version=report.version)
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.django_db
def test_an_import_lists_the_flag_as_a_warning_and_saves(current: SimpleNamespace) -> None:
    history_of_a(current, [40, 45, 52])
    a, i1, i2 = current.a.pk, current.i1.pk, current.i2.pk
    data = (
        "report_id,indicator_id,sex,value,numerator,denominator,source,note\n"
        f"{a},{i1},total,,90,200,,\n{a},{i1},female,,40,100,,\n{a},{i1},male,,50,100,,\n{a},{i2},total,150,,,,\n"
    ).encode()
    result = csv_import(user=current.commune_user, data=data, report=current.a)
    assert result.ok, [str(e) for e in result.errors]
    assert [w.message for w in result.warnings] == [
        "Giá trị 150 khác xa số liệu các kỳ trước của đơn vị (trung vị 45; từ 40 đến 52). Vui lòng kiểm tra lại."
    ]
    assert "far from the unit's figures in earlier periods" in result.warnings[0].english()
    assert result.warnings[0].row == 5  # the CSV line of the count
    assert Value.objects.get(report=current.a, indicator=current.i2, sex="total").value == 150
