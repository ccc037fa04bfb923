"""Pages of the group service days (团体式服务).

* ``/services/days/``: the upcoming days and the past ones, for everyone who may see some;
* ``/services/days/new/``: the team lead or a street official plans a day;
* ``/services/days/<id>/``: the slots per department (booked/capacity); enterprises in the
  building book from a phone; staff see the bookings, check enterprises in and file the
  requests taken on the spot (``/services/days/<id>/request/``).

Thin: ``govcube.services.days`` reads (out of scope is 404) and writes.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from govcube.accounts.permissions import scope_for
from govcube.core import access
from govcube.core.errors import DomainError
from govcube.core.forms import StyledForm
from govcube.core.listing import paginate
from govcube.directory.models import Enterprise, Tenancy
from govcube.services import days
from govcube.services.models import Booking, Department, ServiceDaySlot, ServiceItem
from govcube.services.permissions import is_team_lead
from govcube.services.selectors import catalogue, departments_of
from govcube.territory.models import Building
from govcube.territory.selectors import building_list

UPCOMING_LIMIT = 50
DAY_REQUESTS_SHOWN = 100
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


# --- Forms -----------------------------------------------------------------------------------


class _LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format=DATETIME_INPUT)


class ServiceDayForm(StyledForm):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("For example: 3rd floor, party-masses service station")
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=_LocalDateTimeInput(), input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=_LocalDateTimeInput(), input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"]
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments taking part"),
        queryset=Department.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), min_value=5, max_value=240, initial=20)
    capacity_per_slot = forms.IntegerField(
        label=_("Enterprises per slot"), min_value=1, max_value=days.MAX_CAPACITY, initial=1
    )

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings
        self.fields["departments"].widget.attrs["class"] = "form-check-input"


class BookingForm(forms.Form):
    slot = forms.IntegerField()
    topic = forms.CharField(max_length=200)
    enterprise = forms.IntegerField(required=False)


class SpotRequestForm(StyledForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    item = forms.ModelChoiceField(label=_("Service"), queryset=ServiceItem.objects.none())
    title = forms.CharField(label=_("What the enterprise needs, in a line"), max_length=200)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)

    def __init__(self, *args, enterprises, booking=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = catalogue()
        self.fields["item"].label_from_instance = lambda item: f"{item.get_domain_display()} · {item.name}"
        if booking is not None:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = enterprises


def _form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _refuse_if_denied(exc: DomainError) -> None:
    if exc.status == 403:
        raise PermissionDenied(exc.message)
    if exc.status == 404:
        raise Http404(exc.message)


# --- List and planning -----------------------------------------------------------------------


@access.login
def day_list(request):
    now = timezone.now()
    visible = days.with_totals(days.day_list(user=request.user)).select_related("building")
    with_departments = Prefetch("departments", queryset=Department.objects.order_by("name"))
    upcoming = list(
        visible.filter(ends_at__gte=now, is_cancelled=False)
        .order_by("starts_at", "pk")
        .prefetch_related(with_departments)[:UPCOMING_LIMIT]
    )
    past = paginate(request, visible.filter(ends_at__lt=now).order_by("-starts_at", "-pk"))
    prefetch_related_objects(past.rows, with_departments)
    return render(
        request,
        "services/days/list.html",
        {"upcoming": upcoming, "page": past, "can_plan": days.is_organiser(request.user)},
    )


@access.login
def day_create(request):
    if not days.is_organiser(request.user):
        raise PermissionDenied
    buildings = building_list(user=request.user, permission="services.view_servicerequest").order_by("name")
    form = ServiceDayForm(request.POST or None, buildings=buildings)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                day = days.service_day_create(
                    actor=request.user,
                    building=data["building"],
                    title=data["title"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    departments=list(data["departments"]),
                    slot_minutes=data["slot_minutes"],
                    capacity_per_slot=data["capacity_per_slot"],
                )
            except DomainError as exc:
                _refuse_if_denied(exc)
                _form_error(form, exc)
                status = exc.status
            else:
                messages.success(request, gettext("The service day is planned; enterprises in the building can book."))
                return redirect("services:day_detail", pk=day.pk)
        else:
            status = 400
    return render(request, "services/days/form.html", {"form": form}, status=status)


# --- The day ---------------------------------------------------------------------------------


def _tenant_enterprises(user, day) -> list[Enterprise]:
    """The user's own enterprises that rent in the day's building (they may book)."""
    mine = days.enterprises_of(user)
    if not mine:
        return []
    return list(
        Enterprise.objects.filter(
            pk__in=Tenancy.objects.current()
            .filter(building_id=day.building_id, enterprise_id__in=sorted(mine))
            .values("enterprise_id")
        ).order_by("name")
    )


def _day_context(request, day, *, booking_errors=None, booking_data=None) -> dict:
    user = request.user
    now = timezone.now()
    groups = days.slots_by_department(day)
    tenants = _tenant_enterprises(user, day)
    lead = is_team_lead(user)
    my_departments = set(departments_of(user))
    participating = {department.pk for department, _slots in groups}
    staff = lead or bool(my_departments & participating)
    officials = staff or not scope_for(user, "services.view_servicerequest").is_empty
    bookings = []
    if officials:
        bookings = list(days.bookings_of_day(day))
    elif tenants:
        bookings = list(days.bookings_of_day(day, enterprise_ids={e.pk for e in tenants}))
    for booking in bookings:
        booking.can_handle = lead or booking.slot.department_id in my_departments
        booking.can_cancel = booking.checked_in_at is None and (
            booking.can_handle or (booking.enterprise_id in {e.pk for e in tenants} and booking.slot.starts_at > now)
        )
    booked_slots = {b.slot_id for b in bookings if any(b.enterprise_id == e.pk for e in tenants)}
    departments = []
    for department, slots in groups:
        for slot in slots:
            slot.is_free = slot.booked < slot.capacity and slot.starts_at > now and not day.is_cancelled
            slot.is_mine = slot.pk in booked_slots
        departments.append(
            {
                "department": department,
                "slots": slots,
                "free": [s for s in slots if s.is_free and not s.is_mine],
                "bookings": [b for b in bookings if b.slot.department_id == department.pk],
                "errors": (booking_errors or {}).get(department.pk, []),
                "data": (booking_data or {}).get(department.pk, {}),
            }
        )
    return {
        "day": day,
        "departments": departments,
        "has_bookings": bool(bookings),
        "tenants": tenants,
        "can_book": bool(tenants) and not day.is_cancelled and day.ends_at > now,
        "staff": staff,
        "officials": officials,
        "day_requests": list(days.requests_of_day(day)[:DAY_REQUESTS_SHOWN]) if officials else [],
        "is_past": day.ends_at < now,
        "check_in_open": timezone.localdate() >= timezone.localtime(day.starts_at).date(),
    }


@access.login
def day_detail(request, pk: int):
    day = days.day_get(user=request.user, pk=pk)
    return render(request, "services/days/detail.html", _day_context(request, day))


@access.login
@require_POST
def day_book(request, pk: int):
    day = days.day_get(user=request.user, pk=pk)
    form = BookingForm(request.POST)
    slot = None
    if form.is_valid():
        slot = ServiceDaySlot.objects.filter(day=day, pk=form.cleaned_data["slot"]).first()
    if slot is None:
        messages.error(request, gettext("Choose a free slot."))
        return render(request, "services/days/detail.html", _day_context(request, day), status=400)
    enterprise = None
    if form.cleaned_data.get("enterprise"):
        enterprise = Enterprise.objects.filter(pk=form.cleaned_data["enterprise"]).first()
    try:
        days.booking_create(actor=request.user, slot=slot, topic=form.cleaned_data["topic"], enterprise=enterprise)
    except DomainError as exc:
        _refuse_if_denied(exc)
        context = _day_context(
            request,
            day,
            booking_errors={slot.department_id: [exc.message]},
            booking_data={slot.department_id: {"slot": slot.pk, "topic": form.cleaned_data["topic"]}},
        )
        return render(request, "services/days/detail.html", context, status=exc.status)
    messages.success(
        request,
        gettext("Booked: %(time)s with %(department)s.")
        % {"time": timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M"), "department": slot.department},
    )
    return redirect("services:day_detail", pk=day.pk)


def _booking_of(request, pk: int, booking_pk: int) -> Booking:
    day = days.day_get(user=request.user, pk=pk)
    return get_object_or_404(
        Booking.objects.select_related("slot", "slot__department", "enterprise"), pk=booking_pk, slot__day=day
    )


def _act_on_booking(request, pk: int, booking_pk: int, action, done: str):
    booking = _booking_of(request, pk, booking_pk)
    try:
        action(actor=request.user, booking=booking)
    except DomainError as exc:
        _refuse_if_denied(exc)
        messages.error(request, exc.message)
        day = days.day_get(user=request.user, pk=pk)
        return render(request, "services/days/detail.html", _day_context(request, day), status=exc.status)
    messages.success(request, done)
    return redirect("services:day_detail", pk=pk)


@access.login
@require_POST
def booking_cancel(request, pk: int, booking_pk: int):
    return _act_on_booking(request, pk, booking_pk, days.booking_cancel, gettext("The booking was cancelled."))


@access.login
@require_POST
def booking_check_in(request, pk: int, booking_pk: int):
    return _act_on_booking(request, pk, booking_pk, days.booking_check_in, gettext("Checked in."))


@access.login
def day_request(request, pk: int):
    """The request taken on the spot, for a booking (``?booking=``) or for a walk-in enterprise."""
    day = days.day_get(user=request.user, pk=pk)
    if not days.is_day_staff(request.user, day):
        raise PermissionDenied
    booking = None
    booking_pk = request.GET.get("booking") or request.POST.get("booking")
    if booking_pk:
        try:
            booking = _booking_of(request, pk, int(booking_pk))
        except ValueError:
            raise Http404 from None
    enterprises = Enterprise.objects.filter(
        pk__in=Tenancy.objects.current().filter(building_id=day.building_id).values("enterprise_id")
    ).order_by("name")
    initial = {"title": booking.topic} if booking is not None else None
    form = SpotRequestForm(request.POST or None, enterprises=enterprises, booking=booking, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                filed = days.request_on_the_spot(
                    actor=request.user,
                    item=data["item"],
                    title=data["title"],
                    description=data["description"],
                    booking=booking,
                    enterprise=data.get("enterprise"),
                    day=day,
                )
            except DomainError as exc:
                _refuse_if_denied(exc)
                _form_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    gettext("Request %(number)s filed and sent to %(department)s.")
                    % {"number": filed.number, "department": filed.department},
                )
                return redirect("services:day_detail", pk=day.pk)
        else:
            status = 400
    return render(
        request, "services/days/request_form.html", {"day": day, "booking": booking, "form": form}, status=status
    )


urlpatterns = [
    path("days/", day_list, name="day_list"),
    path("days/new/", day_create, name="day_create"),
    path("days/<int:pk>/", day_detail, name="day_detail"),
    path("days/<int:pk>/book/", day_book, name="day_book"),
    path("days/<int:pk>/bookings/<int:booking_pk>/cancel/", booking_cancel, name="day_booking_cancel"),
    path("days/<int:pk>/bookings/<int:booking_pk>/check-in/", booking_check_in, name="day_booking_check_in"),
    path("days/<int:pk>/request/", day_request, name="day_request"),
]
