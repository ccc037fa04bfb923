"""The /api/v1 resources of project claiming: needs, resources, projects, their claims, milestones
and progress.

The same selectors and services as the pages: reads are scoped by ``work.selectors`` (out of scope
is 404), writes go through ``work.services`` (which check the permission and validate). A workflow
action (``POST /projects/{id}/{action}``, ``POST /projects/{id}/claims/{claim_id}/{action}``)
answers the object with the actions now open to the caller. Photos are posted through the page.
"""

from collections import defaultdict
from collections.abc import Callable

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from govcube.bodies.api import api_fields
from govcube.core.api import ERRORS, action_routes, api_login, page_of
from govcube.core.errors import DomainError, NotFound
from govcube.directory.models import Enterprise, PartyOrganisation
from govcube.work import selectors, services
from govcube.work.api_schemas import (
    ClaimIn,
    ClaimOut,
    ClaimPage,
    CommitIn,
    MilestoneIn,
    MilestoneOut,
    NeedFilter,
    NeedIn,
    NeedOut,
    NeedPage,
    PageIn,
    ProgressIn,
    ProgressOut,
    ProgressPage,
    ProjectActionIn,
    ProjectDetail,
    ProjectFilter,
    ProjectIn,
    ProjectPage,
    ResourceFilter,
    ResourceIn,
    ResourceOut,
    ResourcePage,
    VersionIn,
)
from govcube.work.models import (
    Claim,
    Milestone,
    Need,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    Resource,
)
from govcube.work.workflows import CLAIM_FLOW, PROJECT_FLOW

router = Router(tags=["work"])


# ---------------------------------------------------------------------------------------------
# Rows


def _need_row(n: Need) -> dict:
    return {
        "id": n.pk,
        "body_id": n.body_id,
        "body": n.body.name,
        "building_id": n.building_id,
        "title": n.title,
        "description": n.description,
        "source": n.source,
        "status": n.status,
        "created": n.created,
        "version": n.version,
    }


def _resource_row(r: Resource) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "title": r.title,
        "description": r.description,
        "quantity": r.quantity,
        "enterprise_id": r.enterprise_id,
        "party_organisation_id": r.party_organisation_id,
        "offerer": str(r.offerer),
        "body_id": r.body_id,
        "available_until": r.available_until,
        "status": r.status,
        "project_id": r.project_id,
        "created": r.created,
        "version": r.version,
    }


def _project_row(p: Project) -> dict:
    return {
        "id": p.pk,
        "body_id": p.body_id,
        "body": p.body.name,
        "building_id": p.building_id,
        "title": p.title,
        "status": p.status,
        "claimed_share": p.claimed_share,
        "progress": p.progress,
        "starts_on": p.starts_on,
        "due_on": p.due_on,
        "created": p.created,
        "version": p.version,
    }


def _actions(workflow, obj, user) -> list[str]:
    return list(dict.fromkeys(t.action for t in workflow.available(obj, user)))


def _claim_row(c: Claim, user) -> dict:
    return {
        "id": c.pk,
        "project_id": c.project_id,
        "enterprise_id": c.enterprise_id,
        "party_organisation_id": c.party_organisation_id,
        "claimant": str(c.claimant),
        "share": c.share,
        "commitment": c.commitment,
        "status": c.status,
        "reason": c.reason,
        "created": c.created,
        "version": c.version,
        "actions": _actions(CLAIM_FLOW, c, user),
    }


def _milestone_row(m: Milestone) -> dict:
    return {
        "id": m.pk,
        "title": m.title,
        "due_on": m.due_on,
        "done_at": m.done_at,
        "order": m.order,
        "version": m.version,
    }


def _claims_of(project: Project):
    """The project's claims; each claim's ``project`` is this (scoped) project instance, no query per row."""
    return project.claims.select_related("enterprise", "party_organisation").order_by("created", "pk")


def _project_detail(p: Project, user) -> dict:
    return _project_row(p) | {
        "description": p.description,
        "what_is_needed": p.what_is_needed,
        "decision_id": p.decision_id,
        "need_ids": list(p.needs.order_by("pk").values_list("pk", flat=True)),
        "outcome": p.outcome,
        "reason": p.reason,
        "published_at": p.published_at,
        "completed_at": p.completed_at,
        "verified_at": p.verified_at,
        "claims": [_claim_row(c, user) for c in _claims_of(p)],
        "milestones": [_milestone_row(m) for m in p.milestones.all()],
        "actions": _actions(PROJECT_FLOW, p, user),
    }


def _progress_rows(updates: list[ProgressUpdate]) -> list[dict]:
    photos = defaultdict(list)
    for photo in ProgressPhoto.objects.filter(update__in=[u.pk for u in updates]).order_by("pk"):
        photos[photo.update_id].append(photo.image.url)
    return [
        {
            "id": u.pk,
            "text": u.text,
            "progress": u.progress,
            "milestone_id": u.milestone_id,
            "claim_id": u.claim_id,
            "created": u.created,
            "photos": photos.get(u.pk, []),
        }
        for u in updates
    ]


def _project(user, pk: int) -> Project:
    return selectors.project_get(user=user, pk=pk)


def _claimant(payload) -> dict:
    """The enterprise or party organisation named in the payload (the service checks the caller speaks for it)."""
    if payload.enterprise_id is not None and payload.party_organisation_id is not None:
        raise DomainError(
            "work.claimant.both", _("Name one enterprise or one party organisation."), field="enterprise_id"
        )
    if payload.enterprise_id is not None:
        enterprise = Enterprise.objects.filter(pk=payload.enterprise_id).first()
        if enterprise is None:
            raise DomainError("work.claimant.enterprise.unknown", _("Unknown enterprise."), field="enterprise_id")
        return {"enterprise": enterprise}
    if payload.party_organisation_id is not None:
        organisation = PartyOrganisation.objects.filter(pk=payload.party_organisation_id).first()
        if organisation is None:
            raise DomainError(
                "work.claimant.party_organisation.unknown",
                _("Unknown party organisation."),
                field="party_organisation_id",
            )
        return {"party_organisation": organisation}
    return {}


CLAIMANT_FIELDS = {"enterprise": "enterprise_id", "party_organisation": "party_organisation_id"}


# ---------------------------------------------------------------------------------------------
# Needs


@router.get("/needs", response={200: NeedPage, **ERRORS})
@api_login
def list_needs(request, filters: Query[NeedFilter]):
    qs = selectors.need_list(user=request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.body is not None:
        qs = qs.filter(body_id=filters.body)
    if filters.source:
        qs = qs.filter(source=filters.source)
    page = page_of(qs.select_related("body"), limit=filters.limit, cursor=filters.cursor)
    page["items"] = [_need_row(n) for n in page["items"]]
    return page


def _body_and_building(user, body_id: int, building_id: int | None):
    """The body the caller can see (else 404) and, when given, one of the buildings it covers (else 400)."""
    body = get_object_or_404(selectors.bodies_seen(user=user), pk=body_id)
    if building_id is None:
        return body, None
    building = body.buildings.filter(pk=building_id).first()
    if building is None:
        raise DomainError("work.building.not_covered", _("Choose a building this body covers."), field="building_id")
    return body, building


@router.post("/needs", response={201: NeedOut, **ERRORS})
@api_login
def create_need(request, payload: NeedIn):
    user = request.user
    body, building = _body_and_building(user, payload.body_id, payload.building_id)
    with api_fields(body="body_id", building="building_id"):
        need = services.need_create(
            actor=user,
            body=body,
            title=payload.title,
            description=payload.description,
            source=payload.source,
            building=building,
        )
    return Status(201, _need_row(need))


@router.get("/needs/{need_id}", response={200: NeedOut, **ERRORS})
@api_login
def get_need(request, need_id: int):
    return _need_row(selectors.need_get(user=request.user, pk=need_id))


# ---------------------------------------------------------------------------------------------
# Resources


@router.get("/resources", response={200: ResourcePage, **ERRORS})
@api_login
def list_resources(request, filters: Query[ResourceFilter]):
    qs = selectors.resource_list(user=request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.body is not None:
        qs = qs.filter(body_id=filters.body)
    page = page_of(qs.select_related("enterprise", "party_organisation"), limit=filters.limit, cursor=filters.cursor)
    page["items"] = [_resource_row(r) for r in page["items"]]
    return page


@router.post("/resources", response={201: ResourceOut, **ERRORS})
@api_login
def offer_resource(request, payload: ResourceIn):
    user = request.user
    body = None
    if payload.body_id is not None:
        body = selectors.bodies_seen(user=user).filter(pk=payload.body_id).first()
        if body is None:
            raise DomainError("work.resource.body.unknown", _("Choose a body you can see."), field="body_id")
    with api_fields(**CLAIMANT_FIELDS, body="body_id"):
        resource = services.resource_offer(
            actor=user,
            kind=payload.kind,
            title=payload.title,
            description=payload.description,
            quantity=payload.quantity,
            body=body,
            available_until=payload.available_until,
            **_claimant(payload),
        )
    return Status(201, _resource_row(resource))


@router.get("/resources/{resource_id}", response={200: ResourceOut, **ERRORS})
@api_login
def get_resource(request, resource_id: int):
    return _resource_row(selectors.resource_get(user=request.user, pk=resource_id))


@router.post("/resources/{resource_id}/withdraw", response={200: ResourceOut, **ERRORS})
@api_login
def withdraw_resource(request, resource_id: int):
    resource = selectors.resource_get(user=request.user, pk=resource_id)
    resource = services.resource_withdraw(actor=request.user, resource=resource)
    return _resource_row(resource)


# ---------------------------------------------------------------------------------------------
# Projects


@router.get("/projects", response={200: ProjectPage, **ERRORS})
@api_login
def list_projects(request, filters: Query[ProjectFilter]):
    qs = selectors.project_list(user=request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.body is not None:
        qs = qs.filter(body_id=filters.body)
    page = page_of(qs.select_related("body"), limit=filters.limit, cursor=filters.cursor)
    page["items"] = [_project_row(p) for p in page["items"]]
    return page


@router.post("/projects", response={201: ProjectDetail, **ERRORS})
@api_login
def create_project(request, payload: ProjectIn):
    user = request.user
    body, building = _body_and_building(user, payload.body_id, payload.building_id)
    wanted = sorted(set(payload.need_ids))
    needs = list(Need.objects.filter(pk__in=wanted, body=body))
    if len(needs) != len(wanted):
        raise DomainError("work.project.needs.other_body", _("Choose needs of this body."), field="need_ids")
    decision = None
    if payload.decision_id is not None:
        from govcube.deliberation.models import Decision
        from govcube.deliberation.selectors import meeting_list

        decision = (
            Decision.objects.select_related("item__meeting")
            .filter(item__meeting__in=meeting_list(user=user).values("pk"), pk=payload.decision_id)
            .first()
        )
        if decision is None:
            raise DomainError(
                "work.project.decision.invalid", _("Choose a passed decision of this body."), field="decision_id"
            )
    with api_fields(body="body_id", building="building_id", needs="need_ids", decision="decision_id"):
        project = services.project_create(
            actor=user,
            body=body,
            title=payload.title,
            description=payload.description,
            what_is_needed=payload.what_is_needed,
            building=building,
            needs=needs,
            decision=decision,
            starts_on=payload.starts_on,
            due_on=payload.due_on,
            milestones=payload.milestones,
        )
    return Status(201, _project_detail(_project(user, project.pk), user))


@router.get("/projects/{project_id}", response={200: ProjectDetail, **ERRORS})
@api_login
def get_project(request, project_id: int):
    return _project_detail(_project(request.user, project_id), request.user)


def _project_action_view(action: str) -> Callable:
    def view(request, project_id: int, payload: ProjectActionIn | None = None):
        user = request.user
        payload = payload or ProjectActionIn()
        project = _project(user, project_id)
        services.project_action(
            actor=user,
            project=project,
            action=action,
            reason=payload.reason,
            outcome=payload.outcome,
            version=payload.version,
        )
        return _project_detail(_project(user, project_id), user)

    return view


action_routes(
    router,
    path="/projects/{project_id}",
    actions=PROJECT_FLOW.actions,
    make_view=_project_action_view,
    response=ProjectDetail,
    name="project",
    label="Project workflow",
)


# ---------------------------------------------------------------------------------------------
# Claims


@router.get("/projects/{project_id}/claims", response={200: ClaimPage, **ERRORS})
@api_login
def list_claims(request, project_id: int, filters: Query[PageIn]):
    user = request.user
    project = _project(user, project_id)
    page = page_of(_claims_of(project), limit=filters.limit, cursor=filters.cursor)
    page["items"] = [_claim_row(c, user) for c in page["items"]]
    return page


@router.post("/projects/{project_id}/claims", response={201: ClaimOut, **ERRORS})
@api_login
def create_claim(request, project_id: int, payload: ClaimIn):
    user = request.user
    project = _project(user, project_id)
    with api_fields(**CLAIMANT_FIELDS):
        claim = services.claim_submit(
            actor=user, project=project, share=payload.share, commitment=payload.commitment, **_claimant(payload)
        )
    claim = selectors.claim_get(user=user, project=project, pk=claim.pk)
    return Status(201, _claim_row(claim, user))


def _claim_action_view(action: str) -> Callable:
    def view(request, project_id: int, claim_id: int, payload: ProjectActionIn | None = None):
        user = request.user
        payload = payload or ProjectActionIn()
        project = _project(user, project_id)
        claim = selectors.claim_get(user=user, project=project, pk=claim_id)
        services.claim_action(actor=user, claim=claim, action=action, reason=payload.reason, version=payload.version)
        return _claim_row(selectors.claim_get(user=user, project=project, pk=claim_id), user)

    return view


action_routes(
    router,
    path="/projects/{project_id}/claims/{claim_id}",
    actions=CLAIM_FLOW.actions,
    make_view=_claim_action_view,
    response=ClaimOut,
    name="claim",
    label="Claim workflow",
)


# ---------------------------------------------------------------------------------------------
# Milestones, progress, committed resources


@router.post("/projects/{project_id}/milestones", response={201: MilestoneOut, **ERRORS})
@api_login
def add_milestone(request, project_id: int, payload: MilestoneIn):
    project = _project(request.user, project_id)
    milestone = services.milestone_add(actor=request.user, project=project, title=payload.title, due_on=payload.due_on)
    return Status(201, _milestone_row(milestone))


@router.post("/projects/{project_id}/milestones/{milestone_id}/done", response={200: MilestoneOut, **ERRORS})
@api_login
def tick_milestone(request, project_id: int, milestone_id: int, payload: VersionIn | None = None):
    project = _project(request.user, project_id)
    milestone = get_object_or_404(project.milestones.all(), pk=milestone_id)
    milestone.project = project
    milestone = services.milestone_done(
        actor=request.user, milestone=milestone, version=payload.version if payload else None
    )
    return _milestone_row(milestone)


@router.get("/projects/{project_id}/progress", response={200: ProgressPage, **ERRORS})
@api_login
def list_progress(request, project_id: int, filters: Query[PageIn]):
    project = _project(request.user, project_id)
    page = page_of(project.updates.all(), limit=filters.limit, cursor=filters.cursor)
    page["items"] = _progress_rows(page["items"])
    return page


@router.post("/projects/{project_id}/progress", response={201: ProgressOut, **ERRORS})
@api_login
def post_progress(request, project_id: int, payload: ProgressIn):
    project = _project(request.user, project_id)
    milestone = None
    if payload.milestone_id is not None:
        milestone = project.milestones.filter(pk=payload.milestone_id).first()
        if milestone is None:
            raise DomainError(
                "work.progress.milestone.other", _("Choose a milestone of this project."), field="milestone_id"
            )
    with api_fields(milestone="milestone_id"):
        update = services.progress_post(
            actor=request.user, project=project, text=payload.text, progress=payload.progress, milestone=milestone
        )
    return Status(201, _progress_rows([update])[0])


@router.post("/projects/{project_id}/resources", response={200: ResourceOut, **ERRORS})
@api_login
def commit_resource(request, project_id: int, payload: CommitIn):
    user = request.user
    project = _project(user, project_id)
    resource = selectors.resource_list(user=user).filter(pk=payload.resource_id).first()
    if resource is None:
        raise DomainError("work.resource.unknown", _("Choose a resource you can see."), field="resource_id")
    return _resource_row(services.resource_commit(actor=user, resource=resource, project=project))


# ---------------------------------------------------------------------------------------------
# Unknown workflow actions answer a JSON 404 (declared last: the routes above match first).


@router.post("/projects/{project_id}/{action}", response=ERRORS, include_in_schema=False)
@api_login
def unknown_project_action(request, project_id: int, action: str):
    raise NotFound("work.project.action.unknown", _("Unknown action."))


@router.post("/projects/{project_id}/claims/{claim_id}/{action}", response=ERRORS, include_in_schema=False)
@api_login
def unknown_claim_action(request, project_id: int, claim_id: int, action: str):
    raise NotFound("work.claim.action.unknown", _("Unknown action."))
