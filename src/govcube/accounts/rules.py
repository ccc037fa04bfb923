"""Permission predicates: a permission is held when an active role grants it.

With an object, the object must also lie in the scope of an assignment that
grants the permission (``obj.node`` on the territory, or the enterprise itself).
"""

from __future__ import annotations

import rules

from govcube.accounts.permissions import scope_for, user_permissions
from govcube.accounts.roles import ALL_PERMISSIONS


def _scoped_node(obj):
    from govcube.territory.models import Node

    if isinstance(obj, Node):
        return obj
    return getattr(obj, "node", None)


def _make_predicate(permission: str):
    @rules.predicate(name=f"grants:{permission}")
    def granted(user, obj=None) -> bool:
        if permission not in user_permissions(user):
            return False
        if obj is None:
            return True
        scope = scope_for(user, permission)
        from govcube.directory.models import Enterprise

        if isinstance(obj, Enterprise) and obj.pk in scope.enterprise_ids:
            return True
        return scope.covers_node(_scoped_node(obj))

    return granted


for _permission in sorted(ALL_PERMISSIONS):
    rules.add_perm(_permission, _make_predicate(_permission))
