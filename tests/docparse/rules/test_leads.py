"""LeadsRule: leads from per-agency headings, task tables and "X chủ trì" sentences, assigned to tasks."""

from __future__ import annotations

from binhdang.docparse.result import Task
from binhdang.docparse.rules.leads import LeadsRule
from binhdang.docparse.rules.tasks_agencies import TasksRule
from docparse.rules.helpers import run_rules


def _tasks(text: str) -> list[Task]:
    return run_rules(text, TasksRule(), LeadsRule()).plan.tasks


def test_an_agency_heading_leads_the_bullets_under_it_and_an_inline_duty_is_one_task() -> None:
    tasks = _tasks(
        "III. PHÂN CÔNG TRÁCH NHIỆM\n1. Sở Tài chính\n- Tham mưu bố trí kinh phí thực hiện Kế hoạch.\n"
        "- Hướng dẫn các đơn vị quyết toán kinh phí.\n"
        "2. Công an tỉnh: Chủ trì, phối hợp với Sở Tư pháp tổ chức phòng, chống mua bán người.\n"
    )
    assert [(t.id, t.text, t.lead, t.partners) for t in tasks] == [
        ("T1", "Tham mưu bố trí kinh phí thực hiện Kế hoạch.", "Sở Tài chính", []),
        ("T2", "Hướng dẫn các đơn vị quyết toán kinh phí.", "Sở Tài chính", []),
        ("T3", "Chủ trì, phối hợp với Sở Tư pháp tổ chức phòng, chống mua bán người.", "Công an tỉnh", ["Sở Tư pháp"]),
    ]
    assert not any(t.group for t in tasks)


TABLE = (
    "II. NHIỆM VỤ CỤ THỂ\n"
    "STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian\n"
    "1 | Tổ chức tuyên truyền về bình đẳng giới | Sở Văn hóa, Thể thao và Du lịch | Sở Y tế; Hội Liên hiệp Phụ nữ"
    " tỉnh | 2025\n"
    "2 | Tập huấn cho cán bộ làm công tác bình đẳng giới | Sở Nội vụ | Các sở, ngành | Quý III/2025\n"
)


def test_a_task_table_gives_one_task_per_row() -> None:
    tasks = _tasks(TABLE)
    assert [t.text for t in tasks] == [
        "Tổ chức tuyên truyền về bình đẳng giới",
        "Tập huấn cho cán bộ làm công tác bình đẳng giới",
    ]
    assert [t.partners for t in tasks] == [["Sở Y tế", "Hội Liên hiệp Phụ nữ tỉnh"], ["Các sở, ngành"]]
    assert tasks[1].lead == "Sở Nội vụ"


def test_a_table_lead_with_a_comma_in_its_name_stays_whole() -> None:
    assert _tasks(TABLE)[0].lead == "Sở Văn hóa, Thể thao và Du lịch"


SENTENCE = "- Giao Công an tỉnh chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội triển khai Đề án.\n"


def test_a_sentence_names_the_lead_of_a_task_the_tasks_rule_read_without_one() -> None:
    (task,) = _tasks("II. NỘI DUNG\n1. Tuyên truyền về bình đẳng giới\n" + SENTENCE)
    assert (task.lead, task.partners) == ("Công an tỉnh", ["Sở Lao động - Thương binh và Xã hội"])


def test_a_phong_chong_topic_heading_is_not_an_agency() -> None:
    (task,) = _tasks("II. NỘI DUNG\n1. Phòng, chống mua bán người\n" + SENTENCE)
    assert task.lead == "Công an tỉnh"


def test_quotas_garbage_and_an_empty_part_give_no_tasks() -> None:
    assert _tasks("III. PHÂN CÔNG TRÁCH NHIỆM\n1. Ban Chỉ đạo bầu cử của tỉnh: Không quá 05 cá nhân;\n") == []
    assert _tasks("@@@ | ### | 1.040,5\n") == []
    assert _tasks("III. PHÂN CÔNG TRÁCH NHIỆM\n") == []
