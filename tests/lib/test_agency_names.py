from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from binhdang.lib.agency_names import ABBREVIATIONS, agency_key
from binhdang.lib.text import fold

SAME_AGENCY = [
    [
        "Sở LĐTBXH",
        "Sở Lao động - TB&XH",
        "Sở Lao động TB&XH",
        "Sở Lao động – Thương binh và Xã hội",
        "Sở Lao động, Thương binh và Xã hội",
        "Sở LĐ-TB&XH",
        "Sở LĐTĐ&XH",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    ],
    ["UBND tỉnh", "Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh", "UB nhân dân tỉnh"],
    ["Hội LHPN tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "HLHPN tỉnh"],
    [
        "Đài PT-TH tỉnh",
        "Đài Phát thanh - Truyền hình tỉnh",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Đài PT&TH tỉnh",
        "Đài PTTH tỉnh",
    ],
    ["Ủy ban MTTQ", "Ủy ban Mặt trận Tổ quốc", "UBMTTQ", "UB MTTQ", "Uỷ ban Mặt trận Tổ quốc"],
    ["Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hoá - Thể thao và Du lịch"],
    ["Sở GD&ĐT", "Sở Giáo dục và Đào tạo", "Sở GD-ĐT", "Sở GDĐT"],
    ["Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"],
    ["Sở TT&TT", "Sở Thông tin và Truyền thông"],
    ["Ban VSTBPN", "Ban vì sự tiến bộ của phụ nữ", "Ban Vì sự tiến bộ phụ nữ"],
    ["LĐLĐ", "Liên đoàn Lao động"],
    ["HĐND", "Hội đồng nhân dân"],
    ["Phòng LĐTBXH", "Phòng Lao động - Thương binh và Xã hội", "Phòng LĐ-TB&XH"],
]
ALL_NAMES = [name for group in SAME_AGENCY for name in group]


@pytest.mark.parametrize("group", SAME_AGENCY, ids=lambda g: g[0])
def test_variants_of_one_agency_share_a_key(group: list[str]) -> None:
    keys = {agency_key(name) for name in group}
    keys |= {agency_key(unicodedata.normalize("NFD", name)) for name in group}
    assert len(keys) == 1, keys


def test_different_agencies_have_different_keys() -> None:
    keys = [agency_key(group[0]) for group in SAME_AGENCY]
    assert len(set(keys)) == len(keys)
    assert agency_key("Sở LĐTBXH") != agency_key("Phòng LĐTBXH")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Sở LĐTBXH", "so lao dong thuong binh xa hoi"),
        ("UBND tỉnh", "uy ban nhan dan tinh"),
        ("Sở Y tế", "so y te"),
        ("UBND TP. Huế", "uy ban nhan dan thanh pho hue"),
        ("Đoàn TNCS Hồ Chí Minh tỉnh", "doan thanh nien cong san ho chi minh tinh"),
        ("  **Sở Tư pháp**  ", "so tu phap"),
    ],
)
def test_agency_key_examples(name: str, key: str) -> None:
    assert agency_key(name) == key


def test_abbreviations_must_match_as_whole_words() -> None:
    # "tp" inside "tphcm" or "ub" inside "cuba" must not expand.
    assert agency_key("Cuba") == "cuba"
    assert agency_key("Hội Nông dân") == "hoi nong dan"


def test_abbreviation_table_is_folded_and_expansions_are_stable() -> None:
    for abbreviation, expansion in ABBREVIATIONS.items():
        assert fold(abbreviation) == abbreviation
        assert fold(expansion) == expansion
        assert agency_key(expansion) == agency_key(abbreviation)


@given(st.sampled_from(ALL_NAMES))
def test_agency_key_is_idempotent_on_known_names(name: str) -> None:
    assert agency_key(agency_key(name)) == agency_key(name)


@given(
    st.lists(
        st.sampled_from([*ALL_NAMES, "&", "-", "–", ",", " và ", "tỉnh", "huyện", "TB", "XH", "tb&xh"]),
        max_size=6,
    ).map(" ".join)
    | st.text(max_size=30)
)
def test_agency_key_is_idempotent(name: str) -> None:
    key = agency_key(name)
    assert agency_key(key) == key
    assert key == key.strip()
    assert "  " not in key
