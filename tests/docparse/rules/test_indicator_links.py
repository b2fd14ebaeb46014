"""IndicatorLinksRule: tasks naming "chỉ tiêu 1, 2 của mục tiêu 1" or "mục tiêu 2" link them; the lead answers."""

from __future__ import annotations

from binhdang.docparse.rules import Context
from binhdang.docparse.rules.indicator_links import IndicatorLinksRule
from binhdang.docparse.rules.objectives_indicators import ObjectivesIndicatorsRule
from binhdang.docparse.rules.tasks_agencies import TasksRule
from docparse.rules.helpers import run_rules

OBJECTIVES = """II. MỤC TIÊU
a) Mục tiêu 1: Nâng cao nhận thức về bình đẳng giới
- Chỉ tiêu 1: Đạt 50% số xã có câu lạc bộ vào năm 2025.
- Chỉ tiêu 2: Đạt 60% cán bộ được tập huấn vào năm 2025.
b) Mục tiêu 2: Giảm bạo lực trên cơ sở giới
- Chỉ tiêu 1: Đạt 70% nạn nhân được hỗ trợ vào năm 2025.
- Chỉ tiêu 2: Tỷ lệ xã đạt 50% vào năm 2025; tỷ lệ huyện đạt 70% vào năm 2025.
"""


def _read(tasks: str) -> Context:
    return run_rules(OBJECTIVES + tasks, ObjectivesIndicatorsRule(), TasksRule(), IndicatorLinksRule())


def test_numbered_indicators_of_an_objective_are_linked() -> None:
    ctx = _read("IV. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế: Chủ trì thực hiện chỉ tiêu 1, 2 của mục tiêu 1.\n")
    (task,) = ctx.plan.tasks
    assert (task.lead, task.indicators, task.objectives) == ("Sở Y tế", ["O1.1", "O1.2"], [])
    responsible = {i.id: i.responsible for i in ctx.plan.indicators}
    assert responsible["O1.1"] == responsible["O1.2"] == ["Sở Y tế"]
    assert responsible["O2.1"] == []


def test_a_whole_objective_and_a_split_indicator_by_its_number() -> None:
    ctx = _read(
        "IV. TỔ CHỨC THỰC HIỆN\n1. Sở Tư pháp: Thực hiện mục tiêu 2.\n"
        "2. Công an tỉnh: Thực hiện chỉ tiêu 2 của mục tiêu 2.\n"
    )
    justice, police = ctx.plan.tasks
    assert (justice.objectives, justice.indicators) == (["O2"], [])
    assert police.indicators == ["O2.2a", "O2.2b"]
    responsible = {i.id: i.responsible for i in ctx.plan.indicators}
    assert responsible["O2.1"] == ["Sở Tư pháp"]
    assert responsible["O2.2a"] == responsible["O2.2b"] == ["Sở Tư pháp", "Công an tỉnh"]
    assert responsible["O1.1"] == []


def test_indicators_the_plan_does_not_define_are_not_linked() -> None:
    ctx = _read("IV. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế: Thực hiện chỉ tiêu 9 của mục tiêu 5 và mục tiêu 7.\n")
    (task,) = ctx.plan.tasks
    assert (task.indicators, task.objectives) == ([], [])
    assert all(i.responsible == [] for i in ctx.plan.indicators)
    # Without tasks the rule does not run at all.
    assert IndicatorLinksRule().test(run_rules(OBJECTIVES, ObjectivesIndicatorsRule())) is False
