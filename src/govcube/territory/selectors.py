"""Reads of the territory, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from govcube.accounts.permissions import scope_for
from govcube.territory.models import Building, Node, NodeKind


def _node_scope_q(user) -> Q:
    """Nodes a user may see: the subtrees of their assignments, and the ancestors on the way down."""
    scope = scope_for(user, "territory.view_node")
    if scope.everything:
        return Q()
    inside = scope.territory_q(path="path", district="district_id", street="street_id")
    if scope.district_ids:
        inside |= Q(pk__in=sorted(scope.district_ids))
    if scope.street_ids:
        inside |= Q(pk__in=sorted(scope.street_ids))
    return inside


def node_list(*, user) -> QuerySet[Node]:
    return Node.objects.filter(_node_scope_q(user))


def node_get(*, user, pk: int) -> Node:
    return get_object_or_404(node_list(user=user), pk=pk)


def node_ancestors(*, user, node: Node) -> list[Node]:
    """Breadcrumb: the ancestors of a node the user may open (one query).

    Ancestors above the user's reach (the district, for a street official) are left out,
    so every crumb is a link that works.
    """
    steplen = Node.steplen
    paths = [node.path[: steplen * depth] for depth in range(1, node.depth)]
    if not paths:
        return []
    return list(node_list(user=user).filter(path__in=paths).order_by("depth"))


def node_children(*, user, node: Node) -> QuerySet[Node]:
    return node_list(user=user).filter(path__startswith=node.path, depth=node.depth + 1).order_by("kind", "name")


def node_roots(*, user) -> list[Node]:
    """The top-most nodes the user may open: the shallowest visible ones."""
    nodes = list(
        node_list(user=user)
        .filter(kind__in=[NodeKind.CITY, NodeKind.DISTRICT, NodeKind.STREET])
        .order_by("depth", "path")[:200]
    )
    if not nodes:
        nodes = list(node_list(user=user).order_by("depth", "path")[:200])
    roots: list[Node] = []
    for node in nodes:
        if not any(node.path.startswith(root.path) for root in roots):
            roots.append(node)
    return roots


def building_list(*, user, permission: str = "territory.view_building") -> QuerySet[Building]:
    scope = scope_for(user, permission)
    q = scope.territory_q()
    if scope.enterprise_ids:
        q |= Q(tenancies__enterprise_id__in=sorted(scope.enterprise_ids))
        return Building.objects.filter(pk__in=Building.objects.filter(q).values("pk"))
    return Building.objects.filter(q)


def building_get(*, user, pk: int, permission: str = "territory.view_building") -> Building:
    return get_object_or_404(
        building_list(user=user, permission=permission).select_related("node", "street", "district"), pk=pk
    )


def building_search(
    qs: QuerySet[Building], *, q: str = "", tier: str = "", is_key: str = "", street: str = ""
) -> QuerySet[Building]:
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q) | Q(name_en__icontains=q))
    if tier:
        qs = qs.filter(tier=tier)
    if is_key in ("1", "true"):
        qs = qs.filter(is_key=True)
    if street.isdigit():
        qs = qs.filter(street_id=int(street))
    return qs
