"""BudgetRule: amounts by item, year and source from a "|"-flattened table, printed totals and their checks."""

from __future__ import annotations

from binhdang.docparse.result import Plan
from binhdang.docparse.rules.budget import BudgetRule, vn_number
from binhdang.docparse.rules.identity import IdentityRule
from docparse.rules.helpers import run_rules

HEAD = "KẾ HOẠCH\nThực hiện bình đẳng giới giai đoạn 2025-2026\nIII. KINH PHÍ THỰC HIỆN\n"


def _read(text: str) -> Plan:
    return run_rules(HEAD + text, IdentityRule(), BudgetRule()).plan


def test_lines_per_year_and_each_row_total_for_the_period() -> None:
    text = (
        "Kinh phí thực hiện từ ngân sách tỉnh, đơn vị tính: triệu đồng.\n"
        "TT | Nội dung | 2025 | 2026 | Tổng | Đơn vị chủ trì\n"
        "1 | Tuyên truyền | 1.040,5 | 500 | 1.540,5 | Sở Văn hóa, Thể thao và Du lịch\n"
        "2 | Tập huấn | 200 | 300 | 500 | Sở Nội vụ\n"
    )
    ctx = run_rules(HEAD + text, IdentityRule(), BudgetRule())
    plan = ctx.plan
    assert plan.budget_unit == "million VND"
    assert [(b.item, b.year, b.source, b.amount) for b in plan.budget_lines] == [
        ("Tuyên truyền", 2025, "local", 1040.5),
        ("Tuyên truyền", 2026, "local", 500),
        ("Tập huấn", 2025, "local", 200),
        ("Tập huấn", 2026, "local", 300),
    ]
    assert [(b.item, b.year, b.amount) for b in plan.budget_totals] == [
        ("Tuyên truyền", None, 1540.5),
        ("Tập huấn", None, 500),
    ]
    assert [c.ok for c in plan.budget_checks] == [True, True]
    # The lead printed in each row is kept for the projects rule.
    assert ctx.budget_agencies == {"Tuyên truyền": "Sở Văn hóa, Thể thao và Du lịch", "Tập huấn": "Sở Nội vụ"}


def test_a_group_row_and_a_printed_total_that_does_not_add_up() -> None:
    plan = _read(
        "Nguồn kinh phí: ngân sách tỉnh (triệu đồng).\n"
        "TT | Nội dung | 2025 | 2026 | Tổng | Đơn vị chủ trì\n"
        "I | Dự án 1 | 300 | 400 | 700 |\n"
        "1 | Tiểu dự án 1 | 100 | 150 | 250 | Sở Y tế\n"
        "2 | Tiểu dự án 2 | 200 | 250 | 460 | Sở Tư pháp\n"
    )
    assert [(b.item, b.year, b.amount) for b in plan.budget_lines] == [
        ("Dự án 1 / Tiểu dự án 1", 2025, 100),
        ("Dự án 1 / Tiểu dự án 1", 2026, 150),
        ("Dự án 1 / Tiểu dự án 2", 2025, 200),
        ("Dự án 1 / Tiểu dự án 2", 2026, 250),
    ]
    checks = {(c.item, c.year): (c.ok, c.printed, c.computed) for c in plan.budget_checks}
    assert checks[("Dự án 1 / Tiểu dự án 1", None)] == (True, 250, 250)
    # 200 + 250 is 450, not the 460 printed: the total is kept as printed and the check fails.
    assert checks[("Dự án 1 / Tiểu dự án 2", None)] == (False, 460, 450)
    assert checks[("Dự án 1", 2025)] == (True, 300, 300)
    assert checks[("Dự án 1", None)] == (True, 700, 700)


def test_vietnamese_numbers_and_what_is_not_one() -> None:
    assert [vn_number(s) for s in ("1.040,5", "1.040", "1,7", "500")] == [1040.5, 1040, 1.7, 500]
    assert [vn_number(s) for s in ("1.04,5", "abc", "", "12.34.5", "-")] == [None] * 5
    # A table whose text names no funding source gives no lines rather than guessed ones.
    plan = _read("Kinh phí (triệu đồng):\nTT | Nội dung | 2025 | 2026 | Tổng\n1 | Tập huấn | 200 | 300 | 500\n")
    assert (plan.budget_lines, plan.budget_totals, plan.budget_unit) == ([], [], None)
