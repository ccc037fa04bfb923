"""Pages of needs and resources: record a need (body members, liaison cadres), mark it met or close it
(the body's managers); offer a resource (enterprise contacts, party organisation office holders),
withdraw it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from govcube.bodies.models import Body
from govcube.bodies.permissions import body_roles, is_manager
from govcube.core import access
from govcube.core import errors as domain
from govcube.engagement.models import LiaisonAssignment
from govcube.work import selectors, services
from govcube.work.forms import NeedForm, NeedStatusForm, ResourceForm
from govcube.work.models import Need, NeedStatus, Resource, ResourceStatus
from govcube.work.permissions import acts_for
from govcube.work.views.common import (
    MAX_BODY_CHOICES,
    MAX_BUILDING_CHOICES,
    form_error,
    identities,
    identity_kwargs,
    int_or_none,
    source_url,
)

MAX_PROJECTS_OF_NEED = 20


# ---------------------------------------------------------------------------------------------
# Needs


def need_bodies(user):
    """Bodies the user may record needs for: those they belong to or run, and those covering a building
    they look after as its liaison cadre."""
    liaison = LiaisonAssignment.objects.active().filter(cadre=user).values("building_id")
    q = Q(pk__in=sorted(body_roles(user))) | Q(buildings__in=liaison)
    q |= Q(pk__in=selectors.managed_bodies(user=user).values("pk"))
    ids = Body.objects.filter(q, is_active=True).values("pk")
    return Body.objects.filter(pk__in=ids).select_related("node").order_by("name", "pk")


@access.login
@require_http_methods(["GET", "POST"])
def need_create(request):
    user = request.user
    bodies = list(need_bodies(user)[:MAX_BODY_CHOICES])
    if not bodies:
        raise PermissionDenied(gettext("Only members of a body and liaison cadres record needs."))
    chosen = int_or_none(request.GET.get("body"))
    body = next((b for b in bodies if b.pk == chosen), bodies[0] if len(bodies) == 1 else None)
    if body is None:
        return render(request, "work/choose_body.html", {"bodies": bodies, "title": gettext("Record a need")})
    buildings = list(body.buildings.order_by("name", "pk").values_list("pk", "name")[:MAX_BUILDING_CHOICES])
    data = request.POST if request.method == "POST" else None
    form = NeedForm(data, buildings=buildings)
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            building = body.buildings.filter(pk=cd["building"]).first() if cd["building"] else None
            try:
                need = services.need_create(
                    actor=user,
                    body=body,
                    title=cd["title"],
                    description=cd["description"],
                    source=cd["source"],
                    building=building,
                )
            except domain.DomainError as exc:
                status = form_error(form, exc)
            else:
                messages.success(request, gettext("The need was recorded."))
                return redirect("work:need_detail", pk=need.pk)
    return render(request, "work/need_form.html", {"form": form, "body": body}, status=status)


def _need_context(request, need: Need, **extra) -> dict:
    user = request.user
    manages = is_manager(user, need.body)
    projects = list(
        selectors.project_list(user=user)
        .filter(needs=need)
        .select_related("body")
        .order_by("-created", "-pk")[:MAX_PROJECTS_OF_NEED]
    )
    statuses = []
    if manages:
        statuses = [(value, label) for value, label in NeedStatus.choices if value != need.status]
    return {
        "need": need,
        "projects": projects,
        "source_url": source_url(need),
        "manages": manages,
        "statuses": statuses,
        "can_start_project": manages and need.status == NeedStatus.OPEN,
    } | extra


@access.login
@require_http_methods(["GET"])
def need_detail(request, pk: int):
    need = selectors.need_get(user=request.user, pk=pk)
    return render(request, "work/need_detail.html", _need_context(request, need))


@access.login
@require_POST
def need_status(request, pk: int):
    """Mark a need met, close it or open it again (the body's managers)."""
    need = selectors.need_get(user=request.user, pk=pk)
    form = NeedStatusForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.need_set_status(
                actor=request.user, need=need, status=form.cleaned_data["status"], version=form.cleaned_data["version"]
            )
        except domain.DomainError as exc:
            status = form_error(form, exc)
        else:
            messages.success(request, gettext("The need's status was changed."))
            return redirect("work:need_detail", pk=need.pk)
    error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return render(request, "work/need_detail.html", _need_context(request, need, status_error=error), status=status)


# ---------------------------------------------------------------------------------------------
# Resources


def _offer_bodies(user) -> list[tuple[int, str]]:
    return list(
        selectors.bodies_seen(user=user)
        .filter(is_active=True)
        .order_by("name", "pk")
        .values_list("pk", "name")[:MAX_BODY_CHOICES]
    )


@access.login
@require_http_methods(["GET", "POST"])
def resource_offer(request):
    user = request.user
    known = identities(user)
    if not known:
        raise PermissionDenied(
            gettext("Resources are offered by enterprise contacts and party organisation office holders.")
        )
    bodies = _offer_bodies(user)
    data = request.POST if request.method == "POST" else None
    form = ResourceForm(
        data,
        offerers=[(key, str(obj)) for key, obj in known],
        bodies=bodies,
        initial={"body": int_or_none(request.GET.get("body"))},
    )
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            body = Body.objects.filter(pk=cd["body"]).first() if cd["body"] else None
            try:
                resource = services.resource_offer(
                    actor=user,
                    kind=cd["kind"],
                    title=cd["title"],
                    description=cd["description"],
                    quantity=cd["quantity"],
                    body=body,
                    available_until=cd["available_until"],
                    **identity_kwargs(cd["offerer"], known),
                )
            except domain.DomainError as exc:
                if exc.field in ("enterprise", "party_organisation"):
                    exc.field = "offerer"
                status = form_error(form, exc)
            else:
                messages.success(request, gettext("Thank you: the resource was offered."))
                return redirect("work:resource_detail", pk=resource.pk)
    return render(request, "work/resource_form.html", {"form": form}, status=status)


def _resource(request, pk: int) -> Resource:
    return get_object_or_404(
        selectors.resource_list(user=request.user).select_related(
            "enterprise", "party_organisation", "body", "project"
        ),
        pk=pk,
    )


def _resource_context(request, resource: Resource, **extra) -> dict:
    user = request.user
    offers = acts_for(user, enterprise=resource.enterprise, party_organisation=resource.party_organisation)
    project_visible = (
        resource.project_id is not None and selectors.project_list(user=user).filter(pk=resource.project_id).exists()
    )
    return {
        "resource": resource,
        "can_withdraw": offers and resource.status == ResourceStatus.AVAILABLE,
        "project_visible": project_visible,
    } | extra


@access.login
@require_http_methods(["GET"])
def resource_detail(request, pk: int):
    resource = _resource(request, pk)
    return render(request, "work/resource_detail.html", _resource_context(request, resource))


@access.login
@require_POST
def resource_withdraw(request, pk: int):
    resource = _resource(request, pk)
    try:
        services.resource_withdraw(actor=request.user, resource=resource)
    except domain.PermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except domain.DomainError as exc:
        context = _resource_context(request, resource, conflict=exc.message)
        return render(request, "work/resource_detail.html", context, status=exc.status)
    messages.success(request, gettext("The resource was withdrawn."))
    return redirect("work:resource_detail", pk=resource.pk)
