from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from govcube.accounts.models import RoleAssignment, User


def user_list(*, user, q: str = ""):
    """Accounts, for the security administrator (scope: all accounts of the deployment)."""
    qs = User.objects.order_by("username").prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.active().select_related("node", "enterprise"))
    )
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return qs


def role_assignments_of(*, user):
    """Current and future role assignments of an account (expired ones stay in the audit trail)."""
    from django.utils import timezone

    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(user=user)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("node", "enterprise")
        .order_by("valid_from", "pk")
    )


def users_of_people(person_ids) -> QuerySet[User]:
    """The active accounts linked to these people (who to notify about a person's topic, request…)."""
    return User.objects.filter(person_id__in=[pk for pk in person_ids if pk], is_active=True)


def users_holding(role: str, *, over=None) -> QuerySet[User]:
    """Active accounts that hold a role today (the team lead, district leadership…).

    With ``over`` (a territory node), only those whose role reaches that node: held at the node
    itself or at one of its ancestors (the officials of a building's street, say)."""
    assignments = RoleAssignment.objects.active().filter(role=role)
    if over is not None:
        step = over.steplen
        prefixes = [over.path[:end] for end in range(step, len(over.path) + 1, step)]
        assignments = assignments.filter(node__path__in=prefixes)
    return User.objects.filter(pk__in=assignments.values("user_id"), is_active=True)
