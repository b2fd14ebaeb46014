"""The package that deploy/setup-debian.sh installs holds every template, static file and data file.

setup-debian.sh copies the source without its .git folder and installs it with pip, so the wheel holds only what
pyproject.toml's package-data lists. When the apps' own static folders were missing, `binhdang collectstatic`
skipped them and the home page answered 500 ("Missing staticfiles manifest entry for 'reporting/reporting.css'"),
found by scripts/verify-setup-debian. This builds the wheel the same way and compares it with the source tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_wheel_built_without_git_holds_every_non_python_file(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", "test-artifacts", "data"),
    )
    # "data" above skips the demo's database folder; the apps' own data folders are copied back.
    for folder in (ROOT / "binhdang").glob("*/data"):
        shutil.copytree(folder, source / folder.relative_to(ROOT), dirs_exist_ok=True)
    out = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "binhdang").rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    assert expected, "no templates or static files found in the source tree"
    assert sorted(expected - packaged) == []
    assert "binhdang/reporting/static/reporting/reporting.css" in packaged
