"""Sending notifications: inbox row always; email and webhooks by the worker after commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from govcube.notifications.models import Notification


def notify(
    *, recipients: Iterable, code: str, params: dict | None = None, obj=None, url: str = ""
) -> list[Notification]:
    """Queue a notification of kind ``code`` to each recipient.

    The message is rendered later, in each recipient's language, from the
    templates registered in ``govcube.notifications.messages``.
    """
    rows = [
        Notification(
            recipient=user,
            code=code,
            params=params or {},
            url=url,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
        )
        for user in recipients
    ]
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk is not None]
    if ids:
        from govcube.notifications.tasks import deliver_notifications

        transaction.on_commit(lambda: deliver_notifications.enqueue(ids))
    return created
