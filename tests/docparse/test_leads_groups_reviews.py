"""Groups as leads on every path, duty headings, and the review/periodic deadline rules (issue 12, second pass).
The texts are written for these tests in the style of real 2025 plans (never copied from the program's output)."""

from __future__ import annotations

from typing import Any

import pytest

from binhdang.docparse import parse_text
from binhdang.docparse.rules.common import find_agencies, is_group

HEAD = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 77/KH-UBND
Quảng Ngãi, ngày 20 tháng 11 năm 2025

KẾ HOẠCH
Kiểm kê tài sản công năm 2026

Căn cứ Quyết định số 213/QĐ-TTg ngày 01/3/2024 của Thủ tướng Chính phủ;

I. MỤC ĐÍCH, YÊU CẦU

1. Kiểm kê đầy đủ tài sản công.

II. TỔ CHỨC THỰC HIỆN

"""

PLAN = (
    HEAD
    + """1. Sở Tài chính

- Tổng hợp kết quả kiểm kê, báo cáo kết quả kiểm kê gửi Bộ Tài chính. Thời gian hoàn thành: Trước ngày 31/5/2026.

- Tham mưu tổ chức sơ kết, tổng kết; tổng hợp báo cáo Ủy ban nhân dân tỉnh.

2. Ủy ban nhân dân các phường, xã, đặc khu

- Thành lập Ban Chỉ đạo kiểm kê cấp xã.

Thời gian hoàn thành: Trước ngày 15/12/2025.

- Xây dựng kế hoạch kiểm kê của địa phương.

3. Trách nhiệm của đối tượng thực hiện kiểm kê:

- Thành lập Tổ kiểm kê tại cơ quan, đơn vị.

- Chuẩn bị hồ sơ, thông tin tài sản phục vụ kiểm kê.

4. Ủy ban nhân dân các xã: Hòa Bình, Tân Phú, Đông Sơn

- Bố trí kinh phí kiểm kê trong dự toán năm 2026.

5. Các cơ sở nuôi trồng thủy sản: Theo dõi, ghi chép đầy đủ thông tin quan trắc và cung cấp số liệu khi có yêu cầu.

III. CHẾ ĐỘ BÁO CÁO

Chế độ báo cáo gồm báo cáo định kỳ, báo cáo tổng hợp và báo cáo theo yêu cầu.

Định kỳ hằng năm trước ngày 15/12 các đơn vị báo cáo kết quả về Sở Tài chính.
"""
)


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    return parse_text(PLAN).plan


def _task(plan: dict[str, Any], start: str) -> dict[str, Any]:
    return next(t for t in plan["tasks"] if t["text"].startswith(start))


def test_group_names_run_through_their_list_of_kinds_of_body() -> None:
    assert find_agencies("Các cơ quan, đơn vị, địa phương tăng cường kiểm tra")[0][0] == (
        "Các cơ quan, đơn vị, địa phương"
    )
    assert find_agencies("Ủy ban nhân dân các phường, xã, đặc khu triển khai")[0][0] == (
        "Ủy ban nhân dân các phường, xã, đặc khu"
    )
    assert find_agencies("Các sở, ban, ngành tỉnh có liên quan tới việc thực hiện")[0][0] == (
        "Các sở, ban, ngành tỉnh có liên quan"
    )
    # A single body stays one name: "Sở Tư pháp" is not swallowed into the group after it.
    assert find_agencies("Sở Tư pháp, các cơ quan, đơn vị liên quan")[0][0] == "Sở Tư pháp"


def test_what_is_a_group() -> None:
    assert is_group("Ủy ban nhân dân cấp xã") and is_group("UBND các xã/phường")
    assert is_group("đối tượng thực hiện kiểm kê")  # named by a role only
    assert not is_group("Ban Quản lý các khu công nghiệp")  # one body named after what it manages
    assert not is_group("Sở Tài chính")


def test_every_group_lead_is_kept_as_a_group(plan: dict[str, Any]) -> None:
    commune = _task(plan, "Thành lập Ban Chỉ đạo kiểm kê")
    assert commune["lead"] == "Ủy ban nhân dân các phường, xã, đặc khu" and commune["group"] is True
    finance = _task(plan, "Tổng hợp kết quả kiểm kê")
    assert finance["lead"] == "Sở Tài chính" and "group" not in finance


def test_a_duty_heading_names_its_doer(plan: dict[str, Any]) -> None:
    for start in ("Thành lập Tổ kiểm kê", "Chuẩn bị hồ sơ"):
        task = _task(plan, start)
        assert task["lead"] == "đối tượng thực hiện kiểm kê" and task["group"] is True


def test_a_group_member_list_belongs_to_the_name(plan: dict[str, Any]) -> None:
    task = _task(plan, "Bố trí kinh phí kiểm kê")
    assert task["lead"] == "Ủy ban nhân dân các xã: Hòa Bình, Tân Phú, Đông Sơn"
    assert not any(t["text"].startswith("Hòa Bình") for t in plan["tasks"])


def test_an_inline_duty_of_an_agency_heading_is_a_task(plan: dict[str, Any]) -> None:
    task = _task(plan, "Theo dõi, ghi chép đầy đủ")
    assert task["lead"] == "Các cơ sở nuôi trồng thủy sản" and task["group"] is True


def test_reviews_tied_to_a_report_are_deadlines_beside_a_dated_regime(plan: dict[str, Any]) -> None:
    due = {(r["kind"], r["due"]) for r in plan["reporting"]}
    assert {("annual", "--12-15"), ("once", "2026-05-31"), ("midterm", None), ("final", None)} <= due


def test_a_task_deadline_is_not_a_report_deadline_and_a_list_of_report_kinds_is_no_duty(
    plan: dict[str, Any],
) -> None:
    due = {(r["kind"], r["due"]) for r in plan["reporting"]}
    assert ("once", "2025-12-15") not in due  # "Thành lập Ban Chỉ đạo ...": a task's end, not a report
    assert ("periodic", None) not in due  # "Chế độ báo cáo gồm báo cáo định kỳ, ..." names kinds of report


def test_a_bare_review_beside_a_dated_regime_restates_it() -> None:
    text = PLAN.replace(
        "- Tham mưu tổ chức sơ kết, tổng kết; tổng hợp báo cáo Ủy ban nhân dân tỉnh.",
        ("- Tổ chức sơ kết, tổng kết Kế hoạch theo quy định."),
    )
    due = {(r["kind"], r["due"]) for r in parse_text(text).plan["reporting"]}
    assert ("midterm", None) not in due and ("final", None) not in due
    assert ("annual", "--12-15") in due
