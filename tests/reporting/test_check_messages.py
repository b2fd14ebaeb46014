"""Entry checks that read as a person would write them (found walking the demo): one message per mistake, whole
numbers without ",00", and a second look when an indicator asked by sex gets only its total."""

from __future__ import annotations

from decimal import Decimal

from binhdang.reporting.checks import Entry, IndicatorMeta, check_entry, check_sexes

D = Decimal
PERCENT_BY_SEX = IndicatorMeta(1, "percentage", D(100), by_sex=True)
COUNT_BY_SEX = IndicatorMeta(2, "count", D(1), by_sex=True)
COUNT = IndicatorMeta(3, "count", D(1))


def test_a_numerator_over_its_denominator_is_one_message() -> None:
    issues = check_entry(PERCENT_BY_SEX, Entry(1, "total", numerator=D(120), denominator=D(100)))
    assert [i.message for i in issues] == ["Tử số lớn hơn mẫu số (bộ phận lớn hơn tổng thể)."]
    # A percentage typed directly over 100 still says so.
    typed = check_entry(PERCENT_BY_SEX, Entry(1, "total", value=D(150)))
    assert [i.message for i in typed] == ["Tỷ lệ phần trăm không được vượt quá 100."]


def test_sum_of_parts_prints_whole_numbers_without_decimals() -> None:
    entries = {
        "total": Entry(2, "total", value=D("1200")),
        "female": Entry(2, "female", value=D("1000")),
        "male": Entry(2, "male", value=D("1200")),
    }
    messages = [i.message for i in check_sexes(COUNT_BY_SEX, entries)]
    assert "Nữ cộng nam (2.200) không bằng tổng (1.200)." in messages


def test_total_without_female_and_male_is_flagged_for_a_second_look_only_when_asked_by_sex() -> None:
    only_total = {"total": Entry(2, "total", value=D(4550))}
    issues = check_sexes(COUNT_BY_SEX, only_total)
    # A flag: shown beside the field, it stops neither saving nor sending (services.report_problems).
    assert [(i.level, i.message) for i in issues] == [
        ("flag", "Chưa có số của nữ và nam: chỉ tiêu này báo cáo tách biệt theo giới.")
    ]
    assert check_sexes(COUNT, only_total) == []
    with_parts = {**only_total, "female": Entry(2, "female", value=D(2000)), "male": Entry(2, "male", value=D(2550))}
    assert check_sexes(COUNT_BY_SEX, with_parts) == []
