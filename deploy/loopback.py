"""The production stack on loopback only, for tests/deploy and benchmarks/load.py: a temporary PostgreSQL
database, gunicorn on free 127.0.0.1 ports, and Debian's nginx run in the foreground from a generated config in a
temporary folder (its own pid file, logs and temp paths; nothing of the machine's nginx is touched).

Everything listens on 127.0.0.1 and is stopped by the caller (`Stack.close`), also on failure.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("BINHDANG_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")

NGINX_CONF = """\
worker_processes {workers};
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    sendfile on;
    keepalive_timeout 65;
    upstream binhdang_app {{
{servers}        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1 localhost;
        client_max_body_size 20m;
        location /static/ {{
            alias {static}/;
            expires 365d;
            add_header Cache-Control "public, max-age=31536000, immutable";
        }}
        location / {{
            proxy_pass http://binhdang_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 120s;
            proxy_redirect off;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float = 20.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until url answers (any HTTP status); fail early if proc died."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback URL built here
                return
        except urllib.error.HTTPError:
            return
        except OSError as exc:
            last = exc
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s: {last}")


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@dataclass
class Stack:
    """A temporary database, gunicorn instances and (optionally) nginx; close() undoes all of it."""

    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="binhdang-deploy-")))
    db_name: str = field(default_factory=lambda: "binhdang_tmp_" + secrets.token_hex(4))
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    gunicorn_ports: list[int] = field(default_factory=list)
    nginx_port: int | None = None
    db_created: bool = False

    def __post_init__(self) -> None:
        os.chmod(self.workdir, 0o755)  # noqa: S103 - nginx workers (user nobody when run as root) read static files from here
        self.data_dir = self.workdir / "data"
        self.data_dir.mkdir()
        self.logs: dict[str, Path] = {}

    # --- settings -----------------------------------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        base = ADMIN_URL.rsplit("/", 1)[0]
        return f"{base}/{self.db_name}"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BINHDANG_", "DATABASE_URL", "DJANGO_"))}
        env.update(
            DATABASE_URL=self.database_url,
            BINHDANG_DATA_DIR=str(self.data_dir),
            BINHDANG_SECRET_KEY="loopback-" + self.db_name,
            BINHDANG_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            BINHDANG_DEBUG="0",
            # Plain static storage: the hashed, compressed manifest takes ~90 s to build on a small machine; pages and
            # nginx serve the same files either way.
            BINHDANG_MANIFEST_STATIC="0",
            BINHDANG_LOG_LEVEL="WARNING",
        )
        env.update(extra)
        return env

    # --- database -----------------------------------------------------------------------------------------------

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE \"{self.db_name}\" ENCODING 'UTF8' TEMPLATE template0")
        self.db_created = True

    def drop_database(self) -> None:
        if not self.db_created:
            return
        import psycopg

        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        self.db_created = False

    def cli(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """Run `python -m binhdang.cli ARGS` against the temporary database; raise with its output on failure."""
        result = subprocess.run(  # noqa: S603 - this interpreter, fixed module
            [sys.executable, "-m", "binhdang.cli", *args],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"binhdang {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    # --- servers ------------------------------------------------------------------------------------------------

    def start_gunicorn(self, workers: int = 2, port: int | None = None) -> int:
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        port = port or free_port()
        log = self.workdir / f"gunicorn-{port}.log"
        self.logs[f"gunicorn-{port}"] = log
        proc = subprocess.Popen(  # noqa: S603 - fixed argv
            [
                gunicorn,
                "binhdang.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--access-logfile",
                str(self.workdir / f"access-{port}.log"),
                "--error-logfile",
                str(log),
            ],
            cwd=REPO,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.processes.append(proc)
        wait_http(f"http://127.0.0.1:{port}/dang-nhap/", timeout=30, proc=proc)
        self.gunicorn_ports.append(port)
        return port

    def start_nginx(self, upstream_ports: list[int], workers: int = 1) -> int:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(nginx):
            raise FileNotFoundError("nginx is not installed (apt-get install nginx)")
        prefix = self.workdir / "nginx"
        prefix.mkdir(exist_ok=True)
        os.chmod(prefix, 0o755)  # noqa: S103 - read by nginx's workers
        port = free_port()
        servers = "".join(f"        server 127.0.0.1:{p};\n" for p in upstream_ports)
        conf = prefix / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                prefix=prefix,
                port=port,
                servers=servers,
                static=self.data_dir / "static",
                workers=workers,
            ),
            encoding="utf-8",
        )
        self.logs["nginx"] = prefix / "error.log"
        proc = subprocess.Popen(  # noqa: S603 - fixed argv
            [nginx, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.processes.append(proc)
        wait_http(f"http://127.0.0.1:{port}/dang-nhap/", timeout=15, proc=proc)
        self.nginx_port = port
        return port

    def stop_servers(self) -> None:
        while self.processes:
            # SIGQUIT is nginx's graceful stop; gunicorn stops on SIGTERM.
            proc = self.processes.pop()
            _stop(proc, signal.SIGQUIT if "nginx" in str(proc.args[0]) else signal.SIGTERM)
        self.gunicorn_ports.clear()
        self.nginx_port = None

    def close(self) -> None:
        try:
            self.stop_servers()
        finally:
            try:
                self.drop_database()
            finally:
                shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def migrated_stack() -> Iterator[Stack]:
    """A Stack with its database created, migrated and static files collected."""
    stack = Stack()
    try:
        stack.create_database()
        stack.cli("migrate", "--noinput", "-v0")
        stack.cli("collectstatic", "--noinput", "-v0")
        yield stack
    finally:
        stack.close()
