"""The synthetic national plan takes the national mark, moves it from an older synthetic plan, and never takes
it from a real plan someone marked."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import minimal_plan

from binhdang.analytics.national import national_plan
from binhdang.demo.national import synth_build, synthetic_plans
from binhdang.plans.interchange import plan_load
from binhdang.plans.models import Plan

TINY: dict[str, Any] = {"scale": 0.01, "provinces": 1, "seed": 3}


@pytest.mark.django_db
def test_the_synthetic_plan_is_marked_and_a_second_build_moves_the_mark() -> None:
    first = synth_build(**TINY)
    assert first["national"] is True
    assert national_plan() == Plan.objects.get(pk=first["plan_id"])
    second = synth_build(**TINY, clear=False)  # the older synthetic plan stays, the newer one is shown
    assert second["national"] is True
    assert synthetic_plans().count() == 2
    assert list(Plan.objects.filter(is_national=True).values_list("pk", flat=True)) == [second["plan_id"]]


@pytest.mark.django_db
def test_a_real_national_plan_keeps_its_mark(world: Any) -> None:
    real = plan_load(minimal_plan("2025:19", title="Kế hoạch quốc gia thật"))
    Plan.objects.filter(pk=real.pk).update(is_national=True)
    result = synth_build(**TINY)
    assert result["national"] is False
    assert national_plan() == real
    assert not Plan.objects.get(pk=result["plan_id"]).is_national


@pytest.mark.django_db
def test_without_the_mark_option_nothing_is_marked() -> None:
    result = synth_build(**TINY, mark_national=False)
    assert result["national"] is False
    assert national_plan() is None
