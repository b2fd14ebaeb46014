"""Geometry of the server-rendered SVG charts: pure functions, numbers in, coordinates out.

Templates draw the shapes (templates/analytics/charts/*.html); every chart is followed by its table, so
nothing here is the only way to read a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from binhdang.lib.numbers import format_vn_number


def fmt(value: Decimal | None, decimals: int = 2) -> str:
    """A figure for people: at most ``decimals`` decimals, Vietnamese separators, a dash for nothing."""
    if value is None:
        return "—"
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format_vn_number(rounded)


def _span(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    return low, high


@dataclass
class Sparkline:
    width: int
    height: int
    points: str
    last_x: float | None = None
    last_y: float | None = None


def sparkline(values: list[Decimal | None], width: int = 96, height: int = 24) -> Sparkline:
    """A line through the known values, gaps skipped; the last known point is marked."""
    known = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if not known:
        return Sparkline(width, height, "")
    low, high = _span([v for _, v in known])
    step = (width - 4) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return round(2 + i * step, 1), round(height - 2 - (v - low) / (high - low) * (height - 4), 1)

    coords = [xy(i, v) for i, v in known]
    return Sparkline(width, height, " ".join(f"{x},{y}" for x, y in coords), coords[-1][0], coords[-1][1])


@dataclass
class Bar:
    label: str
    value: Decimal | None
    text: str
    y: int
    width: float
    css: str = ""
    text_x: float = 0.0  # where the value is written: just past the end of the bar


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar] = field(default_factory=list)


def bar_chart(items: list[tuple[str, Decimal | None, str]], width: int = 560, label_width: int = 180) -> BarChart:
    """Horizontal bars from zero; (label, value, css class). A missing value draws no bar, only its label."""
    bar_height, gap = 18, 8
    known = [float(v) for _, v, _ in items if v is not None]
    top = max([v for v in known if v > 0], default=1.0)
    room = width - label_width - 70
    bars = []
    for i, (label, value, css) in enumerate(items):
        length = max(float(value), 0.0) / top * room if value is not None else 0.0
        bars.append(
            Bar(
                label,
                value,
                fmt(value),
                i * (bar_height + gap),
                round(length, 1),
                css,
                round(label_width + length + 4, 1),
            )
        )
    return BarChart(width, len(items) * (bar_height + gap) + 4, label_width, bar_height, bars)


@dataclass
class TrendPoint:
    x: float
    y: float
    text: str
    label: str


@dataclass
class Trend:
    width: int
    height: int
    values: str
    targets: str
    points: list[TrendPoint]
    target_points: list[TrendPoint]
    labels: list[TrendPoint]
    low_text: str
    high_text: str
    empty: bool


def trend(
    labels: list[str],
    values: list[Decimal | None],
    targets: list[Decimal | None],
    axis_labels: list[str] | None = None,
) -> Trend:
    """Values per period as a line with dots; the target path as a dashed line over the same periods.

    ``axis_labels`` are the short names printed under the axis ("6T/2023"); the full ``labels`` stay in the dots'
    tooltips. The first axis label is anchored at its start and the last at its end, so neither is clipped, and
    with many periods only every other one is printed."""
    width, height, left, right, top, bottom = 560, 180, 48, 16, 12, 36
    known = [float(v) for v in values + targets if v is not None]
    if not known:
        return Trend(width, height, "", "", [], [], [], "", "", True)
    low, high = _span(known)
    low = min(low, 0.0) if low >= 0 else low
    step = (width - left - right) / max(len(labels) - 1, 1)

    def point(i: int, v: Decimal, label: str) -> TrendPoint:
        x = left + i * step if len(labels) > 1 else (width - left - right) / 2 + left
        y = top + (high - float(v)) / (high - low) * (height - top - bottom)
        return TrendPoint(round(x, 1), round(y, 1), fmt(v), label)

    points = [point(i, v, labels[i]) for i, v in enumerate(values) if v is not None]
    target_points = [point(i, t, labels[i]) for i, t in enumerate(targets) if t is not None]
    short = axis_labels if axis_labels is not None else labels
    every = 2 if len(short) > 8 else 1
    last = len(short) - 1

    def anchor(i: int) -> str:
        if len(short) == 1:
            return "middle"
        return "start" if i == 0 else "end" if i == last else "middle"

    # TrendPoint.text carries the label's text-anchor for the axis points.
    axis = [
        TrendPoint(
            round(left + i * step if len(labels) > 1 else (width - left - right) / 2 + left, 1),
            height - 12,
            anchor(i),
            lab,
        )
        for i, lab in enumerate(short)
        if i % every == 0 or i == last
    ]
    return Trend(
        width,
        height,
        " ".join(f"{p.x},{p.y}" for p in points),
        " ".join(f"{p.x},{p.y}" for p in target_points),
        points,
        target_points,
        axis,
        fmt(Decimal(str(low))),
        fmt(Decimal(str(high))),
        False,
    )


@dataclass
class HeatCell:
    x: int
    y: int
    state: str
    title: str


@dataclass
class Heatmap:
    width: int
    height: int
    label_width: int
    cell: int
    cells: list[HeatCell]
    rows: list[tuple[int, str]]
    columns: list[tuple[int, str]]


def heatmap(row_labels: list[str], column_labels: list[str], states: dict[tuple[int, int], tuple[str, str]]) -> Heatmap:
    """A units × periods grid; ``states[(row, column)]`` is (state, title). Missing cells are "none"."""
    cell, label_width, header = 28, 240, 22
    cells = []
    for r in range(len(row_labels)):
        for c in range(len(column_labels)):
            state, title = states.get((r, c), ("none", "Không phải báo cáo"))
            cells.append(HeatCell(label_width + c * cell, header + r * cell, state, title))
    return Heatmap(
        label_width + max(len(column_labels), 1) * cell + 8,
        header + max(len(row_labels), 1) * cell + 4,
        label_width,
        cell - 3,
        cells,
        [(header + r * cell + 17, lab) for r, lab in enumerate(row_labels)],
        [(label_width + c * cell + 12, lab) for c, lab in enumerate(column_labels)],
    )


@dataclass
class Segment:
    x: float
    width: float
    css: str
    count: int
    title: str


@dataclass
class StackedRow:
    label: str
    y: int
    total: int
    segments: list[Segment]
    text_x: float = 0.0


@dataclass
class StackedChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    rows: list[StackedRow]


def stacked_bars(
    rows: list[tuple[str, list[tuple[str, int, str]]]], width: int = 640, label_width: int = 240
) -> StackedChart:
    """Horizontal bars made of segments, one row per label: (label, [(css class, count, title)]).

    Every row is drawn on the same scale (the largest row total fills the room), so rows compare by length."""
    bar_height, gap = 18, 8
    room = width - label_width - 50
    top = max((sum(n for _, n, _ in segments) for _, segments in rows), default=0) or 1
    result = []
    for i, (label, segments) in enumerate(rows):
        x = float(label_width)
        drawn = []
        for css, count, title in segments:
            if count <= 0:
                continue
            length = round(count / top * room, 1)
            drawn.append(Segment(round(x, 1), length, css, count, title))
            x += length
        total = sum(n for _, n, _ in segments)
        result.append(StackedRow(label, i * (bar_height + gap), total, drawn, round(x + 4, 1)))
    return StackedChart(width, len(rows) * (bar_height + gap) + 4, label_width, bar_height, result)


@dataclass
class PairRow:
    label: str
    y: int
    first: float
    second: float
    first_text: str
    second_text: str
    first_x: float = 0.0
    second_x: float = 0.0


@dataclass
class PairChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    rows: list[PairRow]


def paired_bars(rows: list[tuple[str, Decimal, Decimal]], width: int = 640, label_width: int = 220) -> PairChart:
    """Two bars per row on one scale (planned above, spent below), from zero; amounts are not negative."""
    bar_height, gap = 12, 12
    room = width - label_width - 80
    top = max((float(max(a, b)) for _, a, b in rows), default=0.0) or 1.0
    result = [
        PairRow(
            label,
            i * (2 * bar_height + gap),
            round(float(a) / top * room, 1),
            round(float(b) / top * room, 1),
            fmt(a),
            fmt(b),
            round(label_width + float(a) / top * room + 4, 1),
            round(label_width + float(b) / top * room + 4, 1),
        )
        for i, (label, a, b) in enumerate(rows)
    ]
    return PairChart(width, len(rows) * (2 * bar_height + gap) + 4, label_width, bar_height, result)


@dataclass
class GapRow:
    label: str
    value: Decimal | None
    text: str
    y: int
    x: float  # where the bar starts (its left end)
    width: float
    text_x: float  # the value is written just past the bar's outer end
    anchor: str  # "start" right of a bar to the right, "end" left of a bar to the left
    css: str  # "female" when women are ahead, "male" when men are


@dataclass
class GapChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    zero: float  # x of the zero line
    rows: list[GapRow]


def gap_chart(items: list[tuple[str, Decimal | None]], width: int = 640, label_width: int = 220) -> GapChart:
    """Bars from a zero line in the middle: a difference (female minus male) to the right when positive, to the
    left when negative, all on one scale. Room is kept on both sides for the values, so that a long bar to the
    left never runs into the labels and no value is cut off at the right edge."""
    bar_height, gap, pad = 18, 8, 64
    half = (width - label_width - 2 * pad) / 2
    zero = label_width + pad + half
    top = max((abs(float(v)) for _, v in items if v is not None), default=0.0) or 1.0
    rows = []
    for i, (label, value) in enumerate(items):
        length = abs(float(value)) / top * half if value is not None else 0.0
        negative = value is not None and value < 0
        rows.append(
            GapRow(
                label,
                value,
                fmt(value),
                i * (bar_height + gap),
                round(zero - length if negative else zero, 1),
                round(length, 1),
                round(zero - length - 4 if negative else zero + length + 4, 1),
                "end" if negative else "start",
                "male" if negative else "female",
            )
        )
    return GapChart(width, len(items) * (bar_height + gap) + 4, label_width, bar_height, round(zero, 1), rows)
