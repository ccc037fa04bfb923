"""The whole story of the issue at the service level: campaign → topics → screening → meeting → decision → minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.deliberation import services as s
from govcube.deliberation.models import MeetingStatus, RegistrationStatus, TopicStatus, VoteMethod
from govcube.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_story_from_topic_to_published_minutes(committee, soon):
    c = committee
    now = timezone.now()
    campaign = s.campaign_create(
        actor=c.convener,
        body=c.body,
        title="十一月议题征集",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=20),
        categories=["环境", "交通"],
    )
    t1 = s.topic_submit(
        actor=c.employees[0],
        body=c.body,
        campaign=campaign,
        category="交通",
        title="午间电梯太挤",
        text="<p>希望错峰<script>alert(1)</script></p><img src=x onerror=alert(2)>",
    )
    assert "<script" not in t1.text and "onerror" not in t1.text and "希望错峰" in t1.text
    t2 = s.topic_submit(
        actor=c.employees[1], body=c.body, campaign=campaign, category="交通", title="电梯高峰拥堵", text="同上"
    )
    t3 = s.topic_submit(
        actor=c.employees[2], body=c.body, campaign=campaign, category="环境", title="外卖柜", text="外卖柜不够"
    )
    s.topic_support(actor=c.employees[3], topic=t1)
    with pytest.raises(DomainError):
        s.topic_support(actor=c.employees[3], topic=t1)  # support once
    with pytest.raises(PermissionDenied):
        s.topic_submit(actor=c.outsider, body=c.body, title="越界", text="不在覆盖楼宇")

    s.topic_action(actor=c.convener, topic=t1, action="screen")
    t1 = s.topic_action(actor=c.convener, topic=t1, action="accept")
    t2 = s.topic_action(actor=c.convener, topic=t2, action="merge", merged_into=t1)
    with pytest.raises(DomainError) as exc:
        s.topic_action(actor=c.convener, topic=t3, action="decline")
    assert exc.value.field == "reason"
    t3 = s.topic_action(actor=c.convener, topic=t3, action="decline", reason="属物业职责，已转物业")
    assert t3.status == TopicStatus.DECLINED and t3.reason
    assert Notification.objects.filter(recipient=c.employees[2], code="deliberation.topic.decline").exists()
    t1.refresh_from_db()
    assert t1.support_count == 2  # the merged topic's proposer follows the kept one

    start, end = soon()
    meeting = s.meeting_create(
        actor=c.convener,
        body=c.body,
        title="十一月协商议事会",
        starts_at=start,
        ends_at=end,
        place="恒隆广场党群服务站",
        open_attendance=True,
        observer_seats=1,
    )
    item = s.agenda_item_add(actor=c.convener, meeting=meeting, topic=t1)
    t1.refresh_from_db()
    assert t1.status == TopicStatus.ON_AGENDA
    meeting = s.meeting_action(actor=c.convener, meeting=meeting, action="schedule")
    assert Notification.objects.filter(recipient=c.members[0], code="deliberation.meeting.schedule").exists()

    r1 = s.registration_create(actor=c.employees[3], meeting=meeting)
    r2 = s.registration_create(actor=c.employees[1], meeting=meeting)
    assert (r1.status, r2.status) == (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)
    s.registration_cancel(actor=c.employees[3], registration=r1)
    r2.refresh_from_db()
    assert r2.status == RegistrationStatus.REGISTERED
    assert Notification.objects.filter(recipient=c.employees[1], code="deliberation.registration.promoted").exists()

    meeting = s.meeting_action(actor=c.secretary, meeting=meeting, action="start")
    s.registration_check_in(actor=c.secretary, meeting=meeting, code=r2.check_in_code)
    with pytest.raises(Conflict):
        s.decision_record(actor=c.secretary, item=item, text="错峰", method=VoteMethod.SHOW_OF_HANDS, votes_for=1)
    for user in (c.convener, c.secretary, c.members[0]):
        s.attendance_record(actor=c.secretary, meeting=meeting, member=c.member_rows[user.username], present=True)
    decision = s.decision_record(
        actor=c.secretary, item=item, text="午间电梯分楼层错峰运行", method=VoteMethod.ROLL_CALL
    )
    for user, choice in [(c.convener, "for"), (c.secretary, "for"), (c.members[0], "against")]:
        s.vote_cast(actor=c.secretary, decision=decision, member=c.member_rows[user.username], choice=choice)
    with pytest.raises(Conflict):
        s.vote_cast(actor=c.secretary, decision=decision, member=c.member_rows[c.convener.username], choice="for")
    with pytest.raises(Conflict):
        s.vote_cast(
            actor=c.secretary, decision=decision, member=c.member_rows[c.members[1].username], choice="for"
        )  # absent
    decision = s.decision_close(actor=c.secretary, decision=decision)
    assert decision.passed and (decision.votes_for, decision.votes_against) == (2, 1)
    t1.refresh_from_db()
    assert t1.status == TopicStatus.DECIDED and t1.outcome == "午间电梯分楼层错峰运行"
    s.follow_up_add(actor=c.secretary, decision=decision, kind="project", description="物业排出错峰时刻表")

    item = s.minutes_save(actor=c.secretary, item=item, minutes="<p>讨论了错峰方案。</p>", version=item.version)
    with pytest.raises(Conflict):
        s.minutes_save(actor=c.convener, item=item, minutes="覆盖", version=item.version - 1)
    meeting = s.meeting_action(actor=c.secretary, meeting=meeting, action="end")
    assert meeting.status == MeetingStatus.ENDED
    item = s.minutes_action(actor=c.convener, item=item, action="approve")
    item = s.minutes_action(actor=c.convener, item=item, action="publish")
    assert item.minutes_status == "published"
    assert Notification.objects.filter(recipient=c.employees[0], code="deliberation.minutes.publish").exists()


def test_a_meeting_in_the_past_is_refused(committee):
    start = timezone.now() - timedelta(hours=1)
    with pytest.raises(DomainError) as exc:
        s.meeting_create(
            actor=committee.convener,
            body=committee.body,
            title="过去",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            place="x",
        )
    assert exc.value.field == "starts_at"


def test_closing_a_campaign_before_it_opens_is_refused(committee):
    now = timezone.now()
    campaign = s.campaign_create(
        actor=committee.convener,
        body=committee.body,
        title="下月",
        opens_at=now + timedelta(days=3),
        closes_at=now + timedelta(days=10),
    )
    with pytest.raises(Conflict):
        s.campaign_close(actor=committee.convener, campaign=campaign)


def test_members_cannot_manage(committee):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        s.campaign_create(
            actor=committee.members[0], body=committee.body, title="x", opens_at=now, closes_at=now + timedelta(days=1)
        )
