"""Reads of the notifications module: a person sees only their own inbox."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from govcube.notifications.models import DeliveryMode, Notification, NotificationPreference


def inbox(*, user) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first within each group."""
    return (
        Notification.objects.filter(recipient=user)
        .annotate(
            unread_first=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("unread_first", "-id")
    )


def inbox_get(*, user, pk: int) -> Notification:
    """One of the user's own notifications; anybody else's is a 404."""
    return get_object_or_404(Notification.objects.filter(recipient=user), pk=pk)


def inbox_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_mode_of(user) -> str:
    """How this person is emailed. Without an address (or an active account): never.

    Without a saved preference: at once. Use ``select_related("notification_preference")``
    on lists of users to keep this free of queries.
    """
    if not getattr(user, "email", "") or not getattr(user, "is_active", False):
        return DeliveryMode.NONE
    try:
        preference = user.notification_preference
    except NotificationPreference.DoesNotExist:
        return DeliveryMode.IMMEDIATE
    return preference.email_mode


def saved_email_mode(user) -> str:
    """The mode to show on the settings form: the saved one, or the default for this account."""
    try:
        return user.notification_preference.email_mode
    except NotificationPreference.DoesNotExist:
        return DeliveryMode.IMMEDIATE if user.email else DeliveryMode.NONE
