"""Body roles: a user acts in a body through the active memberships of their person.

Loaded once per request and cached on the user, like territory role assignments.
"""

from __future__ import annotations

from govcube.bodies.models import MANAGING_ROLES, RECORDING_ROLES, VOTING_ROLES, BodyMember

_CACHE_ATTR = "_govcube_body_roles"


def body_roles(user) -> dict[int, set[str]]:
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = {}
        if user.person_id:
            for body_id, role in (
                BodyMember.objects.active().filter(person_id=user.person_id).values_list("body_id", "role")
            ):
                cached.setdefault(body_id, set()).add(role)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_body_roles(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_in(user, body) -> set[str]:
    body_id = body if isinstance(body, int) else body.pk
    return body_roles(user).get(body_id, set())


def is_member(user, body) -> bool:
    return bool(roles_in(user, body))


def is_voting_member(user, body) -> bool:
    return bool(roles_in(user, body) & VOTING_ROLES)


def is_manager(user, body) -> bool:
    """Convener or deputy of this body, or a street/district official over its territory."""
    if roles_in(user, body) & MANAGING_ROLES:
        return True
    return user.has_perm("bodies.change_body", body)


def is_recorder(user, body) -> bool:
    """May record presence, minutes and votes: convener, deputy or secretary."""
    if roles_in(user, body) & RECORDING_ROLES:
        return True
    return user.has_perm("bodies.change_body", body)
