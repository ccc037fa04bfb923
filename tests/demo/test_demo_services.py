"""The service desk's demo (issue 5 item 8), loaded once for this module through ``manage.py load_demo``.

Like ``test_load_demo.py``: the load runs inside a transaction rolled back after the module,
and each test runs in its own savepoint inside it, so tests that act on the demo (rate, accept,
decide) leave it intact for the others.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from govcube.accounts.models import RoleAssignment, User
from govcube.audit.models import AuditEvent
from govcube.audit.services import audit_verify
from govcube.bodies.models import Body, BodyKind, BodyMember
from govcube.demo import services_content as sc
from govcube.engagement.models import Visit
from govcube.services import days as service_days
from govcube.services import kpis, routing, sla
from govcube.services import services as desk
from govcube.services.models import (
    OPEN_STATUSES,
    Booking,
    Channel,
    Department,
    Domain,
    Extension,
    Rating,
    ReminderSent,
    RequestStatus,
    RotaEntry,
    ServiceDay,
    ServiceItem,
    ServiceRequest,
)
from govcube.services.sweep import sla_sweep
from govcube.services.workflows import REQUEST_FLOW
from govcube.territory.models import Building
from govcube.workdays import calendar as wd

pytestmark = pytest.mark.django_db

BUREAUS = {
    "静安区商务委员会",
    "静安区人力资源和社会保障局",
    "静安区发展和改革委员会",
    "国家税务总局上海市静安区税务局",
    "静安区市场监督管理局",
    "静安区投资促进办公室",
}


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        out = StringIO()
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("load_demo", stdout=out)
    try:
        yield out.getvalue()
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def user(username: str) -> User:
    return User.objects.select_related("person").get(username=username)


def department(short_name: str) -> Department:
    return Department.objects.get(short_name=short_name)


# --- the team -------------------------------------------------------------------------------


def test_the_team_has_departments_from_bureaus_a_city_office_a_bank_and_an_association(demo):
    departments = list(Department.objects.prefetch_related("staff"))
    assert len(departments) >= 6
    assert {d.name for d in departments} >= BUREAUS
    assert {d.kind for d in departments} == set(Department.Kind.values)
    with_staff = [d for d in departments if d.staff.exists()]
    assert len(with_staff) >= 5
    for d in departments:
        staff = set(d.staff.values_list("pk", flat=True))
        assert 1 <= len(staff - {d.coordinator_id}) <= 3, d.name
        if d.coordinator_id:
            assert d.coordinator_id in staff, d.name
    assert sum(1 for d in departments if d.coordinator_id is None) == 1  # the association: the lead dispatches
    assert department("区人社局").staff.filter(username="service_hr").exists()
    assert department("静安区税务局").staff.filter(username="service_tax").exists()


def test_the_invented_members_are_demo_accounts_with_the_member_role_in_the_district(demo):
    usernames = {m.username for spec in sc.DEPARTMENTS for m in (spec.coordinator, *spec.staff) if m}
    members = User.objects.filter(username__in=usernames)
    assert members.count() == len(usernames)
    for member in members.exclude(username__in=["service_hr", "service_tax"]):
        assert member.is_demo and member.is_active and member.person_id, member.username
        held = RoleAssignment.objects.active().filter(user=member)
        assert {(a.role, a.node.name) for a in held} == {("service_member", "静安区")}, member.username
    team = Body.objects.get(kind=BodyKind.SERVICE_TEAM)
    people = set(BodyMember.objects.active().filter(body=team).values_list("person_id", flat=True))
    assert set(members.values_list("person_id", flat=True)) <= people
    assert "service_hr_coord" not in demo and "service_hr " in demo  # the printed table keeps to the personas…
    assert str(len(usernames) - 2) in demo  # …and counts the service team's other accounts


def test_the_rota_covers_the_27_nanjing_west_road_buildings_and_routes_bohua_to_service_hr(demo):
    njxl = set(Building.objects.filter(street__name="南京西路街道").values_list("pk", flat=True))
    assert len(njxl) == 27
    for d in Department.objects.exclude(coordinator=None):
        covered = set(RotaEntry.objects.filter(department=d).values_list("building_id", flat=True))
        assert njxl <= covered, d.name
        members = set(RotaEntry.objects.filter(department=d).values_list("member_id", flat=True))
        assert members <= set(d.staff.values_list("pk", flat=True))
    bohua = Building.objects.get(name="博华大厦")
    assert routing.owner_for(department("区人社局"), bohua) == user("service_hr")
    assert routing.owner_for(department("静安区税务局"), bohua) == user("service_tax")
    outside = Building.objects.exclude(pk__in=RotaEntry.objects.values("building_id")).first()
    assert routing.owner_for(department("区发改委"), outside) == department("区发改委").coordinator


# --- the catalogue ------------------------------------------------------------------------------


def test_the_catalogue_has_at_least_20_items_in_the_four_domains_each_with_a_policy(demo):
    items = list(ServiceItem.objects.select_related("department"))
    assert len(items) >= 20
    domains = Counter(i.domain for i in items)
    assert set(domains) == set(Domain.values) and min(domains.values()) >= 4
    for item in items:
        assert item.current_policy is not None and item.current_policy.number == 1, item.code
        assert item.documents and item.guide, item.code
    permit = ServiceItem.objects.get(name="外国人来华工作许可")
    assert permit.department.short_name == "区人社局"
    assert (permit.current_policy.first_response_hours, permit.current_policy.resolution_days) == (4, 5)
    assert AuditEvent.objects.filter(action="services.item.created").count() == len(items)


# --- the requests ---------------------------------------------------------------------------------


def test_about_2000_requests_over_the_past_year_in_every_state_and_channel(demo):
    requests = ServiceRequest.objects.all()
    assert 1800 <= requests.count() <= 2200
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(requests.values_list("channel", flat=True)) == set(Channel.values)
    channels = Counter(requests.values_list("channel", flat=True))
    assert channels.most_common(1)[0][0] == Channel.WEB
    now = timezone.now()
    first = requests.order_by("submitted_at").first().submitted_at
    assert now - timedelta(days=367) <= first and requests.filter(submitted_at__gt=now).count() == 0
    assert requests.values("building").distinct().count() >= 40
    assert requests.values("enterprise").distinct().count() >= 300
    assert requests.filter(status=RequestStatus.MERGED, merged_into__isnull=True).count() == 0
    assert requests.filter(topic__isnull=False, channel=Channel.TOPIC).exists()


def test_requests_cluster_on_weekdays_in_office_hours_and_in_spring_and_autumn(demo):
    moments = [wd.local(m) for m in ServiceRequest.objects.values_list("submitted_at", flat=True)]
    weekdays = sum(1 for m in moments if m.weekday() < 5)
    assert weekdays / len(moments) > 0.95
    office = sum(1 for m in moments if 9 <= m.hour < 18)
    assert office / len(moments) > 0.85
    per_month = Counter(m.month for m in moments)
    busy = sum(per_month[m] for m in (3, 4, 5, 9, 11)) / 5
    quiet = sum(per_month[m] for m in (1, 2, 7, 8)) / 4
    assert busy > 1.2 * quiet


def test_most_requests_are_closed_with_ratings_mostly_satisfied(demo):
    requests = ServiceRequest.objects.all()
    closed = requests.filter(status=RequestStatus.CLOSED).count()
    assert closed / requests.count() > 0.8
    scores = Counter(Rating.objects.values_list("score", flat=True))
    total = sum(scores.values())
    assert total > 0.75 * closed
    assert (scores[5] + scores[4]) / total > 0.8
    assert scores[3] > 0 and 0 < scores[1] + scores[2] < 0.1 * total
    low = Rating.objects.filter(score__lte=2)
    assert set(low.values_list("review_status", flat=True)) == {"open", "done"}
    assert all(low.filter(review_status="done").values_list("review_note", flat=True))
    assert not Rating.objects.filter(score__gt=2).exclude(review_status="").exists()
    resolved = requests.filter(status=RequestStatus.RESOLVED)
    assert resolved.exists()
    assert not Rating.objects.filter(request__in=resolved, round=F("request__reopen_count")).exists()  # to rate


def test_some_open_requests_are_overdue_some_reopened_transferred_and_extended(demo):
    now = timezone.now()
    overdue = ServiceRequest.objects.filter(status__in=OPEN_STATUSES, resolution_due__lt=now)
    assert overdue.count() >= 10
    running = overdue.exclude(status=RequestStatus.WAITING)  # the sweep escalates a running clock that has run out
    assert running.filter(escalation_level__gte=1).count() >= 0.9 * running.count()
    reopened = ServiceRequest.objects.filter(reopen_count=1)
    assert reopened.exists() and not ServiceRequest.objects.filter(reopen_count__gt=1).exists()
    assert Rating.objects.filter(round=1).exists()
    transferred = ServiceRequest.objects.filter(transfer_count=1)
    assert transferred.count() >= 20
    assert all(r.item.department_id != r.department_id for r in transferred.select_related("item"))
    assert set(Extension.objects.values_list("status", flat=True)) == set(Extension.Status.values)
    approved = Extension.objects.filter(status=Extension.Status.APPROVED).values_list("request_id", flat=True)
    assert not ServiceRequest.objects.filter(pk__in=approved, extension_days=0).exists()
    waiting = ServiceRequest.objects.filter(status=RequestStatus.WAITING)
    assert waiting.exists() and not waiting.filter(paused_at__isnull=True).exists()
    assert not ServiceRequest.objects.exclude(status=RequestStatus.WAITING).filter(paused_at__isnull=False).exists()


def test_the_imported_clocks_are_those_of_the_sla_engine(demo):
    current = [e.after["number"] for e in AuditEvent.objects.filter(action="services.request.submitted")]
    requests = ServiceRequest.objects.select_related("policy").exclude(number__in=current)
    checked = 0
    for r in requests:
        assert r.first_response_due == sla.first_response_due(r.submitted_at, r.policy), r.number
        assert r.created == r.submitted_at and r.submitted_at <= r.modified
        if r.first_responded_at:
            assert r.first_responded_at >= r.submitted_at
        if r.closed_at:
            assert r.resolved_at and r.closed_at >= r.resolved_at >= r.submitted_at
        if r.status in OPEN_STATUSES:
            assert r.resolved_at is None and r.closed_at is None
        if not (r.reopen_count or r.extension_days):
            expected = sla.shift_by_working_time(
                sla.resolution_due(r.submitted_at, r.policy.resolution_days), timedelta(seconds=r.paused_seconds)
            )
            assert abs((r.resolution_due - expected).total_seconds()) < 1, r.number  # paused time is whole seconds
            checked += 1
    assert checked > 1500
    paused = ServiceRequest.objects.filter(paused_seconds__gt=0)
    assert paused.count() > 100


# --- the demo story -------------------------------------------------------------------------------


def test_contact_bohua_has_a_request_waiting_on_the_enterprise_and_one_to_rate(demo):
    contact = user("contact_bohua")
    mine = ServiceRequest.objects.filter(enterprise=contact.person.employer)
    titles = {spec.key: spec.title for spec in sc.CURRENT}
    waiting = mine.get(title=titles["bohua_permit"], status=RequestStatus.WAITING)
    assert waiting.item.name == "外国人来华工作许可" and waiting.owner == user("service_hr")
    assert waiting.paused_at < timezone.now() and waiting.first_responded_at
    assert "resume" in {t.action for t in REQUEST_FLOW.available(waiting, contact)}
    desk.message_post(actor=contact, request=waiting, text="认证报告和无犯罪记录证明已上传。")
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.IN_PROGRESS and waiting.paused_seconds > 0
    to_rate = mine.get(title=titles["bohua_invoice"], status=RequestStatus.RESOLVED)
    assert not to_rate.ratings.exists() and to_rate.answer
    assert timezone.now() - to_rate.resolved_at < timedelta(days=7)  # still within the reopen window
    desk.rating_submit(actor=contact, request=to_rate, score=5, comment="很快")
    to_rate.refresh_from_db()
    assert to_rate.status == RequestStatus.CLOSED
    assert mine.filter(status=RequestStatus.CLOSED, ratings__rated_by=contact).count() >= 2


def test_service_hr_has_a_queue_with_a_request_to_accept(demo):
    member = user("service_hr")
    mine = ServiceRequest.objects.filter(owner=member, status__in=OPEN_STATUSES)
    assert mine.count() >= 3
    new = mine.filter(status=RequestStatus.ASSIGNED).order_by("-submitted_at").first()
    accepted = desk.request_action(actor=member, request=new, action="accept", version=new.version)
    assert accepted.status == RequestStatus.IN_PROGRESS and accepted.update_due


def test_the_leads_board_has_an_overdue_request_with_a_pending_extension_and_one_to_dispatch(demo):
    lead = user("service_lead")
    pending = Extension.objects.filter(status=Extension.Status.PENDING).select_related("request")
    overdue = [e for e in pending if e.request.resolution_due < timezone.now() and e.request.escalation_level]
    assert overdue
    extension = desk.extension_decide(actor=lead, extension=overdue[0], approve=True)
    assert extension.status == Extension.Status.APPROVED
    unassigned = ServiceRequest.objects.filter(status=RequestStatus.SUBMITTED, owner=None).first()
    member = unassigned.department.staff.first()
    assigned = desk.request_assign(actor=lead, request=unassigned, owner=member, version=unassigned.version)
    assert assigned.status == RequestStatus.ASSIGNED and assigned.owner == member


def test_the_current_requests_went_through_the_services(demo):
    # Requests passed on from visits (demo/engagement_loader.py) are filed by the liaison cadre.
    filed = AuditEvent.objects.filter(action="services.request.submitted").exclude(after__channel=Channel.VISIT)
    assert filed.count() == len(sc.CURRENT)
    numbers = {e.after["number"] for e in filed}
    assert ServiceRequest.objects.filter(number__in=numbers).count() == len(sc.CURRENT)
    assert AuditEvent.objects.filter(action="services.request.transfer").count() == 1
    assert AuditEvent.objects.filter(action="services.request.escalated").count() == 1
    assert AuditEvent.objects.filter(action="services.extension.requested").count() == 1


# --- service days ---------------------------------------------------------------------------------


def test_two_past_service_days_and_one_upcoming_with_free_slots(demo):
    now = timezone.now()
    days = service_days.with_totals(ServiceDay.objects.all())
    past = [d for d in days if d.ends_at < now]
    upcoming = [d for d in days if d.starts_at > now]
    assert len(past) == 2 and len(upcoming) == 1
    for day in past:
        assert day.places_booked > 0
        assert Booking.objects.filter(slot__day=day, checked_in_at__isnull=False).exists()
        assert service_days.requests_of_day(day).exists()
        assert not day.slots.filter(starts_at__lt=day.starts_at).exists()
        assert not day.slots.filter(starts_at__gte=day.ends_at).exists()
    day = upcoming[0]
    assert day.building.name == "博华大厦"
    assert day.places > day.places_booked >= 1
    contact = user("contact_bohua")
    assert Booking.objects.filter(slot__day=day, booked_by=contact).count() == 1
    free = day.slots.exclude(department__short_name="静安区税务局").filter(booked=0).first()
    booking = service_days.booking_create(actor=contact, slot=free, topic="外籍员工工作许可咨询")
    assert booking.pk and free.booked == 1


# --- KPIs, the sweep, the pages and the audit trail ------------------------------------------------------


@pytest.mark.parametrize("code", ["this_month", "last_month", "this_year"])
def test_the_kpis_compute_on_the_demo(demo, code):
    requests, departments = kpis.kpi_scope(user=user("service_lead"))
    assert departments is None
    period = kpis.period_named(code)
    table = kpis.kpi_table(requests, period)
    assert len(table.rows) >= 5
    for ratio in table.total.ratios.values():
        assert ratio.denominator > 0 and 0 <= ratio.rate <= 1
    assert 0.6 < table.total["satisfaction_rate"].rate < 1
    assert table.total.handling.count > 0 and table.total.handling.median_hours > 0
    assert sum(kpis.satisfaction_distribution(requests, period).values()) > 0
    assert kpis.requests_per_week(requests, period)
    assert kpis.kpi_table(requests, period, by="owner").rows


def test_the_sweep_does_not_repeat_what_the_imported_history_already_sent(demo):
    imported = ReminderSent.objects.filter(kind="breach", clock="resolution").values_list("request_id", flat=True)
    assert imported
    before = set(ReminderSent.objects.filter(request_id__in=imported).values_list("request_id", "clock", "kind", "due"))
    sla_sweep()
    after = set(ReminderSent.objects.filter(request_id__in=imported).values_list("request_id", "clock", "kind", "due"))
    assert {(r, clock, kind) for r, clock, kind, _due in after - before}.isdisjoint(
        {(r, clock, kind) for r, clock, kind, _due in before}
    )
    assert sla_sweep() == 0  # and a second run sends nothing


@pytest.mark.parametrize(
    ("username", "url_name"),
    [
        ("service_lead", "services:board"),
        ("service_lead", "services:dashboard"),
        ("service_hr", "services:queue"),
        ("contact_bohua", "services:my_requests"),
        ("contact_bohua", "services:day_list"),
    ],
)
def test_the_desk_pages_render_on_the_demo(demo, client, username, url_name):
    client.force_login(user(username))
    response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_an_imported_request_page_renders_for_its_enterprise_and_not_for_another(demo, client):
    contact = user("contact_bohua")
    imported = (
        ServiceRequest.objects.filter(enterprise=contact.person.employer, status=RequestStatus.CLOSED)
        .order_by("submitted_at")
        .first()
    )
    client.force_login(contact)
    page = client.get(reverse("services:request_detail", args=[imported.pk]))
    assert page.status_code == 200 and imported.title in page.content.decode()
    other = ServiceRequest.objects.exclude(enterprise=contact.person.employer).first()
    assert client.get(reverse("services:request_detail", args=[other.pk])).status_code == 404


def test_the_history_is_imported_with_honest_audit_events_and_the_chain_verifies(demo):
    events = AuditEvent.objects.filter(action="demo.services.history_imported")
    counts: Counter[str] = Counter()
    for event in events:
        assert event.after["imported"] is True and event.actor_name == "district_admin"
        counts[event.after["kind"]] += event.after["count"]
    assert set(counts) == {"requests", "messages", "ratings", "extensions", "reminders", "bookings"}
    passed_on = Visit.objects.filter(link_type="services.servicerequest").count()  # engagement demo
    assert counts["requests"] == ServiceRequest.objects.count() - len(sc.CURRENT) - passed_on
    assert counts["ratings"] == Rating.objects.count()
    assert counts["bookings"] == Booking.objects.count() - 1  # contact_bohua booked the upcoming day
    assert events.filter(after__kind="requests").count() == -(-counts["requests"] // 500)
    assert AuditEvent.objects.filter(action="demo.services.department_created").count() == Department.objects.count()
    assert AuditEvent.objects.filter(action="demo.services.rota_imported").count() == 1
    assert (
        AuditEvent.objects.filter(action="services.day.created").count() == ServiceDay.objects.count() == 3
    )  # all three days were planned through the service
    assert (
        ServiceDay.objects.aggregate(n=Sum("slots__booked"))["n"]
        == Booking.objects.filter(cancelled_at__isnull=True).count()
    )
    result = audit_verify()
    assert result.ok, result.problems
