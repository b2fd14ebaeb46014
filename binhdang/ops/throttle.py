"""One sign-in throttle for every way in: the sign-in page, /admin/login/ and /api/token/ (docs/security.md).

django-axes counts failed sign-ins in the database (its AccessAttempt table), so every gunicorn worker sees
the same counts. The limit is per account and per address (AXES_LOCKOUT_PARAMETERS): a guesser is stopped
whether it tries many passwords on one account or one password on many accounts. Every password check goes
through `django.contrib.auth.authenticate` with the request, which asks `ThrottleBackend` first; the API's
token view does the same (binhdang/api/token_views.py).
"""

from __future__ import annotations

import ipaddress
import unicodedata
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class ThrottleBackend(AxesStandaloneBackend):
    """axes' check, except that a password check with no request (the CLI, test clients) is not throttled.

    axes refuses such a call with an exception; there is no address to count and no remote guesser.
    """

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class ThrottleHandler(AxesDatabaseHandler):
    """axes' database handler, except what a successful sign-in clears.

    axes clears every record matching the account OR the address: one good sign-in from an address would wipe
    the failures a guesser made there against other accounts, so an insider could guess forever between his own
    sign-ins. Here it clears only the records of that account from that address.
    """

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return int(deleted)


def username_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The account a failure counts against: "Tinh ", "tinh" and its NFD spelling are one account."""
    field = str(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"))
    raw = (credentials or {}).get(field)
    if raw is None and request is not None:
        raw = request.POST.get(field)
    if raw is None:
        return None
    return unicodedata.normalize("NFC", str(raw)).strip().casefold()


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address a failure counts against (axes' AXES_CLIENT_IP_CALLABLE).

    Behind the reverse proxy every peer address is the proxy's, which would make the per-address limit one
    limit for everybody; from a trusted proxy the last X-Forwarded-For entry (the one the proxy appended,
    which a client cannot forge) is the client.
    """
    # None without a peer (a request built in code, as Django's force_login does): the column is an inet on
    # PostgreSQL, which takes no placeholder.
    peer = _ip(str(request.META.get("REMOTE_ADDR") or ""))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    if forwarded and peer is not None and peer in settings.BINHDANG_TRUSTED_PROXIES:
        last = _ip(forwarded.split(",")[-1])
        if last is not None:
            return last
    return peer


def lockout_minutes() -> int:
    return max(1, round(int(settings.BINHDANG_LOGIN_LOCKOUT_SECONDS) / 60))


def lockout_message() -> str:
    return _("Đăng nhập sai %(n)s lần liên tiếp. Vì lý do an toàn, vui lòng thử lại sau %(minutes)s phút.") % {
        "n": settings.BINHDANG_LOGIN_MAX_FAILURES,
        "minutes": lockout_minutes(),
    }


def lockout_response(request: HttpRequest, credentials: dict[str, Any] | None = None) -> HttpResponse:
    """axes' AXES_LOCKOUT_CALLABLE: English JSON for the API, the sign-in page with the reason otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": (
                    f"Too many failed sign-ins for this account or address. Try again in {lockout_minutes()} minutes."
                ),
                "code": "locked_out",
            },
            status=429,
            headers={"Retry-After": str(int(settings.BINHDANG_LOGIN_LOCKOUT_SECONDS))},
        )
    from django.contrib.auth.forms import AuthenticationForm
    from django.core.exceptions import ValidationError

    username = str(request.POST.get("username", ""))
    form = AuthenticationForm(request, data={"username": username})
    form.cleaned_data = {}
    form.add_error(None, ValidationError(lockout_message(), code="locked_out"))
    response = render(request, "web/login.html", {"form": form, "next": request.POST.get("next", "")}, status=429)
    response["Retry-After"] = str(int(settings.BINHDANG_LOGIN_LOCKOUT_SECONDS))
    return response
