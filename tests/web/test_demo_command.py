"""`binhdang demo --no-serve`: the demo reads the seed documents with the plan reader."""

from __future__ import annotations

import copy
from io import StringIO
from typing import Any

import pytest
from conftest import SEEDS, golden
from django.contrib.auth import get_user_model
from django.core.management import call_command

from binhdang.plans.interchange import plan_export
from binhdang.plans.models import Plan
from binhdang.reader.review import plan_for_loader


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    # What acceptance keeps of the reader's tree (reader-only keys such as a task's group flag go).
    data = plan_for_loader(copy.deepcopy(data))
    data["document"].pop("unit_code", None)
    for check in data["budget"]["checks"]:
        check.pop("message", None)
    return data


@pytest.fixture
def demo(db: None) -> str:
    out = StringIO()
    call_command("demo", no_serve=True, without_history=True, stdout=out)
    return out.getvalue()


def test_demo_plans_read_from_the_documents_equal_the_golden_files(demo: str) -> None:
    plans = {p.source_filename.removesuffix(".txt"): p for p in Plan.objects.all()}
    assert sorted(plans) == SEEDS
    for seed in SEEDS:
        assert _comparable(plan_export(plans[seed])) == _comparable(golden(seed)), seed


def test_demo_prints_the_credentials_of_every_role(demo: str) -> None:
    for username in ("admin", "thainguyen", "soyte", "anhoathinh"):
        assert f"{username:<12} / binhdang-demo-2026" in demo
    assert set(get_user_model().objects.values_list("username", flat=True)) >= {
        "admin",
        "thainguyen",
        "soyte",
        "anhoathinh",
    }


def test_running_the_demo_twice_gives_the_same_plans(demo: str) -> None:
    first = sorted((p.code, p.title) for p in Plan.objects.all())
    call_command("demo", no_serve=True, without_history=True, stdout=StringIO())
    assert sorted((p.code, p.title) for p in Plan.objects.all()) == first


def test_demo_history_adopts_strategy_indicators_and_labels_its_reports(db: None) -> None:
    from binhdang.reporting.models import Report

    out = StringIO()
    call_command("demo", no_serve=True, stdout=out)
    thai_nguyen = Plan.objects.get(code="59/KH-UBND")
    adopted = thai_nguyen.indicators.filter(catalogue__isnull=False)
    assert adopted.count() == 3
    # Everything else of the plan is still exactly what the document says.
    exported = _comparable(plan_export(thai_nguyen))
    exported["indicators"] = [
        i for i in exported["indicators"] if i["id"] not in set(adopted.values_list("key", flat=True))
    ]
    assert exported == _comparable(golden("001_bb8641eaaac6b658"))
    written = Report.objects.exclude(summary="")
    assert written.exists() and all(r.summary.startswith("[Dữ liệu mô phỏng]") for r in written)
    assert "xa.demo" in out.getvalue()
