"""The public section: anonymous access, only published indicators, only accepted values, no writes."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.test import Client

from binhdang.opendata.errors import PublishingNotAllowed
from binhdang.opendata.models import PublishedIndicator
from binhdang.opendata.services import indicator_publish, indicator_unpublish

# Figures only draft, submitted or returned reports carry: none may ever appear in public.
HIDDEN = ("777", "333", "444", "9191", "8181", "4090", "4091", "6262")


@pytest.fixture
def published(data: Any) -> Any:
    indicator_publish(indicator=data.i1, user=data.admin, note="Nguồn: báo cáo các xã")
    return data


def _pages(client: Client, data: Any) -> dict[str, str]:
    urls = {
        "index": "/du-lieu-mo/",
        "detail": f"/du-lieu-mo/chi-tieu/{data.i1.pk}/",
        "csv": f"/du-lieu-mo/chi-tieu/{data.i1.pk}.csv",
        "json": f"/du-lieu-mo/chi-tieu/{data.i1.pk}.json",
        "dictionary": "/du-lieu-mo/tu-dien/",
        "dictionary_json": "/du-lieu-mo/tu-dien.json",
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[name] = response.content.decode("utf-8")
    return pages


def test_anonymous_visitor_reads_every_public_page(published: Any) -> None:
    pages = _pages(Client(), published)
    assert published.i1.text in pages["index"]
    assert "<svg" in pages["detail"] and "<rect" in pages["detail"]
    assert "Nguồn: báo cáo các xã" in pages["detail"]


def test_only_accepted_values_appear_anywhere(published: Any) -> None:
    for name, text in _pages(Client(), published).items():
        # Times of day (a publication's timestamp, "07:36:01.777775") hold any digits; figures are not in them.
        text = re.sub(r"\d{2}:\d{2}:\d{2}(?:\.\d+)?", "", text)
        for figure in HIDDEN:
            assert figure not in text, (name, figure)
    rows = list(csv.DictReader(io.StringIO(_pages(Client(), published)["csv"].lstrip("\ufeff"))))
    assert {(r["unit_name"], r["sex"], r["figure"], r["numerator"], r["denominator"]) for r in rows} == {
        (published.commune_a.name, "total", "45", "90", "200"),
        (published.commune_a.name, "female", "45", "45", "100"),
        (published.commune_a.name, "male", "45", "45", "100"),
    }
    assert published.commune_b.name not in _pages(Client(), published)["detail"]


def test_unpublished_indicator_is_not_found_and_never_listed(published: Any) -> None:
    client = Client()
    for suffix in ("/", ".csv", ".json"):
        assert client.get(f"/du-lieu-mo/chi-tieu/{published.i2.pk}{suffix}").status_code == 404
    pages = _pages(client, published)
    for text in pages.values():
        assert published.i2.text not in text
    indicator_unpublish(indicator=published.i1, user=published.admin)
    assert client.get(f"/du-lieu-mo/chi-tieu/{published.i1.pk}/").status_code == 404
    assert published.i1.text not in client.get("/du-lieu-mo/").content.decode()


def test_json_download_carries_records_and_dictionary(published: Any) -> None:
    payload = json.loads(_pages(Client(), published)["json"])
    assert payload["indicator"]["measure"] == "percentage"
    assert payload["indicator"]["source_plan"]["title"] == "Kế hoạch bình đẳng giới năm 2026"
    assert [f["name"] for f in payload["fields"]][:3] == ["indicator_key", "indicator", "unit_code"]
    assert {r["sex"] for r in payload["records"]} == {"total", "female", "male"}
    assert all(r["year"] == 2026 for r in payload["records"])
    dictionary = json.loads(_pages(Client(), published)["dictionary_json"])
    assert [i["key"] for i in dictionary["indicators"]] == ["I1"]


def test_rates_come_from_summed_numerators_and_denominators(published: Any) -> None:
    from binhdang.opendata.selectors import indicator_records

    total = next(r for r in indicator_records(published.i1) if r.sex == "total")
    assert (total.numerator, total.denominator, total.figure) == (90, 200, 45)


def test_no_write_endpoints(published: Any) -> None:
    client = Client(enforce_csrf_checks=False)
    client.force_login(published.admin)  # not even an administrator can write here
    for url in (
        "/du-lieu-mo/",
        f"/du-lieu-mo/chi-tieu/{published.i1.pk}/",
        f"/du-lieu-mo/chi-tieu/{published.i1.pk}.csv",
    ):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(client, method)(url).status_code == 405, (method, url)
    assert PublishedIndicator.objects.count() == 1


def test_only_the_standing_agency_and_administrators_publish(data: Any) -> None:
    for outsider in (data.department_user, data.commune_user, data.other_province_user):
        with pytest.raises(PublishingNotAllowed):
            indicator_publish(indicator=data.i1, user=outsider)
    indicator_publish(indicator=data.i1, user=data.province_user)  # the plan's standing agency
    assert PublishedIndicator.objects.get().published_by == data.province_user
    with pytest.raises(PublishingNotAllowed):
        indicator_unpublish(indicator=data.i1, user=data.commune_user)
    indicator_publish(indicator=data.i1, user=data.admin)
    assert PublishedIndicator.objects.get().published_by == data.admin
