from __future__ import annotations

from govcube.notifications.models import Notification


def inbox(*, user):
    return Notification.objects.filter(recipient=user).order_by("-id")


def inbox_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
