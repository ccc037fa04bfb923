"""Sending webhook deliveries: signed JSON POSTs, retried with exponential backoff by the worker.

The receiver verifies ``X-GovCube-Signature: sha256=<hex>``, the HMAC-SHA256 of the raw
request body keyed with the endpoint's secret; ``X-GovCube-Timestamp`` (Unix seconds,
also inside the body as ``sent_at``) lets it refuse replays.

Each attempt is claimed by a conditional UPDATE on (status pending, attempts as read,
due now), which also sets a lease; so a delivery is sent by one worker at a time and,
once delivered or failed, never again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from govcube.notifications.models import WebhookDelivery

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-GovCube-Signature"
TIMESTAMP_HEADER = "X-GovCube-Timestamp"
DELIVERY_HEADER = "X-GovCube-Delivery"
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
LEASE_MARGIN = timedelta(seconds=30)
NEVER_ENQUEUED_AFTER = timedelta(minutes=5)  # a pending row never tried this long is picked up by the sweep


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does (used by the tests and documented for integrators)."""
    return hmac.compare_digest(sign(secret, body), signature or "")


def backoff(attempt: int) -> timedelta:
    """Delay after failed attempt number ``attempt`` (1, 2, 4, 8 … minutes, at most 6 hours)."""
    return min(BACKOFF_BASE * (2 ** max(attempt - 1, 0)), BACKOFF_MAX)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new destination: the signed body goes where it was configured."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST and return the HTTP status (raising OSError/ValueError when nothing answered)."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValueError("a webhook URL must be http or https")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (scheme checked)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read(4096)
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def _body(delivery: WebhookDelivery, sent_at: datetime) -> bytes:
    payload = {**delivery.payload, "sent_at": sent_at.isoformat()}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _claim(delivery: WebhookDelivery, now: datetime) -> bool:
    lease = now + timedelta(seconds=settings.GOVCUBE_WEBHOOK_TIMEOUT) + LEASE_MARGIN
    return bool(
        WebhookDelivery.objects.filter(
            Q(next_attempt__isnull=True) | Q(next_attempt__lte=now),
            pk=delivery.pk,
            status=WebhookDelivery.Status.PENDING,
            attempts=delivery.attempts,
        ).update(attempts=F("attempts") + 1, next_attempt=lease)
    )


def _finish(pk: int, **fields) -> None:
    WebhookDelivery.objects.filter(pk=pk, status=WebhookDelivery.Status.PENDING).update(**fields)


def webhook_deliver(delivery_id: int) -> str:
    """Make one attempt at a delivery if it is pending and due; returns what happened."""
    now = timezone.now()
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return "skipped"
    if not delivery.endpoint.is_active:
        _finish(delivery.pk, status=WebhookDelivery.Status.FAILED, last_error="endpoint deactivated", next_attempt=None)
        return WebhookDelivery.Status.FAILED
    if not _claim(delivery, now):
        return "not_due"  # not yet due, or another worker is on it
    attempt = delivery.attempts + 1
    sent_at = timezone.now()
    body = _body(delivery, sent_at)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "GovCube-Webhook/1",
        SIGNATURE_HEADER: sign(delivery.endpoint.secret, body),
        TIMESTAMP_HEADER: str(int(sent_at.timestamp())),
        DELIVERY_HEADER: str(delivery.pk),
    }
    status: int | None = None
    try:
        status = post(delivery.endpoint.url, body, headers, settings.GOVCUBE_WEBHOOK_TIMEOUT)
        error = "" if 200 <= status < 300 else f"HTTP {status}"
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections, bad URLs
        error = f"{type(exc).__name__}: {exc}"
    if not error:
        _finish(
            delivery.pk,
            status=WebhookDelivery.Status.DELIVERED,
            delivered_at=timezone.now(),
            response_status=status,
            last_error="",
            next_attempt=None,
        )
        return WebhookDelivery.Status.DELIVERED
    logger.warning("webhook delivery %s attempt %s failed: %s", delivery.pk, attempt, error)
    if attempt >= settings.GOVCUBE_WEBHOOK_MAX_ATTEMPTS:
        _finish(
            delivery.pk,
            status=WebhookDelivery.Status.FAILED,
            response_status=status,
            last_error=error[:300],
            next_attempt=None,
        )
        return WebhookDelivery.Status.FAILED
    due = timezone.now() + backoff(attempt)
    _finish(delivery.pk, response_status=status, last_error=error[:300], next_attempt=due)
    schedule_retry(delivery.pk, due)
    return WebhookDelivery.Status.PENDING


def schedule_retry(delivery_id: int, due: datetime) -> bool:
    """Re-enqueue for ``due`` when the task backend can defer; otherwise the sweep will find it."""
    from govcube.notifications.tasks import deliver_webhook

    if not deliver_webhook.get_backend().supports_defer:
        return False
    deliver_webhook.using(run_after=due).enqueue(delivery_id)
    return True


def due_deliveries(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries whose retry is due, or that were never tried (e.g. an enqueue was lost)."""
    now = now or timezone.now()
    never_tried = Q(next_attempt__isnull=True, created__lte=now - NEVER_ENQUEUED_AFTER)
    return list(
        WebhookDelivery.objects.filter(never_tried | Q(next_attempt__lte=now), status=WebhookDelivery.Status.PENDING)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )


def webhook_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Attempt every due delivery now (for a periodic command; a safety net under the deferred tasks)."""
    outcome: dict[str, int] = {}
    for delivery_id in due_deliveries(now=now):
        result = str(webhook_deliver(delivery_id))
        outcome[result] = outcome.get(result, 0) + 1
    return outcome
