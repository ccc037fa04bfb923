"""What happens in a generated district: governance bodies and their members, topics, meetings,
liaison and visits, the service desk's departments and catalogue, and service requests.

Activity follows the buildings' long-tailed weights (a few key buildings are very busy),
clusters in time (topic campaigns every quarter, tax-season peaks for requests) and every
workflow state appears, in proportions that depend on an object's age. Each phase also notes
the audit events its objects would have produced (see ``audit_trail``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from govcube.bodies.models import DEFAULT_MECHANISMS, Body, BodyKind, BodyMember, MemberRole
from govcube.demo import services_content as sc
from govcube.demo.scale import pools
from govcube.demo.scale.shapes import CODE_PREFIX
from govcube.demo.scale.world import Context, DistrictWorld
from govcube.services.models import Department, ServiceItem, SlaPolicy

# (oldest age in days the bucket reaches, {status: weight}); the last bucket has no limit.
TOPIC_BUCKETS = [
    (10, {"submitted": 45, "screening": 30, "accepted": 12, "withdrawn": 3, "declined": 5, "merged": 5}),
    (60, {"screening": 5, "accepted": 25, "on_agenda": 20, "deliberated": 10, "declined": 8, "referred": 8,
          "merged": 5, "decided": 15, "withdrawn": 4}),
    (None, {"closed": 60, "decided": 10, "declined": 8, "referred": 8, "merged": 5, "deliberated": 3, "accepted": 2,
            "withdrawn": 4}),
]  # fmt: skip
REQUEST_BUCKETS = [
    (3, {"submitted": 30, "assigned": 40, "in_progress": 25, "waiting": 5}),
    (20, {"assigned": 5, "in_progress": 35, "waiting": 12, "resolved": 30, "closed": 10, "withdrawn": 4, "merged": 4}),
    (None, {"closed": 80, "resolved": 8, "withdrawn": 5, "merged": 4, "in_progress": 2, "waiting": 1}),
]
VISIT_BUCKETS = [
    (0, {"planned": 100}),
    (None, {"done": 85, "cancelled": 7, "planned": 8}),
]


def _bucket_pick(buckets, age: float, rng: random.Random, forced: str | None = None) -> tuple[str, float]:
    """A status for an object of this age; ``forced`` names a status and moves the age into a bucket that has it."""
    low = None
    for limit, weights in buckets:
        if forced is not None:
            if weights.get(forced):
                top = limit if limit is not None else (low or 0) + 300
                start = low if low is not None else (-30 if limit == 0 else 0)
                return forced, rng.uniform(start, top)
        elif limit is None or age < limit:
            statuses = list(weights)
            return rng.choices(statuses, weights=[weights[s] for s in statuses])[0], age
        low = limit
    raise ValueError(forced)


def _forced(index: int, statuses: list[str]) -> str | None:
    """The first rows of a kind walk through every status once, so a small data set has them all."""
    return statuses[index] if index < len(statuses) else None


@dataclass
class DepartmentPlan:
    key: str
    district: DistrictWorld
    id: int
    name: str
    short_name: str
    kind: str
    staff_count: int
    staff_names: list[str]
    has_coordinator: bool
    staff: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ItemPlan:
    id: int
    policy_id: int
    code: str
    department: DepartmentPlan
    spec: sc.ItemSpec
    policy: SimpleNamespace


@dataclass
class BodyPlan:
    id: int
    kind: str
    name: str
    node_id: int
    street_id: int | None
    buildings: list[int]  # building indexes
    weight: float
    place: str
    members: list[tuple[int, str]] = field(default_factory=list)  # (member id, role)


class Events:
    """The audit events a district's objects produced, gathered before the chain is written."""

    def __init__(self):
        self.rows: list[tuple] = []

    def add(self, created, action, object_type, object_id, object_repr, actor, district_id, street_id, after=None):
        actor_id, actor_name = actor if actor else (None, "")
        self.rows.append(
            (
                created,
                action,
                object_type,
                str(object_id),
                object_repr[:200],
                actor_id,
                actor_name,
                district_id,
                street_id,
                after,
            )
        )


def departments_plan(ctx: Context, d: DistrictWorld, taken_names: set[str]) -> list[DepartmentPlan]:
    rng = ctx.rng("departments", d.index)
    from govcube.demo.scale.world import person_name

    plans = []
    for spec in sc.DEPARTMENTS:
        name = spec.name.replace("静安", d.short)
        if name in taken_names:
            name = f"{name}（{CODE_PREFIX}{ctx.seed}）"
        taken_names.add(name)
        count = 3 if ctx.scale.name == "tiny" else 6
        plans.append(
            DepartmentPlan(
                key=f"d{d.index + 1:02d}_{spec.key}",
                district=d,
                id=ctx.sink.ids(Department, 1),
                name=name,
                short_name=spec.short_name.replace("静安", d.short),
                kind=spec.kind,
                staff_count=count,
                staff_names=[person_name(rng) for _ in range(count)],
                has_coordinator=spec.coordinator is not None,
            )
        )
    return plans


def catalogue_write(ctx: Context, departments: list[DepartmentPlan]) -> list[ItemPlan]:
    sink = ctx.sink
    since = ctx.now - timedelta(days=ctx.scale.days + 30)
    sink.progress.start("departments, catalogue", len(departments) * 3)
    cols = ["id", "created", "modified", "name", "short_name", "kind", "district_id", "coordinator_id",
            "petition_acknowledge_days", "petition_answer_days"]  # fmt: skip
    with sink.table(Department, cols) as put:
        for p in departments:
            coordinator = p.staff[0][0] if p.has_coordinator else None
            put((p.id, since, since, p.name, p.short_name, p.kind, p.district.node_id, coordinator, 2, 10))
    through = Department.staff.through
    first = sink.ids(through, sum(len(p.staff) for p in departments))
    with sink.table(through, ["id", "department_id", "user_id"]) as put:
        n = first
        for p in departments:
            for uid, _username in p.staff:
                put((n, p.id, uid))
                n += 1
    by_key: dict[tuple[int, str], DepartmentPlan] = {(p.district.index, p.key.split("_", 1)[1]): p for p in departments}
    items: list[ItemPlan] = []
    for (d_index, key), p in sorted(by_key.items()):
        for spec in sc.CATALOGUE:
            if spec.department != key:
                continue
            policy = SimpleNamespace(
                first_response_hours=Decimal(spec.first_response_hours),
                update_hours=Decimal(spec.update_hours),
                resolution_days=spec.resolution_days,
            )
            code = f"{CODE_PREFIX}D{d_index + 1:02d}-{spec.code}"[:30]
            items.append(ItemPlan(sink.ids(ServiceItem, 1), sink.ids(SlaPolicy, 1), code, p, spec, policy))
    cols = [
        "id",
        "created",
        "modified",
        "version",
        "domain",
        "code",
        "name",
        "department_id",
        "documents",
        "guide",
        "is_active",
    ]
    with sink.table(ServiceItem, cols) as put:
        for it in items:
            put(
                (
                    it.id,
                    since,
                    since,
                    1,
                    it.spec.domain,
                    it.code,
                    it.spec.name,
                    it.department.id,
                    list(it.spec.documents),
                    it.spec.guide,
                    True,
                )
            )
    cols = [
        "id",
        "item_id",
        "number",
        "first_response_hours",
        "update_hours",
        "resolution_days",
        "warn_before_hours",
        "created",
        "created_by_id",
    ]
    with sink.table(SlaPolicy, cols) as put:
        for it in items:
            pol = it.policy
            put(
                (
                    it.policy_id,
                    it.id,
                    1,
                    pol.first_response_hours,
                    pol.update_hours,
                    pol.resolution_days,
                    Decimal(2),
                    since,
                    None,
                )
            )
    sink.progress.finish()
    return items


# --- bodies -------------------------------------------------------------------------------------


def bodies_write(ctx: Context, d: DistrictWorld) -> list[BodyPlan]:
    """Building committees on the busiest buildings, one joint meeting per street, alliances, a team."""
    scale, sink = ctx.scale, ctx.sink
    rng = ctx.rng("bodies", d.index)
    others = scale.streets + 6 if scale.bodies > scale.streets + 8 else 4
    n_committees = max(1, scale.bodies - others)
    plans: list[BodyPlan] = []
    covered: set[int] = set()
    clusters = d.clusters
    cluster_of = {b: ci for ci, members in enumerate(clusters) for b in members}
    for b in sorted(range(len(d.buildings)), key=lambda i: -d.buildings[i].weight):
        if len(plans) >= n_committees:
            break
        if b in covered:
            continue
        neighbours = [x for x in clusters[cluster_of[b]] if x not in covered and x != b][: rng.randint(0, 3)]
        group = [b, *neighbours]
        covered.update(group)
        ref = d.buildings[b]
        node = d.cluster_ids[cluster_of[b]] if neighbours else ref.node_id
        plans.append(
            BodyPlan(sink.ids(Body, 1), BodyKind.BUILDING_COMMITTEE, pools.BODY_NAMES["building_committee"].format(building=ref.name),
                     node, ref.street_id, group, sum(d.buildings[x].weight for x in group), ref.name)
        )  # fmt: skip
    for s, street_id in enumerate(d.street_ids[: max(0, scale.bodies - len(plans) - 4)]):
        name = pools.BODY_NAMES["joint_meeting"].format(street=d.street_names[s])
        plans.append(
            BodyPlan(sink.ids(Body, 1), BodyKind.JOINT_MEETING, name, street_id, street_id, [], 3.0, d.street_names[s])
        )
    blocks = sorted(
        range(len(d.block_ids)), key=lambda k: -sum(d.buildings[b].weight for b in _block_buildings(d, clusters, k))
    )
    for k in blocks[: max(1, min(6, scale.bodies - len(plans) - 3))]:
        s = d.block_street[k]
        name = pools.BODY_NAMES["governance_alliance"].format(block=d.block_names[k] + f"（{d.street_names[s]}）")
        plans.append(BodyPlan(sink.ids(Body, 1), BodyKind.GOVERNANCE_ALLIANCE, name, d.block_ids[k], d.street_ids[s],
                              _block_buildings(d, clusters, k), 4.0, d.street_names[s]))  # fmt: skip
    left = scale.bodies - len(plans)
    extra_kinds = [BodyKind.INDUSTRY_ALLIANCE, BodyKind.SERVICE_TEAM, BodyKind.EXPERT_PANEL, BodyKind.INDUSTRY_ALLIANCE]
    for i in range(left):
        kind = extra_kinds[i] if i < len(extra_kinds) else BodyKind.WORKING_GROUP
        name = pools.BODY_NAMES[kind].format(
            district=d.name, industry=pools.INDUSTRY_LABELS[i % len(pools.INDUSTRY_LABELS)], n=i
        )
        plans.append(BodyPlan(sink.ids(Body, 1), kind, name, d.node_id, None, [], 2.0, d.name))
    _bodies_rows(ctx, d, plans, rng)
    return plans


def _block_buildings(d: DistrictWorld, clusters: list[list[int]], block: int) -> list[int]:
    return [b for ci, members in enumerate(clusters) if d.cluster_block[ci] == block for b in members]


def _bodies_rows(ctx: Context, d: DistrictWorld, plans: list[BodyPlan], rng: random.Random) -> None:
    sink = ctx.sink
    since = ctx.now - timedelta(days=ctx.scale.days + 20)
    sink.progress.start(f"bodies {d.short}", len(plans))
    cols = ["id", "created", "modified", "version", "node_id", "district_id", "street_id", "name", "kind", "parent_id",
            "description", "quorum", "majority_rule", "mechanisms", "is_active"]  # fmt: skip
    with sink.table(Body, cols) as put:
        for p in plans:
            description = f"{p.name}：楼事楼议、楼事楼办、楼事楼管。"
            put((p.id, since, since, 1, p.node_id, d.node_id, p.street_id, p.name, p.kind, None, description,
                 Decimal("0.50"), "simple", list(DEFAULT_MECHANISMS[p.kind]), True))  # fmt: skip
    through = Body.buildings.through
    links = [(p.id, d.buildings[b].id) for p in plans for b in p.buildings]
    first = sink.ids(through, len(links))
    with sink.table(through, ["id", "body_id", "building_id"]) as put:
        for n, (body_id, building_id) in enumerate(links):
            put((first + n, body_id, building_id))
    rows = []
    for p in plans:
        size = rng.randint(9, 15) if p.kind == BodyKind.BUILDING_COMMITTEE else rng.randint(5, 12)
        roles = [MemberRole.CONVENER, MemberRole.DEPUTY, MemberRole.SECRETARY] + [MemberRole.MEMBER] * (size - 3)
        seen: set[int] = set()
        for role in roles:
            person = _person_for(d, p, rng)
            if person in seen:
                continue
            seen.add(person)
            rows.append((p, person, None, role))
        for _ in range(2):
            ent = _enterprise_for(d, p, rng)
            rows.append((p, None, d.enterprise_first_id + ent, MemberRole.MEMBER_UNIT))
    first = sink.ids(BodyMember, len(rows))
    start = (ctx.now - timedelta(days=ctx.scale.days + 10)).date()
    cols = [
        "id",
        "created",
        "modified",
        "body_id",
        "person_id",
        "enterprise_id",
        "party_organisation_id",
        "role",
        "start",
        "end",
    ]
    with sink.table(BodyMember, cols) as put:
        for n, (p, person, ent, role) in enumerate(rows):
            put((first + n, since, since, p.id, person, ent, None, role, start, None))
            p.members.append((first + n, role))
    sink.progress.add(len(plans))
    sink.progress.finish()


def _enterprise_for(d: DistrictWorld, p: BodyPlan, rng: random.Random) -> int:
    if p.buildings:
        b = d.buildings[rng.choice(p.buildings)]
        if b.enterprises:
            return rng.choice(b.enterprises)
    return d.enterprise_at(rng)


def _person_for(d: DistrictWorld, p: BodyPlan, rng: random.Random) -> int:
    return d.person_of(_enterprise_for(d, p, rng), rng)
