"""Loading the demo's building liaison (楼宇包联) and four visits (四访), after the service desk.

What goes through the real services, acting as the demo user who would do it:

- the invented liaison cadres: ``directory.person_create`` by ``district_admin``, ``_user_create``
  and ``_role_assign`` (role liaison cadre at their street, or at the district for the two
  district-level cadres) by ``district_security``, like the service team's invented members;
- every liaison assignment (``engagement.services.liaison_assign``), by the street's official
  where the demo has one (``street_njxl``, ``street_jas``), else by ``district_admin``. Assignments
  start ``ASSIGNED_SINCE_DAYS`` before loading (the service accepts a past start);
- the past hand-over (``liaison_handover`` with ``on=`` a date about four months ago);
- every visit of liaison_wang, every visit of the last ``RECENT_DAYS``, every planned, overdue and
  cancelled visit: ``visit_plan``, then ``visit_record`` / ``visit_cancel``. ``visit_plan`` refuses
  a date in the past, so a past visit is planned for today and then moved back to its day by a
  queryset ``update()`` of ``planned_for`` / ``created`` / ``modified`` only; ``visited_at`` is
  given to ``visit_record`` (which accepts a past moment). Its audit trail keeps the real time of
  loading (it is a hash chain and is never rewritten). An overdue visit is one moved back and
  left planned;
- the findings passed on: a visit of liaison_wang to Hang Lung Plaza becomes a topic of the Hang
  Lung committee (``visit_finding_to_topic``), one at Jing'an Kerry Centre a service request
  (``visit_finding_to_request``). Both are passed on at the time of loading.

What is imported: the older done and cancelled visits of the other cadres (before the last
``RECENT_DAYS``, a few hundred rows) are written with ``bulk_create`` in the state they reached,
with their own ``created`` / ``modified``; per batch there is one audit event
``demo.engagement.history_imported`` with the counts, and no per-visit workflow events.

The same seed gives the same cadres, assignments and visits; dates move with the day of loading,
so there are always recent, overdue and upcoming visits.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import connection
from django.utils import timezone

from govcube.accounts.roles import Role
from govcube.accounts.services import _role_assign, _user_create
from govcube.audit.services import audit_record
from govcube.bodies.models import Body
from govcube.demo import bodies_content as bc
from govcube.demo import content as c
from govcube.demo import engagement_content as ec
from govcube.demo.generator import make_mobile
from govcube.directory import services as directory
from govcube.directory.models import Person
from govcube.engagement import services as engagement
from govcube.engagement.models import FollowUp, LiaisonAssignment, Visit, VisitKind, VisitStatus
from govcube.services.models import ServiceItem

if TYPE_CHECKING:
    from govcube.accounts.models import User
    from govcube.demo.services import _Loader
    from govcube.directory.models import Enterprise
    from govcube.territory.models import Building

BATCH = 500
OVERDUE_WITHIN_DAYS = 25  # a planned visit slips for days or weeks, not months
OVERDUE_SHARE = 0.12
CANCELLED_SHARE = 0.05


@dataclass
class _Plan:
    """One visit to write: where, who, when, and what became of it."""

    building: Building
    cadre: User
    kind: VisitKind
    day: date
    outcome: str  # done / cancelled / overdue / planned
    enterprise: Enterprise | None = None
    place: str = ""
    people: str = ""
    findings: str = ""
    reason: str = ""
    follow_up: str = FollowUp.NOTE
    key: str = ""


class EngagementLoader:
    def __init__(self, foundation: _Loader):
        self.f = foundation
        self.plan = foundation.plan
        self.rng = random.Random(f"{self.plan.seed}:engagement")
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.since = self.today - timedelta(days=ec.ASSIGNED_SINCE_DAYS)
        self.users: dict[str, User] = dict(foundation.users)
        self.new_accounts: list[User] = []
        self.kinds = {kind.code: kind for kind in VisitKind.objects.all()}
        self.assignments: dict[tuple[str, str], LiaisonAssignment] = {}  # (username, building name)
        self.story: dict[str, Visit] = {}
        self.imported = 0
        self.passed_on: dict[str, int] = {}

    # --- entry points ---------------------------------------------------------------------

    def run(self) -> None:
        self._cadres()
        self._assign()
        self._handover()
        plans = self._visit_plans()
        self._import([p for p in plans if not self._via_service(p)])
        for plan in plans:
            if self._via_service(plan):
                self._live(plan)
        self._pass_on()

    def counts(self) -> dict[str, int]:
        states = Counter(Visit.objects.values_list("status", flat=True))
        key_ids = [b.pk for b in self.f.buildings.values() if b.is_key]
        covered = set(
            LiaisonAssignment.objects.active().filter(building_id__in=key_ids).values_list("building_id", flat=True)
        )
        return {
            "liaison_cadres": len(ec.CADRES) + 1,
            "liaison_assignments": LiaisonAssignment.objects.count(),
            "liaison_assignments_active": LiaisonAssignment.objects.active().count(),
            "key_buildings_without_liaison": len(key_ids) - len(covered),
            "visits": sum(states.values()),
            "visits_done": states[VisitStatus.DONE],
            "visits_cancelled": states[VisitStatus.CANCELLED],
            "visits_planned": Visit.objects.filter(status=VisitStatus.PLANNED, planned_for__gte=self.today).count(),
            "visits_overdue": Visit.objects.filter(status=VisitStatus.PLANNED, planned_for__lt=self.today).count(),
            "visits_imported": self.imported,
            "visit_findings_passed_on": Visit.objects.exclude(link_type="").count(),
        }

    # --- references -------------------------------------------------------------------------

    def building(self, name: str) -> Building:
        return self.f.buildings[self.plan.building_by_name(name).code]

    def _tenants(self, name: str):
        code = self.plan.building_by_name(name).code
        return sorted(self.plan.tenants_of(code), key=lambda e: (-e.headcount, e.index))

    def _actor_for(self, building: Building) -> User:
        """Who assigns: the street's official where the demo has one, else the district's administrator."""
        for username, suffix in (("street_njxl", c.NJXL), ("street_jas", c.JAS)):
            if building.street_id == self.f.nodes[f"{c.DISTRICT[0]}-{suffix}"].pk:
                return self.users[username]
        return self.f.admin

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    # --- cadres and assignments ---------------------------------------------------------------

    def _cadres(self) -> None:
        used = set(Person.objects.exclude(mobile="").values_list("mobile", flat=True))
        for spec in ec.CADRES:
            if spec.scope == "district":
                node = self.f.nodes[c.DISTRICT[0]]
            else:
                node = self.f.nodes[f"{c.DISTRICT[0]}-{spec.scope.partition(':')[2]}"]
            person = directory.person_create(
                actor=self.f.admin, node=node, name=spec.name, mobile=make_mobile(self.rng, used), is_party_member=True
            )
            user = _user_create(
                actor=self.f.security,
                username=spec.username,
                password=self.f.password,
                display_name=person.name,
                person=person,
                is_demo=True,
            )
            _role_assign(actor=self.f.security, user=user, role=Role.LIAISON_CADRE, node=node, valid_from=self.since)
            self.users[spec.username] = user
            self.new_accounts.append(user)

    def _assign(self) -> None:
        wanted = [(ec.WANG, name) for name in ec.WANG_BUILDINGS]
        wanted += [(spec.username, name) for spec in ec.CADRES for name in spec.buildings]
        for username, name in wanted:
            building = self.building(name)
            self.assignments[(username, name)] = engagement.liaison_assign(
                actor=self._actor_for(building),
                building=building,
                cadre=self.users[username],
                start=self.since,
                monthly_quota=ec.MONTHLY_QUOTA,
            )

    def _handover(self) -> None:
        spec = ec.HANDOVER
        building = self.building(spec.building)
        successor = engagement.liaison_handover(
            actor=self._actor_for(building),
            assignment=self.assignments[(spec.from_cadre, spec.building)],
            to_cadre=self.users[spec.to_cadre],
            on=self.handover_on,
        )
        self.assignments[(spec.to_cadre, spec.building)] = successor

    @property
    def handover_on(self) -> date:
        return self.today - timedelta(days=ec.HANDOVER.days_ago)

    # --- the visits -------------------------------------------------------------------------

    def _visit_plans(self) -> list[_Plan]:
        rng = self.rng
        codes, weights = list(ec.KIND_WEIGHTS), list(ec.KIND_WEIGHTS.values())
        start, end = self.today - timedelta(days=ec.HISTORY_DAYS), self.today + timedelta(days=ec.AHEAD_DAYS)
        names = list(ec.WANG_BUILDINGS) + [name for spec in ec.CADRES for name in spec.buildings]
        cadre_of = dict.fromkeys(ec.WANG_BUILDINGS, ec.WANG)
        cadre_of.update({name: spec.username for spec in ec.CADRES for name in spec.buildings})
        plans = []
        for name in names:
            building = self.building(name)
            tenants = self._tenants(name)
            day = start + timedelta(days=rng.randint(0, 14))
            while day <= end:
                when = day + timedelta(days=rng.randint(-3, 3))
                while when.weekday() >= 5:
                    when += timedelta(days=1)
                username = cadre_of[name]
                if name == ec.HANDOVER.building:
                    username = ec.HANDOVER.from_cadre if when < self.handover_on else ec.HANDOVER.to_cadre
                code = rng.choices(codes, weights)[0]
                plans.append(self._make(building, name, tenants, username, code, when))
                day += timedelta(days=15)
        for spec in ec.WANG_STORY:
            when = self.today + timedelta(days=spec.days)
            plan = self._make(
                self.building(spec.building), spec.building, self._tenants(spec.building), ec.WANG, spec.kind, when
            )
            plan.outcome, plan.key = spec.outcome, spec.key
            if spec.enterprise_rank is not None:
                enterprise = self.f.enterprises[self._tenants(spec.building)[spec.enterprise_rank].index]
                plan.enterprise, plan.place = enterprise, f"{enterprise.name}办公室"
            plan.findings = spec.findings or plan.findings
            plan.people = spec.people or plan.people
            plan.reason = spec.reason or plan.reason
            plan.follow_up = {"topic": FollowUp.TOPIC, "request": FollowUp.SERVICE_REQUEST}.get(
                spec.key, plan.follow_up
            )
            plans.append(plan)
        return plans

    def _make(self, building, name: str, tenants, username: str, code: str, when: date) -> _Plan:
        rng = self.rng
        enterprise = None
        if code == "enterprise" and tenants:
            enterprise = self.f.enterprises[rng.choice(tenants).index]
        if when >= self.today:
            outcome = "planned"
        elif (self.today - when).days <= OVERDUE_WITHIN_DAYS and rng.random() < OVERDUE_SHARE:
            outcome = "overdue"
        elif rng.random() < CANCELLED_SHARE:
            outcome = "cancelled"
        else:
            outcome = "done"
        contact = rng.choice(c.SURNAMES) + rng.choice(("先生", "女士"))
        place = ec.PLACES[code].format(building=name, enterprise=enterprise.name if enterprise else "")
        return _Plan(
            building=building,
            cadre=self.users[username],
            kind=self.kinds[code],
            day=when,
            outcome=outcome,
            enterprise=enterprise,
            place=place,
            people=rng.choice(ec.PEOPLE[code]).format(name=contact, n=rng.randint(5, 20)),
            findings=rng.choice(ec.FINDINGS[code]),
            reason=rng.choice(ec.CANCEL_REASONS),
        )

    def _via_service(self, plan: _Plan) -> bool:
        return (
            plan.cadre.username == ec.WANG
            or plan.outcome != "done"
            or (self.today - plan.day).days <= ec.RECENT_DAYS
            or bool(plan.key)
        ) and not (plan.building.name == ec.HANDOVER.building and plan.day < self.handover_on)

    def _moments(self, plan: _Plan) -> tuple[datetime, datetime, datetime | None]:
        """(created, modified, visited_at) of a past visit."""
        rng = self.rng
        created = self._at(plan.day - timedelta(days=rng.randint(5, 20)), rng.randint(9, 17), rng.randint(0, 59))
        if plan.outcome == "done":
            visited = self._at(plan.day, rng.choice((9, 10, 10, 11, 14, 14, 15, 16)), rng.randint(0, 59))
            visited = min(visited, self.now - timedelta(minutes=30))
            return created, visited + timedelta(minutes=rng.randint(20, 180)), visited
        if plan.outcome == "cancelled":
            return created, self._at(plan.day - timedelta(days=1), rng.randint(9, 17)), None
        return created, created, None

    def _import(self, plans: list[_Plan]) -> None:
        rows, stamps = [], []
        for plan in sorted(plans, key=lambda p: p.day):
            created, modified, visited = self._moments(plan)
            done = plan.outcome == "done"
            building = plan.building
            rows.append(
                Visit(
                    building=building,
                    cadre=plan.cadre,
                    kind=plan.kind,
                    status=VisitStatus.DONE if done else VisitStatus.CANCELLED,
                    planned_for=plan.day,
                    visited_at=visited,
                    place=plan.place,
                    enterprise=plan.enterprise,
                    people=plan.people if done else "",
                    findings=plan.findings if done else "",
                    follow_up=plan.follow_up if done else FollowUp.NONE,
                    cancel_reason="" if done else plan.reason,
                    district_id_scope=building.district_id,
                    street_id_scope=building.street_id,
                    version=2,
                )
            )
            stamps.append((created, modified))
        for start in range(0, len(rows), BATCH):
            batch = Visit.objects.bulk_create(rows[start : start + BATCH])
            _stamp(Visit, [(v.pk, *when) for v, when in zip(batch, stamps[start : start + BATCH], strict=True)])
            pks = [v.pk for v in batch]
            audit_record(
                actor=self.f.admin,
                action="demo.engagement.history_imported",
                object_type="engagement.visit",
                object_id=f"{min(pks)}-{max(pks)}",
                object_repr=f"demo history: {len(pks)} visits",
                after={"kind": "visits", "count": len(pks), "imported": True},
            )
            self.imported += len(pks)

    def _live(self, plan: _Plan) -> None:
        """Through the services; a past visit is planned for today and then moved back to its day."""
        cadre = plan.cadre
        visit = engagement.visit_plan(
            actor=cadre,
            building=plan.building,
            kind=plan.kind,
            planned_for=max(plan.day, self.today),
            enterprise=plan.enterprise,
            place=plan.place,
        )
        if plan.outcome == "planned":
            return
        created, modified, visited = self._moments(plan)
        if plan.outcome == "done":
            visit = engagement.visit_record(
                actor=cadre,
                visit=visit,
                findings=plan.findings,
                people=plan.people,
                place=plan.place,
                visited_at=visited,
                follow_up=plan.follow_up,
                version=visit.version,
            )
        elif plan.outcome == "cancelled":
            visit = engagement.visit_cancel(actor=cadre, visit=visit, reason=plan.reason, version=visit.version)
        Visit.objects.filter(pk=visit.pk).update(planned_for=plan.day, created=created, modified=modified)
        if plan.key:
            self.story[plan.key] = visit

    def _pass_on(self) -> None:
        wang = self.users[ec.WANG]
        committee = Body.objects.get(name=bc.HENGLONG_COMMITTEE)
        visit = Visit.objects.get(pk=self.story["topic"].pk)
        topic = engagement.visit_finding_to_topic(actor=wang, visit=visit, body=committee, title=ec.TOPIC_TITLE)
        self.passed_on["topic"] = topic.pk
        visit = Visit.objects.get(pk=self.story["request"].pk)
        item = ServiceItem.objects.get(code=ec.REQUEST_ITEM)
        request = engagement.visit_finding_to_request(actor=wang, visit=visit, item=item, title=ec.REQUEST_TITLE)
        self.passed_on["request"] = request.pk


def _stamp(model, rows: list[tuple[int, datetime, datetime]]) -> None:
    """Set ``created`` / ``modified`` (which ``bulk_create`` fills with the time of loading) in one executemany."""
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


def engagement_load(foundation: _Loader) -> dict[str, int]:
    """Load building liaison and visits on top of the foundation, the bodies and the service desk."""
    loader = EngagementLoader(foundation)
    loader.run()
    return loader.counts()
