"""Loading the service desk's demo, after the foundation and the bodies.

What goes through the real services, acting as the demo user who would do it:

- the people and accounts of the team's members (``directory.person_create``, ``_user_create`` and
  ``_role_assign`` by the security administrator, like the foundation's accounts), their
  membership of the chief service team's body (``bodies.body_member_add``);
- the catalogue (``services.service_item_create`` by ``district_admin``), so every item has its
  first policy version;
- the requests a demo user will act on (contact_bohua's, a few in service_hr's queue, an overdue
  one with a pending extension on the lead's board, an unassigned one, a transfer):
  ``request_submit``, ``request_action``, ``message_post``, ``extension_request``,
  ``request_escalate``. They are filed at the time of loading and then moved back to the
  moments they stand for (a few working days ago) by a queryset ``update()`` of their
  timestamps only, the deadlines recomputed by ``services.sla`` from the moved submission;
  their audit trail keeps the real time of loading (it is a hash chain and is never rewritten);
- the three service days (``services.days.service_day_create`` by the team lead). The two past
  ones are planned a whole number of weeks ahead and then moved into the past, like the past
  meetings of the bodies demo; the upcoming one is booked by contact_bohua through
  ``booking_create``.

What cannot go through a service and is written honestly around them:

- *Departments and the rota.* There is no service for them yet: they are written through the
  model, with one audit event per department (``demo.services.department_created``) and one for
  the rota (``demo.services.rota_imported``).
- *The history.* About 2,000 requests over the past twelve months are **imported, not lived
  through the workflow**: running each lifecycle through the services would take minutes. Each
  request's lifecycle (routing, acceptance, first contact, questions that pause the clock,
  transfers, extensions, resolution, rating, closing, reopening, withdrawal, merging) is
  simulated in memory with the same rules as the services, its clocks computed by
  ``services.sla`` on the working-day calendar (first response and resolution from the policy,
  the resolution moved by the working time spent waiting and by approved extensions, the
  update clock reset by every message to the enterprise), and the state it has reached at the
  time of loading is written with ``bulk_create`` together with its messages, ratings,
  extensions, the reminders the SLA sweep would have sent for the clocks already run out, and
  the bookings of the past service days. Per batch and kind of row there is one audit event
  ``demo.services.history_imported`` with the counts; there are no per-request workflow events,
  so an imported request's timeline shows its messages only.

The same seed gives the same history; dates move with the day of loading, so there are always
recent open requests, overdue ones, a past and an upcoming service day.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import F
from django.utils import timezone

from govcube.accounts.roles import Role
from govcube.accounts.services import _role_assign, _user_create
from govcube.audit.services import audit_record
from govcube.bodies import services as bodies
from govcube.bodies.models import Body, BodyKind, BodyMember, MemberRole
from govcube.deliberation.models import Topic, TopicStatus
from govcube.demo import services_content as sc
from govcube.demo.generator import make_mobile
from govcube.directory import services as directory
from govcube.directory.models import Person
from govcube.services import days as service_days
from govcube.services import services as desk
from govcube.services import sla
from govcube.services.models import (
    OPEN_STATUSES,
    Booking,
    Channel,
    Department,
    Extension,
    Rating,
    ReminderSent,
    RequestMessage,
    RequestStatus,
    RotaEntry,
    ServiceDay,
    ServiceDaySlot,
    ServiceItem,
    ServiceRequest,
)
from govcube.workdays import calendar as wd

if TYPE_CHECKING:
    from govcube.accounts.models import User
    from govcube.demo.generator import EnterprisePlan
    from govcube.demo.services import _Loader
    from govcube.territory.models import Building

S = RequestStatus
BATCH = 500
HISTORY_DAYS = 365
ROTA_SINCE_DAYS = 400
# Requests per day: more in spring and autumn, fewer around the Spring Festival and in summer.
MONTH_WEIGHTS = {1: 0.8, 2: 0.55, 3: 1.2, 4: 1.3, 5: 1.2, 6: 1.0, 7: 0.8, 8: 0.7, 9: 1.25, 10: 0.95, 11: 1.3, 12: 1.0}
WEEKDAY_WEIGHTS = (1.15, 1.05, 1.0, 1.0, 0.85, 0.04, 0.04)  # Monday … Sunday (off days: web only)
HOUR_WEIGHTS = {
    8: 0.1,
    9: 1.0,
    10: 1.6,
    11: 1.3,
    12: 0.3,
    13: 0.6,
    14: 1.3,
    15: 1.5,
    16: 1.2,
    17: 0.7,
    18: 0.2,
    19: 0.1,
}
SCORES = (5, 4, 3, 2, 1)
SCORE_WEIGHTS = (70, 21, 6, 2, 1)
SCORE_WEIGHTS_LATE = (38, 30, 18, 9, 5)
LOW = 2


@dataclass
class _Sim:
    """One imported request: what it is, the events of its life, and the state they lead to."""

    enterprise_id: int
    building: Building
    spec: sc.ItemSpec
    channel: str
    title: str
    description: str
    requester_id: int | None
    submitted: datetime
    topic_id: int | None = None
    fate: str = "handled"  # handled / withdrawn / merged / stuck / unaccepted
    transfer: bool = False
    kept: _Sim | None = None  # the request a merged duplicate was merged into
    force_score: int | None = None
    events: list[tuple[datetime, int, str, dict]] = field(default_factory=list)
    state: dict = field(default_factory=dict)
    messages: list[tuple[datetime, int | None, str, bool]] = field(default_factory=list)
    ratings: list[dict] = field(default_factory=list)
    extensions: list[dict] = field(default_factory=list)
    reminders: list[tuple[str, str, datetime]] = field(default_factory=list)
    resolved_first: datetime | None = None  # planned moment of the first resolution
    pk: int | None = None

    def at(self, moment: datetime, kind: str, **data) -> None:
        self.events.append((moment, len(self.events), kind, data))


class ServicesLoader:
    def __init__(self, foundation: _Loader):
        self.f = foundation
        self.plan = foundation.plan
        self.rng = random.Random(f"{self.plan.seed}:services")
        self.now = timezone.now()
        self.today = wd.local(self.now).date()
        self.cal = wd.load_calendar()
        self.admin = foundation.admin
        self.district = foundation.nodes[foundation.district_code]
        self.users: dict[str, User] = dict(foundation.users)
        self.new_accounts: list[User] = []
        self.departments: dict[str, Department] = {}
        self.coordinators: dict[int, User | None] = {}
        self.staff: dict[str, list[User]] = {}
        self.rota: dict[tuple[int, int], User] = {}
        self.items: dict[str, ServiceItem] = {}
        self.policies: dict[str, object] = {}
        self.items_of: dict[str, list[sc.ItemSpec]] = defaultdict(list)
        self.day_spots: list[tuple[ServiceDaySlot, int, datetime, str]] = []  # (slot, enterprise, moment, dept key)
        self.bookings = 0
        self.days: list[ServiceDay] = []
        self.current: dict[str, ServiceRequest] = {}
        self.account_of_person = {u.person_id: u for u in foundation.users.values() if u.person_id}

    # --- entry points ---------------------------------------------------------------------

    def run(self) -> None:
        self._accounts()
        self._departments()
        self._team_body()
        self._rota()
        self._catalogue()
        self._past_days()
        self._history()
        self._current_requests()
        self._upcoming_day()

    def counts(self) -> dict[str, int]:
        states = Counter(ServiceRequest.objects.values_list("status", flat=True))
        return {
            "service_departments": len(self.departments),
            "service_team_members": len(
                {u.pk for members in self.staff.values() for u in members}
                | {u.pk for u in self.coordinators.values() if u}
            ),
            "service_items": len(self.items),
            "service_requests": sum(states.values()),
            "service_request_states": len(states),
            "service_requests_open": sum(states[s] for s in OPEN_STATUSES),
            "service_requests_overdue": ServiceRequest.objects.filter(
                status__in=OPEN_STATUSES, resolution_due__lt=self.now
            ).count(),
            "service_requests_reopened": ServiceRequest.objects.filter(reopen_count__gt=0).count(),
            "service_ratings": Rating.objects.count(),
            "service_days": len(self.days),
            "service_day_bookings": Booking.objects.count(),
        }

    # --- time -----------------------------------------------------------------------------

    def wh(self, moment: datetime, hours: float) -> datetime:
        """The moment ``hours`` working hours later (on the calendar the SLA uses)."""
        return self.cal.add_working_hours(moment, hours)

    def _aware(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=wd.TZ)

    def _working_day(self, days: int) -> date:
        """``days`` calendar days from today, moved to a working day (away from today)."""
        day = self.today + timedelta(days=days)
        while not self.cal.is_working_day(day):
            day += timedelta(days=1 if days >= 0 else -1)
        return day

    # --- people, departments, rota, catalogue -----------------------------------------------

    def _accounts(self) -> None:
        team = Body.objects.get(kind=BodyKind.SERVICE_TEAM)
        extra = {
            m.person.name: m.person
            for m in BodyMember.objects.filter(body=team, person__isnull=False).select_related("person")
        }
        used = set(Person.objects.exclude(mobile="").values_list("mobile", flat=True))
        for spec in sc.DEPARTMENTS:
            for member in (spec.coordinator, *spec.staff):
                if member is None or member.username in self.users:
                    continue
                if member.person.startswith("@"):
                    self.users[member.username] = self.f.users[member.person[1:]]
                    continue
                if member.person.startswith("extra:"):
                    person = extra[member.person.partition(":")[2]]
                else:
                    person = directory.person_create(
                        actor=self.admin, node=self.district, name=member.person, mobile=make_mobile(self.rng, used)
                    )
                user = _user_create(
                    actor=self.f.security,
                    username=member.username,
                    password=self.f.password,
                    display_name=person.name,
                    person=person,
                    is_demo=True,
                )
                _role_assign(actor=self.f.security, user=user, role=Role.SERVICE_MEMBER, node=self.district)
                self.users[member.username] = user
                self.new_accounts.append(user)

    def _departments(self) -> None:
        for spec in sc.DEPARTMENTS:
            coordinator = self.users[spec.coordinator.username] if spec.coordinator else None
            staff = [self.users[m.username] for m in spec.staff]
            department = Department.objects.create(
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                district=self.district,
                coordinator=coordinator,
            )
            department.staff.set([*([coordinator] if coordinator else []), *staff])
            audit_record(
                actor=self.admin,
                action="demo.services.department_created",
                obj=department,
                after={
                    "name": spec.name,
                    "kind": spec.kind,
                    "coordinator": coordinator.pk if coordinator else None,
                    "staff": sorted(u.pk for u in staff),
                },
            )
            self.departments[spec.key] = department
            self.staff[spec.key] = staff
            self.coordinators[department.pk] = coordinator

    def _team_body(self) -> None:
        """Every department's people join the chief service team's body (from the start of the history)."""
        team = Body.objects.get(kind=BodyKind.SERVICE_TEAM)
        members = set(BodyMember.objects.active().filter(body=team).values_list("person_id", flat=True))
        since = self.today - timedelta(days=ROTA_SINCE_DAYS)
        for spec in sc.DEPARTMENTS:
            for member in (spec.coordinator, *spec.staff):
                if member is None:
                    continue
                person_id = self.users[member.username].person_id
                if person_id in members:
                    continue
                bodies.body_member_add(
                    actor=self.admin,
                    body=team,
                    role=MemberRole.MEMBER,
                    person=self.users[member.username].person,
                    start=since,
                )
                members.add(person_id)

    def _rota(self) -> None:
        """Each department's staff share the Nanjing West Road clusters (and some buildings beyond)."""
        since = self.today - timedelta(days=ROTA_SINCE_DAYS)
        entries = []
        for spec in sc.DEPARTMENTS:
            department, staff = self.departments[spec.key], self.staff[spec.key]
            if spec.coordinator is None:  # the association: dispatched by the team lead
                continue
            assignment: list[tuple[str, User]] = []
            for n, codes in enumerate(self.plan.clusters.values()):
                assignment += [(code, staff[n % len(staff)]) for code in codes]
            for n, name in enumerate(spec.rota):
                assignment.append((self.plan.building_by_name(name).code, staff[n % len(staff)]))
            for code, member in assignment:
                building = self.f.buildings[code]
                entries.append(RotaEntry(department=department, building=building, member=member, start=since))
                self.rota[(department.pk, building.pk)] = member
        RotaEntry.objects.bulk_create(entries)
        audit_record(
            actor=self.admin,
            action="demo.services.rota_imported",
            object_type="services.rotaentry",
            object_id="",
            object_repr="首席服务团队楼宇轮值表",
            after={"entries": len(entries), "departments": len(self.departments), "start": since.isoformat()},
        )

    def _catalogue(self) -> None:
        for spec in sc.CATALOGUE:
            item = desk.service_item_create(
                actor=self.admin,
                domain=spec.domain,
                code=spec.code,
                name=spec.name,
                department=self.departments[spec.department],
                first_response_hours=Decimal(spec.first_response_hours),
                update_hours=Decimal(spec.update_hours),
                resolution_days=spec.resolution_days,
                documents=list(spec.documents),
                guide=spec.guide,
            )
            self.items[spec.code] = item
            self.policies[spec.code] = item.current_policy
            self.items_of[spec.department].append(spec)

    def _owner_for(self, department: Department, building) -> User | None:
        """As ``routing.owner_for``: the member on the building's rota, else the coordinator (or nobody)."""
        return self.rota.get((department.pk, building.pk)) or self.coordinators[department.pk]

    # --- service days -----------------------------------------------------------------------

    def _plan_day(self, spec: sc.DaySpec, start: datetime) -> ServiceDay:
        return service_days.service_day_create(
            actor=self.users["service_lead"],
            building=self.f.buildings[self.plan.building_by_name(spec.building).code],
            title=spec.title,
            starts_at=start,
            ends_at=start + timedelta(hours=spec.hours),
            place=spec.place,
            departments=[self.departments[key] for key in spec.departments],
            slot_minutes=spec.slot_minutes,
            capacity_per_slot=spec.capacity,
        )

    def _past_days(self) -> None:
        """Planned ahead through the service, then moved into the past; their bookings are imported."""
        for spec in sc.PAST_DAYS:
            start = self._aware(self._working_day(spec.days), spec.start_hour)
            shift = timedelta(days=7 * ((self.today - start.date()).days // 7 + 2))
            day = self._plan_day(spec, start + shift)
            end = start + timedelta(hours=spec.hours)
            ServiceDay.objects.filter(pk=day.pk).update(
                starts_at=start, ends_at=end, created=start - timedelta(days=21), modified=end
            )
            ServiceDaySlot.objects.filter(day=day).update(starts_at=F("starts_at") - shift)
            day.refresh_from_db()
            self.days.append(day)
            self._past_bookings(day, spec)

    def _past_bookings(self, day: ServiceDay, spec: sc.DaySpec) -> None:
        rng = self.rng
        key_of = {self.departments[key].pk: key for key in spec.departments}
        code = self.plan.building_by_name(spec.building).code
        tenants = [self.f.enterprises[e.index].pk for e in self.plan.tenants_of(code)]
        local_day = wd.local(day.starts_at).date()
        bookings, slots = [], list(day.slots.order_by("department_id", "starts_at"))
        for slot in slots:
            taken = rng.sample(tenants, min(len(tenants), slot.capacity))
            booked = 0
            for enterprise_id in taken:
                if rng.random() > 0.7:
                    continue
                created = self.wh(self._aware(local_day, 9) - timedelta(days=rng.randint(2, 12)), 2)
                cancelled = rng.random() < 0.06
                checked_in = (
                    None if cancelled or rng.random() < 0.15 else slot.starts_at - timedelta(minutes=rng.randint(0, 10))
                )
                topic = rng.choice(sc.BOOKING_TOPICS[key_of[slot.department_id]])
                bookings.append(
                    (
                        Booking(slot=slot, enterprise_id=enterprise_id, topic=topic, checked_in_at=checked_in),
                        created,
                        created + timedelta(days=1) if cancelled else (checked_in or created),
                        cancelled,
                    )
                )
                booked += not cancelled
                if checked_in and rng.random() < 0.55:
                    moment = slot.starts_at + timedelta(minutes=rng.randint(3, 15))
                    self.day_spots.append((slot, enterprise_id, moment, key_of[slot.department_id]))
            slot.booked = booked
        for booking, _created, modified, cancelled in bookings:
            if cancelled:
                booking.cancelled_at = modified
        created = Booking.objects.bulk_create([b for b, *_rest in bookings])
        self._stamp(Booking, [(b.pk, c, m) for b, (_b, c, m, _x) in zip(created, bookings, strict=True)])
        ServiceDaySlot.objects.bulk_update(slots, ["booked"])
        self.bookings += len(created)
        self._imported("bookings", Booking, [b.pk for b in created], day=day.pk)

    def _upcoming_day(self) -> None:
        spec = sc.UPCOMING_DAY
        day = self._plan_day(spec, self._aware(self._working_day(spec.days), spec.start_hour))
        self.days.append(day)
        tax = self.departments["tax"]
        slot = ServiceDaySlot.objects.filter(day=day, department=tax).order_by("starts_at")[1]
        service_days.booking_create(
            actor=self.users["contact_bohua"], slot=slot, topic="研发费用加计扣除和数电发票额度咨询"
        )
        self.bookings += 1

    # --- the history ------------------------------------------------------------------------

    def _history(self) -> None:
        sims = self._base_sims()
        sims += self._bohua_sims()
        sims += self._spot_sims()
        sims += self._topic_sims()
        self._choose_fates(sims)
        for sim in sims:
            self._plan_life(sim)
        sims += self._duplicates(sims)
        for sim in sims:
            self._live(sim)
        sims.sort(key=lambda s: s.submitted)
        self._write(sims)

    def _enterprise_pool(self) -> tuple[list[EnterprisePlan], list[float]]:
        njxl = {code for codes in self.plan.clusters.values() for code in codes}
        others = {self.plan.building_by_name(name).code for spec in sc.DEPARTMENTS for name in spec.rota}
        pool, weights = [], []
        for e in self.plan.enterprises:
            place = 3.0 if e.building in njxl else 2.0 if e.building in others else 0.8
            pool.append(e)
            weights.append(place * math.sqrt(min(e.headcount, 2000)))
        return pool, weights

    def _people_of(self) -> dict[int, list[int]]:
        """Person ids by employer index, demo-account holders three times (they file more)."""
        people: dict[int, list[int]] = defaultdict(list)
        for spec in self.plan.people:
            if spec.employer is None:
                continue
            person = self.f.people[spec.key]
            weight = 3 if person.pk in self.account_of_person else 1
            people[spec.employer] += [person.pk] * weight
        return people

    def _moments(self, n: int) -> list[datetime]:
        rng = self.rng
        days = [self.today - timedelta(days=k) for k in range(HISTORY_DAYS, -1, -1)]
        weights = []
        for day in days:
            # A make-up working Saturday or Sunday is an ordinary working day; other off days: web only.
            working = self.cal.is_working_day(day)
            weekday = WEEKDAY_WEIGHTS[min(day.weekday(), 4)] if working else WEEKDAY_WEIGHTS[6]
            weights.append(MONTH_WEIGHTS[day.month] * weekday)
        cumulative = list(accumulate(weights))
        hours, hour_weights = list(HOUR_WEIGHTS), list(accumulate(HOUR_WEIGHTS.values()))
        moments = []
        while len(moments) < n:
            day = rng.choices(days, cum_weights=cumulative)[0]
            if self.cal.is_working_day(day):
                hour = rng.choices(hours, cum_weights=hour_weights)[0]
            else:
                hour = rng.randint(10, 21)
            moment = self._aware(day, hour, rng.randint(0, 59))
            if moment < self.now - timedelta(minutes=30):
                moments.append(moment)
        return moments

    def _base_sims(self) -> list[_Sim]:
        rng = self.rng
        pool, weights = self._enterprise_pool()
        weights = list(accumulate(weights))
        people = self._people_of()
        items, item_weights = sc.CATALOGUE, list(accumulate(spec.weight for spec in sc.CATALOGUE))
        sims = []
        for moment in self._moments(sc.HISTORY_REQUESTS):
            e = rng.choices(pool, cum_weights=weights)[0]
            spec = rng.choices(items, cum_weights=item_weights)[0]
            on_duty = self.cal.is_working_day(moment) and 9 <= moment.hour < 18
            channel = (
                rng.choices((Channel.WEB, Channel.PHONE, Channel.VISIT), (66, 17, 17))[0] if on_duty else Channel.WEB
            )
            title, description = rng.choice(spec.requests)
            requester = rng.choice(people[e.index]) if channel != Channel.VISIT else None
            sims.append(
                _Sim(
                    enterprise_id=self.f.enterprises[e.index].pk,
                    building=self.f.buildings[e.building],
                    spec=spec,
                    channel=channel,
                    title=title,
                    description=_prefixed(channel, description),
                    requester_id=requester,
                    submitted=moment,
                )
            )
        return sims

    def _bohua_sims(self) -> list[_Sim]:
        """Two closed and rated requests in contact_bohua's history."""
        contact = self.users["contact_bohua"]
        enterprise = contact.person.employer
        building = self.f.buildings[self.plan.building_by_name(sc.UPCOMING_DAY.building).code]
        sims = []
        for code, days, score in (("talent.social_insurance", -120, 5), ("finance.tax_incentive", -40, 4)):
            spec = next(s for s in sc.CATALOGUE if s.code == code)
            title, description = spec.requests[0]
            sims.append(
                _Sim(
                    enterprise_id=enterprise.pk,
                    building=building,
                    spec=spec,
                    channel=Channel.WEB,
                    title=title,
                    description=description,
                    requester_id=contact.person_id,
                    submitted=self._aware(self._working_day(days), 10, 30),
                    fate="kept",
                    force_score=score,
                )
            )
        return sims

    def _spot_sims(self) -> list[_Sim]:
        """Requests taken on the spot at the past service days (channel "service day")."""
        people = self._people_of()
        index_of = {e.pk: index for index, e in self.f.enterprises.items()}
        sims = []
        for _slot, enterprise_id, moment, key in self.day_spots:
            spec = self.rng.choice(self.items_of[key])
            title, description = self.rng.choice(spec.requests)
            sims.append(
                _Sim(
                    enterprise_id=enterprise_id,
                    building=self.f.buildings[self.plan.enterprises[index_of[enterprise_id]].building],
                    spec=spec,
                    channel=Channel.SERVICE_DAY,
                    title=title,
                    description=_prefixed(Channel.SERVICE_DAY, description),
                    requester_id=self.rng.choice(people[index_of[enterprise_id]]),
                    submitted=moment,
                    fate="kept",
                )
            )
        return sims

    def _topic_sims(self) -> list[_Sim]:
        """The building committees' topics referred to the chief service team become requests."""
        codes = (
            ("工作许可", "talent.work_permit"),
            ("外籍", "talent.work_permit"),
            ("落户", "talent.settlement"),
            ("跨境", "finance.cross_border"),
            ("高新技术", "finance.tax_incentive"),
        )
        index_of = {e.pk: index for index, e in self.f.enterprises.items()}
        sims = []
        topics = Topic.objects.filter(status=TopicStatus.REFERRED, reason__contains="首席服务团队").select_related(
            "proposer", "on_behalf_of"
        )
        for topic in topics.order_by("pk"):
            enterprise_id = topic.on_behalf_of_id or topic.proposer.employer_id
            if enterprise_id not in index_of:
                continue
            code = next((code for word, code in codes if word in topic.title), "industry.expansion")
            spec = next(s for s in sc.CATALOGUE if s.code == code)
            moment = min(self.wh(topic.created, self.rng.uniform(4, 16)), self.now - timedelta(hours=2))
            sims.append(
                _Sim(
                    enterprise_id=enterprise_id,
                    building=self.f.buildings[self.plan.enterprises[index_of[enterprise_id]].building],
                    spec=spec,
                    channel=Channel.TOPIC,
                    title=topic.title,
                    description=_prefixed(Channel.TOPIC, _plain(topic.text)),
                    requester_id=topic.proposer_id,
                    submitted=moment,
                    topic_id=topic.pk,
                    fate="kept",
                )
            )
        return sims

    def _choose_fates(self, sims: list[_Sim]) -> None:
        rng = self.rng
        oldest_stuck = self.cal.add_working_days(self.today, -35)
        for sim in sims:
            if sim.fate == "kept":
                sim.fate = "handled"
                continue
            roll = rng.random()
            if roll < 0.022 and sim.channel == Channel.WEB:
                sim.fate = "withdrawn"
            elif sim.spec.code in sc.TRANSFERS and roll > 0.88:
                sim.transfer = True
        candidates = [
            s
            for s in sims
            if s.fate == "handled"
            and not s.transfer
            and s.force_score is None
            and s.channel in (Channel.WEB, Channel.PHONE, Channel.VISIT)
            and s.submitted.date() >= oldest_stuck
            and sla.resolution_due(s.submitted, s.spec.resolution_days) < self.now - timedelta(days=1)
        ]
        chosen = rng.sample(candidates, min(sc.STUCK_OVERDUE, len(candidates)))
        for n, sim in enumerate(chosen):
            sim.fate = "unaccepted" if n < 3 else "stuck"

    # --- one lifecycle ----------------------------------------------------------------------

    def _plan_life(self, sim: _Sim) -> None:
        """The events of a request's life, in the order the services would apply them."""
        rng = self.rng
        spec = sim.spec
        policy = self.policies[spec.code]
        department = self.departments[spec.department]
        owner = self._owner_for(department, sim.building)
        sub = sim.submitted
        if owner is None:  # dispatched by hand by the team lead
            moment = self.wh(sub, rng.uniform(0.3, 4))
            owner = rng.choice(self.staff[spec.department])
        else:
            moment = sub
        sim.at(moment, "assign", owner=owner)
        if sim.fate == "withdrawn":
            sim.at(self.wh(moment, rng.uniform(0.2, 3)), "withdraw")
            return
        if sim.fate == "unaccepted":
            return
        fr = float(policy.first_response_hours)
        delay = fr * (rng.uniform(0.1, 0.75) if rng.random() > 0.07 else rng.uniform(1.1, 2.6))
        accepted = self.wh(moment, delay)
        sim.at(accepted, "accept", owner=owner)
        first = self.wh(accepted, rng.uniform(0.05, 0.4))
        template = rng.choice(sc.FIRST_RESPONSES)
        sim.at(
            first,
            "message",
            author=owner,
            text=template.format(department=department.short_name, name=owner.display_name),
            staff=True,
        )
        last = first
        if sim.transfer:
            key, reason = sc.TRANSFERS[spec.code]
            target = self.departments[key]
            moved = self.wh(first, rng.uniform(0.5, 5))
            note = sc.TRANSFER_NOTES[reason].format(department=target.short_name)
            sim.at(moved, "message", author=owner, text=note, staff=True, internal=True)
            owner = self._owner_for(target, sim.building) or self.staff[key][0]
            sim.at(moved, "transfer", department=target, owner=owner)
            last = self.wh(moved, rng.uniform(0.2, 3))
            sim.at(last, "accept", owner=owner)
        due = sla.resolution_due(sub, spec.resolution_days)
        span = self.cal.working_hours_between(sub, due)
        recent = sub > self.now - timedelta(days=14)
        pause = rng.random() < (0.4 if recent else 0.22)
        extension = None
        roll = rng.random()
        if sim.fate == "stuck":
            late = True
            ratio = 9.0  # never resolved by now
            if roll < 0.2:
                extension = "pending"
        else:
            if roll < 0.045 and span >= 16:
                extension = "approved"
            elif roll < 0.06 and span >= 16:
                extension = "refused"
            late = rng.random() < (0.5 if extension == "refused" else 0.07)
            ratio = rng.uniform(1.03, 1.6) if late else rng.triangular(0.12, 0.97, 0.45)
        ext_days = rng.randint(2, 8) if extension else 0
        if extension == "approved":
            ratio = rng.uniform(0.9, 1.0 + ext_days * 8 / span * 0.9)
        resolved = self.wh(sub, ratio * span)
        if resolved <= self.wh(last, 0.5):
            resolved = self.wh(last, rng.uniform(0.5, 3))
        if pause:
            paused = self.wh(last, rng.uniform(0.15, 0.7) * self.cal.working_hours_between(last, resolved))
            length = rng.uniform(6, 40) if recent else rng.uniform(2, 30)
            resumed = self.wh(paused, length)
            sim.at(paused, "ask", author=owner, text=rng.choice(spec.asks))
            account = self.account_of_person.get(sim.requester_id)
            if account is not None:
                sim.at(resumed, "message", author=account, text=rng.choice(sc.ENTERPRISE_REPLIES), staff=False)
            else:
                sim.at(resumed, "message", author=owner, text=rng.choice(sc.RESUME_NOTES), staff=True, internal=True)
            sim.at(resumed, "resume")
            resolved = self.wh(resolved, length)
            last = resumed
        if extension:
            asked = max(self.wh(sub, 0.75 * span), self.wh(last, 0.3))
            decided = self.wh(asked, rng.uniform(1, 6))
            if decided < resolved:
                reason = rng.choice(sc.EXTENSION_REASONS)
                sim.at(asked, "ext_ask", owner=owner, days=ext_days, reason=reason)
                if extension != "pending":
                    sim.at(decided, "ext_decide", approve=extension == "approved")
        if sim.fate == "stuck":
            return
        sim.resolved_first = resolved
        sim.at(resolved, "resolve", answer=rng.choice(spec.answers))
        self._plan_after(sim, resolved, owner, late)

    def _plan_after(self, sim: _Sim, resolved: datetime, owner, late: bool) -> None:
        """Rating (or closing by the dispatcher), and a reopening after an unsatisfied rating."""
        rng = self.rng
        rater = self.account_of_person.get(sim.requester_id)
        if sim.force_score is None and rng.random() > 0.86:
            sim.at(self.wh(resolved + timedelta(days=7), rng.uniform(0.5, 6)), "close")
            return
        rated = resolved + timedelta(hours=_rating_delay(rng))
        score = sim.force_score or rng.choices(SCORES, SCORE_WEIGHTS_LATE if late else SCORE_WEIGHTS)[0]
        solved = rng.random() < {5: 0.98, 4: 0.96, 3: 0.7, 2: 0.25, 1: 0.1}[score]
        sim.at(rated, "rate", score=score, solved=solved, rater=rater, round=0)
        if score <= LOW:
            self._plan_review(sim, rated, 0)
        if solved or score > 3 or rng.random() > 0.6 or sim.force_score:
            return
        limit = resolved + timedelta(days=7) - timedelta(hours=1)
        reopened = min(rated + timedelta(hours=rng.uniform(2, 40)), limit)
        if reopened <= rated:
            return
        sim.at(reopened, "reopen")
        sim.at(reopened, "message", author=owner, text=sc.REOPEN_NOTE, staff=True, internal=True)
        again = self.wh(reopened, rng.uniform(25, 34) if rng.random() < 0.1 else rng.uniform(3, 20))
        sim.at(again, "resolve", answer=rng.choice(sim.spec.answers))
        if rng.random() < 0.9:
            score = rng.choices((5, 4, 3), (50, 35, 15))[0]
            rated = again + timedelta(hours=_rating_delay(rng))
            sim.at(rated, "rate", score=score, solved=score >= 4 or rng.random() < 0.6, rater=rater, round=1)
        else:
            sim.at(self.wh(again + timedelta(days=7), rng.uniform(0.5, 6)), "close")

    def _plan_review(self, sim: _Sim, rated: datetime, round_: int) -> None:
        """整改: the team lead reviews a low rating a few working days later (most old ones are done)."""
        if self.rng.random() < 0.1:
            return  # still open, whatever its age
        sim.at(self.wh(rated, self.rng.uniform(4, 40)), "review", note=self.rng.choice(sc.REVIEW_NOTES), round=round_)

    def _duplicates(self, sims: list[_Sim]) -> list[_Sim]:
        """A few requests filed twice: the second is merged into the first by the dispatcher."""
        rng = self.rng
        candidates = [s for s in sims if s.fate == "handled" and s.channel == Channel.WEB and s.resolved_first]
        rng.shuffle(candidates)
        duplicates = []
        for kept in candidates:
            if len(duplicates) >= sc.MERGED_DUPLICATES:
                break
            filed = self.wh(kept.submitted, rng.uniform(0.5, 6))
            merged = self.wh(filed, rng.uniform(0.3, 3))
            if merged >= kept.resolved_first or merged >= self.now:
                continue
            sim = _Sim(
                enterprise_id=kept.enterprise_id,
                building=kept.building,
                spec=kept.spec,
                channel=Channel.WEB,
                title=kept.title,
                description=kept.description,
                requester_id=kept.requester_id,
                submitted=filed,
                fate="merged",
                kept=kept,
            )
            department = self.departments[sim.spec.department]
            owner = self._owner_for(department, sim.building) or rng.choice(self.staff[sim.spec.department])
            sim.at(filed, "assign", owner=owner)
            sim.at(merged, "merge")
            duplicates.append(sim)
        return duplicates

    def _live(self, sim: _Sim) -> None:
        """Apply the events up to now; the state is what the services would have left."""
        policy = self.policies[sim.spec.code]
        s = sim.state
        s.update(
            status=S.SUBMITTED,
            department=self.departments[sim.spec.department],
            owner=None,
            first_response_due=sla.first_response_due(sim.submitted, policy),
            first_responded_at=None,
            update_due=None,
            resolution_due=sla.resolution_due(sim.submitted, sim.spec.resolution_days),
            resolved_at=None,
            closed_at=None,
            paused_at=None,
            paused_seconds=0,
            extension_days=0,
            reopen_count=0,
            transfer_count=0,
            answer="",
            version=1,
            modified=sim.submitted,
        )
        for moment, _seq, kind, data in sorted(sim.events, key=lambda e: (e[0], e[1])):
            if moment > self.now:
                break
            self._apply(sim, moment, kind, data, policy)
            s["modified"] = max(s["modified"], moment)
        self._escalation(sim)

    def _apply(self, sim: _Sim, moment: datetime, kind: str, data: dict, policy) -> None:
        s = sim.state
        lead = self.users["service_lead"]
        if kind in ("assign", "accept", "ask", "resume", "resolve", "close", "reopen", "withdraw", "merge"):
            s["version"] += 1
        if kind == "assign":
            s.update(status=S.ASSIGNED, owner=data["owner"])
        elif kind == "accept":
            s.update(status=S.IN_PROGRESS, owner=data["owner"], update_due=sla.update_due(moment, policy))
        elif kind == "message":
            self._message(
                sim, moment, data["author"], data["text"], staff=data["staff"], internal=data.get("internal", False)
            )
        elif kind == "ask":
            s.update(status=S.WAITING, paused_at=moment)
            self._message(sim, moment, data["author"], data["text"], staff=True, internal=False)
        elif kind == "resume":
            paused = sla.paused_working_time(s["paused_at"], moment)
            s["paused_seconds"] += int(paused.total_seconds())
            s["resolution_due"] = sla.shift_by_working_time(s["resolution_due"], paused)
            s.update(status=S.IN_PROGRESS, update_due=sla.update_due(moment, policy), paused_at=None)
        elif kind == "transfer":
            s["version"] += 2  # the transfer and the routing that follows it
            s.update(status=S.ASSIGNED, department=data["department"], owner=data["owner"])
            s["transfer_count"] += 1
        elif kind == "ext_ask":
            sim.extensions.append(
                {
                    "days": data["days"],
                    "reason": data["reason"],
                    "status": Extension.Status.PENDING,
                    "asked_by": data["owner"],
                    "decided_by": None,
                    "created": moment,
                    "modified": moment,
                }
            )
        elif kind == "ext_decide":
            extension = sim.extensions[-1]
            extension.update(decided_by=lead, modified=moment)
            if data["approve"]:
                extension["status"] = Extension.Status.APPROVED
                day = self.cal.add_working_days(wd.local(s["resolution_due"]).date(), extension["days"])
                s["resolution_due"] = self.cal.close_of_business(day)
                s["extension_days"] += extension["days"]
                s["version"] += 1
            else:
                extension["status"] = Extension.Status.REFUSED
        elif kind == "resolve":
            s.update(status=S.RESOLVED, answer=data["answer"], resolved_at=moment, update_due=None)
            if s["first_responded_at"] is None:
                s["first_responded_at"] = moment
        elif kind == "rate":
            sim.ratings.append(
                {
                    "round": data["round"],
                    "score": data["score"],
                    "solved": data["solved"],
                    "comment": self.rng.choice(sc.RATING_COMMENTS[data["score"]]),
                    "rated_by": data["rater"],
                    "review_status": "open" if data["score"] <= LOW else "",
                    "review_note": "",
                    "created": moment,
                    "modified": moment,
                }
            )
            if s["status"] == S.RESOLVED:
                s["version"] += 1
                s.update(status=S.CLOSED, closed_at=moment)
        elif kind == "review":
            rating = next(r for r in sim.ratings if r["round"] == data["round"])
            rating.update(review_status="done", review_note=data["note"], modified=moment)
        elif kind == "close":
            s.update(status=S.CLOSED, closed_at=moment)
        elif kind == "reopen":
            s["reopen_count"] += 1
            s.update(
                status=S.IN_PROGRESS,
                resolved_at=None,
                closed_at=None,
                resolution_due=sla.resolution_due(moment, desk.SECOND_HANDLING_DAYS),
                update_due=sla.update_due(moment, policy),
            )
        elif kind == "withdraw":
            s["status"] = S.WITHDRAWN
        elif kind == "merge":
            s["status"] = S.MERGED

    def _message(self, sim: _Sim, moment: datetime, author, text: str, *, staff: bool, internal: bool) -> None:
        """As ``services._message_add``: a message to the enterprise is a contact and resets the update clock."""
        s = sim.state
        sim.messages.append((moment, author.pk if author else None, text, internal))
        if staff and not internal:
            policy = self.policies[sim.spec.code]
            s["update_due"] = sla.update_due(moment, policy) if s["status"] == S.IN_PROGRESS else None
            if s["first_responded_at"] is None:
                s["first_responded_at"] = moment

    def _escalation(self, sim: _Sim) -> None:
        """What the SLA sweep would have done: escalation levels, and the reminders it recorded for open requests."""
        s = sim.state
        level = 0
        if s["status"] in OPEN_STATUSES:
            for clock, due in _running_clocks(s):
                if due is None or due > self.now:
                    continue
                sim.reminders += [(clock, "breach", due), (clock, "escalation_lead", due)]
                level = max(level, 1)
                if clock == "resolution" and self.now >= self.wh(due, 8):
                    sim.reminders.append((clock, "escalation_district", due))
                    level = 2
        elif s["status"] in (S.RESOLVED, S.CLOSED):
            responded, resolved = s["first_responded_at"], s["resolved_at"]
            if responded and responded > s["first_response_due"]:
                level = 1
            if resolved and resolved > s["resolution_due"]:
                level = 2 if resolved >= self.wh(s["resolution_due"], 8) else max(level, 1)
        s["escalation_level"] = level

    # --- writing ----------------------------------------------------------------------------

    def _write(self, sims: list[_Sim]) -> None:
        sequence: Counter[int] = Counter()
        rows = []
        for sim in sims:
            s = sim.state
            year = wd.local(sim.submitted).year
            sequence[year] += 1
            rows.append(
                ServiceRequest(
                    number=f"FW{year}{sequence[year]:06d}",
                    enterprise_id=sim.enterprise_id,
                    requester_id=sim.requester_id,
                    building=sim.building,
                    item=self.items[sim.spec.code],
                    policy=self.policies[sim.spec.code],
                    department=s["department"],
                    owner=s["owner"],
                    channel=sim.channel,
                    title=sim.title,
                    description=sim.description,
                    status=s["status"],
                    answer=s["answer"],
                    submitted_at=sim.submitted,
                    first_response_due=s["first_response_due"],
                    first_responded_at=s["first_responded_at"],
                    update_due=s["update_due"],
                    resolution_due=s["resolution_due"],
                    resolved_at=s["resolved_at"],
                    closed_at=s["closed_at"],
                    paused_at=s["paused_at"],
                    paused_seconds=s["paused_seconds"],
                    extension_days=s["extension_days"],
                    escalation_level=s["escalation_level"],
                    reopen_count=s["reopen_count"],
                    transfer_count=s["transfer_count"],
                    district_id_scope=sim.building.district_id,
                    street_id_scope=sim.building.street_id,
                    topic_id=sim.topic_id,
                    version=s["version"],
                )
            )
        for start in range(0, len(rows), BATCH):
            batch = ServiceRequest.objects.bulk_create(rows[start : start + BATCH])
            self._imported(
                "requests", ServiceRequest, [r.pk for r in batch], numbers=[batch[0].number, batch[-1].number]
            )
        for sim, row in zip(sims, rows, strict=True):
            sim.pk = row.pk
        self._stamp(ServiceRequest, [(sim.pk, sim.submitted, sim.state["modified"]) for sim in sims])
        merged = [
            ServiceRequest(pk=sim.pk, merged_into_id=sim.kept.pk) for sim in sims if sim.state["status"] == S.MERGED
        ]
        ServiceRequest.objects.bulk_update(merged, ["merged_into"])

        messages = [
            (RequestMessage(request_id=sim.pk, author_id=author, text=text, internal=internal), moment)
            for sim in sims
            for moment, author, text, internal in sim.messages
        ]
        self._bulk("messages", RequestMessage, messages)
        ratings = [
            (
                Rating(
                    request_id=sim.pk,
                    round=r["round"],
                    score=r["score"],
                    solved=r["solved"],
                    comment=r["comment"],
                    rated_by=r["rated_by"],
                    review_status=r["review_status"],
                    review_note=r["review_note"],
                ),
                (r["created"], r["modified"]),
            )
            for sim in sims
            for r in sim.ratings
        ]
        self._bulk("ratings", Rating, ratings)
        extensions = [
            (
                Extension(
                    request_id=sim.pk,
                    days=e["days"],
                    reason=e["reason"],
                    status=e["status"],
                    asked_by=e["asked_by"],
                    decided_by=e["decided_by"],
                ),
                (e["created"], e["modified"]),
            )
            for sim in sims
            for e in sim.extensions
        ]
        self._bulk("extensions", Extension, extensions)
        reminders = [
            ReminderSent(request_id=sim.pk, clock=clock, kind=kind, due=due)
            for sim in sims
            for clock, kind, due in sim.reminders
        ]
        created = ReminderSent.objects.bulk_create(reminders)
        if created:
            self._imported("reminders", ReminderSent, [r.pk for r in created])

    def _bulk(self, kind: str, model, pairs: list[tuple[object, object]]) -> None:
        """Create rows in batches with their own timestamps; one audit event per batch."""
        for start in range(0, len(pairs), BATCH):
            chunk = pairs[start : start + BATCH]
            created = model.objects.bulk_create([row for row, _when in chunk])
            stamps = []
            for row, (_row, when) in zip(created, chunk, strict=True):
                first, last = when if isinstance(when, tuple) else (when, when)
                stamps.append((row.pk, first, last))
            self._stamp(model, stamps)
            self._imported(kind, model, [row.pk for row in created])

    def _stamp(self, model, rows: list[tuple[int, datetime, datetime]]) -> None:
        """Set ``created`` / ``modified`` (which ``bulk_create`` fills with the time of loading).

        One parametrised UPDATE run with ``executemany``: thousands of ORM ``Case``/``When``
        expressions cost seconds to compile, this costs milliseconds. Values are adapted by the
        database backend exactly as the ORM adapts them.
        """
        if not rows:
            return
        ops = connection.ops
        meta = model._meta
        sql = "UPDATE {} SET {} = %s, {} = %s WHERE {} = %s".format(  # noqa: S608 - names from the model, quoted
            ops.quote_name(meta.db_table),
            ops.quote_name(meta.get_field("created").column),
            ops.quote_name(meta.get_field("modified").column),
            ops.quote_name(meta.pk.column),
        )
        adapt = ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.executemany(sql, [(adapt(created), adapt(modified), pk) for pk, created, modified in rows])

    def _imported(self, kind: str, model, pks: list[int], **extra) -> None:
        audit_record(
            actor=self.admin,
            action="demo.services.history_imported",
            object_type=model._meta.label_lower,
            object_id=f"{min(pks)}-{max(pks)}" if pks else "",
            object_repr=f"demo history: {len(pks)} {kind}",
            after={"kind": kind, "count": len(pks), "imported": True, **extra},
        )

    # --- the story's current requests ---------------------------------------------------------

    def _current_requests(self) -> None:
        for spec in sc.CURRENT:
            self.current[spec.key] = self._current(spec)

    def _current(self, spec: sc.CurrentSpec) -> ServiceRequest:
        by = self.users[spec.by]
        item = self.items[spec.item]
        requester = None
        if spec.channel == Channel.WEB:
            enterprise = by.person.employer
            index = next(i for i, e in self.f.enterprises.items() if e.pk == enterprise.pk)
            building = self.f.buildings[self.plan.enterprises[index].building]
        else:
            code = self.plan.building_by_name(spec.building).code
            tenants = sorted(self.plan.tenants_of(code), key=lambda e: (-e.headcount, e.index))
            chosen = tenants[spec.rank]
            enterprise, building = self.f.enterprises[chosen.index], self.f.buildings[code]
            requester = self.f.people[f"staff:{chosen.index}:0"]
        request = desk.request_submit(
            actor=by,
            enterprise=enterprise,
            building=building,
            item=item,
            title=spec.title,
            description=spec.description,
            channel=spec.channel,
            requester=requester,
        )
        for action, who, text in spec.steps:
            actor = self.users[who]
            if action == "message":
                desk.message_post(actor=actor, request=request, text=text)
            elif action == "extension":
                desk.extension_request(actor=actor, request=request, days=3, reason=text)
            elif action == "escalate":
                request = desk.request_escalate(actor=actor, request=request, note=text)
            elif action == "transfer":
                key, _sep, reason = text.partition(":")
                request = desk.request_action(
                    actor=actor,
                    request=request,
                    action="transfer",
                    version=request.version,
                    department=self.departments[key],
                    reason=reason,
                )
            else:
                payload = {"ask": {"message": text}, "resolve": {"answer": text}}.get(action, {})
                request = desk.request_action(
                    actor=actor, request=request, action=action, version=request.version, **payload
                )
        if spec.submitted is not None:
            self._move_back(request, spec)
        request.refresh_from_db()
        return request

    def _move_back(self, request: ServiceRequest, spec: sc.CurrentSpec) -> None:
        """Move a current request's moments back to when they stand for (timestamps only; deadlines recomputed)."""
        working_days, hour, minute = spec.submitted
        submitted = self._aware(self.cal.add_working_days(self.today, -working_days), hour, minute)
        moments, moment = [], submitted
        for gap in spec.step_gaps:
            moment = self.wh(moment, gap)
            moments.append(moment)
        request.refresh_from_db()
        policy = request.policy
        fields = {
            "submitted_at": submitted,
            "created": submitted,
            "first_response_due": sla.first_response_due(submitted, policy),
            "resolution_due": sla.resolution_due(submitted, policy.resolution_days),
            "modified": moments[-1] if moments else submitted,
        }
        first = contact = None
        message_moments = []
        for (action, _who, _text), when in zip(spec.steps, moments, strict=True):
            if action in ("message", "ask", "resolve") and first is None:
                first = when
            if action in ("message", "ask"):
                message_moments.append(when)
            if action in ("accept", "message"):
                contact = when
            if action == "ask":
                fields["paused_at"] = when
            if action == "resolve":
                fields["resolved_at"] = when
            if action == "extension":
                Extension.objects.filter(request=request).update(created=when, modified=when)
        fields["first_responded_at"] = first
        fields["update_due"] = sla.update_due(contact, policy) if request.update_due and contact else None
        ServiceRequest.objects.filter(pk=request.pk).update(**fields)
        messages = list(RequestMessage.objects.filter(request=request).order_by("pk").values_list("pk", flat=True))
        self._stamp(RequestMessage, [(pk, when, when) for pk, when in zip(messages, message_moments, strict=False)])


def _running_clocks(state: dict):
    """The clocks the SLA sweep watches on an open request (as ``sweep._clocks``)."""
    status = state["status"]
    if state["first_responded_at"] is None and status in (S.SUBMITTED, S.ASSIGNED, S.IN_PROGRESS):
        yield "first_response", state["first_response_due"]
    if status == S.IN_PROGRESS and state["update_due"]:
        yield "update", state["update_due"]
    if status != S.WAITING:
        yield "resolution", state["resolution_due"]


def _rating_delay(rng: random.Random) -> float:
    """Hours between the answer and the enterprise's rating."""
    roll = rng.random()
    if roll < 0.45:
        return rng.uniform(0.3, 20)
    if roll < 0.8:
        return rng.uniform(24, 72)
    return rng.uniform(72, 156)


def _prefixed(channel: str, text: str) -> str:
    prefix = {
        Channel.PHONE: "企业来电：",
        Channel.VISIT: "走访时企业反映：",
        Channel.SERVICE_DAY: "服务日现场受理：",
        Channel.TOPIC: "楼事会议题转办：",
    }.get(channel, "")
    return prefix + text


def _plain(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", html or "").strip()


def services_load(foundation: _Loader) -> dict[str, int]:
    """Load the service desk's demo on top of the foundation and the bodies; returns the counts."""
    loader = ServicesLoader(foundation)
    loader.run()
    return loader.counts()
