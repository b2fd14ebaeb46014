"""Dashboards by disaggregation in Debian's Chromium (issue 16): a person chooses "Nhóm tuổi" on a province's page
and sees the bars by sex within each age group, the female-male gap chart and the table, with no label cut off
and, on a phone, no sideways scroll of the page.

The demo has no indicator reported by age group, so this test builds its own: the province and two communes of
tests/analytics/test_breakdown.py, in the test's database. The browser's requests go to a made-up host and are
answered by Django's test client inside the test (Playwright's request routing), so the pages are the app's own
HTML, CSS and figures, without a second server or a copy of the database.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser.conftest import CHROMIUM, no_horizontal_scroll
from browser.test_dashboards_browser import SHOTS, assert_drawn, shoot, table_rows
from django.contrib.staticfiles import finders
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client

from binhdang.analytics import charts
from tests.analytics.test_breakdown import AGES, _expected, accepted  # noqa: F401 - accepted is a fixture
from tests.reporting.test_disaggregation import world16  # noqa: F401 - a fixture `accepted` needs

pytestmark = pytest.mark.browser
HOST = "http://binhdang.test"
PHONE = {"width": 375, "height": 667}

# Every <text> of the page's breakdown charts that reaches outside its chart's viewBox (clipped when drawn).
CLIPPED = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('#phan-to ~ section svg.chart')) {
    const view = svg.viewBox.baseVal;
    for (const text of svg.querySelectorAll('text')) {
      const box = text.getBBox();
      if (box.x < -0.5 || box.x + box.width > view.width + 0.5 || box.y < -0.5) {
        out.push(text.textContent);
      }
    }
  }
  return out;
}"""


@pytest.fixture
def app_page(accepted: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:  # noqa: F811
    """A tab whose requests to HOST are answered by the test client, signed in as the province's user.

    Chromium is started here and stopped before the test's database is rolled back, not shared through the
    session's ``browser`` fixture: Playwright's synchronous API keeps an event loop running in this thread while
    it is started, and Django refuses every database call under a running loop. This test, which uses the
    database, runs among the database tests (pytest-django orders them first), and a browser left running would
    make every database test after it fail. While it runs, the test's own database calls (the client's requests,
    in the test's transaction) are plain synchronous calls in this thread, so they are allowed."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    client = Client()
    client.force_login(accepted.province_user)
    # Playwright calls the handler in a greenlet of its own, under its running event loop, where Django keeps
    # connections per context rather than per thread and would open a second one (which sees neither the test's
    # data nor its lock): the handler hands the test's own connection to a context of its own.
    test_connection = connections[DEFAULT_DB_ALIAS]
    handler_context = contextvars.copy_context()

    def get(path: str) -> Any:
        if connections[DEFAULT_DB_ALIAS] is not test_connection:
            connections[DEFAULT_DB_ALIAS] = test_connection
        return client.get(path)

    def answer(route: Any) -> None:
        url = urlsplit(route.request.url)
        if url.path.startswith("/static/"):
            found = finders.find(url.path.removeprefix("/static/"))
            route.fulfill(status=200, path=found) if found else route.fulfill(status=404)
            return
        response = handler_context.run(get, f"{url.path}?{url.query}" if url.query else url.path)
        headers = {key: value for key, value in response.items()}
        route.fulfill(status=response.status_code, headers=headers, body=response.content)

    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Debian's Chromium is not installed at {CHROMIUM}"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15000)
        page.route(f"{HOST}/**", answer)
        try:
            yield page
        finally:
            context.close()
            chromium.close()


def test_choosing_age_groups_draws_bars_by_sex_the_gap_and_the_table(app_page: Any, accepted: Any) -> None:  # noqa: F811
    page, w = app_page, accepted
    page.goto(f"{HOST}/theo-doi/dia-ban/{w.province.pk}/?plan={w.plan.pk}&indicator={w.i1.pk}")
    assert page.locator("#phan-to-gioi-tinh").count() == 0  # nothing chosen yet: only the chooser
    page.select_option("#by", "age")
    page.locator("form:has(#by) button").click()
    page.wait_for_load_state("domcontentloaded")
    assert "by=age" in page.url

    bars = page.locator("#phan-to-gioi-tinh svg.chart")
    assert bars.locator("rect.bar.female").count() == len(AGES) + 1  # each group and the whole
    assert bars.locator("rect.bar.male").count() == len(AGES) + 1
    assert_drawn(bars, "breakdown-age-bars", min_colours=4)
    gaps = page.locator("#chenh-lech svg.chart")
    assert gaps.locator("rect.bar").count() == len(AGES) + 1
    assert_drawn(gaps, "breakdown-age-gap", min_colours=3)
    assert page.evaluate(CLIPPED) == []

    rows = table_rows(page, "Theo nhóm tuổi")
    num, den = _expected(["a", "b"], "female", lambda combo: combo.startswith("age=15+;"))
    assert ["15 tuổi trở lên", "Nữ", charts.fmt(num / den * 100), charts.fmt(num), charts.fmt(den)] in rows
    assert len(rows) == (len(AGES) + 1) * 3
    shoot(page, "breakdown-age")

    page.set_viewport_size(PHONE)
    assert page.locator("#phan-to-gioi-tinh table").is_visible()
    assert no_horizontal_scroll(page)  # the table scrolls inside its box, the page does not
    assert page.evaluate(CLIPPED) == []
    shoot(page, "breakdown-age-phone")
    page.locator("#phan-to-gioi-tinh").screenshot(path=str(SHOTS / "breakdown-age-phone-section.png"))
