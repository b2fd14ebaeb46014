"""Layout complaints of issue 14 that only a browser can see, on the demo in Debian's Chromium: the trend charts'
axis labels are clipped ("áo cáo 6 tháng đầu n…"), the heat map's rows cannot be told apart, the reader's
"Trích yếu" boxes overflow onto the "Quan hệ" select, and tables on a phone wrap one word per line.

Each check measures the rendered page (bounding boxes, line boxes), and the table check first shows it can fail:
with the phone rules for tables undone, the same measurement finds one-word-per-line cells.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser.conftest import ARTIFACTS, GOLDEN, THAI_NGUYEN, no_horizontal_scroll, sign_in
from browser.test_dashboards_browser import THAI_NGUYEN_CODE, plan_id
from browser.test_reporting_flow import PROVINCE_USER

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}

# Texts of an SVG chart drawn outside the chart's own box (what the reader sees clipped), as "label: how far".
OUTSIDE_SVG = """svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
      || r.bottom > box.bottom + 1)
    .map(([text, r]) => `${text}: ${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)}`);
}"""

# Cells of the page's visible tables with three words or more whose text takes as many lines as it has words.
ONE_WORD_PER_LINE = """() => {
  const bad = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    if (!cell.getClientRects().length) continue;  // in a closed <details> or hidden
    const words = cell.innerText.trim().split(/\\s+/).filter(Boolean);
    if (words.length < 3) continue;
    // Line boxes of the cell's text (badges and links included), tops closer than 6 px being one line.
    const tops = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) if (rect.width > 0) tops.push(rect.top);
    }
    tops.sort((a, b) => a - b);
    let lines = 0, last = -1e9;
    for (const top of tops) if (top - last > 6) { lines += 1; last = top; }
    if (lines >= words.length) bad.push(`${cell.innerText.trim().slice(0, 60)} (${lines} lines)`);
  }
  return bad;
}"""

# The phone rules for tables (site.css, issue 14) undone: tables shrink to the screen and cells to one word.
# Through the CSSOM: the pages' Content-Security-Policy refuses an added <style> element.
UNDO_PHONE_TABLES = """() => {
  for (const table of document.querySelectorAll('main table')) table.style.setProperty('display', 'table', 'important');
  for (const cell of document.querySelectorAll('main th, main td')) {
    cell.style.setProperty('min-width', '0', 'important');
  }
}"""

# Controls of the review page that overlap another control, or reach outside their own field.
OVERLAPS = """() => {
  const bad = [];
  for (const row of document.querySelectorAll('.review-row')) {
    const controls = [...row.querySelectorAll('.review-field')].map(field => {
      const control = field.querySelector('textarea, input, select');
      return control && control.getClientRects().length
        ? [field.querySelector('label').textContent.trim(), control.getBoundingClientRect(),
           field.getBoundingClientRect()]
        : null;
    }).filter(Boolean);
    for (const [label, box, field] of controls) {
      if (box.right > field.right + 1 || box.left < field.left - 1) bad.push(`${label} leaves its field`);
    }
    for (let i = 0; i < controls.length; i++) {
      for (let j = i + 1; j < controls.length; j++) {
        const [a, p] = [controls[i][1], controls[j][1]];
        if (a.left < p.right - 1 && p.left < a.right - 1 && a.top < p.bottom - 1 && p.top < a.bottom - 1) {
          bad.push(`${controls[i][0]} overlaps ${controls[j][0]}`);
        }
      }
    }
  }
  return bad;
}"""


def test_trend_axis_labels_are_inside_the_chart_and_heat_map_rows_differ(server: str, page: Any) -> None:
    sign_in(page, server, "admin")
    pk = plan_id(page, server, THAI_NGUYEN_CODE)
    for width in (1280, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{server}/theo-doi/ke-hoach/{pk}/")
        trends = page.locator("section.chart-block svg.chart", has=page.locator("polyline.value-line"))
        assert trends.count() > 0
        for i in range(trends.count()):
            chart = trends.nth(i)
            assert chart.locator("text").count() > 2  # the axis values and the period labels are drawn
            assert chart.evaluate(OUTSIDE_SVG) == [], (width, i)
        heat = page.locator("svg.chart[aria-label^='Tình hình gửi báo cáo']")
        rows = heat.locator("text[text-anchor='end']").all_text_contents()
        assert len(rows) > 1 and len(set(rows)) == len(rows), rows
        assert heat.evaluate(OUTSIDE_SVG) == [], width
    page.screenshot(path=str(ARTIFACTS / "layout-plan-dashboard-phone.png"), full_page=True)


def test_review_fields_stay_in_their_boxes(server: str, page: Any) -> None:
    """The Thái Nguyên plan cites other documents: each reference row has a "Trích yếu" box beside "Quan hệ"."""
    sign_in(page, server, "admin")
    upload = ARTIFACTS / "layout-review-upload.txt"
    ARTIFACTS.mkdir(exist_ok=True)
    # One line more than the seed: a new file to read (the seed itself is already in the demo).
    upload.write_text((GOLDEN / f"{THAI_NGUYEN}.txt").read_text(encoding="utf-8") + "\n(bản chụp lại)\n", "utf-8")
    page.goto(f"{server}/doc-van-ban/")
    page.set_input_files("#id_document", str(upload))
    page.get_by_role("button", name="Tải lên và đọc").click()
    page.wait_for_url("**/duyet/", timeout=60000)
    for width in (1280, 900, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.get_by_label("Quan hệ").count() > 0, "the plan's references are on the page"
        assert page.evaluate(OVERLAPS) == [], width
    page.screenshot(path=str(ARTIFACTS / "layout-review-phone.png"), full_page=False)


def test_tables_on_a_phone_scroll_sideways_instead_of_wrapping_one_word_per_line(server: str, page: Any) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, server, PROVINCE_USER)
    pk = plan_id(page, server, THAI_NGUYEN_CODE)
    pages = [f"{server}/bao-cao/", f"{server}/theo-doi/ke-hoach/{pk}/", f"{server}/ke-hoach/{pk}/"]
    controls = 0
    for url in pages:
        page.goto(url)
        assert page.locator("main table").count() > 0, url
        assert page.evaluate(ONE_WORD_PER_LINE) == [], url
        assert no_horizontal_scroll(page), url  # the table scrolls inside itself, not the page
        page.evaluate(UNDO_PHONE_TABLES)
        controls += len(page.evaluate(ONE_WORD_PER_LINE))
    assert controls > 0, "without the phone rules no cell wrapped one word per line: the check proves nothing"
