"""Geometry of the stacked and paired bar charts: one scale for every row, values written past the bar end."""

from __future__ import annotations

from decimal import Decimal

from binhdang.analytics import charts


def test_stacked_bars_share_one_scale_and_skip_empty_segments() -> None:
    chart = charts.stacked_bars(
        [("A", [("done", 2, ""), ("no_report", 0, ""), ("in_progress", 2, "")]), ("B", [("done", 1, "")])],
        width=640,
        label_width=240,
    )
    room = 640 - 240 - 50
    a, b = chart.rows
    assert [s.css for s in a.segments] == ["done", "in_progress"]  # the empty segment draws nothing
    assert [s.width for s in a.segments] == [room / 2, room / 2]  # the longest row fills the room
    assert a.segments[1].x == 240 + room / 2
    assert b.segments[0].width == room / 4 and b.total == 1
    assert a.text_x == 240 + room + 4
    assert chart.height == 2 * 26 + 4


def test_paired_bars_draw_planned_and_spent_on_one_scale() -> None:
    chart = charts.paired_bars([("2026", Decimal(200), Decimal(50)), ("2027", Decimal(100), Decimal(0))])
    room = 640 - 220 - 80
    first, second = chart.rows
    assert (first.first, first.second) == (room, room / 4)
    assert (second.first, second.second) == (room / 2, 0)
    assert first.first_text == "200" and second.second_text == "0"
    assert second.second_x == 220 + 4
