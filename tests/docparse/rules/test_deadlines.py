"""extra_deadlines: reporting deadlines in running text (monthly, one-off, undated), beside the seed rule's."""

from __future__ import annotations

from binhdang.docparse.normalise import normalise
from binhdang.docparse.result import Report
from binhdang.docparse.rules.deadlines import extra_deadlines
from docparse.rules.helpers import run_rules


def _deadlines(text: str, have: list[Report] | None = None) -> list[tuple[str, str | None, str | None]]:
    return [(r.kind, r.due, r.to) for r in extra_deadlines(run_rules(text), have or [])]


MONTHLY_AND_ONCE = (
    "IV. TỔ CHỨC THỰC HIỆN\n"
    "1. Các sở, ngành báo cáo kết quả về Sở Nội vụ trước ngày 20 hằng tháng.\n"
    "2. Sở Nội vụ tổng hợp,\nbáo cáo UBND tỉnh trước ngày 16 tháng 12 năm 2025.\n"
)


def test_a_monthly_day_and_a_one_off_date() -> None:
    assert [d[:2] for d in _deadlines(MONTHLY_AND_ONCE)] == [("monthly", "---20"), ("once", "2025-12-16")]


def test_the_addressee_ends_before_the_deadline_words() -> None:
    assert [d[2] for d in _deadlines(MONTHLY_AND_ONCE)] == ["Sở Nội vụ", "UBND tỉnh"]


def test_undated_duties_a_quarterly_report_and_a_midterm_review() -> None:
    assert _deadlines(
        "IV. TỔ CHỨC THỰC HIỆN\n1. Định kỳ hằng quý, các xã báo cáo kết quả về UBND huyện.\n"
        "2. Tổ chức sơ kết, báo cáo sơ kết việc thực hiện Kế hoạch vào năm 2027.\n"
    ) == [("quarterly", None, "UBND huyện"), ("midterm", None, None)]


def test_a_restated_regime_and_an_impossible_day() -> None:
    regime = [Report(kind="annual", due="--11-10", to=None, through=None, text="hàng năm (trước ngày 10/11)")]
    # "Định kỳ báo cáo" restates the dated regime the seed rule read: nothing is added.
    assert _deadlines("IV. TỔ CHỨC THỰC HIỆN\n1. Định kỳ báo cáo kết quả về Sở Nội vụ.\n", regime) == []
    # 31/2 is no day: the duty is still an annual report, with no day.
    assert _deadlines("IV. TỔ CHỨC THỰC HIỆN\n1. Các xã báo cáo trước ngày 31/2 hằng năm.\n") == [
        ("annual", None, None)
    ]
    assert _deadlines("") == []


def test_a_date_wrapped_before_its_year_is_rejoined() -> None:
    text = "IV. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ tổng hợp, báo cáo UBND tỉnh trước ngày 16 tháng 12 năm\n2025.\n"
    assert _deadlines(text) == [("once", "2025-12-16", "UBND tỉnh")]
    # Only a year after "năm" is joined: a number opening a line after another word stays on its line.
    assert normalise("Kết quả đạt được trong\n2025 hộ gia đình") == "Kết quả đạt được trong\n2025 hộ gia đình"
    assert normalise("Ban hành theo Nghị định số năm\n2025/NĐ-CP") == "Ban hành theo Nghị định số năm\n2025/NĐ-CP"
