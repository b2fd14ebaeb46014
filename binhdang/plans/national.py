"""Which plan is the national one: the plan the national dashboard shows (``Plan.is_national``, at most one).

Chosen by a mark, never by a title, so a real national plan can be marked as well as the demo's synthetic one
(`binhdang plan national ID`).
"""

from __future__ import annotations

from django.db import transaction

from .models import Plan


def national_plan() -> Plan | None:
    """The plan marked national (at most one: a constraint says so), whatever its title; None if none is."""
    plan: Plan | None = Plan.objects.filter(is_national=True).select_related("unit").first()
    return plan


@transaction.atomic
def national_plan_mark(plan: Plan | None) -> None:
    """Make ``plan`` the national plan (the mark leaves any other plan first); None: no plan is national."""
    others = Plan.objects.filter(is_national=True)
    if plan is not None:
        others = others.exclude(pk=plan.pk)
    others.update(is_national=False)  # before the new mark: the constraint allows one at a time
    if plan is not None:
        Plan.objects.filter(pk=plan.pk).update(is_national=True)
        plan.is_national = True
