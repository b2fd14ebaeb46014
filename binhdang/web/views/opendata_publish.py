"""Publishing open data from inside the product: the plan's standing agency chooses which indicators the public
sees, previews the public page, and withdraws (binhdang.opendata.services). No Django admin needed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from binhdang.lib.http import found_or_404
from binhdang.opendata.errors import IndicatorNotPublishable, PublishingNotAllowed
from binhdang.opendata.models import PublishedIndicator
from binhdang.opendata.selectors import may_publish, publishable_indicators
from binhdang.opendata.services import indicator_publish, indicator_unpublish
from binhdang.opendata.views import indicator_context
from binhdang.plans.models import Indicator, Plan
from binhdang.web.lookup import visible_plan


def _plan(request: HttpRequest, pk: int) -> Plan:
    plan = visible_plan(request, pk)
    if not may_publish(request.user, plan):
        raise PermissionDenied(_("Chỉ cơ quan thường trực của kế hoạch và quản trị viên được công bố dữ liệu mở."))
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def plan_opendata(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if request.method == "POST":
        indicator = Indicator.objects.filter(plan=plan, pk=request.POST.get("indicator") or 0).first()
        if indicator is None:
            messages.error(request, _("Không có chỉ tiêu này trong kế hoạch."))
            return redirect("plan-opendata", pk=plan.pk)
        try:
            if request.POST.get("action") == "withdraw":
                indicator_unpublish(indicator=indicator, user=request.user)
                messages.success(request, _("Đã thôi công bố “%(name)s”.") % {"name": indicator.text})
            else:
                indicator_publish(indicator=indicator, user=request.user, note=request.POST.get("note", "")[:2000])
                messages.success(request, _("Đã công bố “%(name)s” trên trang dữ liệu mở.") % {"name": indicator.text})
        except PublishingNotAllowed as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except IndicatorNotPublishable as exc:
            messages.error(request, str(exc.message))
        return redirect("plan-opendata", pk=plan.pk)
    return render(request, "web/opendata_publish.html", {"plan": plan, "rows": publishable_indicators(plan)})


@login_required
def opendata_preview(request: HttpRequest, pk: int, indicator: int) -> HttpResponse:
    """The public page of the indicator as it would read if published now (or as it reads, if it is)."""
    plan = _plan(request, pk)
    chosen = found_or_404(
        Indicator.objects.filter(plan=plan, pk=indicator).select_related("plan__unit").first(), "indicator"
    )
    publication = PublishedIndicator.objects.filter(indicator=chosen).first() or PublishedIndicator(
        indicator=chosen, published_at=timezone.now()
    )
    context = indicator_context(publication)
    context.update({"preview": True, "published": publication.pk is not None, "plan": plan})
    return render(request, "opendata/indicator.html", context)
