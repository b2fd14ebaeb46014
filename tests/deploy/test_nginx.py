"""The production stack on loopback: PostgreSQL, gunicorn and Debian's nginx (deploy/loopback.py), and the
deployment files in deploy/ checked for what the app relies on. Nothing of the machine's own services is touched:
a temporary database, free 127.0.0.1 ports, nginx from a generated config in a temporary folder."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

# deploy/ is not a package (and tests/deploy would shadow it): load the helper by its path.
_spec = importlib.util.spec_from_file_location(
    "binhdang_deploy_loopback", Path(__file__).resolve().parents[2] / "deploy" / "loopback.py"
)
assert _spec is not None and _spec.loader is not None
loopback = sys.modules.setdefault(_spec.name, importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(loopback)
REPO: Path = loopback.REPO
migrated_stack = loopback.migrated_stack
DEPLOY = REPO / "deploy"


@pytest.fixture(autouse=True)
def _tools_present() -> None:
    # scripts/setup installs nginx and the test command requires PostgreSQL: missing either is a failure.
    assert shutil.which("nginx") or Path("/usr/sbin/nginx").exists(), "nginx is not installed (run scripts/setup)"
    assert _postgres_available(), "PostgreSQL on 127.0.0.1:5432 is not reachable"


def _postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(loopback.ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


def test_sign_in_page_is_served_through_nginx_from_gunicorn_and_postgresql() -> None:
    with migrated_stack() as stack:
        app_port = stack.start_gunicorn(workers=1)
        port = stack.start_nginx([app_port])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=10) as response:
            assert response.status == 200
            assert response.headers["Server"].startswith("nginx")
            page = response.read().decode("utf-8")
        assert "Đăng nhập" in page
        assert 'name="csrfmiddlewaretoken"' in page
        # The session cookie and CSRF cookie come from Django through the proxy.
        # Static files: served by nginx itself from STATIC_ROOT with a long cache.
        css = re.search(r'href="(/static/[^"]+\.css)"', page)
        assert css, "the sign-in page links a stylesheet"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css.group(1)}", timeout=10) as response:
            assert response.status == 200
            assert "max-age=31536000" in response.headers["Cache-Control"]
        # The request really went through gunicorn (its access log) and nginx (its own).
        assert "/dang-nhap/" in (stack.workdir / f"access-{app_port}.log").read_text()
        assert "/dang-nhap/" in (stack.workdir / "nginx" / "access.log").read_text()
    assert not stack.workdir.exists()


def test_production_nginx_site_is_valid_and_matches_the_app() -> None:
    from django.conf import settings

    text = (DEPLOY / "nginx-binhdang.conf").read_text(encoding="utf-8")
    limit_mb = settings.BINHDANG_MAX_UPLOAD_BYTES // (1024 * 1024)
    assert f"client_max_body_size {limit_mb}m;" in text
    assert "proxy_pass http://binhdang_app;" in text and "server 127.0.0.1:8001" in text
    assert "alias /var/lib/binhdang/static/;" in text and "immutable" in text
    # `nginx -t` on the site wrapped in a minimal main config (the snakeoil certificate may be absent here).
    tmp = Path(__import__("tempfile").mkdtemp(prefix="binhdang-nginx-t-"))
    try:
        site = text.replace("/var/log/nginx/", f"{tmp}/")
        if not Path("/etc/ssl/certs/ssl-cert-snakeoil.pem").exists():
            site = re.sub(r"\n\s*ssl_certificate(_key)? [^\n]*", "", site).replace(" ssl http2;", ";")
        conf = tmp / "nginx.conf"
        conf.write_text(
            f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
            f"http {{\ninclude /etc/nginx/mime.types;\nclient_body_temp_path {tmp}/cb;\nproxy_temp_path {tmp}/p;\n"
            f"fastcgi_temp_path {tmp}/f;\nuwsgi_temp_path {tmp}/u;\nscgi_temp_path {tmp}/s;\n{site}\n}}\n",
            encoding="utf-8",
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        result = subprocess.run(
            [nginx, "-t", "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_systemd_unit_cron_and_setup_script() -> None:
    unit = (DEPLOY / "binhdang@.service").read_text(encoding="utf-8")
    assert "EnvironmentFile=/etc/binhdang/env" in unit
    assert "binhdang.wsgi:application" in unit and "--bind 127.0.0.1:%i" in unit
    if shutil.which("systemd-analyze"):
        result = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", str(DEPLOY / "binhdang@.service")],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        # Only syntax is checked: the user, the paths and the env file exist on the production machine only.
        assert "Unknown key" not in result.stderr and "Invalid" not in result.stderr, result.stderr
    worker = (DEPLOY / "binhdang-worker@.service").read_text(encoding="utf-8")
    assert "EnvironmentFile=/etc/binhdang/env" in worker and "/.venv/bin/binhdang worker" in worker
    assert "Restart=always" in worker and "User=binhdang" in worker
    if shutil.which("systemd-analyze"):
        result = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", str(DEPLOY / "binhdang-worker@.service")],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert "Unknown key" not in result.stderr and "Invalid" not in result.stderr, result.stderr
    cron = (DEPLOY / "binhdang.cron").read_text(encoding="utf-8")
    jobs = [line for line in cron.splitlines() if line and not line.startswith("#") and "=" not in line.split()[0]]
    # Reminders are a scheduled job of the workers (once per cluster), not a cron line on every server.
    assert len(jobs) == 1
    assert all(len(job.split()) > 6 and job.split()[5] == "binhdang" for job in jobs)
    assert not any("remind" in job for job in jobs)
    assert any("binhdang backup" in job for job in jobs)
    script = DEPLOY / "setup-debian.sh"
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    text = script.read_text(encoding="utf-8")
    for step in (
        "apt-get install",
        "adduser --system",
        "python3 -m venv",
        "secrets.token_urlsafe",
        "migrate",
        "collectstatic",
        "systemctl daemon-reload",
        "systemctl enable",
        "sites-enabled",
        "/etc/cron.d/",
    ):
        assert step in text, step
