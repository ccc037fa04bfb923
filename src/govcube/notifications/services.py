"""Writes of the notifications module.

``notify`` stores an inbox row per recipient and, when the object hangs on the territory,
one webhook delivery per matching endpoint; email and webhooks go out from the worker
after commit. The other functions manage the inbox state, preferences and endpoints.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.core.errors import DomainError, PermissionDenied
from govcube.core.services import apply_changes, require_perm, snapshot, validate
from govcube.notifications.messages import render_code
from govcube.notifications.models import (
    DeliveryMode,
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookEndpoint,
)

WEBHOOK_LANGUAGE = "zh-hans"  # group robots speak to a Chinese-speaking group
ENDPOINT_PERMISSION = "notifications.change_webhookendpoint"
ENDPOINT_FIELDS = {"name", "url", "secret", "codes"}
MAX_CODES = 50
MIN_SECRET_LENGTH = 16


# --- Sending ------------------------------------------------------------------------


def notify(
    *,
    recipients: Iterable,
    code: str,
    params: dict | None = None,
    obj=None,
    url: str = "",
    node=None,
) -> list[Notification]:
    """Queue a notification of kind ``code`` to each recipient (and to the territory's webhooks).

    The message is rendered later, in each recipient's language, from the
    templates registered in ``govcube.notifications.messages``. When ``obj`` hangs on
    the territory (``node``, ``street_id`` or ``district_id``), or ``node`` is given,
    the active webhook endpoints whose subtree covers it are told as well.
    """
    params = dict(params or {})
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    url = (url or _object_url(obj))[:300]
    rows, seen = [], set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                code=code,
                params=params,
                url=url,
                object_type=object_type,
                object_id=object_id,
            )
        )
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        deliveries = _webhook_deliveries_create(
            code=code,
            params=params,
            node=_territory_node(obj, node),
            object_type=object_type,
            object_id=object_id,
            url=url,
        )
    ids = [row.pk for row in created if row.pk is not None]
    delivery_ids = [row.pk for row in deliveries]
    if ids or delivery_ids:
        # robust: a queue hiccup must not fail the caller's request (the webhook sweep is the safety net)
        transaction.on_commit(lambda: _enqueue(ids, delivery_ids), robust=True)
    return created


def _enqueue(notification_ids: list[int], delivery_ids: list[int]) -> None:
    from govcube.notifications.tasks import deliver_notifications, deliver_webhook

    if notification_ids:
        deliver_notifications.enqueue(notification_ids)
    for delivery_id in delivery_ids:
        deliver_webhook.enqueue(delivery_id)


def _object_url(obj) -> str:
    get_url = getattr(obj, "get_absolute_url", None)
    if not callable(get_url):
        return ""
    try:
        return str(get_url() or "")
    except Exception:  # a URL is a convenience: never let it stop the notification
        return ""


def _territory_node(obj, node):
    """The most specific territory node an object hangs on, or None."""
    if node is not None:
        return node
    if obj is None:
        return None
    from govcube.territory.models import Node

    if isinstance(obj, Node):
        return obj
    if getattr(obj, "node_id", None):
        return obj.node
    for attribute in ("street_id", "district_id"):
        pk = getattr(obj, attribute, None)
        if pk:
            return Node.objects.filter(pk=pk).first()
    return None


def absolute_url(url: str) -> str:
    """A link usable outside the browser session (email, chat): prefixed with GOVCUBE_SITE_URL when set."""
    site = str(getattr(settings, "GOVCUBE_SITE_URL", "") or "").rstrip("/")
    if site and url.startswith("/") and not url.startswith("//"):
        return site + url
    return url


def endpoints_covering(node, code: str) -> list[WebhookEndpoint]:
    """Active endpoints held at ``node`` or one of its ancestors whose filter lets ``code`` through."""
    steplen = type(node).steplen
    paths = [node.path[: steplen * depth] for depth in range(1, node.depth + 1)]
    candidates = WebhookEndpoint.objects.filter(is_active=True, node__path__in=paths).order_by("pk")
    return [endpoint for endpoint in candidates if endpoint.wants(code)]


def _webhook_deliveries_create(*, code, params, node, object_type, object_id, url) -> list[WebhookDelivery]:
    if node is None:
        return []
    endpoints = endpoints_covering(node, code)
    if not endpoints:
        return []
    _subject, text = render_code(code, params, WEBHOOK_LANGUAGE)
    payload = {
        "code": code,
        "text": text,
        "object_type": object_type,
        "object_id": object_id,
        "url": absolute_url(url),
    }
    return WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=endpoint, code=code, payload=payload) for endpoint in endpoints]
    )


# --- The inbox ------------------------------------------------------------------------


def notification_mark_read(*, actor, notification: Notification) -> bool:
    """Mark one of the actor's own notifications read; False when it already was."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("notifications.notification.not_yours")
    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    if changed:
        notification.read_at = now
    return bool(changed)


def notification_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


# --- Preferences ----------------------------------------------------------------------


def notification_preference_set(*, actor, user, email_mode: str) -> NotificationPreference:
    """A person chooses how they are emailed: never, at once, or in a daily digest."""
    if actor.pk != user.pk:
        raise PermissionDenied("notifications.preference.not_yours")
    if email_mode not in DeliveryMode.values:
        raise DomainError(
            "notifications.preference.email_mode.invalid", _("Choose one of the options."), field="email_mode"
        )
    if email_mode != DeliveryMode.NONE and not user.email:
        raise DomainError(
            "notifications.preference.email_mode.no_address",
            _("Your account has no email address, so no email can be sent to you."),
            field="email_mode",
        )
    with transaction.atomic():
        preference = NotificationPreference.objects.select_for_update().filter(user=user).first()
        before = {"email_mode": preference.email_mode} if preference else None
        if preference is None:
            preference = NotificationPreference(user=user, email_mode=email_mode)
        elif preference.email_mode == email_mode:
            return preference
        preference.email_mode = email_mode
        preference.save()
        audit_record(
            actor=actor,
            action="notifications.preference.changed",
            obj=preference,
            before=before,
            after={"email_mode": email_mode},
        )
    return preference


# --- Webhook endpoints ----------------------------------------------------------------


def _check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise DomainError(
            "notifications.webhookendpoint.url.scheme",
            _("Enter a web address that starts with http:// or https://."),
            field="url",
        )
    return url


def _clean_codes(codes) -> list[str]:
    if codes is None:
        return []
    if isinstance(codes, str):
        codes = codes.replace(",", "\n").splitlines()
    if not isinstance(codes, (list, tuple, set)) or not all(isinstance(code, str) for code in codes):
        raise DomainError(
            "notifications.webhookendpoint.codes.invalid", _("Enter a list of event kinds."), field="codes"
        )
    cleaned: list[str] = []
    for code in codes:
        code = code.strip()
        if not code or code in cleaned:
            continue
        if len(code) > 100 or any(ch.isspace() for ch in code):
            raise DomainError(
                "notifications.webhookendpoint.codes.invalid",
                _("An event kind is a short name without spaces, such as deliberation.topic.decline."),
                field="codes",
            )
        cleaned.append(code)
    if len(cleaned) > MAX_CODES:
        raise DomainError(
            "notifications.webhookendpoint.codes.too_many",
            _("At most %(count)d event kinds.") % {"count": MAX_CODES},
            field="codes",
        )
    return cleaned


def _check_secret(secret: str) -> str:
    secret = (secret or "").strip()
    if not secret:
        return secrets.token_urlsafe(32)
    if len(secret) < MIN_SECRET_LENGTH:
        raise DomainError(
            "notifications.webhookendpoint.secret.too_short",
            _("The signing secret must have at least %(count)d characters.") % {"count": MIN_SECRET_LENGTH},
            field="secret",
        )
    return secret


_AUDITED = ["name", "url", "secret", "codes", "node", "is_active"]


def webhook_endpoint_create(
    *, actor, node, name: str, url: str, secret: str = "", codes: Iterable[str] | str | None = None
) -> WebhookEndpoint:
    """Tell a receiver (e.g. a group robot) about events in ``node``'s subtree. An empty secret is generated."""
    require_perm(actor, ENDPOINT_PERMISSION, node)
    endpoint = WebhookEndpoint(
        node=node,
        name=(name or "").strip(),
        url=_check_url(url),
        secret=_check_secret(secret),
        codes=_clean_codes(codes),
    )
    validate(endpoint, "notifications.webhookendpoint")
    with transaction.atomic():
        endpoint.save()
        audit_record(
            actor=actor,
            action="notifications.webhookendpoint.created",
            obj=endpoint,
            after=_endpoint_snapshot(endpoint),
        )
    return endpoint


def webhook_endpoint_update(*, actor, endpoint: WebhookEndpoint, **changes) -> WebhookEndpoint:
    """Change an endpoint's name, URL, secret or event filter."""
    require_perm(actor, ENDPOINT_PERMISSION, endpoint.node)
    if "url" in changes:
        changes["url"] = _check_url(changes["url"])
    if "secret" in changes:
        changes["secret"] = _check_secret(changes["secret"])
    if "codes" in changes:
        changes["codes"] = _clean_codes(changes["codes"])
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().select_related("node").get(pk=endpoint.pk)
        if not endpoint.is_active:
            raise DomainError(
                "notifications.webhookendpoint.inactive", _("This webhook has been switched off."), status=409
            )
        before = apply_changes(endpoint, changes, ENDPOINT_FIELDS, "notifications.webhookendpoint")
        if not before:
            return endpoint
        validate(endpoint, "notifications.webhookendpoint")
        endpoint.save()
        audit_record(
            actor=actor,
            action="notifications.webhookendpoint.updated",
            obj=endpoint,
            before=before,
            after={key: getattr(endpoint, key) for key in before},
        )
    return endpoint


def webhook_endpoint_deactivate(*, actor, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Switch an endpoint off; what it had not yet received is abandoned."""
    require_perm(actor, ENDPOINT_PERMISSION, endpoint.node)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if not endpoint.is_active:
            return endpoint
        endpoint.is_active = False
        endpoint.save(update_fields=["is_active", "modified"])
        abandoned = endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
            status=WebhookDelivery.Status.FAILED, last_error="endpoint deactivated", next_attempt=None
        )
        audit_record(
            actor=actor,
            action="notifications.webhookendpoint.deactivated",
            obj=endpoint,
            before={"is_active": True},
            after={"is_active": False, "abandoned_deliveries": abandoned},
        )
    return endpoint


def _endpoint_snapshot(endpoint: WebhookEndpoint) -> dict:
    data = snapshot(endpoint, _AUDITED)
    data["codes"] = list(endpoint.codes)  # snapshot() leaves lists out
    return data
