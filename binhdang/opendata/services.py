"""Publishing an indicator as open data, and withdrawing it: the plan's standing agency and administrators."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from binhdang.lib.text import clean_text
from binhdang.plans.models import Indicator, Measure

from .errors import IndicatorNotPublishable, PublishingNotAllowed
from .models import PublishedIndicator
from .selectors import may_publish


@transaction.atomic
def indicator_publish(*, indicator: Indicator, user: Any, note: str = "") -> PublishedIndicator:
    if not may_publish(user, indicator.plan):
        raise PublishingNotAllowed
    if indicator.measure == Measure.TEXT:
        raise IndicatorNotPublishable
    publication, _created = PublishedIndicator.objects.update_or_create(
        indicator=indicator,
        defaults={"published_by": user, "published_at": timezone.now(), "note": clean_text(note)},
    )
    return publication


@transaction.atomic
def indicator_unpublish(*, indicator: Indicator, user: Any) -> None:
    if not may_publish(user, indicator.plan):
        raise PublishingNotAllowed
    PublishedIndicator.objects.filter(indicator=indicator).delete()
