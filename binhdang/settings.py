"""Settings for Bình Đẳng: one file, every option from an environment variable (see .env.example).

A bad value fails loudly with ImproperlyConfigured at start-up rather than surfacing later.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
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
# An API token is refused (and deleted) this many days after it was issued; /api/token/ issues a new one.
BINHDANG_API_TOKEN_DAYS = env_int("BINHDANG_API_TOKEN_DAYS", 30)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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

SESSION_COOKIE_SECURE = env_bool("BINHDANG_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("BINHDANG_LOG_LEVEL", "WARNING")},
}

# Production security (docs/security.md): HTTPS, HSTS, cookies, content security policy, sign-in throttle.
# Last in the file, so that its cookie and HSTS values replace the defaults above.
from binhdang.ops.settings_fragment import *  # noqa: E402, F403
from binhdang.ops.settings_fragment import OPS_APPS, OPS_LAST_MIDDLEWARE, OPS_MIDDLEWARE  # noqa: E402

INSTALLED_APPS += OPS_APPS
_at = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_at:_at] = OPS_MIDDLEWARE  # right after SecurityMiddleware
MIDDLEWARE += OPS_LAST_MIDDLEWARE
