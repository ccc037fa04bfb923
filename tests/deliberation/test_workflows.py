"""Every declared transition of the topic, meeting and minutes workflows, and every undeclared one.

Objects are built directly in the state under test with the ORM; the transitions go through the
services (``topic_action``, ``meeting_action``, ``minutes_action``), which apply the declared tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from govcube.audit.models import AuditEvent
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.core.workflows import Workflow, transition_apply
from govcube.deliberation import services as s
from govcube.deliberation.models import AgendaItem, Meeting, MeetingStatus, Topic, TopicStatus
from govcube.deliberation.workflows import (
    MEETING_FLOW,
    MINUTES_FLOW,
    TOPIC_FLOW,
    is_proposer,
    manages_item,
    manages_meeting,
    manages_topic,
    records_meeting,
    records_topic,
)

pytestmark = pytest.mark.django_db

FLOWS: dict[str, tuple[Workflow, list[str]]] = {
    "topic": (TOPIC_FLOW, list(TopicStatus.values)),
    "meeting": (MEETING_FLOW, list(MeetingStatus.values)),
    "minutes": (MINUTES_FLOW, list(AgendaItem.MinutesStatus.values)),
}

# Who may, and someone who may not, for each predicate of the tables (committee fixture roles).
ALLOWED = {
    manages_topic: "convener",
    records_topic: "secretary",
    is_proposer: "proposer",
    manages_meeting: "convener",
    records_meeting: "secretary",
    manages_item: "convener",
}
REFUSED = {
    manages_topic: ("member", "secretary", "proposer"),
    records_topic: ("member", "proposer"),
    is_proposer: ("convener", "member"),
    manages_meeting: ("member", "secretary"),
    records_meeting: ("member", "observer"),
    manages_item: ("member", "secretary"),
}


def sources(transition) -> tuple[str, ...]:
    return (transition.source,) if isinstance(transition.source, str) else tuple(transition.source)


DECLARED = [
    pytest.param(flow, source, t.action, t.target, id=f"{flow}:{source}-{t.action}->{t.target}")
    for flow, (workflow, _states) in FLOWS.items()
    for t in workflow.transitions
    for source in sources(t)
]
UNDECLARED = [
    pytest.param(flow, state, action, id=f"{flow}:{state}-{action}")
    for flow, (workflow, states) in FLOWS.items()
    for state in states
    for action in workflow.actions
    if workflow.find(state, action) is None
]
DENIED = [
    pytest.param(flow, source, t.action, who, id=f"{flow}:{source}-{t.action}-by-{who}")
    for flow, (workflow, _states) in FLOWS.items()
    for t in workflow.transitions
    for source in sources(t)
    for who in REFUSED[t.allowed]
]


@dataclass
class Setup:
    committee: object

    def actor(self, who: str):
        c = self.committee
        return {
            "convener": c.convener,
            "secretary": c.secretary,
            "member": c.members[0],
            "proposer": c.employees[0],
            "observer": c.employees[1],
        }[who]

    def topic(self, status: str, title: str = "午间电梯太挤") -> Topic:
        c = self.committee
        return Topic.objects.create(
            body=c.body,
            title=title,
            text="<p>希望错峰</p>",
            proposer=c.employees[0].person,
            status=status,
            district_id_scope=c.body.district_id,
            street_id_scope=c.body.street_id,
        )

    def meeting(self, status: str) -> Meeting:
        start = timezone.now() + timedelta(days=3)
        return Meeting.objects.create(
            body=self.committee.body,
            title="协商议事会",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="党群服务站",
            status=status,
        )

    def item(self, minutes_status: str) -> AgendaItem:
        return AgendaItem.objects.create(
            meeting=self.meeting(MeetingStatus.ENDED), title="电梯错峰", minutes_status=minutes_status
        )

    def build(self, flow: str, state: str):
        return {"topic": self.topic, "meeting": self.meeting, "minutes": self.item}[flow](state)

    def act(self, flow: str, obj, action: str, actor, *, with_payload: bool = True):
        if flow == "topic":
            kwargs = {}
            if with_payload and action in ("decline", "refer"):
                kwargs["reason"] = "属物业职责"
            if with_payload and action == "merge":
                kwargs["merged_into"] = self.topic(TopicStatus.ACCEPTED, "电梯高峰拥堵")
            return s.topic_action(actor=actor, topic=obj, action=action, **kwargs)
        if flow == "meeting":
            return s.meeting_action(actor=actor, meeting=obj, action=action)
        return s.minutes_action(actor=actor, item=obj, action=action)


@pytest.fixture
def setup(committee) -> Setup:
    return Setup(committee)


def field_of(flow: str) -> str:
    return FLOWS[flow][0].field


def events(flow: str, action: str, obj) -> int:
    workflow = FLOWS[flow][0]
    return AuditEvent.objects.filter(
        action=f"{workflow.name}.{action}", object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).count()


def test_the_tables_are_covered():
    # (state, action) pairs: topic 18 declared of 11 × 11, meeting 5 of 5 × 4, minutes 3 of 3 × 3.
    assert len(DECLARED) == 18 + 5 + 3
    assert len(UNDECLARED) == (11 * 11 - 18) + (5 * 4 - 5) + (3 * 3 - 3)
    for workflow, states in (v for v in FLOWS.values()):
        for t in workflow.transitions:
            assert t.target in states and set(sources(t)) <= set(states)
            assert t.allowed in ALLOWED, f"{workflow.name}.{t.action} has a predicate this test does not know"


@pytest.mark.parametrize(("flow", "source", "action", "target"), DECLARED)
def test_a_declared_transition_lands_in_its_target(setup, flow, source, action, target):
    obj = setup.build(flow, source)
    workflow = FLOWS[flow][0]
    transition = workflow.find(source, action)
    actor = setup.actor(ALLOWED[transition.allowed])
    assert transition in workflow.available(obj, actor)
    version = obj.version
    result = setup.act(flow, obj, action, actor)
    assert getattr(result, field_of(flow)) == target
    obj.refresh_from_db()
    assert getattr(obj, field_of(flow)) == target and obj.version == version + 1
    assert events(flow, action, obj) == 1
    event = AuditEvent.objects.get(action=f"{workflow.name}.{action}", object_id=str(obj.pk))
    assert event.before == {field_of(flow): source} and event.after[field_of(flow)] == target
    assert event.actor_id == actor.pk


@pytest.mark.parametrize(("flow", "state", "action"), UNDECLARED)
def test_an_undeclared_transition_is_refused_and_changes_nothing(setup, flow, state, action):
    obj = setup.build(flow, state)
    # The actor who would be allowed were the state right: the refusal is about the state.
    transition = next(t for t in FLOWS[flow][0].transitions if t.action == action)
    actor = setup.actor(ALLOWED[transition.allowed])
    audit_before = AuditEvent.objects.count()
    with pytest.raises(Conflict) as exc:
        setup.act(flow, obj, action, actor)
    assert exc.value.status == 409 and exc.value.code.endswith(".not_allowed_in_state")
    fresh = type(obj).objects.get(pk=obj.pk)
    assert getattr(fresh, field_of(flow)) == state and fresh.version == obj.version
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.parametrize(("flow", "source", "action", "who"), DENIED)
def test_a_disallowed_actor_is_refused(setup, flow, source, action, who):
    obj = setup.build(flow, source)
    actor = setup.actor(who)
    assert action not in [t.action for t in FLOWS[flow][0].available(obj, actor)]
    with pytest.raises(PermissionDenied):
        setup.act(flow, obj, action, actor)
    fresh = type(obj).objects.get(pk=obj.pk)
    assert getattr(fresh, field_of(flow)) == source and fresh.version == obj.version
    assert events(flow, action, obj) == 0


@pytest.mark.parametrize("action", ["decline", "refer"])
@pytest.mark.parametrize("reason", ["", "   "])
@pytest.mark.parametrize("state", [TopicStatus.SUBMITTED, TopicStatus.SCREENING])
def test_decline_and_refer_require_a_reason(setup, action, reason, state):
    topic = setup.topic(state)
    with pytest.raises(DomainError) as exc:
        s.topic_action(actor=setup.actor("convener"), topic=topic, action=action, reason=reason)
    assert exc.value.field == "reason"
    topic.refresh_from_db()
    assert topic.status == state and topic.reason == "" and events("topic", action, topic) == 0


def test_a_reason_is_stored_and_audited(setup):
    topic = setup.topic(TopicStatus.SCREENING)
    s.topic_action(actor=setup.actor("convener"), topic=topic, action="refer", reason="  转服务窗口  ")
    topic.refresh_from_db()
    assert topic.reason == "转服务窗口"
    assert AuditEvent.objects.get(action="deliberation.topic.refer").after["reason"] == "转服务窗口"


@pytest.mark.parametrize("state", [TopicStatus.SUBMITTED, TopicStatus.SCREENING])
def test_merge_requires_the_topic_to_merge_into(setup, state):
    topic = setup.topic(state)
    with pytest.raises(DomainError) as exc:
        s.topic_action(actor=setup.actor("convener"), topic=topic, action="merge")
    assert exc.value.field == "merged_into"
    # The table itself requires it too, whoever calls the engine.
    with pytest.raises(DomainError) as exc:
        transition_apply(workflow=TOPIC_FLOW, obj=topic, action="merge", actor=setup.actor("convener"), payload={})
    assert exc.value.field == "merged_into"
    topic.refresh_from_db()
    assert topic.status == state and topic.merged_into_id is None and events("topic", "merge", topic) == 0


def test_merge_records_the_kept_topic(setup):
    topic = setup.topic(TopicStatus.SUBMITTED)
    kept = setup.topic(TopicStatus.ACCEPTED, "电梯高峰拥堵")
    s.topic_action(actor=setup.actor("convener"), topic=topic, action="merge", merged_into=kept)
    topic.refresh_from_db()
    assert topic.merged_into_id == kept.pk
    assert AuditEvent.objects.get(action="deliberation.topic.merge").after["merged_into"] == kept.pk


def test_merging_into_itself_or_a_closed_topic_is_refused(setup):
    topic = setup.topic(TopicStatus.SUBMITTED)
    declined = setup.topic(TopicStatus.DECLINED, "已不予采纳")
    for target in (topic, declined):
        with pytest.raises(DomainError) as exc:
            s.topic_action(actor=setup.actor("convener"), topic=topic, action="merge", merged_into=target)
        assert exc.value.field == "merged_into"
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SUBMITTED


def test_an_unknown_action_is_a_bad_request(setup):
    topic = setup.topic(TopicStatus.SUBMITTED)
    with pytest.raises(DomainError) as exc:
        s.topic_action(actor=setup.actor("convener"), topic=topic, action="explode")
    assert exc.value.status == 400 and not isinstance(exc.value, Conflict)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SUBMITTED


def test_a_stale_version_is_refused(setup):
    topic = setup.topic(TopicStatus.SUBMITTED)
    with pytest.raises(Conflict):
        s.topic_action(actor=setup.actor("convener"), topic=topic, action="screen", version=topic.version + 1)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SUBMITTED and topic.version == 1


def test_a_street_official_over_the_body_manages_like_a_convener(setup, personas):
    topic = setup.topic(TopicStatus.SUBMITTED)
    s.topic_action(actor=personas.street_njxl, topic=topic, action="accept")
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ACCEPTED
    other = setup.topic(TopicStatus.SUBMITTED, "另一条")
    with pytest.raises(PermissionDenied):
        s.topic_action(actor=personas.street_jas, topic=other, action="accept")
