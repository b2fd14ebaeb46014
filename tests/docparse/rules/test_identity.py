"""IdentityRule: number and symbol, place and date, issuer and level, title and years from the header."""

from __future__ import annotations

from binhdang.docparse.rules.identity import IdentityRule
from docparse.rules.helpers import run_rules

HEADER = """ỦY BAN NHÂN DÂN
TỈNH CÀ MAU
Số: 130/KH-UBND
Cà Mau, ngày 18
tháng 11 năm 2025
KẾ HOẠCH
Thực hiện công tác bình đẳng giới
trên địa bàn tỉnh giai đoạn 2026-2030
Căn cứ Luật Bình đẳng giới ngày 29/11/2006;
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức về bình đẳng giới.
"""


def test_a_province_plan_header() -> None:
    doc = run_rules(HEADER, IdentityRule()).plan.document
    assert (doc.code, doc.number, doc.symbol, doc.kind) == ("130/KH-UBND", "130", "KH-UBND", "KH")
    # The date line is hard-wrapped after "ngày 18"; the two halves are one date.
    assert (doc.place, doc.date) == ("Cà Mau", "2025-11-18")
    assert (doc.issuer, doc.level, doc.unit) == ("Ủy ban nhân dân tỉnh Cà Mau", "province", "tỉnh Cà Mau")
    assert doc.title == "Thực hiện công tác bình đẳng giới trên địa bàn tỉnh giai đoạn 2026-2030"
    assert doc.years == [2026, 2030]


def test_a_district_names_its_province_and_a_central_city_is_a_province() -> None:
    district = run_rules(
        "ỦY BAN NHÂN DÂN\nHUYỆN HƯƠNG SƠN\nSố: 45/KH-UBND\nHương Sơn, ngày 03 tháng 4 năm 2024\nKẾ HOẠCH\n"
        "Truyền thông về bình đẳng giới năm 2024\nI. MỤC TIÊU\n1. Các xã trên địa bàn tỉnh Hà Tĩnh.\n",
        IdentityRule(),
    ).plan.document
    assert (district.issuer, district.level) == ("Ủy ban nhân dân huyện Hương Sơn", "district")
    assert district.unit == "huyện Hương Sơn, tỉnh Hà Tĩnh"
    assert district.years == [2024, 2024]
    city = run_rules(
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 2101/KH-UBND\nThành phố Hồ Chí Minh, ngày 05 tháng 3 năm 2024\n",
        IdentityRule(),
    ).plan.document
    # "Thành phố Hồ Chí Minh, ngày ...": the place is the name; the city is a province-level unit.
    assert (city.place, city.date, city.level) == ("Hồ Chí Minh", "2024-03-05", "province")


def test_an_impossible_date_and_a_number_without_digits_are_not_read() -> None:
    doc = run_rules(
        "ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH\nSố: ABC/KH-UBND\nNam Định, ngày 31 tháng 02 năm 2025\n", IdentityRule()
    ).plan.document
    assert doc.code is None and doc.number is None
    assert doc.date is None  # 31/02 is no day
    assert doc.place == "Nam Định"
    assert run_rules("", IdentityRule()).plan.document.code is None
