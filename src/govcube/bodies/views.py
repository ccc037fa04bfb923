"""Pages of governance bodies: the list, a body's page, setting one up, its rules and its members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from govcube.accounts.permissions import scope_for
from govcube.bodies import selectors, services
from govcube.bodies.forms import BodyCreateForm, BodyRulesForm, MemberAddForm, MemberEndForm
from govcube.bodies.models import Body, BodyKind, BodyMember, MajorityRule, Mechanism, MemberRole
from govcube.bodies.permissions import is_manager
from govcube.core import access
from govcube.core.errors import Conflict, DomainError
from govcube.core.listing import paginate, xlsx_response
from govcube.directory.selectors import enterprise_list, party_organisation_list, person_list
from govcube.territory.models import Node
from govcube.territory.selectors import building_list, node_list

MANAGE = "bodies.change_body"
MAX_FORMER_MEMBERS = 50
MAX_PARENT_CHOICES = 300


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _get_initial(request) -> dict:
    """What a GET carried (a search, or the territory code), to fill a form again without validating it."""
    initial = {key: value.strip() for key, value in request.GET.items() if key != "buildings"}
    initial.pop("csrfmiddlewaretoken", None)
    if "buildings" in request.GET:
        initial["buildings"] = request.GET.getlist("buildings")
    if "mechanisms" in request.GET:
        initial["mechanisms"] = request.GET.getlist("mechanisms")
    return initial


def _form_error(form, exc: DomainError) -> None:
    """A service's error under its field, or above the form (also for hidden fields such as the version)."""
    field = exc.field if exc.field in form.fields and not form.fields[exc.field].widget.is_hidden else None
    form.add_error(field, exc.message)


def _mechanism_names(body: Body) -> str:
    labels = dict(Mechanism.choices)
    return "、".join(str(labels.get(m, m)) for m in body.mechanisms or [])


BODY_COLUMNS = [
    (_("Name"), lambda b: b.name),
    (_("Kind"), lambda b: b.get_kind_display()),
    (_("Territory"), lambda b: b.node.name if b.node else ""),
    (_("Part of"), lambda b: b.parent.name if b.parent else ""),
    (_("Buildings covered"), lambda b: b.building_count),
    (_("Members"), lambda b: b.member_count),
    (_("Quorum"), lambda b: b.quorum),
    (_("Majority rule"), lambda b: b.get_majority_rule_display()),
    (_("Mechanisms"), _mechanism_names),
    (_("Active"), lambda b: b.is_active),
]


def _with_counts(qs):
    """Buildings covered and current members, as subqueries (no query per row)."""
    members = (
        BodyMember.objects.active()
        .filter(body=OuterRef("pk"))
        .order_by()
        .values("body")
        .annotate(n=Count("pk"))
        .values("n")
    )
    buildings = (
        Body.buildings.through.objects.filter(body_id=OuterRef("pk"))
        .order_by()
        .values("body_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0),
        building_count=Coalesce(Subquery(buildings, output_field=IntegerField()), 0),
    )


def body_search(qs, *, q: str = "", kind: str = "", active: str = ""):
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if kind in BodyKind.values:
        qs = qs.filter(kind=kind)
    if active in ("1", "true"):
        qs = qs.filter(is_active=True)
    return qs


@access.login
@require_http_methods(["GET"])
def body_list(request):
    """Bodies in the user's territory, those they belong to, and those covering the building they work in."""
    qs = body_search(
        selectors.body_list(user=request.user),
        q=request.GET.get("q", "").strip(),
        kind=request.GET.get("kind", ""),
        active=request.GET.get("active", ""),
    )
    qs = _with_counts(qs.select_related("node", "parent")).order_by("name", "pk")
    if request.GET.get("format") == "xlsx" and request.user.has_perm("core.export_data"):
        return xlsx_response(filename="bodies", columns=BODY_COLUMNS, rows=qs.iterator(chunk_size=1000))
    context = {
        "page": paginate(request, qs),
        "kinds": BodyKind.choices,
        "can_create": request.user.has_perm(MANAGE),
    }
    if _is_htmx(request):
        return render(request, "bodies/body_list.html#results", context)
    return render(request, "bodies/body_list.html", context)


def _crumbs(user, node: Node | None) -> list[Node]:
    """The body's place in the territory and the places above it that the user may open (one query)."""
    if node is None:
        return []
    steplen = Node.steplen
    paths = [node.path[: steplen * depth] for depth in range(1, node.depth + 1)]
    return list(node_list(user=user).filter(path__in=paths).order_by("depth"))


def _deliberation_link(name: str, body: Body, fallback: str) -> str:
    """The engine's page for this body; plain paths until those pages are mounted."""
    try:
        return reverse(f"deliberation:{name}", args=[body.pk])
    except NoReverseMatch:
        return f"/deliberation/bodies/{body.pk}/{fallback}/"


def _members_context(request, body: Body) -> dict:
    """Current members grouped by role (in the roles' order), former and upcoming ones, and the links the user
    may follow (a fixed number of queries, however many members)."""
    today = timezone.localdate()
    current = list(selectors.members_of(body).select_related("person__employer").order_by("role", "start", "pk"))
    former = list(
        BodyMember.objects.filter(Q(end__lt=today) | Q(start__gt=today), body=body)
        .select_related("person", "enterprise", "party_organisation")
        .order_by("-end", "pk")[:MAX_FORMER_MEMBERS]
    )
    rows = current + former
    person_ids = sorted({m.person_id for m in rows if m.person_id})
    enterprise_ids = sorted({m.enterprise_id for m in rows if m.enterprise_id})
    org_ids = sorted({m.party_organisation_id for m in rows if m.party_organisation_id})
    user = request.user
    visible = {
        "person": set(person_list(user=user).filter(pk__in=person_ids).values_list("pk", flat=True))
        if person_ids and user.has_perm("directory.view_person")
        else set(),
        "enterprise": set(enterprise_list(user=user).filter(pk__in=enterprise_ids).values_list("pk", flat=True))
        if enterprise_ids and user.has_perm("directory.view_enterprise")
        else set(),
        "party_organisation": set(
            party_organisation_list(user=user).filter(pk__in=org_ids).values_list("pk", flat=True)
        )
        if org_ids and user.has_perm("directory.view_partyorganisation")
        else set(),
    }
    for member in rows:
        member.link = _member_link(member, visible)
    groups = []
    for role, label in MemberRole.choices:
        members = [m for m in current if m.role == role]
        if members:
            groups.append({"role": role, "label": label, "members": members})
    return {
        "body": body,
        "groups": groups,
        "member_total": len(current),
        "former": former,
        "can_manage": user.has_perm(MANAGE, body),
        "today": today,
    }


def _member_link(member: BodyMember, visible: dict) -> str:
    if member.person_id and member.person_id in visible["person"]:
        return reverse("directory:person", args=[member.person_id])
    if member.enterprise_id and member.enterprise_id in visible["enterprise"]:
        return reverse("directory:enterprise", args=[member.enterprise_id])
    if member.party_organisation_id and member.party_organisation_id in visible["party_organisation"]:
        return reverse("directory:party_organisation", args=[member.party_organisation_id])
    return ""


@access.login
@require_http_methods(["GET"])
def body_detail(request, pk: int):
    body = selectors.body_get(user=request.user, pk=pk)
    user = request.user
    buildings = list(body.buildings.order_by("name", "pk"))
    openable = set(
        building_list(user=user).filter(pk__in=[b.pk for b in buildings]).values_list("pk", flat=True)
        if buildings and user.has_perm("territory.view_building")
        else []
    )
    visible_bodies = selectors.body_list(user=user)
    parent_visible = bool(body.parent_id) and visible_bodies.filter(pk=body.parent_id).exists()
    children = list(visible_bodies.filter(parent=body).order_by("name", "pk")[:100])
    context = {
        **_members_context(request, body),
        "crumbs": _crumbs(user, body.node),
        "buildings": [(b, b.pk in openable) for b in buildings],
        "parent_visible": parent_visible,
        "children": children,
        "mechanisms": [(value, label, body.has(value)) for value, label in Mechanism.choices],
        "body_runs": {value: body.has(value) for value in Mechanism.values},
        "runs_body": is_manager(user, body),
        "quorum_percent": int(body.quorum * 100),
        "links": {
            "topics": _deliberation_link("topic_list", body, "topics"),
            "campaigns": _deliberation_link("campaign_list", body, "campaigns"),
            "meetings": _deliberation_link("meeting_list", body, "meetings"),
        },
    }
    if _is_htmx(request):
        return render(request, "bodies/body_detail.html#members", context)
    return render(request, "bodies/body_detail.html", context)


def _managed_parents(user) -> list[Body]:
    scope = scope_for(user, MANAGE)
    if scope.is_empty:
        return []
    return list(Body.objects.filter(scope.territory_q(), is_active=True).order_by("name", "pk")[:MAX_PARENT_CHOICES])


@access.permission(MANAGE)
@require_http_methods(["GET", "POST"])
def body_create(request):
    """Set up a body. Entering the territory code first (or changing it) lists the buildings under it."""
    user = request.user
    parents = _managed_parents(user)
    posted = request.method == "POST"
    initial = {"quorum": "0.50", "majority_rule": MajorityRule.SIMPLE, **_get_initial(request)}
    form = BodyCreateForm(request.POST if posted else None, user=user, parents=parents, initial=initial)
    if _is_htmx(request) and not posted:
        return render(request, "bodies/body_form.html#buildings", {"form": form})
    status = 200
    if posted:
        if form.is_valid():
            data = form.cleaned_data
            try:
                body = services.body_create(
                    actor=user,
                    node=data["node"],
                    name=data["name"],
                    kind=data["kind"],
                    buildings=data["buildings"],
                    parent=data["parent"],
                    description=data["description"],
                    quorum=data["quorum"],
                    majority_rule=data["majority_rule"],
                    mechanisms=data["mechanisms"] or None,
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, gettext("The body was set up."))
                return redirect("bodies:body", pk=body.pk)
        status = 400
    return render(request, "bodies/body_form.html", {"form": form}, status=status)


def _managed_body(request, pk: int) -> Body:
    """A body the user may see (else 404) and manage (else 403)."""
    body = selectors.body_get(user=request.user, pk=pk)
    if not request.user.has_perm(MANAGE, body):
        raise PermissionDenied
    return body


@access.permission(MANAGE)
@require_http_methods(["GET", "POST"])
def body_edit(request, pk: int):
    """Edit the name and the rules: quorum, majority rule, mechanisms. A stale save is refused with 409."""
    body = _managed_body(request, pk)
    initial = {name: getattr(body, name) for name in BodyRulesForm.base_fields}
    form = BodyRulesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.body_update(actor=request.user, body=body, version=version, **data)
            except DomainError as exc:
                _form_error(form, exc)
                status = exc.status if isinstance(exc, Conflict) else 400
            else:
                messages.success(request, gettext("The rules were saved."))
                return redirect("bodies:body", pk=body.pk)
        else:
            status = 400
    return render(request, "bodies/body_edit.html", {"body": body, "form": form}, status=status)


@access.permission(MANAGE)
@require_http_methods(["GET", "POST"])
def member_add(request, pk: int):
    """Add a member; searching by mobile or name lists the matching people (an htmx partial, or a reload)."""
    body = _managed_body(request, pk)
    user = request.user
    if request.method == "POST":
        form = MemberAddForm(request.POST, user=user)
    else:
        # A search (GET) is not a submission: it fills the form again, without errors.
        form = MemberAddForm(user=user, initial=_get_initial(request))
        if _is_htmx(request):
            return render(request, "bodies/member_form.html#matches", {"form": form, "body": body})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.body_member_add(
                    actor=user, body=body, role=data["role"], start=data["start"], end=data["end"], **data["who"]
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, gettext("The member was added."))
                return redirect("bodies:body", pk=body.pk)
        status = 400
    return render(request, "bodies/member_form.html", {"form": form, "body": body}, status=status)


@access.permission(MANAGE)
@require_http_methods(["GET", "POST"])
def member_end(request, pk: int, member_pk: int):
    """End a membership (the row stays, with the last day of its term)."""
    body = _managed_body(request, pk)
    member = get_object_or_404(
        BodyMember.objects.select_related("person", "enterprise", "party_organisation"), body=body, pk=member_pk
    )
    member.body = body
    form = MemberEndForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.body_member_end(actor=request.user, member=member, end=form.cleaned_data["end"])
            except DomainError as exc:
                _form_error(form, exc)
            else:
                if _is_htmx(request):
                    return render(request, "bodies/body_detail.html#members", _members_context(request, body))
                messages.success(request, gettext("The membership was ended."))
                return redirect("bodies:body", pk=body.pk)
        status = 400
    return render(request, "bodies/member_end.html", {"form": form, "body": body, "member": member}, status=status)
