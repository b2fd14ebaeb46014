from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from conftest import minimal_plan

from binhdang.plans.interchange import plan_load


@pytest.fixture
def cycle(world: Any) -> SimpleNamespace:
    """A 2026 province plan with a sex-disaggregated percentage, a count, tasks and a 6-month/annual regime."""
    doc = minimal_plan("2025:19", title="Kế hoạch bình đẳng giới năm 2026")
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Kinh tế, lao động"}]
    doc["indicators"] = [
        {
            "id": "I1",
            "objective": "O1",
            "text": "Tỷ lệ lao động nữ làm công hưởng lương",
            "measure": "percentage",
            "unit": "%",
            "disaggregations": ["sex"],
            "targets": [{"year": 2026, "value": 50, "comparator": ">="}],
            "responsible": ["Sở Y tế"],
        },
        {
            "id": "I2",
            "objective": "O1",
            "text": "Số vụ bạo lực gia đình được phát hiện",
            "measure": "count",
            "targets": [],
        },
    ]
    doc["tasks"] = [
        {"id": "T1", "text": "Tuyên truyền về bình đẳng giới", "lead": "Sở Y tế", "partners": []},
        {"id": "T2", "text": "Xây dựng kế hoạch cấp xã", "lead": "Ủy ban nhân dân các xã, phường", "partners": []},
    ]
    doc["reporting"] = [
        {"kind": "semiannual", "due": "--06-10", "to": "Sở Nội vụ"},
        {"kind": "annual", "due": "--11-10", "to": "Sở Nội vụ"},
    ]
    plan = plan_load(doc)
    return SimpleNamespace(
        plan=plan,
        i1=plan.indicators.get(key="I1"),
        i2=plan.indicators.get(key="I2"),
        t1=plan.tasks.get(key="T1"),
        t2=plan.tasks.get(key="T2"),
        **vars(world),
    )
