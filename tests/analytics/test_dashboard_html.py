"""The dashboards' tables, heatmap and trend charts built in Python (templatetags/dashboard_html.py): each value
escaped once, numbers localised as the template engine would, long labels truncated, interface words translated."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from binhdang.analytics import charts
from binhdang.analytics.dashboards import Table

HOSTILE = '<script>alert("x")</script> & Hà Giang'


class _Cells(HTMLParser):
    """Text of every <th>/<td>/<title>/<text>, and whether any <script> element was opened."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, list[str]] = {}
        self.script = False
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.script |= tag == "script"
        self._open.append(tag)
        self.texts.setdefault(tag, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for tag in set(self._open):  # text inside <b> is also the text of its <td>
            self.texts[tag][-1] += data


def _render(source: str, **context: object) -> str:
    return Template("{% load dashboard_html %}" + source).render(Context(context))


def _parse(html: str) -> _Cells:
    parser = _Cells()
    parser.feed(html)
    return parser


def test_table_escapes_each_cell_once_and_localises_numbers() -> None:
    table = Table("thu", HOSTILE, ["Đơn vị", "Tỷ lệ"], [[HOSTILE, Decimal("45.5")], [mark_safe("<b>đậm</b>"), 3]])
    with translation.override("vi"):
        html = _render("{% data_table table query open=True %}", table=table, query="plan=2&")
    cells = _parse(html)
    assert not cells.script
    assert cells.texts["td"] == [HOSTILE, "45,5", "đậm", "3"]  # Vietnamese decimal comma, as {{ value }} printed
    assert "<b>đậm</b>" in html  # already-safe text is not escaped twice
    assert cells.texts["summary"] == [f"Xem dạng bảng: {HOSTILE}"]
    assert '<details class="data-table" open>' in html
    assert 'href="?plan=2&amp;format=csv&amp;table=thu"' in html


def test_empty_table_says_so_across_all_columns_in_the_interface_language() -> None:
    table = Table("rong", "Trống", ["A", "B", "C"], [])
    with translation.override("en"):
        html = _render("{% data_table table '' %}", table=table)
    assert '<td colspan="3">' in html
    assert '<details class="data-table">' in html
    assert "Chưa có số liệu." not in html and "Xem dạng bảng" not in html


def test_heatmap_draws_every_cell_with_truncated_row_labels() -> None:
    long_label = "Ủy ban nhân dân " + "xã rất dài " * 6
    heat = charts.heatmap([long_label, HOSTILE], ["Kỳ 1", "Kỳ 2"], {(0, 0): ("accepted", HOSTILE)})

    class Period:
        label = "6 tháng đầu năm 2025"

    with translation.override("vi"):
        html = _render("{% heatmap_svg heat periods %}", heat=heat, periods=[Period()])
    cells = _parse(html)
    assert not cells.script
    assert html.count("<rect ") == 4 and 'class="hm-accepted"' in html and html.count('class="hm-none"') == 3
    labels = [t for t in cells.texts["text"] if t not in ("Kỳ 1", "Kỳ 2")]
    assert labels[0] == long_label[:37] + "…" and labels[1] == HOSTILE
    assert HOSTILE in cells.texts["title"]
    assert "Cột: 1 = 6 tháng đầu năm 2025." in html


def test_trend_draws_values_and_targets_with_unlocalised_coordinates() -> None:
    trend = charts.trend(["2023", "2024", "2025"], [Decimal("10.5"), None, Decimal(30)], [None, None, Decimal(50)])
    with translation.override("vi"):
        html = _render("{% trend_svg trend title %}", trend=trend, title=HOSTILE)
    cells = _parse(html)
    assert not cells.script
    assert cells.texts["title"][0] == HOSTILE
    circles = [p for p in trend.points + trend.target_points]
    for p in circles:
        assert f'cx="{p.x}" cy="{p.y}"' in html  # a dot, never a decimal comma, inside SVG coordinates
    assert f"Chỉ tiêu 2025: {trend.target_points[0].text}" in cells.texts["title"]
    assert f'points="{trend.values}"' in html and f'points="{trend.targets}"' in html


def test_trend_without_figures_says_there_is_nothing_to_draw() -> None:
    empty = charts.trend(["2025"], [None], [None])
    with translation.override("en"):
        html = _render("{% trend_svg trend 'x' %}", trend=empty)
    assert "<svg" not in html and 'class="missing-note"' in html
    assert "Chưa có số liệu" not in html
