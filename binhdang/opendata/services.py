"""Publishing an indicator as open data, and withdrawing it: administrators only."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from binhdang.places.selectors import user_is_admin
from binhdang.plans.models import Indicator, Measure

from .errors import IndicatorNotPublishable, PublishingNotAllowed
from .models import PublishedIndicator


@transaction.atomic
def indicator_publish(*, indicator: Indicator, user: Any, note: str = "") -> PublishedIndicator:
    if not user_is_admin(user):
        raise PublishingNotAllowed
    if indicator.measure == Measure.TEXT:
        raise IndicatorNotPublishable
    publication, _created = PublishedIndicator.objects.update_or_create(
        indicator=indicator, defaults={"published_by": user, "published_at": timezone.now(), "note": note}
    )
    return publication


@transaction.atomic
def indicator_unpublish(*, indicator: Indicator, user: Any) -> None:
    if not user_is_admin(user):
        raise PublishingNotAllowed
    PublishedIndicator.objects.filter(indicator=indicator).delete()
