"""In-app notices: the one place that writes and marks them (the workflow's messages, reminders, the notice page)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Notice


def notices_send(users: list[Any], *, text: str, url: str) -> None:
    """One notice per user; written in the caller's transaction, with the change it announces."""
    Notice.objects.bulk_create([Notice(user=user, text=text, url=url) for user in users])


@transaction.atomic
def notices_mark_read(*, user: Any, notice_id: int | None = None) -> Notice | None:
    """Mark one of the user's unread notices read (returned, so the page can open its link), or all of them
    when no id is given (None returned). Another user's notice, or one already read, is ``Notice.DoesNotExist``."""
    unread = Notice.objects.filter(user_id=user.pk, read_at__isnull=True)
    now = timezone.now()
    if notice_id is None:
        unread.update(read_at=now)
        return None
    notice = unread.select_for_update().get(pk=notice_id)
    notice.read_at = now
    notice.save(update_fields=["read_at"])
    return notice
