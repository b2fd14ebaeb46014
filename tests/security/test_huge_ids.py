"""A huge id in any URL is a 404, never a 500 (issue 13, finding 7): every route with an id, from the resolver.

`/du-lieu-mo/chi-tieu/9223372036854775808/` used to overflow the database's 64-bit integer inside the query.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from binhdang.lib.urlids import MAX_ID, IdConverter, parse_id

HUGE = ("9223372036854775808", "99999999999999999999999999")


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    routes: list[str] = []
    for entry in patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern) and "<id:" in route:
            routes.append(prefix + route)
    return routes


ROUTES = sorted(set(_routes(get_resolver().url_patterns)))


def test_every_id_route_uses_the_bounded_converter() -> None:
    assert len(ROUTES) > 30
    every = [str(p.pattern) for p in _flat(get_resolver().url_patterns)]
    assert not [r for r in every if "<int:" in r]


def _flat(patterns: list[Any]) -> list[Any]:
    out: list[Any] = []
    for entry in patterns:
        out += _flat(entry.url_patterns) if isinstance(entry, URLResolver) else [entry]
    return out


def _fill(route: str, number: str) -> str:
    url = re.sub(r"<id:\w+>", number, route)
    return "/" + re.sub(r"<(?:str|slug):\w+>", "indicator", url)


@pytest.mark.parametrize("number", HUGE)
def test_huge_ids_are_404_everywhere(world: SimpleNamespace, number: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.admin)
    answers = {_fill(route, number): client.get(_fill(route, number)).status_code for route in ROUTES}
    assert {url: code for url, code in answers.items() if code != 404} == {}


def test_the_public_indicator_page_named_in_the_issue(db: None) -> None:
    assert Client(raise_request_exception=False).get("/du-lieu-mo/chi-tieu/9223372036854775808/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/plans/9223372036854775808/",
        "/api/reports/?period=9223372036854775808",
        "/api/values/?report=99999999999999999999999",
    ],
)
def test_huge_ids_in_the_api(world: SimpleNamespace, url: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.admin)
    assert client.get(url).status_code in {400, 404}


def test_huge_ids_in_query_strings(world: SimpleNamespace) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(world.admin)
    response = client.get(f"/theo-doi/dia-ban/{world.province.pk}/", {"plan": HUGE[0], "indicator": HUGE[1]})
    assert response.status_code in {200, 404}


def test_the_converter_and_parse_id() -> None:
    converter = IdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    with pytest.raises(ValueError):
        converter.to_python(str(MAX_ID + 1))
    assert [parse_id(v) for v in ["12", "", None, "x", "-1", str(MAX_ID + 1), "١٢"]] == [
        12,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
