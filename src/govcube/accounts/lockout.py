"""django-axes and allauth name the username differently; lockout is per (lower-cased) account name."""

from __future__ import annotations


def username_of(request, credentials: dict | None) -> str:
    credentials = credentials or {}
    raw = credentials.get("username") or credentials.get("login")
    if raw is None and request is not None:
        raw = request.POST.get("login") or request.POST.get("username")
    return (raw or "").strip().lower()
