"""AimsRule and ObjectivesIndicatorsRule: aims, objectives "a) Mục tiêu 1: ...", numbered indicators, targets."""

from __future__ import annotations

from binhdang.docparse.result import Indicator
from binhdang.docparse.rules.objectives_indicators import AimsRule, ObjectivesIndicatorsRule
from docparse.rules.helpers import run_rules

OBJECTIVES = """II. MỤC TIÊU
a) Mục tiêu 1: Tăng cường sự tham gia của phụ nữ vào các vị trí quản lý
- Chỉ tiêu 1: Đến năm 2025, đạt 50% cơ quan có lãnh đạo chủ chốt là nữ.
- Chỉ tiêu 2: Phấn đấu giảm tỷ số giới tính khi sinh xuống dưới 109 bé trai/100 bé gái vào năm 2030.
b) Mục tiêu 2: Bảo đảm bình đẳng giới trong lĩnh vực lao động
- Chỉ tiêu 1: Tỷ lệ xã đạt 50% vào năm 2025; tỷ lệ huyện đạt 70% vào năm 2025.
III. NỘI DUNG
1. Tuyên truyền.
"""


def _targets(ind: Indicator) -> list[tuple[object, ...]]:
    return [(t.year, t.value, t.comparator) for t in ind.targets]


def test_objectives_and_their_numbered_indicators() -> None:
    plan = run_rules(OBJECTIVES, ObjectivesIndicatorsRule()).plan
    assert [(o.id, o.title) for o in plan.objectives] == [
        ("O1", "Tăng cường sự tham gia của phụ nữ vào các vị trí quản lý"),
        ("O2", "Bảo đảm bình đẳng giới trong lĩnh vực lao động"),
    ]
    first, second = plan.indicators[0], plan.indicators[1]
    assert (first.id, first.objective, first.number, first.measure, first.unit) == (
        "O1.1",
        "O1",
        "1",
        "percentage",
        "%",
    )
    assert _targets(first) == [(2025, 50, ">=")]
    assert first.targets[0].text == "Đến năm 2025, đạt 50%"
    # "giảm ... xuống dưới 109 bé trai/100 bé gái": a ratio to decrease, strictly below.
    assert (second.measure, second.unit, second.direction) == ("ratio", "bé trai/100 bé gái", "decrease")
    assert _targets(second) == [(2030, 109, "<")]
    assert second.targets[0].text == "dưới 109 bé trai/100 bé gái vào năm 2030"


def test_an_indicator_with_two_targets_for_one_year_is_split() -> None:
    plan = run_rules(OBJECTIVES, ObjectivesIndicatorsRule()).plan
    split = [i for i in plan.indicators if i.objective == "O2"]
    assert [(i.id, i.number) for i in split] == [("O2.1a", "1a"), ("O2.1b", "1b")]
    assert split[0].text == "Tỷ lệ xã đạt 50% vào năm 2025"
    assert [_targets(i) for i in split] == [[(2025, 50, ">=")], [(2025, 70, ">=")]]


def test_aims_from_the_purpose_and_requirement_items() -> None:
    aims = run_rules(
        "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích: Nâng cao nhận thức của cán bộ về bình đẳng giới.\n"
        "2. Yêu cầu: Bám sát chỉ tiêu được giao.\nII. NỘI DUNG\n1. Tuyên truyền.\n",
        AimsRule(),
    ).plan.aims
    assert [a.text for a in aims] == ["Nâng cao nhận thức của cán bộ về bình đẳng giới.", "Bám sát chỉ tiêu được giao."]


def test_an_indicator_without_a_number_and_text_without_objectives() -> None:
    plan = run_rules(
        "a) Mục tiêu 1: Nâng cao năng lực\n- Chỉ tiêu 1: Nâng cao chất lượng công tác; đạt x% số hộ.\n",
        ObjectivesIndicatorsRule(),
    ).plan
    (ind,) = plan.indicators
    assert (ind.id, ind.measure, ind.targets) == ("O1.1", "text", [])
    nothing = run_rules("- Chỉ tiêu 1: đạt 50% vào năm 2025.\n", ObjectivesIndicatorsRule()).plan
    assert nothing.objectives == [] and nothing.indicators == []
