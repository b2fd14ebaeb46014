"""deploy/setup-debian.sh as far as it can run here: the whole script in DRY_RUN mode (prints its commands,
changes nothing) with non-default folders, the environment file it writes passing `check --deploy`, and the
unit and cron file it renders naming no folder it does not substitute. A full run needs a fresh Debian machine."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "setup-debian.sh"


def _env_file_template() -> str:
    text = SCRIPT.read_text(encoding="utf-8")
    match = re.search(r'cat > "\$ENV_FILE" <<ENV\n(.*?)\nENV\n', text, re.S)
    assert match, "the environment file's here-document is gone"
    return match.group(1)


def test_dry_run_plans_every_step_with_the_chosen_folders(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BINHDANG_", "DATABASE_URL"))},
        "DRY_RUN": "1",
        "BINHDANG_APP_DIR": str(tmp_path / "app"),
        "BINHDANG_DATA_DIR": str(tmp_path / "data"),
        "BINHDANG_HOST": "binhdang.test",
        "BINHDANG_PORTS": "8001 8002",
    }
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    data = tmp_path / "data"
    for line in (
        f"+ install -d -o binhdang -g binhdang -m 0711 {data}",
        f"+ install -d -o binhdang -g binhdang -m 0700 {data}/backups",
        f"+ python3 -m venv {tmp_path / 'app'}/.venv",
        "+ render ",
        "binhdang@.service > /etc/systemd/system/binhdang@.service",
        "binhdang.cron > /etc/cron.d/binhdang",
        "binhdang.logrotate > /etc/logrotate.d/binhdang",
        "createcachetable",
        # nginx reads static/: collectstatic must not inherit a private umask (the env file's 027 once leaked).
        "bash -c umask 022; set -a;",
        "+ systemctl enable binhdang@8001",
        "+ systemctl restart binhdang@8002",
        "binhdang-worker@.service > /etc/systemd/system/binhdang-worker@.service",
        "+ systemctl enable binhdang-worker@1",
        "+ systemctl restart binhdang-worker@1",
        "+ nginx -t",
    ):
        assert line in out, f"{line!r} not in the dry run:\n{out}"
    assert not (tmp_path / "app").exists() and not data.exists(), "a dry run created folders"


def test_the_code_copy_keeps_the_package_data_folders(tmp_path: Path) -> None:
    # An unanchored `--exclude data` once dropped binhdang/plans/data/ from the copy, so the installed package
    # lacked the strategy catalogue and the first migration failed on a fresh Debian machine.
    app = tmp_path / "app"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BINHDANG_", "DATABASE_URL"))},
        "DRY_RUN": "1",
        "BINHDANG_APP_DIR": str(app),
        "BINHDANG_DATA_DIR": str(tmp_path / "data"),
        "BINHDANG_HOST": "binhdang.test",
    }
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    rsync = next(line for line in done.stdout.splitlines() if line.startswith("+ rsync "))
    app.mkdir()
    subprocess.run(rsync[2:].split(), check=True, timeout=120)
    package_data = [p for p in (REPO / "binhdang").rglob("*") if p.is_file() and "data" in p.parts]
    assert package_data, "the package has no data folders any more: the test checks nothing"
    missing = [str(p.relative_to(REPO)) for p in package_data if not (app / p.relative_to(REPO)).is_file()]
    assert not missing, f"setup-debian.sh's copy leaves out package files: {missing}"
    assert not (app / ".git").exists() and not (app / ".venv").exists()


def test_the_environment_file_passes_check_deploy(tmp_path: Path) -> None:
    values = {}
    for line in _env_file_template().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    # Every variable it sets is read by the app or its unit (a misspelt name would be silently ignored).
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "binhdang").rglob("*.py"))
    code += (REPO / "deploy" / "binhdang@.service").read_text(encoding="utf-8")
    unread = [name for name in values if f'"{name}"' not in code and "${" + name + "}" not in code]
    assert not unread, f"set by setup-debian.sh but read nowhere: {unread}"
    assert values["BINHDANG_SECURE"] == "1" and values["BINHDANG_CACHE"] == "db"

    substitutions = {
        "$DB_USER": "binhdang",
        "$DB_PASSWORD": "x",
        "$DB_NAME": "binhdang",
        "$DATA_DIR": str(tmp_path / "data"),
        "$SECRET": "s" * 60 + "-not-a-real-key-just-long-and-varied-0123456789",
        "$HOST_NAME": "binhdang.test",
        "$WORKERS": "3",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BINHDANG_", "DATABASE_URL", "DJANGO_"))}
    for name, value in values.items():
        for placeholder, real in substitutions.items():
            value = value.replace(placeholder, real)
        env[name] = value
    # The check needs no database: a SQLite file stands in for the production PostgreSQL URL.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'check.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "binhdang.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_unit_cron_and_logrotate_files_name_only_folders_the_script_substitutes() -> None:
    allowed = ("/opt/binhdang", "/var/lib/binhdang", "/etc/binhdang", "/var/log/binhdang", "/usr/", "/bin")
    for name in ("binhdang@.service", "binhdang-worker@.service", "binhdang.cron", "binhdang.logrotate"):
        text = (REPO / "deploy" / name).read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        paths = re.findall(r"(?<![\w.])/[a-z][\w./@-]*", body)
        assert paths, name
        stray = [p for p in paths if not p.startswith(allowed)]
        assert not stray, f"{name} names {stray}: setup-debian.sh would not move them with BINHDANG_*_DIR"
