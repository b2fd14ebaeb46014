"""Tokens for machine clients: issued by a command or for a password, required for every collection."""

from __future__ import annotations

import io
from typing import Any

import pytest
from conftest import PASSWORD
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def test_anonymous_client_gets_401(api_world: Any) -> None:
    response = APIClient().get("/api/plans/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_wrong_token_is_401(api_world: Any) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token khong-phai-token")
    assert client.get("/api/plans/").status_code == 401


def test_command_prints_a_token_that_authenticates(api_world: Any) -> None:
    out = io.StringIO()
    call_command("api_token", "xa_a", stdout=out)
    key = out.getvalue().strip()
    assert Token.objects.get(user=api_world.commune_user).key == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/reports/").status_code == 200


def test_command_reset_revokes_the_old_token(api_world: Any) -> None:
    first, second = io.StringIO(), io.StringIO()
    call_command("api_token", "xa_a", stdout=first)
    call_command("api_token", "xa_a", "--reset", stdout=second)
    assert first.getvalue() != second.getvalue()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first.getvalue().strip()}")
    assert client.get("/api/reports/").status_code == 401


def test_command_refuses_unknown_user(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("api_token", "khong-ai")


def test_token_for_username_and_password(api_world: Any) -> None:
    client = APIClient()
    refused = client.post("/api/token/", {"username": "xa_a", "password": "sai"}, format="json")
    assert refused.status_code == 400
    response = client.post("/api/token/", {"username": "xa_a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=api_world.commune_user).key


def test_session_login_works_for_the_browsable_api(api_world: Any) -> None:
    client = APIClient()
    client.force_login(api_world.commune_user)
    page = client.get("/api/reports/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and b"<html" in page.content.lower()
