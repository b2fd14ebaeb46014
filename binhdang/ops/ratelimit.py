"""Login rate limiting: after N failed sign-ins for one user name from one address, refuse for a while.

Failures are counted from Django's `user_login_failed` signal, so every password form counts (the web
login, the admin login); `login_rate_limited` wraps a login view so a locked-out attempt is refused
before the password is even checked, with a message in Vietnamese and status 429. The counters live in
Django's cache (the `default` cache): see docs/security.md for a cache shared between processes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

View = Callable[..., HttpResponseBase]


def max_failures() -> int:
    return int(getattr(settings, "BINHDANG_LOGIN_MAX_FAILURES", 5))


def lockout_seconds() -> int:
    return int(getattr(settings, "BINHDANG_LOGIN_LOCKOUT_SECONDS", 15 * 60))


def client_address(request: HttpRequest | None) -> str:
    """The peer address. Behind a reverse proxy this is the proxy's; the user name still limits guessing."""
    if request is None:
        return "-"
    return str(request.META.get("REMOTE_ADDR") or "-")


def _key(username: str, address: str) -> str:
    # Hashed: user names are Vietnamese text of any length; cache keys must be short ASCII.
    digest = hashlib.sha256(f"{username.strip().casefold()}\x00{address}".encode()).hexdigest()
    return f"binhdang:login-failures:{digest}"


def failures(username: str, address: str) -> int:
    return int(cache.get(_key(username, address), 0))


def is_locked(username: str, address: str) -> bool:
    return failures(username, address) >= max_failures()


def record_failure(username: str, address: str) -> int:
    key = _key(username, address)
    # The window starts at the first failure and is not extended by later ones.
    if cache.add(key, 1, timeout=lockout_seconds()):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=lockout_seconds())
        return 1


def reset(username: str, address: str) -> None:
    cache.delete(_key(username, address))


def _username_of(credentials: dict[str, Any]) -> str:
    from django.contrib.auth import get_user_model

    field = get_user_model().USERNAME_FIELD
    return str(credentials.get(field) or credentials.get("username") or "")


@receiver(user_login_failed, dispatch_uid="binhdang.ops.ratelimit.failed")
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any) -> None:
    username = _username_of(credentials)
    if username:
        record_failure(username, client_address(request))


@receiver(user_logged_in, dispatch_uid="binhdang.ops.ratelimit.succeeded")
def _on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    if request is not None:
        reset(user.get_username(), client_address(request))


def lockout_message() -> str:
    minutes = max(1, round(lockout_seconds() / 60))
    return _("Đăng nhập sai %(n)s lần liên tiếp. Vì lý do an toàn, vui lòng thử lại sau %(minutes)s phút.") % {
        "n": max_failures(),
        "minutes": minutes,
    }


def login_rate_limited(view: View, template_name: str = "web/login.html") -> View:
    """Wrap a login view: a POST for a locked-out user name and address gets the form back with 429."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST":
            username = str(request.POST.get("username", ""))
            if username and is_locked(username, client_address(request)):
                from django.contrib.auth.forms import AuthenticationForm
                from django.core.exceptions import ValidationError

                form = AuthenticationForm(request, data={"username": username})
                form.cleaned_data = {}
                form.add_error(None, ValidationError(lockout_message(), code="rate_limited"))
                return render(
                    request,
                    template_name,
                    {"form": form, "next": request.POST.get("next", "")},
                    status=429,
                )
        return view(request, *args, **kwargs)

    return wrapper
