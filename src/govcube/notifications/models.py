"""In-app inbox, per-user delivery preferences, signed outgoing webhooks and the digest's run log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person. Its text is rendered when shown, in the reader's language."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    code = models.CharField(_("kind"), max_length=100)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once, by a conditional UPDATE, when an email (immediate or digest) carried it.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-id"]),
            # The digest's question: what has not been emailed to this person since yesterday?
            models.Index(
                fields=["recipient", "created"], condition=Q(emailed_at__isnull=True), name="notification_unemailed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryMode(models.TextChoices):
    NONE = "none", _("Inbox only")
    IMMEDIATE = "immediate", _("Email at once")
    DIGEST = "digest", _("Daily email digest")


class NotificationPreference(models.Model):
    """How a person wants to be emailed. Without a row: at once if they have an address, else inbox only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("email"), max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE
    )
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}"


class WebhookEndpoint(models.Model):
    """An enterprise-chat group robot (or any receiver) told about events in a territory subtree."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100)
    node = models.ForeignKey("territory.Node", verbose_name=_("territory"), on_delete=models.CASCADE)
    codes = models.JSONField(
        _("event kinds"),
        default=list,
        blank=True,
        help_text=_('Empty means all. A kind ending in ".*" matches every kind that starts with it.'),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        indexes = [models.Index(fields=["node", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def wants(self, code: str) -> bool:
        """Does this endpoint's event filter let ``code`` through?"""
        if not self.codes:
            return True
        for pattern in self.codes:
            if pattern == code:
                return True
            if pattern.endswith(".*") and code.startswith(pattern[:-1]):
                return True
        return False


class WebhookDelivery(models.Model):
    """One event to one endpoint; the worker sends it, retrying with backoff until delivered or failed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    code = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the next attempt is due; while an attempt runs, the end of its lease.
    next_attempt = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["next_attempt"], condition=Q(status="pending"), name="webhookdelivery_due"),
            models.Index(fields=["endpoint", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.endpoint_id} ({self.status})"


class DigestRun(models.Model):
    """One run of the daily digest; the latest finished one is shown on /healthz."""

    started = models.DateTimeField(db_index=True)
    finished = models.DateTimeField(null=True, blank=True)
    users = models.PositiveIntegerField(default=0)
    notifications = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"digest {self.started:%Y-%m-%d %H:%M}"
