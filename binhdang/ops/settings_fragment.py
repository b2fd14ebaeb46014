"""Production security settings, every one driven by an environment variable (docs/security.md).

binhdang/settings.py imports this module at its end:

    from binhdang.ops.settings_fragment import *  # noqa: E402, F403

`BINHDANG_SECURE=1` is the one switch for a deployment behind HTTPS: redirect to HTTPS, HSTS, secure
cookies, and trust of the reverse proxy's X-Forwarded-Proto header. Each part can be tuned on its own.
This module reads only the environment, never settings.py, so it can be imported at any point.
"""

from __future__ import annotations

import os
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "AUTHENTICATION_BACKENDS",
    "AXES_CLIENT_IP_CALLABLE",
    "AXES_COOLOFF_TIME",
    "AXES_DISABLE_ACCESS_LOG",
    "AXES_FAILURE_LIMIT",
    "AXES_HANDLER",
    "AXES_HTTP_RESPONSE_CODE",
    "AXES_LOCKOUT_CALLABLE",
    "AXES_LOCKOUT_PARAMETERS",
    "AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT",
    "AXES_RESET_ON_SUCCESS",
    "AXES_USERNAME_CALLABLE",
    "AXES_VERBOSE",
    "BINHDANG_CSP",
    "BINHDANG_CSP_RELAXED_PATHS",
    "BINHDANG_CSP_REPORT_ONLY",
    "BINHDANG_LOGIN_LOCKOUT_SECONDS",
    "BINHDANG_LOGIN_MAX_FAILURES",
    "BINHDANG_PERMISSIONS_POLICY",
    "BINHDANG_SECURE",
    "BINHDANG_TRUSTED_PROXIES",
    "CACHES",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "OPS_APPS",
    "OPS_LAST_MIDDLEWARE",
    "OPS_MIDDLEWARE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REFERRER_POLICY",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_AGE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_SECURE",
]


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


OPS_APPS = ["binhdang.ops", "axes"]
# After Django's SecurityMiddleware (which sets HSTS, nosniff, Referrer-Policy and COOP).
OPS_MIDDLEWARE = ["binhdang.ops.middleware.SecurityHeadersMiddleware"]
# Last in the chain: turns a locked-out sign-in into binhdang.ops.throttle.lockout_response.
OPS_LAST_MIDDLEWARE = ["axes.middleware.AxesMiddleware"]

BINHDANG_SECURE = _bool("BINHDANG_SECURE", False)

# HTTPS. Behind nginx/Caddy the proxy terminates TLS and must set X-Forwarded-Proto (and strip any
# value the client sent); BINHDANG_PROXY_SSL_HEADER=0 turns the trust off when TLS ends at gunicorn.
SECURE_SSL_REDIRECT = _bool("BINHDANG_SSL_REDIRECT", BINHDANG_SECURE)
SECURE_PROXY_SSL_HEADER: tuple[str, str] | None = (
    ("HTTP_X_FORWARDED_PROTO", "https") if _bool("BINHDANG_PROXY_SSL_HEADER", BINHDANG_SECURE) else None
)
SECURE_HSTS_SECONDS = _int("BINHDANG_HSTS_SECONDS", 31_536_000 if BINHDANG_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("BINHDANG_HSTS_INCLUDE_SUBDOMAINS", BINHDANG_SECURE)
SECURE_HSTS_PRELOAD = _bool("BINHDANG_HSTS_PRELOAD", BINHDANG_SECURE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Cookies. BINHDANG_SECURE_COOKIES (the older switch in settings.py) still turns them on by itself.
SESSION_COOKIE_SECURE = _bool("BINHDANG_SECURE_COOKIES", False) or BINHDANG_SECURE
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Eight hours: a working day; people sign in again the next morning.
SESSION_COOKIE_AGE = _int("BINHDANG_SESSION_SECONDS", 8 * 3600)

# Content security policy (binhdang.ops.middleware). No inline script or style anywhere.
BINHDANG_CSP: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Third-party pages that cannot work without inline code: the API's Swagger UI and Redoc (drf-spectacular).
BINHDANG_CSP_RELAXED_PATHS: list[str] = ["/api/docs/", "/api/redoc/"]
# BINHDANG_CSP_REPORT_ONLY=1 sends Content-Security-Policy-Report-Only while a new policy is tried out.
BINHDANG_CSP_REPORT_ONLY = _bool("BINHDANG_CSP_REPORT_ONLY", False)
BINHDANG_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

# Sign-in throttle (binhdang.ops.throttle, django-axes): after BINHDANG_LOGIN_MAX_FAILURES failed sign-ins
# for one account, or from one address, every way in (page, admin, API token) refuses for
# BINHDANG_LOGIN_LOCKOUT_SECONDS. The counts live in the database, shared by every worker.
BINHDANG_LOGIN_MAX_FAILURES = _int("BINHDANG_LOGIN_MAX_FAILURES", 5)
BINHDANG_LOGIN_LOCKOUT_SECONDS = _int("BINHDANG_LOGIN_LOCKOUT_SECONDS", 15 * 60)
AUTHENTICATION_BACKENDS = ["binhdang.ops.throttle.ThrottleBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "binhdang.ops.throttle.ThrottleHandler"
AXES_FAILURE_LIMIT = BINHDANG_LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(seconds=BINHDANG_LOGIN_LOCKOUT_SECONDS)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "binhdang.ops.throttle.username_key"
AXES_LOCKOUT_CALLABLE = "binhdang.ops.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A refused attempt during the lock changes nothing: the window runs from the failure that closed it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
# Sign-ins are in the Django log already; axes' own access log would grow by one row per sign-in.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "binhdang.ops.throttle.client_address"
# Behind nginx on the same host the peer is the proxy: from these peers the address nginx appended to
# X-Forwarded-For (its right-most entry) is the client's. Empty: always the peer address.
BINHDANG_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("BINHDANG_TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if a.strip()
]

# Django's cache (page fragments; no longer the sign-in counts, which are in the database). Per-process
# memory by default; BINHDANG_CACHE=db (run `binhdang createcachetable`) or redis://host:6379/0 to share it.
_cache = os.environ.get("BINHDANG_CACHE", "").strip()
if _cache == "" or _cache == "locmem":
    CACHES: dict[str, dict[str, object]] = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "binhdang"}
    }
elif _cache == "db":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "binhdang_cache"}}
elif _cache.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache}}
else:
    raise ImproperlyConfigured(f"BINHDANG_CACHE must be locmem, db or a redis:// URL, got {_cache!r}")
