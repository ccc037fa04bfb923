"""Session timeouts and the second-factor requirement."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from govcube.accounts.permissions import needs_second_factor

_LOGIN_AT = "govcube_login_at"
_SEEN_AT = "govcube_seen_at"
# Only write the session when the last-seen stamp is this old, so a page view is not a session write.
_TOUCH_EVERY = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and hasattr(request, "session")
            and not _is_token_request(request)
        ):
            now = int(time.time())
            login_at = request.session.get(_LOGIN_AT)
            seen_at = request.session.get(_SEEN_AT)
            if login_at is None:
                request.session[_LOGIN_AT] = now
                request.session[_SEEN_AT] = now
            elif now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT or (
                seen_at is not None and now - seen_at > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(settings.LOGIN_URL)
            elif seen_at is None or now - seen_at >= _TOUCH_EVERY:
                request.session[_SEEN_AT] = now
        return self.get_response(request)


def _is_token_request(request) -> bool:
    return request.headers.get("Authorization", "").startswith("Bearer ")


_ALLOWED_WITHOUT_SECOND_FACTOR = ("/accounts/", "/static/", "/healthz", "/i18n/", "/api/")


class RequireSecondFactorMiddleware:
    """District-level and administrator roles must enrol TOTP before doing anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_WITHOUT_SECOND_FACTOR)
            and needs_second_factor(user)
            and not _has_totp(user)
        ):
            messages.warning(request, _("Your role requires a second factor. Set up an authenticator app to continue."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
