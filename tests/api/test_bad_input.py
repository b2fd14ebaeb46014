"""Bad input answers a JSON error naming the field, with the right status, and writes nothing."""

from __future__ import annotations

from typing import Any

from binhdang.reporting.models import AuditEvent, Value


def _url(api_world: Any) -> str:
    return f"/api/reports/{api_world.a_report.pk}/values/"


WRONG_TYPES = [
    ({"values": []}, "version"),
    ({"version": "một", "values": []}, "version"),
    ({"version": 1, "values": "không phải danh sách"}, "values"),
    ({"version": 1, "values": [{"sex": "total", "value": 1}]}, "values"),
    ({"version": 1, "values": [{"indicator": "abc", "value": 1}]}, "values"),
    ({"version": 1, "values": [{"indicator": 1, "sex": "other", "value": 1}]}, "values"),
    ({"version": 1, "values": [{"indicator": 1, "value": "12,5 triệu"}]}, "values"),
    ({"version": 1, "values": [{"indicator": 1, "value": "1e300"}]}, "values"),
    ({"version": 1, "values": [{"indicator": 1, "value": 1.23456}]}, "values"),
    ({"version": 1, "values": [{"indicator": 10**30, "value": 1}]}, "values"),
    ({"version": 1, "values": [{"indicator": 1, "value": 1, "note": "a\x00b"}]}, "values"),
]


def test_wrong_types_are_400_with_the_field(api_world: Any, client_for: Any) -> None:
    # One world for all cases: building it is most of the cost of a test.
    client = client_for(api_world.commune_user)
    for body, field in WRONG_TYPES:
        response = client.post(_url(api_world), body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json(), body
    assert not Value.objects.exists() and not AuditEvent.objects.exists()


def test_duplicate_cells_are_refused(api_world: Any, client_for: Any) -> None:
    cell = {"indicator": api_world.i2.pk, "value": 1}
    response = client_for(api_world.commune_user).post(
        _url(api_world), {"version": 1, "values": [cell, cell]}, format="json"
    )
    assert response.status_code == 400 and "values" in response.json()
    assert not Value.objects.exists()


def test_malformed_json_is_400(api_world: Any, client_for: Any) -> None:
    client = client_for(api_world.commune_user)
    for raw in ('{"version": 1, "values": [', '{"version": NaN, "values": []}', "[]"):
        response = client.post(_url(api_world), raw, content_type="application/json")
        assert response.status_code == 400, raw
        assert response.json()


def test_non_json_body_is_415(api_world: Any, client_for: Any) -> None:
    response = client_for(api_world.commune_user).post(_url(api_world), "version=1", content_type="text/plain")
    assert response.status_code == 415 and "detail" in response.json()


def test_unknown_ids_are_json_404(api_world: Any, client_for: Any) -> None:
    client = client_for(api_world.admin)
    for pk in ["0", "999999999", "99999999999999999999999999999", "abc", "-1"]:
        for path in (f"/api/plans/{pk}/", f"/api/reports/{pk}/", f"/api/reports/{pk}/values/", f"/api/values/{pk}/"):
            response = client.get(path) if not path.endswith("values/") else client.post(path, {}, format="json")
            assert response.status_code == 404, path
            assert response.json()["detail"]


def test_unknown_address_under_api_is_json_404(api_world: Any, client_for: Any) -> None:
    response = client_for(api_world.admin).get("/api/khong-co/")
    assert response.status_code == 404 and response.json()["detail"]


def test_bad_filters_are_400_with_the_parameter(api_world: Any, client_for: Any) -> None:
    client = client_for(api_world.admin)
    for query in [{"unit": "abc"}, {"unit": str(10**30)}, {"year": "1800"}, {"level": "galaxy"}, {"page_size": "0"}]:
        response = client.get("/api/plans/", query)
        assert response.status_code == 400, query
        assert set(query) <= set(response.json()), query


def test_read_only_collections_refuse_writes(api_world: Any, client_for: Any) -> None:
    response = client_for(api_world.admin).post("/api/values/", {}, format="json")
    assert response.status_code == 405 and response.json()["detail"]
