"""Group service days (团体式服务): several departments in one building on one afternoon.

Writes: ``service_day_create`` (the team lead or a street official over the building),
``booking_create`` / ``booking_cancel`` (an enterprise that rents in the building),
``booking_check_in`` and ``request_on_the_spot`` (staff of a participating department, or
the lead). Each validates, checks permission and writes the audit trail inside its
transaction. A booking locks its slot row, so a slot is never booked over its capacity
(the ``slot_never_overbooked`` constraint is the last line of defence).

Reads (scoped to the user, out of scope is 404): ``day_list``, ``day_get``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.accounts.permissions import active_assignments, has_role, scope_for
from govcube.accounts.roles import Role
from govcube.audit.services import audit_record
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.core.services import validate
from govcube.directory.models import Tenancy
from govcube.services.models import Booking, Channel, Department, ServiceDay, ServiceDaySlot, ServiceRequest
from govcube.services.permissions import is_department_staff, is_team_lead
from govcube.services.selectors import departments_of
from govcube.workdays import calendar as wd

MAX_CAPACITY = 20
MAX_DAY_HOURS = 12
ORGANISER_ROLES = (Role.SERVICE_LEAD, Role.STREET_OFFICIAL)


# --- Who is who ------------------------------------------------------------------------------


def can_organise(user, building) -> bool:
    """The team lead or a street official whose territory holds the building."""
    if not getattr(user, "is_authenticated", False):
        return False
    path = building.node.path
    return any(
        a.role in ORGANISER_ROLES and a.node is not None and path.startswith(a.node.path)
        for a in active_assignments(user)
    )


def is_organiser(user) -> bool:
    return has_role(user, *ORGANISER_ROLES)


def enterprises_of(user) -> set[int]:
    """The enterprises a user acts for: as their contact, or as their employee."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ids = {a.enterprise_id for a in active_assignments(user) if a.role == Role.ENTERPRISE_CONTACT and a.enterprise_id}
    if user.person_id and user.person.employer_id:
        ids.add(user.person.employer_id)
    return ids


def is_day_staff(user, day: ServiceDay) -> bool:
    """The lead, or staff (or coordinator) of a department taking part in the day."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_team_lead(user):
        return True
    mine = set(departments_of(user))
    return bool(mine) and day.departments.filter(pk__in=mine).exists()


def can_handle_slot(user, slot: ServiceDaySlot) -> bool:
    return is_team_lead(user) or is_department_staff(user, slot.department)


# --- Writes ----------------------------------------------------------------------------------


def _slot_starts(starts_at: datetime, ends_at: datetime, minutes: int) -> list[datetime]:
    step = timedelta(minutes=minutes)
    starts, moment = [], starts_at
    while moment + step <= ends_at:
        starts.append(moment)
        moment += step
    return starts


def service_day_create(
    *,
    actor,
    building,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    departments,
    slot_minutes: int,
    capacity_per_slot: int = 1,
) -> ServiceDay:
    """Plan a day in a building and open ``capacity_per_slot`` places per slot for each department."""
    if not can_organise(actor, building):
        raise PermissionDenied(
            "services.day.create.denied", _("Only the service team lead or the building's street can plan a day.")
        )
    title, place = (title or "").strip(), (place or "").strip()
    if not title:
        raise DomainError("services.day.title.required", _("Give the day a title."), field="title")
    if not place:
        raise DomainError("services.day.place.required", _("Say where in the building it takes place."), field="place")
    if starts_at is None or ends_at is None:
        raise DomainError("services.day.starts_at.required", _("Give the start and the end."), field="starts_at")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise DomainError("services.day.starts_at.naive", _("Give the time with its time zone."), field="starts_at")
    if starts_at <= timezone.now():
        raise DomainError(
            "services.day.starts_at.past", _("A service day cannot start in the past."), field="starts_at"
        )
    if ends_at <= starts_at:
        raise DomainError("services.day.ends_at.before_start", _("The day must end after it starts."), field="ends_at")
    if ends_at - starts_at > timedelta(hours=MAX_DAY_HOURS):
        raise DomainError(
            "services.day.ends_at.too_long",
            _("A service day lasts at most %(hours)s hours.") % {"hours": MAX_DAY_HOURS},
            field="ends_at",
        )
    departments = list({d.pk: d for d in (departments or [])}.values())
    if not departments:
        raise DomainError(
            "services.day.departments.required", _("Choose at least one department."), field="departments"
        )
    try:
        capacity_per_slot = int(capacity_per_slot)
    except (TypeError, ValueError):
        capacity_per_slot = 0
    if not 1 <= capacity_per_slot <= MAX_CAPACITY:
        raise DomainError(
            "services.day.capacity_per_slot.range",
            _("Each slot takes 1 to %(max)s enterprises.") % {"max": MAX_CAPACITY},
            field="capacity_per_slot",
        )
    day = ServiceDay(
        building=building, title=title, starts_at=starts_at, ends_at=ends_at, place=place, slot_minutes=slot_minutes
    )
    validate(day, "services.day")
    starts = _slot_starts(starts_at, ends_at, day.slot_minutes)
    if not starts:
        raise DomainError(
            "services.day.slot_minutes.too_long", _("The day is shorter than one slot."), field="slot_minutes"
        )
    with transaction.atomic():
        day.save()
        day.departments.set(departments)
        ServiceDaySlot.objects.bulk_create(
            ServiceDaySlot(day=day, department=department, starts_at=start, capacity=capacity_per_slot)
            for department in departments
            for start in starts
        )
        audit_record(
            actor=actor,
            action="services.day.created",
            obj=day,
            after={
                "building": building.pk,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
                "departments": sorted(d.pk for d in departments),
                "slots": len(starts) * len(departments),
                "capacity_per_slot": capacity_per_slot,
            },
        )
    return day


def _audit_booking(actor, action: str, booking: Booking, day: ServiceDay, **after) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=day,
        object_type="services.booking",
        object_id=str(booking.pk),
        object_repr=f"{day.title} · {booking.enterprise_id}",
        after={"day": day.pk, "slot": booking.slot_id, "enterprise": booking.enterprise_id, **after},
    )


def _booking_enterprise(actor, day: ServiceDay, enterprise) -> int:
    """The enterprise the actor books for: theirs, and a tenant of the day's building."""
    mine = enterprises_of(actor)
    if enterprise is not None:
        if enterprise.pk not in mine:
            raise PermissionDenied(
                "services.booking.enterprise.denied", _("You can book only for your own enterprise.")
            )
        mine = {enterprise.pk}
    if not mine:
        raise PermissionDenied(
            "services.booking.denied", _("Service days are booked by the enterprises in the building.")
        )
    tenants = set(
        Tenancy.objects.current()
        .filter(building_id=day.building_id, enterprise_id__in=sorted(mine))
        .values_list("enterprise_id", flat=True)
    )
    if not tenants:
        raise PermissionDenied(
            "services.booking.not_tenant", _("Only enterprises that rent in this building can book this day.")
        )
    if len(tenants) > 1:
        raise DomainError(
            "services.booking.enterprise.required", _("Choose the enterprise you book for."), field="enterprise"
        )
    return tenants.pop()


def booking_create(*, actor, slot: ServiceDaySlot, topic: str, enterprise=None) -> Booking:
    """Book a place in a slot for the actor's enterprise (one per enterprise and slot; never over capacity)."""
    day = ServiceDay.objects.select_related("building").get(pk=slot.day_id)
    enterprise_id = _booking_enterprise(actor, day, enterprise)
    topic = (topic or "").strip()
    if not topic:
        raise DomainError("services.booking.topic.required", _("Say briefly what you want to discuss."), field="topic")
    if len(topic) > 200:
        raise DomainError("services.booking.topic.too_long", _("The text is too long."), field="topic")
    if day.is_cancelled:
        raise Conflict("services.booking.day_cancelled", _("This service day was cancelled."))
    if slot.starts_at <= timezone.now():
        raise Conflict("services.booking.past", _("This slot has already started."))
    try:
        with transaction.atomic():
            locked = ServiceDaySlot.objects.select_for_update().get(pk=slot.pk)
            if Booking.objects.filter(slot=locked, enterprise_id=enterprise_id, cancelled_at__isnull=True).exists():
                raise Conflict("services.booking.twice", _("Your enterprise has already booked this slot."))
            if locked.booked >= locked.capacity:
                raise Conflict("services.booking.full", _("This slot is fully booked. Choose another one."))
            booking = Booking.objects.create(slot=locked, enterprise_id=enterprise_id, booked_by=actor, topic=topic)
            ServiceDaySlot.objects.filter(pk=locked.pk).update(booked=F("booked") + 1)
            _audit_booking(actor, "services.booking.created", booking, day, topic=topic)
    except IntegrityError:
        # The database's own guards (one booking per enterprise and slot, never over capacity).
        raise Conflict("services.booking.full", _("This slot is fully booked. Choose another one.")) from None
    slot.booked = locked.booked + 1
    return booking


def booking_cancel(*, actor, booking: Booking) -> Booking:
    """The booking enterprise cancels before its slot starts; the lead or the department's staff at any time."""
    slot = booking.slot
    day = ServiceDay.objects.select_related("building").get(pk=slot.day_id)
    staff = can_handle_slot(actor, slot)
    own = booking.enterprise_id in enterprises_of(actor)
    if not (staff or own):
        raise PermissionDenied("services.booking.cancel.denied")
    if not staff and slot.starts_at <= timezone.now():
        raise Conflict("services.booking.cancel.started", _("This slot has already started."))
    with transaction.atomic():
        ServiceDaySlot.objects.select_for_update().get(pk=slot.pk)
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.cancelled_at is not None:
            raise Conflict("services.booking.cancel.twice", _("This booking was already cancelled."))
        if locked.checked_in_at is not None:
            raise Conflict("services.booking.cancel.checked_in", _("This enterprise has already checked in."))
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at", "modified"])
        ServiceDaySlot.objects.filter(pk=slot.pk, booked__gt=0).update(booked=F("booked") - 1)
        _audit_booking(actor, "services.booking.cancelled", locked, day)
    booking.cancelled_at = locked.cancelled_at
    return locked


def booking_check_in(*, actor, booking: Booking) -> Booking:
    """Staff of the slot's department (or the lead) record that the enterprise came, on the day."""
    slot = booking.slot
    if not can_handle_slot(actor, slot):
        raise PermissionDenied(
            "services.booking.check_in.denied", _("Only the department's staff can check in its bookings.")
        )
    day = ServiceDay.objects.select_related("building").get(pk=slot.day_id)
    if timezone.localdate() < wd.local(day.starts_at).date():
        raise Conflict("services.booking.check_in.too_early", _("Check-in opens on the day."))
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.cancelled_at is not None:
            raise Conflict("services.booking.check_in.cancelled", _("This booking was cancelled."))
        if locked.checked_in_at is not None:
            raise Conflict("services.booking.check_in.twice", _("This enterprise has already checked in."))
        locked.checked_in_at = timezone.now()
        locked.save(update_fields=["checked_in_at", "modified"])
        _audit_booking(actor, "services.booking.checked_in", locked, day)
    booking.checked_in_at = locked.checked_in_at
    return locked


def request_on_the_spot(
    *,
    actor,
    item,
    title: str,
    description: str,
    booking: Booking | None = None,
    enterprise=None,
    day: ServiceDay | None = None,
) -> ServiceRequest:
    """File a request taken at the day (channel "service day") for a booking, or for a walk-in
    ``enterprise`` at ``day``; ``request_submit`` routes it and checks the enterprise rents there."""
    from govcube.services.services import request_submit

    if booking is not None:
        if booking.cancelled_at is not None:
            raise Conflict("services.day.request.cancelled", _("This booking was cancelled."))
        day = ServiceDay.objects.select_related("building").get(pk=booking.slot.day_id)
        enterprise = booking.enterprise
    if day is None or enterprise is None:
        raise DomainError("services.day.request.enterprise.required", _("Choose the enterprise."), field="enterprise")
    if not is_day_staff(actor, day):
        raise PermissionDenied(
            "services.day.request.denied", _("Only the staff of the day's departments can file requests here.")
        )
    if day.is_cancelled:
        raise Conflict("services.day.request.day_cancelled", _("This service day was cancelled."))
    requester = None
    if booking is not None and booking.booked_by_id and booking.booked_by.person_id:
        person = booking.booked_by.person
        requester = person if person.employer_id == enterprise.pk else None
    with transaction.atomic():
        request = request_submit(
            actor=actor,
            enterprise=enterprise,
            building=day.building,
            item=item,
            title=title,
            description=description,
            channel=Channel.SERVICE_DAY,
            requester=requester,
        )
        audit_record(
            actor=actor,
            action="services.day.request_filed",
            obj=day,
            after={"request": request.number, "booking": booking.pk if booking else None, "enterprise": enterprise.pk},
        )
    return request


# --- Reads -----------------------------------------------------------------------------------


def day_list(*, user) -> QuerySet[ServiceDay]:
    """Days the user may see: in their territory (lead, district, street), of their departments
    (staff), or in a building their enterprise rents in."""
    q = Q(pk__in=[])
    if not getattr(user, "is_authenticated", False):
        return ServiceDay.objects.none()
    scope = scope_for(user, "services.view_servicerequest")
    if not scope.is_empty:
        q |= scope.territory_q(
            path="building__node__path", district="building__district_id", street="building__street_id"
        )
    departments = departments_of(user)
    if departments:
        q |= Q(
            pk__in=ServiceDay.departments.through.objects.filter(department_id__in=departments).values("serviceday_id")
        )
    enterprises = enterprises_of(user)
    if enterprises:
        q |= Q(
            building_id__in=Tenancy.objects.current()
            .filter(enterprise_id__in=sorted(enterprises))
            .values("building_id")
        )
    return ServiceDay.objects.filter(q)


def day_get(*, user, pk: int) -> ServiceDay:
    return get_object_or_404(day_list(user=user).select_related("building", "building__node"), pk=pk)


def with_totals(days: QuerySet[ServiceDay]) -> QuerySet[ServiceDay]:
    """Each day with its places in all and booked (one aggregate per day, in the same query)."""
    return days.annotate(places=Sum("slots__capacity"), places_booked=Sum("slots__booked"))


def slots_by_department(day: ServiceDay) -> list[tuple[Department, list[ServiceDaySlot]]]:
    """The day's slots grouped by department, in order (two queries)."""
    departments = list(day.departments.order_by("name"))
    grouped: dict[int, list[ServiceDaySlot]] = {d.pk: [] for d in departments}
    for slot in day.slots.order_by("department_id", "starts_at"):
        grouped.setdefault(slot.department_id, []).append(slot)
    return [(d, grouped.get(d.pk, [])) for d in departments]


def bookings_of_day(day: ServiceDay, *, enterprise_ids: set[int] | None = None) -> QuerySet[Booking]:
    """The day's active bookings (of some enterprises only, when given), with what a page shows."""
    qs = Booking.objects.filter(slot__day=day, cancelled_at__isnull=True)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=sorted(enterprise_ids))
    return qs.select_related("slot", "slot__department", "enterprise", "booked_by").order_by(
        "slot__department__name", "slot__starts_at", "pk"
    )


def requests_of_day(day: ServiceDay) -> QuerySet[ServiceRequest]:
    """Requests filed with channel "service day" in the day's building during the day."""
    start = wd.local(day.starts_at).replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        ServiceRequest.objects.filter(
            channel=Channel.SERVICE_DAY,
            building_id=day.building_id,
            submitted_at__gte=start,
            submitted_at__lt=start + timedelta(days=1),
        )
        .select_related("enterprise", "item", "department")
        .order_by("submitted_at")
    )
