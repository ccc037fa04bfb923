"""Request-scoped context (request id, client IP) and database-outage handling."""

from __future__ import annotations

import contextvars
import logging
import uuid

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isascii() else uuid.uuid4().hex
        request.request_id = request_id
        token_id = current_request_id.set(request_id)
        token_ip = current_ip.set(client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token_id)
            current_ip.reset(token_ip)
        response["X-Request-Id"] = request_id
        return response


class DatabaseUnavailableMiddleware:
    """Answer 503 (retryable) rather than 500 when the database cannot be reached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) and _looks_like_outage(exception):
            logger.warning("database unavailable: %s", exception)
            response = HttpResponse(_("The service is briefly unavailable. Please try again."), status=503)
            response["Retry-After"] = "5"
            return response
        return None


def _looks_like_outage(exception) -> bool:
    text = str(exception).lower()
    markers = ("connection", "could not connect", "server closed", "terminating", "shutdown", "database is locked")
    return any(marker in text for marker in markers)
