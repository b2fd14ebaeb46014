"""TargetsRule: percentages and counts set as targets in running text and bullets, with their years."""

from __future__ import annotations

from binhdang.docparse.rules.objectives_indicators import ObjectivesIndicatorsRule
from binhdang.docparse.rules.targets import TargetsRule
from docparse.rules.helpers import run_rules


def test_a_lead_in_gives_its_year_and_a_sentence_its_own() -> None:
    inds = run_rules(
        "I. MỤC TIÊU\n1. Chỉ tiêu đến năm 2030:\n"
        "- Tối thiểu 80% doanh nghiệp nhỏ và vừa được hỗ trợ chuyển\nđổi số;\n"
        "- Phấn đấu 100% xã có điểm truyền thông về bình đẳng giới vào năm 2025.\n",
        TargetsRule(),
    ).plan.indicators
    assert [i.text for i in inds] == [
        "Tối thiểu 80% doanh nghiệp nhỏ và vừa được hỗ trợ chuyển đổi số;",
        "Phấn đấu 100% xã có điểm truyền thông về bình đẳng giới vào năm 2025.",
    ]
    assert [(i.id, i.measure, i.unit) for i in inds] == [("X1", "percentage", "%"), ("X2", "percentage", "%")]
    # The first has no year of its own: the lead-in's "đến năm 2030" is its year.
    assert [(t.year, t.value, t.comparator) for i in inds for t in i.targets] == [(2030, 80, ">="), (2025, 100, ">=")]


def test_a_range_for_a_period_and_a_count_after_a_comparator() -> None:
    inds = run_rules(
        "II. MỤC TIÊU CỤ THỂ\n- Tăng trưởng kinh tế số đạt 10 - 13%/năm giai đoạn 2026 - 2030;\n"
        "- Hỗ trợ ít nhất 10 mô hình sinh kế cho phụ nữ đến năm 2027.\n",
        TargetsRule(),
    ).plan.indicators
    growth, models = inds
    assert growth.direction == "increase"
    assert [(t.year, t.value, t.comparator) for t in growth.targets] == [(2030, [10, 13], ">=")]
    assert (models.measure, models.unit) == ("count", None)
    assert [(t.year, t.value, t.comparator) for t in models.targets] == [(2027, 10, ">=")]


def test_baselines_money_shares_and_impossible_percentages_are_not_targets() -> None:
    plan = run_rules(
        "I. MỤC TIÊU\n- Hiện nay, tỷ lệ xã đạt chuẩn là 32,2%.\n- Phấn đấu đạt abc% số hộ.\n"
        "- Tăng cường tỷ lệ đạt 250% số lượt.\n- Chỉ tiêu | 50% | 2025\n"
        "II. KINH PHÍ THỰC HIỆN\n- Ngân sách tỉnh bảo đảm 50% kinh phí.\n",
        TargetsRule(),
    ).plan
    assert plan.indicators == []


def test_indicators_read_by_the_objectives_rule_are_left_to_it() -> None:
    plan = run_rules(
        "II. MỤC TIÊU\na) Mục tiêu 1: Tăng cường sự tham gia của phụ nữ\n"
        "- Chỉ tiêu 1: Đến năm 2025, đạt 50% cơ quan có lãnh đạo chủ chốt là nữ.\n",
        ObjectivesIndicatorsRule(),
        TargetsRule(),
    ).plan
    assert [i.id for i in plan.indicators] == ["O1.1"]
