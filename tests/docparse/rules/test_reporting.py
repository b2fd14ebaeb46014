"""ReportingRule: "6 tháng đầu năm (trước ngày 10/6)" lists, dated sentences, ad hoc reports and reviews."""

from __future__ import annotations

from binhdang.docparse.rules.reporting import ReportingRule, report_kind
from docparse.rules.helpers import run_rules


def _reports(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(r.kind, r.due, r.to, r.through) for r in run_rules(text, ReportingRule()).plan.reporting]


def test_a_list_of_periods_with_addressee_and_channel() -> None:
    assert _reports(
        "V. CHẾ ĐỘ BÁO CÁO\nCác sở, ngành báo cáo 6 tháng đầu năm (trước ngày 10/6) và hàng năm (trước ngày 10/11) về"
        " Sở Y tế (qua Phòng Nghiệp vụ Y) để tổng\nhợp.\n"
    ) == [
        ("semiannual", "--06-10", "Sở Y tế", "Phòng Nghiệp vụ Y"),
        ("annual", "--11-10", "Sở Y tế", "Phòng Nghiệp vụ Y"),
    ]


def test_undated_ad_hoc_reports_and_scheduled_reviews() -> None:
    reports = run_rules(
        "IV. TỔ CHỨC THỰC HIỆN\n1. Các đơn vị thực hiện chế độ báo cáo định kỳ, đột xuất gửi Sở Tư pháp để"
        " tổng hợp; tổ chức đánh giá giữa kỳ vào năm 2027 và đánh giá khi kết thúc vào năm 2030.\n",
        ReportingRule(),
    ).plan.reporting
    assert [(r.kind, r.due, r.to) for r in reports] == [
        ("adhoc", None, "Sở Tư pháp"),
        ("midterm", None, None),
        ("final", None, None),
    ]


def test_report_kind_words_and_days_that_do_not_exist() -> None:
    assert [report_kind(s) for s in ("báo cáo quý I", "hằng tháng", "sơ kết 3 năm", "đột xuất", "năm 2025")] == [
        "quarterly",
        "monthly",
        "midterm",
        "adhoc",
        "annual",
    ]
    # 31/2 is no day of the year: no deadline is made from it (the sentence still names an annual duty).
    assert _reports("IV. TỔ CHỨC THỰC HIỆN\n1. Các xã báo cáo hàng năm trước ngày 31/2 về UBND huyện.\n") == [
        ("annual", None, "UBND huyện", None)
    ]
    assert _reports("") == []
