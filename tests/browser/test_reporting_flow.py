"""The reporting cycle's done-when, in Debian's Chromium against the real demo server.

A commune user fills and submits its report; the province's standing agency returns it with a comment; the
commune corrects and resubmits; the province accepts it; the values are locked and show in the compiled
province report; the audit trail shows every step.

Demo data this relies on (`binhdang demo`): the Thái Nguyên 2023 plan (59/KH-UBND) with its 6-month period and
a report for the lower-level committee whose standing agency's user is `xa.demo`, with at least one numeric
indicator to report; `thainguyen` is the officer of the standing agency of the plan's unit, which accepts.
If the periods are not there yet, the province officer makes them with the button on the periods page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser.conftest import ARTIFACTS, no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser

COMMUNE_USER = "xa.demo"
PROVINCE_USER = "thainguyen"
PLAN_CODE = "59/KH-UBND"
PERIOD = "Báo cáo 6 tháng đầu năm 2023"
RETURN_COMMENT = "Số nam chưa khớp với sổ theo dõi, đề nghị kiểm tra lại"


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state("domcontentloaded")


def plan_id(page: Any, server: str) -> int:
    page.goto(f"{server}/ke-hoach/?q={PLAN_CODE}")
    href = page.locator(".plan-card h2 a").first.get_attribute("href")
    match = re.search(r"/ke-hoach/(\d+)/", href or "")
    assert match, f"no plan {PLAN_CODE} in the demo"
    return int(match.group(1))


def ensure_periods(page: Any, server: str) -> None:
    """The province officer makes the plan's periods and reports (idempotent), as a person would."""
    page.goto(f"{server}/ke-hoach/{plan_id(page, server)}/ky-bao-cao/")
    button = page.get_by_role("button", name=re.compile("theo chế độ báo cáo"))
    if button.count():
        button.click()
        page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("link", name=PERIOD).count() == 1


def own_report_url(page: Any, server: str) -> str:
    page.goto(f"{server}/bao-cao/")
    link = page.locator("section", has=page.locator("#h-cua-toi")).get_by_role("link", name=PERIOD)
    assert link.count() == 1, "the commune user has no report for the 6-month period"
    href = link.get_attribute("href")
    assert href
    return f"{server}{href}"


def accepted_count(page: Any) -> int:
    match = re.search(r"Tổng hợp từ (\d+)/\d+", page.locator("main").inner_text())
    assert match, "the compiled page says how many reports it rolls up"
    return int(match.group(1))


def fill_indicators(page: Any, female: str, male: str, total: str) -> int:
    """Fill every figure of the report: female, male and total (numerators over a denominator for rates)."""
    blocks = page.locator("fieldset.ind")
    filled = 0
    for index in range(blocks.count()):
        block = blocks.nth(index)
        measure = block.get_attribute("data-measure")
        if measure == "text":
            block.locator("textarea").fill("Đã thực hiện")
            continue
        by_sex = {"female": female, "male": male, "total": total}
        for sex, number in by_sex.items():
            cell = block.locator(f'.cell[data-sex="{sex}"]')
            if not cell.count():
                continue
            if measure == "boolean":
                cell.locator("select").select_option("1")
            elif measure in ("percentage", "rate", "ratio"):
                cell.locator('[data-field="numerator"]').fill(number)
                cell.locator('[data-field="denominator"]').fill("200" if sex == "total" else "100")
            else:
                cell.locator('[data-field="value"]').fill(number)
            filled += 1
        block.get_by_label("Nguồn số liệu").fill("Sổ theo dõi của xã")
    return filled


def test_commune_submits_province_returns_commune_resubmits_province_accepts(server: str, page: Any) -> None:
    sign_in(page, server, PROVINCE_USER)
    ensure_periods(page, server)
    sign_out(page)

    # The commune fills its report; the checks answer as it types.
    sign_in(page, server, COMMUNE_USER)
    assert "/dang-nhap/" not in page.url, f"cannot sign in as {COMMUNE_USER}: is the demo user there?"
    url = own_report_url(page, server)
    page.goto(url)
    assert page.locator(".report-status").get_attribute("data-status") in ("draft", "returned")
    assert fill_indicators(page, "20", "20", "45") > 0, "the demo report has no figures to fill"
    assert "không bằng tổng" in page.locator(".js-ind-msg").first.inner_text()
    fill_indicators(page, "20", "25", "45")
    assert page.locator(".js-ind-msg").first.inner_text().strip() == ""
    tasks = page.locator("fieldset.task")
    if tasks.count():
        tasks.first.get_by_label("Tình trạng").select_option("in_progress")
        tasks.first.get_by_label("Kết quả thực hiện").fill("Đã tổ chức 2 buổi tuyên truyền")
        tasks.first.get_by_label("Ngân sách địa phương").fill("1.500")
    page.locator("#summary").fill("Xã đã triển khai kế hoạch 6 tháng đầu năm")
    page.screenshot(path=str(ARTIFACTS / "report-entry.png"), full_page=True)
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".report-status").get_attribute("data-status") == "submitted", page.locator(
        ".messages"
    ).inner_text()
    assert page.locator("#entry-form").count() == 0
    sign_out(page)

    # The province's standing agency returns it with a comment.
    sign_in(page, server, PROVINCE_USER)
    page.goto(url)
    page.get_by_label("Lý do trả lại").fill(RETURN_COMMENT)
    page.get_by_role("button", name="Trả lại").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".report-status").get_attribute("data-status") == "returned"
    sign_out(page)

    # The commune sees why, corrects and sends again, on a phone-sized screen.
    sign_in(page, server, COMMUNE_USER)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(url)
    assert RETURN_COMMENT in page.locator(".report-head").inner_text()
    assert no_horizontal_scroll(page)
    fill_indicators(page, "21", "24", "45")
    page.screenshot(path=str(ARTIFACTS / "report-entry-phone.png"), full_page=True)
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".report-status").get_attribute("data-status") == "submitted"
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    # The province accepts it; first, the compiled report as it stands without it.
    sign_in(page, server, PROVINCE_USER)
    page.goto(url)
    compiled_url = page.get_by_role("link", name="Xem báo cáo tổng hợp của kỳ").get_attribute("href")
    page.goto(f"{server}{compiled_url}")
    accepted_before = accepted_count(page)
    female_before = page.locator('table.compiled td[data-sex="female"] strong').all_inner_texts()
    page.goto(url)
    page.get_by_role("button", name="Chấp nhận").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".report-status").get_attribute("data-status") == "accepted"

    # The audit trail shows every step.
    trail = page.locator("table.audit").inner_text()
    assert trail.count("Gửi báo cáo") == 2
    for words in ("Trả lại", "Chấp nhận", RETURN_COMMENT, "Nữ — "):
        assert words in trail, words
    page.screenshot(path=str(ARTIFACTS / "report-accepted.png"), full_page=True)

    # The accepted figures show in the compiled report of the province.
    page.get_by_role("link", name="Xem báo cáo tổng hợp của kỳ").click()
    page.wait_for_load_state("domcontentloaded")
    compiled = page.locator("main").inner_text()
    assert "Xã đã triển khai kế hoạch 6 tháng đầu năm" in compiled
    # Other districts' accepted reports are rolled up too (synthetic history): the commune's figures join them.
    assert accepted_count(page) == accepted_before + 1
    female_after = page.locator('table.compiled td[data-sex="female"] strong').all_inner_texts()
    assert female_after and female_after != female_before, (female_before, female_after)
    page.screenshot(path=str(ARTIFACTS / "period-compiled.png"), full_page=True)
    sign_out(page)

    # Locked for the commune: the figures are shown, nothing can be typed.
    sign_in(page, server, COMMUNE_USER)
    page.goto(url)
    assert page.locator(".report-status").get_attribute("data-status") == "accepted"
    assert page.locator("#entry-form").count() == 0
    assert page.locator("fieldset.ind input").count() == 0
