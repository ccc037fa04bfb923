"""Shared API pieces: authentication, access policies, errors, cursor pagination."""

from __future__ import annotations

import base64
import datetime
import functools
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import BaseModel

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


# PostgreSQL takes UTC offsets up to ±15:59; Python (and ISO 8601 as parsed) up to ±23:59.
_DB_MAX_OFFSET = datetime.timedelta(hours=16)


def storable_times(value, field: str | None = None):
    """Make every datetime of the parsed input one the database can store, in place (and return it).

    A time whose offset PostgreSQL refuses (``2026-12-01T09:00+18:30``) is moved to the local time
    zone, the same instant; a time that is no instant of the calendar in UTC (year 1 or 9999 at the
    edge of the range) is bad input of its field. Other times are left exactly as sent.
    """
    if isinstance(value, datetime.datetime):
        try:
            aware = value if value.tzinfo is not None else timezone.make_aware(value)
            aware.astimezone(datetime.UTC)
            if value.tzinfo is None or abs(value.utcoffset()) < _DB_MAX_OFFSET:
                return value
            return timezone.localtime(value)
        except OverflowError:
            raise DomainError("invalid.datetime", _("This time is out of range."), field=field) from None
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            item = getattr(value, name, None)
            storable = storable_times(item, name)
            if storable is not item:
                object.__setattr__(value, name, storable)
    elif isinstance(value, list):
        value[:] = [storable_times(item, field) for item in value]
    elif isinstance(value, dict):
        for key, item in value.items():
            value[key] = storable_times(item, str(key))
    return value


def api_policy(policy: Policy | str):
    """Declare (and enforce) an operation's access policy; used under the router decorator."""
    if isinstance(policy, str):
        policy = Policy("permission", policy)

    def decorator(func):
        @functools.wraps(func)
        def wrapped(request, *args, **kwargs):
            if policy.kind == "permission" and not request.user.has_perm(policy.permission):
                raise PermissionDenied(f"{policy.permission}.denied")
            for value in kwargs.values():
                storable_times(value)
            return func(request, *args, **kwargs)

        wrapped.access_policy = policy
        return wrapped

    return decorator


api_public = api_policy(PUBLIC)
api_login = api_policy(LOGIN)


def _nul_field(value, field: str | None = None) -> str | None | bool:
    """The field whose text holds a NUL character (``None`` for the top level), or False when none does."""
    if isinstance(value, str):
        return field if "\x00" in value else False
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_field(item, str(key)) if "\x00" not in str(key) else str(key)
            if found is not False:
                return found
    elif isinstance(value, list):
        for item in value:
            found = _nul_field(item, field)
            if found is not False:
                return found
    return False


def refuse_nul(data):
    """PostgreSQL cannot store (or even compare) text holding NUL: refuse it as bad input of its field."""
    field = _nul_field(data)
    if field is not False:
        raise DomainError("invalid.nul", _("This text contains a character that is not allowed (NUL)."), field=field)
    return data


class HouseParser(Parser):
    """Ninja's JSON and query parser, refusing text with NUL characters (400 naming the field)."""

    def parse_body(self, request):
        return refuse_nul(super().parse_body(request))

    def parse_querydict(self, data, list_fields, request):
        return refuse_nul(super().parse_querydict(data, list_fields, request))


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


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
        if isinstance(exc.__cause__, DomainError):  # the parser refused the body (NUL characters)
            return domain_error(request, exc.__cause__)
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


def action_routes(router, *, path: str, actions, make_view, response, name: str, label: str) -> None:
    """Mount one ``POST {path}/{action}`` per workflow action (the API convention of DESIGN), each
    behind the login policy and answering ``response``; ``make_view(action)`` builds the operation."""
    for action in actions:
        view = make_view(action)
        view.__name__ = view.__qualname__ = f"{name}_{action}"
        router.post(
            f"{path}/{action}",
            response={200: response, **ERRORS},
            operation_id=f"{name}_{action}",
            summary=f"{label}: {action}",
        )(api_login(view))
