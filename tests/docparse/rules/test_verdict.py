"""VerdictRule: a plan, a decision issuing a plan (with the issued plan's title), or a named not-plan."""

from __future__ import annotations

from binhdang.docparse.notes import NO_GENDER
from binhdang.docparse.result import Plan
from binhdang.docparse.rules.identity import IdentityRule
from binhdang.docparse.rules.verdict import VerdictRule
from docparse.rules.helpers import run_rules


def _read(text: str) -> Plan:
    return run_rules(text, IdentityRule(), VerdictRule()).plan


def test_a_decision_that_issues_a_plan_keeps_the_plan_title() -> None:
    plan = _read(
        "ỦY BAN NHÂN DÂN\nTỈNH THÁI NGUYÊN\nSố: 1234/QĐ-UBND\nThái Nguyên, ngày 10 tháng 6 năm 2025\n"
        "QUYẾT ĐỊNH\nBan hành Kế hoạch thực hiện bình đẳng giới năm 2025\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương;\nQUYẾT ĐỊNH:\n"
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện công tác bình đẳng giới năm 2025.\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
        "KẾ HOẠCH\nCông tác bình đẳng giới\ntrên địa bàn tỉnh năm 2025\n"
        "(Kèm theo Quyết định số 1234/QĐ-UBND ngày 10/6/2025)\nI. MỤC ĐÍCH\n",
    )
    assert plan.verdict == "decision-issuing-plan" and plan.not_plan is None
    assert plan.issued_plan is not None
    # The two title lines under the attached "KẾ HOẠCH" (hard-wrapped) are one title; "(Kèm theo ...)" ends it.
    assert plan.issued_plan.title == "Công tác bình đẳng giới trên địa bàn tỉnh năm 2025"
    assert NO_GENDER not in plan.notes


def test_documents_of_other_kinds_are_named() -> None:
    procedures = _read(
        "Số: 55/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc công bố danh mục thủ tục hành chính mới ban hành\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương;\n"
        "Điều 1. Công bố kèm theo Quyết định này 05 thủ tục hành chính.\n"
    )
    assert (procedures.verdict, procedures.not_plan) == ("not-plan", "Quyết định công bố thủ tục hành chính")
    report = _read("Số: 12/BC-UBND\nBáo cáo kết quả thực hiện bình đẳng giới năm 2024\n")
    assert (report.verdict, report.not_plan) == ("not-plan", "Báo cáo")


def test_a_plan_without_gender_words_and_text_with_no_evidence() -> None:
    plan = _read("Số: 20/KH-UBND\nKẾ HOẠCH\nPhát triển du lịch năm 2025\nI. MỤC ĐÍCH\n")
    assert (plan.verdict, plan.notes) == ("plan", [NO_GENDER])
    # Garbage gives no evidence either way: the verdict stays the default, the pipeline weighs the rest.
    garbage = _read("@@@ ### 1.040,5 ???")
    assert (garbage.verdict, garbage.not_plan, garbage.issued_plan) == ("plan", None, None)


def test_gender_words_count_in_any_case() -> None:
    # "Bình đẳng giới" opening a heading, and a title-cased "Tiến bộ của Phụ nữ", are the topic all the same.
    for title in ("Bình đẳng giới trong vùng đồng bào dân tộc năm 2025", "Vì sự Tiến bộ của Phụ nữ năm 2025"):
        plan = _read(f"Số: 21/KH-UBND\nKẾ HOẠCH\n{title}\nI. MỤC ĐÍCH\n")
        assert plan.verdict == "plan" and NO_GENDER not in plan.notes, title
