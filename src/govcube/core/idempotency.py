"""``Idempotency-Key`` for API writes: a retried POST does its work once and answers the same.

A client that sends ``Idempotency-Key: <key>`` on a POST to /api/v1 gets, for the same key
(per account or API token) and the same request (method, path and body), exactly one effect
and the same answer — status and body — however often it retries, also when the retries race
each other. The same key with another request is refused with 422. Records are kept for
``RETENTION`` and purged by a daily job.

How: the middleware inserts the key's row and runs the request inside one transaction, and
stores the answer in that row before committing. A concurrent request with the same key
blocks on the row's unique index until the first commits (PostgreSQL), then reads the stored
answer and replays it; when the first fails with a server error its transaction rolls back,
row and effects alike, so the retry runs afresh.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

HEADER = "Idempotency-Key"
MAX_KEY = 200
RETENTION = timedelta(hours=48)
API_PREFIX = "/api/v1/"


class IdempotencyRecord(models.Model):
    principal = models.CharField(max_length=80)  # "u:<user id>" or "t:<sha256 of the bearer token>"
    key = models.CharField(max_length=MAX_KEY)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "core"
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="idempotency_key_once")]

    def __str__(self) -> str:
        return f"{self.principal} {self.key}"


def _error(status: int, code: str, message: str) -> HttpResponse:
    body = json.dumps({"code": code, "message": message, "field": HEADER}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def _principal(request) -> str | None:
    authorization = request.headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        return "t:" + hashlib.sha256(authorization[7:].strip().encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return None


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type or None)
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if not key or len(key) > MAX_KEY or not key.isascii() or not key.isprintable():
            return _error(
                400,
                "idempotency.key.invalid",
                _("The Idempotency-Key must be 1 to %(max)s visible ASCII characters.") % {"max": MAX_KEY},
            )
        principal = _principal(request)
        if principal is None:  # the operation answers 401 itself
            return self.get_response(request)
        digest = hashlib.sha256(b"%s %s\n" % (request.method.encode(), request.get_full_path().encode()))
        digest.update(request.body)
        request_hash = digest.hexdigest()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(principal=principal, key=key, request_hash=request_hash)
            except IntegrityError:
                record = IdempotencyRecord.objects.get(principal=principal, key=key)
                if record.request_hash != request_hash:
                    return _error(
                        422,
                        "idempotency.key.reused",
                        _("This Idempotency-Key was used for another request; use a new key for a new request."),
                    )
                return _replay(record)
            response = self.get_response(request)
            if response.status_code >= 500 or getattr(response, "streaming", False):
                transaction.set_rollback(True)  # nothing half-done stays, and a retry runs afresh
                return response
            record.status_code = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.body = response.content
            record.save(update_fields=["status_code", "content_type", "body"])
        return response


def purge_idempotency_records(now=None) -> int:
    now = now or timezone.now()
    deleted, _rows = IdempotencyRecord.objects.filter(created__lt=now - RETENTION).delete()
    return deleted
