"""The convener's form to create a project: for one of the bodies they run, prefilled from a passed
decision (``?decision=``) or a need (``?need=``); choose the body's needs, a building it covers,
dates and milestones (one per line). The project is saved as a draft."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from govcube.bodies.models import Body, Mechanism
from govcube.core import access
from govcube.core import errors as domain
from govcube.deliberation.models import Decision, FollowUp, FollowUpKind
from govcube.deliberation.selectors import meeting_list
from govcube.work import selectors, services
from govcube.work.forms import ProjectForm
from govcube.work.models import Need, NeedStatus
from govcube.work.views.common import MAX_BODY_CHOICES, MAX_BUILDING_CHOICES, form_error, int_or_none

MAX_NEED_CHOICES = 100
MAX_DECISION_CHOICES = 50


def _claiming_bodies(user) -> list[Body]:
    bodies = selectors.managed_bodies(user=user).select_related("node").order_by("name", "pk")[:MAX_BODY_CHOICES]
    return [b for b in bodies if b.has(Mechanism.PROJECT_CLAIMING)]


def _visible_decision(user, pk: int) -> Decision:
    visible = meeting_list(user=user).values("pk")
    return get_object_or_404(
        Decision.objects.select_related("item__meeting__body__node"), item__meeting__in=visible, pk=pk
    )


def _prefill(user, request) -> tuple[Body | None, dict]:
    """The body and the initial values a create form starts from (``?decision=``, ``?need=``, ``?body=``)."""
    decision_id, need_id = int_or_none(request.GET.get("decision")), int_or_none(request.GET.get("need"))
    if decision_id is not None:
        decision = _visible_decision(user, decision_id)
        link = FollowUp.objects.filter(decision=decision, kind=FollowUpKind.PROJECT, target_id="").first()
        title = link.description if link else decision.item.title
        initial = {"title": title[:200], "description": decision.text, "decision": decision.pk}
        return decision.item.meeting.body, initial
    if need_id is not None:
        need = selectors.need_get(user=user, pk=need_id)
        initial = {
            "title": need.title,
            "description": need.description,
            "needs": [need.pk],
            "building": need.building_id,
        }
        return need.body, initial
    return None, {}


def _project_form(body: Body, data=None, initial=None) -> ProjectForm:
    initial = initial or {}
    wanted = set(initial.get("needs", []))
    needs = Need.objects.filter(body=body).filter(status=NeedStatus.OPEN) | Need.objects.filter(pk__in=wanted)
    decisions = (
        Decision.objects.filter(item__meeting__body=body, passed=True)
        .select_related("item")
        .order_by("-pk")[:MAX_DECISION_CHOICES]
    )
    return ProjectForm(
        data,
        initial=initial,
        needs=[(n.pk, n.title) for n in needs.order_by("-created", "-pk")[:MAX_NEED_CHOICES]],
        buildings=list(body.buildings.order_by("name", "pk").values_list("pk", "name")[:MAX_BUILDING_CHOICES]),
        decisions=[(d.pk, f"{d.item.title}: {d.text[:60]}") for d in decisions],
    )


@access.login
@require_http_methods(["GET", "POST"])
def project_create(request):
    user = request.user
    body, initial = _prefill(user, request)
    bodies = _claiming_bodies(user)
    chosen = int_or_none(request.GET.get("body"))
    if body is None and chosen is not None:
        body = next((b for b in bodies if b.pk == chosen), None)
        if body is None:
            body = get_object_or_404(selectors.bodies_seen(user=user), pk=chosen)
    elif body is None and len(bodies) == 1:
        body = bodies[0]
    if body is not None and body.pk not in {b.pk for b in bodies}:
        raise PermissionDenied(gettext("Only the body's convener or deputy creates its projects."))
    if body is None:
        if not bodies:
            raise PermissionDenied(gettext("Only the convener or deputy of a body that runs projects creates them."))
        return render(request, "work/choose_body.html", {"bodies": bodies, "title": gettext("New project")})
    data = request.POST if request.method == "POST" else None
    form = _project_form(body, data, initial)
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                project = services.project_create(
                    actor=user,
                    body=body,
                    title=cd["title"],
                    description=cd["description"],
                    what_is_needed=cd["what_is_needed"],
                    building=body.buildings.filter(pk=cd["building"]).first() if cd["building"] else None,
                    needs=list(Need.objects.filter(pk__in=cd["needs"], body=body)),
                    decision=_visible_decision(user, cd["decision"]) if cd["decision"] else None,
                    starts_on=cd["starts_on"],
                    due_on=cd["due_on"],
                    milestones=form.milestone_titles(),
                )
            except domain.DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, gettext("The project was created as a draft: publish it for claiming."))
                return redirect("work:project_detail", pk=project.pk)
    query = request.GET.urlencode()
    return render(request, "work/project_form.html", {"form": form, "body": body, "query": query}, status=status)
