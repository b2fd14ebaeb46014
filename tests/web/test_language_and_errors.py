"""Vietnamese unless the user picks English; 403/404/500 pages in the product's layout (issue 14)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def client_for(user: Any, **defaults: Any) -> Client:
    client = Client(**defaults)
    client.force_login(user)
    return client


def test_english_browser_still_gets_the_vietnamese_ui(world: SimpleNamespace) -> None:
    client = client_for(world.province_user, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = client.get(reverse("report-list")).content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng xuất" in body and "Sign out" not in body


def test_language_switch_is_remembered_for_later_requests(world: SimpleNamespace) -> None:
    client = client_for(world.province_user, HTTP_ACCEPT_LANGUAGE="vi")
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("report-list")})
    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 300 * 24 * 3600  # remembered beyond the session
    body = client.get(reverse("report-list")).content.decode()
    assert '<html lang="en">' in body and "Sign out" in body
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("report-list")})
    assert '<html lang="vi">' in client.get(reverse("report-list")).content.decode()


def test_unknown_language_cookie_falls_back_to_vietnamese(world: SimpleNamespace) -> None:
    client = client_for(world.province_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi">' in client.get(reverse("report-list")).content.decode()


def test_404_is_a_vietnamese_page_with_the_menu(world: SimpleNamespace) -> None:
    client = client_for(world.commune_user, HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(reverse("plan-detail", args=[987654]))
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Không tìm thấy trang" in body
    assert "Không có kế hoạch này, hoặc bạn không có quyền xem." in body  # the view's own reason
    assert 'class="site-nav"' in body and reverse("report-list") in body
    assert "Not Found" not in body


def test_404_in_english_after_the_switch(world: SimpleNamespace) -> None:
    client = client_for(world.commune_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="en">' in body and "Page not found" in body and "Không tìm thấy trang" not in body


def test_403_is_a_vietnamese_page_with_the_menu(cycle: SimpleNamespace) -> None:
    client = client_for(cycle.commune_user, HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(reverse("inspection-create", args=[cycle.plan.pk]))
    assert response.status_code == 403
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Không có quyền" in body and 'class="site-nav"' in body
    assert "Bạn không được ghi đợt kiểm tra của kế hoạch này." in body  # the view's own reason


def test_500_page_keeps_the_layout_and_the_menu(world: SimpleNamespace, rf: Any) -> None:
    from django.utils import translation

    from binhdang.web.views.errors import server_error_page

    translation.activate("vi")

    request = rf.get("/")
    request.user = world.commune_user
    response = server_error_page(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Lỗi hệ thống" in body and 'class="site-nav"' in body and "Đăng xuất" in body


def test_500_page_without_a_usable_request_still_answers(rf: Any) -> None:
    from binhdang.web.views.errors import server_error_page

    request = rf.get("/")  # no user attribute: the full layout cannot render
    response = server_error_page(request)
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.content.decode()
