"""Writes of the service desk: catalogue, requests and their clocks, ratings, extensions."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.accounts.permissions import has_role
from govcube.accounts.roles import Role
from govcube.accounts.selectors import users_holding
from govcube.audit.services import audit_record
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.core.services import require_perm, validate, versioned_update
from govcube.core.workflows import transition_apply
from govcube.directory.models import Tenancy
from govcube.notifications.services import notify
from govcube.services import routing, sla
from govcube.services.models import (
    OPEN_STATUSES,
    Channel,
    Department,
    Extension,
    Rating,
    RequestMessage,
    RequestStatus,
    ServiceItem,
    ServiceRequest,
    SlaPolicy,
)
from govcube.services.permissions import handles, is_dispatcher, is_owner, is_requester_side, is_team_lead
from govcube.services.workflows import REQUEST_FLOW, TRANSFER_REASONS

REOPEN_WINDOW = timedelta(days=7)
SECOND_HANDLING_DAYS = 3
LOW_RATING = 2


# --- Catalogue ---------------------------------------------------------------------------


def service_item_create(
    *,
    actor,
    domain: str,
    code: str,
    name: str,
    department: Department,
    first_response_hours,
    update_hours,
    resolution_days: int,
    documents: list[str] | None = None,
    guide: str = "",
) -> ServiceItem:
    require_perm(actor, "services.change_serviceitem")
    item = ServiceItem(
        domain=domain,
        code=(code or "").strip(),
        name=(name or "").strip(),
        department=department,
        documents=[d.strip() for d in (documents or []) if d and d.strip()],
        guide=guide,
    )
    validate(item, "services.item")
    with transaction.atomic():
        item.save()
        _policy_add(actor, item, first_response_hours, update_hours, resolution_days)
        audit_record(
            actor=actor,
            action="services.item.created",
            object_type="services.serviceitem",
            object_id=str(item.pk),
            object_repr=item.name,
            after={"code": item.code, "department": department.pk},
        )
    return item


def _policy_add(actor, item: ServiceItem, first_response_hours, update_hours, resolution_days: int) -> SlaPolicy:
    number = (item.policies.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    policy = SlaPolicy(
        item=item,
        number=number,
        first_response_hours=first_response_hours,
        update_hours=update_hours,
        resolution_days=resolution_days,
        created_by=actor,
    )
    validate(policy, "services.policy", exclude=["item", "created_by"])
    policy.save()
    return policy


def sla_policy_change(
    *, actor, item: ServiceItem, first_response_hours, update_hours, resolution_days: int
) -> SlaPolicy:
    """A new version of the item's service levels; requests already filed keep theirs."""
    require_perm(actor, "services.change_serviceitem")
    with transaction.atomic():
        policy = _policy_add(actor, item, first_response_hours, update_hours, resolution_days)
        audit_record(
            actor=actor,
            action="services.policy.changed",
            object_type="services.serviceitem",
            object_id=str(item.pk),
            object_repr=item.name,
            after={
                "version": policy.number,
                "first_response_hours": first_response_hours,
                "update_hours": update_hours,
                "resolution_days": resolution_days,
            },
        )
    return policy


def service_item_update(
    *, actor, item: ServiceItem, version: int | None, name: str, documents: list[str], guide: str, is_active: bool
) -> ServiceItem:
    """Edit what the catalogue says about an item (its service levels change through ``sla_policy_change``)."""
    require_perm(actor, "services.change_serviceitem")
    changes = {
        "name": (name or "").strip(),
        "documents": [d.strip() for d in (documents or []) if d and d.strip()],
        "guide": (guide or "").strip(),
        "is_active": bool(is_active),
    }
    return versioned_update(
        actor=actor,
        obj=item,
        version=version,
        changes=changes,
        allowed=set(changes),
        code="services.item",
        action="services.item.changed",
    )


# --- Filing ------------------------------------------------------------------------------


def _is_liaison(actor, building) -> bool:
    """A liaison cadre of the building passes on what a visit found."""
    from govcube.engagement.selectors import is_liaison_for

    return is_liaison_for(actor, [building.pk])


def _next_number(now) -> str:
    year = timezone.localtime(now).year
    prefix = f"FW{year}"
    last = (
        ServiceRequest.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def request_submit(
    *,
    actor,
    enterprise,
    building,
    item: ServiceItem,
    title: str,
    description: str,
    channel: str = Channel.WEB,
    requester=None,
    topic=None,
    as_liaison: bool = False,
) -> ServiceRequest:
    """File a request for an enterprise in a building it rents in; routing picks the owner."""
    staff_entry = channel != Channel.WEB
    if staff_entry:
        if not (
            has_role(actor, Role.SERVICE_MEMBER, Role.SERVICE_LEAD)
            or actor.has_perm("directory.change_enterprise", enterprise)
            or (as_liaison and _is_liaison(actor, building))
        ):
            raise PermissionDenied("services.request.submit_for_other.denied")
    else:
        requester = actor.person if actor.person_id else None
        fake = ServiceRequest(enterprise=enterprise, requester=requester)
        if not is_requester_side(actor, fake):
            raise PermissionDenied(
                "services.request.submit.denied", _("You can file requests only for your own enterprise.")
            )
    if not item.is_active:
        raise DomainError("services.request.item.inactive", _("This service is no longer offered."), field="item")
    if not Tenancy.objects.current().filter(enterprise=enterprise, building=building).exists():
        raise DomainError(
            "services.request.building.not_tenant",
            _("The enterprise is not a tenant of this building."),
            field="building",
        )
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise DomainError("services.request.title.required", _("Say briefly what you need."), field="title")
    if not description:
        raise DomainError("services.request.description.required", _("Describe what you need."), field="description")
    if len(title) > 200 or len(description) > 10_000:
        raise DomainError(
            "services.request.description.too_long",
            _("The text is too long."),
            field="description" if len(title) <= 200 else "title",
        )
    policy = item.current_policy
    if policy is None:
        raise DomainError("services.request.item.no_policy", _("This service has no service levels yet."), field="item")
    now = timezone.now()
    with transaction.atomic():
        request = ServiceRequest(
            number=_next_number(now),
            enterprise=enterprise,
            requester=requester,
            building=building,
            item=item,
            policy=policy,
            department=item.department,
            channel=channel,
            title=title,
            description=description,
            submitted_at=now,
            first_response_due=sla.first_response_due(now, policy),
            resolution_due=sla.resolution_due(now, policy.resolution_days),
            district_id_scope=building.district_id,
            street_id_scope=building.street_id,
            topic=topic,
        )
        request.save()
        audit_record(
            actor=actor,
            action="services.request.submitted",
            obj=request,
            after={"number": request.number, "item": item.code, "channel": channel},
        )
        request = _route(request)
    return request


def _route(request: ServiceRequest) -> ServiceRequest:
    """Assign automatically to the member on the building's rota (or the coordinator)."""
    owner = routing.owner_for(request.department, request.building)
    if owner is None:
        return request

    def apply(locked, transition, payload):
        locked.owner = owner

    return transition_apply(
        workflow=REQUEST_FLOW, obj=request, action="assign", actor=None, payload={"owner": owner.pk}, apply=apply
    )


def request_assign(*, actor, request: ServiceRequest, owner, version: int | None = None) -> ServiceRequest:
    """A dispatcher (the department's coordinator or the team lead) assigns an unassigned request by hand."""
    if not is_dispatcher(actor, request):
        raise PermissionDenied("services.request.assign.denied")
    department = request.department
    if (
        owner is None
        or not owner.is_active
        or not (department.coordinator_id == owner.pk or department.staff.filter(pk=owner.pk).exists())
    ):
        raise DomainError("services.request.assign.owner", _("Choose a member of the department."), field="owner")

    def apply(locked, transition, data):
        locked.owner = owner

    return transition_apply(
        workflow=REQUEST_FLOW,
        obj=request,
        action="assign",
        actor=actor,
        version=version,
        payload={"owner": owner.pk},
        apply=apply,
    )


# --- Handling ----------------------------------------------------------------------------


def request_action(
    *, actor, request: ServiceRequest, action: str, version: int | None = None, **payload
) -> ServiceRequest:
    """Every state change of a request; the clocks move with it."""
    handler = _ACTIONS.get(action)
    if handler is None:
        raise DomainError("services.request.action.unknown", _("Unknown action."), status=400)
    return handler(actor, request, version, payload)


def _accept(actor, request, version, payload):
    def apply(locked, transition, data):
        locked.owner = actor
        locked.update_due = sla.update_due(timezone.now(), locked.policy)  # the update clock starts now

    try:
        return transition_apply(
            workflow=REQUEST_FLOW, obj=request, action="accept", actor=actor, version=version, apply=apply
        )
    except Conflict:
        current = ServiceRequest.objects.select_related("owner").get(pk=request.pk)
        if current.status not in (RequestStatus.SUBMITTED, RequestStatus.ASSIGNED) and current.owner_id:
            raise Conflict(
                "services.request.accept.taken",
                _("%(owner)s has already accepted this request.") % {"owner": current.owner},
            ) from None
        raise


def _ask(actor, request, version, payload):
    message = (payload.get("message") or "").strip()

    def apply(locked, transition, data):
        locked.paused_at = timezone.now()

    request = transition_apply(
        workflow=REQUEST_FLOW,
        obj=request,
        action="ask",
        actor=actor,
        version=version,
        payload={"message": message},
        apply=apply,
    )
    _message_add(actor, request, message, internal=False)
    return request


def _resume(actor, request, version, payload):
    def apply(locked, transition, data):
        now = timezone.now()
        paused = sla.paused_working_time(locked.paused_at, now) if locked.paused_at else timedelta(0)
        locked.paused_seconds += int(paused.total_seconds())
        locked.resolution_due = sla.shift_by_working_time(locked.resolution_due, paused)
        locked.update_due = sla.update_due(now, locked.policy)
        locked.paused_at = None

    return transition_apply(
        workflow=REQUEST_FLOW, obj=request, action="resume", actor=actor, version=version, apply=apply
    )


def _resolve(actor, request, version, payload):
    answer = (payload.get("answer") or "").strip()

    def apply(locked, transition, data):
        locked.answer = answer
        locked.resolved_at = timezone.now()
        locked.update_due = None
        if locked.first_responded_at is None:
            locked.first_responded_at = locked.resolved_at

    return transition_apply(
        workflow=REQUEST_FLOW,
        obj=request,
        action="resolve",
        actor=actor,
        version=version,
        payload={"answer": answer[:2000]},
        apply=apply,
    )


def _close(actor, request, version, payload):
    def apply(locked, transition, data):
        locked.closed_at = timezone.now()

    return transition_apply(
        workflow=REQUEST_FLOW, obj=request, action="close", actor=actor, version=version, apply=apply
    )


def _reopen(actor, request, version, payload):
    reason = (payload.get("reason") or "").strip()
    if request.resolved_at and timezone.now() - request.resolved_at > REOPEN_WINDOW:
        raise Conflict(
            "services.request.reopen.window", _("A request can be reopened within 7 days of its resolution.")
        )

    def apply(locked, transition, data):
        now = timezone.now()
        locked.reopen_count += 1
        locked.resolved_at = locked.closed_at = None
        locked.resolution_due = sla.resolution_due(now, SECOND_HANDLING_DAYS)
        locked.update_due = sla.update_due(now, locked.policy)

    request = transition_apply(
        workflow=REQUEST_FLOW,
        obj=request,
        action="reopen",
        actor=actor,
        version=version,
        payload={"reason": reason},
        apply=apply,
    )
    _message_add(actor, request, reason, internal=False)
    return request


def _transfer(actor, request, version, payload):
    department = payload.get("department")
    reason = payload.get("reason") or ""
    if reason not in TRANSFER_REASONS:
        raise DomainError("services.request.transfer.reason", _("Choose a reason from the list."), field="reason")
    if department is None or department.pk == request.department_id:
        raise DomainError(
            "services.request.transfer.same_department", _("Transfer to another department."), field="department"
        )

    def apply(locked, transition, data):
        locked.department = department
        locked.owner = None
        locked.transfer_count += 1

    request = transition_apply(
        workflow=REQUEST_FLOW,
        obj=request,
        action="transfer",
        actor=actor,
        version=version,
        payload={"department": department.pk, "reason": reason},
        apply=apply,
    )
    return _route(request)


def _withdraw(actor, request, version, payload):
    return transition_apply(workflow=REQUEST_FLOW, obj=request, action="withdraw", actor=actor, version=version)


def _merge(actor, request, version, payload):
    kept = payload.get("merged_into")
    if kept is None or kept.pk == request.pk or kept.status not in OPEN_STATUSES:
        raise DomainError("services.request.merge.target", _("Merge into another open request."), field="merged_into")

    def apply(locked, transition, data):
        locked.merged_into = kept

    request = transition_apply(
        workflow=REQUEST_FLOW,
        obj=request,
        action="merge",
        actor=actor,
        version=version,
        payload={"merged_into": kept.pk},
        apply=apply,
    )
    return request


_ACTIONS = {
    "accept": _accept,
    "ask": _ask,
    "resume": _resume,
    "resolve": _resolve,
    "close": _close,
    "reopen": _reopen,
    "transfer": _transfer,
    "withdraw": _withdraw,
    "merge": _merge,
}


def _message_add(actor, request, text: str, *, internal: bool) -> RequestMessage:
    message = RequestMessage.objects.create(request=request, author=actor, text=text[:5000], internal=internal)
    if not internal and actor is not None and handles(actor, request) and not is_requester_side(actor, request):
        now = timezone.now()
        changes = {
            "update_due": sla.update_due(now, request.policy) if request.status == RequestStatus.IN_PROGRESS else None
        }
        if request.first_responded_at is None:
            changes["first_responded_at"] = now
        ServiceRequest.objects.filter(pk=request.pk).update(**changes)
    return message


def message_post(*, actor, request: ServiceRequest, text: str, internal: bool = False) -> RequestMessage:
    """A message to or from the enterprise (or an internal note). The enterprise answering a question resumes the clock."""
    text = (text or "").strip()
    if not text:
        raise DomainError("services.message.text.required", _("Write a message."), field="text")
    staff = handles(actor, request)
    requester = is_requester_side(actor, request)
    if not (staff or requester):
        raise PermissionDenied("services.message.denied")
    if internal and not staff:
        raise PermissionDenied("services.message.internal.denied")
    if request.status not in OPEN_STATUSES:
        raise Conflict("services.message.closed", _("This request is no longer open."))
    with transaction.atomic():
        message = _message_add(actor, request, text, internal=internal)
        audit_record(actor=actor, action="services.request.message", obj=request, after={"internal": internal})
        if requester and not staff and request.status == RequestStatus.WAITING:
            _resume(actor, request, None, {})
        elif not internal and request.owner_id and actor.pk != request.owner_id:
            notify(
                recipients=[request.owner],
                code="services.request.message",
                obj=request,
                params={"object": str(request)},
            )
    return message


# --- After resolution --------------------------------------------------------------------


def rating_submit(*, actor, request: ServiceRequest, score: int, comment: str = "", solved: bool = True) -> Rating:
    """The requester's enterprise rates once per handling round; a low rating opens a review by the team lead."""
    if not is_requester_side(actor, request):
        raise PermissionDenied("services.rating.denied", _("Only the requesting enterprise can rate this request."))
    if request.status not in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        raise Conflict("services.rating.not_resolved", _("A request can be rated once it is resolved."))
    if score not in range(1, 6):
        raise DomainError("services.rating.score.range", _("Rate from 1 to 5."), field="score")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                request=request,
                round=request.reopen_count,
                score=score,
                comment=(comment or "").strip()[:2000],
                solved=solved,
                rated_by=actor,
                review_status="open" if score <= LOW_RATING else "",
            )
            audit_record(
                actor=actor, action="services.request.rated", obj=request, after={"score": score, "solved": solved}
            )
            if rating.review_status == "open":
                leads = users_holding(Role.SERVICE_LEAD)
                notify(
                    recipients=leads,
                    code="services.rating.low",
                    obj=request,
                    params={"object": str(request), "score": score},
                )
            if request.status == RequestStatus.RESOLVED:
                _close(actor, request, None, {})
    except IntegrityError:
        raise Conflict("services.rating.twice", _("This request has already been rated.")) from None
    return rating


def rating_review(*, actor, rating: Rating, note: str) -> Rating:
    """整改: the team lead records what was done about a low rating."""
    if not is_team_lead(actor):
        raise PermissionDenied("services.rating.review.denied")
    note = (note or "").strip()
    if not note:
        raise DomainError("services.rating.review.note.required", _("Write down what was done."), field="note")
    with transaction.atomic():
        rating.review_status, rating.review_note = "done", note[:2000]
        rating.save(update_fields=["review_status", "review_note", "modified"])
        audit_record(actor=actor, action="services.rating.reviewed", obj=rating.request)
    return rating


def extension_request(*, actor, request: ServiceRequest, days: int, reason: str) -> Extension:
    if not is_owner(actor, request):
        raise PermissionDenied("services.extension.denied")
    if request.status not in OPEN_STATUSES:
        raise Conflict("services.extension.closed", _("This request is no longer open."))
    if not (reason or "").strip():
        raise DomainError("services.extension.reason.required", _("Give a reason for the extension."), field="reason")
    if request.extensions.filter(status=Extension.Status.PENDING).exists():
        raise Conflict("services.extension.pending", _("An extension is already waiting for a decision."))
    extension = Extension(request=request, days=days, reason=reason.strip(), asked_by=actor)
    validate(extension, "services.extension", exclude=["request", "asked_by"])
    with transaction.atomic():
        extension.save()
        audit_record(actor=actor, action="services.extension.requested", obj=request, after={"days": days})

        leads = users_holding(Role.SERVICE_LEAD)
        notify(
            recipients=leads,
            code="services.extension.requested",
            obj=request,
            params={"object": str(request), "days": days},
        )
    return extension


def extension_decide(*, actor, extension: Extension, approve: bool) -> Extension:
    if not is_team_lead(actor):
        raise PermissionDenied("services.extension.decide.denied")
    with transaction.atomic():
        extension = Extension.objects.select_for_update().get(pk=extension.pk)
        if extension.status != Extension.Status.PENDING:
            raise Conflict("services.extension.decided", _("This extension was already decided."))
        extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
        extension.decided_by = actor
        extension.save(update_fields=["status", "decided_by", "modified"])
        if approve:
            request = ServiceRequest.objects.select_for_update().get(pk=extension.request_id)
            due_day = timezone.localtime(request.resolution_due).date()
            from govcube.workdays import calendar as wd

            request.resolution_due = wd.close_of_business(wd.add_working_days(due_day, extension.days))
            request.extension_days += extension.days
            request.version += 1
            request.save(update_fields=["resolution_due", "extension_days", "version", "modified"])
        audit_record(
            actor=actor,
            action="services.extension.decided",
            obj=extension.request,
            after={"approved": approve, "days": extension.days},
        )
        if extension.request.owner_id:
            notify(
                recipients=[extension.request.owner],
                code="services.extension.decided",
                obj=extension.request,
                params={"object": str(extension.request), "approved": approve},
            )
    return extension


def request_escalate(*, actor, request: ServiceRequest, note: str = "") -> ServiceRequest:
    """督办: the team lead (or district leadership) presses on a request."""
    if not (is_team_lead(actor) or has_role(actor, Role.DISTRICT_LEADER)):
        raise PermissionDenied("services.request.escalate.denied")
    if request.status not in OPEN_STATUSES:
        raise Conflict("services.request.escalate.closed", _("This request is no longer open."))
    with transaction.atomic():
        ServiceRequest.objects.filter(pk=request.pk).update(
            escalation_level=F("escalation_level") + 1, version=F("version") + 1
        )
        request.refresh_from_db()
        audit_record(
            actor=actor,
            action="services.request.escalated",
            obj=request,
            after={"level": request.escalation_level, "note": note},
        )
        recipients = [u for u in (request.owner, request.department.coordinator) if u is not None]
        notify(recipients=recipients, code="services.request.escalated", obj=request, params={"object": str(request)})
    return request
