"""Issue 3's done-when in Chromium: upload a seed, watch it being read, accept it; the export is its golden file.

The demo already holds the Yên Thế plan read from the same document, so the test first deletes it through the
edit pages (otherwise accepting would rightly be refused as a plan already in the system).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from browser.conftest import ARTIFACTS, GOLDEN, golden, sign_in

from binhdang.reader.review import plan_for_loader

SEED = "002_bba7be5b5b954222"


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    # What acceptance keeps of the reader's tree (reader.review.plan_for_loader: a task's group flag goes).
    data = plan_for_loader(copy.deepcopy(data))
    data.pop("source", None)
    data.pop("provenance", None)
    data["document"].pop("unit_code", None)
    data["document"]["status"] = "draft"  # accepted plans start as drafts; a person issues them
    for check in data["budget"]["checks"]:
        check.pop("message", None)
    return data


def test_upload_review_accept_gives_the_golden_plan(server: str, page: Any) -> None:
    sign_in(page, server, "admin")
    page.goto(f"{server}/ke-hoach/?q=Yên Thế")
    page.locator(".plan-card h2 a").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert "70/KH-UBND" in page.locator("main").inner_text()
    page.goto(page.url.rstrip("/") + "/xoa/")
    page.get_by_role("button", name="Xóa").click()
    page.wait_for_load_state("domcontentloaded")

    page.get_by_role("link", name="Đọc văn bản").click()
    page.set_input_files("#id_document", str(GOLDEN / f"{SEED}.txt"))
    page.get_by_role("button", name="Tải lên và đọc").click()
    # The reader runs in the background; the status page polls and moves on to the review by itself.
    page.wait_for_url("**/duyet/", timeout=60000)
    source = page.locator("#source-text")
    assert "KẾ HOẠCH" in source.inner_text()
    page.get_by_label("Số, ký hiệu").first.focus()
    assert page.locator("#source-text mark").inner_text() != "", "the focused field's span is highlighted"
    page.screenshot(path=str(ARTIFACTS / "reader-review.png"), full_page=False)
    page.get_by_role("button", name="Chấp nhận thành kế hoạch dự thảo").click()
    page.wait_for_load_state("domcontentloaded")
    assert "70/KH-UBND" in page.locator("main").inner_text()

    export = page.request.get(page.url.rstrip("/") + "/xuat.json")
    assert export.ok
    assert _comparable(json.loads(export.text())) == _comparable(golden(SEED))
