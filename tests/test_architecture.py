"""The rooms of the house and which way their doors open (docs/architecture.md).

Each app may import only the apps listed before it in LAYERS: no import runs back up, so there is no cycle, and
a newcomer who changes a lower room knows which rooms above can feel it. The reader's pipeline (docparse) and
the small helpers (lib, but for its admin mixins) stay free of Django so that they can be read and tested alone.
The demo's synthetic data is imported by nobody but the demo itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "binhdang"

# Lowest first. An app may import the apps before it, never one after it.
LAYERS = [
    "lib",
    "ops",
    "docparse",
    "places",
    "jobs",
    "plans",
    "reporting",
    "analytics",
    "documents",
    "interop",
    "opendata",
    "reader",
    "api",
    "web",
    "demo",
]
# The project's wiring, which must see every app.
WIRING = {"settings", "urls", "cli", "wsgi", "asgi", "__init__"}
DJANGO_FREE = {"docparse"}
# lib/admin.py holds admin mixins and lib/http.py the one "not found" page helper: both are Django by nature.
DJANGO_FREE_LIB_EXCEPT = {"admin.py", "http.py"}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "migrations" in parts:
            continue
        yield (parts[0].removesuffix(".py"), path)


def _imports(path: Path) -> Iterator[tuple[str, int]]:
    """Absolute module names imported by a file (relative imports stay inside their app), with line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno


def test_every_app_has_a_place_in_the_layers() -> None:
    apps = {app for app, _path in _modules()} - WIRING
    missing = sorted(apps - set(LAYERS))
    assert not missing, f"add these apps to LAYERS (and to docs/architecture.md): {missing}"


def test_no_import_runs_back_up() -> None:
    rank = {app: i for i, app in enumerate(LAYERS)}
    wrong = []
    for app, path in _modules():
        if app in WIRING or app not in rank:
            continue
        for module, line in _imports(path):
            if not module.startswith("binhdang."):
                continue
            target = module.split(".")[1]
            if target in WIRING or target == app:
                continue
            if target not in rank or rank[target] > rank[app]:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({app}) imports {module}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


@pytest.mark.parametrize("app", sorted(DJANGO_FREE | {"lib"}))
def test_the_pure_rooms_do_not_import_django(app: str) -> None:
    wrong = []
    for path in sorted((PACKAGE / app).rglob("*.py")):
        if app == "lib" and path.name in DJANGO_FREE_LIB_EXCEPT:
            continue
        for module, line in _imports(path):
            if module == "django" or module.startswith("django."):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_layer_check_sees_a_wrong_import(tmp_path: Path) -> None:
    """The check itself: a plans module importing reporting is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from binhdang.reporting.models import Report\nimport binhdang.lib.numbers\n", encoding="utf-8")
    found = [module for module, _line in _imports(bad)]
    rank = {app: i for i, app in enumerate(LAYERS)}
    assert [m for m in found if rank[m.split(".")[1]] > rank["plans"]] == ["binhdang.reporting.models"]
