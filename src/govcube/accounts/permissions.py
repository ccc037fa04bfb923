"""What a user may do and where: active role assignments → permissions and scope.

Assignments are loaded once per request and cached on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from govcube.accounts.roles import ROLE_PERMISSIONS, Role

_CACHE_ATTR = "_govcube_assignments"


def active_assignments(user) -> list:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from govcube.accounts.models import RoleAssignment

        cached = list(RoleAssignment.objects.active().filter(user=user).select_related("node"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_assignments(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user) -> set[str]:
    return {assignment.role for assignment in active_assignments(user)}


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def user_permissions(user) -> set[str]:
    perms: set[str] = set()
    for assignment in active_assignments(user):
        perms |= ROLE_PERMISSIONS.get(assignment.role, frozenset())
    return perms


@dataclass
class Scope:
    """The part of the territory (and the enterprises) a permission reaches for a user."""

    everything: bool = False
    district_ids: set[int] = field(default_factory=set)
    street_ids: set[int] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    enterprise_ids: set[int] = field(default_factory=set)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.district_ids or self.street_ids or self.paths or self.enterprise_ids)

    def territory_q(self, *, path: str = "node__path", district: str = "district_id", street: str = "street_id") -> Q:
        """A filter for rows hanging on the territory; matches nothing when the scope is empty."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        if self.district_ids:
            q |= Q(**{f"{district}__in": sorted(self.district_ids)})
        if self.street_ids:
            q |= Q(**{f"{street}__in": sorted(self.street_ids)})
        for prefix in sorted(self.paths):
            q |= Q(**{f"{path}__startswith": prefix})
        return q

    def covers_node(self, node) -> bool:
        if node is None:
            return False
        if self.everything or node.district_id in self.district_ids or node.street_id in self.street_ids:
            return True
        return any(node.path.startswith(prefix) for prefix in self.paths)


def scope_for(user, permission: str) -> Scope:
    scope = Scope()
    for assignment in active_assignments(user):
        if permission not in ROLE_PERMISSIONS.get(assignment.role, frozenset()):
            continue
        node = assignment.node
        if assignment.enterprise_id:
            scope.enterprise_ids.add(assignment.enterprise_id)
        if node is None:
            continue
        if node.kind == "city":
            scope.everything = True
        elif node.kind == "district":
            scope.district_ids.add(node.pk)
        elif node.kind == "street":
            scope.street_ids.add(node.pk)
        else:
            scope.paths.add(node.path)
    return scope


def needs_second_factor(user) -> bool:
    from govcube.accounts.roles import SECOND_FACTOR_ROLES

    return bool(roles_of(user) & {str(role) for role in SECOND_FACTOR_ROLES})


__all__ = ["Role", "Scope", "active_assignments", "has_role", "roles_of", "scope_for", "user_permissions"]
