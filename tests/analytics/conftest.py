from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import minimal_plan, wage_share_indicator
from django.conf import settings
from django.utils import translation

from binhdang.plans.interchange import plan_load


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    """Messages of the pure functions follow the active language; a page test elsewhere may leave English
    active in this thread, so every test here starts (and ends) in the default language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def monitored(world: Any) -> SimpleNamespace:
    """A 2026 Thái Nguyên plan: a sex-disaggregated percentage with baseline and target, a count without
    target, a text indicator; 6-month and annual reports from the province's first two communes."""
    doc = minimal_plan("2025:19", title="Kế hoạch bình đẳng giới năm 2026")
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Kinh tế, lao động"}]
    doc["indicators"] = [
        {k: v for k, v in wage_share_indicator().items() if k != "responsible"},
        {
            "id": "I2",
            "objective": "O1",
            "text": "Số vụ bạo lực gia đình được phát hiện",
            "measure": "count",
            "targets": [],
        },
        {"id": "I3", "objective": "O1", "text": "Lồng ghép giới trong chương trình", "measure": "text", "targets": []},
    ]
    doc["tasks"] = [{"id": "T1", "text": "Xây dựng kế hoạch cấp xã", "lead": "Ủy ban nhân dân các xã, phường"}]
    doc["reporting"] = [
        {"kind": "semiannual", "due": "--06-10", "to": "Sở Nội vụ"},
        {"kind": "annual", "due": "--11-10", "to": "Sở Nội vụ"},
    ]
    plan = plan_load(doc)
    return SimpleNamespace(
        plan=plan,
        i1=plan.indicators.get(key="I1"),
        i2=plan.indicators.get(key="I2"),
        i3=plan.indicators.get(key="I3"),
        **vars(world),
    )
