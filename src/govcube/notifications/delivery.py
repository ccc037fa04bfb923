"""Email delivery (run by the worker): at once for people who want it, else left for the digest.

A notification is claimed by a conditional UPDATE (``emailed_at IS NULL``) before it is
sent, so two workers never both email it; a failed send releases the claim.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from govcube.notifications.messages import render, single_line
from govcube.notifications.models import DeliveryMode, Notification
from govcube.notifications.selectors import email_mode_of
from govcube.notifications.services import absolute_url

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """Some emails could not be sent (their notifications stay un-emailed)."""


def language_of(user) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = getattr(user, "language", "") or ""
    return language if language in codes else settings.LANGUAGE_CODE


def claim(notification_ids: list[int], stamp: datetime) -> int:
    """Mark un-emailed notifications as emailed at ``stamp``; returns how many this caller won."""
    return Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).update(emailed_at=stamp)


def release(notification_ids: list[int], stamp: datetime) -> None:
    """Undo a claim after a failed send, so a later run can try again."""
    Notification.objects.filter(pk__in=notification_ids, emailed_at=stamp).update(emailed_at=None)


def email_subject(subject: str) -> str:
    return single_line(f"[{settings.GOVCUBE_TITLE}] {subject}")


def settings_link() -> str:
    return absolute_url(reverse("notifications:preferences"))


def _message_for(notification: Notification, connection) -> EmailMessage:
    user = notification.recipient
    language = language_of(user)
    subject, body = render(notification, language)
    with translation.override(language):
        text = render_to_string(
            "notifications/email/notification.txt",
            {
                "user": user,
                "body": body,
                "link": absolute_url(notification.url),
                "settings_link": settings_link(),
            },
        )
        return EmailMessage(subject=email_subject(subject), body=text, to=[user.email], connection=connection)


def deliver(notification_ids: list[int]) -> int:
    """Email each of these notifications whose recipient wants email at once; returns how many were sent."""
    rows = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("recipient", "recipient__notification_preference")
        .order_by("id")
    )
    wanted = [row for row in rows if email_mode_of(row.recipient) == DeliveryMode.IMMEDIATE]
    if not wanted:
        return 0
    sent = failed = 0
    with get_connection() as connection:
        for notification in wanted:
            stamp = timezone.now()
            if not claim([notification.pk], stamp):
                continue  # another worker has it
            try:
                _message_for(notification, connection).send()
            except Exception:
                release([notification.pk], stamp)
                logger.exception("email for notification %s failed", notification.pk)
                failed += 1
            else:
                sent += 1
    if failed:
        raise DeliveryError(f"{failed} of {len(wanted)} emails failed")
    return sent
