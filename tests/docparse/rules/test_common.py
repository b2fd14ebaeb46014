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


def test_an_agency_name_ends_before_deadline_words_dates_and_numbers() -> None:
    def names(s: str) -> list[str]:
        return [n for n, _s, _e in find_agencies(s)]

    assert names("Sở Nội vụ trước ngày 20 hằng tháng") == ["Sở Nội vụ"]
    assert names("UBND tỉnh hằng năm") == ["UBND tỉnh"]
    assert names("Sở Y tế đúng thời hạn") == ["Sở Y tế"]
    assert names("Sở Tài chính chậm nhất ngày 15/12") == ["Sở Tài chính"]
    assert names("Sở Tư pháp 20/12/2025") == ["Sở Tư pháp"]
    # A number that belongs to the name, a count of units, and a bank ("hàng" after "Ngân") go on.
    assert names("Trường THCS số 1 trước ngày 5/9") == ["Trường THCS số 1"]
    assert names("Ủy ban nhân dân 04 xã") == ["Ủy ban nhân dân 04 xã"]
    assert names("UBND Phường 3 trước ngày 10") == ["UBND Phường 3"]
    assert names("Ngân hàng Chính sách xã hội tỉnh") == ["Ngân hàng Chính sách xã hội tỉnh"]


def test_a_management_board_named_after_its_zones_is_one_name() -> None:
    assert [n for n, _s, _e in find_agencies("Ban Quản lý các khu công nghệ cao và khu công nghiệp, Sở Xây dựng")] == [
        "Ban Quản lý các khu công nghệ cao và khu công nghiệp",
        "Sở Xây dựng",
    ]
    # "và" followed by a verb still ends the name.
    assert [n for n, _s, _e in find_agencies("Sở Y tế và triển khai kế hoạch")] == ["Sở Y tế"]
    # "Liên minh Hợp tác xã" is a body of its own after a comma.
    assert split_agency_list("Hội Nông dân, Liên minh Hợp tác xã") == ["Hội Nông dân", "Liên minh Hợp tác xã"]
