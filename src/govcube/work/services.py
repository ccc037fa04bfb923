"""Writes of needs, resources, projects, claims, milestones and progress."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.bodies.models import Mechanism
from govcube.bodies.permissions import is_manager, is_member
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.core.files import check_photos
from govcube.core.services import validate
from govcube.core.workflows import transition_apply
from govcube.notifications.services import notify
from govcube.work.models import (
    COUNTED_CLAIM_STATUSES,
    Claim,
    ClaimStatus,
    Milestone,
    Need,
    NeedSource,
    NeedStatus,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ProjectStatus,
    Resource,
    ResourceKind,
    ResourceStatus,
)
from govcube.work.permissions import acts_for, is_project_manager, works_on
from govcube.work.selectors import manager_users, users_acting_for
from govcube.work.workflows import CLAIM_FLOW, PROJECT_FLOW

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_MILESTONES = 30
PROJECT_ACTIONS = ("publish", "start", "complete", "verify", "send_back", "cancel")
CLAIM_ACTIONS = ("approve", "reject", "withdraw")


def _text(value: str, code: str, field: str, *, limit: int = MAX_TEXT, required: str | None = None) -> str:
    value = (value or "").strip()
    if required is not None and not value:
        raise DomainError(f"{code}.{field}.required", required, field=field)
    if len(value) > limit:
        raise DomainError(
            f"{code}.{field}.too_long",
            _("This is too long (%(limit)s characters at most).") % {"limit": f"{limit:,}"},
            field=field,
        )
    return value


def _place(body, building):
    """Scope a row by its building, else by the body's own territory node."""
    if building is not None:
        if not body.buildings.filter(pk=building.pk).exists():
            raise DomainError("work.building.not_covered", _("Choose a building this body covers."), field="building")
        return building
    return body.node


def _scope(row, place) -> None:
    if place is not None:
        row.scope_to(place)


# --- needs ------------------------------------------------------------------------------------


def need_create(
    *, actor, body, title: str, description: str = "", source: str = NeedSource.OTHER, source_obj=None, building=None
) -> Need:
    """Record a need of the body's buildings (from a decision, topic, visit or petition)."""
    if not (is_member(actor, body) or is_manager(actor, body)):
        from govcube.engagement.selectors import is_liaison_for

        if not is_liaison_for(actor, body.buildings.values_list("pk", flat=True)):
            raise PermissionDenied("work.need.create.denied")
    if source not in NeedSource.values:
        raise DomainError("work.need.source.unknown", _("Choose where the need comes from."), field="source")
    title = _text(title, "work.need", "title", limit=MAX_TITLE, required=_("Give the need a title."))
    description = _text(description, "work.need", "description")
    need = Need(
        body=body,
        building=building,
        title=title,
        description=description,
        source=source,
        source_type=source_obj._meta.label_lower if source_obj is not None else "",
        source_id=str(source_obj.pk) if source_obj is not None else "",
        created_by=actor,
    )
    _scope(need, _place(body, building))
    validate(need, "work.need", exclude=["created_by"])
    with transaction.atomic():
        need.save()
        audit_record(actor=actor, action="work.need.created", obj=need, after={"title": title, "source": source})
    return need


def need_set_status(*, actor, need: Need, status: str, version: int | None = None) -> Need:
    if not is_manager(actor, need.body):
        raise PermissionDenied("work.need.status.denied")
    if status not in NeedStatus.values:
        raise DomainError("work.need.status.unknown", _("Choose a status."), field="status")
    from govcube.core.services import versioned_update

    return versioned_update(
        actor=actor, obj=need, version=version, changes={"status": status}, allowed={"status"}, code="work.need"
    )


# --- resources --------------------------------------------------------------------------------


def resource_offer(
    *,
    actor,
    kind: str,
    title: str,
    description: str = "",
    quantity: str = "",
    enterprise=None,
    party_organisation=None,
    body=None,
    available_until: date | None = None,
) -> Resource:
    """An enterprise (its contact) or a party organisation (its office holder) offers a resource."""
    if (enterprise is None) == (party_organisation is None):
        raise DomainError(
            "work.resource.offerer.required",
            _("Offer as one enterprise or one party organisation."),
            field="enterprise",
        )
    if not acts_for(actor, enterprise=enterprise, party_organisation=party_organisation):
        raise PermissionDenied("work.resource.offer.denied")
    if kind not in ResourceKind.values:
        raise DomainError("work.resource.kind.unknown", _("Choose what kind of resource this is."), field="kind")
    if available_until is not None and available_until < timezone.localdate():
        raise DomainError("work.resource.available_until.past", _("This date is in the past."), field="available_until")
    title = _text(title, "work.resource", "title", limit=MAX_TITLE, required=_("Say what you offer."))
    resource = Resource(
        kind=kind,
        title=title,
        description=_text(description, "work.resource", "description"),
        quantity=_text(quantity, "work.resource", "quantity", limit=100),
        enterprise=enterprise,
        party_organisation=party_organisation,
        body=body,
        available_until=available_until,
        offered_by=actor,
    )
    offerer = enterprise or party_organisation
    if offerer.node_id:
        resource.district_id_scope, resource.street_id_scope = offerer.district_id, offerer.street_id
    validate(resource, "work.resource", exclude=["offered_by", "project"])
    with transaction.atomic():
        resource.save()
        audit_record(actor=actor, action="work.resource.offered", obj=resource, after={"kind": kind, "title": title})
        if body is not None:
            notify(recipients=manager_users(body), code="work.resource.offered", obj=resource, params={"object": title})
    return resource


def resource_withdraw(*, actor, resource: Resource) -> Resource:
    if not acts_for(actor, enterprise=resource.enterprise, party_organisation=resource.party_organisation):
        raise PermissionDenied("work.resource.withdraw.denied")
    if resource.status != ResourceStatus.AVAILABLE:
        raise Conflict("work.resource.withdraw.state", _("Only an available resource can be withdrawn."))
    with transaction.atomic():
        Resource.objects.filter(pk=resource.pk).update(status=ResourceStatus.WITHDRAWN, version=resource.version + 1)
        audit_record(actor=actor, action="work.resource.withdrawn", obj=resource)
    resource.refresh_from_db()
    return resource


def resource_commit(*, actor, resource: Resource, project: Project) -> Resource:
    """The project's manager takes an offered resource into the project (matching 资源 to 项目)."""
    if not is_project_manager(actor, project):
        raise PermissionDenied("work.resource.commit.denied")
    if resource.status != ResourceStatus.AVAILABLE:
        raise Conflict("work.resource.commit.state", _("This resource is no longer available."))
    if project.status in (ProjectStatus.VERIFIED, ProjectStatus.CANCELLED):
        raise Conflict("work.resource.commit.project_closed", _("This project is closed."))
    with transaction.atomic():
        Resource.objects.filter(pk=resource.pk).update(
            status=ResourceStatus.COMMITTED, project=project, version=resource.version + 1
        )
        audit_record(actor=actor, action="work.resource.committed", obj=resource, after={"project": project.pk})
        notify(
            recipients=users_acting_for(
                enterprise_id=resource.enterprise_id, party_organisation_id=resource.party_organisation_id
            ),
            code="work.resource.committed",
            obj=project,
            params={"object": project.title},
        )
    resource.refresh_from_db()
    return resource


# --- projects ---------------------------------------------------------------------------------


def project_create(
    *,
    actor,
    body,
    title: str,
    description: str,
    what_is_needed: str = "",
    building=None,
    needs=(),
    decision=None,
    starts_on: date | None = None,
    due_on: date | None = None,
    milestones=(),
) -> Project:
    """The convener drafts a project (from a decision or needs); publishing opens it for claiming."""
    if not is_manager(actor, body):
        raise PermissionDenied("work.project.create.denied")
    if not body.has(Mechanism.PROJECT_CLAIMING):
        raise DomainError("work.project.body.mechanism", _("This body does not run projects."), field="body")
    title = _text(title, "work.project", "title", limit=MAX_TITLE, required=_("Give the project a title."))
    description = _text(description, "work.project", "description", required=_("Describe the project."))
    what_is_needed = _text(what_is_needed, "work.project", "what_is_needed")
    if decision is not None and (decision.item.meeting.body_id != body.pk or decision.passed is not True):
        raise DomainError(
            "work.project.decision.invalid", _("Choose a passed decision of this body."), field="decision"
        )
    needs = list(needs)
    if any(need.body_id != body.pk for need in needs):
        raise DomainError("work.project.needs.other_body", _("Choose needs of this body."), field="needs")
    titles = [_text(t, "work.project", "milestones", limit=MAX_TITLE) for t in milestones]
    titles = [t for t in titles if t]
    if len(titles) > MAX_MILESTONES:
        raise DomainError(
            "work.project.milestones.too_many",
            _("At most %(count)s milestones.") % {"count": MAX_MILESTONES},
            field="milestones",
        )
    project = Project(
        body=body,
        building=building,
        title=title,
        description=description,
        what_is_needed=what_is_needed,
        decision=decision,
        starts_on=starts_on,
        due_on=due_on,
        created_by=actor,
    )
    _scope(project, _place(body, building))
    validate(project, "work.project", exclude=["created_by"])
    with transaction.atomic():
        project.save()
        if needs:
            project.needs.set(needs)
            Need.objects.filter(pk__in=[n.pk for n in needs], status=NeedStatus.OPEN).update(
                status=NeedStatus.IN_PROJECT
            )
        Milestone.objects.bulk_create(
            [Milestone(project=project, title=t, order=i) for i, t in enumerate(titles, start=1)]
        )
        if decision is not None:
            _link_decision(project, decision)
        audit_record(
            actor=actor,
            action="work.project.created",
            obj=project,
            after={"title": title, "needs": [n.pk for n in needs], "decision": getattr(decision, "pk", None)},
        )
    return project


def _link_decision(project: Project, decision) -> None:
    from govcube.deliberation.models import FollowUp, FollowUpKind

    open_link = FollowUp.objects.filter(decision=decision, kind=FollowUpKind.PROJECT, target_id="").first()
    if open_link is not None:
        FollowUp.objects.filter(pk=open_link.pk).update(target_type="work.project", target_id=str(project.pk))
    else:
        FollowUp.objects.create(
            decision=decision,
            kind=FollowUpKind.PROJECT,
            description=project.title[:300],
            target_type="work.project",
            target_id=str(project.pk),
        )


def project_action(
    *, actor, project: Project, action: str, reason: str = "", outcome: str = "", version: int | None = None
) -> Project:
    if action not in PROJECT_ACTIONS:
        raise DomainError(f"work.project.{action}.unknown", _("Unknown action."), status=400)
    reason = _text(reason, "work.project", "reason")
    outcome = _text(outcome, "work.project", "outcome")
    payload = {}
    if action in ("send_back", "cancel"):
        payload["reason"] = reason
    if action == "complete":
        payload["outcome"] = outcome

    def apply(locked, transition, payload):
        now = timezone.now()
        if action == "publish":
            locked.published_at = now
        elif action == "start":
            if not locked.claims.filter(status=ClaimStatus.APPROVED).exists():
                raise Conflict("work.project.start.no_claim", _("Approve at least one claim before starting."))
            locked.starts_on = locked.starts_on or timezone.localdate()
        elif action == "complete":
            locked.completed_at = now
            locked.outcome = outcome
            locked.progress = 100
        elif action == "verify":
            locked.verified_at = now
            locked.needs.filter(status=NeedStatus.IN_PROJECT).update(status=NeedStatus.MET)
        elif action == "send_back":
            locked.completed_at = None
            locked.reason = reason
        elif action == "cancel":
            locked.reason = reason
            locked.needs.filter(status=NeedStatus.IN_PROJECT).update(status=NeedStatus.OPEN)
            locked.claims.filter(status=ClaimStatus.PENDING).update(status=ClaimStatus.WITHDRAWN)

    with transaction.atomic():
        project = transition_apply(
            workflow=PROJECT_FLOW,
            obj=project,
            action=action,
            actor=actor,
            version=version,
            payload=payload,
            apply=apply,
        )
        if action == "cancel":
            project.claimed_share = _recount(project)  # the pending claims were withdrawn with it
        if action == "verify":
            from govcube.evaluation.services import request_ratings

            request_ratings(obj=project, body=project.body, title=project.title)
    return project


# --- claims -----------------------------------------------------------------------------------


def _recount(project: Project) -> int:
    total = project.claims.filter(status__in=COUNTED_CLAIM_STATUSES).aggregate(s=Sum("share"))["s"] or 0
    Project.objects.filter(pk=project.pk).update(claimed_share=total)
    return total


def claim_submit(
    *, actor, project: Project, share: int, commitment: str = "", enterprise=None, party_organisation=None
) -> Claim:
    """An enterprise or a party branch claims a share of an open (or running) project; shares never pass 100%."""
    if (enterprise is None) == (party_organisation is None):
        raise DomainError(
            "work.claim.claimant.required", _("Claim as one enterprise or one party organisation."), field="enterprise"
        )
    if not acts_for(actor, enterprise=enterprise, party_organisation=party_organisation):
        raise PermissionDenied("work.claim.submit.denied")
    if isinstance(share, bool) or not isinstance(share, int) or not 1 <= share <= 100:
        raise DomainError("work.claim.share.range", _("A share is a whole number from 1 to 100."), field="share")
    commitment = _text(commitment, "work.claim", "commitment")
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.status not in (ProjectStatus.OPEN, ProjectStatus.IN_PROGRESS):
            raise Conflict("work.claim.project.not_open", _("This project is not open for claiming."))
        claimed = locked.claims.filter(status__in=COUNTED_CLAIM_STATUSES)
        if claimed.filter(enterprise=enterprise, party_organisation=party_organisation).exists():
            raise Conflict("work.claim.duplicate", _("You have already claimed this project."), field="share")
        taken = claimed.aggregate(s=Sum("share"))["s"] or 0
        if taken + share > 100:
            raise DomainError(
                "work.claim.share.exceeds",
                _("Only %(left)s%% of this project is still unclaimed; the shares cannot exceed 100%%.")
                % {"left": 100 - taken},
                field="share",
            )
        claim = Claim(
            project=locked,
            enterprise=enterprise,
            party_organisation=party_organisation,
            share=share,
            commitment=commitment,
            claimed_by=actor,
        )
        validate(claim, "work.claim", exclude=["claimed_by", "decided_by"])
        claim.save()
        Project.objects.filter(pk=locked.pk).update(claimed_share=taken + share)
        audit_record(
            actor=actor,
            action="work.claim.submitted",
            obj=locked,
            after={"claim": claim.pk, "claimant": str(claim.claimant), "share": share},
        )
        notify(
            recipients=manager_users(locked.body),
            code="work.claim.submitted",
            obj=locked,
            params={"object": locked.title, "claimant": str(claim.claimant), "share": share},
        )
    return claim


def claim_action(*, actor, claim: Claim, action: str, reason: str = "", version: int | None = None) -> Claim:
    if action not in CLAIM_ACTIONS:
        raise DomainError(f"work.claim.{action}.unknown", _("Unknown action."), status=400)
    reason = _text(reason, "work.claim", "reason")

    def apply(locked, transition, payload):
        locked.decided_by = actor if action != "withdraw" else locked.decided_by
        locked.decided_at = timezone.now() if action != "withdraw" else locked.decided_at
        locked.reason = reason
        if action == "withdraw" and locked.project.status not in (ProjectStatus.OPEN, ProjectStatus.IN_PROGRESS):
            raise Conflict("work.claim.withdraw.project_state", _("The project is already completed."))

    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=claim.project_id).first()
        claim = transition_apply(
            workflow=CLAIM_FLOW,
            obj=claim,
            action=action,
            actor=actor,
            version=version,
            payload={"reason": reason} if action in ("reject", "withdraw") else {},
            apply=apply,
        )
        _recount(claim.project)
    return claim


# --- milestones and progress -----------------------------------------------------------------


def milestone_add(*, actor, project: Project, title: str, due_on: date | None = None, claim=None) -> Milestone:
    if not works_on(actor, project):
        raise PermissionDenied("work.milestone.add.denied")
    if project.status in (ProjectStatus.VERIFIED, ProjectStatus.CANCELLED):
        raise Conflict("work.milestone.project_closed", _("This project is closed."))
    if project.milestones.count() >= MAX_MILESTONES:
        raise DomainError(
            "work.milestone.too_many", _("At most %(count)s milestones.") % {"count": MAX_MILESTONES}, field="title"
        )
    if claim is not None and claim.project_id != project.pk:
        raise DomainError("work.milestone.claim.other", _("Choose a claimant of this project."), field="claim")
    title = _text(title, "work.milestone", "title", limit=MAX_TITLE, required=_("Name the milestone."))
    milestone = Milestone(
        project=project, title=title, due_on=due_on, claim=claim, order=project.milestones.count() + 1
    )
    validate(milestone, "work.milestone")
    with transaction.atomic():
        milestone.save()
        audit_record(actor=actor, action="work.milestone.added", obj=project, after={"milestone": title})
    return milestone


def milestone_done(*, actor, milestone: Milestone, version: int | None = None) -> Milestone:
    project = milestone.project
    if not works_on(actor, project):
        raise PermissionDenied("work.milestone.done.denied")
    if project.status != ProjectStatus.IN_PROGRESS:
        raise Conflict("work.milestone.project_not_running", _("Milestones are ticked off while the project runs."))
    from govcube.core.errors import check_version

    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        check_version(locked, version, "work.milestone.stale")
        if locked.done_at is not None:
            raise Conflict("work.milestone.done.already", _("This milestone is already done."))
        locked.done_at = timezone.now()
        locked.version += 1
        locked.save()
        audit_record(actor=actor, action="work.milestone.done", obj=project, after={"milestone": locked.pk})
    return locked


def progress_post(
    *, actor, project: Project, text: str, progress: int | None = None, milestone=None, photos=()
) -> ProgressUpdate:
    """A claimant or the convener reports progress, optionally with a percentage, a milestone done and photos."""
    if not works_on(actor, project):
        raise PermissionDenied("work.progress.denied")
    if project.status != ProjectStatus.IN_PROGRESS:
        raise Conflict("work.progress.project_not_running", _("Progress is reported while the project runs."))
    text = _text(text, "work.progress", "text", required=_("Say what was done."))
    if progress is not None and (isinstance(progress, bool) or not 0 <= int(progress) <= 100):
        raise DomainError(
            "work.progress.progress.range", _("Progress is a percentage from 0 to 100."), field="progress"
        )
    if milestone is not None and milestone.project_id != project.pk:
        raise DomainError("work.progress.milestone.other", _("Choose a milestone of this project."), field="milestone")
    photos = check_photos(photos, code="work.progress.photo")
    from govcube.work.permissions import contact_enterprises, party_organisations_of

    enterprises, organisations = contact_enterprises(actor), party_organisations_of(actor)
    claim = (
        project.claims.filter(status=ClaimStatus.APPROVED).filter(enterprise_id__in=enterprises).first()
        or project.claims.filter(status=ClaimStatus.APPROVED, party_organisation_id__in=organisations).first()
    )
    with transaction.atomic():
        update = ProgressUpdate.objects.create(
            project=project, milestone=milestone, claim=claim, text=text, progress=progress, posted_by=actor
        )
        for upload in photos:
            ProgressPhoto.objects.create(update=update, image=upload)
        if progress is not None:
            Project.objects.filter(pk=project.pk).update(progress=int(progress))
        if milestone is not None and milestone.done_at is None:
            Milestone.objects.filter(pk=milestone.pk).update(done_at=timezone.now(), version=milestone.version + 1)
        audit_record(
            actor=actor,
            action="work.progress.posted",
            obj=project,
            after={"update": update.pk, "progress": progress, "photos": len(photos)},
        )
        recipients = [u for u in manager_users(project.body) if u != actor]
        if recipients:
            notify(recipients=recipients, code="work.progress.posted", obj=project, params={"object": project.title})
    return update
