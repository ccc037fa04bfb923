"""Decisions and votes: majority rules, the quorum boundary, tallies, and who may vote."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from govcube.bodies.models import Body, BodyKind, BodyMember, MajorityRule, MemberRole
from govcube.bodies.services import body_create, body_member_add
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.deliberation import services as s
from govcube.deliberation.models import Attendance, Decision, MeetingKind, Vote, VoteMethod
from govcube.deliberation.services.decisions import passes, quorum_needed, quorum_of
from tests.factories import person_in, person_user

pytestmark = pytest.mark.django_db


# --- majority rules ------------------------------------------------------------------------------


def reference(rule: str, votes_for: int, votes_against: int, present: int) -> bool:
    """The rules as the body's statutes state them, in exact fractions."""
    if rule == MajorityRule.SIMPLE:
        return votes_for > votes_against
    if rule == MajorityRule.ABSOLUTE:
        return Fraction(votes_for) > Fraction(present, 2)
    return Fraction(votes_for) >= Fraction(2 * present, 3)


@st.composite
def tallies(draw):
    present = draw(st.integers(1, 500))
    votes_for = draw(st.integers(0, present))
    votes_against = draw(st.integers(0, present - votes_for))
    votes_abstain = draw(st.integers(0, present - votes_for - votes_against))
    return votes_for, votes_against, votes_abstain, present


@given(rule=st.sampled_from(MajorityRule.values), tally=tallies())
@settings(max_examples=300, deadline=None, database=None)
def test_passes_follows_each_majority_rule(rule, tally):
    votes_for, votes_against, _abstain, present = tally
    assert passes(rule, votes_for, votes_against, present) is reference(rule, votes_for, votes_against, present)


@pytest.mark.parametrize(
    ("rule", "votes_for", "votes_against", "present", "expected"),
    [
        (MajorityRule.SIMPLE, 3, 3, 9, False),  # a tie fails
        (MajorityRule.SIMPLE, 2, 1, 9, True),  # abstentions and absentees do not count
        (MajorityRule.ABSOLUTE, 2, 0, 4, False),  # half is not more than half
        (MajorityRule.ABSOLUTE, 3, 1, 4, True),
        (MajorityRule.ABSOLUTE, 3, 0, 5, True),
        (MajorityRule.TWO_THIRDS, 2, 1, 3, True),  # exactly two thirds passes
        (MajorityRule.TWO_THIRDS, 4, 2, 6, True),
        (MajorityRule.TWO_THIRDS, 3, 0, 6, False),
        (MajorityRule.TWO_THIRDS, 6, 0, 10, False),
        (MajorityRule.TWO_THIRDS, 7, 3, 10, True),
        (MajorityRule.TWO_THIRDS, 0, 0, 1, False),
    ],
)
def test_majority_rule_boundaries(rule, votes_for, votes_against, present, expected):
    assert passes(rule, votes_for, votes_against, present) is expected


# --- quorum --------------------------------------------------------------------------------------


@given(share=st.integers(1, 100), expected=st.integers(0, 2000))
@example(share=28, expected=25)  # 0.28 × 25 is 7.000000000000001 in floating point
@example(share=56, expected=25)
@example(share=14, expected=50)
@settings(max_examples=500, deadline=None, database=None)
def test_quorum_needed_is_the_share_rounded_up_exactly(share, expected):
    needed = quorum_needed(Decimal(share) / 100, expected)
    assert needed >= 1
    assert needed * 100 >= share * expected  # enough
    assert needed == 1 or (needed - 1) * 100 < share * expected  # and no more than enough


def in_progress(committee, *, soon, body=None, joint_bodies=(), actor=None, **fields):
    """A meeting of the committee (or another body), created through the services and started."""
    start, end = soon()
    actor = actor or committee.convener
    meeting = s.meeting_create(
        actor=actor,
        body=body or committee.body,
        title="协商议事会",
        starts_at=start,
        ends_at=end,
        place="恒隆广场党群服务站",
        joint_bodies=joint_bodies,
        **fields,
    )
    item = s.agenda_item_add(actor=actor, meeting=meeting, title="电梯错峰")
    meeting = s.meeting_action(actor=actor, meeting=meeting, action="schedule")
    meeting = s.meeting_action(actor=committee.secretary, meeting=meeting, action="start")
    return meeting, item


def mark_present(committee, meeting, members) -> None:
    for member in members:
        s.attendance_record(actor=committee.secretary, meeting=meeting, member=member, present=True)


def voting_rows(committee) -> list[BodyMember]:
    c = committee
    return [c.member_rows[u.username] for u in (c.convener, c.secretary, *c.members)]


def add_voting_members(committee, personas, world, count: int) -> None:
    for i in range(count):
        person = person_in(world.ent_a, f"增补成员{i}", f"1370000{i:04d}")
        body_member_add(actor=personas.street_njxl, body=committee.body, role=MemberRole.MEMBER, person=person)


@pytest.mark.parametrize(
    ("quorum", "extra_members", "needed"),
    [
        ("0.50", 0, 3),  # 5 voting members: 2.5 rounds up to 3
        ("0.60", 0, 3),
        ("0.67", 0, 4),
        ("1.00", 0, 5),
        ("0.01", 0, 1),
        ("0.28", 20, 7),  # 25 voting members: exactly 7, not 8
        ("0.56", 20, 14),
    ],
)
def test_quorum_boundary_exactly_the_needed_number_passes(
    committee, personas, world, soon, quorum, extra_members, needed
):
    Body.objects.filter(pk=committee.body.pk).update(quorum=Decimal(quorum))
    add_voting_members(committee, personas, world, extra_members)
    meeting, item = in_progress(committee, soon=soon)
    voting = list(Attendance.objects.filter(meeting=meeting).select_related("member").order_by("pk"))
    assert len(voting) == 5 + extra_members
    mark_present(committee, meeting, [a.member for a in voting[: needed - 1]])
    assert quorum_of(meeting) | {"met": None} == {
        "expected": 5 + extra_members,
        "present": needed - 1,
        "needed": needed,
        "met": None,
    }
    with pytest.raises(Conflict) as exc:
        s.decision_record(
            actor=committee.secretary, item=item, text="错峰", method=VoteMethod.SHOW_OF_HANDS, votes_for=1
        )
    assert exc.value.code == "deliberation.decision.no_quorum"
    assert not Decision.objects.exists()
    mark_present(committee, meeting, [voting[needed - 1].member])
    assert quorum_of(meeting)["met"]
    decision = s.decision_record(
        actor=committee.secretary, item=item, text="错峰", method=VoteMethod.SHOW_OF_HANDS, votes_for=needed
    )
    assert decision.present_voting == needed and decision.voting_members == 5 + extra_members


def test_standing_observers_do_not_count_towards_the_quorum(committee, personas, world, soon):
    for i in range(4):
        person = person_in(world.ent_a, f"列席代表{i}", f"1360000{i:04d}")
        body_member_add(actor=personas.street_njxl, body=committee.body, role=MemberRole.OBSERVER, person=person)
    meeting, _item = in_progress(committee, soon=soon)
    assert quorum_of(meeting)["expected"] == 5 and quorum_of(meeting)["needed"] == 3


# --- tallies -------------------------------------------------------------------------------------


@pytest.fixture
def quorate(committee, soon):
    """A started meeting with three of the five voting members present."""
    meeting, item = in_progress(committee, soon=soon)
    mark_present(committee, meeting, voting_rows(committee)[:3])
    return meeting, item


@pytest.mark.parametrize(
    ("votes_for", "votes_against", "votes_abstain"),
    [(2, 1, 1), (4, 0, 0), (0, 0, 4), (3, 1, 0), (-1, 2, 0), (1, -1, 0)],
)
def test_tallies_beyond_the_members_present_are_refused(committee, quorate, votes_for, votes_against, votes_abstain):
    _meeting, item = quorate
    with pytest.raises(DomainError) as exc:
        s.decision_record(
            actor=committee.secretary,
            item=item,
            text="错峰",
            method=VoteMethod.SHOW_OF_HANDS,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
        )
    assert exc.value.field == "votes_for"
    assert not Decision.objects.exists()


@pytest.mark.parametrize("rule", MajorityRule.values)
def test_a_decision_settles_under_the_bodys_rule(committee, quorate, rule):
    Body.objects.filter(pk=committee.body.pk).update(majority_rule=rule)
    _meeting, item = quorate
    for votes_for, votes_against in [(2, 1), (1, 1), (1, 0), (3, 0), (0, 0)]:
        decision = s.decision_record(
            actor=committee.secretary,
            item=item,
            text=f"{votes_for}:{votes_against}",
            method=VoteMethod.SECRET_BALLOT,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=3 - votes_for - votes_against,
        )
        assert decision.passed is reference(rule, votes_for, votes_against, 3)


@given(votes=st.lists(st.sampled_from(["for", "against", "abstain"]), min_size=3, max_size=3))
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_roll_call_counts_each_present_members_vote(committee, quorate, votes):
    _meeting, item = quorate
    with transaction.atomic():
        decision = s.decision_record(actor=committee.secretary, item=item, text="点名表决", method=VoteMethod.ROLL_CALL)
        for member, choice in zip(voting_rows(committee)[:3], votes, strict=True):
            s.vote_cast(actor=committee.secretary, decision=decision, member=member, choice=choice)
        decision = s.decision_close(actor=committee.secretary, decision=decision)
        counted = (decision.votes_for, decision.votes_against, decision.votes_abstain)
        assert counted == (votes.count("for"), votes.count("against"), votes.count("abstain"))
        assert decision.passed is reference(MajorityRule.SIMPLE, counted[0], counted[1], 3)
        transaction.set_rollback(True)


# --- who votes -----------------------------------------------------------------------------------


@pytest.fixture
def roll_call(committee, quorate):
    _meeting, item = quorate
    return s.decision_record(actor=committee.secretary, item=item, text="点名表决", method=VoteMethod.ROLL_CALL)


def test_a_registered_observer_cannot_vote(committee, soon):
    c = committee
    start, end = soon()
    open_meeting = s.meeting_create(
        actor=c.convener,
        body=c.body,
        title="开放式列席",
        starts_at=start,
        ends_at=end,
        place="恒隆广场党群服务站",
        open_attendance=True,
        observer_seats=5,
    )
    item = s.agenda_item_add(actor=c.convener, meeting=open_meeting, title="电梯错峰")
    open_meeting = s.meeting_action(actor=c.convener, meeting=open_meeting, action="schedule")
    observer = c.employees[0]
    s.registration_create(actor=observer, meeting=open_meeting)
    open_meeting = s.meeting_action(actor=c.secretary, meeting=open_meeting, action="start")
    mark_present(c, open_meeting, voting_rows(c)[:3])
    decision = s.decision_record(actor=c.secretary, item=item, text="点名表决", method=VoteMethod.ROLL_CALL)
    # The observer is no member: whichever row they name, they cannot cast it.
    for member in voting_rows(c):
        with pytest.raises(PermissionDenied):
            s.vote_cast(actor=observer, decision=decision, member=member, choice="for")
    with pytest.raises(PermissionDenied):
        s.decision_record(actor=observer, item=item, text="我来定", method=VoteMethod.SHOW_OF_HANDS, votes_for=1)
    assert not Vote.objects.exists()


def test_a_standing_observer_member_cannot_vote(committee, personas, world, soon):
    c = committee
    watcher = person_user("standing_observer", world.ent_a, "常任列席")
    row = body_member_add(actor=personas.street_njxl, body=c.body, role=MemberRole.OBSERVER, person=watcher.person)
    meeting, item = in_progress(c, soon=soon)
    mark_present(c, meeting, [*voting_rows(c)[:3], row])
    decision = s.decision_record(actor=c.secretary, item=item, text="点名表决", method=VoteMethod.ROLL_CALL)
    with pytest.raises(PermissionDenied):
        s.vote_cast(actor=watcher, decision=decision, member=row, choice="for")
    with pytest.raises(PermissionDenied):
        s.vote_cast(actor=c.secretary, decision=decision, member=row, choice="for")
    assert not Vote.objects.exists()


def test_a_member_of_another_body_cannot_vote(committee, personas, world, roll_call):
    other = body_create(
        actor=personas.street_njxl, node=world.street_a, name="南京西路产业联盟", kind=BodyKind.INDUSTRY_ALLIANCE
    )
    stranger = person_user("alliance_member", world.ent_a, "联盟成员")
    row = body_member_add(actor=personas.street_njxl, body=other, role=MemberRole.MEMBER, person=stranger.person)
    with pytest.raises(PermissionDenied):
        s.vote_cast(actor=stranger, decision=roll_call, member=row, choice="for")
    with pytest.raises(PermissionDenied):
        s.vote_cast(actor=committee.secretary, decision=roll_call, member=row, choice="for")
    assert not Vote.objects.exists()


def test_a_member_votes_once(committee, roll_call):
    member = committee.member_rows[committee.members[0].username]
    s.vote_cast(actor=committee.members[0], decision=roll_call, member=member, choice="for")
    with pytest.raises(Conflict):
        s.vote_cast(actor=committee.members[0], decision=roll_call, member=member, choice="against")
    assert list(Vote.objects.values_list("choice", flat=True)) == ["for"]


def test_a_member_cannot_cast_someone_elses_vote(committee, roll_call):
    other = committee.member_rows[committee.members[1].username]
    with pytest.raises(PermissionDenied):
        s.vote_cast(actor=committee.members[0], decision=roll_call, member=other, choice="for")
    assert not Vote.objects.exists()


def test_no_vote_after_the_decision_is_settled(committee, roll_call):
    s.decision_close(actor=committee.secretary, decision=roll_call)
    roll_call.refresh_from_db()
    with pytest.raises(Conflict):
        s.vote_cast(actor=committee.secretary, decision=roll_call, member=voting_rows(committee)[0], choice="for")


@pytest.fixture
def joint(committee, personas, world, soon):
    """A joint meeting of the committee and an industry alliance, called by the street official."""
    alliance = body_create(
        actor=personas.street_njxl, node=world.street_a, name="南京西路产业联盟", kind=BodyKind.INDUSTRY_ALLIANCE
    )
    ally = person_user("alliance_member", world.ent_a, "联盟成员")
    ally_row = body_member_add(actor=personas.street_njxl, body=alliance, role=MemberRole.MEMBER, person=ally.person)
    meeting, item = in_progress(
        committee, soon=soon, joint_bodies=[alliance], actor=personas.street_njxl, kind=MeetingKind.JOINT
    )
    return alliance, ally, ally_row, meeting, item


def test_a_member_of_a_joint_body_votes_in_the_joint_meeting(committee, joint):
    _alliance, ally, ally_row, meeting, item = joint
    assert quorum_of(meeting)["expected"] == 6
    mark_present(committee, meeting, [*voting_rows(committee)[:2], ally_row])
    decision = s.decision_record(actor=committee.secretary, item=item, text="联合决议", method=VoteMethod.ROLL_CALL)
    vote = s.vote_cast(actor=ally, decision=decision, member=ally_row, choice="for")
    assert vote.member == ally_row
    with pytest.raises(Conflict):
        s.vote_cast(actor=ally, decision=decision, member=ally_row, choice="for")
    s.vote_cast(actor=committee.secretary, decision=decision, member=voting_rows(committee)[0], choice="for")
    decision = s.decision_close(actor=committee.secretary, decision=decision)
    assert (decision.votes_for, decision.passed) == (2, True)


def test_a_joint_body_member_absent_cannot_vote(committee, joint):
    _alliance, ally, ally_row, meeting, item = joint
    mark_present(committee, meeting, voting_rows(committee)[:3])
    decision = s.decision_record(actor=committee.secretary, item=item, text="联合决议", method=VoteMethod.ROLL_CALL)
    with pytest.raises(Conflict):
        s.vote_cast(actor=ally, decision=decision, member=ally_row, choice="for")


def test_one_person_in_both_bodies_of_a_joint_meeting_has_one_vote(committee, personas, joint):
    alliance, _ally, ally_row, meeting, item = joint
    # The committee's first member also sits in the alliance (joined after the meeting was called).
    both = committee.members[0]
    second_row = body_member_add(actor=personas.street_njxl, body=alliance, role=MemberRole.MEMBER, person=both.person)
    Attendance.objects.get_or_create(meeting=meeting, member=second_row)
    committee_row = committee.member_rows[both.username]
    mark_present(committee, meeting, [*voting_rows(committee)[:3], ally_row, second_row])
    decision = s.decision_record(actor=committee.secretary, item=item, text="联合决议", method=VoteMethod.ROLL_CALL)
    s.vote_cast(actor=both, decision=decision, member=committee_row, choice="for")
    with pytest.raises(Conflict):
        s.vote_cast(actor=both, decision=decision, member=second_row, choice="for")
    with pytest.raises(Conflict):
        s.vote_cast(actor=committee.secretary, decision=decision, member=second_row, choice="for")
    assert Vote.objects.filter(decision=decision).count() == 1


def test_one_person_in_both_bodies_is_expected_once(committee, personas, world, soon):
    alliance = body_create(
        actor=personas.street_njxl, node=world.street_a, name="南京西路产业联盟", kind=BodyKind.INDUSTRY_ALLIANCE
    )
    both = committee.members[0]
    body_member_add(actor=personas.street_njxl, body=alliance, role=MemberRole.MEMBER, person=both.person)
    meeting, _item = in_progress(
        committee, soon=soon, joint_bodies=[alliance], actor=personas.street_njxl, kind=MeetingKind.JOINT
    )
    rows = Attendance.objects.filter(meeting=meeting, member__person=both.person)
    assert rows.count() == 1 and rows.get().member.body_id == committee.body.pk  # the host body's row
    assert quorum_of(meeting)["expected"] == 5
