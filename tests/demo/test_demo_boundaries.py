"""Domain apps never import the demo: demo and synthetic data live in binhdang/demo, and the dependency points
one way only (the demo uses the domain apps' services and models, never the reverse)."""

from __future__ import annotations

import ast
from pathlib import Path

import binhdang

PACKAGE = Path(binhdang.__file__).parent
DEMO = PACKAGE / "demo"
# Modules outside binhdang/demo that exist only for the demo and so may import it. None today: the `demo` and
# `synth` management commands live in binhdang/demo/management/commands.
DEMO_ONLY: tuple[Path, ...] = ()


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def demo_imports(source: str, package: str) -> list[str]:
    """Every module under binhdang.demo that ``source`` imports (absolute or relative, at any depth of the code);
    ``package`` is the dotted package the file sits in, against which relative imports resolve."""
    parts = package.split(".")
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = parts[: len(parts) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        found += [n for n in names if n == "binhdang.demo" or n.startswith("binhdang.demo.")]
    return sorted(set(found))


def _package_of(path: Path) -> str:
    module = _module_of(path)
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _checked_files() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if DEMO not in path.parents and path not in DEMO_ONLY and "migrations" not in path.parts
    ]


def test_no_domain_module_imports_the_demo() -> None:
    files = _checked_files()
    assert len(files) > 100  # the walk did see the package
    offenders = {
        str(path.relative_to(PACKAGE)): names
        for path in files
        if (names := demo_imports(path.read_text(encoding="utf-8"), _package_of(path)))
    }
    assert offenders == {}


def test_the_check_sees_absolute_relative_and_nested_imports() -> None:
    source = (
        "import binhdang.demo.national\n"
        "from ..demo import history\n"
        "def f():\n"
        "    from binhdang.demo.figures import report_entries\n"
        "from binhdang.reporting import services\n"
        "from . import rollup\n"
    )
    names = demo_imports(source, "binhdang.analytics")  # as if it were a module of binhdang/analytics
    assert "binhdang.demo.national" in names
    assert "binhdang.demo.history" in names
    assert "binhdang.demo.figures" in names
    assert not any(n.startswith(("binhdang.reporting", "binhdang.analytics")) for n in names)
    assert demo_imports("from . import national\n", "binhdang.analytics") == []


def test_the_demo_app_is_installed_and_the_label_lives_outside_it() -> None:
    from django.apps import apps

    from binhdang.demo.national import LABEL
    from binhdang.plans.models import SYNTHETIC_LABEL

    assert apps.is_installed("binhdang.demo")
    assert LABEL == SYNTHETIC_LABEL == "[Dữ liệu mô phỏng]"
