"""Shared API pieces: authentication, access policies, errors, cursor pagination."""

from __future__ import annotations

import base64
import functools
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.security import APIKeyCookie, HttpBearer

from govcube.core.access import LOGIN, PUBLIC, Policy
from govcube.core.errors import DomainError, PermissionDenied


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        from govcube.accounts.models import ApiToken, hash_token

        if not token.startswith(ApiToken.PREFIX):
            return None
        row = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if row is None or not row.is_active or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used is None or (now - row.last_used).total_seconds() > 300:
            ApiToken.objects.filter(pk=row.pk).update(last_used=now)
        request.user = row.user
        return row.user


class Session(APIKeyCookie):
    """The browser's session; unsafe methods need the CSRF token (ninja checks it)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


AUTH = [BearerToken(), Session(csrf=True)]


def api_policy(policy: Policy | str):
    """Declare (and enforce) an operation's access policy; used under the router decorator."""
    if isinstance(policy, str):
        policy = Policy("permission", policy)

    def decorator(func):
        @functools.wraps(func)
        def wrapped(request, *args, **kwargs):
            if policy.kind == "permission" and not request.user.has_perm(policy.permission):
                raise PermissionDenied(f"{policy.permission}.denied")
            return func(request, *args, **kwargs)

        wrapped.access_policy = policy
        return wrapped

    return decorator


api_public = api_policy(PUBLIC)
api_login = api_policy(LOGIN)


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def install_error_handlers(api) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(
            request, {"code": "not_found", "message": _("Not found."), "field": None}, status=404
        )

    from ninja.errors import AuthenticationError, HttpError, ValidationError

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # ninja raises HttpError(400) for a body it cannot parse; answer in the house format.
        if exc.status_code == 400:
            body = {"code": "invalid.body", "message": _("The request body is not valid JSON."), "field": None}
        else:
            body = {"code": f"http.{exc.status_code}", "message": str(exc), "field": None}
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(OverflowError)
    def too_large(request, exc):
        # An id beyond the database's integer range cannot name any object.
        return api.create_response(
            request, {"code": "not_found", "message": _("Not found."), "field": None}, status=404
        )

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        first = exc.errors[0] if exc.errors else {}
        loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        field = loc[-1] if loc else None
        message = _("This value is not valid.")
        if first.get("type") == "missing":
            message = _("This field is required.")
        return api.create_response(
            request, {"code": f"invalid.{first.get('type', 'value')}", "message": message, "field": field}, status=422
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request,
            {"code": "unauthenticated", "message": _("Sign in or send a valid API token."), "field": None},
            status=401,
        )


class Cursor:
    """Opaque keyset cursor over ascending primary keys."""

    @staticmethod
    def encode(last_id: int) -> str:
        return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")

    @staticmethod
    def decode(cursor: str | None) -> int:
        if not cursor:
            return 0
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            kind, value = text.split(":", 1)
            if kind != "id":
                raise ValueError
            return max(int(value), 0)
        except (ValueError, UnicodeDecodeError):
            raise DomainError("invalid.cursor", _("This cursor is not valid."), field="cursor") from None


def page_of(queryset, *, limit: int, cursor: str | None) -> dict[str, Any]:
    """A keyset page: ``items``, ``next_cursor`` and a total capped at GOVCUBE_COUNT_CAP."""
    if not 1 <= limit <= 100:
        raise DomainError("invalid.limit", _("limit must be between 1 and 100."), field="limit")
    after = Cursor.decode(cursor)
    rows = list(queryset.filter(pk__gt=after).order_by("pk")[: limit + 1])
    cap = settings.GOVCUBE_COUNT_CAP
    total = queryset.order_by()[: cap + 1].count()
    return {
        "items": rows[:limit],
        "next_cursor": Cursor.encode(rows[limit - 1].pk) if len(rows) > limit else None,
        "total": min(total, cap),
        "total_capped": total > cap,
    }
