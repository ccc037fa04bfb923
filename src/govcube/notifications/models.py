"""In-app inbox, per-user delivery preferences, and signed outgoing webhooks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    code = models.CharField(_("kind"), max_length=100)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-id"])]


class DeliveryMode(models.TextChoices):
    NONE = "none", _("Inbox only")
    IMMEDIATE = "immediate", _("Email at once")
    DIGEST = "digest", _("Daily email digest")


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("email"), max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE
    )


class WebhookEndpoint(models.Model):
    """An enterprise-chat group robot (or any receiver) told about events in a territory subtree."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"))
    secret = models.CharField(_("signing secret"), max_length=100)
    node = models.ForeignKey("territory.Node", verbose_name=_("territory"), on_delete=models.CASCADE)
    codes = models.JSONField(_("event kinds"), default=list, blank=True, help_text=_("Empty means all."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    code = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
