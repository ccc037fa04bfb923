"""The project page with its claims, share bar, milestones, progress with photos, committed resources
and the buttons open to this user; the claim form and the phone-first progress form (the create
form is in ``project_create``)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from govcube.audit.models import AuditEvent
from govcube.core import access
from govcube.core import errors as domain
from govcube.notifications.messages import action_label
from govcube.work import selectors, services
from govcube.work.forms import ActionForm, ClaimForm, CommitForm, MilestoneForm, ProgressForm
from govcube.work.models import (
    COUNTED_CLAIM_STATUSES,
    ClaimStatus,
    ProgressPhoto,
    Project,
    ProjectStatus,
    ResourceStatus,
)
from govcube.work.permissions import is_project_manager, works_on
from govcube.work.views.common import (
    due_at,
    form_error,
    identities,
    identity_kwargs,
    int_or_none,
)
from govcube.work.workflows import CLAIM_FLOW, PROJECT_FLOW

DETAIL = "work/project_detail.html"
MAX_UPDATES = 50
MAX_LINKED = 50
MAX_RESOURCE_CHOICES = 100
HISTORY_LIMIT = 100
CLOSED = (ProjectStatus.VERIFIED, ProjectStatus.CANCELLED)
CLAIMABLE = (ProjectStatus.OPEN, ProjectStatus.IN_PROGRESS)
TIMELINE_LABELS = {
    "work.project.created": _("created as a draft"),
    "work.project.publish": _("published for claiming"),
    "work.claim.submitted": _("claim submitted"),
    "work.claim.approve": _("claim approved"),
    "work.claim.reject": _("claim not approved"),
    "work.claim.withdraw": _("claim withdrawn"),
    "work.project.start": _("project started"),
    "work.milestone.added": _("milestone added"),
    "work.milestone.done": _("milestone ticked off"),
    "work.progress.posted": _("progress reported"),
    "work.project.complete": _("reported complete"),
    "work.project.verify": _("verified"),
    "work.project.send_back": _("sent back"),
    "work.project.cancel": _("cancelled"),
}
ACTION_STYLES = {
    "publish": "primary",
    "start": "primary",
    "complete": "success",
    "verify": "success",
    "send_back": "outline-warning",
    "cancel": "outline-danger",
    "approve": "success",
    "reject": "outline-danger",
    "withdraw": "outline-secondary",
}


# ---------------------------------------------------------------------------------------------
# The project page


def _actions(transitions) -> list[dict]:
    return [
        {
            "name": t.action,
            "label": t.label,
            "style": ACTION_STYLES.get(t.action, "primary"),
            "requires": t.requires[0] if t.requires else "",
        }
        for t in transitions
    ]


def _claims(project: Project, user) -> list:
    """Claims with the buttons this user may use on each (the user's roles are cached: no query per row)."""
    rows = list(project.claims.select_related("enterprise", "party_organisation").order_by("created", "pk"))
    for claim in rows:
        claim.project = project
        claim.actions = _actions(CLAIM_FLOW.available(claim, user))
    return rows


def _updates(project: Project) -> list:
    updates = list(
        project.updates.select_related(
            "milestone", "claim__enterprise", "claim__party_organisation", "posted_by"
        ).order_by("-created", "-pk")[:MAX_UPDATES]
    )
    photos = defaultdict(list)
    for photo in ProgressPhoto.objects.filter(update__in=[u.pk for u in updates]).order_by("pk"):
        photos[photo.update_id].append(photo)
    for update in updates:
        update.photo_list = photos.get(update.pk, [])
    return updates


def _history(project: Project, claims) -> list[dict]:
    """The project's audit events and its claims' decisions, oldest first (one query)."""
    claim_ids = [str(c.pk) for c in claims]
    events = AuditEvent.objects.filter(
        Q(object_type="work.project", object_id=str(project.pk)) | Q(object_type="work.claim", object_id__in=claim_ids)
    ).order_by("id")
    return [
        {
            "when": e.created,
            "action": str(TIMELINE_LABELS.get(e.action) or action_label(e.action.rsplit(".", 1)[-1])),
            "actor": e.actor_name,
        }
        for e in events[:HISTORY_LIMIT]
    ]


def _claimant_options(project: Project, user, claims) -> list[tuple[str, object]]:
    """The identities this user may still claim as (not already holding a counted claim)."""
    if project.status not in CLAIMABLE:
        return []
    taken = {
        f"enterprise:{c.enterprise_id}" if c.enterprise_id else f"party_organisation:{c.party_organisation_id}"
        for c in claims
        if c.status in COUNTED_CLAIM_STATUSES
    }
    return [(key, obj) for key, obj in identities(user) if key not in taken]


def _detail_context(request, project: Project, **extra) -> dict:
    user = request.user
    manages = is_project_manager(user, project)
    works = manages or works_on(user, project)
    claims = _claims(project, user)
    approved = sum(c.share for c in claims if c.status == ClaimStatus.APPROVED)
    pending = sum(c.share for c in claims if c.status == ClaimStatus.PENDING)
    running = project.status == ProjectStatus.IN_PROGRESS
    open_ = project.status not in CLOSED
    milestones = list(project.milestones.all())
    context = {
        "project": project,
        "body": project.body,
        "due": due_at(project.due_on) if project.status in CLAIMABLE else None,
        "actions": _actions(PROJECT_FLOW.available(project, user)),
        "claims": claims,
        "approved_share": approved,
        "pending_share": pending,
        "unclaimed": max(0, 100 - approved - pending),
        "can_claim": bool(_claimant_options(project, user, claims)) and approved + pending < 100,
        "manages": manages,
        "works": works,
        "milestones": milestones,
        "can_tick": works and running,
        "updates": _updates(project),
        "can_post": works and running,
        "needs": list(project.needs.order_by("pk")[:MAX_LINKED]),
        "resources": list(
            project.resources.select_related("enterprise", "party_organisation").order_by("pk")[:MAX_LINKED]
        ),
        "history": _history(project, claims),
        "decision_url": "",
    }
    if project.decision_id:
        context["decision_url"] = reverse("deliberation:meeting_detail", args=[project.decision.item.meeting_id])
    if works and open_:
        context["milestone_form"] = extra.pop("milestone_form", None) or MilestoneForm(auto_id="ms-%s")
    if manages and open_:
        available = (
            selectors.resource_list(user=user)
            .filter(status=ResourceStatus.AVAILABLE)
            .select_related("enterprise", "party_organisation")
            .order_by("-created", "-pk")[:MAX_RESOURCE_CHOICES]
        )
        choices = [(r.pk, f"{r.title} · {r.offerer}") for r in available]
        if choices:
            context["commit_form"] = extra.pop("commit_form", None) or CommitForm(resources=choices, auto_id="rc-%s")
    return context | extra


def _render_detail(request, project: Project, status: int = 200, **extra):
    return render(request, DETAIL, _detail_context(request, project, **extra), status=status)


def _project(request, pk: int) -> Project:
    return selectors.project_get(user=request.user, pk=pk)


@access.login
@require_http_methods(["GET"])
def project_detail(request, pk: int):
    return _render_detail(request, _project(request, pk))


def _action_failed(request, project: Project, exc: domain.DomainError, name: str, claim_id=None):
    """Re-render the page with the refusal: under the reason/outcome field of the button, else above."""
    if exc.status == 403:
        raise PermissionDenied(exc.message) from exc
    posted = {
        "action": name,
        "claim": claim_id,
        "reason": request.POST.get("reason", "")[:2000],
        "outcome": request.POST.get("outcome", "")[:2000],
    }
    if exc.field in ("reason", "outcome"):
        extra = {"action_error": {"action": name, "claim": claim_id, "field": exc.field, "message": exc.message}}
    else:
        extra = {"conflict": exc.message}
    return _render_detail(request, project, exc.status, posted=posted, **extra)


@access.login
@require_POST
def project_action(request, pk: int, action: str):
    if action not in services.PROJECT_ACTIONS:
        raise Http404
    project = _project(request, pk)
    form = ActionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        if not data:
            field, errors = next(iter(form.errors.items()))
            raise domain.DomainError("work.project.action.invalid", errors[0], field=field)
        services.project_action(
            actor=request.user,
            project=project,
            action=action,
            reason=data["reason"],
            outcome=data["outcome"],
            version=data["version"],
        )
    except domain.DomainError as exc:
        return _action_failed(request, project, exc, action)
    transition = PROJECT_FLOW.find(project.status, action)
    messages.success(request, gettext("Done: %(action)s.") % {"action": transition.label if transition else action})
    return redirect("work:project_detail", pk=project.pk)


@access.login
@require_POST
def claim_action(request, pk: int, claim_pk: int, action: str):
    if action not in services.CLAIM_ACTIONS:
        raise Http404
    project = _project(request, pk)
    claim = selectors.claim_get(user=request.user, project=project, pk=claim_pk)
    form = ActionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        if not data:
            field, errors = next(iter(form.errors.items()))
            raise domain.DomainError("work.claim.action.invalid", errors[0], field=field)
        services.claim_action(
            actor=request.user, claim=claim, action=action, reason=data["reason"], version=data["version"]
        )
    except domain.DomainError as exc:
        return _action_failed(request, project, exc, action, claim_id=claim.pk)
    transition = CLAIM_FLOW.find(claim.status, action)
    messages.success(request, gettext("Done: %(action)s.") % {"action": transition.label if transition else action})
    return redirect(reverse("work:project_detail", args=[project.pk]) + "#claims")


# ---------------------------------------------------------------------------------------------
# Claim


@access.login
@require_http_methods(["GET", "POST"])
def claim_create(request, pk: int):
    """Claim a share as one of the enterprises or party organisations the user speaks for."""
    user = request.user
    project = _project(request, pk)
    known = identities(user)
    if not known:
        raise PermissionDenied(
            gettext("Projects are claimed by enterprise contacts and party organisation office holders.")
        )
    claims = list(project.claims.filter(status__in=COUNTED_CLAIM_STATUSES))
    options = _claimant_options(project, user, claims)
    data = request.POST if request.method == "POST" else None
    form = ClaimForm(data, claimants=[(key, str(obj)) for key, obj in (options or known)])
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                services.claim_submit(
                    actor=user,
                    project=project,
                    share=cd["share"],
                    commitment=cd["commitment"],
                    **identity_kwargs(cd["claimant"], known),
                )
            except domain.DomainError as exc:
                if exc.field in ("enterprise", "party_organisation"):
                    exc.field = "claimant"
                status = form_error(form, exc)
            else:
                messages.success(request, gettext("Your claim was sent to the convener for approval."))
                return redirect(reverse("work:project_detail", args=[project.pk]) + "#claims")
    taken = sum(c.share for c in claims)
    context = {
        "form": form,
        "project": project,
        "unclaimed": max(0, 100 - taken),
        "claimable": project.status in CLAIMABLE,
        "already": not options,
    }
    return render(request, "work/claim_form.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Progress, milestones, resources


def _milestone_choices(project: Project) -> list[tuple[int, str]]:
    return [(m.pk, m.title) for m in project.milestones.filter(done_at__isnull=True)]


@access.login
@require_http_methods(["GET", "POST"])
def progress_post(request, pk: int):
    """The phone-first progress form: what was done, the percentage, a milestone reached, photos."""
    user = request.user
    project = _project(request, pk)
    if not works_on(user, project):
        raise PermissionDenied(gettext("Only approved claimants and the convener report progress."))
    data = request.POST if request.method == "POST" else None
    form = ProgressForm(
        data,
        request.FILES if data is not None else None,
        milestones=_milestone_choices(project),
        initial={"progress": project.progress},
    )
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            milestone = project.milestones.filter(pk=cd["milestone"]).first() if cd["milestone"] else None
            try:
                services.progress_post(
                    actor=user,
                    project=project,
                    text=cd["text"],
                    progress=cd["progress"],
                    milestone=milestone,
                    photos=cd["photos"],
                )
            except domain.DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, gettext("Thank you: the progress was posted."))
                return redirect(reverse("work:project_detail", args=[project.pk]) + "#progress")
    context = {"form": form, "project": project, "running": project.status == ProjectStatus.IN_PROGRESS}
    return render(request, "work/progress_form.html", context, status=status)


@access.login
@require_POST
def milestone_add(request, pk: int):
    project = _project(request, pk)
    form = MilestoneForm(request.POST, auto_id="ms-%s")
    status = 400
    if form.is_valid():
        try:
            services.milestone_add(
                actor=request.user,
                project=project,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
            )
        except domain.DomainError as exc:
            status = form_error(form, exc)
        else:
            messages.success(request, gettext("The milestone was added."))
            return redirect(reverse("work:project_detail", args=[project.pk]) + "#milestones")
    return _render_detail(request, project, status, milestone_form=form)


@access.login
@require_POST
def milestone_done(request, pk: int, milestone_pk: int):
    project = _project(request, pk)
    milestone = get_object_or_404(project.milestones.all(), pk=milestone_pk)
    milestone.project = project
    try:
        services.milestone_done(
            actor=request.user, milestone=milestone, version=int_or_none(request.POST.get("version"))
        )
    except domain.PermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except domain.DomainError as exc:
        return _render_detail(request, project, exc.status, conflict=exc.message)
    messages.success(request, gettext("The milestone was ticked off."))
    return redirect(reverse("work:project_detail", args=[project.pk]) + "#milestones")


@access.login
@require_POST
def resource_commit(request, pk: int):
    """The convener takes an offered resource into the project."""
    user = request.user
    project = _project(request, pk)
    visible = selectors.resource_list(user=user).filter(status=ResourceStatus.AVAILABLE)
    choices = [(r.pk, r.title) for r in visible.order_by("-created", "-pk")[:MAX_RESOURCE_CHOICES]]
    form = CommitForm(request.POST, resources=choices, auto_id="rc-%s")
    status = 400
    if form.is_valid():
        resource = selectors.resource_get(user=user, pk=form.cleaned_data["resource"])
        try:
            services.resource_commit(actor=user, resource=resource, project=project)
        except domain.DomainError as exc:
            status = form_error(form, exc)
        else:
            messages.success(request, gettext("The resource was committed to the project."))
            return redirect(reverse("work:project_detail", args=[project.pk]) + "#resources")
    return _render_detail(request, project, status, commit_form=form)
