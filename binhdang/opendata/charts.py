"""A plain server-rendered SVG bar chart: no JavaScript, readable by screen readers through its table."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from binhdang.lib.numbers import format_vn_figure

WIDTH, BAR, GAP, LABEL = 640, 22, 8, 220


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL
    width: int = WIDTH


def bar_chart(title: str, items: list[tuple[str, Decimal | None]]) -> Chart:
    values = [(label, float(v)) for label, v in items if v is not None]
    top = max((v for _, v in values), default=0.0) or 1.0
    span = WIDTH - LABEL - 70
    bars = [
        Bar(label, v, format_vn_figure(v), i * (BAR + GAP), max(int(span * max(v, 0) / top), 1))
        for i, (label, v) in enumerate(values)
    ]
    return Chart(title, bars, max(len(bars), 1) * (BAR + GAP))
