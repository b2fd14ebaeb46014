"""Who may download which document (docs/permissions.md): a plan's Kế hoạch to whoever sees the plan; a
period's Báo cáo to whoever sees the period's compiled view: plan editors, the acceptor agency, admins."""

from __future__ import annotations

from typing import Any

from binhdang.plans.models import Plan
from binhdang.plans.selectors import plans_visible_to
from binhdang.reporting.models import Period
from binhdang.reporting.selectors import can_see_compiled, periods_visible_to

__all__ = ["can_see_compiled", "visible_period", "visible_plan"]


def visible_plan(user: Any, pk: int) -> Plan | None:
    return plans_visible_to(user).filter(pk=pk).first()


def visible_period(user: Any, pk: int) -> Period | None:
    return periods_visible_to(user).select_related("plan__unit").filter(pk=pk).first()
