from __future__ import annotations

from django.db.models import Prefetch, Q

from govcube.accounts.models import RoleAssignment, User


def user_list(*, user, q: str = ""):
    """Accounts, for the security administrator (scope: all accounts of the deployment)."""
    qs = User.objects.order_by("username").prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.active().select_related("node", "enterprise"))
    )
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return qs
