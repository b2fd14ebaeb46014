"""What the budget, task and national pages show: charts and the tables behind them, from the data functions
in budget.py, tasks.py and national.py. Every chart has a `Table` with the same figures (shown under it,
downloadable as CSV). Labels go through gettext, so they follow the language of the request.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from binhdang.plans.models import FundingSource, Plan
from binhdang.reporting.models import TaskStatus

from . import charts, geo
from .budget import BudgetRow, budget_execution
from .dashboards import Table, indicator_label
from .national import national_view
from .progress import STATUS_LABELS
from .tasks import NO_REPORT, STATUS_ORDER, status_totals, task_status


def source_label(source: str) -> str:
    if not source:
        return _("Không ghi nguồn")
    return str(FundingSource(source).label) if source in FundingSource.values else source


def year_label(year: int | None) -> str:
    return str(year) if year is not None else _("Không ghi năm")


def rate_text(rate: Decimal | None) -> str:
    return f"{charts.fmt(rate, 1)}%" if rate is not None else "—"


def task_status_label(status: str) -> str:
    if status == NO_REPORT:
        return _("Chưa có báo cáo")
    return str(TaskStatus(status).label)


def planned_text(row: BudgetRow) -> str:
    """The planned amount, or "Chưa lập kế hoạch" where no budget line covers the row (never a planned 0)."""
    return charts.fmt(row.planned, 3) if row.planned_known else _("Chưa lập kế hoạch")


def _budget_table(slug: str, title: str, first: str, rows: list[BudgetRow], label: Any) -> Table:
    return Table(
        slug,
        title,
        [first, _("Kế hoạch (triệu đồng)"), _("Đã chi (triệu đồng)"), _("Tỷ lệ thực hiện")],
        [[label(r), planned_text(r), charts.fmt(r.spent, 3), rate_text(r.rate)] for r in rows],
    )


def budget_page(plan: Plan) -> dict[str, Any]:
    execution = budget_execution(plan)
    detail = Table(
        "kinh-phi",
        _("Kinh phí theo năm và nguồn"),
        [_("Năm"), _("Nguồn kinh phí"), _("Kế hoạch (triệu đồng)"), _("Đã chi (triệu đồng)"), _("Tỷ lệ thực hiện")],
        [
            [
                year_label(r.year),
                source_label(r.source),
                planned_text(r),
                charts.fmt(r.spent, 3),
                rate_text(r.rate),
            ]
            for r in execution.rows
        ],
    )
    if execution.rows:
        detail.rows.append(
            [
                _("Tổng cộng"),
                "",
                charts.fmt(execution.planned, 3) if execution.has_lines else _("Chưa lập kế hoạch"),
                charts.fmt(execution.spent, 3),
                rate_text(execution.rate),
            ]
        )
    by_source = _budget_table(
        "theo-nguon",
        _("Kinh phí theo nguồn"),
        _("Nguồn kinh phí"),
        execution.by_source(),
        lambda r: source_label(r.source),
    )
    by_year = _budget_table(
        "theo-nam", _("Kinh phí theo năm"), _("Năm"), execution.by_year(), lambda r: year_label(r.year)
    )
    chart = (
        charts.paired_bars(
            [(f"{year_label(r.year)} – {source_label(r.source)}", r.planned, r.spent) for r in execution.rows]
        )
        if execution.rows
        else None
    )
    source_chart = (
        charts.paired_bars([(source_label(r.source), r.planned, r.spent) for r in execution.by_source()])
        if execution.rows
        else None
    )
    tables = [detail, by_source, by_year]
    return {
        "plan": plan,
        "execution": execution,
        "chart": chart,
        "source_chart": source_chart,
        "detail_table": detail,
        "source_table": by_source,
        "year_table": by_year,
        "rate_text": rate_text(execution.rate),
        "planned_text": charts.fmt(execution.planned, 3) if execution.has_lines else _("Chưa lập kế hoạch"),
        "spent_text": charts.fmt(execution.spent, 3),
        "tables": {t.slug: t for t in tables},
    }


def tasks_page(plan: Plan) -> dict[str, Any]:
    groups = task_status(plan, _("Chưa có đơn vị chủ trì"))
    labels = {s: task_status_label(s) for s in STATUS_ORDER}
    counts = Table(
        "theo-co-quan",
        _("Số nhiệm vụ theo cơ quan chủ trì và tình trạng"),
        [_("Cơ quan chủ trì"), *labels.values(), _("Tổng số")],
        [[g.name, *[str(n) for n in g.counts().values()], str(len(g.tasks))] for g in groups],
    )
    totals = status_totals(groups)
    if groups:
        counts.rows.append([_("Tổng cộng"), *[str(n) for n in totals.values()], str(sum(totals.values()))])
    detail = Table(
        "nhiem-vu",
        _("Nhiệm vụ và tiến độ mới nhất"),
        [
            _("Cơ quan chủ trì"),
            _("Nhiệm vụ"),
            _("Tình trạng"),
            _("Kỳ báo cáo"),
            _("Đơn vị báo cáo"),
            _("Kết quả thực hiện"),
        ],
        [
            [
                g.name,
                line.label,
                labels[line.status],
                line.progress.report.period.label if line.progress else "—",
                line.progress.report.reporter.name if line.progress else "—",
                line.progress.narrative if line.progress else "",
            ]
            for g in groups
            for line in g.tasks
        ],
    )
    chart = (
        charts.stacked_bars(
            [(g.name, [(s, n, f"{g.name} – {labels[s]}: {n}") for s, n in g.counts().items()]) for g in groups]
        )
        if groups
        else None
    )
    return {
        "plan": plan,
        "groups": groups,
        "chart": chart,
        "legend": [(s, labels[s], totals[s]) for s in STATUS_ORDER],
        "counts_table": counts,
        "detail_table": detail,
        "task_rows": [(g, [(line, labels[line.status]) for line in g.tasks]) for g in groups],
        "total_tasks": sum(totals.values()),
        "tables": {t.slug: t for t in (counts, detail)},
    }


def national_page(plan: Plan, indicator_id: int | None, visible_unit_ids: set[int] | None) -> dict[str, Any]:
    """``visible_unit_ids``: the user's scope (None: everything); drill-down links only to provinces in it."""
    view = national_view(plan, indicator_id)
    chosen = view.chosen
    title = _("Xếp hạng các tỉnh, thành phố: %(indicator)s") % {"indicator": indicator_label(chosen)} if chosen else ""
    table = Table(
        "xep-hang-tinh",
        title or _("Xếp hạng các tỉnh, thành phố"),
        [_("Hạng"), _("Tỉnh, thành phố"), _("Kỳ"), _("Giá trị"), _("Tử số"), _("Mẫu số"), _("Tình trạng")],
        [
            [
                str(line.rank) if line.rank else "—",
                line.unit.name,
                line.period.label if line.period else "—",
                charts.fmt(line.figure.figure if line.figure else None),
                charts.fmt(line.figure.numerator if line.figure else None),
                charts.fmt(line.figure.denominator if line.figure else None),
                line.assessment.label if line.assessment else _("Chưa có số liệu"),
            ]
            for line in view.provinces
        ],
    )
    chart = (
        charts.bar_chart(
            [
                (
                    line.unit.name,
                    line.figure.figure if line.figure else None,
                    line.assessment.status.value if line.assessment else "no_data",
                )
                for line in view.provinces
            ],
            width=640,
            label_width=200,
        )
        if view.provinces and chosen
        else None
    )
    links = [(line, visible_unit_ids is None or line.unit.pk in visible_unit_ids) for line in view.provinces]
    province_map = (
        geo.choropleth(
            {line.unit.pk: line.figure.figure if line.figure else None for line in view.provinces},
            {line.unit.pk: line.unit.name for line in view.provinces},
        )
        if view.provinces and chosen
        else None
    )
    national = view.national
    return {
        "plan": plan,
        "view": view,
        "chosen": chosen,
        "chart": chart,
        "map": province_map,
        "ranking_table": table,
        "title": title,
        "links": links,
        "national_text": charts.fmt(national.figure if national else None),
        "national_fraction": (
            f"{charts.fmt(national.numerator)}/{charts.fmt(national.denominator)}"
            if national is not None and national.denominator is not None
            else ""
        ),
        "status_labels": {s.value: label for s, label in STATUS_LABELS.items()},
        "tables": {table.slug: table},
    }


# Notes the roll-up (rollup.py) writes in Vietnamese; listed here so that the catalogue carries their English
# and the templates can translate them (`{% translate note %}`).
ROLLUP_NOTES = [
    gettext_noop("Chỉ tiêu định tính: không cộng dồn số liệu."),
    gettext_noop("Tổng mẫu số bằng 0: không tính được tỷ lệ."),
    gettext_noop("Chỉ có tỷ lệ, thiếu tử số và mẫu số: không cộng dồn được."),
    gettext_noop("Có báo cáo nhưng không ghi giá trị."),
]
