"""`binhdang plan national`: one plan at a time is marked national, by id; --none clears the mark."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from conftest import minimal_plan
from django.core.management import call_command
from django.core.management.base import CommandError

from binhdang.plans.interchange import plan_load
from binhdang.plans.models import Plan
from binhdang.plans.national import national_plan


def _run(*args: Any) -> str:
    out = StringIO()
    call_command("plan", "national", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_marking_moves_the_mark_and_none_clears_it(world: Any) -> None:
    first = plan_load(minimal_plan("2025:19", title="Kế hoạch một"))
    second = plan_load(minimal_plan("2025:19", title="Kế hoạch hai"))
    assert "no plan is marked national" in _run()
    assert f"national plan {first.pk}:" in _run(str(first.pk))
    assert national_plan() == first
    _run(str(second.pk))
    assert list(Plan.objects.filter(is_national=True).values_list("pk", flat=True)) == [second.pk]
    _run("--none")
    assert national_plan() is None


@pytest.mark.django_db
def test_an_unknown_plan_is_refused(world: Any) -> None:
    with pytest.raises(CommandError, match="no plan with id 999999"):
        _run("999999")
