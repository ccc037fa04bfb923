from __future__ import annotations

from django_tasks import task


@task()
def deliver_notifications(notification_ids: list[int]) -> int:
    """Email the notifications whose recipients want them at once (filled in by the notifications module)."""
    from govcube.notifications.delivery import deliver

    return deliver(notification_ids)
