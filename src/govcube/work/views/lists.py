"""The three lists — 需求清单 · 资源清单 · 项目清单: side by side on one page, and each in full with
filters, pages and an xlsx export. Every list is scoped by ``work.selectors``."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from govcube.accounts.permissions import has_role
from govcube.accounts.roles import Role
from govcube.bodies.permissions import body_roles
from govcube.core import access
from govcube.core.listing import paginate, xlsx_response
from govcube.work import selectors
from govcube.work.models import (
    ACTIVE_PROJECT_STATUSES,
    NeedSource,
    NeedStatus,
    ProjectStatus,
    ResourceKind,
    ResourceStatus,
)
from govcube.work.views.common import MAX_BODY_CHOICES, due_at, identities, int_or_none, is_htmx

COLUMN_SIZE = 8
EXPORT = "core.export_data"


def _body_choices(user) -> list[tuple[int, str]]:
    return list(selectors.bodies_seen(user=user).order_by("name", "pk").values_list("pk", "name")[:MAX_BODY_CHOICES])


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _with_due(projects):
    for project in projects:
        project.due_at = due_at(project.due_on) if project.status in ACTIVE_PROJECT_STATUSES else None
    return projects


def _can_record_needs(user) -> bool:
    return bool(body_roles(user)) or has_role(user, Role.LIAISON_CADRE)


def _runs_projects(user) -> bool:
    return selectors.managed_bodies(user=user).exists()


def _render(request, template: str, context: dict):
    if is_htmx(request):
        return render(request, f"{template}#results", context)
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------
# The three lists side by side


@access.login
@require_http_methods(["GET"])
def index(request):
    user = request.user
    needs = list(
        selectors.need_list(user=user)
        .filter(status=NeedStatus.OPEN)
        .select_related("body", "building")
        .order_by("-created", "-pk")[:COLUMN_SIZE]
    )
    resources = list(
        selectors.resource_list(user=user)
        .filter(status=ResourceStatus.AVAILABLE)
        .select_related("enterprise", "party_organisation")
        .order_by("-created", "-pk")[:COLUMN_SIZE]
    )
    projects = _with_due(
        list(
            selectors.project_list(user=user)
            .exclude(status=ProjectStatus.CANCELLED)
            .select_related("body")
            .order_by("-created", "-pk")[:COLUMN_SIZE]
        )
    )
    context = {
        "needs": needs,
        "resources": resources,
        "projects": projects,
        "can_record_need": _can_record_needs(user),
        "can_offer": bool(identities(user)),
        "can_create_project": _runs_projects(user),
    }
    return render(request, "work/index.html", context)


# ---------------------------------------------------------------------------------------------
# Needs


NEED_COLUMNS = [
    (_("Title"), lambda n: n.title),
    (_("Body"), lambda n: n.body.name),
    (_("Building"), lambda n: n.building.name if n.building else ""),
    (_("Source"), lambda n: n.get_source_display()),
    (_("Status"), lambda n: n.get_status_display()),
    (_("Description"), lambda n: n.description),
    (_("Recorded"), lambda n: _local(n.created)),
]


def need_search(qs, *, status: str = "", body=None, source: str = ""):
    if status in NeedStatus.values:
        qs = qs.filter(status=status)
    if body:
        qs = qs.filter(body_id=body)
    if source in NeedSource.values:
        qs = qs.filter(source=source)
    return qs


@access.login
@require_http_methods(["GET"])
def need_list(request):
    user = request.user
    qs = need_search(
        selectors.need_list(user=user),
        status=request.GET.get("status", ""),
        body=int_or_none(request.GET.get("body")),
        source=request.GET.get("source", ""),
    )
    qs = qs.select_related("body", "building").order_by("-created", "-pk")
    if request.GET.get("format") == "xlsx" and user.has_perm(EXPORT):
        return xlsx_response(filename="needs", columns=NEED_COLUMNS, rows=qs.iterator(chunk_size=1000))
    context = {
        "page": paginate(request, qs),
        "statuses": NeedStatus.choices,
        "sources": NeedSource.choices,
        "bodies": _body_choices(user),
        "can_record_need": _can_record_needs(user),
    }
    return _render(request, "work/need_list.html", context)


# ---------------------------------------------------------------------------------------------
# Resources


RESOURCE_COLUMNS = [
    (_("Title"), lambda r: r.title),
    (_("Kind"), lambda r: r.get_kind_display()),
    (_("How much"), lambda r: r.quantity),
    (_("Offered by"), lambda r: str(r.offerer)),
    (_("Offered to"), lambda r: r.body.name if r.body else ""),
    (_("Status"), lambda r: r.get_status_display()),
    (_("Available until"), lambda r: r.available_until),
    (_("Project"), lambda r: r.project.title if r.project else ""),
    (_("Description"), lambda r: r.description),
    (_("Offered"), lambda r: _local(r.created)),
]


def resource_search(qs, *, status: str = "", body=None, kind: str = ""):
    if status in ResourceStatus.values:
        qs = qs.filter(status=status)
    if body:
        qs = qs.filter(body_id=body)
    if kind in ResourceKind.values:
        qs = qs.filter(kind=kind)
    return qs


@access.login
@require_http_methods(["GET"])
def resource_list(request):
    user = request.user
    qs = resource_search(
        selectors.resource_list(user=user),
        status=request.GET.get("status", ""),
        body=int_or_none(request.GET.get("body")),
        kind=request.GET.get("kind", ""),
    )
    qs = qs.select_related("enterprise", "party_organisation", "body", "project").order_by("-created", "-pk")
    if request.GET.get("format") == "xlsx" and user.has_perm(EXPORT):
        return xlsx_response(filename="resources", columns=RESOURCE_COLUMNS, rows=qs.iterator(chunk_size=1000))
    context = {
        "page": paginate(request, qs),
        "statuses": ResourceStatus.choices,
        "kinds": ResourceKind.choices,
        "bodies": _body_choices(user),
        "can_offer": bool(identities(user)),
    }
    return _render(request, "work/resource_list.html", context)


# ---------------------------------------------------------------------------------------------
# Projects


PROJECT_COLUMNS = [
    (_("Title"), lambda p: p.title),
    (_("Body"), lambda p: p.body.name),
    (_("Building"), lambda p: p.building.name if p.building else ""),
    (_("Status"), lambda p: p.get_status_display()),
    (_("Share claimed (%)"), lambda p: p.claimed_share),
    (_("Progress (%)"), lambda p: p.progress),
    (_("Starts"), lambda p: p.starts_on),
    (_("Due"), lambda p: p.due_on),
    (_("Published"), lambda p: _local(p.published_at)),
    (_("Verified"), lambda p: _local(p.verified_at)),
    (_("What it needs"), lambda p: p.what_is_needed),
    (_("Outcome"), lambda p: p.outcome),
]


def project_search(qs, *, status: str = "", body=None):
    if status in ProjectStatus.values:
        qs = qs.filter(status=status)
    if body:
        qs = qs.filter(body_id=body)
    return qs


@access.login
@require_http_methods(["GET"])
def project_list(request):
    user = request.user
    qs = project_search(
        selectors.project_list(user=user),
        status=request.GET.get("status", ""),
        body=int_or_none(request.GET.get("body")),
    )
    qs = qs.select_related("body", "building").order_by("-created", "-pk")
    if request.GET.get("format") == "xlsx" and user.has_perm(EXPORT):
        return xlsx_response(filename="projects", columns=PROJECT_COLUMNS, rows=qs.iterator(chunk_size=1000))
    page = paginate(request, qs)
    _with_due(page.rows)
    context = {
        "page": page,
        "statuses": ProjectStatus.choices,
        "bodies": _body_choices(user),
        "can_create_project": _runs_projects(user),
    }
    return _render(request, "work/project_list.html", context)
