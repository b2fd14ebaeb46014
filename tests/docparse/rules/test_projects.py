"""ProjectsRule: national-programme projects with their contents, sub-projects and models, leads, units, targets."""

from __future__ import annotations

from binhdang.docparse.rules.projects import ProjectsRule, parse_units
from binhdang.docparse.rules.tasks_agencies import TasksRule
from docparse.rules.helpers import run_rules

STRUCTURED = """II. NỘI DUNG THỰC HIỆN
1. Truyền thông nâng cao nhận thức, thay đổi hành vi về bình đẳng giới (Dự án 8).
- Mục tiêu Dự án: 85% phụ nữ được tuyên truyền; tăng cường vai trò của phụ nữ trong phát triển kinh tế.
- Phạm vi thực hiện Dự án: Toàn tỉnh.
- Nội dung của Dự án:
+ Nội dung 1 (Tuyên truyền, vận động): tổ chức các hoạt động truyền thông.
+ Tiểu dự án 2: Hỗ trợ phụ nữ khởi nghiệp
+ Mô hình 3 (Câu lạc bộ thủ lĩnh của sự thay đổi):
Lựa chọn xã Lộc Điền, huyện Phú Lộc để thực hiện Mô hình 3.
- Cơ quan thực hiện Dự án: Hội Liên hiệp Phụ nữ tỉnh.
+ Sở Y tế chủ trì thực hiện nội dung 1.
"""


def test_a_project_item_with_its_children_lead_scope_and_units() -> None:
    plan = run_rules(STRUCTURED, ProjectsRule()).plan
    assert [(p.id, p.parent, p.kind, p.number, p.name, p.lead) for p in plan.projects] == [
        (
            "P1",
            None,
            "project",
            "8",
            "Truyền thông nâng cao nhận thức, thay đổi hành vi về bình đẳng giới",
            "Hội Liên hiệp Phụ nữ tỉnh",
        ),
        ("P1.C1", "P1", "content", "1", "Tuyên truyền, vận động", "Sở Y tế"),
        ("P1.S2", "P1", "subproject", "2", "Hỗ trợ phụ nữ khởi nghiệp", None),
        ("P1.M3", "P1", "model", "3", "Câu lạc bộ thủ lĩnh của sự thay đổi", None),
    ]
    assert plan.projects[0].scope == "Toàn tỉnh"
    assert plan.projects[3].units == ["xã Lộc Điền, huyện Phú Lộc"]
    # The project's aim: one indicator per ";" clause, a clause without a number is a yes/no target.
    assert [(i.id, i.project, i.measure) for i in plan.indicators] == [
        ("P1.1", "P1", "percentage"),
        ("P1.2", "P1", "boolean"),
    ]
    assert [(t.year, t.value, t.comparator) for t in plan.indicators[0].targets] == [(None, 85, ">=")]


def test_a_cited_project_takes_its_lead_from_the_task_that_leads_it() -> None:
    plan = run_rules(
        "II. NỘI DUNG\n1. Triển khai Dự án 8 “Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với"
        " phụ nữ và trẻ em” trên địa bàn tỉnh\n- Tuyên truyền về bình đẳng giới.\nIV. TỔ CHỨC THỰC HIỆN\n"
        "1. Hội Liên hiệp Phụ nữ tỉnh: Chủ trì triển khai Dự án 8, phối hợp với Sở Y tế tổ chức thực hiện.\n",
        TasksRule(),
        ProjectsRule(),
    ).plan
    (project,) = plan.projects
    assert (project.id, project.number, project.kind) == ("P1", "8", "project")
    assert project.name == "Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ và trẻ em"
    assert (project.lead, project.partners) == ("Hội Liên hiệp Phụ nữ tỉnh", ["Sở Y tế"])


def test_units_with_their_districts() -> None:
    assert parse_units("Xã Tân Việt, thị trấn Mạo Khê (huyện Đông Triều), xã Hiệp Hòa (thị xã Quảng Yên)") == [
        "Xã Tân Việt, huyện Đông Triều",
        "thị trấn Mạo Khê, huyện Đông Triều",
        "xã Hiệp Hòa, thị xã Quảng Yên",
    ]


def test_a_project_number_that_is_not_a_number_and_aims_without_figures() -> None:
    plan = run_rules(
        "II. NỘI DUNG\n1. Dự án đầu tư hạ tầng (Dự án abc)\n2. Hỗ trợ sinh kế (Dự án 2)\n"
        "- Mục tiêu Dự án: đạt nhiều% hộ được hỗ trợ.\n",
        ProjectsRule(),
    ).plan
    assert [(p.id, p.number) for p in plan.projects] == [("P1", "2")]
    assert plan.indicators == []
    assert parse_units("toàn tỉnh") == [] and parse_units("") == []
