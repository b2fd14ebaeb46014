"""Settings for Bình Đẳng: one file, every option from an environment variable (see .env.example).

A bad value fails loudly with ImproperlyConfigured at start-up rather than surfacing later. The production
security settings (HTTPS, HSTS, cookies, content security policy, sign-in throttle; docs/security.md) are here
too, under one switch, `BINHDANG_SECURE=1`.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DEBUG = env_bool("BINHDANG_DEBUG", False)
DATA_DIR = Path(env_str("BINHDANG_DATA_DIR", str(BASE_DIR.parent / "data"))).resolve()

_secret = os.environ.get("BINHDANG_SECRET_KEY", "")
if not _secret:
    if not DEBUG and env_bool("BINHDANG_REQUIRE_SECRET", False):
        raise ImproperlyConfigured("BINHDANG_SECRET_KEY must be set in production")
    # Development and tests only: a fixed key would be a leaked secret, so derive a per-checkout one.
    _secret = "insecure-dev-key-" + str(DATA_DIR)
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("BINHDANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("BINHDANG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "binhdang.places",
    "binhdang.plans",
    "binhdang.reader",
    "binhdang.reporting",
    "binhdang.documents",
    "binhdang.analytics",
    "binhdang.web",
    "binhdang.opendata",
    "binhdang.interop",
    # Background jobs: Django's Tasks framework (the django-tasks backport until Django 6) with its database
    # backend, so the queue lives in the product's database (docs/background-jobs.md).
    "django_tasks",
    "django_tasks_db",
    "binhdang.jobs",
    # Demo and synthetic data only (`binhdang demo`, `binhdang synth`); no domain app imports it.
    "binhdang.demo",
]

# The REST API's apps and options live beside its code.
from binhdang.api.settings_fragment import API_APPS, REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402, F401

INSTALLED_APPS += API_APPS
# Production security: the security headers middleware's app, and django-axes (the sign-in throttle).
INSTALLED_APPS += ["binhdang.ops", "axes"]
# An API token is refused (and deleted) this many days after it was issued; /api/token/ issues a new one.
BINHDANG_API_TOKEN_DAYS = env_int("BINHDANG_API_TOKEN_DAYS", 30)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # After Django's SecurityMiddleware (which sets HSTS, nosniff, Referrer-Policy and COOP): CSP and
    # Permissions-Policy.
    "binhdang.ops.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language is the user's choice (the switch's cookie), never the browser's Accept-Language.
    "binhdang.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Permission selectors compute the user's agency, scope and visible plans once per request.
    "binhdang.places.middleware.ScopeMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last in the chain: turns a locked-out sign-in into binhdang.ops.throttle.lockout_response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "binhdang.urls"
WSGI_APPLICATION = "binhdang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_db = "sqlite:///" + str(DATA_DIR / "binhdang.sqlite3")
try:
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The default database lives in the data folder; create it so a fresh checkout just works.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Writes from the web and the CLI at the same time must wait, not fail with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id first (binhdang/ops/passwords.py says why and with which parameters); the others verify older hashes,
# which are re-hashed with Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "binhdang.ops.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # "Việc cần làm"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language switch's choice is remembered for a year in this browser (docs/decisions.md, "UI language").
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("BINHDANG_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# The project-wide stylesheet lives beside the templates, outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("BINHDANG_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded plan documents larger than this are refused before they are read (reader.services).
BINHDANG_MAX_UPLOAD_BYTES = env_int("BINHDANG_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The review page of a long plan posts one field per extracted value (Quảng Ninh's budget alone has ~700).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job's worker renews its lease every third of this; a job whose lease ran out (its worker died) is
# run again by another worker. Longer means a slower take-over, shorter more writes.
BINHDANG_JOB_LEASE_SECONDS = env_int("BINHDANG_JOB_LEASE_SECONDS", 60)
if BINHDANG_JOB_LEASE_SECONDS < 3:
    raise ImproperlyConfigured("BINHDANG_JOB_LEASE_SECONDS must be at least 3")
# Finished task rows of the queue are deleted after this many days (made PDF files after one day).
BINHDANG_JOB_KEEP_DAYS = env_int("BINHDANG_JOB_KEEP_DAYS", 30)
# The daily reminders (a scheduled job run once for the whole cluster): from this local time, for reports due
# within this many days.
BINHDANG_REMINDER_TIME = env_str("BINHDANG_REMINDER_TIME", "07:30")
if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", BINHDANG_REMINDER_TIME):
    raise ImproperlyConfigured(f"BINHDANG_REMINDER_TIME must be a time written HH:MM, got {BINHDANG_REMINDER_TIME!r}")
BINHDANG_REMINDER_DAYS = env_int("BINHDANG_REMINDER_DAYS", 5)

EMAIL_BACKEND = env_str("BINHDANG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("BINHDANG_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("BINHDANG_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("BINHDANG_FROM_EMAIL", "binhdang@localhost")
# Absolute links in e-mails (reminders); without it the links are relative.
SITE_URL = env_str("BINHDANG_SITE_URL", "")

# --- production security (docs/security.md) ---------------------------------------------------------------
# `BINHDANG_SECURE=1` is the one switch for a deployment behind HTTPS: redirect to HTTPS, HSTS, secure
# cookies, and trust of the reverse proxy's X-Forwarded-Proto header. Each part can be tuned on its own.

BINHDANG_SECURE = env_bool("BINHDANG_SECURE", False)

# HTTPS. Behind nginx/Caddy the proxy terminates TLS and must set X-Forwarded-Proto (and strip any
# value the client sent); BINHDANG_PROXY_SSL_HEADER=0 turns the trust off when TLS ends at gunicorn.
SECURE_SSL_REDIRECT = env_bool("BINHDANG_SSL_REDIRECT", BINHDANG_SECURE)
SECURE_PROXY_SSL_HEADER: tuple[str, str] | None = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BINHDANG_PROXY_SSL_HEADER", BINHDANG_SECURE) else None
)
SECURE_HSTS_SECONDS = env_int("BINHDANG_HSTS_SECONDS", 31_536_000 if BINHDANG_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BINHDANG_HSTS_INCLUDE_SUBDOMAINS", BINHDANG_SECURE)
SECURE_HSTS_PRELOAD = env_bool("BINHDANG_HSTS_PRELOAD", BINHDANG_SECURE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies. BINHDANG_SECURE_COOKIES (the older switch) still turns them on by itself.
SESSION_COOKIE_SECURE = env_bool("BINHDANG_SECURE_COOKIES", False) or BINHDANG_SECURE
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Eight hours: a working day; people sign in again the next morning.
SESSION_COOKIE_AGE = env_int("BINHDANG_SESSION_SECONDS", 8 * 3600)

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
BINHDANG_CSP_REPORT_ONLY = env_bool("BINHDANG_CSP_REPORT_ONLY", False)
BINHDANG_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

# Sign-in throttle (binhdang.ops.throttle, django-axes): after BINHDANG_LOGIN_MAX_FAILURES failed sign-ins
# for one account, or from one address, every way in (page, admin, API token) refuses for
# BINHDANG_LOGIN_LOCKOUT_SECONDS. The counts live in the database, shared by every worker.
BINHDANG_LOGIN_MAX_FAILURES = env_int("BINHDANG_LOGIN_MAX_FAILURES", 5)
BINHDANG_LOGIN_LOCKOUT_SECONDS = env_int("BINHDANG_LOGIN_LOCKOUT_SECONDS", 15 * 60)
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
# (Set but empty is a choice here, not "unset": so not env_list.)
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("BINHDANG_LOG_LEVEL", "WARNING")},
}
