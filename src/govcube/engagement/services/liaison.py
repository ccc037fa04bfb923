"""Writes of building liaison and visits."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.accounts.permissions import has_role
from govcube.accounts.roles import Role
from govcube.audit.services import audit_record
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.core.files import check_photos
from govcube.core.services import require_perm, validate
from govcube.core.workflows import transition_apply
from govcube.engagement.models import FollowUp, LiaisonAssignment, Visit, VisitKind, VisitPhoto, VisitStatus
from govcube.engagement.workflows import VISIT_FLOW
from govcube.notifications.services import notify

PLAN_AHEAD_DAYS = 366


def liaison_assign(
    *, actor, building, cadre, start: date | None = None, end: date | None = None, monthly_quota: int = 2
) -> LiaisonAssignment:
    """The street assigns a cadre (who holds the liaison-cadre role) to a building for a period."""
    require_perm(actor, "engagement.change_liaisonassignment", building)
    if not has_role(cadre, Role.LIAISON_CADRE):
        raise DomainError(
            "engagement.liaison.cadre.no_role", _("This person does not hold the liaison-cadre role."), field="cadre"
        )
    assignment = LiaisonAssignment(
        building=building,
        cadre=cadre,
        start=start or timezone.localdate(),
        end=end,
        monthly_quota=monthly_quota,
        assigned_by=actor,
    )
    assignment.scope_to(building)
    validate(assignment, "engagement.liaison", exclude=["assigned_by"])
    if LiaisonAssignment.objects.active(assignment.start).filter(building=building, cadre=cadre).exists():
        raise DomainError(
            "engagement.liaison.duplicate", _("This cadre already looks after this building."), field="cadre"
        )
    with transaction.atomic():
        assignment.save()
        audit_record(
            actor=actor,
            action="engagement.liaison.assigned",
            obj=assignment,
            after={"building": building.pk, "cadre": cadre.pk, "start": assignment.start, "quota": monthly_quota},
        )
        notify(recipients=[cadre], code="engagement.liaison.assigned", obj=assignment, params={"object": building.name})
    return assignment


def liaison_handover(*, actor, assignment: LiaisonAssignment, to_cadre, on: date | None = None) -> LiaisonAssignment:
    """Hand a building to another cadre: the old assignment ends, the history stays, and every open
    planned visit moves to the new cadre, so no open item is ever left without an owner."""
    require_perm(actor, "engagement.change_liaisonassignment", assignment.building)
    on = on or timezone.localdate()
    if to_cadre.pk == assignment.cadre_id:
        raise DomainError("engagement.liaison.handover.same", _("Hand over to another cadre."), field="cadre")
    if assignment.end is not None and assignment.end < on:
        raise Conflict("engagement.liaison.handover.ended", _("This assignment has already ended."))
    with transaction.atomic():
        successor = liaison_assign(
            actor=actor, building=assignment.building, cadre=to_cadre, start=on, monthly_quota=assignment.monthly_quota
        )
        LiaisonAssignment.objects.filter(pk=assignment.pk).update(
            end=max(on - timedelta(days=1), assignment.start), handed_over=True
        )
        moved = Visit.objects.filter(
            building=assignment.building, cadre_id=assignment.cadre_id, status=VisitStatus.PLANNED
        )
        count = moved.update(cadre=to_cadre)
        audit_record(
            actor=actor,
            action="engagement.liaison.handed_over",
            obj=assignment,
            after={"from": assignment.cadre_id, "to": to_cadre.pk, "visits_moved": count},
        )
    return successor


def liaison_end(*, actor, assignment: LiaisonAssignment, end: date | None = None) -> LiaisonAssignment:
    """End an assignment; refused while the cadre still has open visits there (hand over instead)."""
    require_perm(actor, "engagement.change_liaisonassignment", assignment.building)
    end = end or timezone.localdate()
    if end < assignment.start:
        raise DomainError(
            "engagement.liaison.end.before_start", _("The end date cannot be before the start date."), field="end"
        )
    if Visit.objects.filter(
        building=assignment.building, cadre_id=assignment.cadre_id, status=VisitStatus.PLANNED
    ).exists():
        raise Conflict(
            "engagement.liaison.end.open_visits",
            _("This cadre still has planned visits here: hand the building over instead."),
        )
    with transaction.atomic():
        assignment.end = end
        assignment.save(update_fields=["end", "modified"])
        audit_record(actor=actor, action="engagement.liaison.ended", obj=assignment, after={"end": end})
    return assignment


def _require_liaison(actor, building) -> None:
    if not LiaisonAssignment.objects.active().filter(building=building, cadre=actor).exists():
        raise PermissionDenied(
            "engagement.visit.not_liaison", _("Only the building's liaison cadre can plan and record its visits.")
        )


def visit_plan(*, actor, building, kind: VisitKind, planned_for: date, enterprise=None, place: str = "") -> Visit:
    _require_liaison(actor, building)
    today = timezone.localdate()
    if planned_for < today:
        raise DomainError(
            "engagement.visit.planned_for.past", _("A visit cannot be planned in the past."), field="planned_for"
        )
    if planned_for > today + timedelta(days=PLAN_AHEAD_DAYS):
        raise DomainError(
            "engagement.visit.planned_for.far", _("Plan visits at most a year ahead."), field="planned_for"
        )
    if not kind.is_active:
        raise DomainError("engagement.visit.kind.inactive", _("This kind of visit is no longer used."), field="kind")
    if enterprise is not None and not enterprise.tenancies.current().filter(building=building).exists():
        raise DomainError(
            "engagement.visit.enterprise.not_tenant",
            _("This enterprise is not a tenant of the building."),
            field="enterprise",
        )
    visit = Visit(
        building=building,
        cadre=actor,
        kind=kind,
        planned_for=planned_for,
        enterprise=enterprise,
        place=(place or "").strip(),
    )
    visit.scope_to(building)
    validate(visit, "engagement.visit")
    with transaction.atomic():
        visit.save()
        audit_record(
            actor=actor,
            action="engagement.visit.planned",
            obj=visit,
            after={"kind": kind.code, "planned_for": planned_for},
        )
    return visit


def visit_record(
    *,
    actor,
    visit: Visit,
    findings: str,
    people: str = "",
    place: str = "",
    visited_at=None,
    follow_up: str = FollowUp.NOTE,
    version: int | None = None,
    photos=(),
) -> Visit:
    """Record what was found (with photos); the follow-up says whether it goes on as a topic, a service request
    or a note."""
    findings = (findings or "").strip()
    photos = check_photos(photos, code="engagement.visit.photo")
    if follow_up not in FollowUp.values:
        raise DomainError("engagement.visit.follow_up.unknown", _("Choose a follow-up."), field="follow_up")
    visited_at = visited_at or timezone.now()
    if visited_at > timezone.now() + timedelta(minutes=5):
        raise DomainError(
            "engagement.visit.visited_at.future", _("A visit cannot be recorded in the future."), field="visited_at"
        )

    def apply(locked, transition, payload):
        locked.findings = findings[:5000]
        locked.people = (people or "").strip()[:300]
        locked.place = (place or locked.place).strip()[:200]
        locked.visited_at = visited_at
        locked.follow_up = follow_up
        for upload in photos:
            VisitPhoto.objects.create(visit=locked, image=upload)

    return transition_apply(
        workflow=VISIT_FLOW,
        obj=visit,
        action="record",
        actor=actor,
        version=version,
        payload={"findings": findings[:200], **({"photos": len(photos)} if photos else {})},
        apply=apply,
    )


def visit_cancel(*, actor, visit: Visit, reason: str, version: int | None = None) -> Visit:
    def apply(locked, transition, payload):
        locked.cancel_reason = payload["reason"][:300]

    return transition_apply(
        workflow=VISIT_FLOW,
        obj=visit,
        action="cancel",
        actor=actor,
        version=version,
        payload={"reason": (reason or "").strip()},
        apply=apply,
    )


def _link(visit: Visit, link_type: str, link_id) -> None:
    Visit.objects.filter(pk=visit.pk).update(link_type=link_type, link_id=str(link_id))


def visit_finding_to_topic(*, actor, visit: Visit, body, title: str, text: str = ""):
    """Turn a visit's finding into a topic for a committee covering the building (source: visit)."""
    from govcube.deliberation.models import TopicSource
    from govcube.deliberation.services import topic_submit

    if visit.status != VisitStatus.DONE or visit.cadre_id != actor.pk:
        raise Conflict("engagement.visit.finding.not_recorded", _("Record the visit first."))
    if visit.link_type:
        raise Conflict("engagement.visit.finding.linked", _("This finding has already been passed on."))
    if not body.buildings.filter(pk=visit.building_id).exists():
        raise DomainError("engagement.visit.topic.body", _("Choose a body that covers this building."), field="body")
    with transaction.atomic():
        topic = topic_submit(
            actor=actor,
            body=body,
            title=title,
            text=text or visit.findings,
            source=TopicSource.VISIT,
            proposer=actor.person if actor.person_id else None,
            as_liaison=True,
        )
        _link(visit, "deliberation.topic", topic.pk)
        audit_record(actor=actor, action="engagement.visit.finding_to_topic", obj=visit, after={"topic": topic.pk})
    return topic


def visit_finding_to_request(*, actor, visit: Visit, item, title: str, description: str = ""):
    """Turn a visit's finding into a service request for the visited enterprise (channel: visit)."""
    from govcube.services.models import Channel
    from govcube.services.services import request_submit

    if visit.status != VisitStatus.DONE or visit.cadre_id != actor.pk:
        raise Conflict("engagement.visit.finding.not_recorded", _("Record the visit first."))
    if visit.link_type:
        raise Conflict("engagement.visit.finding.linked", _("This finding has already been passed on."))
    if visit.enterprise_id is None:
        raise DomainError(
            "engagement.visit.request.enterprise",
            _("A service request needs the visited enterprise."),
            field="enterprise",
        )
    with transaction.atomic():
        request = request_submit(
            actor=actor,
            enterprise=visit.enterprise,
            building=visit.building,
            item=item,
            title=title,
            description=description or visit.findings,
            channel=Channel.VISIT,
            as_liaison=True,
        )
        _link(visit, "services.servicerequest", request.pk)
        audit_record(
            actor=actor, action="engagement.visit.finding_to_request", obj=visit, after={"request": request.pk}
        )
    return request


def overdue_visit_sweep(today: date | None = None) -> int:
    """Tell each cadre once about every planned visit whose day has passed (idempotent: the visit is marked)."""
    today = today or timezone.localdate()
    sent = 0
    due = Visit.objects.filter(status=VisitStatus.PLANNED, planned_for__lt=today, overdue_notified_at__isnull=True)
    for pk in list(due.order_by("pk").values_list("pk", flat=True)[:5000]):
        with transaction.atomic():
            marked = Visit.objects.filter(pk=pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=timezone.now()
            )
            if not marked:
                continue  # another sweep got there first
            visit = Visit.objects.select_related("building", "cadre").get(pk=pk)
            notify(
                recipients=[visit.cadre],
                code="engagement.visit.overdue",
                obj=visit,
                params={"object": str(visit), "due": visit.planned_for.isoformat()},
            )
            sent += 1
    return sent
