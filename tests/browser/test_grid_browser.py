"""The grid of parts by age group and ethnicity (issue 16) in Debian's Chromium: as a commune officer types the
parts, the page says what the total will be, or that a typed total disagrees with them (entry.js, mirroring
reporting/totals.py). Nothing is saved here: the demo's draft for `xa.demo` is left for the reporting flow
(test_reporting_flow.py, which runs after this file)."""

from __future__ import annotations

from typing import Any

import pytest
from browser.conftest import sign_in
from browser.test_reporting_flow import COMMUNE_USER, own_report_url

pytestmark = pytest.mark.browser


def test_the_grid_says_the_derived_total_and_a_disagreeing_one(server: str, page: Any) -> None:
    sign_in(page, server, COMMUNE_USER)
    page.goto(own_report_url(page, server))
    block = page.locator("fieldset.ind", has=page.locator("table.combos"))
    assert block.count() == 1, "the demo's indicator by age group and ethnicity is in the draft"
    assert block.locator("table.combos").get_attribute("data-tiles") == "1"
    female = block.locator('td[data-sex="female"]')
    assert female.count() == 6  # three age groups × Kinh / ethnic minorities
    numerators = [3, 5, 7, 11, 13, 17]
    for index, number in enumerate(numerators):
        female.nth(index).locator('[data-part="numerator"]').fill(str(number))
        female.nth(index).locator('[data-part="denominator"]').fill("50")
    message = block.locator(".js-grid-msg")
    assert "Nữ: số tổng sẽ được tính từ các nhóm khi lưu: 56" in message.inner_text()
    assert "300" in message.inner_text()  # the denominators: 6 × 50
    total = block.locator('.cell[data-sex="female"]')
    total.locator('[data-field="numerator"]').fill("60")
    total.locator('[data-field="denominator"]').fill("300")
    text = message.inner_text()
    assert "Nữ: cộng các nhóm (56) không bằng số tổng (60)." in text
    assert "300" not in text.replace("(56)", "")  # the denominators agree: no word about them
    female.nth(0).locator('[data-part="numerator"]').fill("7")  # 7 + 5 + 7 + 11 + 13 + 17 = 60
    assert message.inner_text().strip() == ""
