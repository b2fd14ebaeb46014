"""The dashboards' repeated pieces (data tables, heatmap, trend charts) written out in Python.

These were template includes. A plan with 23 indicators renders 23 trend charts and tables (about 2,000 cells):
the template engine spent two thirds of the dashboard's CPU on them; built here, the whole page went from 84 to
50 ms of CPU on PostgreSQL (benchmarks/README.md). The markup is the same; every value still goes through
Django's escaping and localisation (`render_value_in_context`), so what the templates printed is what these print.
"""

from __future__ import annotations

import unicodedata
from html import escape
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.context import Context
from django.template.defaultfilters import truncatechars
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from binhdang.analytics.charts import Heatmap, Trend
from binhdang.analytics.dashboards import Table

register = template.Library()


def _text(value: Any, context: Context | None = None) -> str:
    # Plain strings are by far the most common value; localisation leaves them alone, so skip it. Anything else
    # (numbers, lazy translations, strings already marked safe) takes the template engine's own path.
    if type(value) is str:
        return escape(value)
    return str(render_value_in_context(value, context or Context()))


def _truncated(value: Any, length: int) -> str:
    """`{{ value|truncatechars:length }}`."""
    if type(value) is str and len(value) <= length:
        # Short enough: the filter would only have NFC-normalised it (it counts combining marks as nothing).
        return escape(unicodedata.normalize("NFC", value))
    return _text(truncatechars(value, length))


def _num(value: float | int) -> str:
    # Coordinates, as `|stringformat:'s'` printed them: never localised ("12.5", not "12,5").
    return str(value)


@register.simple_tag(takes_context=True)
def data_table(context: Context, table: Table, query: str = "", open: bool = False) -> SafeString:
    """A chart's accessible alternative: the figures as a table in a collapsed <details>, with its CSV link."""
    cell = lambda value: _text(value, context)  # noqa: E731 - closes over the context for the loops below
    parts = [
        f'<details class="data-table"{" open" if open else ""}>\n',
        f"  <summary>{escape(_('Xem dạng bảng'))}: {cell(table.title)}</summary>\n",
        '  <div class="table-scroll">\n    <table>\n      <thead><tr>',
        *(f'<th scope="col">{cell(h)}</th>' for h in table.headers),
        "</tr></thead>\n      <tbody>\n        ",
    ]
    if table.rows:
        parts.extend("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    else:
        parts.append(f'<tr><td colspan="{len(table.headers)}">{escape(_("Chưa có số liệu."))}</td></tr>')
    csv_link = f'<a href="?{cell(query)}format=csv&amp;table={cell(table.slug)}" download>{escape(_("Tải CSV"))}</a>'
    parts.append(f"\n      </tbody>\n    </table>\n  </div>\n  <p>{csv_link}</p>\n</details>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above went through escape()


@register.simple_tag(takes_context=True)
def heatmap_svg(context: Context, heat: Heatmap, periods: list[Any]) -> SafeString:
    """Reports by reporter (rows) and period (columns), coloured by state, with its legend and column key."""
    title = escape(_("Tình hình gửi báo cáo theo đơn vị và kỳ"))
    parts = [
        f'<svg class="chart" role="img" aria-label="{title}" viewBox="0 0 {heat.width} {heat.height}" '
        f'width="{heat.width}" height="{heat.height}">\n  <title>{title}</title>\n  ',
        *(f'<text x="{x}" y="14" text-anchor="middle">{_text(label, context)}</text>' for x, label in heat.columns),
        "\n  ",
        *(
            f'<text x="{heat.label_width - 6}" y="{y}" text-anchor="end">{_truncated(label, 38)}</text>'
            for y, label in heat.rows
        ),
        "\n  ",
        *(
            f'<rect class="hm-{escape(c.state)}" x="{c.x}" y="{c.y}" width="{heat.cell}" height="{heat.cell}" rx="3">'
            f"<title>{_text(c.title)}</title></rect>"
            for c in heat.cells
        ),
        "\n</svg>\n",
        '<p class="legend">',
        *(
            f'<span><i class="sw sw-{css}"></i>{escape(label)}</span>'
            for css, label in (
                ("accepted", _("Đã chấp nhận")),
                ("on-time", _("Đã gửi đúng hạn")),
                ("late", _("Đã gửi muộn")),
                ("missing", _("Chưa gửi (quá hạn)")),
                ("pending", _("Chưa gửi (còn hạn)")),
            )
        ),
        "</p>\n",
        f'<p class="missing-note">{escape(_("Cột"))}: ',
        "; ".join(f"{n} = {_text(p.label, context)}" for n, p in enumerate(periods, start=1)),
        ".</p>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every value above went through escape()


@register.simple_tag
def trend_svg(trend: Trend, title: str) -> SafeString:
    """Accepted values per period as a line with dots, the target path dashed, the period names below."""
    if trend.empty:
        return mark_safe(f'<p class="missing-note">{escape(_("Chưa có số liệu hay chỉ tiêu để vẽ."))}</p>')  # noqa: S308
    label = _text(title)
    target_word = escape(_("Chỉ tiêu"))
    parts = [
        f'<svg class="chart" role="img" aria-label="{label}" viewBox="0 0 {trend.width} {trend.height}" '
        f'width="{trend.width}" height="{trend.height}">\n  <title>{label}</title>\n',
        '  <line x1="48" y1="12" x2="48" y2="144" stroke="#c9ced4"/>'
        '<line x1="48" y1="144" x2="544" y2="144" stroke="#c9ced4"/>\n',
        f'  <text x="44" y="16" text-anchor="end">{escape(trend.high_text)}</text>'
        f'<text x="44" y="144" text-anchor="end">{escape(trend.low_text)}</text>\n  ',
        f'<polyline class="target-line" points="{escape(trend.targets)}"/>' if trend.targets else "",
        "\n  ",
        *(
            f'<circle cx="{_num(p.x)}" cy="{_num(p.y)}" r="2.5" fill="#c0392b">'
            f"<title>{target_word} {_text(p.label)}: {_text(p.text)}</title></circle>"
            for p in trend.target_points
        ),
        "\n  ",
        f'<polyline class="value-line" points="{escape(trend.values)}"/>' if trend.values else "",
        "\n  ",
        *(
            f'<circle cx="{_num(p.x)}" cy="{_num(p.y)}" r="3.5" fill="#1f5d99">'
            f"<title>{_text(p.label)}: {_text(p.text)}</title></circle>"
            for p in trend.points
        ),
        "\n  ",
        *(
            f'<text x="{_num(p.x)}" y="{_num(p.y)}" text-anchor="{escape(p.text or "middle")}" font-size="10">'
            f"{_truncated(p.label, 22)}</text>"
            for p in trend.labels
        ),
        "\n</svg>\n",
        f'<p class="legend"><span><i class="sw sw-value"></i>{escape(_("Giá trị đã chấp nhận"))}</span>'
        f'<span><i class="sw sw-target"></i>{escape(_("Chỉ tiêu (lộ trình, nét đứt)"))}</span></p>\n',
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every value above went through escape()
