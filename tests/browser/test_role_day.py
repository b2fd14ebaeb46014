"""Each role's day on the demo, in Debian's Chromium (issue 14, "Done when").

The commune officer (`xa.demo`) lands on "Việc cần làm", sees the 6-month report due, fills and sends it (on a
phone-sized screen: no sideways page scroll, a header under a fifth of the screen). The province's standing
agency (`thainguyen`) sees it waiting on its own home page, returns it, reminds a reporter that has not sent,
accepts the corrected report, drills down from its plan's dashboard to the province (as the standing agency, not
only as admin), publishes an indicator as open data, and downloads the compiled report whose PDF carries the
signature block and the recipients.

The demo server is shared with test_reporting_flow.py (one session): if that test already accepted the
commune's report, the province re-opens it first, so this walk does not depend on the order the tests run in.
"""

from __future__ import annotations

import re
import subprocess
import time
from typing import Any

import pytest
from browser.conftest import ARTIFACTS, no_horizontal_scroll, sign_in
from browser.test_reporting_flow import (
    COMMUNE_USER,
    PERIOD,
    PROVINCE_USER,
    ensure_periods,
    fill_indicators,
    plan_id,
    sign_out,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
COMMENT = "Đề nghị ghi rõ nguồn số liệu của số nữ"


def status(page: Any) -> str | None:
    return page.locator(".report-status").get_attribute("data-status")


def header_share(page: Any) -> float:
    height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    return float(height) / PHONE["height"]


def commune_report_url(page: Any, server: str) -> str:
    """The commune's 6-month report, found on its home page (due, or returned/re-opened)."""
    page.goto(f"{server}/")
    link = page.locator("#todo-due, #todo-returned").get_by_role("link", name=PERIOD)
    assert link.count() >= 1, page.locator("main").inner_text()[:2000]
    href = link.first.get_attribute("href")
    assert href
    return f"{server}{href}"


def test_each_roles_day(server: str, page: Any) -> None:
    sign_in(page, server, PROVINCE_USER)
    ensure_periods(page, server)
    plan = plan_id(page, server)
    sign_out(page)

    # If another test already accepted the commune's report, the province re-opens it (a recorded decision).
    sign_in(page, server, COMMUNE_USER)
    page.goto(f"{server}/bao-cao/")
    href = (
        page.locator("section", has=page.locator("#h-cua-toi")).get_by_role("link", name=PERIOD).get_attribute("href")
    )
    url = f"{server}{href}"
    page.goto(url)
    current = status(page)
    sign_out(page)
    if current in ("submitted", "accepted"):
        sign_in(page, server, PROVINCE_USER)
        page.goto(url)
        if current == "submitted":
            page.get_by_label("Lý do trả lại").fill("Trả lại để làm lại từ đầu")
            page.get_by_role("button", name="Trả lại").click()
        else:
            page.get_by_label("Lý do mở lại").fill("Mở lại để bổ sung")
            page.get_by_role("button", name="Mở lại").click()
        page.wait_for_load_state("domcontentloaded")
        sign_out(page)

    # The commune officer's day, on a phone: the home page says what is due, one click to the report.
    page.set_viewport_size(PHONE)
    sign_in(page, server, COMMUNE_USER)
    assert page.locator("h1").inner_text().strip() == "Việc cần làm"
    assert no_horizontal_scroll(page)
    assert header_share(page) < 0.2, header_share(page)
    assert re.search(r"quá hạn \d+ ngày|còn \d+ ngày|hết hạn hôm nay", page.locator("main").inner_text())
    page.screenshot(path=str(ARTIFACTS / "todo-commune-phone.png"), full_page=True)
    assert commune_report_url(page, server) == url
    page.goto(url)
    assert no_horizontal_scroll(page)
    assert header_share(page) < 0.2
    fill_indicators(page, "20", "25", "45")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_load_state("domcontentloaded")
    assert status(page) == "submitted", page.locator(".messages").inner_text()
    page.screenshot(path=str(ARTIFACTS / "report-sent-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    # The province officer sees it waiting on its home page and returns it.
    sign_in(page, server, PROVINCE_USER)
    waiting = page.locator("#todo-review").get_by_role("link", name=re.compile(re.escape(PERIOD)))
    assert waiting.count() >= 1
    page.goto(url)
    page.get_by_label("Lý do trả lại").fill(COMMENT)
    page.get_by_role("button", name="Trả lại").click()
    page.wait_for_load_state("domcontentloaded")
    assert status(page) == "returned"

    # ...and reminds a reporter that has not sent, from the period page.
    page.goto(f"{server}/ke-hoach/{plan}/ky-bao-cao/")
    page.get_by_role("link", name=PERIOD).click()
    page.wait_for_load_state("domcontentloaded")
    remind = page.locator("form.remind-form button")
    if remind.count():
        remind.first.click()
        page.wait_for_load_state("domcontentloaded")
        assert "Đã nhắc" in page.locator(".messages").inner_text()
    assert "Đã nhắc hôm nay" in page.locator("main").inner_text()
    page.screenshot(path=str(ARTIFACTS / "period-reminded.png"), full_page=True)
    period_url = page.url
    sign_out(page)

    # The commune sees why on its home page, corrects and sends again.
    sign_in(page, server, COMMUNE_USER)
    assert COMMENT in page.locator("#todo-returned").inner_text()
    page.goto(url)
    fill_indicators(page, "21", "24", "45")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_load_state("domcontentloaded")
    assert status(page) == "submitted"
    sign_out(page)

    # The province accepts, then follows its plan's dashboard down to the province.
    sign_in(page, server, PROVINCE_USER)
    page.goto(url)
    page.get_by_role("button", name="Chấp nhận").click()
    page.wait_for_load_state("domcontentloaded")
    assert status(page) == "accepted"
    page.goto(f"{server}/theo-doi/ke-hoach/{plan}/")
    verdicts = page.locator(".dash-lines .dash-status").all_inner_texts()
    assert verdicts and any(v.strip() != "Chưa đánh giá được" for v in verdicts), verdicts
    response_status: list[int] = []
    page.on("response", lambda r: response_status.append(r.status) if "/theo-doi/dia-ban/" in r.url else None)
    page.locator("main a[href*='/theo-doi/dia-ban/']").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert "/theo-doi/dia-ban/" in page.url and response_status and response_status[-1] == 200, response_status
    # The plan is from 2023: the drill-down lists the former districts that reported, with their figures and the
    # province they are now part of, not today's communes without figures.
    ranking = page.locator("details.data-table", has=page.locator("summary", has_text="Xếp hạng các đơn vị cấp dưới"))
    cells = ranking.first.locator("tbody tr")
    rows = [[c.strip() for c in cells.nth(i).locator("td").all_text_contents()] for i in range(cells.count())]
    reported = [row for row in rows if row[1] != "—"]
    assert reported and all(row[-1].startswith("nay thuộc") for row in reported), rows
    district = page.locator("ul.drill a.drill-unit", has_text=reported[0][0]).first
    district.click()
    page.wait_for_load_state("domcontentloaded")
    assert response_status[-1] == 200 and page.get_by_role("heading", level=1).inner_text().startswith(reported[0][0])
    page.go_back()
    page.wait_for_load_state("domcontentloaded")
    page.screenshot(path=str(ARTIFACTS / "drilldown-standing-agency.png"), full_page=True)

    # It publishes an indicator as open data, after a preview.
    page.goto(f"{server}/ke-hoach/{plan}/du-lieu-mo/")
    first_row = page.locator("table.opendata-publish tbody tr").first
    first_row.get_by_role("link", name="Xem trước").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("#opendata-preview").count() == 1
    page.go_back()
    page.wait_for_load_state("domcontentloaded")
    row = page.locator("table.opendata-publish tbody tr").first
    if row.get_by_role("button", name="Công bố").count():
        row.get_by_role("button", name="Công bố").click()
        page.wait_for_load_state("domcontentloaded")
    row = page.locator("table.opendata-publish tbody tr").first
    assert "Đang công bố" in row.inner_text()
    public = row.get_by_role("link", name="Trang công khai").get_attribute("href")
    sign_out(page)
    page.goto(f"{server}{public}")
    assert page.locator("h1").count() == 1 and "Dữ liệu mở" in page.locator("main").inner_text()

    # The compiled report, ready to sign: the PDF carries the signer block and the recipients.
    sign_in(page, server, PROVINCE_USER)
    period_pk = re.search(r"/ky-bao-cao/(\d+)/", period_url)
    assert period_pk
    # The PDF is made by a background job (docs/background-jobs.md): the link leads to its progress page, which
    # offers the file once the worker has made it.
    page.goto(f"{server}/van-ban/bao-cao/{period_pk.group(1)}.pdf")
    job = re.search(r"/cong-viec/(\d+)/", page.url)
    assert job, page.url
    deadline = time.monotonic() + 120
    while not page.request.get(f"{server}/cong-viec/{job.group(1)}/trang-thai.json").json()["finished"]:
        assert time.monotonic() < deadline, "the PDF job did not finish in two minutes"
        time.sleep(0.5)
    pdf = page.request.get(f"{server}/cong-viec/{job.group(1)}/tep/")
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
    path = ARTIFACTS / "compiled-report.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for words in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nơi nhận:", "Bộ Nội vụ", "Số: …/BC-UBND"):
        assert words in flat, words
    # Render the first page and the page with the signature to PNG for a person to look at.
    pages = text.split("\f")
    signed = next(i for i, p in enumerate(pages, start=1) if "KT. CHỦ TỊCH" in p)
    for number in sorted({1, signed}):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                str(number),
                "-l",
                str(number),
                str(path),
                str(ARTIFACTS / f"compiled-p{number}"),
            ],
            check=True,
            capture_output=True,
        )
    assert list(ARTIFACTS.glob("compiled-p*.png"))

    # Leave the commune's report open again, as the other walk of this demo server expects to find it.
    page.goto(url)
    page.get_by_label("Lý do mở lại").fill("Mở lại sau khi kiểm tra")
    page.get_by_role("button", name="Mở lại").click()
    page.wait_for_load_state("domcontentloaded")
    assert status(page) == "returned"
    assert page.locator(".report-status").inner_text().strip() == "Đã mở lại để sửa"
