"""Security headers, password rules and the production settings (check --deploy)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CSP_MIDDLEWARE = "binhdang.ops.middleware.SecurityHeadersMiddleware"


@pytest.fixture
def headers(settings: Any) -> Any:
    # The project settings install the middleware right after Django's SecurityMiddleware.
    at = settings.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
    assert settings.MIDDLEWARE[at] == CSP_MIDDLEWARE
    return settings


# ---------------------------------------------------------------------------------------------- headers


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(headers: Any, client: Any) -> None:
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_only_the_api_documentation_pages_allow_inline_code(headers: Any, client: Any) -> None:
    response = client.get("/api/docs/")
    assert "'unsafe-inline'" in response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in client.get("/dang-nhap/").headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_report_only_mode_for_trying_a_policy(headers: Any, client: Any) -> None:
    headers.BINHDANG_CSP_REPORT_ONLY = True
    response = client.get("/dang-nhap/")
    assert "Content-Security-Policy" not in response.headers
    assert "default-src 'self'" in response.headers["Content-Security-Policy-Report-Only"]


def _templates() -> list[Path]:
    return sorted((ROOT / "binhdang").glob("**/templates/**/*.html"))


def test_no_template_has_inline_script() -> None:
    """Scripts come from static files; <script> without src is allowed only for json_script's data blocks."""
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text, flags=re.IGNORECASE):
            attrs = match.group(1)
            if "src=" not in attrs and "application/json" not in attrs:
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.relative_to(ROOT)}: inline event handler")
        if "javascript:" in text.lower():
            offenders.append(f"{path.relative_to(ROOT)}: javascript: URL")
    assert offenders == []


def test_no_template_has_inline_style() -> None:
    # style-src 'self' blocks <style> blocks and style attributes; the stylesheets carry every style.
    found = set()
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        if re.search(r"<style\b|\sstyle\s*=", text, flags=re.IGNORECASE):
            found.add(str(path.relative_to(ROOT)))
    assert found == set(), sorted(found)


# The sign-in throttle (django-axes) has its own tests: tests/ops/test_throttle.py.


# ---------------------------------------------------------------------------------------- password rules


def test_password_rules(settings: Any) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    for weak in ["ngan", "123456789012", "password123", "qwertyuiop"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("mot-cau-mat-khau-dai-2026")


# ----------------------------------------------------------------------------------- production settings


def _check_deploy(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("BINHDANG_") and key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "binhdang.settings",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
            **extra,
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


PRODUCTION = {
    "BINHDANG_SECRET_KEY": secrets.token_urlsafe(50),
    "BINHDANG_SECURE": "1",
    "BINHDANG_ALLOWED_HOSTS": "example.org",
}


def test_production_settings_pass_check_deploy_without_warnings(tmp_path: Path) -> None:
    result = _check_deploy({**PRODUCTION, "BINHDANG_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


def test_development_settings_fail_check_deploy(tmp_path: Path) -> None:
    result = _check_deploy({"BINHDANG_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    for code in ["security.W004", "security.W008", "security.W012", "security.W016", "binhdang.E001"]:
        assert code in result.stderr, code


def test_production_settings_values(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from binhdang import settings as settings_module

    for key, value in PRODUCTION.items():
        monkeypatch.setenv(key, value)
    fragment = importlib.reload(settings_module)
    try:
        assert fragment.SECURE_SSL_REDIRECT is True
        assert fragment.SECURE_HSTS_SECONDS >= 31_536_000
        assert fragment.SECURE_HSTS_INCLUDE_SUBDOMAINS and fragment.SECURE_HSTS_PRELOAD
        assert fragment.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
        assert fragment.SESSION_COOKIE_SECURE and fragment.CSRF_COOKIE_SECURE
        monkeypatch.setenv("BINHDANG_PROXY_SSL_HEADER", "0")
        monkeypatch.setenv("BINHDANG_CACHE", "db")
        fragment = importlib.reload(settings_module)
        assert fragment.SECURE_PROXY_SSL_HEADER is None
        assert fragment.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
        monkeypatch.setenv("BINHDANG_CACHE", "memcached://nope")
        from django.core.exceptions import ImproperlyConfigured

        with pytest.raises(ImproperlyConfigured):
            importlib.reload(settings_module)
    finally:
        for key in [*PRODUCTION, "BINHDANG_PROXY_SSL_HEADER", "BINHDANG_CACHE"]:
            monkeypatch.delenv(key, raising=False)
        importlib.reload(settings_module)
