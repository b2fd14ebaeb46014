"""common: the helpers every rule shares (section kinds, agency names, groups, values)."""

from __future__ import annotations

from binhdang.docparse.rules.common import (
    clean_value,
    find_agencies,
    is_group,
    is_member_list,
    section_kind,
    split_agency_list,
)


def test_section_kinds_from_their_headings() -> None:
    headings = [
        "TỔ CHỨC THỰC HIỆN",
        "CHẾ ĐỘ BÁO CÁO",
        "KINH PHÍ THỰC HIỆN",
        "MỤC ĐÍCH, YÊU CẦU",
        "NHIỆM VỤ VÀ GIẢI PHÁP",
        "LỘ TRÌNH THỰC HIỆN",
        "PHỤ LỤC",
    ]
    assert [section_kind(h) for h in headings] == [
        "organisation",
        "reporting",
        "budget",
        "aims",
        "content",
        "roadmap",
        "other",
    ]


def test_agency_names_groups_and_member_lists() -> None:
    assert [n for n, _s, _e in find_agencies("Sở Ngoại vụ và Sở Tư pháp tổ chức tập huấn")] == [
        "Sở Ngoại vụ",
        "Sở Tư pháp",
    ]
    # A comma inside a name ("Văn hóa, Thể thao") does not split it.
    assert split_agency_list("Sở Văn hóa, Thể thao và Du lịch") == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert [is_group(n) for n in ("Ủy ban nhân dân các xã, phường", "Các Sở, ban, ngành", "đối tượng kiểm kê")] == [
        True,
        True,
        True,
    ]
    assert [is_group(n) for n in ("Sở Y tế", "Ban Quản lý các khu công nghiệp")] == [False, False]
    assert is_member_list("Gia Thuận, Tân Điền và Tân Phú Đông") is True
    assert is_member_list("tổ chức hội nghị, tập huấn") is False


def test_values_and_garbage() -> None:
    assert clean_value("  Sở   Y tế¹ \n") == "Sở Y tế"
    assert find_agencies("1.040,5 triệu đồng") == []
    assert find_agencies("") == []
    assert split_agency_list("") == []
    assert is_member_list("Gia Thuận") is False
