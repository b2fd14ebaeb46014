"""Rules on small texts."""

from __future__ import annotations

from binhdang.docparse import parse_text
from binhdang.docparse.normalise import normalise
from binhdang.docparse.rules.common import find_agencies
from binhdang.docparse.rules.reporting import report_kind
from binhdang.docparse.rules.tasks_agencies import find_window
from binhdang.docparse.syllables import split_glued


def test_normalise_nfc_markdown_and_broken_lines() -> None:
    raw = "Số: **59** /KH-UBND\nlao động trong\n\ncác cơ quan\nTi\u0301nh"
    out = normalise(raw)
    assert "**" not in out
    assert "lao động trong các cơ quan" in out
    assert "Tính" in out


def test_glued_words_split_only_when_safe() -> None:
    assert split_glued("huyện Hương Sơngiai đoạn") == "huyện Hương Sơn giai đoạn"
    assert split_glued("Internet OCOP LĐTBXH") == "Internet OCOP LĐTBXH"


def test_agency_names() -> None:
    names = [n for n, _s, _e in find_agencies("Sở Văn hóa, Thể thao và Du lịch tổ chức")]
    assert names == ["Sở Văn hóa, Thể thao và Du lịch"]
    names = [n for n, _s, _e in find_agencies("Sở Ngoại vụ, Sở Lao động - Thương binh và Xã hội và các đơn vị")]
    assert names == ["Sở Ngoại vụ", "Sở Lao động - Thương binh và Xã hội"]


def test_windows_and_report_kinds() -> None:
    assert find_window("từ ngày 15/11 đến 15/12/2023")[0] == {"start": "2023-11-15", "end": "2023-12-15"}  # type: ignore[index]
    assert find_window("từ ngày 15/11 đến ngày 15/12 hàng năm")[0] == {"start": "--11-15", "end": "--12-15"}  # type: ignore[index]
    assert report_kind("06 tháng đầu năm (trước ngày 10/6)") == "semiannual"
    assert report_kind("báo cáo năm 2023") == "annual"


def test_identity_and_reporting_from_a_small_plan() -> None:
    text = (
        "Số: 12/KH-UBND\nHà Nội, ngày 05 tháng 01 năm 2020\nKẾ HOẠCH\nThực hiện công tác bình đẳng giới năm 2020\n"
        "Căn cứ Quyết định số 1241/QĐ-TTg ngày 22/7/2011 của Thủ tướng Chính phủ phê duyệt Chương trình; "
        "UBND thành phố Hà Nội ban hành Kế hoạch như sau:\nI. MỤC ĐÍCH\n1. Nâng cao nhận thức.\n"
        "II. NỘI DUNG\n1. Tuyên truyền\n- Tổ chức hội nghị.\n- Tuyên truyền trên báo.\n"
        "IV. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế: Thực hiện lồng ghép giới.\n"
        "V. CHẾ ĐỘ BÁO CÁO\nBáo cáo 6 tháng (trước ngày 10/6) và hàng năm (trước ngày 10/11) về Sở Nội vụ.\n"
    )
    plan = parse_text(text).plan
    doc = plan["document"]
    assert (doc["code"], doc["date"], doc["place"]) == ("12/KH-UBND", "2020-01-05", "Hà Nội")
    assert plan["references"][0]["code"] == "1241/QĐ-TTg"
    assert [r["due"] for r in plan["reporting"]] == ["--06-10", "--11-10"]
    assert plan["reporting"][0]["to"] == "Sở Nội vụ"
    assert any(t["lead"] == "Sở Y tế" and t["text"] == "Thực hiện lồng ghép giới." for t in plan["tasks"])
    assert "/document/code" in plan["provenance"]


def test_missing_fields_stay_empty() -> None:
    plan = parse_text("KẾ HOẠCH\nI. MỤC TIÊU\n1. Một.\n2. Hai.\nII. NỘI DUNG\n- a\n- b\n- c\n").plan
    assert plan["document"]["code"] is None and plan["document"]["date"] is None
    assert plan["signer"] is None and plan["recipients"] == []
