"""Desk panels of the service desk (see ``govcube.core.desk``).

A team member sees their open requests, overdue first; a department coordinator the
department's unassigned requests; the team lead what is overdue, the low ratings to review
and the extensions to decide; an enterprise's people their latest requests. Each panel runs
two or three queries (rows, a capped count) whatever the number of requests.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.accounts.permissions import has_role
from govcube.accounts.roles import Role
from govcube.core.desk import DeskItem, Panel, register
from govcube.services import selectors
from govcube.services.models import OPEN_STATUSES, Department, Extension, Rating, RequestStatus, ServiceRequest

LIMIT = 10
MINE_LIMIT = 5
COUNT_CAP = 1000
RELATED = ("policy", "item")


def _views():
    from govcube.services import views  # the pages' clock display, imported late: views import much

    return views


def _count(qs) -> str:
    """How many there are, capped; always one query, so the desk costs the same whatever the data."""
    count = qs.order_by()[: COUNT_CAP + 1].count()
    return f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"


def _item(r: ServiceRequest, now, *, with_enterprise: bool = True) -> DeskItem:
    clock = _views().resolution_clock(r, now)
    if r.status in OPEN_STATUSES and r.first_responded_at is None:
        first = _views().first_response_clock(r, now)
        if first.tone in ("overdue", "soon"):
            clock = first
    label = f"{r.number} {r.title}"
    if with_enterprise:
        label += f" · {r.enterprise.name}"
    return DeskItem(
        label=label,
        url=reverse("services:request_detail", args=[r.pk]),
        meta=f"{r.get_status_display()} · {clock.text}",
        tone=clock.desk_tone,
    )


def my_open_requests(user) -> Panel | None:
    """The member's own open requests, the first deadline first (so overdue ones lead)."""
    if not has_role(user, Role.SERVICE_MEMBER, Role.SERVICE_LEAD):
        return None
    now = timezone.now()
    qs = ServiceRequest.objects.filter(owner=user, status__in=OPEN_STATUSES)
    rows = list(
        qs.select_related("enterprise", *RELATED)
        .annotate(next_due=_views().next_due())
        .order_by("next_due", "pk")[:LIMIT]
    )
    return Panel(
        title=_("My open requests (%(count)s)") % {"count": _count(qs)},
        items=[_item(r, now) for r in rows],
        empty=_("No open request is assigned to you."),
        more_url=reverse("services:queue") + "?mine=1",
        order=15,
    )


def unassigned_in_my_department(user) -> Panel | None:
    if not user.is_authenticated:
        return None
    departments = list(Department.objects.filter(coordinator=user).values_list("pk", flat=True))
    if not departments:
        return None
    now = timezone.now()
    qs = ServiceRequest.objects.filter(
        department_id__in=departments, status=RequestStatus.SUBMITTED, owner__isnull=True
    )
    rows = list(qs.select_related("enterprise", *RELATED).order_by("submitted_at", "pk")[:LIMIT])
    more = reverse("services:queue") + "?unassigned=1"
    if len(departments) == 1:
        more += f"&department={departments[0]}"
    return Panel(
        title=_("Unassigned in my department (%(count)s)") % {"count": _count(qs)},
        items=[_item(r, now) for r in rows],
        empty=_("Every request of your department has an owner."),
        more_url=more,
        order=16,
    )


def overdue_requests(user) -> Panel | None:
    if not has_role(user, Role.SERVICE_LEAD):
        return None
    now = timezone.now()
    qs = selectors.request_list(user=user).filter(_views().overdue_q(now))
    rows = list(qs.select_related("enterprise", *RELATED).order_by("resolution_due", "pk")[:LIMIT])
    return Panel(
        title=_("Overdue requests (%(count)s)") % {"count": _count(qs)},
        items=[_item(r, now) for r in rows],
        empty=_("Nothing is overdue."),
        more_url=reverse("services:board"),
        order=17,
    )


def ratings_to_review(user) -> Panel | None:
    if not has_role(user, Role.SERVICE_LEAD):
        return None
    qs = Rating.objects.filter(review_status="open", request__in=selectors.request_list(user=user))
    rows = list(qs.select_related("request").order_by("created", "pk")[:LIMIT])
    items = [
        DeskItem(
            label=f"{rating.request.number} {rating.request.title}",
            url=reverse("services:request_detail", args=[rating.request_id]),
            meta=str(rating.get_score_display()),
            tone="warning",
        )
        for rating in rows
    ]
    return Panel(
        title=_("Ratings to review (%(count)s)") % {"count": _count(qs)},
        items=items,
        empty=_("No low rating is waiting for review."),
        more_url=reverse("services:board"),
        order=18,
    )


def extensions_to_decide(user) -> Panel | None:
    if not has_role(user, Role.SERVICE_LEAD):
        return None
    qs = Extension.objects.filter(status=Extension.Status.PENDING, request__in=selectors.request_list(user=user))
    rows = list(qs.select_related("request").order_by("created", "pk")[:LIMIT])
    items = [
        DeskItem(
            label=f"{e.request.number} {e.request.title}",
            url=reverse("services:request_detail", args=[e.request_id]),
            meta=_("+%(days)s working days") % {"days": e.days},
        )
        for e in rows
    ]
    return Panel(
        title=_("Extensions to decide (%(count)s)") % {"count": _count(qs)},
        items=items,
        empty=_("No extension is waiting."),
        more_url=reverse("services:board"),
        order=19,
    )


def enterprise_requests(user) -> Panel | None:
    """The enterprise side: its latest requests."""
    if not user.is_authenticated:
        return None
    ids = _views().my_enterprise_ids(user)
    if not ids:
        return None
    now = timezone.now()
    q = Q(enterprise_id__in=ids)
    if user.person_id:
        q |= Q(requester_id=user.person_id)
    rows = list(ServiceRequest.objects.filter(q).select_related(*RELATED).order_by("-submitted_at", "-pk")[:MINE_LIMIT])
    return Panel(
        title=_("My requests"),
        items=[_item(r, now, with_enterprise=False) for r in rows],
        empty=_("No request yet. Ask the chief service team from “New request”."),
        more_url=reverse("services:my_requests"),
        order=14,
    )


register("services.my_open_requests", my_open_requests)
register("services.unassigned", unassigned_in_my_department)
register("services.overdue", overdue_requests)
register("services.ratings_to_review", ratings_to_review)
register("services.extensions_to_decide", extensions_to_decide)
register("services.enterprise_requests", enterprise_requests)
