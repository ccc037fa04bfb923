"""The daily digest: one email per digest-mode person listing what was not yet emailed.

Safe to run twice or on two machines at once: each person's notifications are claimed
with a conditional UPDATE stamped with this run's own time before the email is built,
so every notification goes out in at most one digest. Each run is recorded for /healthz.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govcube.core.health import Check
from govcube.notifications.delivery import email_subject, language_of, release, settings_link
from govcube.notifications.messages import render
from govcube.notifications.models import DeliveryMode, DigestRun, Notification
from govcube.notifications.services import absolute_url

logger = logging.getLogger(__name__)

WINDOW = timedelta(days=1)
MAX_LOOKBACK = timedelta(days=7)  # after an outage, catch up at most a week
STALE_AFTER = timedelta(hours=26)
MAX_LISTED = 50  # the rest is summarised as a count with a link to the inbox


def _since(now: datetime) -> datetime:
    """Start of the window: a day back, or back to the previous run when it is older (no gaps)."""
    since = now - WINDOW
    previous = DigestRun.objects.filter(finished__isnull=False).order_by("-started").first()
    if previous is not None and previous.started < since:
        since = max(previous.started, now - MAX_LOOKBACK)
    return since


def _digest_users(since: datetime, now: datetime):
    pending = Notification.objects.filter(
        recipient=OuterRef("pk"), emailed_at__isnull=True, created__gte=since, created__lte=now
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, notification_preference__email_mode=DeliveryMode.DIGEST)
        .exclude(email="")
        .filter(Exists(pending))
        .order_by("pk")
    )


def _claim_for(user, since: datetime, now: datetime) -> tuple[datetime, list[Notification]]:
    stamp = timezone.now()
    Notification.objects.filter(recipient=user, emailed_at__isnull=True, created__gte=since, created__lte=now).update(
        emailed_at=stamp
    )
    claimed = list(Notification.objects.filter(recipient=user, emailed_at=stamp).order_by("id"))
    return stamp, claimed


def _digest_message(user, notifications: list[Notification], connection) -> EmailMessage:
    language = language_of(user)
    items = []
    for notification in notifications[:MAX_LISTED]:
        subject, _body = render(notification, language)
        items.append({"subject": subject, "created": notification.created, "link": absolute_url(notification.url)})
    with translation.override(language):
        text = render_to_string(
            "notifications/email/digest.txt",
            {
                "user": user,
                "items": items,
                "more": max(len(notifications) - MAX_LISTED, 0),
                "inbox_link": absolute_url(reverse("notifications:inbox")),
                "settings_link": settings_link(),
            },
        )
        subject = _("Your notifications: %(count)d new") % {"count": len(notifications)}
        return EmailMessage(subject=email_subject(subject), body=text, to=[user.email], connection=connection)


def digest_send(*, now: datetime | None = None) -> DigestRun:
    """Email every digest-mode person their un-emailed notifications of the window; returns the run."""
    now = now or timezone.now()
    since = _since(now)
    run = DigestRun.objects.create(started=now)
    with get_connection() as connection:
        # Listed first: SQLite gives no isolation between a cursor and writes on the same connection.
        for user in list(_digest_users(since, now)):
            stamp, notifications = _claim_for(user, since, now)
            if not notifications:
                continue  # a concurrent run took them
            try:
                _digest_message(user, notifications, connection).send()
            except Exception:
                release([n.pk for n in notifications], stamp)
                logger.exception("digest email to user %s failed", user.pk)
                run.failures += 1
            else:
                run.users += 1
                run.notifications += len(notifications)
    run.finished = timezone.now()
    run.save(update_fields=["finished", "users", "notifications", "failures"])
    return run


def digest_health() -> Check:
    """For /healthz: when the digest last finished (a warning, not a failure, when overdue)."""
    last = DigestRun.objects.filter(finished__isnull=False).order_by("-started").first()
    if last is None:
        return Check(True, "never run", warning=True)
    detail = f"last run {timezone.localtime(last.finished):%Y-%m-%d %H:%M} ({last.users} users)"
    if last.failures:
        detail += f", {last.failures} failed"
    overdue = timezone.now() - last.finished > STALE_AFTER
    return Check(True, detail, warning=overdue or bool(last.failures))
