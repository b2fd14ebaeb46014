"""What the dashboards show, as plain data: indicator lines, charts and the tables behind them.

Every chart has a `Table` with the same figures, shown under it and downloadable as CSV (?format=csv&table=…).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binhdang.lib.numbers import format_vn_number
from binhdang.places.models import AdministrativeUnit
from binhdang.plans.models import Indicator, Plan
from binhdang.plans.numbering import label_indicators
from binhdang.plans.targets import indicator_spec
from binhdang.reporting.models import Period, Report, Sex

from . import charts
from .drilldown import DrillRow, historic_figures
from .progress import (
    COMPARATOR_SIGNS,
    STATUS_LABELS,
    Assessment,
    IndicatorSpec,
    Status,
    against_final_target,
    assess,
    rounding_decides,
    target_for_year,
    with_data_baseline,
)
from .rollup import LEVEL_RANK, Figure, Rollup, home_of

SEX_LABELS = {Sex.TOTAL.value: _("Tổng"), Sex.FEMALE.value: _("Nữ"), Sex.MALE.value: _("Nam")}
STATE_LABELS = {
    "accepted": _("Đã chấp nhận"),
    "on_time": _("Đã gửi đúng hạn"),
    "late": _("Đã gửi muộn"),
    "missing": _("Chưa gửi (quá hạn)"),
    "pending": _("Chưa gửi (còn hạn)"),
    "none": _("Không phải báo cáo"),
}


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    # Columns only the CSV carries, for programs (category and sex codes): one list per row of ``rows``.
    machine_headers: list[str] = field(default_factory=list)
    machine_rows: list[list[str]] = field(default_factory=list)


_SHORT_KINDS = {
    "semiannual": "6T/{year}",
    "ninemonth": "9T/{year}",
    "annual": "Năm {year}",
    "quarterly": "Q{number}/{year}",
    "monthly": "T{number}/{year}",
    "midterm": "Sơ kết {year}",
    "final": "Tổng kết {year}",
}


def period_short_label(period: Period) -> str:
    """A period's name short enough for a chart axis: "6T/2023", "Năm 2023", "Q2/2024" (the full name is in
    the tooltip and the table under the chart)."""
    pattern = _SHORT_KINDS.get(period.kind)
    if pattern is None:
        return f"{period.number}/{period.year}"
    return pattern.format(year=period.year, number=period.number)


def indicator_label(indicator: Indicator) -> str:
    number = f"{indicator.label}. " if indicator.label else ""
    return f"{number}{indicator.text}"


@dataclass
class IndicatorLine:
    indicator: Indicator
    label: str
    period: Period | None
    figure: Figure | None
    assessment: Assessment
    sexes: dict[str, Figure | None]
    series: list[Decimal | None]
    path: list[Decimal | None]
    sparkline: charts.Sparkline
    trend: charts.Trend
    trend_table: Table
    year: int
    # How the verdict was reached when the plan prints no baseline (issue 14); empty otherwise.
    basis: str = ""

    @property
    def status(self) -> str:
        return self.assessment.status.value

    @property
    def target_text(self) -> str:
        target = self.assessment.target
        if target is None:
            return "—"
        text = f"{COMPARATOR_SIGNS[target.comparator]} {charts.fmt(target.value)}"
        return text if target.stated else f"{text} ({gettext('lộ trình')})"

    @property
    def value_text(self) -> str:
        figure = self.figure.figure if self.figure else None
        if figure is not None and rounding_decides(figure, self.assessment.target):
            # Rounded, the figure would read as meeting (or missing) the target it does not: show it whole.
            return format_vn_number(figure)
        return charts.fmt(figure)

    @property
    def fraction_text(self) -> str:
        if self.figure is None or self.figure.denominator is None:
            return ""
        return f"{charts.fmt(self.figure.numerator)}/{charts.fmt(self.figure.denominator)}"

    @property
    def notes(self) -> list[str]:
        notes = ([self.basis] if self.basis else []) + list(self.assessment.missing)
        if self.figure is not None and self.figure.problem and self.figure.problem not in notes:
            notes.append(self.figure.problem)
        return notes


def _year(plan: Plan, today: dt.date) -> int:
    return min(max(today.year, plan.year_start), plan.year_end)


def indicator_lines(
    rollup: Rollup,
    unit_id: int,
    rank: int,
    today: dt.date,
    figures: dict[tuple[int, str, int], Figure] | None = None,
) -> list[IndicatorLine]:
    """The unit's lines; ``figures`` when they do not come from the roll-up (a unit no longer in force)."""
    plan = rollup.plan
    if figures is None:
        figures = rollup.figures(unit_id, rank)
    labels = [p.label for p in rollup.periods]
    lines = []
    ordered = sorted(rollup.indicators.values(), key=lambda i: i.order)
    label_indicators(ordered)
    for indicator in ordered:
        spec = indicator_spec(indicator, plan.year_end)
        per_period = [figures.get((indicator.pk, Sex.TOTAL, p.pk)) for p in rollup.periods]
        latest_index = max((i for i, f in enumerate(per_period) if f is not None), default=None)
        period = rollup.periods[latest_index] if latest_index is not None else None
        figure = per_period[latest_index] if latest_index is not None else None
        year = period.year if period is not None else _year(plan, today)
        assessment = assess(spec, year, figure.figure if figure else None, figure.problem if figure else "")
        basis = ""
        if figure is not None and figure.figure is not None and assessment.status == Status.NOT_ASSESSED:
            spec, assessment, basis = _verdict_without_baseline(spec, rollup.periods, per_period, year, figure.figure)
            if not basis:
                assessment = assess(spec, year, figure.figure, figure.problem)
        series = [f.figure if f is not None else None for f in per_period]
        path = []
        for p in rollup.periods:
            target, _problems = target_for_year(spec, p.year)
            path.append(target.value if target is not None else None)
        sexes = (
            {s.value: figures.get((indicator.pk, s.value, period.pk)) for s in (Sex.FEMALE, Sex.MALE)}
            if period is not None and "sex" in (indicator.disaggregations or [])
            else {}
        )
        trend_table = Table(
            f"xu-huong-{indicator.pk}",
            gettext("Xu hướng: %(indicator)s") % {"indicator": indicator_label(indicator)},
            [
                gettext("Kỳ báo cáo"),
                gettext("Năm"),
                gettext("Giá trị"),
                gettext("Tử số"),
                gettext("Mẫu số"),
                gettext("Chỉ tiêu (lộ trình)"),
            ],
            [
                [
                    p.label,
                    str(p.year),
                    charts.fmt(f.figure if f else None),
                    charts.fmt(f.numerator if f else None),
                    charts.fmt(f.denominator if f else None),
                    charts.fmt(t),
                ]
                for p, f, t in zip(rollup.periods, per_period, path, strict=True)
            ],
        )
        lines.append(
            IndicatorLine(
                indicator=indicator,
                label=indicator_label(indicator),
                period=period,
                figure=figure,
                assessment=assessment,
                sexes=sexes,
                series=series,
                path=path,
                sparkline=charts.sparkline(series),
                trend=charts.trend(labels, series, path, [period_short_label(p) for p in rollup.periods]),
                trend_table=trend_table,
                year=year,
                basis=basis,
            )
        )
    return lines


def _verdict_without_baseline(
    spec: IndicatorSpec, periods: list[Period], per_period: list[Figure | None], year: int, latest: Decimal
) -> tuple[IndicatorSpec, Assessment, str]:
    """When the plan prints no baseline: the first accepted figure of an earlier year becomes the baseline (and
    the page says so); failing that, the figure is judged against the end target with a plain sentence. Returns
    the spec the path is drawn from, the assessment and the sentence ("" when neither applies)."""
    first = next(
        ((p, f.figure) for p, f in zip(periods, per_period, strict=True) if f is not None and f.figure is not None),
        None,
    )
    if first is not None and first[0].year < year:
        derived = with_data_baseline(spec, first[0].year, first[1])
        if derived is not None:
            assessment = assess(derived, year, latest)
            if assessment.status != Status.NOT_ASSESSED:
                sentence = gettext(
                    "Kế hoạch không ghi giá trị cơ sở: lấy số liệu được chấp nhận đầu tiên (%(period)s: %(value)s) "
                    "làm giá trị cơ sở để vẽ lộ trình."
                ) % {"period": first[0].label, "value": charts.fmt(first[1])}
                return derived, assessment, sentence
    judged = against_final_target(spec, latest)
    if judged is not None:
        return spec, judged[0], judged[1]
    return spec, Assessment(Status.NOT_ASSESSED), ""


def summary_table(lines: list[IndicatorLine]) -> Table:
    table = Table(
        "chi-tieu",
        gettext("Tiến độ các chỉ tiêu"),
        [
            gettext("Chỉ tiêu"),
            gettext("Kỳ"),
            gettext("Giá trị mới nhất"),
            gettext("Tử số"),
            gettext("Mẫu số"),
            gettext("Chỉ tiêu của năm"),
            gettext("Tình trạng"),
            gettext("Ghi chú"),
        ],
    )
    for line in lines:
        fig = line.figure
        table.rows.append(
            [
                line.label,
                line.period.label if line.period else "—",
                charts.fmt(fig.figure if fig else None),
                charts.fmt(fig.numerator if fig else None),
                charts.fmt(fig.denominator if fig else None),
                line.target_text,
                str(line.assessment.label),
                " ".join(gettext(note) for note in line.notes),
            ]
        )
    return table


def sex_chart(lines: list[IndicatorLine]) -> tuple[charts.BarChart | None, Table]:
    table = Table(
        "gioi-tinh",
        gettext("Số liệu theo giới tính (kỳ mới nhất)"),
        [gettext("Chỉ tiêu"), gettext("Kỳ"), gettext("Nữ"), gettext("Nam")],
    )
    items: list[tuple[str, Decimal | None, str]] = []
    for line in lines:
        if not line.sexes:
            continue
        female, male = line.sexes.get(Sex.FEMALE.value), line.sexes.get(Sex.MALE.value)
        short = line.label if len(line.label) <= 40 else line.label[:39] + "…"
        items.append((f"{short} – {gettext('Nữ')}", female.figure if female else None, "female"))
        items.append((f"{short} – {gettext('Nam')}", male.figure if male else None, "male"))
        table.rows.append(
            [
                line.label,
                line.period.label if line.period else "—",
                charts.fmt(female.figure if female else None),
                charts.fmt(male.figure if male else None),
            ]
        )
    return (charts.bar_chart(items, width=640, label_width=300) if items else None), table


def reporter_row_label(report: Report) -> str:
    """A heat-map row that can be told apart from the others: the unit and its parent first for a lower level's
    committee (whose standing offices share one name across districts), the agency's name otherwise."""
    if not report.is_committee:
        return report.reporter.name
    parent = report.unit.parent
    where = f"{report.unit.name} ({parent.name})" if parent is not None else report.unit.name
    return f"{where} – {report.reporter.name}"


def completeness(reports: list[Report], periods: list[Period], today: dt.date) -> tuple[charts.Heatmap | None, Table]:
    """Reporters × periods, each cell the state of that report (accepted shown apart from merely sent)."""
    keys: list[tuple[int, int]] = []
    labels: dict[tuple[int, int], str] = {}
    cells: dict[tuple[int, int, int], str] = {}
    for report in reports:
        key = (report.unit_id, report.reporter_id)
        if key not in labels:
            keys.append(key)
            labels[key] = reporter_row_label(report)
        state = "accepted" if report.status == "accepted" else report.state(today)
        cells[(*key, report.period_id)] = state
    column_index = {p.pk: i for i, p in enumerate(periods)}
    states: dict[tuple[int, int], tuple[str, str]] = {}
    table = Table(
        "hoan-thanh", gettext("Tình hình gửi báo cáo"), [gettext("Đơn vị báo cáo"), *[p.label for p in periods]]
    )
    for r, key in enumerate(keys):
        row = [labels[key]]
        for p in periods:
            state = cells.get((*key, p.pk), "none")
            row.append(str(STATE_LABELS[state]))
            if state != "none":
                states[(r, column_index[p.pk])] = (state, f"{labels[key]} – {p.label}: {STATE_LABELS[state]}")
        table.rows.append(row)
    if not keys or not periods:
        return None, table
    return charts.heatmap([labels[k] for k in keys], [str(i + 1) for i in range(len(periods))], states), table


def plan_dashboard(plan: Plan, reports: list[Report], today: dt.date) -> dict[str, Any]:
    rollup = Rollup(plan)
    home = home_of(plan.unit) or plan.unit_id
    lines = indicator_lines(rollup, home, LEVEL_RANK.get(plan.unit.level, 0), today)
    sex, sex_table = sex_chart(lines)
    heat, heat_table = completeness(reports, rollup.periods, today)
    tables = [summary_table(lines), sex_table, heat_table, *[line.trend_table for line in lines]]
    return {
        "plan": plan,
        "home_id": home,
        "lines": lines,
        "periods": rollup.periods,
        "sex_chart": sex,
        "sex_table": sex_table,
        "heatmap": heat,
        "heat_table": heat_table,
        "summary_table": tables[0],
        "tables": {t.slug: t for t in tables},
        "status_counts": _status_counts(lines),
    }


def _status_counts(lines: list[IndicatorLine]) -> list[tuple[str, str, int]]:
    return [(s.value, str(STATUS_LABELS[s]), sum(1 for line in lines if line.assessment.status == s)) for s in Status]


def unit_dashboard(
    plan: Plan,
    unit: AdministrativeUnit,
    children: list[AdministrativeUnit],
    indicator_id: int | None,
    today: dt.date,
    rows: list[DrillRow] | None = None,
) -> dict[str, Any]:
    """The unit's page; ``children`` are ranked (units in force from the roll-up, historic ones from their own
    reports: analytics/drilldown.py). ``rows`` (drilldown_rows) place each child: parent, successor, link."""
    rollup = Rollup(plan)
    home = home_of(unit) or unit.pk
    rank = LEVEL_RANK.get(unit.level, 0)
    # A unit no longer in force (a former district in a 2023 plan's drill-down) shows its own reports' figures,
    # not those of the unit in force they now count toward (issue 14).
    own = historic_figures(plan, [unit], rollup.indicators).get(unit.pk) if unit.valid_to is not None else None
    lines = indicator_lines(rollup, home, rank, today, own)
    measurable = [line for line in lines if line.indicator.measure != "text"]
    chosen = next((line for line in measurable if line.indicator.pk == indicator_id), None) or (
        measurable[0] if measurable else None
    )
    ranking: list[tuple[AdministrativeUnit, Figure | None, Assessment | None]] = []
    if chosen is not None:
        spec = indicator_spec(chosen.indicator, plan.year_end)
        historic = historic_figures(
            plan, [c for c in children if c.valid_to is not None], rollup.indicators, chosen.indicator.pk
        )
        for child in children:
            figures = historic.get(child.pk)
            if figures is None:
                figures = rollup.figures(child.pk, LEVEL_RANK.get(child.level, 2), chosen.indicator.pk)
            per_period = [(p, figures.get((chosen.indicator.pk, Sex.TOTAL, p.pk))) for p in rollup.periods]
            latest = [(p, f) for p, f in per_period if f is not None]
            if latest:
                period, figure = latest[-1]
                ranking.append((child, figure, assess(spec, period.year, figure.figure, figure.problem)))
            else:
                ranking.append((child, None, None))
        descending = chosen.indicator.direction != "decrease"

        def order(item: tuple[AdministrativeUnit, Figure | None, Assessment | None]) -> tuple[bool, Decimal, str]:
            value = item[1].figure if item[1] is not None else None
            if value is None:
                return (True, Decimal(0), item[0].name)
            return (False, -value if descending else value, item[0].name)

        ranking.sort(key=order)
    placed = {row.unit.pk: row for row in rows or []}
    drill = [placed[child.pk] for child, _fig, _a in ranking if child.pk in placed]
    ranking_table = Table(
        "xep-hang",
        gettext("Xếp hạng các đơn vị cấp dưới: %(indicator)s") % {"indicator": chosen.label}
        if chosen
        else gettext("Xếp hạng các đơn vị cấp dưới"),
        [
            gettext("Đơn vị"),
            gettext("Giá trị"),
            gettext("Tử số"),
            gettext("Mẫu số"),
            gettext("Tình trạng"),
            gettext("Trực thuộc"),
            gettext("Sau sắp xếp năm 2025"),
        ],
        [
            [
                child.name,
                charts.fmt(fig.figure if fig else None),
                charts.fmt(fig.numerator if fig else None),
                charts.fmt(fig.denominator if fig else None),
                str(assessment.label) if assessment else gettext("Chưa có số liệu"),
                parent_name(placed.get(child.pk)),
                successor_text(placed.get(child.pk)),
            ]
            for child, fig, assessment in ranking
        ],
    )
    ranking_chart = (
        charts.bar_chart(
            [
                (child.name, fig.figure if fig else None, assessment.status.value if assessment else "no_data")
                for child, fig, assessment in ranking
            ]
        )
        if ranking
        else None
    )
    sex, sex_table = sex_chart(lines)
    tables = [summary_table(lines), sex_table, ranking_table, *[line.trend_table for line in lines]]
    return {
        "plan": plan,
        "unit": unit,
        "home_id": home,
        "own": own,  # a unit no longer in force: its own reports' figures (None for a unit in force)
        "rollup": rollup,
        "lines": lines,
        "measurable": measurable,
        "chosen": chosen,
        "ranking": ranking,
        "drill": drill,
        "ranking_chart": ranking_chart,
        "ranking_table": ranking_table,
        "sex_chart": sex,
        "sex_table": sex_table,
        "summary_table": tables[0],
        "tables": {t.slug: t for t in tables},
        "status_counts": _status_counts(lines),
    }


def parent_name(row: DrillRow | None) -> str:
    return row.parent.name if row is not None and row.parent is not None else ""


def successor_text(row: DrillRow | None) -> str:
    """ "nay là Xã A" / "nay thuộc Tỉnh B" for a unit no longer in force; "" for a unit in force."""
    if row is None or not row.successors:
        return ""
    names = ", ".join(s.unit.name for s in row.successors)
    if row.part_of:
        return gettext("nay thuộc %(units)s") % {"units": names}
    return gettext("nay là %(units)s") % {"units": names}
