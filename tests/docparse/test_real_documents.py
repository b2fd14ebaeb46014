"""The reader on the kind of text real 2025 documents are: portal markdown with hard-wrapped lines and "|" cells,
decisions, targets in lead-ins, per-agency paragraphs, report deadlines. The texts are written for these tests
in the style of ``../shared/corpus`` (never copied from the program's output)."""

from __future__ import annotations

from pathlib import Path

import pytest

from binhdang.docparse import parse_text
from binhdang.docparse.layout import looks_wrapped, rebuild

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

HEADER = """|
**ỦY BAN NHÂN DÂN**
THÀNH PHỐ HỒ CHÍ MINH
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 0130/{sym}
|
*Thành phố Hồ Chí
Minh, ngày 18 tháng 11 năm 2025*
|

"""

PLAN = (
    HEADER.format(sym="KH-UBND")
    + """**KẾ HOẠCH**

TRIỂN KHAI CHUYỂN ĐỔI SỐ TRONG LĨNH VỰC Y TẾ
TRÊN ĐỊA BÀN THÀNH PHỐ NĂM 2026

Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; Quyết định
1229/QĐ-UBND ngày 28/02/2025 của Ủy ban nhân dân Thành phố; Ủy ban nhân dân
Thành phố ban hành Kế hoạch như sau:

**I. MỤC TIÊU**

**1. Các chỉ tiêu đến năm
2026:**

- Tối thiểu 50% cơ sở y tế kết nối
dữ liệu khám chữa bệnh.

- Số hồ sơ sức khỏe điện tử tăng 10 - 13%/năm.

**2. Chỉ tiêu khác**

- 100% trạm y tế phường, xã có
kết nối internet.

**II. NHIỆM VỤ**

1. Sở Y tế chủ trì, phối hợp với Sở Tài chính xây dựng cơ sở dữ liệu
y tế dùng chung.

**III. TỔ CHỨC THỰC HIỆN**

**1. Sở Khoa học và Công nghệ**

- Hướng dẫn các đơn vị triển khai nền tảng số dùng chung.

- Bảo đảm an toàn thông tin cho các hệ thống.

**2. Ủy ban nhân dân các xã, phường**

- Tổ chức tuyên truyền đến người dân về sổ sức khỏe điện tử.

Định kỳ báo cáo kết quả thực hiện về Sở Y tế trước ngày 15/12 hằng năm; báo cáo
tiến độ trước ngày 16 hằng tháng; báo cáo sơ kết trước ngày 16 tháng 12 năm 2026.
"""
)

PROCEDURES = (
    HEADER.format(sym="QĐ-UBND")
    + """**QUYẾT ĐỊNH**

VỀ VIỆC CÔNG BỐ THỦ TỤC HÀNH CHÍNH NỘI BỘ TRONG LĨNH VỰC Y TẾ

**CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ**

*Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;*

**QUYẾT ĐỊNH:**

**Điều 1.** Công bố kèm theo Quyết định này danh mục thủ tục hành chính nội bộ.

**Điều 2.** Quyết định này có hiệu lực kể từ ngày ký./.
"""
)


@pytest.fixture(scope="module")
def plan() -> dict:  # type: ignore[type-arg]
    return parse_text(PLAN).plan


def test_seeds_are_not_rebuilt_so_their_spans_do_not_move() -> None:
    for path in sorted(GOLDEN.glob("*.txt")):
        assert not looks_wrapped(path.read_text(encoding="utf-8")), path.name


def test_layout_joins_wrapped_lines_and_keeps_header_cells_apart() -> None:
    text = rebuild(PLAN)
    assert "Thành phố Hồ Chí Minh, ngày 18 tháng 11 năm 2025" in text
    assert "\nSố: 0130/KH-UBND\n" in text
    assert "Tối thiểu 50% cơ sở y tế kết nối dữ liệu khám chữa bệnh." in text
    assert "**" not in text and "\n|\n" not in text


def test_identity_across_line_breaks_with_a_city_as_province(plan: dict) -> None:  # type: ignore[type-arg]
    doc = plan["document"]
    assert (doc["code"], doc["date"], doc["place"], doc["level"]) == (
        "0130/KH-UBND",
        "2025-11-18",
        "Hồ Chí Minh",
        "province",
    )
    assert doc["issuer"] == "Ủy ban nhân dân thành phố Hồ Chí Minh"
    assert "verdict" not in plan  # a plain plan
    assert {r["code"] for r in plan["references"]} == {"57-NQ/TW", "1229/QĐ-UBND"}
    assert any("gender equality" in n for n in plan["notes"])


def test_targets_take_the_year_of_their_lead_in_and_keep_ranges_and_yearless_ones(
    plan: dict,  # type: ignore[type-arg]
) -> None:
    targets = {(str(t["value"]), t["year"]) for i in plan["indicators"] for t in i["targets"]}
    assert ("50", 2026) in targets
    assert ("[10, 13]", 2026) in targets
    assert ("100", None) in targets


def test_leads_from_sentences_agency_paragraphs_and_groups(plan: dict) -> None:  # type: ignore[type-arg]
    by_start = {t["text"][:30]: t for t in plan["tasks"] if t["lead"]}
    sentence = next(t for k, t in by_start.items() if k.startswith("Sở Y tế chủ trì"))
    assert sentence["lead"] == "Sở Y tế" and sentence["partners"] == ["Sở Tài chính"]
    guide = next(t for k, t in by_start.items() if k.startswith("Hướng dẫn các đơn vị"))
    assert guide["lead"] == "Sở Khoa học và Công nghệ" and "group" not in guide
    commune = next(t for k, t in by_start.items() if k.startswith("Tổ chức tuyên truyền"))
    assert commune["lead"] == "Ủy ban nhân dân các xã, phường"


def test_report_deadlines_yearly_monthly_and_one_off(plan: dict) -> None:  # type: ignore[type-arg]
    due = {(r["kind"], r["due"]) for r in plan["reporting"]}
    assert {("annual", "--12-15"), ("monthly", "---16")} <= due
    assert any(d == "2026-12-16" for _k, d in due)


def test_a_decision_publishing_procedures_is_named_not_refused_as_garbage() -> None:
    result = parse_text(PROCEDURES)
    assert not result.is_plan
    assert result.verdict == "not-plan"
    assert result.plan["not_plan"] == "Quyết định công bố thủ tục hành chính"
    assert result.plan["document"]["code"] == "0130/QĐ-UBND"


def test_a_decision_issuing_a_plan_gives_both_identities() -> None:
    text = PROCEDURES.replace(
        "VỀ VIỆC CÔNG BỐ THỦ TỤC HÀNH CHÍNH NỘI BỘ TRONG LĨNH VỰC Y TẾ", "BAN HÀNH KẾ HOẠCH CHUYỂN ĐỔI SỐ Y TẾ"
    ).replace(
        "Công bố kèm theo Quyết định này danh mục thủ tục hành chính nội bộ.",
        "Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số y tế năm 2026.",
    )
    text += "\n**KẾ HOẠCH**\n\nCHUYỂN ĐỔI SỐ Y TẾ NĂM 2026\n\n*(Ban hành kèm theo Quyết định số 0130/QĐ-UBND)*\n"
    result = parse_text(text)
    assert result.is_plan and result.verdict == "decision-issuing-plan"
    assert result.plan["document"]["kind"] == "QĐ"
    assert result.plan["plan_document"]["title"] == "CHUYỂN ĐỔI SỐ Y TẾ NĂM 2026"


def test_an_administrative_document_without_plan_structure_is_still_read() -> None:
    text = PLAN.split("**I. MỤC TIÊU**")[0]  # header, title and legal bases only
    result = parse_text(text)
    assert result.is_plan and result.plan["document"]["code"] == "0130/KH-UBND"
