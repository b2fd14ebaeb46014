"""The real product in Debian's Chromium: `binhdang demo --no-serve`, then `binhdang serve`, driven by Playwright.

Screenshots go to test-artifacts/ (gitignored) so a person can look at the layout.
"""

from __future__ import annotations

from typing import Any

from browser.conftest import (
    ARTIFACTS,
    GOLDEN,
    QUANG_NINH,
    THAI_NGUYEN,
    golden,
    no_horizontal_scroll,
    sign_in,
)


def test_wrong_password_shows_vietnamese_error(server: str, page: Any) -> None:
    sign_in(page, server, "admin", "khong-phai-mat-khau")
    assert page.url.startswith(f"{server}/dang-nhap/")
    alert = page.get_by_role("alert")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in alert.inner_text()
    page.screenshot(path=str(ARTIFACTS / "sign-in-error.png"), full_page=True)


def plans(page: Any, server: str) -> None:
    """The plan list, one click from the home page ("Việc cần làm", where sign-in lands)."""
    page.get_by_role("navigation").get_by_role("link", name="Kế hoạch").click()
    page.wait_for_load_state("domcontentloaded")


def test_sign_in_lands_on_todo_then_plan_list_shows_the_five_seed_plans(server: str, page: Any) -> None:
    sign_in(page, server, "admin")
    assert page.url == f"{server}/"
    assert page.get_by_role("heading", level=1).inner_text() == "Việc cần làm"
    plans(page, server)
    assert page.url == f"{server}/ke-hoach/"
    assert page.get_by_role("heading", level=1).inner_text() == "Kế hoạch"
    titles = page.locator(".plan-card h2").all_inner_texts()
    for seed in sorted(p.name.removesuffix(".expected.json") for p in GOLDEN.glob("*.expected.json")):
        assert golden(seed)["document"]["title"] in titles, seed
    # The demo also builds the labelled synthetic national plan (for the national dashboard).
    assert len([title for title in titles if not title.startswith("[Dữ liệu mô phỏng]")]) == 5
    assert page.get_by_role("button", name="Đăng xuất").is_visible()
    page.screenshot(path=str(ARTIFACTS / "plan-list.png"), full_page=True)


def test_plan_list_filter(server: str, page: Any) -> None:
    sign_in(page, server, "admin")
    plans(page, server)
    page.get_by_label("Năm").fill("2013")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".plan-card h2").all_inner_texts() == [golden(QUANG_NINH)["document"]["title"]]


def test_thai_nguyen_plan_page_shows_its_sections(server: str, page: Any) -> None:
    data = golden(THAI_NGUYEN)
    sign_in(page, server, "admin")
    plans(page, server)
    page.get_by_role("link", name=data["document"]["title"]).click()
    page.wait_for_load_state("domcontentloaded")
    assert "59/KH-UBND" in page.locator(".plan-head").inner_text()
    headings = page.locator("h2").all_inner_texts()
    for heading in [
        "Căn cứ và văn bản dẫn chiếu",
        "Mục đích, yêu cầu",
        "Mục tiêu và chỉ tiêu",
        "Nhiệm vụ theo cơ quan",
        "Kinh phí",
        "Chế độ báo cáo",
    ]:
        assert heading in headings, heading
    assert "28/NQ-CP" in page.locator("#can-cu").inner_text()
    lead = next(task["lead"] for task in data["tasks"] if task["lead"])
    assert lead in page.locator("#nhiem-vu").inner_text()
    assert page.locator("#nhiem-vu .role-lead").first.is_visible()
    reporting = page.locator("#bao-cao").inner_text()
    assert "trước ngày 10/6" in reporting and "09/06/2023" in reporting
    page.screenshot(path=str(ARTIFACTS / "plan-page-thai-nguyen.png"), full_page=True)
    page.locator("#nhiem-vu").screenshot(path=str(ARTIFACTS / "plan-page-thai-nguyen-tasks.png"))
    page.locator("#bao-cao").screenshot(path=str(ARTIFACTS / "plan-page-thai-nguyen-reporting.png"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert no_horizontal_scroll(page), "the plan page scrolls sideways on a phone"
    page.screenshot(path=str(ARTIFACTS / "plan-page-thai-nguyen-phone.png"), full_page=False)


def test_quang_ninh_plan_page_flags_the_printed_totals(server: str, page: Any) -> None:
    sign_in(page, server, "admin")
    plans(page, server)
    page.get_by_role("link", name=golden(QUANG_NINH)["document"]["title"]).click()
    page.wait_for_load_state("domcontentloaded")
    budget = page.locator("#kinh-phi")
    assert budget.locator("table.budget").is_visible()
    alerts = budget.get_by_role("alert").all_inner_texts()
    assert any("Văn bản in 10.050 triệu đồng, cộng các dòng được 10.140 triệu đồng" in text for text in alerts)
    budget.screenshot(path=str(ARTIFACTS / "plan-page-quang-ninh-budget.png"))


def test_language_switch_to_english(server: str, page: Any) -> None:
    sign_in(page, server, "admin")
    plans(page, server)
    page.select_option("#lang-select", "en")
    page.locator(".lang-form button").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", level=1).inner_text() == "Plans"
    assert page.get_by_role("button", name="Sign out").is_visible()
