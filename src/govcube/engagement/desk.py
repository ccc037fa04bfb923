"""Desk panels of building liaison (see ``govcube.core.desk``).

A liaison cadre sees their planned visits, overdue first; a street official the overdue visits
and the key buildings without a liaison cadre in the territory. Department staff see the special
petitions waiting for their departments (overdue first); street officials and district leadership
the escalated petitions in their territory. Each panel runs a fixed number of queries (rows and a
capped count) whatever the number of rows.
"""

from __future__ import annotations

from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.accounts.permissions import has_role
from govcube.accounts.roles import Role
from govcube.core.desk import DeskItem, Panel, register
from govcube.engagement import selectors
from govcube.engagement.models import (
    OPEN_PETITION_STATUSES,
    Escalation,
    PetitionTarget,
    TargetStatus,
    Visit,
    VisitStatus,
)

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


# --- Special petitions ----------------------------------------------------------------------------


def _petition_views():
    from govcube.engagement import views_petitions  # the pages' deadline display, imported late

    return views_petitions


def _target_item(target: PetitionTarget, today) -> DeskItem:
    """One department's petition: the acknowledgement when it is overdue, else the answer date."""
    ack, answer = _petition_views().target_dues(target, today, True)
    shown = ack if target.status == TargetStatus.SENT and ack.tone == "overdue" else answer
    if shown is ack:
        meta = _("acknowledge by %(day)s · %(left)s") % {"day": f"{ack.day:%Y-%m-%d}", "left": ack.text}
    else:
        meta = _("answer by %(day)s · %(left)s") % {"day": f"{answer.day:%Y-%m-%d}", "left": answer.text}
    return DeskItem(
        label=f"{target.petition.title} · {target.department.short_name or target.department.name}",
        url=reverse("engagement:petition_detail", args=[target.petition_id]),
        meta=meta,
        tone=shown.desk_tone,
    )


def department_petitions(user) -> Panel | None:
    """Department staff and coordinators: their departments' open petitions, overdue first."""
    from govcube.services.permissions import staff_departments

    if not staff_departments(user):
        return None
    today = timezone.localdate()
    qs = selectors.open_targets(selectors.department_inbox(user=user, today=today))
    rows = list(qs.select_related("petition", "department")[:LIMIT])
    return Panel(
        title=_("Special petitions for my departments (%(count)s)") % {"count": _count(qs)},
        items=[_target_item(t, today) for t in rows],
        empty=_("No petition is waiting for your departments."),
        more_url=reverse("engagement:petition_inbox") + "?open=1",
        order=16,
    )


def escalated_petitions(user) -> Panel | None:
    """Street officials and district leadership: open petitions escalated in their territory, the
    most escalated and the longest overdue first."""
    if not has_role(user, Role.STREET_OFFICIAL, Role.DISTRICT_LEADER):
        return None
    today = timezone.localdate()
    qs = selectors.petition_list(user=user).filter(status__in=OPEN_PETITION_STATUSES, escalation__gt=Escalation.NONE)
    waiting = Q(targets__status__in=[TargetStatus.SENT, TargetStatus.ACKNOWLEDGED])
    rows = list(
        qs.select_related("building")
        .annotate(next_due=Min("targets__answer_by", filter=waiting))
        .order_by("-escalation", "next_due", "pk")[:LIMIT]
    )
    due_of = _petition_views().due_of
    items = []
    for petition in rows:
        due = due_of(petition.next_due, today)
        items.append(
            DeskItem(
                label=f"{petition.title} · {petition.building.name}",
                url=reverse("engagement:petition_detail", args=[petition.pk]),
                meta=f"{petition.get_escalation_display()} · {due.text}",
                tone="danger" if petition.escalation == Escalation.DISTRICT else "warning",
            )
        )
    return Panel(
        title=_("Escalated special petitions (%(count)s)") % {"count": _count(qs)},
        items=items,
        empty=_("No special petition is escalated."),
        more_url=reverse("engagement:petition_list") + "?escalation=any",
        order=17,
    )


register("engagement.my_visits", my_visits)
register("engagement.overdue_visits", overdue_visits)
register("engagement.key_buildings_without_liaison", key_buildings_without_liaison)
register("engagement.department_petitions", department_petitions)
register("engagement.escalated_petitions", escalated_petitions)
