"""The demo's governance bodies and deliberation, loaded once for this module through ``manage.py load_demo``.

Like ``test_load_demo.py``: the load runs inside a transaction rolled back after the module,
and each test runs in its own savepoint inside it.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from govcube.accounts.models import User
from govcube.audit.models import AuditEvent
from govcube.audit.services import audit_verify
from govcube.bodies.models import Body, BodyKind, BodyMember, MemberRole
from govcube.bodies.permissions import is_manager, is_recorder, is_voting_member
from govcube.deliberation import services as deliberation
from govcube.deliberation.models import (
    AgendaItem,
    Attendance,
    Campaign,
    Decision,
    FollowUp,
    Meeting,
    MeetingStatus,
    RegistrationStatus,
    Topic,
    TopicStatus,
    VoteMethod,
)
from govcube.directory.models import Enterprise
from govcube.territory.models import Building

pytestmark = pytest.mark.django_db

HENGLONG_COMMITTEE = "恒隆广场楼宇事务委员会"
CATEGORIES = {"环境", "交通", "餐饮", "党建", "企业服务"}


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


@pytest.fixture
def henglong(demo) -> Body:
    return Body.objects.get(name=HENGLONG_COMMITTEE)


def user(username: str) -> User:
    return User.objects.select_related("person").get(username=username)


def active_members(body: Body):
    return BodyMember.objects.active().filter(body=body)


# --- bodies ------------------------------------------------------------------------------


def test_the_hang_lung_committee_covers_exactly_its_8_buildings(henglong):
    assert henglong.kind == BodyKind.BUILDING_COMMITTEE
    buildings = list(henglong.buildings.select_related("node"))
    names = {b.name for b in buildings}
    assert len(buildings) == 8 and "恒隆广场" in names and "中信泰富广场" in names
    assert all(b.node.path.startswith(henglong.node.path) for b in buildings)
    assert all(b.street.name == "南京西路街道" for b in buildings)


def test_the_hang_lung_committee_has_its_demo_people_units_and_an_expert(henglong):
    members = list(active_members(henglong))
    role_of = {m.person_id: m.role for m in members if m.person_id}
    assert role_of[user("convener_henglong").person_id] == MemberRole.CONVENER
    assert role_of[user("secretary_henglong").person_id] == MemberRole.SECRETARY
    assert role_of[user("grid_chief_henglong").person_id] == MemberRole.MEMBER
    assert role_of[user("expert_li").person_id] == MemberRole.EXPERT
    assert any(m.enterprise_id for m in members) and any(m.party_organisation_id for m in members)
    others = [
        m
        for m in members
        if m.person_id
        not in {
            user(u).person_id for u in ("convener_henglong", "secretary_henglong", "grid_chief_henglong", "expert_li")
        }
    ]
    assert 6 <= len(others) <= 10
    # Body roles reach the demo accounts: the convener manages, the secretary records, the employees only take part.
    assert is_manager(user("convener_henglong"), henglong)
    assert is_recorder(user("secretary_henglong"), henglong) and not is_manager(user("secretary_henglong"), henglong)
    assert is_voting_member(user("grid_chief_henglong"), henglong)
    assert not is_voting_member(user("expert_li"), henglong)
    assert not is_manager(user("employee_henglong_1"), henglong)


def test_at_least_eleven_building_committees_each_with_four_to_eight_members(demo):
    committees = list(Body.objects.filter(kind=BodyKind.BUILDING_COMMITTEE).exclude(name=HENGLONG_COMMITTEE))
    assert len(committees) >= 10
    assert Body.objects.filter(kind=BodyKind.BUILDING_COMMITTEE).count() >= 11
    covered = []
    for body in committees:
        buildings = list(body.buildings.select_related("node"))
        assert 1 <= len(buildings) <= 3, body.name
        assert any(b.is_key for b in buildings), body.name
        assert all(b.node.path.startswith(body.node.path) for b in buildings), body.name
        roles = list(active_members(body).values_list("role", flat=True))
        assert 4 <= len(roles) <= 8, body.name
        assert roles.count(MemberRole.CONVENER) == 1, body.name
        covered += [b.pk for b in buildings]
    assert len(covered) == len(set(covered))  # no building has two committees
    henglong = set(Body.objects.get(name=HENGLONG_COMMITTEE).buildings.values_list("pk", flat=True))
    assert not henglong & set(covered)


def test_the_three_platforms_exist(demo):
    alliance = Body.objects.get(name="静安寺商圈治理联盟")
    conference = Body.objects.get(name="恒隆广场商圈党建联席会议")
    meeting = Body.objects.get(name="“邻里石二”街区共治联席会议")
    assert (alliance.kind, conference.kind, meeting.kind) == (
        BodyKind.GOVERNANCE_ALLIANCE,
        BodyKind.JOINT_CONFERENCE,
        BodyKind.JOINT_MEETING,
    )
    assert meeting.street.name == "石门二路街道"
    assert conference.buildings.filter(name="恒隆广场").exists()
    for body in (alliance, conference, meeting):
        roles = set(active_members(body).values_list("role", flat=True))
        assert {MemberRole.CONVENER, MemberRole.LEAD_UNIT, MemberRole.MEMBER_UNIT} <= roles, body.name


def test_the_global_service_provider_alliance_has_its_32_members_and_working_groups(demo):
    alliance = Body.objects.get(kind=BodyKind.INDUSTRY_ALLIANCE, name="“全球服务商”党建联盟")
    units = active_members(alliance).filter(role=MemberRole.MEMBER_UNIT)
    assert units.count() == 32
    providers = set(Enterprise.objects.filter(is_global_service_provider=True).values_list("pk", flat=True))
    assert set(units.values_list("enterprise_id", flat=True)) == providers
    lead = active_members(alliance).get(role=MemberRole.LEAD_UNIT)
    assert lead.person_id == user("alliance_lead").person_id
    groups = list(alliance.children.all())
    assert 1 <= len(groups) <= 3
    for group in groups:
        assert group.kind == BodyKind.WORKING_GROUP
        enterprises = set(active_members(group).exclude(enterprise=None).values_list("enterprise_id", flat=True))
        assert enterprises and enterprises <= providers


def test_the_chief_service_team_and_the_expert_panel(demo):
    team = Body.objects.get(kind=BodyKind.SERVICE_TEAM)
    people = set(active_members(team).values_list("person_id", flat=True))
    assert {user(u).person_id for u in ("service_hr", "service_tax", "service_lead")} <= people
    assert active_members(team).get(person=user("service_lead").person).role == MemberRole.CONVENER
    panel = Body.objects.get(kind=BodyKind.EXPERT_PANEL)
    experts = active_members(panel).filter(role=MemberRole.EXPERT)
    assert experts.count() == 3
    assert experts.filter(person=user("expert_li").person).exists()


# --- topics and campaigns -------------------------------------------------------------------


def test_every_topic_status_is_present_in_the_hang_lung_committee(henglong):
    topics = Topic.objects.filter(body=henglong)
    assert set(topics.values_list("status", flat=True)) == set(TopicStatus.values)
    assert all(t.reason for t in topics.filter(status__in=[TopicStatus.DECLINED, TopicStatus.REFERRED]))
    assert all(t.outcome for t in topics.filter(status__in=[TopicStatus.DECIDED, TopicStatus.CLOSED]))
    merged = topics.get(status=TopicStatus.MERGED)
    assert merged.merged_into.body_id == henglong.pk
    assert topics.filter(is_anonymous=True).exists()
    assert topics.filter(support_count__gt=0).count() >= 5
    proposers = set(topics.values_list("proposer_id", flat=True))
    employees = {user(f"employee_henglong_{n}").person_id for n in (1, 2, 3)}
    assert employees <= proposers and proposers - employees  # the employees and other people
    assert set(topics.exclude(category="").values_list("category", flat=True)) == CATEGORIES
    assert all(t.created <= timezone.now() for t in topics)


def test_topic_states_were_reached_through_the_workflow(demo):
    """Each topic's last audited workflow step lands on its status; submitted ones have none."""
    events: dict[str, str] = {}
    rows = AuditEvent.objects.filter(object_type="deliberation.topic", action__startswith="deliberation.topic.")
    for object_id, after in rows.order_by("id").values_list("object_id", "after"):
        if after and "status" in after:
            events[object_id] = after["status"]
    for topic in Topic.objects.all():
        assert events.get(str(topic.pk), TopicStatus.SUBMITTED) == topic.status, topic.title


def test_a_past_closed_and_a_current_open_campaign(henglong):
    campaigns = list(Campaign.objects.filter(body=henglong).order_by("opens_at"))
    assert [c.state for c in campaigns] == ["closed", "open"]
    for campaign in campaigns:
        assert set(campaign.categories) == CATEGORIES
        assert campaign.topics.count() >= 5
        assert all(campaign.opens_at <= t.created for t in campaign.topics.all())
    assert all(t.created <= campaigns[0].closes_at for t in campaigns[0].topics.all())


# --- meetings -------------------------------------------------------------------------------


def test_past_meetings_have_presence_decisions_follow_ups_and_published_minutes(henglong):
    now = timezone.now()
    past = list(Meeting.objects.filter(body=henglong, status=MeetingStatus.ENDED))
    assert 2 <= len(past) <= 3
    methods = set()
    for meeting in past:
        assert meeting.ends_at < now
        assert Attendance.objects.filter(meeting=meeting, present=True).count() >= 6
        items = list(meeting.items.all())
        assert items and all(i.minutes_status == AgendaItem.MinutesStatus.PUBLISHED and i.minutes for i in items)
        decisions = Decision.objects.filter(item__meeting=meeting)
        assert decisions.exists()
        for decision in decisions:
            methods.add(decision.method)
            assert decision.passed is not None
            assert decision.votes_for + decision.votes_against + decision.votes_abstain <= decision.present_voting
            if decision.method == VoteMethod.ROLL_CALL:
                assert decision.votes.count() == decision.votes_for + decision.votes_against + decision.votes_abstain
    assert methods == {VoteMethod.SHOW_OF_HANDS, VoteMethod.ROLL_CALL}
    assert FollowUp.objects.filter(decision__item__meeting__in=past).count() >= 3
    assert Decision.objects.filter(item__meeting__in=past, passed=False).exists()


def test_every_meeting_status_came_from_the_workflow(demo):
    for meeting in Meeting.objects.all():
        actions = list(
            AuditEvent.objects.filter(object_type="deliberation.meeting", object_id=str(meeting.pk))
            .filter(
                action__in=["deliberation.meeting.schedule", "deliberation.meeting.start", "deliberation.meeting.end"]
            )
            .order_by("id")
            .values_list("action", flat=True)
        )
        expected = {MeetingStatus.SCHEDULED: ["schedule"], MeetingStatus.ENDED: ["schedule", "start", "end"]}
        assert [a.rsplit(".", 1)[1] for a in actions] == expected[meeting.status], meeting.title


def test_one_upcoming_open_meeting_with_seats_left_and_registration_open(henglong):
    now = timezone.now()
    upcoming = Meeting.objects.filter(status=MeetingStatus.SCHEDULED, open_attendance=True)
    assert upcoming.count() == 1
    meeting = upcoming.get()
    assert meeting.body == henglong and meeting.starts_at > now
    assert meeting.registration_closes_at > now
    assert 0 < meeting.observers_registered < meeting.observer_seats
    registered = meeting.registrations.filter(status=RegistrationStatus.REGISTERED)
    assert registered.count() == meeting.observers_registered
    topics = [i.topic for i in meeting.items.select_related("topic") if i.topic_id]
    assert len(topics) >= 2 and all(t.status == TopicStatus.ON_AGENDA for t in topics)
    # Registration really is open: another employee of the covered buildings gets a seat.
    registration = deliberation.registration_create(actor=user("employee_henglong_3"), meeting=meeting)
    assert registration.status == RegistrationStatus.REGISTERED


def test_a_few_other_committees_deliberate_too(demo):
    bodies = Body.objects.filter(kind=BodyKind.BUILDING_COMMITTEE).exclude(name=HENGLONG_COMMITTEE)
    with_meetings = bodies.filter(meetings__status=MeetingStatus.ENDED).distinct()
    assert with_meetings.count() >= 3
    assert Topic.objects.filter(body__in=bodies).values("body").distinct().count() >= 4
    bohua = Topic.objects.get(body__name="博华大厦楼宇事务委员会")
    assert bohua.proposer_id == user("contact_bohua").person_id and bohua.on_behalf_of_id


# --- the load as a whole ------------------------------------------------------------------------


def test_the_load_reports_the_bodies_and_the_audit_chain_verifies(demo):
    assert "building_committees:" in demo and "topics:" in demo
    result = audit_verify()
    assert result.ok, result.problems
    assert AuditEvent.objects.filter(action="bodies.body.created").count() == Body.objects.count()
    assert Building.objects.filter(bodies__kind=BodyKind.BUILDING_COMMITTEE, is_key=True).distinct().count() >= 20
