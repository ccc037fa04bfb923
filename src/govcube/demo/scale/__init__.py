"""District- and city-scale generated data sets for load tests (``manage.py generate``).

``generate(scale=..., seed=...)`` writes a whole synthetic district (or sixteen) in bulk:
territory, buildings and tax, enterprises and tenancies, people, staff accounts, governance
bodies and members, topics, meetings, liaison and visits, the service desk and its requests,
and a valid hash-chained audit trail. Every random draw comes from a generator seeded by the
seed and the thing drawn, so a seed and a day give the same data set. Generated rows are marked:
territory codes start with ``GEN-`` and usernames with ``gen_``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.utils.translation import gettext as _

from govcube.accounts.models import User
from govcube.core.errors import DomainError
from govcube.demo.scale.shapes import CODE_PREFIX, DISTRICTS, SCALES, USER_PREFIX, Scale
from govcube.directory.models import Enterprise, Person
from govcube.services.models import Department
from govcube.territory.models import Node


def _written_models() -> list:
    from govcube.accounts.models import RoleAssignment
    from govcube.audit.models import AuditEvent
    from govcube.bodies.models import Body, BodyMember
    from govcube.deliberation.models import Meeting, Topic
    from govcube.directory.models import Tenancy
    from govcube.engagement.models import LiaisonAssignment, Visit
    from govcube.services.models import ServiceItem, ServiceRequest, SlaPolicy
    from govcube.territory.models import Building, TaxRecord

    return [
        Node, Building, TaxRecord, Enterprise, Tenancy, Person, User, RoleAssignment, Department,
        Department.staff.through, ServiceItem, SlaPolicy, Body, Body.buildings.through, BodyMember, Topic, Meeting,
        LiaisonAssignment, Visit, ServiceRequest, AuditEvent,
    ]  # fmt: skip


@dataclass
class GenerateResult:
    scale: str
    seed: int
    seconds: float
    rows: int
    timings: dict[str, tuple[int, float]] = field(default_factory=dict)


def holds_generated_data() -> bool:
    return Node.objects.filter(code__startswith=CODE_PREFIX).exists()


def holds_other_data() -> bool:
    """Anything a person (or the demo loader) put there: nodes, enterprises, people or accounts not generated."""
    return (
        Node.objects.exclude(code__startswith=CODE_PREFIX).exists()
        or Enterprise.objects.exclude(node__code__startswith=CODE_PREFIX).exists()
        or Person.objects.exclude(node__code__startswith=CODE_PREFIX).exists()
        or User.objects.exclude(username__startswith=USER_PREFIX).exists()
    )


def check_target(scale: Scale, *, force: bool) -> None:
    if scale.districts > 1 and connection.vendor != "postgresql":
        raise DomainError(
            "demo.generate.city_needs_postgresql", _("City scale runs on PostgreSQL only."), field="scale"
        )
    if holds_generated_data():
        raise DomainError(
            "demo.generate.already_generated",
            _("The database already holds a generated data set. Generate into a new, migrated database."),
        )
    if not force and holds_other_data():
        raise DomainError(
            "demo.generate.not_empty",
            _("The database holds data that was not generated. Use a new database, or pass --force to add to it."),
        )


def generate(
    *, scale: str, seed: int = 1, today: date | None = None, force: bool = False, progress=None
) -> GenerateResult:
    from govcube.demo.scale import activity, flows
    from govcube.demo.scale.audit_trail import Chain
    from govcube.demo.scale.sink import Progress, Sink
    from govcube.demo.scale.world import (
        Context,
        DistrictWorld,
        Identifiers,
        enterprises_write,
        people_write,
        root_create,
        territory_write,
        users_write,
    )
    from govcube.demo.services import industries_ensure

    shape = SCALES[scale]
    check_target(shape, force=force)
    from django.utils import timezone

    today = today or timezone.localdate()
    progress = progress or Progress()
    started = time.monotonic()
    taken_mobiles = set(Person.objects.exclude(mobile="").values_list("mobile", flat=True)) if force else set()
    taken_usccs = set(Enterprise.objects.values_list("uscc", flat=True)) if force else set()
    with transaction.atomic():
        industries_ensure()
        sink = Sink(progress)
        for model in _written_models():  # every id sequence is read now: no query may run while a COPY is open
            sink.ids(model, 0)
        ctx = Context(
            scale=shape, seed=seed, today=today, sink=sink, identifiers=Identifiers(seed, taken_mobiles, taken_usccs)
        )
        districts = [
            DistrictWorld(index=i, code=DISTRICTS[i][0], name=DISTRICTS[i][1], short=DISTRICTS[i][2])
            for i in range(shape.districts)
        ]
        root_create(ctx)
        territory_write(ctx, districts)
        taken_names = set(Department.objects.values_list("name", flat=True))
        departments = [p for d in districts for p in activity.departments_plan(ctx, d, taken_names)]
        users_write(ctx, districts, departments)
        items = activity.catalogue_write(ctx, departments)
        chain = Chain(ctx)
        numbers = {"width": 7 if shape.requests * shape.districts * 365 / shape.days > 999_999 else 6}
        for d in districts:
            enterprises_write(ctx, d)
            people_write(ctx, d)
            events = activity.Events()
            bodies = activity.bodies_write(ctx, d)
            agenda = flows.topics_write(ctx, d, bodies, events)
            flows.meetings_write(ctx, d, bodies, events)
            flows.visits_write(ctx, d, events)
            flows.requests_write(ctx, d, items, agenda, events, numbers)
            chain.write(d, events)
            d.ent_building = d.ent_names = d.ent_people = d.ent_head_cum = []  # free memory before the next district
        chain.close()
    rows = sum(done for done, _seconds in progress.timings.values())
    return GenerateResult(scale, seed, time.monotonic() - started, rows, dict(progress.timings))
