"""Desk panels of the work app (see ``govcube.core.desk``).

A convener (or deputy) sees the claims waiting for approval and the projects reported complete
that wait for verification, in the bodies they run. Whoever speaks for an enterprise or a party
organisation sees their claims and the projects they work on with the next milestone. Each panel
runs at most two queries beyond the user's cached roles, whatever the number of rows.
"""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.bodies.models import MANAGING_ROLES
from govcube.bodies.permissions import body_roles
from govcube.core.desk import DeskItem, Panel, register
from govcube.work.models import Claim, ClaimStatus, Milestone, Project, ProjectStatus
from govcube.work.permissions import contact_enterprises, party_organisations_of

LIMIT = 10
COUNT_CAP = 1000


def _managed_body_ids(user) -> list[int]:
    return sorted(body_id for body_id, roles in body_roles(user).items() if roles & MANAGING_ROLES)


def _count(qs) -> str:
    count = qs.order_by()[: COUNT_CAP + 1].count()
    return f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"


def _project_url(project_id: int) -> str:
    return reverse("work:project_detail", args=[project_id])


def claims_to_approve(user) -> Panel | None:
    body_ids = _managed_body_ids(user)
    if not body_ids:
        return None
    waiting = Claim.objects.filter(project__body_id__in=body_ids, status=ClaimStatus.PENDING)
    rows = list(waiting.select_related("project", "enterprise", "party_organisation").order_by("created", "pk")[:LIMIT])
    items = [
        DeskItem(
            label=f"{claim.project.title} · {claim.claimant}",
            url=_project_url(claim.project_id) + "#claims",
            meta=f"{claim.share}% · {timezone.localtime(claim.created):%Y-%m-%d}",
        )
        for claim in rows
    ]
    return Panel(
        title=_("Claims to approve (%(count)s)") % {"count": _count(waiting)},
        items=items,
        empty=_("No claim is waiting for approval."),
        more_url=reverse("work:project_list") + "?status=open",
        order=30,
    )


def projects_to_verify(user) -> Panel | None:
    body_ids = _managed_body_ids(user)
    if not body_ids:
        return None
    waiting = Project.objects.filter(body_id__in=body_ids, status=ProjectStatus.COMPLETED)
    rows = list(waiting.select_related("body").order_by("completed_at", "pk")[:LIMIT])
    items = [
        DeskItem(
            label=f"{project.title} · {project.body.name}",
            url=_project_url(project.pk),
            meta=_("reported complete %(date)s") % {"date": f"{timezone.localtime(project.completed_at):%Y-%m-%d}"}
            if project.completed_at
            else "",
            tone="warning",
        )
        for project in rows
    ]
    return Panel(
        title=_("Projects to verify (%(count)s)") % {"count": _count(waiting)},
        items=items,
        empty=_("No project is waiting for verification."),
        more_url=reverse("work:project_list") + "?status=completed",
        order=31,
    )


def _claimant_q(user) -> Q | None:
    enterprises, organisations = sorted(contact_enterprises(user)), sorted(party_organisations_of(user))
    if not enterprises and not organisations:
        return None
    q = Q(pk__in=[])
    if enterprises:
        q |= Q(enterprise_id__in=enterprises)
    if organisations:
        q |= Q(party_organisation_id__in=organisations)
    return q


def my_claims(user) -> Panel | None:
    """The claims of the enterprises and party organisations the user speaks for, newest first."""
    q = _claimant_q(user)
    if q is None:
        return None
    rows = list(
        Claim.objects.filter(q)
        .select_related("project", "enterprise", "party_organisation")
        .order_by("-created", "-pk")[:LIMIT]
    )
    items = [
        DeskItem(
            label=f"{claim.project.title} · {claim.share}%",
            url=_project_url(claim.project_id),
            meta=f"{claim.claimant} · {claim.get_status_display()}",
            tone="danger" if claim.status == ClaimStatus.REJECTED else "",
        )
        for claim in rows
    ]
    return Panel(
        title=_("Our claims"),
        items=items,
        empty=_("No claim yet: open projects are listed under project claiming."),
        more_url=reverse("work:index"),
        order=32,
    )


def projects_we_work_on(user) -> Panel | None:
    """Running projects with an approved claim of ours, with the next milestone not yet done."""
    q = _claimant_q(user)
    if q is None:
        return None
    approved = Claim.objects.filter(q, status=ClaimStatus.APPROVED).values("project_id")
    following = Milestone.objects.filter(project=OuterRef("pk"), done_at__isnull=True).order_by("order", "due_on", "pk")
    rows = list(
        Project.objects.filter(pk__in=approved, status=ProjectStatus.IN_PROGRESS)
        .annotate(next_title=Subquery(following.values("title")[:1]), next_due=Subquery(following.values("due_on")[:1]))
        .order_by("due_on", "pk")[:LIMIT]
    )
    items = []
    for project in rows:
        meta = f"{project.progress}%"
        if project.next_title:
            meta += " · " + _("next: %(milestone)s") % {"milestone": project.next_title}
            if project.next_due:
                meta += f" ({project.next_due:%Y-%m-%d})"
        items.append(DeskItem(label=project.title, url=_project_url(project.pk), meta=meta))
    return Panel(
        title=_("Projects we work on"),
        items=items,
        empty=_("No running project with an approved claim of yours."),
        more_url=reverse("work:project_list") + "?status=in_progress",
        order=33,
    )


register("work.claims_to_approve", claims_to_approve)
register("work.projects_to_verify", projects_to_verify)
register("work.my_claims", my_claims)
register("work.projects_we_work_on", projects_we_work_on)
