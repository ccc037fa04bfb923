"""Group service days: planning, booking within capacity, check-in, requests taken on the spot, pages."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from govcube.accounts.roles import Role
from govcube.audit.models import AuditEvent
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.services import days
from govcube.services.models import Booking, Channel, ServiceDay, ServiceDaySlot, ServiceRequest
from govcube.workdays.calendar import TZ
from tests.factories import enterprise_in, person_user, user_with_role

pytestmark = pytest.mark.django_db


def next_week_at(hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def plan(desk, world, *, actor=None, capacity=1, departments=None, **kw) -> ServiceDay:
    return days.service_day_create(
        actor=actor or desk.lead,
        building=kw.pop("building", world.henglong),
        title=kw.pop("title", "恒隆广场首席服务日"),
        starts_at=kw.pop("starts_at", next_week_at(14)),
        ends_at=kw.pop("ends_at", next_week_at(16)),
        place=kw.pop("place", "3楼党群服务站"),
        departments=departments if departments is not None else [desk.hr, desk.tax],
        slot_minutes=kw.pop("slot_minutes", 30),
        capacity_per_slot=capacity,
    )


def first_slot(day, department) -> ServiceDaySlot:
    return day.slots.filter(department=department).order_by("starts_at").first()


def tenant_contact(world, name: str, building=None):
    enterprise = enterprise_in(building or world.henglong, name=f"{name}有限公司")
    return user_with_role(name, Role.ENTERPRISE_CONTACT, enterprise=enterprise), enterprise


def on_the_day(monkeypatch, day, minutes: int = 10):
    moment = day.starts_at + timedelta(minutes=minutes)
    monkeypatch.setattr(timezone, "now", lambda: moment)


# --- Planning --------------------------------------------------------------------------------


def test_it_plans_a_day_with_slots_for_each_department(desk, world):
    day = plan(desk, world, capacity=2)
    # 14:00–16:00 in 30-minute slots: 14:00, 14:30, 15:00, 15:30 for each of the two departments.
    assert day.slots.count() == 8 and set(day.departments.all()) == {desk.hr, desk.tax}
    times = [timezone.localtime(s.starts_at).strftime("%H:%M") for s in day.slots.filter(department=desk.hr)]
    assert times == ["14:00", "14:30", "15:00", "15:30"]
    assert set(day.slots.values_list("capacity", flat=True)) == {2}
    event = AuditEvent.objects.get(action="services.day.created", object_id=str(day.pk))
    assert event.after["slots"] == 8 and event.street_id == world.henglong.street_id


def test_a_street_official_over_the_building_plans_and_others_may_not(desk, world, personas):
    assert plan(desk, world, actor=personas.street_njxl).building == world.henglong
    for outsider in (personas.street_jas, personas.district_leader, desk.hr_member, desk.contact):
        with pytest.raises(PermissionDenied):
            plan(desk, world, actor=outsider)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "starts_at"),
        ({"ends_at": next_week_at(13)}, "ends_at"),
        ({"ends_at": next_week_at(14) + timedelta(hours=13)}, "ends_at"),
        ({"slot_minutes": 240, "ends_at": next_week_at(15)}, "slot_minutes"),
        ({"slot_minutes": 2}, "slot_minutes"),
        ({"departments": []}, "departments"),
        ({"title": "  "}, "title"),
        ({"place": ""}, "place"),
        ({"capacity": 0}, "capacity_per_slot"),
    ],
)
def test_bad_plans_are_refused_naming_the_field(desk, world, changes, field):
    with pytest.raises(DomainError) as exc:
        plan(desk, world, **changes)
    assert exc.value.field == field
    assert not ServiceDay.objects.exists()


# --- Booking ---------------------------------------------------------------------------------


def test_an_enterprise_in_the_building_books_once_per_slot(desk, world):
    day = plan(desk, world, capacity=2)
    slot = first_slot(day, desk.hr)
    booking = days.booking_create(actor=desk.contact, slot=slot, topic="外籍员工工作许可")
    assert booking.enterprise == world.ent_a and booking.booked_by == desk.contact
    with pytest.raises(Conflict) as exc:
        days.booking_create(actor=desk.contact, slot=slot, topic="再来一次")
    assert exc.value.code == "services.booking.twice" and exc.value.status == 409
    slot.refresh_from_db()
    assert slot.booked == 1 and Booking.objects.filter(slot=slot).count() == 1


def test_a_full_slot_refuses_with_409_and_is_never_overbooked(desk, world):
    day = plan(desk, world, capacity=1)
    slot = first_slot(day, desk.hr)
    days.booking_create(actor=desk.contact, slot=slot, topic="社保咨询")
    other, _enterprise = tenant_contact(world, "contact_other")
    with pytest.raises(Conflict) as exc:
        days.booking_create(actor=other, slot=slot, topic="人才引进")
    assert exc.value.code == "services.booking.full" and exc.value.status == 409
    slot.refresh_from_db()
    assert (slot.booked, slot.capacity) == (1, 1)
    assert Booking.objects.filter(slot=slot, cancelled_at__isnull=True).count() == 1


def test_an_enterprise_outside_the_building_is_refused(desk, world):
    day = plan(desk, world)
    outsider, _enterprise = tenant_contact(world, "contact_jas", building=world.jas_building)
    with pytest.raises(PermissionDenied) as exc:
        days.booking_create(actor=outsider, slot=first_slot(day, desk.hr), topic="咨询")
    assert exc.value.code == "services.booking.not_tenant"
    with pytest.raises(PermissionDenied):
        days.booking_create(actor=desk.hr_member, slot=first_slot(day, desk.hr), topic="咨询")
    assert not Booking.objects.exists()


def test_an_employee_books_for_their_employer(desk, world):
    day = plan(desk, world)
    employee = person_user("employee_ent_a", world.ent_a, "赵敏", Role.EMPLOYEE, world.henglong.node)
    booking = days.booking_create(actor=employee, slot=first_slot(day, desk.tax), topic="发票")
    assert booking.enterprise == world.ent_a


def test_an_empty_topic_and_a_started_slot_are_refused(desk, world, monkeypatch):
    day = plan(desk, world)
    with pytest.raises(DomainError) as exc:
        days.booking_create(actor=desk.contact, slot=first_slot(day, desk.hr), topic=" ")
    assert exc.value.field == "topic"
    on_the_day(monkeypatch, day)
    with pytest.raises(Conflict):
        days.booking_create(actor=desk.contact, slot=first_slot(day, desk.hr), topic="迟到")


def test_cancelling_frees_the_place(desk, world):
    day = plan(desk, world, capacity=1)
    slot = first_slot(day, desk.hr)
    booking = days.booking_create(actor=desk.contact, slot=slot, topic="社保")
    other, _enterprise = tenant_contact(world, "contact_other")
    with pytest.raises(PermissionDenied):
        days.booking_cancel(actor=other, booking=booking)
    days.booking_cancel(actor=desk.contact, booking=booking)
    slot.refresh_from_db()
    assert slot.booked == 0
    with pytest.raises(Conflict):
        days.booking_cancel(actor=desk.contact, booking=booking)
    # The place and the enterprise's right to book the slot are both back.
    assert days.booking_create(actor=other, slot=slot, topic="人才").enterprise_id != world.ent_a.pk
    with pytest.raises(Conflict):
        days.booking_create(actor=desk.contact, slot=slot, topic="社保")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writers)")
def test_concurrent_bookings_never_exceed_capacity(desk, world):
    day = plan(desk, world, capacity=3)
    slot = first_slot(day, desk.hr)
    contacts = [tenant_contact(world, f"contact_rush_{i}")[0] for i in range(8)]
    barrier = threading.Barrier(len(contacts))
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(user):
        try:
            barrier.wait(timeout=10)
            days.booking_create(actor=user, slot=ServiceDaySlot.objects.get(pk=slot.pk), topic="抢位")
            result = "booked"
        except Conflict as exc:
            result = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(user,)) for user in contacts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    slot.refresh_from_db()
    assert outcomes.count("booked") == 3 and outcomes.count("services.booking.full") == 5
    assert slot.booked == 3 == Booking.objects.filter(slot=slot, cancelled_at__isnull=True).count()


# --- Check-in and requests on the spot -------------------------------------------------------


def test_check_in_by_the_departments_staff_on_the_day(desk, world, monkeypatch):
    day = plan(desk, world)
    booking = days.booking_create(actor=desk.contact, slot=first_slot(day, desk.hr), topic="工作许可")
    with pytest.raises(Conflict) as exc:
        days.booking_check_in(actor=desk.hr_member, booking=booking)
    assert exc.value.code == "services.booking.check_in.too_early"
    on_the_day(monkeypatch, day)
    with pytest.raises(PermissionDenied):
        days.booking_check_in(actor=desk.tax_member, booking=booking)
    with pytest.raises(PermissionDenied):
        days.booking_check_in(actor=desk.contact, booking=booking)
    days.booking_check_in(actor=desk.hr_member, booking=booking)
    booking.refresh_from_db()
    assert booking.checked_in_at == day.starts_at + timedelta(minutes=10)
    with pytest.raises(Conflict):
        days.booking_check_in(actor=desk.lead, booking=booking)
    with pytest.raises(Conflict):
        days.booking_cancel(actor=desk.hr_member, booking=booking)
    assert AuditEvent.objects.filter(action="services.booking.checked_in", object_id=str(booking.pk)).exists()


def test_a_request_taken_on_the_spot_has_the_service_day_channel(desk, world, monkeypatch):
    day = plan(desk, world)
    booking = days.booking_create(actor=desk.contact, slot=first_slot(day, desk.hr), topic="外籍人才")
    on_the_day(monkeypatch, day)
    request = days.request_on_the_spot(
        actor=desk.hr_member,
        booking=booking,
        item=desk.permit,
        title="外籍工程师工作许可",
        description="现场咨询：新聘外籍工程师的工作许可材料。",
    )
    assert request.channel == Channel.SERVICE_DAY == "service_day"
    assert (request.enterprise, request.building, request.department) == (world.ent_a, world.henglong, desk.hr)
    assert request.owner == desk.hr_member
    assert list(days.requests_of_day(day)) == [request]
    # A walk-in enterprise of the building, for another department's service.
    walk_in = enterprise_in(world.henglong, name="现场来访企业")
    second = days.request_on_the_spot(
        actor=desk.tax_member, enterprise=walk_in, day=day, item=desk.invoice, title="发票", description="领用发票"
    )
    assert second.channel == Channel.SERVICE_DAY and second.department == desk.tax


def test_requests_on_the_spot_are_refused_to_others_and_for_outsiders(desk, world, personas, monkeypatch):
    day = plan(desk, world, departments=[desk.hr])
    on_the_day(monkeypatch, day)
    args = {"item": desk.permit, "title": "咨询", "description": "现场咨询"}
    for outsider in (desk.contact, desk.tax_member, personas.street_njxl):
        with pytest.raises(PermissionDenied):
            days.request_on_the_spot(actor=outsider, enterprise=world.ent_a, day=day, **args)
    with pytest.raises(DomainError) as exc:
        days.request_on_the_spot(actor=desk.hr_member, enterprise=world.ent_b, day=day, **args)
    assert exc.value.code == "services.request.building.not_tenant"
    with pytest.raises(DomainError) as exc:
        days.request_on_the_spot(actor=desk.hr_member, day=day, **args)
    assert exc.value.field == "enterprise"
    assert not ServiceRequest.objects.exists()


# --- Pages -----------------------------------------------------------------------------------


def test_the_list_shows_the_days_of_the_enterprises_building_only(desk, world, login):
    day = plan(desk, world)
    body = login(desk.contact).get(reverse("services:day_list")).content.decode()
    assert day.title in body and "0 of 8 places booked" in body
    outsider, _enterprise = tenant_contact(world, "contact_jas", building=world.jas_building)
    client = login(outsider)
    assert day.title not in client.get(reverse("services:day_list")).content.decode()
    assert client.get(reverse("services:day_detail", args=[day.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, desk, world):
    day = plan(desk, world)
    for url in (reverse("services:day_list"), reverse("services:day_detail", args=[day.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_enterprise_books_from_the_day_page(desk, world, login):
    day = plan(desk, world)
    slot = first_slot(day, desk.hr)
    client = login(desk.contact)
    page = client.get(reverse("services:day_detail", args=[day.pk])).content.decode()
    assert f'id="slot-{slot.pk}"' in page and "Book a slot" in page
    response = client.post(reverse("services:day_book", args=[day.pk]), {"slot": slot.pk, "topic": "外籍员工工作许可"})
    assert response.status_code == 302
    assert Booking.objects.get(slot=slot).enterprise == world.ent_a
    other, _enterprise = tenant_contact(world, "contact_other")
    response = login(other).post(reverse("services:day_book", args=[day.pk]), {"slot": slot.pk, "topic": "人才"})
    assert response.status_code == 409 and "fully booked" in response.content.decode()
    assert login(other).post(reverse("services:day_book", args=[day.pk]), {"slot": "x"}).status_code == 400


def test_an_outsider_cannot_book_from_the_page(desk, world, login, personas):
    day = plan(desk, world)
    response = login(personas.street_njxl).post(
        reverse("services:day_book", args=[day.pk]), {"slot": first_slot(day, desk.hr).pk, "topic": "x"}
    )
    assert response.status_code == 403 and not Booking.objects.exists()


def test_staff_check_in_and_file_a_request_from_the_page(desk, world, login, monkeypatch):
    day = plan(desk, world)
    booking = days.booking_create(actor=desk.contact, slot=first_slot(day, desk.hr), topic="工作许可")
    on_the_day(monkeypatch, day)
    client = login(desk.hr_member)
    page = client.get(reverse("services:day_detail", args=[day.pk])).content.decode()
    assert "工作许可" in page and reverse("services:day_booking_check_in", args=[day.pk, booking.pk]) in page
    assert client.post(reverse("services:day_booking_check_in", args=[day.pk, booking.pk])).status_code == 302
    booking.refresh_from_db()
    assert booking.checked_in_at is not None
    assert client.post(reverse("services:day_booking_check_in", args=[day.pk, booking.pk])).status_code == 409
    url = reverse("services:day_request", args=[day.pk]) + f"?booking={booking.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"booking": booking.pk, "item": desk.permit.pk, "title": "工作许可", "description": "现场登记"}
    )
    assert response.status_code == 302
    filed = ServiceRequest.objects.get()
    assert filed.channel == Channel.SERVICE_DAY and filed.enterprise == world.ent_a
    assert filed.number in client.get(reverse("services:day_detail", args=[day.pk])).content.decode()
    # The enterprise sees neither the staff form nor the check-in button.
    contact = login(desk.contact)
    assert contact.get(reverse("services:day_request", args=[day.pk])).status_code == 403
    assert contact.post(reverse("services:day_booking_check_in", args=[day.pk, booking.pk])).status_code == 403


def test_the_lead_plans_a_day_from_the_form(desk, world, login):
    client = login(desk.lead)
    assert client.get(reverse("services:day_create")).status_code == 200
    start = next_week_at(14)
    data = {
        "building": world.henglong.pk,
        "title": "服务日",
        "place": "大堂",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "departments": [desk.hr.pk, desk.tax.pk],
        "slot_minutes": 20,
        "capacity_per_slot": 2,
    }
    response = client.post(reverse("services:day_create"), data)
    assert response.status_code == 302
    day = ServiceDay.objects.get()
    assert day.slots.count() == 6 and day.starts_at == start
    bad = client.post(reverse("services:day_create"), data | {"ends_at": data["starts_at"]})
    assert bad.status_code == 400 and ServiceDay.objects.count() == 1
    assert login(desk.contact).get(reverse("services:day_create")).status_code == 403


def test_list_query_count_does_not_grow(desk, world, login, count_queries):
    plan(desk, world)
    client = login(desk.contact)
    url = reverse("services:day_list")
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for i in range(10):
        plan(
            desk,
            world,
            title=f"服务日{i}",
            starts_at=next_week_at(9) + timedelta(days=i),
            ends_at=next_week_at(10) + timedelta(days=i),
        )
    with count_queries() as large:
        response = client.get(url)
    assert response.status_code == 200 and "服务日9" in response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)


def test_day_page_query_count_does_not_grow_with_bookings(desk, world, login, count_queries):
    day = plan(desk, world, capacity=5)
    days.booking_create(actor=desk.contact, slot=first_slot(day, desk.hr), topic="一")
    url = reverse("services:day_detail", args=[day.pk])
    client = login(desk.hr_member)
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for i in range(10):
        user, _enterprise = tenant_contact(world, f"contact_more_{i}")
        slot = day.slots.filter(department=desk.hr if i % 2 else desk.tax).order_by("starts_at")[i % 4]
        days.booking_create(actor=user, slot=slot, topic=f"咨询{i}")
    with count_queries() as large:
        response = client.get(url)
    assert response.content.decode().count("data-booking=") == 11
    assert len(large.captured_queries) == len(small.captured_queries)
