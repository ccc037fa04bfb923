"""A production start refuses to serve while demo accounts (with their published passwords) exist."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError


def demo_accounts_present() -> list[str]:
    from govcube.accounts.models import User

    return list(User.objects.filter(is_demo=True, is_active=True).values_list("username", flat=True)[:5])


def refuse_demo_accounts_in_production() -> None:
    if not settings.PRODUCTION:
        return
    try:
        present = demo_accounts_present()
    except DatabaseError:
        return  # not migrated yet: `migrate` runs first and the next start checks again
    if present:
        raise ImproperlyConfigured(
            "Refusing to start in production mode: demo accounts with published passwords exist "
            f"({', '.join(present)}…). Remove them with `manage.py demo_remove`."
        )
