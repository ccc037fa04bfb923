"""Access policies: every URL pattern and API operation declares one.

A page view is wrapped by exactly one of ``public``, ``login`` or
``permission("app.verb_model")``; the wrapper enforces the policy and records it
on the view as ``access_policy`` so ``tests/core/test_access_policy.py`` can walk the
URL resolver and fail on any route without one. Object scope is the selectors'
job (out of scope is 404); a missing permission is 403.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Policy:
    kind: str  # "public" | "login" | "permission"
    permission: str | None = None

    def __str__(self) -> str:
        return self.permission if self.kind == "permission" else self.kind

    def allows(self, user) -> bool:
        if self.kind == "public":
            return True
        if not user.is_authenticated:
            return False
        return self.kind == "login" or user.has_perm(self.permission)


PUBLIC = Policy("public")
LOGIN = Policy("login")


def _mark(view, policy: Policy):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if policy.kind != "public":
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not policy.allows(request.user):
                raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.access_policy = policy
    return wrapped


def public(view):
    return _mark(view, PUBLIC)


def login(view):
    return _mark(view, LOGIN)


def permission(name: str):
    def decorator(view):
        return _mark(view, Policy("permission", name))

    return decorator


def declare(view, policy: Policy):
    """Record the policy of a third-party view that enforces access itself (e.g. allauth's login)."""
    view.access_policy = policy
    return view


# Third-party views that enforce their own access: allauth's login, logout, password and
# second-factor pages (its views require a login where they need one).
THIRD_PARTY_POLICIES: dict[str, Policy] = {
    "allauth.account.": PUBLIC,
    "allauth.mfa.": LOGIN,
    "allauth.usersessions.": LOGIN,
    # The API's OpenAPI document and its docs page describe the API, they hold no data.
    "ninja.openapi.": PUBLIC,
}


def policy_of(view) -> Policy | None:
    """The declared policy of a resolved view (None: undeclared, a defect the tests catch)."""
    policy = getattr(view, "access_policy", None)
    if policy is None and hasattr(view, "view_class"):
        policy = getattr(view.view_class, "access_policy", None)
    if policy is not None:
        return policy
    target = view.func if isinstance(view, functools.partial) else view
    module = getattr(target, "__module__", "") or ""
    for prefix, third_party in THIRD_PARTY_POLICIES.items():
        if module.startswith(prefix):
            return third_party
    return None
