"""Pages of special petitions (专项提请): the list (officials, committees, departments), the committee's
submit form, a petition's page (departments' cards, timeline, the buttons open to this user) and a
department's inbox.

Thin: ``selectors`` read (out of scope is 404), ``services`` write and decide; a refusal is a 403,
a stale version or a settled petition a 409 shown above the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from govcube.bodies.models import Body, Mechanism
from govcube.bodies.permissions import is_manager, is_recorder
from govcube.bodies.selectors import body_get, body_list
from govcube.core import access
from govcube.core import errors as domain
from govcube.core.listing import paginate, xlsx_response
from govcube.engagement import selectors, services
from govcube.engagement.forms import PetitionForm, PetitionReasonForm, PetitionVersionForm, TargetAnswerForm
from govcube.engagement.models import (
    OPEN_PETITION_STATUSES,
    Escalation,
    Petition,
    PetitionStatus,
    PetitionTarget,
    TargetStatus,
)
from govcube.engagement.services.petitions import REMIND_BEFORE, USER_ACTIONS
from govcube.engagement.views import _form_error, _int, _is_htmx, cadre_name
from govcube.engagement.workflows import PETITION_FLOW, TARGET_FLOW
from govcube.services.models import Department
from govcube.services.permissions import staff_departments
from govcube.workdays import calendar as wd

TARGET_ACTIONS = ("acknowledge", "answer")
MAX_CHOICES = 200
TIMELINE_LIMIT = 200
DETAIL = "engagement/petitions/detail.html"

STATUS_STYLES = {
    PetitionStatus.SUBMITTED: "text-bg-primary",
    PetitionStatus.ANSWERED: "text-bg-info",
    PetitionStatus.CONTESTED: "text-bg-warning",
    PetitionStatus.ACCEPTED: "text-bg-success",
    PetitionStatus.CLOSED: "text-bg-dark",
    PetitionStatus.WITHDRAWN: "text-bg-light border",
}
TARGET_STYLES = {
    TargetStatus.SENT: "text-bg-secondary",
    TargetStatus.ACKNOWLEDGED: "text-bg-primary",
    TargetStatus.ANSWERED: "text-bg-success",
}
ESCALATION_STYLES = {Escalation.STREET: "text-bg-warning", Escalation.DISTRICT: "text-bg-danger"}
TONE_STYLES = {
    "ok": "text-bg-success",
    "soon": "text-bg-warning",
    "overdue": "text-bg-danger",
    "met": "text-bg-light border",
    "late": "text-bg-light border border-danger text-danger",
    "none": "text-bg-light border",
}
ACTION_STYLES = {"accept": "success", "contest": "warning", "close": "outline-danger", "withdraw": "outline-secondary"}
REASON_LABELS = {
    "contest": _("Why the answer does not solve the matter (the departments will read it)"),
    "close": _("Why the matter is closed unresolved"),
    "withdraw": _("Why the petition is withdrawn"),
}
TIMELINE_LABELS = {
    "submitted": _("Sent to the departments"),
    "acknowledged": _("Acknowledged"),
    "answered": _("Answered"),
    "all_answered": _("Every department has answered"),
    "accept": _("The committee accepted the answer"),
    "contest": _("The committee contested the answer"),
    "close": _("Closed as unresolved"),
    "withdraw": _("Withdrawn"),
    "escalated_street": _("Overdue: escalated to the street"),
    "escalated_district": _("Overdue: escalated to the district"),
}
DONE_MESSAGES = {
    "accept": _("The answer was accepted."),
    "contest": _("The answer was contested: the departments answer again."),
    "close": _("The petition was closed as unresolved."),
    "withdraw": _("The petition was withdrawn."),
    "acknowledge": _("The petition was acknowledged."),
    "answer": _("The answer was sent to the committee."),
}


# ---------------------------------------------------------------------------------------------
# Deadlines in working days


@dataclass(frozen=True)
class Due:
    """A deadline shown as working days left (or overdue by), with its colour."""

    day: date | None
    tone: str  # ok / soon / overdue / met / late / none
    text: str
    left: int = 0  # working days left; negative once overdue

    @property
    def style(self) -> str:
        return TONE_STYLES.get(self.tone, TONE_STYLES["none"])

    @property
    def desk_tone(self) -> str:
        return {"overdue": "danger", "soon": "warning"}.get(self.tone, "")


def due_of(day: date | None, today: date, *, done_on: date | None = None, running: bool = True) -> Due:
    """``day`` as seen ``today``: met or late once done, else working days left (due soon within the
    reminder window) or overdue by."""
    if day is None:
        return Due(None, "none", "—")
    if done_on is not None:
        late = done_on > day
        return Due(day, "late" if late else "met", gettext("late") if late else gettext("on time"))
    if not running:
        return Due(day, "none", "—")
    if day < today:
        n = max(1, wd.working_days_between(day, today))
        text = ngettext("overdue by %(n)s working day", "overdue by %(n)s working days", n) % {"n": n}
        return Due(day, "overdue", text, -n)
    n = wd.working_days_between(today, day)
    if n <= 0:
        return Due(day, "soon", gettext("due today"), 0)
    text = ngettext("%(n)s working day left", "%(n)s working days left", n) % {"n": n}
    return Due(day, "soon" if n <= REMIND_BEFORE else "ok", text, n)


def _local_day(moment) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def target_dues(target: PetitionTarget, today: date, petition_open: bool) -> tuple[Due, Due]:
    """(acknowledgement, answer) of one department."""
    acknowledged = _local_day(target.acknowledged_at)
    answered = _local_day(target.answered_at) if target.status == TargetStatus.ANSWERED else None
    return (
        due_of(target.acknowledge_by, today, done_on=acknowledged, running=petition_open),
        due_of(target.answer_by, today, done_on=answered, running=petition_open),
    )


def petition_due(petition: Petition, today: date) -> Due:
    """What a list row shows: the earliest answer still awaited, else whether it was answered on time."""
    if petition.status in OPEN_PETITION_STATUSES:
        waiting = [t.answer_by for t in petition.targets.all() if t.status != TargetStatus.ANSWERED]
        if waiting:
            return due_of(min(waiting), today)
    if petition.answered_on_time is not None:
        return Due(None, "met" if petition.answered_on_time else "late", _answered_text(petition.answered_on_time))
    return Due(None, "none", "—")


def _answered_text(on_time: bool) -> str:
    return gettext("answered on time") if on_time else gettext("answered late")


def decorate(petitions, today: date | None = None) -> list[Petition]:
    """Attach what a list row shows (targets prefetched with their departments)."""
    today = today or timezone.localdate()
    for p in petitions:
        p.status_style = STATUS_STYLES.get(p.status, "text-bg-light")
        p.escalation_style = ESCALATION_STYLES.get(p.escalation, "")
        p.department_names = [t.department.short_name or t.department.name for t in p.targets.all()]
        p.due = petition_due(p, today)
    return petitions


def with_targets(qs):
    return qs.prefetch_related(
        Prefetch("targets", queryset=PetitionTarget.objects.select_related("department").order_by("department__name"))
    )


# ---------------------------------------------------------------------------------------------
# The list


def _next_answer_by(p: Petition):
    waiting = [t.answer_by for t in p.targets.all() if t.status != TargetStatus.ANSWERED]
    return min(waiting) if waiting and p.status in OPEN_PETITION_STATUSES else None


PETITION_COLUMNS = [
    (_("Title"), lambda p: p.title),
    (_("Committee"), lambda p: p.body.name),
    (_("Building"), lambda p: p.building.name),
    (_("Departments"), lambda p: "、".join(t.department.name for t in p.targets.all())),
    (_("Submitted"), lambda p: timezone.localtime(p.submitted_at).replace(tzinfo=None)),
    (_("Answer by"), _next_answer_by),
    (_("Status"), lambda p: p.get_status_display()),
    (_("Escalation"), lambda p: p.get_escalation_display()),
    (_("Answered on time"), lambda p: p.answered_on_time),
    (_("Contested"), lambda p: p.contested_once),
]


def petition_search(qs, *, status: str = "", escalation: str = "", overdue: bool = False, body=None, department=None):
    if status in PetitionStatus.values:
        qs = qs.filter(status=status)
    if escalation == "any":
        qs = qs.filter(escalation__gt=Escalation.NONE)
    elif _int(escalation) in Escalation.values:
        qs = qs.filter(escalation=int(escalation))
    if overdue:
        qs = selectors.overdue_petitions(qs)
    if body:
        qs = qs.filter(body_id=body)
    if department:
        qs = qs.filter(targets__department_id=department)
    return qs


def _may_submit(user, body: Body) -> bool:
    return body.has(Mechanism.SPECIAL_PETITION) and (is_manager(user, body) or is_recorder(user, body))


@access.login
@require_http_methods(["GET"])
def petition_list(request):
    """Petitions the user may see, filtered; ``?body=ID`` is the committee's own list."""
    user = request.user
    visible = selectors.petition_list(user=user)
    body_id = _int(request.GET.get("body"))
    qs = petition_search(
        visible,
        status=request.GET.get("status", ""),
        escalation=request.GET.get("escalation", ""),
        overdue=request.GET.get("overdue") in ("1", "true"),
        body=body_id,
        department=_int(request.GET.get("department")),
    )
    qs = with_targets(qs.select_related("body", "building")).order_by("-submitted_at", "-pk")
    if request.GET.get("format") == "xlsx" and user.has_perm("core.export_data"):
        return xlsx_response(filename="petitions", columns=PETITION_COLUMNS, rows=qs.iterator(chunk_size=1000))
    page = paginate(request, qs)
    decorate(page.rows)
    body = body_list(user=user).filter(pk=body_id).first() if body_id else None
    context = {
        "page": page,
        "body": body,
        "can_submit": body is not None and _may_submit(user, body),
        "statuses": PetitionStatus.choices,
        "escalations": [(str(value), label) for value, label in Escalation.choices if value],
        "bodies": list(
            Body.objects.filter(pk__in=visible.values("body_id"))
            .order_by("name", "pk")
            .values_list("pk", "name")[:MAX_CHOICES]
        ),
        "departments": list(Department.objects.order_by("name").values_list("pk", "name")[:MAX_CHOICES]),
        "inbox": bool(staff_departments(user)),
    }
    if _is_htmx(request):
        return render(request, "engagement/petitions/list.html#results", context)
    return render(request, "engagement/petitions/list.html", context)


# ---------------------------------------------------------------------------------------------
# Submitting


def source_decision(user, body: Body, pk: int | None):
    """A decision of a meeting of a body the user can see (the service checks it is this body's and passed)."""
    from govcube.deliberation.models import Decision

    if not pk:
        return None
    decision = (
        Decision.objects.select_related("item__meeting", "item__topic")
        .filter(pk=pk, item__meeting__body__in=body_list(user=user).values("pk"))
        .first()
    )
    if decision is None:
        raise domain.DomainError(
            "engagement.petition.decision.other_body",
            gettext("Choose a decision of this committee's meetings."),
            field="decision",
        )
    return decision


def source_topic(user, pk: int | None):
    from govcube.deliberation.selectors import topic_list

    if not pk:
        return None
    topic = topic_list(user=user).filter(pk=pk).first()
    if topic is None:
        raise domain.DomainError(
            "engagement.petition.topic.other_body", gettext("Choose a topic of this committee."), field="topic"
        )
    return topic


def _prefill(user, body: Body, params) -> dict:
    """Initial values from ``?decision=ID`` (a passed decision) or ``?topic=ID``."""
    initial: dict = {}
    try:
        decision = source_decision(user, body, _int(params.get("decision")))
        topic = source_topic(user, _int(params.get("topic")))
    except domain.DomainError:
        return initial
    if decision is not None:
        initial |= {"decision": decision.pk, "title": decision.item.title, "text": decision.text}
        topic = topic or decision.item.topic
    if topic is not None:
        initial.setdefault("title", topic.title)
        initial.setdefault("text", strip_tags(topic.text).strip())
        initial["topic"] = topic.pk
    return initial


def _department_choices() -> list:
    label = gettext("%(name)s (acknowledge in %(ack)s, answer in %(answer)s working days)")
    return [
        (d.pk, label % {"name": d.name, "ack": d.petition_acknowledge_days, "answer": d.petition_answer_days})
        for d in Department.objects.order_by("name")[:MAX_CHOICES]
    ]


def _deadlines_text(petition: Petition) -> str:
    parts = [
        gettext("%(department)s: acknowledge by %(ack)s, answer by %(answer)s")
        % {
            "department": t.department.name,
            "ack": f"{t.acknowledge_by:%Y-%m-%d}",
            "answer": f"{t.answer_by:%Y-%m-%d}",
        }
        for t in petition.targets.select_related("department").order_by("department__name")
    ]
    return "; ".join(parts)


@access.login
@require_http_methods(["GET", "POST"])
def petition_new(request, body_pk: int):
    """The committee's convener (or its secretary carrying out a decision) sends a petition."""
    user = request.user
    body = body_get(user=user, pk=body_pk)
    if not (is_manager(user, body) or is_recorder(user, body)):
        raise PermissionDenied
    buildings = list(body.buildings.order_by("name", "pk").values_list("pk", "name"))
    data = request.POST if request.method == "POST" else None
    initial = _prefill(user, body, request.GET)
    if len(buildings) == 1:
        initial.setdefault("building", buildings[0][0])
    form = PetitionForm(data, buildings=buildings, departments=_department_choices(), initial=initial)
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            cd = form.cleaned_data
            try:
                departments = list(Department.objects.filter(pk__in=cd["departments"]).order_by("name"))
                petition = services.petition_submit(
                    actor=user,
                    body=body,
                    building=body.buildings.get(pk=cd["building"]),
                    title=cd["title"],
                    text=cd["text"],
                    evidence=cd["evidence"],
                    departments=departments,
                    decision=source_decision(user, body, cd["decision"]),
                    topic=source_topic(user, cd["topic"]),
                    answer_by=cd["answer_by"],
                )
            except domain.DomainError as exc:
                status = _form_error(form, exc)
            else:
                messages.success(
                    request,
                    gettext("The petition was sent. %(deadlines)s") % {"deadlines": _deadlines_text(petition)},
                )
                return redirect("engagement:petition_detail", pk=petition.pk)
    decision_id, topic_id = form["decision"].value(), form["topic"].value()
    context = {
        "form": form,
        "body": body,
        "runs_petitions": body.has(Mechanism.SPECIAL_PETITION),
        "source_decision": _quiet(source_decision, user, body, _int(decision_id)),
        "source_topic": _quiet(source_topic, user, _int(topic_id)),
    }
    return render(request, "engagement/petitions/form.html", context, status=status)


def _quiet(fn, *args):
    try:
        return fn(*args)
    except domain.DomainError:
        return None


# ---------------------------------------------------------------------------------------------
# A petition


@dataclass
class TimelineRow:
    when: object
    label: str
    actor: str
    department: str
    text: str


def _timeline(petition: Petition) -> list[TimelineRow]:
    events = petition.events.select_related("actor__person", "target__department").order_by("created", "pk")
    return [
        TimelineRow(
            when=e.created,
            label=str(TIMELINE_LABELS.get(e.kind, e.kind.replace("_", " "))),
            actor=cadre_name(e.actor) if e.actor_id else "",
            department=e.target.department.name if e.target_id else "",
            text=e.text if e.kind != "submitted" else "",
        )
        for e in events[:TIMELINE_LIMIT]
    ]


def _reason_form(action: str, data=None, **kwargs) -> PetitionReasonForm:
    form = PetitionReasonForm(data, **kwargs)
    if action in REASON_LABELS:
        form.fields["reason"].label = REASON_LABELS[action]
        form.fields["reason"].required = True
    return form


def _ids(form, prefix: str):
    """Give a form of which the page shows several its own element ids (and keep the described-by links)."""
    form.auto_id = prefix + "%s"
    for field in form.fields.values():
        described = field.widget.attrs.get("aria-describedby")
        if described and described.startswith("id_"):
            field.widget.attrs["aria-describedby"] = prefix + described[3:]
    return form


def _detail_context(request, petition: Petition, *, posted: dict | None = None, **extra) -> dict:
    """Everything the page shows; ``posted`` carries a refused form back: {"action", "target", "form"}."""
    user = request.user
    today = timezone.localdate()
    posted = posted or {}
    is_open = petition.status in OPEN_PETITION_STATUSES
    targets = list(
        petition.targets.select_related("department", "acknowledged_by__person", "answered_by__person").order_by(
            "department__name", "pk"
        )
    )
    for t in targets:
        t.ack_due, t.answer_due = target_dues(t, today, is_open)
        t.status_style = TARGET_STYLES.get(t.status, "text-bg-light")
        t.escalation_style = ESCALATION_STYLES.get(t.escalation, "")
        names = {tr.action for tr in TARGET_FLOW.available(t, user)} if is_open else set()
        t.can_acknowledge = "acknowledge" in names
        t.answer_form = None
        if "answer" in names:
            mine = posted.get("target") == t.pk and posted.get("action") == "answer"
            t.answer_form = _ids(
                posted["form"] if mine else TargetAnswerForm(initial={"version": t.version}), f"t{t.pk}-"
            )
        t.answered_by_name = cadre_name(t.answered_by) if t.answered_by_id else ""
    actions = []
    for transition in PETITION_FLOW.available(petition, user):
        if transition.action not in USER_ACTIONS or (transition.action == "contest" and petition.contested_once):
            continue
        form = None
        if transition.action in REASON_LABELS:
            mine = posted.get("action") == transition.action and posted.get("target") is None
            form = posted["form"] if mine else _reason_form(transition.action, initial={"version": petition.version})
            form = _ids(form, f"{transition.action}-")
        actions.append(
            {
                "name": transition.action,
                "label": transition.label,
                "style": ACTION_STYLES.get(transition.action, "primary"),
                "form": form,
                "open": posted.get("action") == transition.action,
            }
        )
    return {
        "petition": petition,
        "status_style": STATUS_STYLES.get(petition.status, "text-bg-light"),
        "escalation_style": ESCALATION_STYLES.get(petition.escalation, ""),
        "targets": targets,
        "actions": actions,
        "timeline": _timeline(petition),
        "submitted_by": cadre_name(petition.submitted_by) if petition.submitted_by_id else "",
        "answered_text": _answered_text(petition.answered_on_time) if petition.answered_on_time is not None else "",
        **extra,
    }


@access.login
@require_http_methods(["GET"])
def petition_detail(request, pk: int):
    petition = selectors.petition_get(user=request.user, pk=pk)
    return render(request, DETAIL, _detail_context(request, petition))


def _refused(request, petition: Petition, exc: domain.DomainError, posted: dict):
    """A refusal is a 403; a stale version or a settled petition a 409 above the page; else the field's error."""
    if isinstance(exc, domain.PermissionDenied):
        raise PermissionDenied(exc.message)
    form = posted["form"]
    extra = {}
    if exc.status == 409 or not exc.field or exc.field not in form.fields or form.fields[exc.field].widget.is_hidden:
        extra["conflict"] = exc.message
    elif exc.field not in form.errors:  # the form's own check already shows it
        form.add_error(exc.field, exc.message)
    petition = selectors.petition_get(user=request.user, pk=petition.pk)
    return render(request, DETAIL, _detail_context(request, petition, posted=posted, **extra), status=exc.status)


@access.login
@require_POST
def petition_action(request, pk: int, action: str):
    """The committee accepts, contests (once), closes unresolved or withdraws."""
    if action not in USER_ACTIONS:
        raise Http404
    petition = selectors.petition_get(user=request.user, pk=pk)
    form = _reason_form(action, request.POST)
    posted = {"action": action, "target": None, "form": form}
    try:
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise domain.DomainError(f"engagement.petition.{action}.invalid", errors[0], field=field)
        services.petition_action(
            actor=request.user,
            petition=petition,
            action=action,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except domain.DomainError as exc:
        return _refused(request, petition, exc, posted)
    messages.success(request, DONE_MESSAGES[action])
    return redirect("engagement:petition_detail", pk=petition.pk)


@access.login
@require_POST
def target_action(request, pk: int, target_pk: int, action: str):
    """A department's staff acknowledge the petition or answer it."""
    if action not in TARGET_ACTIONS:
        raise Http404
    petition = selectors.petition_get(user=request.user, pk=pk)
    target = petition.targets.select_related("petition").filter(pk=target_pk).first()
    if target is None:
        raise Http404
    form_class = TargetAnswerForm if action == "answer" else PetitionVersionForm
    form = form_class(request.POST)
    posted = {"action": action, "target": target.pk, "form": form}
    try:
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise domain.DomainError(f"engagement.petition_target.{action}.invalid", errors[0], field=field)
        version = form.cleaned_data["version"]
        if action == "answer":
            services.target_answer(
                actor=request.user, target=target, answer=form.cleaned_data["answer"], version=version
            )
        else:
            services.target_acknowledge(actor=request.user, target=target, version=version)
    except domain.DomainError as exc:
        return _refused(request, petition, exc, posted)
    messages.success(request, DONE_MESSAGES[action])
    return redirect("engagement:petition_detail", pk=petition.pk)


# ---------------------------------------------------------------------------------------------
# A department's inbox


INBOX_COLUMNS = [
    (_("Title"), lambda t: t.petition.title),
    (_("Committee"), lambda t: t.petition.body.name),
    (_("Building"), lambda t: t.petition.building.name),
    (_("Department"), lambda t: t.department.name),
    (_("Status"), lambda t: t.get_status_display()),
    (_("Round"), lambda t: t.round),
    (_("Acknowledge by"), lambda t: t.acknowledge_by),
    (_("Answer by"), lambda t: t.answer_by),
    (_("Answered"), lambda t: timezone.localtime(t.answered_at).replace(tzinfo=None) if t.answered_at else None),
    (_("Answered late"), lambda t: t.answered_late),
    (_("Escalation"), lambda t: t.get_escalation_display()),
]


@access.login
@require_http_methods(["GET"])
def petition_inbox(request):
    """The petitions sent to the user's departments: open first, overdue first, then by the answer date."""
    user = request.user
    qs = selectors.department_inbox(user=user).select_related("petition__body", "petition__building", "department")
    if request.GET.get("open") in ("1", "true"):
        qs = selectors.open_targets(qs)
    if request.GET.get("format") == "xlsx" and user.has_perm("core.export_data"):
        return xlsx_response(filename="petition-inbox", columns=INBOX_COLUMNS, rows=qs.iterator(chunk_size=1000))
    page = paginate(request, qs)
    today = timezone.localdate()
    for t in page.rows:
        t.ack_due, t.answer_due = target_dues(t, today, t.petition.status in OPEN_PETITION_STATUSES)
        t.status_style = TARGET_STYLES.get(t.status, "text-bg-light")
        t.escalation_style = ESCALATION_STYLES.get(t.escalation, "")
    context = {"page": page, "has_departments": bool(staff_departments(user))}
    if _is_htmx(request):
        return render(request, "engagement/petitions/inbox.html#results", context)
    return render(request, "engagement/petitions/inbox.html", context)
