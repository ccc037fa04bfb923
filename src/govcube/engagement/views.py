"""Pages of building liaison and visits: the street's liaison list, the cadre's phone-first desk,
a visit's page (record, cancel, pass the finding on) and the visit list."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from govcube.accounts.models import RoleAssignment
from govcube.accounts.roles import Role
from govcube.core import access
from govcube.core import errors as domain
from govcube.core.listing import paginate, xlsx_response
from govcube.directory.models import Tenancy
from govcube.engagement import selectors, services
from govcube.engagement.forms import (
    AssignForm,
    CancelForm,
    EndForm,
    HandoverForm,
    PlanForm,
    RecordForm,
    RequestForm,
    TopicForm,
)
from govcube.engagement.models import FollowUp, LiaisonAssignment, Visit, VisitKind, VisitStatus
from govcube.engagement.workflows import VISIT_FLOW
from govcube.territory.models import Node
from govcube.territory.selectors import building_get, building_list

VIEW = "engagement.view_visit"
MANAGE = "engagement.change_liaisonassignment"
MAX_BUILDING_CHOICES = 500
MAX_KEY_BUILDINGS = 20
MAX_PLANNED_ON_DESK = 200
MAX_BODIES = 50
MAX_ITEMS = 300


# ---------------------------------------------------------------------------------------------
# Helpers


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _form_error(form, exc: domain.DomainError) -> int:
    """Show a service's error under its field (or above the form) and answer its status; a refusal is a 403."""
    if isinstance(exc, domain.PermissionDenied):
        raise PermissionDenied(exc.message)
    field = exc.field if exc.field in form.fields and not form.fields[exc.field].widget.is_hidden else None
    form.add_error(field, exc.message)
    return exc.status


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _ancestor_paths(paths) -> set[str]:
    steplen = Node.steplen
    return {path[: steplen * depth] for path in paths for depth in range(1, len(path) // steplen + 1)}


def liaison_cadres(buildings) -> dict[int, tuple]:
    """Users holding the liaison-cadre role at a node covering at least one of these buildings:
    ``{user_id: (user, {building_id, …})}`` (one query, whatever the number of cadres)."""
    buildings = list(buildings)
    by_path = {b.node.path: b.pk for b in buildings}
    if not by_path:
        return {}
    grants = (
        RoleAssignment.objects.active()
        .filter(role=Role.LIAISON_CADRE, node__path__in=sorted(_ancestor_paths(by_path)), user__is_active=True)
        .select_related("user__person", "node")
        .order_by("user__display_name", "user__username", "pk")
    )
    cadres: dict[int, tuple] = {}
    for grant in grants:
        covered = {pk for path, pk in by_path.items() if path.startswith(grant.node.path)}
        user, seen = cadres.setdefault(grant.user_id, (grant.user, set()))
        seen |= covered
    return cadres


def cadre_name(user) -> str:
    """The person's name when the account is linked to one (select ``person`` with the user)."""
    return user.person.name if user.person_id else str(user)


def _cadre_choices(cadres: dict, building_id: int | None = None, exclude: int | None = None) -> list:
    return [
        (pk, cadre_name(user))
        for pk, (user, covered) in cadres.items()
        if pk != exclude and (building_id is None or building_id in covered)
    ]


def _managed_buildings(user):
    return building_list(user=user, permission=MANAGE).select_related("node").order_by("name", "pk")


def _month_start(today: date | None = None) -> date:
    return (today or timezone.localdate()).replace(day=1)


def _link_url(visit: Visit) -> str:
    if visit.link_type == "deliberation.topic":
        return reverse("deliberation:topic_detail", args=[visit.link_id])
    if visit.link_type == "services.servicerequest":
        return reverse("services:request_detail", args=[visit.link_id])
    return ""


# ---------------------------------------------------------------------------------------------
# Liaison (the street)


LIAISON_COLUMNS = [
    (_("Building"), lambda a: a.building.name),
    (_("Liaison cadre"), lambda a: cadre_name(a.cadre)),
    (_("From"), lambda a: a.start),
    (_("To"), lambda a: a.end),
    (_("Visits per month"), lambda a: a.monthly_quota),
    (_("Handed over"), lambda a: a.handed_over),
]


def liaison_search(qs, *, building=None, cadre=None, state: str = ""):
    if building:
        qs = qs.filter(building_id=building)
    if cadre:
        qs = qs.filter(cadre_id=cadre)
    if state == "current":
        qs = qs.filter(pk__in=LiaisonAssignment.objects.active().values("pk"))
    elif state == "past":
        qs = qs.exclude(pk__in=LiaisonAssignment.objects.active().values("pk"))
    return qs


@access.permission(VIEW)
@require_http_methods(["GET"])
def liaison_list(request):
    """Assignments in the street's territory, current and past; the key buildings nobody looks after."""
    user = request.user
    qs = liaison_search(
        selectors.liaison_list(user=user),
        building=_int(request.GET.get("building")),
        cadre=_int(request.GET.get("cadre")),
        state=request.GET.get("state", ""),
    )
    qs = qs.select_related("building", "cadre__person").order_by("building__name", "-start", "pk")
    if request.GET.get("format") == "xlsx" and user.has_perm("core.export_data"):
        return xlsx_response(filename="liaisons", columns=LIAISON_COLUMNS, rows=qs.iterator(chunk_size=1000))
    today = timezone.localdate()
    page = paginate(request, qs)
    active = set(
        LiaisonAssignment.objects.active().filter(pk__in=[a.pk for a in page.rows]).values_list("pk", flat=True)
    )
    for assignment in page.rows:
        assignment.is_current = assignment.pk in active
    buildings = list(
        building_list(user=user, permission=VIEW).select_related("node").order_by("name", "pk")[:MAX_BUILDING_CHOICES]
    )
    context = {
        "page": page,
        "today": today,
        "buildings": buildings,
        "cadres": _cadre_choices(liaison_cadres(buildings)),
        "uncovered": list(
            selectors.key_buildings_without_liaison(user=user).order_by("name", "pk")[:MAX_KEY_BUILDINGS]
        ),
        "can_manage": user.has_perm(MANAGE),
    }
    if _is_htmx(request):
        return render(request, "engagement/liaison_list.html#results", context)
    return render(request, "engagement/liaison_list.html", context)


@access.permission(MANAGE)
@require_http_methods(["GET", "POST"])
def liaison_assign(request):
    """Assign a cadre to a building; choosing the building narrows the cadres to those whose role covers it."""
    user = request.user
    buildings = list(_managed_buildings(user)[:MAX_BUILDING_CHOICES])
    by_pk = {b.pk: b for b in buildings}
    cadres = liaison_cadres(buildings)
    data = request.POST if request.method == "POST" else None
    chosen = _int((data or request.GET).get("building"))
    form = AssignForm(
        data,
        buildings=[(b.pk, b.name) for b in buildings],
        cadres=_cadre_choices(cadres, chosen if chosen in by_pk else None),
        initial={"building": chosen, "monthly_quota": 2},
    )
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            building = by_pk[cd["building"]]
            cadre = cadres.get(cd["cadre"], (None, set()))
            if building.pk not in cadre[1]:
                form.add_error("cadre", gettext("Choose a liaison cadre whose role covers this building."))
            else:
                try:
                    services.liaison_assign(
                        actor=user,
                        building=building,
                        cadre=cadre[0],
                        start=cd["start"],
                        end=cd["end"],
                        monthly_quota=cd["monthly_quota"],
                    )
                except domain.DomainError as exc:
                    status = _form_error(form, exc)
                else:
                    messages.success(request, gettext("The cadre was assigned."))
                    return redirect("engagement:liaison_list")
    context = {"form": form, "title": _("Assign a liaison cadre"), "submit": _("Assign")}
    return render(request, "engagement/liaison_form.html", context, status=status)


def _managed_assignment(request, pk: int) -> LiaisonAssignment:
    """An assignment in the user's territory (else 404); the service checks the permission on its building."""
    return get_object_or_404(
        selectors.liaison_list(user=request.user).select_related("building__node", "cadre__person"), pk=pk
    )


@access.permission(MANAGE)
@require_http_methods(["GET", "POST"])
def liaison_handover(request, pk: int):
    """Hand the building to another cadre: the open planned visits move with it."""
    assignment = _managed_assignment(request, pk)
    building = assignment.building
    cadres = liaison_cadres([building])
    data = request.POST if request.method == "POST" else None
    form = HandoverForm(data, cadres=_cadre_choices(cadres, building.pk, exclude=assignment.cadre_id))
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            try:
                services.liaison_handover(
                    actor=request.user,
                    assignment=assignment,
                    to_cadre=cadres[form.cleaned_data["cadre"]][0],
                    on=form.cleaned_data["on"],
                )
            except domain.DomainError as exc:
                status = _form_error(form, exc)
            else:
                messages.success(request, gettext("The building was handed over."))
                return redirect("engagement:liaison_list")
    context = {
        "form": form,
        "assignment": assignment,
        "title": _("Hand over a building"),
        "submit": _("Hand over"),
    }
    return render(request, "engagement/liaison_form.html", context, status=status)


@access.permission(MANAGE)
@require_http_methods(["GET", "POST"])
def liaison_end(request, pk: int):
    """End an assignment; refused (409) while the cadre has planned visits there."""
    assignment = _managed_assignment(request, pk)
    data = request.POST if request.method == "POST" else None
    form = EndForm(data)
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            try:
                services.liaison_end(actor=request.user, assignment=assignment, end=form.cleaned_data["end"])
            except domain.DomainError as exc:
                status = _form_error(form, exc)
            else:
                messages.success(request, gettext("The assignment was ended."))
                return redirect("engagement:liaison_list")
    context = {"form": form, "assignment": assignment, "title": _("End an assignment"), "submit": _("End")}
    return render(request, "engagement/liaison_form.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# The cadre's desk


def _kind_choices() -> list:
    return [(k.pk, str(k)) for k in VisitKind.objects.filter(is_active=True)]


def _tenant_choices(building_ids) -> dict[int, list]:
    tenants: dict[int, list] = defaultdict(list)
    rows = (
        Tenancy.objects.current()
        .filter(building_id__in=list(building_ids))
        .select_related("enterprise")
        .order_by("enterprise__name", "pk")
    )
    for tenancy in rows:
        pair = (tenancy.enterprise_id, tenancy.enterprise.name)
        if pair not in tenants[tenancy.building_id]:
            tenants[tenancy.building_id].append(pair)
    return tenants


def _plan_form(building_id: int, kinds, tenants, data=None) -> PlanForm:
    return PlanForm(
        data,
        kinds=kinds,
        enterprises=tenants.get(building_id, []),
        auto_id=f"plan{building_id}-%s",
        initial={"planned_for": timezone.localdate()},
    )


@access.login
@require_http_methods(["GET"])
def my_desk(request):
    """The liaison cadre's buildings: visits done this month against the quota, planned visits
    (overdue first), a form to plan one (a fixed number of queries, however many buildings)."""
    user = request.user
    today = timezone.localdate()
    assignments = list(selectors.my_buildings(user=user))
    ids = [a.building_id for a in assignments]
    done = dict(
        Visit.objects.filter(
            cadre=user, building_id__in=ids, status=VisitStatus.DONE, visited_at__date__gte=_month_start(today)
        )
        .order_by()
        .values("building_id")
        .annotate(n=Count("pk"))
        .values_list("building_id", "n")
    )
    planned: dict[int, list] = defaultdict(list)
    for visit in (
        Visit.objects.filter(cadre=user, building_id__in=ids, status=VisitStatus.PLANNED)
        .select_related("kind", "enterprise")
        .order_by("planned_for", "pk")[:MAX_PLANNED_ON_DESK]
    ):
        planned[visit.building_id].append(visit)
    kinds = _kind_choices() if ids else []
    tenants = _tenant_choices(ids) if ids else {}
    rows = [
        {
            "assignment": a,
            "done": done.get(a.building_id, 0),
            "behind": done.get(a.building_id, 0) < a.monthly_quota,
            "planned": planned.get(a.building_id, []),
            "form": _plan_form(a.building_id, kinds, tenants),
        }
        for a in assignments
    ]
    return render(request, "engagement/my_desk.html", {"rows": rows, "today": today})


@access.login
@require_http_methods(["GET", "POST"])
def visit_plan(request, building_pk: int):
    """Plan a visit to one of the cadre's buildings (out of scope: 404; not its liaison: 403)."""
    user = request.user
    building = building_get(user=user, pk=building_pk)
    data = request.POST if request.method == "POST" else None
    form = _plan_form(building.pk, _kind_choices(), _tenant_choices([building.pk]), data)
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            kind = VisitKind.objects.filter(pk=cd["kind"]).first()
            enterprise = None
            if cd["enterprise"]:
                tenancy = (
                    Tenancy.objects.current()
                    .filter(building=building, enterprise_id=cd["enterprise"])
                    .select_related("enterprise")
                    .first()
                )
                enterprise = tenancy.enterprise if tenancy else None
            try:
                visit = services.visit_plan(
                    actor=user,
                    building=building,
                    kind=kind,
                    planned_for=cd["planned_for"],
                    enterprise=enterprise,
                    place=cd["place"],
                )
            except domain.DomainError as exc:
                status = _form_error(form, exc)
            else:
                messages.success(request, gettext("The visit was planned."))
                return redirect("engagement:visit_detail", pk=visit.pk)
    return render(request, "engagement/visit_plan.html", {"form": form, "building": building}, status=status)


# ---------------------------------------------------------------------------------------------
# A visit


def _visit_context(request, visit: Visit, **forms) -> dict:
    user = request.user
    actions = {t.action for t in VISIT_FLOW.available(visit, user)}
    context = {"visit": visit, "actions": actions, "link_url": _link_url(visit), "today": timezone.localdate()}
    if "record" in actions:
        context["record_form"] = forms.get("record") or RecordForm(
            initial={"place": visit.place, "follow_up": FollowUp.NOTE, "version": visit.version}, auto_id="rec-%s"
        )
    if "cancel" in actions:
        context["cancel_form"] = forms.get("cancel") or CancelForm(initial={"version": visit.version}, auto_id="can-%s")
    can_pass_on = visit.status == VisitStatus.DONE and visit.cadre_id == user.pk and not visit.link_type
    if can_pass_on:
        context["topic_form"] = forms.get("topic") or TopicForm(bodies=_body_choices(visit), auto_id="topic-%s")
        if visit.enterprise_id:
            context["request_form"] = forms.get("service_request") or RequestForm(
                items=_item_choices(), auto_id="req-%s"
            )
    context["photos"] = list(visit.photos.order_by("pk")[:20])
    return context


def _body_choices(visit: Visit) -> list:
    from govcube.bodies.models import Body

    return [
        (b.pk, b.name)
        for b in Body.objects.filter(buildings=visit.building_id, is_active=True).order_by("name", "pk")[:MAX_BODIES]
    ]


def _item_choices() -> list:
    from govcube.services.selectors import catalogue

    return [(i.pk, i.name) for i in catalogue()[:MAX_ITEMS]]


def _render_visit(request, visit: Visit, status: int = 200, **forms):
    return render(request, "engagement/visit_detail.html", _visit_context(request, visit, **forms), status=status)


@access.login
@require_http_methods(["GET"])
def visit_detail(request, pk: int):
    return _render_visit(request, selectors.visit_get(user=request.user, pk=pk))


@access.login
@require_POST
def visit_record(request, pk: int):
    visit = selectors.visit_get(user=request.user, pk=pk)
    form = RecordForm(request.POST, request.FILES, auto_id="rec-%s")
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.visit_record(
                actor=request.user,
                visit=visit,
                findings=cd["findings"],
                people=cd["people"],
                place=cd["place"],
                follow_up=cd["follow_up"] or FollowUp.NOTE,
                version=cd["version"],
                photos=cd["photos"],
            )
        except domain.DomainError as exc:
            status = _form_error(form, exc)
        else:
            messages.success(request, gettext("The visit was recorded."))
            return redirect("engagement:visit_detail", pk=visit.pk)
    return _render_visit(request, visit, status, record=form)


@access.login
@require_POST
def visit_cancel(request, pk: int):
    visit = selectors.visit_get(user=request.user, pk=pk)
    form = CancelForm(request.POST, auto_id="can-%s")
    status = 400
    if form.is_valid():
        try:
            services.visit_cancel(
                actor=request.user,
                visit=visit,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except domain.DomainError as exc:
            status = _form_error(form, exc)
        else:
            messages.success(request, gettext("The visit was cancelled."))
            return redirect("engagement:visit_detail", pk=visit.pk)
    return _render_visit(request, visit, status, cancel=form)


@access.login
@require_POST
def visit_topic(request, pk: int):
    """Pass the finding on as a topic to a committee covering the building."""
    from govcube.bodies.models import Body

    visit = selectors.visit_get(user=request.user, pk=pk)
    form = TopicForm(request.POST, bodies=_body_choices(visit), auto_id="topic-%s")
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.visit_finding_to_topic(
                actor=request.user,
                visit=visit,
                body=Body.objects.get(pk=cd["body"]),
                title=cd["title"],
                text=cd["text"],
            )
        except domain.DomainError as exc:
            status = _form_error(form, exc)
        else:
            messages.success(request, gettext("The finding was passed on as a topic."))
            return redirect("engagement:visit_detail", pk=visit.pk)
    return _render_visit(request, visit, status, topic=form)


@access.login
@require_POST
def visit_request(request, pk: int):
    """Pass the finding on as a service request for the visited enterprise."""
    from govcube.services.models import ServiceItem

    visit = selectors.visit_get(user=request.user, pk=pk)
    form = RequestForm(request.POST, items=_item_choices(), auto_id="req-%s")
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.visit_finding_to_request(
                actor=request.user,
                visit=visit,
                item=ServiceItem.objects.get(pk=cd["item"]),
                title=cd["title"],
                description=cd["description"],
            )
        except domain.DomainError as exc:
            status = _form_error(form, exc)
        else:
            messages.success(request, gettext("The finding was passed on as a service request."))
            return redirect("engagement:visit_detail", pk=visit.pk)
    return _render_visit(request, visit, status, service_request=form)


# ---------------------------------------------------------------------------------------------
# The visit list (officials)


VISIT_COLUMNS = [
    (_("Building"), lambda v: v.building.name),
    (_("Kind"), lambda v: str(v.kind)),
    (_("Status"), lambda v: v.get_status_display()),
    (_("Planned for"), lambda v: v.planned_for),
    (_("Visited"), lambda v: timezone.localtime(v.visited_at).replace(tzinfo=None) if v.visited_at else None),
    (_("Liaison cadre"), lambda v: cadre_name(v.cadre)),
    (_("Enterprise"), lambda v: v.enterprise.name if v.enterprise else ""),
    (_("Place"), lambda v: v.place),
    (_("People met"), lambda v: v.people),
    (_("What was found"), lambda v: v.findings),
    (_("Follow-up"), lambda v: v.get_follow_up_display()),
]


def visit_search(qs, *, status: str = "", kind=None, building=None, overdue: bool = False):
    if status in VisitStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind_id=kind)
    if building:
        qs = qs.filter(building_id=building)
    if overdue:
        qs = selectors.overdue_visits(qs)
    return qs


@access.permission(VIEW)
@require_http_methods(["GET"])
def visit_list(request):
    user = request.user
    qs = visit_search(
        selectors.visit_list(user=user),
        status=request.GET.get("status", ""),
        kind=_int(request.GET.get("kind")),
        building=_int(request.GET.get("building")),
        overdue=request.GET.get("overdue") in ("1", "true"),
    )
    qs = qs.select_related("building", "cadre__person", "kind", "enterprise").order_by("-planned_for", "-pk")
    if request.GET.get("format") == "xlsx" and user.has_perm("core.export_data"):
        return xlsx_response(filename="visits", columns=VISIT_COLUMNS, rows=qs.iterator(chunk_size=1000))
    context = {
        "page": paginate(request, qs),
        "today": timezone.localdate(),
        "statuses": VisitStatus.choices,
        "kinds": _kind_choices(),
        "buildings": list(
            building_list(user=user, permission=VIEW)
            .order_by("name", "pk")
            .values_list("pk", "name")[:MAX_BUILDING_CHOICES]
        ),
    }
    if _is_htmx(request):
        return render(request, "engagement/visit_list.html#results", context)
    return render(request, "engagement/visit_list.html", context)
