"""Desk panels of building liaison (see ``govcube.core.desk``).

A liaison cadre sees their planned visits, overdue first; a street official the overdue visits
and the key buildings without a liaison cadre in the territory. Each panel runs two queries
(rows and a capped count) whatever the number of visits.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.accounts.permissions import has_role
from govcube.accounts.roles import Role
from govcube.core.desk import DeskItem, Panel, register
from govcube.engagement import selectors
from govcube.engagement.models import Visit, VisitStatus

LIMIT = 10
NEXT_PLANNED = 5
COUNT_CAP = 1000


def _count(qs) -> str:
    count = qs.order_by()[: COUNT_CAP + 1].count()
    return f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"


def _visit_item(visit: Visit, today) -> DeskItem:
    overdue = visit.planned_for < today
    meta = f"{visit.planned_for:%Y-%m-%d}"
    if overdue:
        meta += " · " + _("overdue")
    return DeskItem(
        label=f"{visit.building.name} · {visit.kind}",
        url=reverse("engagement:visit_detail", args=[visit.pk]),
        meta=meta,
        tone="danger" if overdue else "",
    )


def my_visits(user) -> Panel | None:
    """The cadre's overdue visits (up to ten) and the next five planned ones."""
    if not has_role(user, Role.LIAISON_CADRE):
        return None
    today = timezone.localdate()
    planned = Visit.objects.filter(cadre=user, status=VisitStatus.PLANNED).select_related("building", "kind")
    overdue = list(planned.filter(planned_for__lt=today).order_by("planned_for", "pk")[:LIMIT])
    upcoming = list(planned.filter(planned_for__gte=today).order_by("planned_for", "pk")[:NEXT_PLANNED])
    return Panel(
        title=_("My visits"),
        items=[_visit_item(v, today) for v in overdue + upcoming],
        empty=_("No visit planned."),
        more_url=reverse("engagement:my_desk"),
        order=20,
    )


def overdue_visits(user) -> Panel | None:
    if not has_role(user, Role.STREET_OFFICIAL):
        return None
    today = timezone.localdate()
    qs = selectors.overdue_visits(selectors.visit_list(user=user))
    rows = list(qs.select_related("building", "kind").order_by("planned_for", "pk")[:LIMIT])
    return Panel(
        title=_("Overdue visits (%(count)s)") % {"count": _count(qs)},
        items=[_visit_item(v, today) for v in rows],
        empty=_("No visit is overdue."),
        more_url=reverse("engagement:visit_list") + "?overdue=1",
        order=21,
    )


def key_buildings_without_liaison(user) -> Panel | None:
    if not has_role(user, Role.STREET_OFFICIAL):
        return None
    qs = selectors.key_buildings_without_liaison(user=user)
    rows = list(qs.order_by("name", "pk")[:LIMIT])
    can_assign = user.has_perm("engagement.change_liaisonassignment")
    assign = reverse("engagement:liaison_assign")
    return Panel(
        title=_("Key buildings without a liaison cadre (%(count)s)") % {"count": _count(qs)},
        items=[
            DeskItem(
                label=b.name,
                url=f"{assign}?building={b.pk}" if can_assign else reverse("engagement:liaison_list"),
                tone="warning",
            )
            for b in rows
        ],
        empty=_("Every key building has a liaison cadre."),
        more_url=reverse("engagement:liaison_list"),
        order=22,
    )


register("engagement.my_visits", my_visits)
register("engagement.overdue_visits", overdue_visits)
register("engagement.key_buildings_without_liaison", key_buildings_without_liaison)
