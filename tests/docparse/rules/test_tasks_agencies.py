"""TasksRule: tasks from the content, organisation and roadmap sections, with lead, partners and window."""

from __future__ import annotations

from binhdang.docparse.rules.tasks_agencies import TasksRule, find_window
from docparse.rules.helpers import run_rules


def test_organisation_items_name_the_doer_of_their_bullets() -> None:
    tasks = run_rules(
        "IV. TỔ CHỨC THỰC HIỆN\n1. Sở Y tế:\n"
        "- Chủ trì triển khai các hoạt động chăm sóc sức khỏe sinh sản, phối hợp với Sở Tư pháp tổ chức tập\n"
        "huấn.\n"
        "+ Tổ chức khám sàng lọc trước ngày 10/6.\n"
        "2. Sở Văn hóa, Thể thao và Du lịch: Tổ chức ngày hội gia đình từ ngày 15/11 đến 15/12/2025.\n",
        TasksRule(),
    ).plan.tasks
    assert [(t.id, t.parent, t.section, t.number) for t in tasks] == [
        ("T1", None, "IV", "1"),
        ("T2", "T1", "IV", "1"),
        ("T3", None, "IV", "2"),
    ]
    first, sub, culture = tasks
    assert first.text.endswith("phối hợp với Sở Tư pháp tổ chức tập huấn.")  # the wrapped line is joined
    assert (first.lead, first.partners) == ("Sở Y tế", ["Sở Tư pháp"])
    assert (sub.lead, sub.text) == ("Sở Y tế", "Tổ chức khám sàng lọc trước ngày 10/6.")
    # "2. Sở ...: <text>" is one task; the comma inside the agency's name does not split it.
    assert culture.lead == "Sở Văn hóa, Thể thao và Du lịch"
    assert culture.text == "Tổ chức ngày hội gia đình từ ngày 15/11 đến 15/12/2025."
    assert culture.window == {"start": "2025-11-15", "end": "2025-12-15"}


def test_content_bullets_that_name_their_own_doer() -> None:
    tasks = run_rules(
        "II. NỘI DUNG VÀ NHIỆM VỤ\n1. Tuyên truyền, nâng cao nhận thức về bình đẳng giới\n"
        "- Đề nghị Hội Liên hiệp Phụ nữ tỉnh tổ chức truyền thông tại cơ sở.\n"
        "- Sở Thông tin và Truyền thông: Hướng dẫn các cơ quan báo chí đưa tin.\n"
        "- Tổ chức tọa đàm về bình đẳng giới năm 2025.\n",
        TasksRule(),
    ).plan.tasks
    assert [t.lead for t in tasks] == ["Hội Liên hiệp Phụ nữ tỉnh", "Sở Thông tin và Truyền thông", None]
    assert tasks[1].text == "Sở Thông tin và Truyền thông: Hướng dẫn các cơ quan báo chí đưa tin."
    assert all(t.number == "1" and t.parent is None for t in tasks)


def test_a_roadmap_phase_gives_its_tasks_a_window() -> None:
    tasks = run_rules(
        "III. LỘ TRÌNH THỰC HIỆN\n1. Giai đoạn 2026-2027: triển khai thí điểm\n- Tổ chức tập huấn cho cán bộ.\n",
        TasksRule(),
    ).plan.tasks
    assert [(t.text, t.window) for t in tasks] == [
        ("Tổ chức tập huấn cho cán bộ.", {"start": "2026-01-01", "end": "2027-12-31"})
    ]


def test_no_sections_an_empty_section_or_only_aims_give_no_tasks() -> None:
    assert run_rules("- Tổ chức hội nghị.\n- Tuyên truyền.\n", TasksRule()).plan.tasks == []
    assert run_rules("IV. TỔ CHỨC THỰC HIỆN\n", TasksRule()).plan.tasks == []
    assert run_rules("I. MỤC ĐÍCH\n- Nâng cao nhận thức.\n", TasksRule()).plan.tasks == []


def test_a_window_with_an_impossible_day_or_month_is_no_window() -> None:
    assert find_window("từ ngày 45/13 đến 99/99") is None
    assert find_window("từ ngày 1/4 đến 31/4/2025") is None
    assert find_window("từ ngày 15/11/1800 đến 15/12/1800") is None
    # 29/2 recurs in leap years; as a dated window it needs a leap year.
    assert find_window("từ ngày 1/2 đến 29/2 hằng năm") == (
        {"start": "--02-01", "end": "--02-29"},
        0,
        len("từ ngày 1/2 đến 29/2"),
    )
    assert find_window("từ ngày 1/2 đến 29/2/2025") is None
    tasks = run_rules(
        "II. NỘI DUNG\n1. Tổ chức tuyên truyền về bình đẳng giới từ ngày 45/13 đến 99/99.\n", TasksRule()
    ).plan.tasks
    assert [t.window for t in tasks] == [None]
