"""Who may download which document (docs/permissions.md): a plan's Kế hoạch to whoever sees the plan; a
period's Báo cáo to whoever sees the period's compiled view: plan editors, the acceptor agency, admins."""

from __future__ import annotations

from typing import Any

from binhdang.places.selectors import user_agency, user_is_admin
from binhdang.plans.models import Plan
from binhdang.plans.selectors import plan_can_edit, plans_visible_to
from binhdang.reporting.models import Period
from binhdang.reporting.selectors import acceptor_of, periods_visible_to


def visible_plan(user: Any, pk: int) -> Plan | None:
    return plans_visible_to(user).filter(pk=pk).first()


def visible_period(user: Any, pk: int) -> Period | None:
    return periods_visible_to(user).select_related("plan__unit").filter(pk=pk).first()


def can_see_compiled(user: Any, plan: Plan) -> bool:
    if user_is_admin(user) or plan_can_edit(user, plan):
        return True
    agency = user_agency(user)
    acceptor = acceptor_of(plan)
    return agency is not None and acceptor is not None and agency.pk == acceptor.pk
