"""lead_candidates: where a plan names a task's doer, read as candidates (text, lead, partners)."""

from __future__ import annotations

from binhdang.docparse.rules.common import clean_value
from binhdang.docparse.rules.lead_candidates import Candidate, find_assignments, find_headings, find_tables
from docparse.rules.helpers import run_rules


def _assignments(text: str) -> list[Candidate]:
    blocks = run_rules(text).blocks
    return find_assignments(blocks, [clean_value(b.text) for b in blocks])


def test_assignment_lines_name_the_lead_and_partners_of_the_task_before_them() -> None:
    (cand,) = _assignments(
        "II. NHIỆM VỤ\n1. Chuyển đổi số trong công tác bình đẳng giới\n"
        "- Xây dựng cơ sở dữ liệu về bình đẳng giới của tỉnh.\n"
        "- Đơn vị chủ trì: Sở Khoa học và Công nghệ.\n"
        "- Đơn vị phối hợp: Sở Nội vụ; các cơ quan liên quan.\n"
        "- Thời gian thực hiện: năm 2026.\n"
    )
    assert (cand.text, cand.lead, cand.partners) == (
        "Xây dựng cơ sở dữ liệu về bình đẳng giới của tỉnh.",
        "Sở Khoa học và Công nghệ",
        ["Sở Nội vụ", "các cơ quan liên quan"],
    )


def test_headings_and_tables_give_candidates_with_partners_from_the_text() -> None:
    ctx = run_rules(
        "III. PHÂN CÔNG TRÁCH NHIỆM\n1. Sở Tài chính\n"
        "- Tham mưu bố trí kinh phí, phối hợp với Sở Nội vụ và Sở Tài chính hướng dẫn quyết toán.\n"
        "STT | Nhiệm vụ | Chủ trì | Phối hợp\n1 | Tập huấn cán bộ cấp xã | Sở Nội vụ | Sở Tư pháp\n"
    )
    blocks = ctx.blocks
    (heading,) = find_headings(ctx, blocks, [clean_value(b.text) for b in blocks], set())
    assert (heading.lead, heading.heading) == ("Sở Tài chính", True)
    # The lead named again among the partners is not its own partner.
    assert heading.all_partners() == ["Sở Nội vụ"]
    (row,) = find_tables(ctx)
    assert (row.text, row.lead, row.partners) == ("Tập huấn cán bộ cấp xã", "Sở Nội vụ", ["Sở Tư pháp"])


def test_empty_assignment_lines_and_tables_without_a_lead_column_give_nothing() -> None:
    assert _assignments("II. NHIỆM VỤ\n- Xây dựng cơ sở dữ liệu.\n- Đơn vị chủ trì:\n- Đơn vị phối hợp: \n") == []
    ctx = run_rules("STT | Nội dung | Kinh phí (triệu đồng)\n1 | Tập huấn | 1.040,5\n")
    assert find_tables(ctx) == []
    assert _assignments("") == []
