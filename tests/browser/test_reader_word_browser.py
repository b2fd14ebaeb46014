"""Issue 12's done-when in Chromium: a Word plan with real tables (a two-column header table and an appendix
task table) is uploaded, read as structure, reviewed and accepted; the accepted plan keeps the table's leads."""

from __future__ import annotations

import json
from typing import Any

from browser.conftest import ARTIFACTS, sign_in

from tests.docparse.word_plan import CODE, TASK_ROWS, word_plan


def test_word_plan_with_tables_is_reviewed_and_accepted(server: str, page: Any, tmp_path: Any) -> None:
    path = tmp_path / "ke-hoach-binh-dang-gioi-2026.docx"
    path.write_bytes(word_plan())
    sign_in(page, server, "admin")
    page.get_by_role("link", name="Đọc văn bản").click()
    page.set_input_files("#id_document", str(path))
    page.get_by_role("button", name="Tải lên và đọc").click()
    page.wait_for_url("**/duyet/", timeout=60000)

    assert "Kế hoạch" in page.locator("#review-verdict").inner_text()
    assert page.get_by_label("Số, ký hiệu").first.input_value() == CODE
    assert page.get_by_label("Ngày ban hành").first.input_value() == "05/12/2025"  # as people write dates
    page.get_by_label("Số, ký hiệu").first.focus()
    assert page.locator("#source-text mark").inner_text() == CODE, "the header cell's span is highlighted"
    # The appendix rows are tasks with their lead; the group lead is shown as a group.
    leads = page.locator("textarea[name$='/text']").evaluate_all("els => els.map(e => e.value)")
    index = leads.index(TASK_ROWS[1][1]) if TASK_ROWS[1][1] in leads else -1
    assert index >= 0, leads
    pointer = page.locator("textarea[name$='/text']").nth(index).get_attribute("name")[2:].rsplit("/", 1)[0]
    assert page.locator(f"input[name='f:{pointer}/lead']").input_value() == TASK_ROWS[1][2]
    assert page.locator(f"select[name='f:{pointer}/group']").input_value() == "1"
    page.screenshot(path=str(ARTIFACTS / "reader-review-word.png"), full_page=False)

    page.get_by_role("button", name="Chấp nhận thành kế hoạch dự thảo").click()
    page.wait_for_load_state("domcontentloaded")
    assert CODE in page.locator("main").inner_text()
    export = page.request.get(page.url.rstrip("/") + "/xuat.json")
    assert export.ok
    plan = json.loads(export.text())
    by_text = {t["text"]: t for t in plan["tasks"]}
    for _n, content, lead, partners, _when, _product in TASK_ROWS:
        assert by_text[content]["lead"] == lead
        assert by_text[content]["partners"] == [p.strip() for p in partners.split(";")]
