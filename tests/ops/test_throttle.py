"""One sign-in throttle for the page, /admin/login/ and /api/token/ (issue 13, finding 4).

The counts are rows of django-axes' AccessAttempt table, so every worker process shares them; the tests
drive the three ways in through the real views and move the failures back in time for the cool-off.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from axes.models import AccessAttempt
from conftest import PASSWORD
from dbsnapshot import product_tables
from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

LIMIT = settings.AXES_FAILURE_LIMIT


def page(client: Any, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post("/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR=address)


def admin(client: Any, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def api(client: Any, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        "/api/token/",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


WAYS = {"page": page, "admin": admin, "api": api}


def signed_in(client: Any) -> bool:
    return "_auth_user_id" in client.session


def cool_off_passes() -> None:
    """What the clock does: every recorded failure is older than the lock."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))


def test_the_lock_is_in_the_database_for_every_worker() -> None:
    assert settings.AXES_HANDLER == "binhdang.ops.throttle.ThrottleHandler"
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AUTHENTICATION_BACKENDS[0] == "binhdang.ops.throttle.ThrottleBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_thirty_wrong_passwords_through_the_api_lock_it(world: SimpleNamespace, client: Any) -> None:
    codes = [api(client, "admin", f"sai-{n}").status_code for n in range(30)]
    assert codes[: LIMIT - 1] == [400] * (LIMIT - 1)
    assert set(codes[LIMIT - 1 :]) == {429}
    refused = api(client, "admin", PASSWORD)
    assert refused.status_code == 429
    assert refused.json()["code"] == "locked_out"
    assert "Too many failed sign-ins" in refused.json()["detail"]
    assert not Token.objects.filter(user=world.admin).exists()
    cool_off_passes()
    accepted = api(client, "admin", PASSWORD)
    assert accepted.status_code == 200
    assert accepted.json()["token"] == Token.objects.get(user=world.admin).key


def test_wrong_passwords_through_the_admin_lock_it(world: SimpleNamespace, client: Any) -> None:
    for n in range(30):
        admin(client, "admin", f"sai-{n}")
    refused = admin(client, "admin", PASSWORD)
    assert refused.status_code == 429
    assert "Đăng nhập sai 5 lần liên tiếp" in refused.content.decode()
    assert not signed_in(client)
    cool_off_passes()
    assert admin(client, "admin", PASSWORD).status_code == 302
    assert signed_in(client)


def test_wrong_passwords_through_the_page_lock_it(world: SimpleNamespace, client: Any) -> None:
    for n in range(30):
        page(client, "tinh", f"sai-{n}")
    refused = page(client, "tinh", PASSWORD)
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "Đăng nhập sai 5 lần liên tiếp" in body and "15 phút" in body
    assert not signed_in(client)
    cool_off_passes()
    assert page(client, "tinh", PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_lockout_page_speaks_english_to_an_english_reader(world: SimpleNamespace, client: Any) -> None:
    client.cookies["django_language"] = "en"
    for n in range(LIMIT):
        page(client, "tinh", f"sai-{n}")
    body = page(client, "tinh", PASSWORD).content.decode()
    assert "Đăng nhập sai" not in body
    assert "failed sign-ins" in body


@pytest.mark.parametrize(("first", "second", "then"), [("api", "admin", "page"), ("page", "api", "admin")])
def test_the_three_ways_share_one_count(
    world: SimpleNamespace, client: Any, first: str, second: str, then: str
) -> None:
    for n in range(LIMIT - 2):
        WAYS[first](client, "tinh", f"sai-{n}")
    WAYS[second](client, "tinh", "sai-a")
    assert WAYS[then](client, "tinh", "sai-b").status_code == 429
    for way in WAYS.values():
        assert way(client, "tinh", PASSWORD).status_code == 429
    assert not signed_in(client)


def test_the_account_is_locked_from_every_address(world: SimpleNamespace, client: Any) -> None:
    for n in range(LIMIT):
        api(client, "tinh", "sai", address=f"10.0.1.{n}")
    assert page(client, "tinh", PASSWORD, address="10.0.2.1").status_code == 429
    assert page(client, "soyte", PASSWORD, address="10.0.2.1").status_code == 302


def test_the_address_is_locked_for_every_account(world: SimpleNamespace, client: Any) -> None:
    for n in range(LIMIT):
        api(client, f"doan-{n}", "sai", address="10.0.3.3")
    assert api(client, "soyte", PASSWORD, address="10.0.3.3").status_code == 429
    assert api(client, "soyte", PASSWORD, address="10.0.3.4").status_code == 200


def test_spellings_of_one_user_name_are_one_account(world: SimpleNamespace, client: Any) -> None:
    for n, name in enumerate(["tinh", "TINH", " Tinh ", "tinh", "tInh"]):
        page(client, name, "sai", address=f"10.0.4.{n}")
    assert page(client, "tinh", PASSWORD, address="10.0.4.9").status_code == 429


def test_a_successful_sign_in_clears_the_count(world: SimpleNamespace, client: Any) -> None:
    for _ in range(LIMIT - 1):
        page(client, "tinh", "sai")
    assert page(client, "tinh", PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        page(client, "tinh", "sai")
    assert page(client, "tinh", PASSWORD).status_code == 302


def test_a_refused_attempt_while_locked_changes_no_table(world: SimpleNamespace, client: Any) -> None:
    for n in range(LIMIT):
        api(client, "tinh", f"sai-{n}")
    before = (product_tables(), list(AccessAttempt.objects.order_by("pk").values()))
    for way in WAYS.values():
        assert way(client, "tinh", "sai-nua").status_code == 429
        assert way(client, "tinh", PASSWORD).status_code == 429
    assert (product_tables(), list(AccessAttempt.objects.order_by("pk").values())) == before


def test_behind_the_proxy_the_forwarded_address_counts(world: SimpleNamespace, client: Any) -> None:
    for n in range(LIMIT):
        client.post(
            "/dang-nhap/",
            {"username": f"khach-{n}", "password": "sai"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="6.6.6.6, 10.9.9.9",
        )
    assert AccessAttempt.objects.filter(ip_address="10.9.9.9").count() == LIMIT
    # Another client behind the same proxy is not locked out with the guesser.
    ok = client.post(
        "/dang-nhap/",
        {"username": "tinh", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.9.9.10",
    )
    assert ok.status_code == 302
    # From an untrusted peer the header is the client's own word and is ignored.
    client.post(
        "/dang-nhap/", {"username": "x", "password": "sai"}, REMOTE_ADDR="10.8.8.8", HTTP_X_FORWARDED_FOR="1.1.1.1"
    )
    assert AccessAttempt.objects.filter(ip_address="10.8.8.8").exists()
    assert not AccessAttempt.objects.filter(ip_address="1.1.1.1").exists()


def test_signing_in_without_a_request_is_not_throttled(world: SimpleNamespace) -> None:
    from django.contrib.auth import authenticate

    assert authenticate(username="tinh", password=PASSWORD) == world.province_user


def test_signing_in_to_ones_own_account_does_not_clear_a_guess_at_another(world: SimpleNamespace, client: Any) -> None:
    for round_ in range(3):
        for n in range(LIMIT - 2):
            page(client, "tinh", f"sai-{round_}-{n}")
        assert page(client, "soyte", PASSWORD).status_code in {302, 429}
        client.logout()
    assert page(client, "tinh", PASSWORD, address="10.0.5.5").status_code == 429
