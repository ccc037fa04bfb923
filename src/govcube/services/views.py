"""Pages of the one-stop service desk.

The enterprise files and follows its requests from a phone (new request, my requests, the
request page with replies, rating and reopening); staff work from a wide screen (the queue,
the request page with the workflow's buttons and the three clocks, the team lead's board);
the catalogue is browsed by everyone and edited by district admins. Thin: selectors read
(out of scope is 404), services write, forms only parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from govcube.accounts.permissions import has_role, scope_for
from govcube.accounts.roles import Role
from govcube.audit.models import AuditEvent
from govcube.core import access
from govcube.core.errors import DomainError
from govcube.core.listing import paginate
from govcube.directory.models import Enterprise, Tenancy
from govcube.directory.selectors import enterprise_list, enterprise_search
from govcube.services import forms as f
from govcube.services import routing, selectors, services
from govcube.services import sla as sla_mod
from govcube.services.models import (
    OPEN_STATUSES,
    Channel,
    Department,
    Domain,
    Extension,
    Rating,
    RequestMessage,
    RequestStatus,
    SatisfactionLevel,
    ServiceRequest,
    SlaPolicy,
)
from govcube.services.permissions import handles, is_dispatcher, is_owner, is_requester_side, is_team_lead
from govcube.services.services import REOPEN_WINDOW
from govcube.services.workflows import REQUEST_FLOW, TRANSFER_REASONS
from govcube.territory.selectors import building_list
from govcube.workdays import calendar as wd

S = RequestStatus
RUNNING = (S.SUBMITTED, S.ASSIGNED, S.IN_PROGRESS)
DONE = (S.RESOLVED, S.CLOSED)
LIST_RELATED = ("enterprise", "building", "item", "department", "owner", "policy")
TIMELINE_LIMIT = 200
BOARD_LIMIT = 50
DUPLICATES_SHOWN = 5
ENTERPRISE_CHOICES = 20
BUILDING_CHOICES = 300
WORKLOAD_DEPARTMENTS = 5

STATUS_STYLES = {
    S.SUBMITTED: "text-bg-secondary",
    S.ASSIGNED: "text-bg-info",
    S.IN_PROGRESS: "text-bg-primary",
    S.WAITING: "text-bg-warning",
    S.RESOLVED: "text-bg-success",
    S.CLOSED: "text-bg-dark",
    S.WITHDRAWN: "text-bg-light border",
    S.MERGED: "text-bg-light border",
}
TONE_STYLES = {
    "ok": "text-bg-success",
    "soon": "text-bg-warning",
    "overdue": "text-bg-danger",
    "paused": "text-bg-secondary",
    "met": "text-bg-light border",
    "late": "text-bg-light border border-danger text-danger",
    "done": "text-bg-light border",
    "none": "text-bg-light border",
}
ACTION_STYLES = {
    "accept": "primary",
    "ask": "outline-primary",
    "resume": "outline-primary",
    "resolve": "success",
    "close": "outline-secondary",
    "transfer": "outline-secondary",
    "merge": "outline-secondary",
    "withdraw": "outline-danger",
    "reopen": "outline-primary",
}
ACTION_FORMS = {
    "accept": f.VersionForm,
    "resume": f.VersionForm,
    "close": f.VersionForm,
    "withdraw": f.VersionForm,
    "ask": f.AskForm,
    "resolve": f.ResolveForm,
    "transfer": f.TransferForm,
    "merge": f.MergeForm,
    "reopen": f.ReopenForm,
}
ACTION_LABELS = {t.action: t.label for t in REQUEST_FLOW.transitions}
# Shown as their own boxes on the page rather than as workflow buttons.
OWN_BOXES = ("assign", "reopen")

TIMELINE_LABELS = {
    "services.request.submitted": _("Request filed"),
    "services.request.assign": _("Assigned"),
    "services.request.accept": pgettext_lazy("service request", "Accepted"),
    "services.request.ask": _("Asked the enterprise; the clock is paused"),
    "services.request.resume": _("The clock runs again"),
    "services.request.resolve": _("Resolved"),
    "services.request.close": _("Closed"),
    "services.request.reopen": _("Reopened"),
    "services.request.transfer": _("Transferred to another department"),
    "services.request.withdraw": _("Withdrawn"),
    "services.request.merge": _("Merged into another request"),
    "services.request.rated": _("Rated"),
}
STAFF_TIMELINE_LABELS = {
    "services.extension.requested": _("Extension requested"),
    "services.extension.decided": _("Extension decided"),
    "services.request.escalated": _("Escalated"),
    "services.rating.reviewed": _("Low rating reviewed"),
}


# --- Display: clocks, time left, badges --------------------------------------------------------


def duration_text(seconds: int) -> str:
    """Working time in words: "2 working days 3 h", "5 working hours", "40 min"."""
    seconds = abs(int(seconds))
    day = max(1, wd.load_calendar().office_hours.day_length // 1_000_000)
    if seconds >= day:
        days, rest = divmod(seconds, day)
        text = ngettext("%(n)s working day", "%(n)s working days", days) % {"n": days}
        hours = rest // 3600
        return text + (" " + gettext("%(n)s h") % {"n": hours} if hours else "")
    if seconds >= 3600:
        hours = seconds // 3600
        return ngettext("%(n)s working hour", "%(n)s working hours", hours) % {"n": hours}
    return gettext("%(n)s min") % {"n": max(1, seconds // 60)}


@dataclass
class Clock:
    name: str
    label: str
    tone: str  # ok / soon / overdue / paused / met / late / done / none
    text: str
    due: datetime | None = None

    @property
    def style(self) -> str:
        return TONE_STYLES.get(self.tone, TONE_STYLES["none"])

    @property
    def desk_tone(self) -> str:
        return {"overdue": "danger", "soon": "warning"}.get(self.tone, "")


def _running(name: str, label: str, due, warn_hours: float, now, paused_at=None) -> Clock:
    left = sla_mod.remaining(due, warn_hours=warn_hours, now=now, paused_at=paused_at)
    if left.tone == "overdue":
        text = gettext("overdue by %(time)s") % {"time": duration_text(left.seconds)}
    else:
        text = gettext("%(time)s left") % {"time": duration_text(left.seconds)}
    if paused_at is not None:
        return Clock(name, label, "paused", gettext("paused · %(left)s") % {"left": text}, due)
    return Clock(name, label, left.tone, text, due)


def _met(name: str, label: str, due, at) -> Clock:
    late = at > due
    when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    text = (gettext("late: %(when)s") if late else gettext("met: %(when)s")) % {"when": when}
    return Clock(name, label, "late" if late else "met", text, due)


def _warn(r: ServiceRequest) -> float:
    return float(r.policy.warn_before_hours)


def resolution_clock(r: ServiceRequest, now=None) -> Clock:
    """The clock lists show: time left to resolve (paused while waiting on the enterprise)."""
    label = gettext("Resolution")
    if r.status in DONE and r.resolved_at:
        return _met("resolution", label, r.resolution_due, r.resolved_at)
    if r.status not in OPEN_STATUSES:
        return Clock("resolution", label, "none", "—", r.resolution_due)
    paused = r.paused_at if r.status == S.WAITING else None
    return _running("resolution", label, r.resolution_due, _warn(r), now or timezone.now(), paused)


def first_response_clock(r: ServiceRequest, now=None) -> Clock:
    label = gettext("First response")
    if r.first_responded_at:
        return _met("first_response", label, r.first_response_due, r.first_responded_at)
    if r.status not in RUNNING:
        return Clock("first_response", label, "none", "—", r.first_response_due)
    return _running("first_response", label, r.first_response_due, _warn(r), now or timezone.now())


def update_clock(r: ServiceRequest, now=None) -> Clock:
    label = gettext("Next update to the enterprise")
    if r.status == S.WAITING:
        return Clock("update", label, "paused", gettext("paused"), r.update_due)
    if r.status == S.IN_PROGRESS and r.update_due:
        return _running("update", label, r.update_due, _warn(r), now or timezone.now())
    return Clock("update", label, "none", "—", r.update_due)


def decorate(rows, now=None) -> list[ServiceRequest]:
    """Attach what a list row shows: the status badge's style and the clocks."""
    now = now or timezone.now()
    for r in rows:
        r.status_style = STATUS_STYLES.get(r.status, "text-bg-light")
        r.clock = resolution_clock(r, now)
        r.first_clock = first_response_clock(r, now) if r.first_responded_at is None else None
    return rows


def overdue_q(now) -> Q:
    """Open requests past a running deadline (a paused request is overdue if it paused after its due moment)."""
    late = Q(resolution_due__lt=now) | Q(first_responded_at__isnull=True, first_response_due__lt=now)
    return Q(late, status__in=RUNNING) | Q(status=S.WAITING, paused_at__gt=F("resolution_due"))


def next_due():
    """The deadline that comes first: the first response while unanswered, else the resolution."""
    return Case(
        When(first_responded_at__isnull=True, then=F("first_response_due")),
        default=F("resolution_due"),
    )


def sla_text(policy) -> str:
    if policy is None:
        return gettext("No service levels yet.")
    hours = f"{policy.first_response_hours.normalize():f}"
    return gettext("First response within %(hours)s working hours, resolved within %(days)s working days") % {
        "hours": hours,
        "days": policy.resolution_days,
    }


# --- Who is who --------------------------------------------------------------------------------


def my_enterprise_ids(user) -> list[int]:
    """The enterprises a user speaks for: as their contact, or as their employee."""
    ids = set(scope_for(user, "directory.view_enterprise").enterprise_ids)
    if user.person_id and user.person.employer_id:
        ids.add(user.person.employer_id)
    return sorted(ids)


def is_service_staff(user) -> bool:
    return has_role(user, Role.SERVICE_MEMBER, Role.SERVICE_LEAD) or bool(selectors.departments_of(user))


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _form_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields and not form.fields[exc.field].widget.is_hidden else None
    form.add_error(field, exc.message)


def _refuse_if_denied(exc: DomainError) -> None:
    if exc.status == 403:
        raise PermissionDenied(exc.message)
    if exc.status == 404:
        raise Http404(exc.message)


# --- Filing a request --------------------------------------------------------------------------


def _filing_enterprises(request, phone: bool):
    """The enterprises this user may file for (phone entry: any enterprise in the staff member's scope)."""
    user = request.user
    if phone:
        if not has_role(user, Role.SERVICE_MEMBER, Role.SERVICE_LEAD):
            raise PermissionDenied
        return enterprise_list(user=user)
    ids = my_enterprise_ids(user)
    if not ids:
        raise PermissionDenied
    return Enterprise.objects.filter(pk__in=ids)


def _pick(params, name: str) -> int | None:
    raw = (params.get(name) or "").strip()
    return int(raw) if raw.isdigit() else None


@access.login
def request_new(request):
    params = request.POST if request.method == "POST" else request.GET
    phone = params.get("channel") == Channel.PHONE
    enterprises = _filing_enterprises(request, phone)
    enterprise_pk = _pick(params, "enterprise")
    enterprise = None
    if enterprise_pk is not None:
        enterprise = enterprises.filter(pk=enterprise_pk).first()
        if enterprise is None:
            raise PermissionDenied
    elif not phone:
        choices = list(enterprises.order_by("name")[:ENTERPRISE_CHOICES])
        if len(choices) == 1:
            enterprise = choices[0]
    context = {"phone": phone, "enterprise": enterprise, "channel": Channel.PHONE if phone else ""}
    if enterprise is None:
        search = f.EnterpriseSearchForm(request.GET or None)
        query = search.cleaned_data["q"].strip() if search.is_valid() else ""
        if phone:
            found = list(enterprise_search(enterprises, q=query).order_by("name")[:ENTERPRISE_CHOICES]) if query else []
        else:
            found = list(enterprises.order_by("name")[:ENTERPRISE_CHOICES])
        return render(request, "services/request_new.html", context | {"search": search, "found": found, "q": query})

    catalogue = selectors.catalogue()
    item_pk = _pick(params, "item")
    item = None
    if item_pk is not None:
        item = get_object_or_404(catalogue.prefetch_related(_policies()), pk=item_pk)
        item.policy = _current(item)
        item.sla = sla_text(item.policy)
    domain = params.get("domain") or (item.domain if item else "")
    if item is None:
        counts = dict(catalogue.order_by().values_list("domain").annotate(n=Count("pk")))
        domains = [{"value": v, "label": label, "count": counts.get(v, 0)} for v, label in Domain.choices]
        items = []
        if domain in counts:
            items = list(catalogue.filter(domain=domain).prefetch_related(_policies()))
            for it in items:
                it.policy = _current(it)
                it.sla = sla_text(it.policy)
        return render(
            request,
            "services/request_new.html",
            context
            | {
                "domains": domains,
                "domain": domain,
                "items": items,
                "domain_label": Domain(domain).label if domain in counts else "",
            },
        )

    buildings = [
        t.building
        for t in Tenancy.objects.current()
        .filter(enterprise=enterprise)
        .select_related("building")
        .order_by("building__name", "pk")
    ]
    buildings = list({b.pk: b for b in buildings}.values())
    context |= {"item": item, "domain": domain, "duplicates": []}
    if request.method != "POST":
        form = f.RequestForm(buildings=buildings)
        return render(request, "services/request_new.html", context | {"form": form})

    posted_building = _pick(request.POST, "building")
    if posted_building is not None and posted_building not in {b.pk for b in buildings}:
        raise PermissionDenied  # a building the enterprise does not rent in
    form = f.RequestForm(request.POST, buildings=buildings)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        building = next(b for b in buildings if b.pk == data["building"])
        duplicates = []
        if not data["confirm"]:
            duplicates = list(
                selectors.possible_duplicates(enterprise=enterprise, item=item, title=data["title"]).select_related(
                    "item"
                )[:DUPLICATES_SHOWN]
            )
        if duplicates:
            decorate(duplicates)
            return render(request, "services/request_new.html", context | {"form": form, "duplicates": duplicates})
        try:
            created = services.request_submit(
                actor=request.user,
                enterprise=enterprise,
                building=building,
                item=item,
                title=data["title"],
                description=data["description"],
                channel=Channel.PHONE if phone else Channel.WEB,
            )
        except DomainError as exc:
            _refuse_if_denied(exc)
            status = exc.status
            _form_error(form, exc)
        else:
            messages.success(request, gettext("Request %(number)s filed.") % {"number": created.number})
            return redirect("services:request_detail", pk=created.pk)
    return render(request, "services/request_new.html", context | {"form": form}, status=status)


def _policies():
    return Prefetch("policies", queryset=SlaPolicy.objects.order_by("-number"), to_attr="policy_versions")


def _current(item):
    versions = getattr(item, "policy_versions", None)
    return versions[0] if versions else None


# --- The enterprise's requests -----------------------------------------------------------------


@access.login
def my_requests(request):
    user = request.user
    ids = my_enterprise_ids(user)
    q = Q(enterprise_id__in=ids) if ids else Q(pk__in=[])
    if user.person_id:
        q |= Q(requester_id=user.person_id)
    qs = selectors.request_list(user=user).filter(q)
    state = request.GET.get("state", "")
    if state == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif state == "done":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    page = paginate(request, qs.select_related(*LIST_RELATED).order_by("-submitted_at", "-pk"))
    decorate(page.rows)
    return render(
        request,
        "services/my_requests.html",
        {"page": page, "state": state, "can_file": bool(ids), "speaks_for": bool(ids or user.person_id)},
    )


# --- The request page --------------------------------------------------------------------------


@dataclass
class TimelineRow:
    when: datetime
    kind: str  # "event" / "message" / "note"
    text: str
    actor: str
    detail: str = ""


def _timeline(r: ServiceRequest, staff: bool) -> list[TimelineRow]:
    from govcube.accounts.models import User

    message_qs = RequestMessage.objects.filter(request=r).select_related("author", "author__person")
    if not staff:
        message_qs = message_qs.filter(internal=False)
    notes = list(message_qs.order_by("created", "pk")[:TIMELINE_LIMIT])
    labels = TIMELINE_LABELS | (STAFF_TIMELINE_LABELS if staff else {})
    events = list(
        AuditEvent.objects.filter(
            object_type=ServiceRequest._meta.label_lower, object_id=str(r.pk), action__in=list(labels)
        ).order_by("id")[:TIMELINE_LIMIT]
    )
    user_ids = {e.actor_id for e in events if e.actor_id}
    user_ids |= {(e.after or {}).get("owner") for e in events if e.action.endswith(".assign")} - {None}
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)} if user_ids else {}
    department_ids = {(e.after or {}).get("department") for e in events if e.action.endswith(".transfer")} - {None}
    departments = (
        dict(Department.objects.filter(pk__in=department_ids).values_list("pk", "short_name")) if department_ids else {}
    )
    rows = [
        TimelineRow(
            when=e.created,
            kind="event",
            text=str(labels[e.action]),
            actor=names.get(e.actor_id, "") if e.actor_id else gettext("automatic routing"),
            detail=_event_detail(e, names, departments),
        )
        for e in events
    ]
    for m in notes:
        author = m.author
        from_enterprise = bool(author and author.person_id and author.person.employer_id == r.enterprise_id)
        rows.append(
            TimelineRow(
                when=m.created,
                kind="note" if m.internal else ("enterprise" if from_enterprise else "message"),
                text=m.text,
                actor=str(author) if author else "",
            )
        )
    rows.sort(key=lambda row: row.when)
    return rows


def _event_detail(event, names, departments) -> str:
    after = event.after or {}
    action = event.action.rsplit(".", 1)[-1]
    if action == "assign" and after.get("owner"):
        return names.get(after["owner"], "")
    if action == "transfer":
        reason = TRANSFER_REASONS.get(after.get("reason", ""), "")
        return " · ".join(str(x) for x in (departments.get(after.get("department"), ""), reason) if x)
    if action == "rated" and after.get("score"):
        return str(SatisfactionLevel(after["score"]).label)
    if action == "requested" and after.get("days"):
        return ngettext("%(n)s working day", "%(n)s working days", after["days"]) % {"n": after["days"]}
    if action == "decided":
        return gettext("approved") if after.get("approved") else gettext("refused")
    return ""


def _detail_context(request, r: ServiceRequest, bound: dict | None = None, **extra) -> dict:
    user = request.user
    bound = bound or {}
    now = timezone.now()
    requester = is_requester_side(user, r)
    staff = handles(user, r) or user.has_perm("services.view_servicerequest")
    transitions = REQUEST_FLOW.available(r, user)
    names = {t.action for t in transitions}
    merge_candidates = None
    if "merge" in names:
        merge_candidates = selectors.possible_duplicates(
            enterprise=r.enterprise, item=r.item, title=r.title, exclude_pk=r.pk
        ).order_by("-submitted_at")
    actions = []
    for t in transitions:
        if t.action in OWN_BOXES or (t.action == "resume" and requester and not staff):
            continue
        form = bound.get(t.action)
        if form is None:
            kwargs = {"candidates": merge_candidates} if t.action == "merge" else {}
            form = ACTION_FORMS[t.action](prefix=t.action, initial={"version": r.version}, **kwargs)
        actions.append(
            {"name": t.action, "label": t.label, "style": ACTION_STYLES.get(t.action, "primary"), "form": form}
        )
    is_open = r.status in OPEN_STATUSES
    rated = r.status in DONE and Rating.objects.filter(request=r, round=r.reopen_count).exists()
    within_window = bool(r.resolved_at) and now - r.resolved_at <= REOPEN_WINDOW
    context = {
        "r": r,
        "status_style": STATUS_STYLES.get(r.status, ""),
        "staff": staff,
        "requester": requester,
        "timeline": _timeline(r, staff),
        "actions": actions,
        "clock": resolution_clock(r, now),
        "clocks": [first_response_clock(r, now), update_clock(r, now), resolution_clock(r, now)] if staff else [],
        "sla": sla_text(r.policy),
        "reply_form": bound.get("reply")
        or (
            f.MessageForm(
                prefix="reply", label=_("Your reply") if requester and not staff else _("Message to the enterprise")
            )
            if is_open and (requester or handles(user, r))
            else None
        ),
        "note_form": bound.get("note")
        or (f.MessageForm(prefix="note", label=_("Internal note")) if is_open and handles(user, r) else None),
        "rate_form": bound.get("rate")
        or (f.RatingForm(prefix="rate") if requester and r.status in DONE and not rated else None),
        "reopen_form": bound.get("reopen")
        or (
            f.ReopenForm(prefix="reopen", initial={"version": r.version})
            if "reopen" in names and within_window
            else None
        ),
        "reopen_closed": "reopen" in names and not within_window,
        "waiting_on_me": requester and r.status == S.WAITING,
        "crumbs": [(reverse("services:queue"), _("My queue"))]
        if staff and is_service_staff(user)
        else [(reverse("services:my_requests"), _("My requests"))]
        if requester
        else [],
    }
    if staff:
        extensions = list(r.extensions.select_related("asked_by", "decided_by").order_by("-created")[:20])
        pending = next((e for e in extensions if e.status == Extension.Status.PENDING), None)
        context |= {
            "extensions": extensions,
            "ratings": list(r.ratings.order_by("round")),
            "duplicates": list(r.duplicates.order_by("submitted_at")[:20]),
            "extension_form": bound.get("extension")
            or (f.ExtensionForm(prefix="extension") if is_open and is_owner(user, r) and pending is None else None),
            "assign_form": bound.get("assign")
            or (
                f.AssignForm(prefix="assign", initial={"version": r.version}, members=_members(r.department))
                if "assign" in names
                else None
            ),
            "escalate_form": bound.get("escalate")
            or (
                f.EscalateForm(prefix="escalate")
                if is_open and (is_team_lead(user) or has_role(user, Role.DISTRICT_LEADER))
                else None
            ),
        }
    return context | extra


def _members(department):
    from govcube.accounts.models import User

    return (
        User.objects.filter(Q(service_departments=department) | Q(coordinated_departments=department), is_active=True)
        .distinct()
        .order_by("username")
    )


def _render_detail(request, r, bound=None, status=200, **extra):
    return render(request, "services/request_detail.html", _detail_context(request, r, bound, **extra), status=status)


@access.login
def request_detail(request, pk: int):
    r = selectors.request_get(user=request.user, pk=pk)
    return _render_detail(request, r)


def _conflict_or_field(request, r, key: str, form, exc: DomainError):
    """A service refused: 403/404 as such, a conflict above the page, a field error under its field."""
    _refuse_if_denied(exc)
    if exc.status == 409:
        r = selectors.request_get(user=request.user, pk=r.pk)
        return _render_detail(request, r, status=409, conflict=exc.message)
    _form_error(form, exc)
    return _render_detail(request, r, {key: form}, status=exc.status)


@access.login
@require_POST
def request_act(request, pk: int, action: str):
    r = selectors.request_get(user=request.user, pk=pk)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    kwargs = {}
    if action == "merge":
        kwargs["candidates"] = selectors.possible_duplicates(
            enterprise=r.enterprise, item=r.item, title=r.title, exclude_pk=r.pk
        )
    form = form_class(request.POST, prefix=action, **kwargs)
    if not form.is_valid():
        return _render_detail(request, r, {action: form}, status=400)
    payload = {k: v for k, v in form.cleaned_data.items() if k != "version" and v not in (None, "")}
    try:
        services.request_action(
            actor=request.user, request=r, action=action, version=form.cleaned_data.get("version"), **payload
        )
    except DomainError as exc:
        return _conflict_or_field(request, r, action, form, exc)
    messages.success(
        request,
        gettext("Done: %(action)s.")
        % {"action": REQUEST_FLOW.find(r.status, action).label if REQUEST_FLOW.find(r.status, action) else action},
    )
    return redirect("services:request_detail", pk=r.pk)


@access.login
@require_POST
def request_message(request, pk: int):
    r = selectors.request_get(user=request.user, pk=pk)
    kind = request.POST.get("kind")
    if kind not in ("reply", "note"):
        raise Http404
    form = f.MessageForm(request.POST, prefix=kind)
    if not form.is_valid():
        return _render_detail(request, r, {kind: form}, status=400)
    try:
        services.message_post(actor=request.user, request=r, text=form.cleaned_data["text"], internal=kind == "note")
    except DomainError as exc:
        return _conflict_or_field(request, r, kind, form, exc)
    messages.success(request, gettext("Note saved.") if kind == "note" else gettext("Message sent."))
    return redirect("services:request_detail", pk=r.pk)


@access.login
@require_POST
def request_rate(request, pk: int):
    r = selectors.request_get(user=request.user, pk=pk)
    form = f.RatingForm(request.POST, prefix="rate")
    if not form.is_valid():
        if not is_requester_side(request.user, r):
            raise PermissionDenied
        return _render_detail(request, r, {"rate": form}, status=400)
    data = form.cleaned_data
    try:
        services.rating_submit(
            actor=request.user, request=r, score=data["score"], solved=data["solved"], comment=data["comment"]
        )
    except DomainError as exc:
        return _conflict_or_field(request, r, "rate", form, exc)
    messages.success(request, gettext("Thank you for your rating."))
    return redirect("services:request_detail", pk=r.pk)


@access.login
@require_POST
def request_extension(request, pk: int):
    r = selectors.request_get(user=request.user, pk=pk)
    form = f.ExtensionForm(request.POST, prefix="extension")
    if not form.is_valid():
        return _render_detail(request, r, {"extension": form}, status=400)
    try:
        services.extension_request(
            actor=request.user, request=r, days=form.cleaned_data["days"], reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        return _conflict_or_field(request, r, "extension", form, exc)
    messages.success(request, gettext("Extension requested; the team lead decides."))
    return redirect("services:request_detail", pk=r.pk)


@access.login
@require_POST
def request_assign(request, pk: int):
    r = selectors.request_get(user=request.user, pk=pk)
    if not is_dispatcher(request.user, r):
        raise PermissionDenied
    form = f.AssignForm(request.POST, prefix="assign", members=_members(r.department))
    if not form.is_valid():
        return _render_detail(request, r, {"assign": form}, status=400)
    try:
        services.request_assign(
            actor=request.user, request=r, owner=form.cleaned_data["owner"], version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        return _conflict_or_field(request, r, "assign", form, exc)
    messages.success(request, gettext("Assigned to %(owner)s.") % {"owner": form.cleaned_data["owner"]})
    return redirect(_next_url(request, reverse("services:request_detail", args=[r.pk])))


@access.login
@require_POST
def request_escalate(request, pk: int):
    r = selectors.request_get(user=request.user, pk=pk)
    form = f.EscalateForm(request.POST, prefix="escalate")
    form.is_valid()
    try:
        services.request_escalate(actor=request.user, request=r, note=form.cleaned_data.get("note", ""))
    except DomainError as exc:
        _refuse_if_denied(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("%(number)s escalated.") % {"number": r.number})
    return redirect(_next_url(request, reverse("services:request_detail", args=[r.pk])))


# --- Staff: the queue --------------------------------------------------------------------------


def _queue_statuses():
    return [("open", _("Open")), *S.choices, ("all", _("All"))]


@access.login
def queue(request):
    user = request.user
    sees_all = user.has_perm("services.view_servicerequest")
    department_ids = selectors.departments_of(user)
    if not department_ids and not sees_all:
        raise PermissionDenied
    departments = list(
        Department.objects.order_by("name") if sees_all else Department.objects.filter(pk__in=department_ids)
    )
    base = selectors.request_list(user=user)
    if not sees_all:
        base = base.filter(department_id__in=department_ids)
    items = list(selectors.catalogue().filter(department__in=departments) if not sees_all else selectors.catalogue())
    buildings = list(building_list(user=user).order_by("name")[:BUILDING_CHOICES])
    filters = f.QueueFilterForm(
        request.GET or None, statuses=_queue_statuses(), departments=departments, items=items, buildings=buildings
    )
    status = filters.value("status") or "open"
    qs = base
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status != "all":
        qs = qs.filter(status=status)
    department = filters.value("department")
    if department:
        qs = qs.filter(department_id=department)
    if filters.value("item"):
        qs = qs.filter(item_id=filters.value("item"))
    if filters.value("building"):
        qs = qs.filter(building_id=filters.value("building"))
    if request.GET.get("mine") == "1":
        qs = qs.filter(owner=user)
    if request.GET.get("unassigned") == "1":
        qs = qs.filter(owner__isnull=True)
    qs = qs.annotate(
        assigned=Case(When(owner__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("assigned", "resolution_due", "pk")
    page = paginate(request, qs.select_related(*LIST_RELATED))
    decorate(page.rows)
    _attach_assign_choices(user, page.rows)
    shown = [d for d in departments if d.pk == department] if department else departments
    workloads = []
    if len(shown) <= WORKLOAD_DEPARTMENTS:
        workloads = [{"department": d, "members": list(routing.workload(d))} for d in shown]
    return render(
        request,
        "services/queue.html",
        {
            "page": page,
            "filters": filters,
            "workloads": workloads,
            "workload_hidden": len(shown) > WORKLOAD_DEPARTMENTS,
            "can_phone": has_role(user, Role.SERVICE_MEMBER, Role.SERVICE_LEAD),
        },
    )


def _attach_assign_choices(user, rows) -> None:
    """Members to assign an unassigned row to, for the rows this user dispatches (one query)."""
    lead = is_team_lead(user)
    wanted = {
        r.department_id for r in rows if r.status == S.SUBMITTED and (lead or r.department.coordinator_id == user.pk)
    }
    members: dict[int, list] = {pk: [] for pk in wanted}
    if wanted:
        through = Department.staff.through
        for link in (
            through.objects.filter(department_id__in=wanted, user__is_active=True)
            .select_related("user")
            .order_by("user__username")
        ):
            members[link.department_id].append(link.user)
    for r in rows:
        r.assign_choices = members.get(r.department_id) if r.status == S.SUBMITTED else None


# --- The team lead's board ---------------------------------------------------------------------


def _board_context(request, **extra) -> dict:
    user = request.user
    now = timezone.now()
    scoped = selectors.request_list(user=user)
    statuses = list(S)
    counts: dict[int, dict[str, int]] = {}
    for department_id, status, n in scoped.order_by().values_list("department_id", "status").annotate(n=Count("pk")):
        counts.setdefault(department_id, {})[status] = n
    departments = Department.objects.filter(pk__in=list(counts)).order_by("name") if counts else []
    by_department = [
        {
            "department": d,
            "counts": [counts[d.pk].get(s, 0) for s in statuses],
            "open": sum(counts[d.pk].get(s, 0) for s in OPEN_STATUSES),
            "total": sum(counts[d.pk].values()),
        }
        for d in departments
    ]
    overdue = decorate(
        list(
            scoped.filter(overdue_q(now)).select_related(*LIST_RELATED).order_by("resolution_due", "pk")[:BOARD_LIMIT]
        ),
        now,
    )
    extensions = list(
        Extension.objects.filter(status=Extension.Status.PENDING, request__in=scoped)
        .select_related("request", "request__department", "request__owner", "asked_by")
        .order_by("created", "pk")[:BOARD_LIMIT]
    )
    ratings = list(
        Rating.objects.filter(review_status="open", request__in=scoped)
        .select_related("request", "request__department", "request__owner")
        .order_by("created", "pk")[:BOARD_LIMIT]
    )
    lead = is_team_lead(user)
    review_errors = extra.pop("review_errors", {})
    for rating in ratings:
        rating.error = review_errors.get(rating.pk, "")
        rating.note_value = extra.get("review_notes", {}).get(rating.pk, "")
    return {
        "statuses": [(s.value, s.label) for s in statuses],
        "by_department": by_department,
        "overdue": overdue,
        "extensions": extensions,
        "ratings": ratings,
        "can_decide": lead,
        "can_escalate": lead or has_role(user, Role.DISTRICT_LEADER),
    } | extra


@access.permission("services.view_servicerequest")
def board(request):
    return render(request, "services/board.html", _board_context(request))


@access.permission("services.view_servicerequest")
@require_POST
def extension_decide(request, pk: int):
    extension = get_object_or_404(
        Extension.objects.filter(request__in=selectors.request_list(user=request.user)).select_related("request"), pk=pk
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        messages.error(request, gettext("Choose to approve or refuse."))
        return redirect("services:board")
    try:
        services.extension_decide(actor=request.user, extension=extension, approve=decision == "approve")
    except DomainError as exc:
        _refuse_if_denied(exc)
        messages.error(request, exc.message)
    else:
        text = gettext("Extension approved.") if decision == "approve" else gettext("Extension refused.")
        messages.success(request, text)
    return redirect(_next_url(request, reverse("services:board")))


@access.permission("services.view_servicerequest")
@require_POST
def rating_review(request, pk: int):
    rating = get_object_or_404(
        Rating.objects.filter(request__in=selectors.request_list(user=request.user)).select_related("request"), pk=pk
    )
    form = f.ReviewForm(request.POST, prefix=f"review-{pk}")
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        services.rating_review(actor=request.user, rating=rating, note=note)
    except DomainError as exc:
        _refuse_if_denied(exc)
        context = _board_context(request, review_errors={rating.pk: exc.message}, review_notes={rating.pk: note})
        return render(request, "services/board.html", context, status=exc.status)
    messages.success(request, gettext("Review recorded."))
    return redirect("services:board")


# --- The catalogue -----------------------------------------------------------------------------


@access.login
def catalogue(request):
    editor = request.user.has_perm("services.change_serviceitem")
    items = list(selectors.catalogue(include_inactive=editor).prefetch_related(_policies()))
    by_domain = {value: [] for value, _label in Domain.choices}
    for item in items:
        item.policy = _current(item)
        item.sla = sla_text(item.policy)
        by_domain.setdefault(item.domain, []).append(item)
    domains = [{"value": v, "label": label, "items": by_domain.get(v, [])} for v, label in Domain.choices]
    user = request.user
    context = {
        "domains": domains,
        "editor": editor,
        "can_file": bool(my_enterprise_ids(user)),
        "is_staff": is_service_staff(user) or user.has_perm("services.view_servicerequest"),
        "perms_board": user.has_perm("services.view_servicerequest"),
    }
    return render(request, "services/catalogue.html", context)


@access.permission("services.change_serviceitem")
def item_create(request):
    form = f.ServiceItemCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.service_item_create(
                    actor=request.user,
                    domain=data["domain"],
                    code=data["code"],
                    name=data["name"],
                    department=data["department"],
                    documents=f.lines(data["documents"]),
                    guide=data["guide"],
                    first_response_hours=data["first_response_hours"],
                    update_hours=data["update_hours"],
                    resolution_days=data["resolution_days"],
                )
            except DomainError as exc:
                _refuse_if_denied(exc)
                status = exc.status
                _form_error(form, exc)
            else:
                messages.success(request, gettext("“%(name)s” added to the catalogue.") % {"name": item.name})
                return redirect(reverse("services:catalogue") + f"#item-{item.pk}")
    return render(request, "services/item_form.html", {"form": form, "heading": _("New service item")}, status=status)


@access.permission("services.change_serviceitem")
def item_edit(request, pk: int):
    item = get_object_or_404(selectors.catalogue(include_inactive=True), pk=pk)
    initial = {
        "version": item.version,
        "name": item.name,
        "documents": "\n".join(item.documents or []),
        "guide": item.guide,
        "is_active": item.is_active,
    }
    form = f.ServiceItemEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.service_item_update(
                    actor=request.user,
                    item=item,
                    version=data["version"],
                    name=data["name"],
                    documents=f.lines(data["documents"]),
                    guide=data["guide"],
                    is_active=data["is_active"],
                )
            except DomainError as exc:
                _refuse_if_denied(exc)
                status = exc.status
                _form_error(form, exc)
            else:
                messages.success(request, gettext("Saved."))
                return redirect(reverse("services:catalogue") + f"#item-{item.pk}")
    return render(
        request,
        "services/item_form.html",
        {"form": form, "item": item, "heading": _("Edit service item")},
        status=status,
    )


@access.permission("services.change_serviceitem")
def item_levels(request, pk: int):
    item = get_object_or_404(selectors.catalogue(include_inactive=True), pk=pk)
    versions = list(item.policies.select_related("created_by").order_by("-number"))
    current = versions[0] if versions else None
    initial = {}
    if current:
        initial = {
            "first_response_hours": current.first_response_hours,
            "update_hours": current.update_hours,
            "resolution_days": current.resolution_days,
        }
    form = f.SlaPolicyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                policy = services.sla_policy_change(actor=request.user, item=item, **form.cleaned_data)
            except DomainError as exc:
                _refuse_if_denied(exc)
                status = exc.status
                _form_error(form, exc)
            else:
                messages.success(
                    request,
                    gettext("Service levels version %(number)s saved; requests already filed keep theirs.")
                    % {"number": policy.number},
                )
                return redirect(reverse("services:catalogue") + f"#item-{item.pk}")
    for v in versions:
        v.sla = sla_text(v)
    return render(
        request,
        "services/item_levels.html",
        {"form": form, "item": item, "versions": versions},
        status=status,
    )
