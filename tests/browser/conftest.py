"""Shared by the browser tests: the demo server, Debian's Chromium, and small page helpers."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "binhdang-demo-2026"
THAI_NGUYEN = "001_bb8641eaaac6b658"
QUANG_NINH = "003_ecf9f5f172921c6a"


def golden(seed: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / f"{seed}.expected.json").read_text(encoding="utf-8"))
    return data


def binhdang_command() -> list[str]:
    script = ROOT / ".venv" / "bin" / "binhdang"
    return [str(script)] if script.exists() else [sys.executable, "-m", "binhdang.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"binhdang serve exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"binhdang serve did not answer on {url} within {timeout}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo database in a fresh data folder, served by the real `binhdang serve` on a free port."""
    data_dir = tmp_path_factory.mktemp("binhdang-data")
    env = {**os.environ, "BINHDANG_DATA_DIR": str(data_dir)}
    env.setdefault("DJANGO_SETTINGS_MODULE", "binhdang.settings")
    env.pop("DATABASE_URL", None)  # the demo is SQLite in the data folder, whatever the test run uses
    demo = subprocess.run(
        [*binhdang_command(), "demo", "--no-serve"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert demo.returncode == 0, f"binhdang demo failed:\n{demo.stdout[-3000:]}\n{demo.stderr[-3000:]}"
    port = free_port()
    log = data_dir / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*binhdang_command(), "serve", "--port", str(port), "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    # Uploads are read (and PDFs made) by a separate worker process, as in production (binhdang/jobs).
    worker_log = (data_dir / "worker.log").open("wb")
    worker = subprocess.Popen(
        [*binhdang_command(), "worker"], cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # `serve` collects static files before gunicorn starts: a minute or more on a busy two-core machine.
        wait_until_up(f"{base}/dang-nhap/", process, log, timeout=240)
        yield base
    finally:
        for child in (process, worker):
            child.terminate()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=5)
        worker_log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), f"Debian's Chromium is not installed at {CHROMIUM}"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def sign_in(page: Any, server: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{server}/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("domcontentloaded")


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"))
