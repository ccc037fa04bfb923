"""Background work of the notifications module. Tasks take primary keys, not objects."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_notifications(notification_ids: list[int]) -> int:
    """Email the notifications whose recipients want them at once."""
    from govcube.notifications.delivery import deliver

    return deliver(notification_ids)


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a webhook delivery; a failed attempt re-enqueues itself with ``run_after``."""
    from govcube.notifications.webhooks import webhook_deliver

    return str(webhook_deliver(delivery_id))


@task()
def send_daily_digest() -> dict:
    """The daily digest (idempotent: safe to enqueue twice)."""
    from govcube.notifications.digest import digest_send

    run = digest_send()
    return {"users": run.users, "notifications": run.notifications, "failures": run.failures}


@task()
def retry_due_webhooks() -> dict:
    """Attempt every webhook delivery whose retry is due (the safety net under deferred retries)."""
    from govcube.notifications.webhooks import webhook_sweep

    return webhook_sweep()
