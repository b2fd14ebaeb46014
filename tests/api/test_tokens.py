"""API tokens expire, die with the password, and are not shown in clear in the admin (issue 13, finding 7)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from conftest import PASSWORD
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

NEW_PASSWORD = "mat-khau-moi-rat-dai-2027"


def token_for(client: APIClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    key: str = response.json()["token"]
    return key


def can_read(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    status: int = client.get("/api/plans/").status_code
    assert status in {200, 401}
    return status == 200


def test_a_token_expires(world: SimpleNamespace) -> None:
    client = APIClient()
    key = token_for(client, "tinh")
    assert can_read(key)
    Token.objects.filter(key=key).update(
        created=timezone.now() - timedelta(days=settings.BINHDANG_API_TOKEN_DAYS, seconds=1)
    )
    assert not can_read(key)
    assert not Token.objects.filter(key=key).exists()
    fresh = token_for(client, "tinh")
    assert fresh != key and can_read(fresh)


def test_an_expired_token_is_not_handed_out_again(world: SimpleNamespace) -> None:
    client = APIClient()
    key = token_for(client, "tinh")
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=settings.BINHDANG_API_TOKEN_DAYS + 1))
    assert token_for(client, "tinh") != key


def test_the_lifetime_is_a_setting(world: SimpleNamespace, settings: Any) -> None:
    key = token_for(APIClient(), "tinh")
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=2))
    settings.BINHDANG_API_TOKEN_DAYS = 3
    assert can_read(key)
    settings.BINHDANG_API_TOKEN_DAYS = 1
    assert not can_read(key)


def test_changing_the_password_anywhere_revokes_the_token(world: SimpleNamespace) -> None:
    key = token_for(APIClient(), "tinh")
    user = world.province_user
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not can_read(key)
    assert not Token.objects.filter(user=user).exists()


def test_saving_the_user_without_a_new_password_keeps_the_token(world: SimpleNamespace) -> None:
    key = token_for(APIClient(), "tinh")
    user = world.province_user
    user.first_name = "Lan"
    user.save()
    assert can_read(key)


def test_the_product_page_changes_the_password_keeps_the_session_and_revokes_the_token(
    world: SimpleNamespace,
) -> None:
    key = token_for(APIClient(), "tinh")
    client = Client()
    client.force_login(world.province_user)
    home = client.get("/ke-hoach/").content.decode()
    assert 'href="/doi-mat-khau/"' in home
    page = client.get("/doi-mat-khau/")
    assert page.status_code == 200
    assert "Đổi mật khẩu" in page.content.decode()
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert "Đã đổi mật khẩu" in response.content.decode()
    assert client.get("/ke-hoach/").status_code == 200  # still signed in
    world.province_user.refresh_from_db()
    assert world.province_user.check_password(NEW_PASSWORD)
    assert not can_read(key)


def test_a_wrong_old_password_changes_nothing(world: SimpleNamespace) -> None:
    from dbsnapshot import product_tables

    key = token_for(APIClient(), "tinh")
    client = Client()
    client.force_login(world.province_user)
    before = product_tables()
    response = client.post(
        "/doi-mat-khau/", {"old_password": "sai-roi", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert product_tables() == before
    assert can_read(key)


def test_the_password_page_in_english(world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(world.province_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/doi-mat-khau/").content.decode()
    assert "Change password" in body
    assert "Đổi mật khẩu" not in body


def test_the_password_page_needs_a_signed_in_user(db: None) -> None:
    response = Client().get("/doi-mat-khau/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_the_admin_shows_only_a_prefix_of_a_token(world: SimpleNamespace) -> None:
    key = token_for(APIClient(), "tinh")
    client = Client()
    client.force_login(world.admin)
    body = client.get("/admin/binhdang_api/apitoken/").content.decode()
    assert key[:6] in body
    assert key not in body
    change = client.get(f"/admin/binhdang_api/apitoken/{world.province_user.pk}/change/").content.decode()
    assert key not in change
