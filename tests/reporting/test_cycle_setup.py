"""Setting up a plan's reporting cycle is one decision: every period and every report, or nothing (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest

from binhdang.reporting import periods as cycle_setup
from binhdang.reporting import services
from binhdang.reporting.errors import NotAllowed
from binhdang.reporting.models import Period, Report

pytestmark = pytest.mark.django_db


def test_periods_and_reports_are_made_together(cycle: Any) -> None:
    done = services.reporting_cycle_set_up(plan=cycle.plan, user=cycle.province_user)
    periods = Period.objects.filter(plan=cycle.plan)
    assert {p.kind for p in periods} == {"semiannual", "annual"}
    assert len(done.periods) == periods.count()
    reporters = len(services.reporters_for(cycle.plan))
    assert reporters > 0
    assert done.new_reports == Report.objects.filter(period__plan=cycle.plan).count() == reporters * periods.count()
    # Again: nothing new, and nothing doubled.
    assert services.reporting_cycle_set_up(plan=cycle.plan, user=cycle.province_user).new_reports == 0


def test_a_failure_half_way_leaves_nothing(cycle: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real = cycle_setup.reports_generate
    calls: list[int] = []

    def second_fails(*, period: Period) -> list[Report]:
        calls.append(period.pk)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(period=period)

    monkeypatch.setattr(cycle_setup, "reports_generate", second_fails)
    with pytest.raises(RuntimeError):
        services.reporting_cycle_set_up(plan=cycle.plan, user=cycle.province_user)
    assert len(calls) == 2
    assert not Period.objects.filter(plan=cycle.plan).exists()
    assert not Report.objects.filter(period__plan=cycle.plan).exists()


def test_only_the_plans_editors_set_it_up(cycle: Any) -> None:
    with pytest.raises(NotAllowed):
        services.reporting_cycle_set_up(plan=cycle.plan, user=cycle.commune_user)
    assert not Period.objects.filter(plan=cycle.plan).exists()
