"""Topics, meetings, liaison and visits, and service requests of a generated district."""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import UTC, timedelta
from itertools import accumulate

from govcube.deliberation.models import Meeting, MeetingKind, MeetingStatus, Topic, TopicSource, TopicStatus
from govcube.demo import engagement_content as ec
from govcube.demo.scale import pools
from govcube.demo.scale.activity import (
    REQUEST_BUCKETS,
    TOPIC_BUCKETS,
    VISIT_BUCKETS,
    BodyPlan,
    Events,
    ItemPlan,
    _bucket_pick,
    _forced,
    _person_for,
)
from govcube.demo.scale.world import CST, Context, DistrictWorld, person_name
from govcube.engagement.models import FollowUp, LiaisonAssignment, Visit, VisitKind, VisitStatus
from govcube.services import sla
from govcube.services.models import Channel, RequestStatus, ServiceRequest

TOPIC_ACTIONS = {
    "screening": "screen", "accepted": "accept", "merged": "merge", "declined": "decline", "referred": "refer",
    "on_agenda": "schedule", "deliberated": "deliberate", "decided": "decide", "closed": "close", "withdrawn": "withdraw",
}  # fmt: skip
TOPIC_SOURCES = (
    [TopicSource.ONLINE, TopicSource.CAMPAIGN, TopicSource.WALK_IN, TopicSource.VISIT, TopicSource.MEETING],
    [50, 25, 12, 8, 5],
)


def _campaign_age(ctx: Context, body: BodyPlan, rng: random.Random) -> float:
    """Topics cluster around each body's quarterly campaigns, more of them lately."""
    span = ctx.scale.days
    if rng.random() < 0.6:
        phase = body.id * 37 % 91
        quarters = max(1, span // 91)
        k = int(rng.random() ** 1.6 * quarters)
        return max(0.0, min(span, phase + 91 * k + rng.gauss(0, 4)))
    return span * rng.random() ** 1.4


def topics_write(ctx: Context, d: DistrictWorld, bodies: list[BodyPlan], events: Events) -> list[int]:
    """Returns the ids of topics that went to a committee's agenda (for service requests to cite)."""
    scale, sink = ctx.scale, ctx.sink
    rng = ctx.rng("topics", d.index)
    cum = list(accumulate(b.weight for b in bodies))
    statuses = list(TopicStatus.values)
    first = sink.ids(Topic, scale.topics)
    last_of_body: dict[int, int] = {}
    agenda: list[int] = []
    cols = [
        "id", "created", "modified", "version", "district_id_scope", "street_id_scope", "body_id", "campaign_id",
        "title", "text", "category", "proposer_id", "on_behalf_of_id", "is_anonymous", "source", "status",
        "merged_into_id", "reason", "outcome", "support_count", "link_type", "link_id",
    ]  # fmt: skip
    sink.progress.start(f"topics {d.short}", scale.topics)
    with sink.table(Topic, cols) as put:
        for n in range(scale.topics):
            body = bodies[bisect_right(cum, rng.random() * cum[-1])]
            status, age = _bucket_pick(TOPIC_BUCKETS, _campaign_age(ctx, body, rng), rng, _forced(n, statuses))
            created = ctx.moment(age, rng, office=False)
            changed = min(
                ctx.now.astimezone(UTC) - timedelta(minutes=5), created + timedelta(days=rng.uniform(0.2, 20))
            )
            person = _person_for(d, body, rng)
            subject = rng.choice(pools.TOPIC_SUBJECTS)
            title = rng.choice(pools.TOPIC_FORMS).format(s=subject)
            text = rng.choice(pools.TOPIC_TEXTS).format(s=subject, body=body.name)
            merged = last_of_body.get(body.id) if status == "merged" else None
            if status == "merged" and merged is None:
                status = "declined"
            reason = "不属于楼事会议事范围，建议向物业反映。" if status == "declined" else ""
            if status == "referred":
                reason = "已转交街道城运中心和相关职能部门处理。"
            outcome = "经协商形成决定，已明确责任单位和完成时限。" if status in ("decided", "closed") else ""
            tid = first + n
            put((
                tid, created, changed if status != "submitted" else created, 1 if status == "submitted" else 2,
                d.node_id, body.street_id, body.id, None, title, text, rng.choice(pools.TOPIC_CATEGORIES), person,
                None, rng.random() < 0.08, rng.choices(*TOPIC_SOURCES)[0], status, merged, reason, outcome,
                int(rng.paretovariate(1.5)) - 1, "", "",
            ))  # fmt: skip
            last_of_body[body.id] = tid
            events.add(
                created,
                "deliberation.topic.submitted",
                "deliberation.topic",
                tid,
                title,
                None,
                d.node_id,
                body.street_id,
                {"status": "submitted"},
            )
            if status != "submitted":
                actor = d.officials[rng.randrange(len(d.officials))]
                events.add(
                    changed,
                    f"deliberation.topic.{TOPIC_ACTIONS[status]}",
                    "deliberation.topic",
                    tid,
                    title,
                    actor,
                    d.node_id,
                    body.street_id,
                    {"status": status},
                )
            if status in ("on_agenda", "deliberated", "decided", "closed") and len(agenda) < 50_000:
                agenda.append(tid)
    sink.progress.finish()
    return agenda


MEETING_BUCKETS = [
    (0, {"scheduled": 85, "draft": 15}),
    (None, {"ended": 92, "cancelled": 8}),
]


def meetings_write(ctx: Context, d: DistrictWorld, bodies: list[BodyPlan], events: Events) -> None:
    scale, sink = ctx.scale, ctx.sink
    rng = ctx.rng("meetings", d.index)
    cum = list(accumulate(b.weight**0.6 for b in bodies))
    first = sink.ids(Meeting, scale.meetings)
    statuses = list(MeetingStatus.values)
    cols = [
        "id", "created", "modified", "version", "body_id", "title", "kind", "status", "starts_at", "ends_at", "place",
        "open_attendance", "observer_seats", "registration_closes_at", "observers_registered",
    ]  # fmt: skip
    sink.progress.start(f"meetings {d.short}", scale.meetings)
    counter: dict[int, int] = {}
    with sink.table(Meeting, cols) as put:
        for n in range(scale.meetings):
            body = bodies[bisect_right(cum, rng.random() * cum[-1])]
            forced = _forced(n, statuses)
            if forced == "in_progress":
                status, starts = forced, ctx.now - timedelta(minutes=40)
            else:
                age = rng.uniform(-60, scale.days)
                status, age = _bucket_pick(MEETING_BUCKETS, age, rng, forced)
                day = ctx.today - timedelta(days=int(age))
                if day.weekday() >= 5:
                    day -= timedelta(days=day.weekday() - 4)
                starts = ctx.now.replace(
                    year=day.year, month=day.month, day=day.day, hour=rng.choice((10, 12, 14, 16)), minute=0
                )
                if starts > ctx.now and status == "ended":
                    starts -= timedelta(days=1)
            ends = starts + timedelta(minutes=rng.choice((60, 90, 120)))
            created = min(starts - timedelta(days=rng.randint(7, 21)), ctx.now - timedelta(hours=2)).astimezone(UTC)
            counter[body.id] = counter.get(body.id, 0) + 1
            title = rng.choice(pools.MEETING_TITLES).format(body=body.name, n=counter[body.id])[:200]
            place = rng.choice(pools.MEETING_PLACES).format(building=body.place, street=body.place)[:200]
            is_open = rng.random() < 0.3
            seats = rng.randint(10, 40) if is_open else 0
            put((
                first + n, created, created, 1, body.id, title, rng.choices(list(MeetingKind.values), weights=[70, 15, 10, 5])[0],
                status, starts, ends, place, is_open, seats, starts - timedelta(days=1) if is_open else None, 0,
            ))  # fmt: skip
            actor = d.officials[rng.randrange(len(d.officials))]
            events.add(
                created,
                "deliberation.meeting.created",
                "deliberation.meeting",
                first + n,
                title,
                actor,
                d.node_id,
                body.street_id,
                {"status": "draft"},
            )
            if status in ("ended", "cancelled"):
                at = (ends if status == "ended" else starts - timedelta(days=1)).astimezone(UTC)
                events.add(
                    min(at, ctx.now.astimezone(UTC)),
                    f"deliberation.meeting.{'end' if status == 'ended' else 'cancel'}",
                    "deliberation.meeting",
                    first + n,
                    title,
                    actor,
                    d.node_id,
                    body.street_id,
                    {"status": status},
                )
    sink.progress.finish()


def visits_write(ctx: Context, d: DistrictWorld, events: Events) -> None:
    """Liaison assignments (one cadre per building), then visits weighted toward key buildings."""
    scale, sink = ctx.scale, ctx.sink
    rng = ctx.rng("visits", d.index)
    kinds = list(VisitKind.objects.order_by("order", "code").values_list("id", "code"))
    kind_weights = [ec.KIND_WEIGHTS.get(code, 10) for _id, code in kinds]
    start = ctx.today - timedelta(days=scale.days + 30)
    since = ctx.now - timedelta(days=scale.days + 30)
    first = sink.ids(LiaisonAssignment, len(d.buildings))
    cols = ["id", "created", "modified", "district_id_scope", "street_id_scope", "building_id", "cadre_id", "start",
            "end", "monthly_quota", "handed_over", "assigned_by_id"]  # fmt: skip
    sink.progress.start(f"visits {d.short}", scale.visits + len(d.buildings))
    with sink.table(LiaisonAssignment, cols) as put:
        for i, b in enumerate(d.buildings):
            cadre = d.liaison_of[i][0]
            put(
                (
                    first + i,
                    since,
                    since,
                    d.node_id,
                    b.street_id,
                    b.id,
                    cadre,
                    start,
                    None,
                    4 if b.is_key else 2,
                    False,
                    d.officials[b.street_index][0],
                )
            )
    cum = list(accumulate(b.weight**0.7 for b in d.buildings))
    statuses = list(VisitStatus.values)
    first = sink.ids(Visit, scale.visits)
    cols = [
        "id", "created", "modified", "version", "district_id_scope", "street_id_scope", "building_id", "cadre_id",
        "kind_id", "status", "planned_for", "visited_at", "place", "enterprise_id", "people", "findings", "follow_up",
        "link_type", "link_id", "cancel_reason",
    ]  # fmt: skip
    with sink.table(Visit, cols) as put:
        for n in range(scale.visits):
            b_index = bisect_right(cum, rng.random() * cum[-1])
            b = d.buildings[b_index]
            cadre = d.liaison_of[b_index]
            status, age = _bucket_pick(VISIT_BUCKETS, rng.uniform(-28, scale.days), rng, _forced(n, statuses))
            planned = ctx.today - timedelta(days=int(age))
            k = rng.choices(range(len(kinds)), weights=kind_weights)[0]
            code = kinds[k][1]
            ent = rng.choice(b.enterprises) if b.enterprises else None
            ent_name = d.ent_names[ent] if ent is not None else b.name
            place = ec.PLACES.get(code, "{building}").format(building=b.name, enterprise=ent_name)[:200]
            created = ctx.moment(max(0, age) + rng.randint(3, 14), rng)
            findings = people = follow = cancel = ""
            visited = None
            if status == VisitStatus.DONE:
                visited = ctx.moment(max(age, 0.01), rng)
                findings = rng.choice(ec.FINDINGS.get(code, ec.FINDINGS["enterprise"]))
                people = rng.choice(ec.PEOPLE.get(code, ("{n}人",))).format(name=person_name(rng), n=rng.randint(3, 12))
                follow = rng.choices(
                    ["", FollowUp.NOTE, FollowUp.TOPIC, FollowUp.SERVICE_REQUEST], weights=[50, 30, 12, 8]
                )[0]
            elif status == VisitStatus.CANCELLED:
                cancel = rng.choice(ec.CANCEL_REASONS)
            put((
                first + n, created, visited or created, 2 if visited else 1, d.node_id, b.street_id, b.id, cadre[0],
                kinds[k][0], status, planned, visited, place, d.enterprise_first_id + ent if ent is not None and code == "enterprise" else None,
                people, findings, follow or "", "", "", cancel,
            ))  # fmt: skip
            label = f"{b.name} · {planned:%Y-%m-%d}"
            events.add(
                created,
                "engagement.visit.planned",
                "engagement.visit",
                first + n,
                label,
                cadre,
                d.node_id,
                b.street_id,
                {"status": "planned"},
            )
            if status != VisitStatus.PLANNED:
                at = visited or ctx.moment(max(age, 0.01), rng)
                events.add(
                    at,
                    f"engagement.visit.{'record' if visited else 'cancel'}",
                    "engagement.visit",
                    first + n,
                    label,
                    cadre,
                    d.node_id,
                    b.street_id,
                    {"status": status},
                )
    sink.progress.finish()


def requests_write(
    ctx: Context, d: DistrictWorld, items: list[ItemPlan], agenda: list[int], events: Events, numbers: dict
) -> None:
    """Service requests: tax-season and Monday peaks, SLA due times from the real calendar, every state."""
    scale, sink = ctx.scale, ctx.sink
    rng = ctx.rng("requests", d.index)
    mine = [it for it in items if it.department.district is d]
    item_cum = list(accumulate(w.spec.weight for w in mine))
    statuses = list(RequestStatus.values)
    # Draw every request's moment first, so numbers follow submission order within the district.
    ages = []
    for _ in range(scale.requests):
        age = scale.days * rng.random() ** 1.3
        if rng.random() < 0.25:  # tax-season peaks: the prepayment months
            day = ctx.today - timedelta(days=int(age))
            age += (day.day - rng.randint(1, 15)) if day.month in (1, 4, 5, 7, 10) else 0
        ages.append(max(0.0, min(scale.days, age)))
    plan = []
    for n, age in enumerate(ages):
        status, age = _bucket_pick(REQUEST_BUCKETS, age, rng, _forced(n, statuses))
        plan.append((ctx.moment(max(age, 0.0), rng), status))
    plan.sort(key=lambda p: p[0])
    first = sink.ids(ServiceRequest, scale.requests)
    sla.resolution_due(plan[0][0], 1)  # load the working-day calendar now: no query may run during COPY
    cols = [
        "id", "created", "modified", "version", "district_id_scope", "street_id_scope", "number", "enterprise_id",
        "requester_id", "building_id", "item_id", "policy_id", "department_id", "owner_id", "channel", "title",
        "description", "status", "answer", "merged_into_id", "submitted_at", "first_response_due",
        "first_responded_at", "update_due", "resolution_due", "resolved_at", "closed_at", "paused_at",
        "paused_seconds", "extension_days", "escalation_level", "reopen_count", "transfer_count", "topic_id",
    ]  # fmt: skip
    now = ctx.now.astimezone(UTC)
    last_open: dict[int, int] = {}
    sink.progress.start(f"service requests {d.short}", scale.requests)
    with sink.table(ServiceRequest, cols) as put:
        for n, (submitted, status) in enumerate(plan):
            rid = first + n
            it = mine[bisect_right(item_cum, rng.random() * item_cum[-1])]
            ent = d.enterprise_at(rng)
            b = d.buildings[d.ent_building[ent]]
            title, description = rng.choice(it.spec.requests)
            year = submitted.astimezone(CST).year
            numbers[year] = numbers.get(year, 0) + 1
            number = f"FW{year}{numbers[year]:0{numbers['width']}d}"
            pol = it.policy
            first_due = sla.first_response_due(submitted, pol)
            resolution_due = sla.resolution_due(submitted, pol.resolution_days)
            staff = it.department.staff
            owner = None if status == "submitted" else staff[rng.randrange(len(staff))]
            responded = update_due = resolved = closed = paused = None
            answer = ""
            merged = None
            if status in ("in_progress", "waiting", "resolved", "closed"):
                hours = float(pol.first_response_hours) * (
                    rng.uniform(0.1, 0.95) if rng.random() < 0.88 else rng.uniform(1.05, 3)
                )
                responded = min(sla.first_response_due(submitted, _Hours(hours)), now - timedelta(minutes=10))
                update_due = sla.update_due(responded, pol) if status in ("in_progress", "waiting") else None
            if status == "waiting":
                paused = min(responded + timedelta(hours=rng.uniform(1, 30)), now - timedelta(minutes=5))
            if status in ("resolved", "closed"):
                span = (resolution_due - submitted) * (
                    rng.uniform(0.2, 0.95) if rng.random() < 0.85 else rng.uniform(1.02, 1.6)
                )
                resolved = min(max(responded, submitted + span), now - timedelta(minutes=5))
                answer = rng.choice(it.spec.answers)
            if status == "closed":
                closed = min(resolved + timedelta(days=rng.uniform(0.5, 7)), now - timedelta(minutes=1))
            if status == "merged":
                merged = last_open.get(ent)
                if merged is None:
                    status = "withdrawn"
            modified = closed or resolved or paused or responded or submitted
            topic = agenda[rng.randrange(len(agenda))] if agenda and rng.random() < 0.02 else None
            channel = (
                Channel.TOPIC
                if topic
                else rng.choices(
                    [Channel.WEB, Channel.PHONE, Channel.VISIT, Channel.SERVICE_DAY], weights=[70, 15, 10, 5]
                )[0]
            )
            put((
                rid, submitted, modified, 1, d.node_id, b.street_id, number, d.enterprise_first_id + ent,
                d.person_of(ent, rng), b.id, it.id, it.policy_id, it.department.id, owner[0] if owner else None,
                channel, title, description, status, answer, merged, submitted, first_due, responded, update_due,
                resolution_due, resolved, closed, paused, 0, 0, 1 if status in ("in_progress", "waiting") and resolution_due < now else 0,
                0, 0, topic,
            ))  # fmt: skip
            if status in ("submitted", "assigned", "in_progress", "waiting"):
                last_open[ent] = rid
            label = f"{number} {title}"
            scope = (d.node_id, b.street_id)
            events.add(
                submitted,
                "services.request.submitted",
                "services.servicerequest",
                rid,
                label,
                None,
                *scope,
                {"number": number, "item": it.code, "channel": channel},
            )
            if owner:
                events.add(
                    submitted + timedelta(seconds=1),
                    "services.request.assign",
                    "services.servicerequest",
                    rid,
                    label,
                    owner,
                    *scope,
                    {"status": "assigned"},
                )
            if responded:
                events.add(
                    responded,
                    "services.request.accept",
                    "services.servicerequest",
                    rid,
                    label,
                    owner,
                    *scope,
                    {"status": "in_progress"},
                )
            if paused:
                events.add(
                    paused,
                    "services.request.ask",
                    "services.servicerequest",
                    rid,
                    label,
                    owner,
                    *scope,
                    {"status": "waiting"},
                )
            if resolved:
                events.add(
                    resolved,
                    "services.request.resolve",
                    "services.servicerequest",
                    rid,
                    label,
                    owner,
                    *scope,
                    {"status": "resolved"},
                )
            if closed:
                events.add(
                    closed,
                    "services.request.close",
                    "services.servicerequest",
                    rid,
                    label,
                    None,
                    *scope,
                    {"status": "closed"},
                )
            if status in ("withdrawn", "merged"):
                at = min(submitted + timedelta(days=rng.uniform(0.1, 5)), now - timedelta(minutes=1))
                events.add(
                    at,
                    f"services.request.{'merge' if status == 'merged' else 'withdraw'}",
                    "services.servicerequest",
                    rid,
                    label,
                    None,
                    *scope,
                    {"status": status},
                )
    sink.progress.finish()


class _Hours:
    __slots__ = ("first_response_hours",)

    def __init__(self, hours: float):
        self.first_response_hours = round(hours, 2)
