"""The objects a page's URL names, found through the visibility selectors or a 404 (binhdang.lib.http).

Every view module used to carry its own `_visible_plan` and friends with its own wording; these are the one copy.
A visible object the user may not change is the caller's business (a 403 with the reason of its page).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from binhdang.lib.http import found_or_404
from binhdang.plans.models import Plan
from binhdang.plans.selectors import plan_can_edit, plans_visible_to
from binhdang.reporting.models import Period, Report
from binhdang.reporting.selectors import periods_visible_to, reports_visible_to


def visible_plan(request: HttpRequest, pk: int) -> Plan:
    return found_or_404(plans_visible_to(request.user).filter(pk=pk).first(), "plan")


def editable_plan(request: HttpRequest, pk: int) -> Plan:
    """A plan the user may change: a 404 when it may not see it, a 403 when it may see but not change it."""
    plan = visible_plan(request, pk)
    if not plan_can_edit(request.user, plan):
        raise PermissionDenied(_("Bạn không được sửa kế hoạch này."))
    return plan


def visible_report(request: HttpRequest, pk: int) -> Report:
    return found_or_404(reports_visible_to(request.user).filter(pk=pk).first(), "report")


def visible_period(request: HttpRequest, pk: int) -> Period:
    period = periods_visible_to(request.user).select_related("plan__unit").filter(pk=pk).first()
    return found_or_404(period, "period")
