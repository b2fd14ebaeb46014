"""The dashboards in Debian's Chromium against the real demo server: every chart is drawn, has the expected
number of bars, cells or segments, takes room on the page and is not blank in a screenshot.

Pages: a plan's dashboard (Thái Nguyên 59/KH-UBND, which has the demo's synthetic reporting history), its
unit dashboard and a drill-down to a unit below, the budget page (Thái Nguyên: spending but no budget lines;
Quảng Ninh: budget lines but no spending), the task page, the synthetic national view and a drill-down to a
province, and the budget page in English. Screenshots go to test-artifacts/dashboards/.

The PNG check decodes the screenshot here (8-bit RGB/RGBA, the only kinds Chromium writes), with no imaging
library, and counts distinct colours: a blank or single-colour region has one or two.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from browser.conftest import ARTIFACTS, golden, sign_in

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "dashboards"
THAI_NGUYEN_CODE = "59/KH-UBND"


def png_colours(data: bytes) -> int:
    """Distinct colours of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + predictor) & 0xFF
        colours.update(bytes(line[i : i + 3]) for i in range(0, stride, channels))
        previous = line
    return len(colours)


def shoot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_drawn(chart: Any, name: str, min_colours: int = 3) -> None:
    """The SVG takes room on the page and its screenshot has colours besides the background."""
    assert chart.count() == 1, f"{name}: expected one chart, found {chart.count()}"
    box = chart.bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 10, f"{name}: chart box {box}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    data = chart.screenshot(path=str(SHOTS / f"{name}-chart.png"))
    colours = png_colours(data)
    assert colours >= min_colours, f"{name}: the chart's screenshot has only {colours} colours"


def table_rows(page: Any, summary: str) -> list[list[str]]:
    """The rows of the data table whose <summary> contains ``summary`` (the table need not be open)."""
    table = page.locator("details.data-table", has=page.locator("summary", has_text=summary)).first
    rows = table.locator("tbody tr")
    return [[cell.strip() for cell in rows.nth(i).locator("td").all_text_contents()] for i in range(rows.count())]


def plan_id(page: Any, server: str, query: str) -> int:
    page.goto(f"{server}/ke-hoach/?q={query}")
    href = page.locator(".plan-card h2 a").first.get_attribute("href")
    match = re.search(r"/ke-hoach/(\d+)/", href or "")
    assert match, f"no plan {query!r} in the demo"
    return int(match.group(1))


def test_plan_unit_and_drill_down_dashboards(server: str, page: Any) -> None:
    sign_in(page, server, "admin")
    pk = plan_id(page, server, THAI_NGUYEN_CODE)
    page.goto(f"{server}/theo-doi/ke-hoach/{pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Theo dõi thực hiện")
    periods = len(page.locator("#hoan-thanh ~ .chart-block").first.locator("p.missing-note").inner_text().split(";"))
    heat = page.locator("svg.chart[aria-label^='Tình hình gửi báo cáo']")
    reporters = len(table_rows(page, "Tình hình gửi báo cáo"))
    assert reporters > 0
    assert heat.locator("rect").count() == reporters * periods  # one cell per reporter and period
    assert heat.locator("rect.hm-accepted").count() > 0
    assert_drawn(heat, "plan-heatmap", min_colours=4)
    trends = page.locator("section.chart-block svg.chart polyline.value-line")
    assert trends.count() > 0, "no trend line drawn"
    shoot(page, "plan-dashboard")

    page.locator("main a[href*='/theo-doi/dia-ban/']").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert "/theo-doi/dia-ban/" in page.url
    # The demo's Thái Nguyên reports come from pre-2025 districts, which count toward the province: the province
    # has figures and trends, and its drill-down lists those former districts (issue 14), not today's communes.
    ranked = table_rows(page, "Xếp hạng các đơn vị cấp dưới")
    assert len(ranked) == page.locator("ul.drill a.drill-unit").count() > 0
    ranking = page.locator("#xep-hang ~ section.chart-block svg.chart").first
    assert ranking.locator("rect.bar").count() == len([row for row in ranked if row[1] != "—"])
    trend = page.locator("svg.chart", has=page.locator("polyline.value-line")).first
    assert_drawn(trend, "unit-trend")
    shoot(page, "unit-dashboard")
    child = page.locator("ul.drill a.drill-unit").first
    child_name = child.inner_text()
    child.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", level=1).inner_text().startswith(child_name)
    assert page.locator("table.dash-lines tbody tr").count() > 0
    shoot(page, "unit-drill-down")


def test_budget_and_task_dashboards(server: str, page: Any) -> None:
    sign_in(page, server, "admin")
    pk = plan_id(page, server, THAI_NGUYEN_CODE)
    page.goto(f"{server}/theo-doi/ke-hoach/{pk}/kinh-phi/")
    assert page.locator("#khong-co-dong-kinh-phi").is_visible()  # the seed plan prints no budget table
    detail = [row for row in table_rows(page, "Kinh phí theo năm và nguồn") if row[0] != "Tổng cộng"]
    assert detail and all(row[3] != "0" for row in detail)
    chart = page.locator("svg.chart.pairs").first
    assert chart.locator("rect.bar.spent").count() == len(detail)
    assert_drawn(chart, "budget-spent")
    shoot(page, "budget-thai-nguyen")

    page.goto(f"{server}/theo-doi/ke-hoach/{pk}/nhiem-vu/")
    counts = [row for row in table_rows(page, "Số nhiệm vụ theo cơ quan chủ trì") if row[0] != "Tổng cộng"]
    assert counts
    stacked = page.locator("svg.chart.stacked")
    segments = sum(1 for row in counts for cell in row[1:-1] if cell != "0")
    assert stacked.locator("rect.seg").count() == segments
    assert stacked.locator("rect.seg-done, rect.seg-in_progress").count() > 0  # the history reports progress
    assert_drawn(stacked, "tasks-by-agency", min_colours=4)
    shoot(page, "tasks-thai-nguyen")

    page.goto(f"{server}/ke-hoach/")
    page.get_by_role("link", name=golden("003_ecf9f5f172921c6a")["document"]["title"]).click()
    page.wait_for_load_state("domcontentloaded")
    quang_ninh = int(re.search(r"/ke-hoach/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
    page.goto(f"{server}/theo-doi/ke-hoach/{quang_ninh}/kinh-phi/")
    assert page.locator("#chua-co-so-chi").is_visible()
    planned_rows = [row for row in table_rows(page, "Kinh phí theo năm và nguồn") if row[0] != "Tổng cộng"]
    chart = page.locator("svg.chart.pairs").first
    assert chart.locator("rect.bar.planned").count() == len(planned_rows) > 0
    assert_drawn(chart, "budget-planned")
    shoot(page, "budget-quang-ninh")

    page.select_option("#lang-select", "en")
    page.locator(".lang-form button").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Budget execution")
    assert page.locator("#chua-co-so-chi").inner_text().startswith("No accepted report")
    shoot(page, "budget-quang-ninh-english")


def test_national_synthetic_view_and_province_drill_down(server: str, page: Any) -> None:
    sign_in(page, server, "admin")
    page.goto(f"{server}/theo-doi/")
    page.get_by_role("link", name="Xem bảng theo dõi toàn quốc mô phỏng").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".synthetic-banner").is_visible()
    assert "[Dữ liệu mô phỏng]" in page.get_by_role("heading", level=1).inner_text()
    ranked = table_rows(page, "Xếp hạng các tỉnh, thành phố")
    assert len(ranked) == 34  # the provinces in force since 1 July 2025
    with_value = [row for row in ranked if row[3] != "—"]
    assert len(with_value) > 30
    chart = page.locator("#xep-hang ~ section.chart-block svg.chart").first
    assert chart.locator("rect.bar").count() == len(with_value)
    assert_drawn(chart, "national-ranking", min_colours=4)
    province_map = page.locator("svg.chart.map")
    areas = province_map.locator("path.map-area")
    assert areas.count() == 34
    fills = {areas.nth(i).get_attribute("fill") for i in range(areas.count())}
    assert len(fills) >= 3  # provinces with different figures get different classes
    assert province_map.locator("g.map-archipelago").count() == 2
    assert_drawn(province_map, "national-map", min_colours=5)
    shoot(page, "national")

    first = page.locator("ol.national-drill a").first
    name = first.inner_text()
    assert name == ranked[0][1]  # links follow the ranking
    first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", level=1).inner_text().startswith(name)
    assert page.locator(".synthetic-banner").is_visible()
    communes = page.locator("#xep-hang ~ section.chart-block svg.chart").first
    assert communes.locator("rect.bar").count() >= 1
    assert_drawn(communes, "national-province")
    shoot(page, "national-province")
