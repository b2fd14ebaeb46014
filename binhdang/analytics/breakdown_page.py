"""A unit dashboard's figures by disaggregation (``?by=age|ethnicity|area``): charts and the tables behind them.

For the indicator chosen on the page, when it is reported by age group, ethnicity or area: bars by sex within
each group of the chosen category, a gap chart (female minus male) per group, and for ethnicity the ethnic
minorities beside the whole. Every chart has its `Table` (shown under it, downloadable as CSV); the CSV adds
machine-readable columns (category, group and sex codes, the combination key, the period's dates). An indicator
without combinations, or a page without ``by``, gets nothing from here: the page is as it was.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from binhdang.places.models import AdministrativeUnit
from binhdang.plans.categories import DTTS, ETHNICITY
from binhdang.reporting.models import Sex

from . import charts
from .breakdown import (
    BY_CATEGORIES,
    Breakdown,
    GroupRow,
    breakdown_categories,
    category_label,
    indicator_breakdown,
    margin_key,
)
from .dashboards import SEX_LABELS, IndicatorLine, Table
from .drilldown import historic_part_rows
from .rollup import LEVEL_RANK, Figure, Rollup

MACHINE_HEADERS = ["category", "group", "sex", "combo", "period_from", "period_to"]


def _sex_label(sex: str) -> str:
    return str(SEX_LABELS[sex])


def _period_dates(breakdown: Breakdown) -> list[str]:
    period = breakdown.period
    return [period.data_from.isoformat(), period.data_to.isoformat()] if period is not None else ["", ""]


def _title(text: str, breakdown: Breakdown, label: str) -> str:
    period = f" ({breakdown.period.label})" if breakdown.period is not None else ""
    return f"{text}: {label}{period}"


def figures_table(breakdown: Breakdown, label: str) -> Table:
    """Every group, then the whole, one row per sex: the figure with its numerator and denominator."""
    table = Table(
        "phan-to",
        _title(_("Theo %(category)s") % {"category": category_label(breakdown.category).lower()}, breakdown, label),
        [_("Nhóm"), _("Giới tính"), _("Giá trị"), _("Tử số"), _("Mẫu số")],
        machine_headers=MACHINE_HEADERS,
    )
    for group in [*breakdown.groups, breakdown.whole]:
        combo = margin_key(breakdown.category, group.member) if group.member else ""
        for sex in breakdown.sexes:
            fig = group.figures.get(sex)
            table.rows.append(
                [
                    group.label,
                    _sex_label(sex),
                    charts.fmt(fig.figure if fig else None),
                    charts.fmt(fig.numerator if fig else None),
                    charts.fmt(fig.denominator if fig else None),
                ]
            )
            table.machine_rows.append([breakdown.category, group.member, sex, combo, *_period_dates(breakdown)])
    return table


def _short(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def bars_by_sex(breakdown: Breakdown) -> charts.BarChart | None:
    """Within each group (and the whole), a bar per sex: female and male, or the total when not by sex."""
    sexes = [Sex.FEMALE.value, Sex.MALE.value] if breakdown.by_sex else [Sex.TOTAL.value]
    items = [
        (f"{_short(group.label)} – {_sex_label(sex)}", group.figure(sex), sex if sex != Sex.TOTAL.value else "")
        for group in [*breakdown.groups, breakdown.whole]
        for sex in sexes
    ]
    if all(value is None for _label, value, _css in items):
        return None
    return charts.bar_chart(items, width=640, label_width=260)


def gap_table(breakdown: Breakdown, label: str) -> Table:
    table = Table(
        "chenh-lech",
        _title(_("Chênh lệch nữ – nam"), breakdown, label),
        [_("Nhóm"), _("Nữ"), _("Nam"), _("Chênh lệch (nữ – nam)")],
        machine_headers=["category", "group", "combo", "period_from", "period_to"],
    )
    for group in [*breakdown.groups, breakdown.whole]:
        table.rows.append(
            [
                group.label,
                charts.fmt(group.figure(Sex.FEMALE.value)),
                charts.fmt(group.figure(Sex.MALE.value)),
                charts.fmt(group.gap),
            ]
        )
        combo = margin_key(breakdown.category, group.member) if group.member else ""
        table.machine_rows.append([breakdown.category, group.member, combo, *_period_dates(breakdown)])
    return table


def minorities_table(breakdown: Breakdown, minorities: GroupRow, label: str) -> Table:
    table = Table(
        "dtts-toan-bo",
        _title(_("Dân tộc thiểu số so với toàn bộ"), breakdown, label),
        [_("Giới tính"), _("Dân tộc thiểu số"), _("Toàn bộ")],
        machine_headers=["sex", "period_from", "period_to"],
    )
    for sex in breakdown.sexes:
        table.rows.append(
            [_sex_label(sex), charts.fmt(minorities.figure(sex)), charts.fmt(breakdown.whole.figure(sex))]
        )
        table.machine_rows.append([sex, *_period_dates(breakdown)])
    return table


def breakdown_context(
    rollup: Rollup,
    home_id: int,
    unit_level: str,
    lines: list[IndicatorLine],
    chosen: IndicatorLine | None,
    by: str,
    historic: AdministrativeUnit | None = None,
    own: dict[tuple[int, str, int], Figure] | None = None,
) -> dict[str, Any]:
    """What the unit dashboard adds for ``by`` (a category code, or "" for none): the chooser whenever one of the
    ``lines`` (the measurable indicators) has categories; the charts and tables when the chosen indicator
    declares the category chosen. Nothing when no indicator has categories. Tables are under "tables".

    ``historic`` is a unit no longer in force whose page shows its own reports' figures (``own``, from
    drilldown.historic_figures): its groups are added up from those reports too, not from the summary."""
    candidates = [line for line in lines if breakdown_categories(line.indicator)]
    if not candidates:
        return {"by_choices": [], "tables": {}}
    declared = {c for line in candidates for c in breakdown_categories(line.indicator)}
    context: dict[str, Any] = {
        "by_choices": [(c, category_label(c)) for c in BY_CATEGORIES if c in declared],
        "by_indicators": candidates,
        "by": by if by in declared else "",
        "by_label": category_label(by) if by in declared else "",
        "tables": {},
    }
    if not context["by"]:
        return context
    if chosen is None or by not in breakdown_categories(chosen.indicator):
        context["by_missing"] = True  # the template says the chosen indicator is not reported by it
        return context
    rank = LEVEL_RANK.get(unit_level, 0)
    if historic is not None:
        rows = historic_part_rows(rollup.plan, historic, chosen.indicator.pk)
        totals = own or {}
        breakdown = indicator_breakdown(
            rollup.plan, chosen.indicator, historic.pk, rank, by, rollup.periods, totals, rows
        )
    else:
        totals = rollup.figures(home_id, rank)
        breakdown = indicator_breakdown(rollup.plan, chosen.indicator, home_id, rank, by, rollup.periods, totals)
    label = chosen.label
    table = figures_table(breakdown, label)
    context.update({"breakdown": breakdown, "breakdown_chart": bars_by_sex(breakdown), "breakdown_table": table})
    context["tables"][table.slug] = table
    if breakdown.by_sex:
        gaps = gap_table(breakdown, label)
        gap_items = [(_short(g.label, 40), g.gap) for g in [*breakdown.groups, breakdown.whole]]
        known_gap = any(v is not None for _l, v in gap_items)
        context["gap_chart"] = charts.gap_chart(gap_items) if known_gap else None
        context["gap_table"] = gaps
        context["tables"][gaps.slug] = gaps
    if by == ETHNICITY:
        minorities = next(g for g in breakdown.groups if g.member == DTTS)
        versus = minorities_table(breakdown, minorities, label)
        items = [
            (f"{_sex_label(sex)} – {text}", row.figure(sex), css)
            for sex in breakdown.sexes
            for text, row, css in (
                (_("dân tộc thiểu số"), minorities, "dtts"),
                (_("toàn bộ"), breakdown.whole, "whole"),
            )
        ]
        known = any(v is not None for _l, v, _c in items)
        context["minorities_chart"] = charts.bar_chart(items, width=640, label_width=260) if known else None
        context["minorities_table"] = versus
        context["tables"][versus.slug] = versus
    return context
