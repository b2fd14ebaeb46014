"""The province map: legacy shapes joined to the provinces in force, colours by class, borders of merged provinces
left out. Facts checked against Resolution 202/2025/QH15, not against the program's output."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from binhdang.analytics import geo
from binhdang.places.models import AdministrativeUnit, Generation, Level

pytestmark = pytest.mark.django_db


def _current(name: str) -> int:
    return AdministrativeUnit.objects.get(generation=Generation.CURRENT, level=Level.PROVINCE, name__endswith=name).pk


def _shape_indices(code: str) -> list[int]:
    return [i for i, s in enumerate(geo.topology().shapes) if s.code == code]


def _arcs(index: int) -> set[int]:
    shape = geo.topology().shapes[index]
    return {a if a >= 0 else ~a for polygon in shape.polygons for ring in polygon for a in ring}


def test_every_legacy_province_has_a_shape_and_every_province_in_force_an_area() -> None:
    codes = {s.code for s in geo.topology().shapes}
    legacy = set(
        AdministrativeUnit.objects.filter(generation=Generation.LEGACY, level=Level.PROVINCE).values_list(
            "code", flat=True
        )
    )
    assert codes == legacy and len(legacy) == 63
    in_force = set(
        AdministrativeUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).values_list("pk", flat=True)
    )
    drawn = geo.choropleth({}, {})
    assert {a.unit_id for a in drawn.areas} == in_force and len(in_force) == 34


@pytest.mark.parametrize(
    ("legacy", "successor"),
    [("06", "Thái Nguyên"), ("34", "Hưng Yên"), ("02", "Tuyên Quang"), ("08", "Tuyên Quang"), ("01", "Hà Nội")],
)
def test_legacy_shapes_belong_to_their_successor(legacy: str, successor: str) -> None:
    # Bắc Kạn joined Thái Nguyên; Thái Bình joined Hưng Yên; Hà Giang joined Tuyên Quang (Resolution 202/2025).
    assert geo.provinces_of_shapes()[legacy] == _current(successor)


def test_the_border_between_two_merged_provinces_is_not_drawn_and_a_real_one_is() -> None:
    home = geo.provinces_of_shapes()
    groups = {i: home[s.code] for i, s in enumerate(geo.topology().shapes)}
    drawn = geo.border_arcs(groups)
    bac_kan, thai_nguyen, lang_son = (_shape_indices(c)[0] for c in ("06", "19", "20"))
    merged = _arcs(bac_kan) & _arcs(thai_nguyen)
    kept = _arcs(thai_nguyen) & _arcs(lang_son)
    assert merged and kept
    assert not merged & drawn
    assert kept <= drawn


def test_colours_follow_the_figures_and_missing_figures_are_grey() -> None:
    ha_noi, hue, ca_mau = _current("Hà Nội"), _current("Huế"), _current("Cà Mau")
    values = {ha_noi: Decimal("10"), hue: Decimal("60"), ca_mau: None}
    drawn = geo.choropleth(values, {ha_noi: "Hà Nội"})
    fills = {a.unit_id: a.fill for a in drawn.areas}
    assert fills[ha_noi] == geo.PALETTE[0]
    assert fills[hue] == geo.PALETTE[-1]
    assert fills[ca_mau] == geo.NO_DATA
    others = [a.fill for a in drawn.areas if a.unit_id not in values]
    assert others and set(others) == {geo.NO_DATA}
    assert [item.fill for item in drawn.legend] == [*geo.PALETTE, geo.NO_DATA]
    assert drawn.legend[0].label == "10 – 20" and drawn.legend[-2].label == "50 – 60"
    assert next(a for a in drawn.areas if a.unit_id == ha_noi).text == "10"


def test_paths_stay_inside_the_picture_and_the_archipelagos_are_drawn_in_their_province_colour() -> None:
    da_nang, khanh_hoa = _current("Đà Nẵng"), _current("Khánh Hòa")
    drawn = geo.choropleth({da_nang: Decimal(1), khanh_hoa: Decimal(9)}, {})
    numbers = [float(n) for a in drawn.areas for n in re.findall(r"-?\d+(?:\.\d+)?", a.path)]
    xs, ys = numbers[0::2], numbers[1::2]
    xs += [x for a in drawn.archipelagos for x, _y in a.points]
    ys += [y for a in drawn.archipelagos for _x, y in a.points]
    assert min(xs) >= 0 and max(xs) <= drawn.width
    assert min(ys) >= 0 and max(ys) <= drawn.height
    assert all(a.path.startswith("M") and a.path.endswith("Z") for a in drawn.areas)
    fills = {a.name: a.fill for a in drawn.archipelagos}
    assert fills == {"Hoàng Sa": geo.PALETTE[0], "Trường Sa": geo.PALETTE[-1]}
    # Trường Sa lies south-east of Hoàng Sa: further right would not hold (both near 112-115°E), lower does.
    hoang_sa, truong_sa = drawn.archipelagos
    assert max(y for _x, y in hoang_sa.points) < min(y for _x, y in truong_sa.points)


def test_offshore_islands_belong_to_their_province() -> None:
    # Bạch Long Vĩ (20.13°N) belongs to Hải Phòng: its shape set has the mainland and the island.
    hai_phong = geo.topology().shapes[_shape_indices("31")[0]]
    assert len(hai_phong.polygons) == 2


def test_equal_figures_make_one_class() -> None:
    ha_noi, hue = _current("Hà Nội"), _current("Huế")
    drawn = geo.choropleth({ha_noi: Decimal(5), hue: Decimal(5)}, {})
    assert len(drawn.legend) == 2
    assert {a.fill for a in drawn.areas if a.unit_id in (ha_noi, hue)} == {geo.PALETTE[2]}
