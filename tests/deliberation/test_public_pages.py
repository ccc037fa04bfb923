"""The public pages of the deliberation engine: readable without an account, and leaking nothing private."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govcube.bodies.models import Body, BodyKind
from govcube.bodies.services import body_create
from govcube.deliberation import services as s
from govcube.deliberation.models import AgendaItem, Meeting, Topic, TopicStatus, VoteMethod
from govcube.deliberation.public_selectors import public_proposer_label, public_topic_get
from govcube.directory.models import Person

pytestmark = pytest.mark.django_db

UNPUBLISHED_MINUTES = "只在内部传阅的纪要"
UNPUBLISHED_DECISION = "内部决定不对外公开"
PUBLISHED_MINUTES = "讨论了错峰方案"
PUBLISHED_DECISION = "午间电梯分楼层错峰运行"


@dataclass
class Story:
    decided: Topic  # decided at the ended meeting, minutes published
    anonymous: Topic  # on the agenda of the scheduled meeting, proposer asked to be anonymous
    accepted: Topic  # accepted, not on any agenda
    submitted: Topic
    screening: Topic
    declined: Topic
    withdrawn: Topic
    merged: Topic
    referred: Topic
    ended: Meeting
    scheduled: Meeting
    in_progress: Meeting
    draft: Meeting
    cancelled: Meeting
    unpublished_item: AgendaItem


def _submit(c, who, title, text="<p>说明</p>", **kwargs) -> Topic:
    return s.topic_submit(actor=who, body=c.body, title=title, text=text, **kwargs)


def _accept(c, topic) -> Topic:
    return s.topic_action(actor=c.convener, topic=topic, action="accept")


def _hold(c, meeting, quorum_users=None) -> Meeting:
    """Start a meeting and record enough members present for a quorum."""
    meeting = s.meeting_action(actor=c.convener, meeting=meeting, action="start")
    for user in quorum_users or (c.convener, c.secretary, c.members[0]):
        s.attendance_record(actor=c.secretary, meeting=meeting, member=c.member_rows[user.username], present=True)
    return meeting


def _publish(c, item, minutes) -> AgendaItem:
    item = s.minutes_save(actor=c.secretary, item=item, minutes=minutes, version=item.version)
    item = s.minutes_action(actor=c.convener, item=item, action="approve")
    return s.minutes_action(actor=c.convener, item=item, action="publish")


@pytest.fixture
def story(committee, soon) -> Story:
    c = committee
    e = c.employees
    decided = _accept(
        c, _submit(c, e[0], "午间电梯太挤", "<p>希望错峰</p><script>alert('x')</script>", category="交通")
    )
    s.topic_support(actor=e[3], topic=decided)
    anonymous = _accept(c, _submit(c, e[1], "外卖柜不够", is_anonymous=True))
    accepted = _accept(c, _submit(c, e[2], "增加自行车停放点"))
    submitted = _submit(c, e[3], "尚在提交状态的议题")
    screening = s.topic_action(actor=c.convener, topic=_submit(c, e[0], "正在筛选的议题"), action="screen")
    declined = s.topic_action(
        actor=c.convener, topic=_submit(c, e[1], "被拒绝的议题"), action="decline", reason="属物业职责"
    )
    withdrawn = s.topic_action(actor=e[2], topic=_submit(c, e[2], "已撤回的议题"), action="withdraw")
    merged = s.topic_action(
        actor=c.convener, topic=_submit(c, e[3], "被合并的议题"), action="merge", merged_into=accepted
    )
    referred = s.topic_action(actor=c.convener, topic=_submit(c, e[0], "已转办的议题"), action="refer", reason="转街道")

    start, end = soon(days=2)
    ended = s.meeting_create(
        actor=c.convener,
        body=c.body,
        title="十一月协商议事会",
        starts_at=start,
        ends_at=end,
        place="恒隆广场党群服务站",
    )
    item = s.agenda_item_add(actor=c.convener, meeting=ended, topic=decided)
    unpublished_item = s.agenda_item_add(actor=c.convener, meeting=ended, title="内部事项")
    ended = _hold(c, s.meeting_action(actor=c.convener, meeting=ended, action="schedule"))
    decision = s.decision_record(actor=c.secretary, item=item, text=PUBLISHED_DECISION, method=VoteMethod.ROLL_CALL)
    for user, choice in [(c.convener, "for"), (c.secretary, "for"), (c.members[0], "against")]:
        s.vote_cast(actor=c.secretary, decision=decision, member=c.member_rows[user.username], choice=choice)
    s.decision_close(actor=c.secretary, decision=decision)
    s.follow_up_add(actor=c.secretary, decision=decision, kind="project", description="物业排出错峰时刻表")
    s.decision_record(
        actor=c.secretary,
        item=unpublished_item,
        text=UNPUBLISHED_DECISION,
        method=VoteMethod.SHOW_OF_HANDS,
        votes_for=3,
    )
    unpublished_item = s.minutes_save(
        actor=c.secretary, item=unpublished_item, minutes=UNPUBLISHED_MINUTES, version=unpublished_item.version
    )
    ended = s.meeting_action(actor=c.secretary, meeting=ended, action="end")
    _publish(c, item, f"<p>{PUBLISHED_MINUTES}。</p><script>alert('m')</script>")

    start, end = soon(days=5)
    scheduled = s.meeting_create(
        actor=c.convener,
        body=c.body,
        title="十二月开放式议事会",
        starts_at=start,
        ends_at=end,
        place="恒隆广场28楼会议室",
        open_attendance=True,
        observer_seats=5,
    )
    s.agenda_item_add(actor=c.convener, meeting=scheduled, topic=anonymous)
    scheduled = s.meeting_action(actor=c.convener, meeting=scheduled, action="schedule")
    s.registration_create(actor=e[2], meeting=scheduled)

    start, end = soon(days=6)
    in_progress = s.meeting_create(
        actor=c.convener, body=c.body, title="临时议事会", starts_at=start, ends_at=end, place="一楼大堂"
    )
    in_progress = s.meeting_action(actor=c.convener, meeting=in_progress, action="schedule")
    in_progress = s.meeting_action(actor=c.convener, meeting=in_progress, action="start")

    start, end = soon(days=8)
    draft = s.meeting_create(
        actor=c.convener, body=c.body, title="尚未发布的草稿会议", starts_at=start, ends_at=end, place="草稿地点"
    )
    s.agenda_item_add(actor=c.convener, meeting=draft, title="草稿议程")
    cancelled = s.meeting_create(
        actor=c.convener, body=c.body, title="已取消的会议", starts_at=start, ends_at=end, place="取消地点"
    )
    cancelled = s.meeting_action(actor=c.convener, meeting=cancelled, action="cancel")

    decided.refresh_from_db()
    assert decided.status == TopicStatus.DECIDED
    return Story(
        decided,
        anonymous,
        accepted,
        submitted,
        screening,
        declined,
        withdrawn,
        merged,
        referred,
        ended,
        scheduled,
        in_progress,
        draft,
        cancelled,
        unpublished_item,
    )


def _urls(story: Story, body: Body) -> list[str]:
    return [
        reverse("deliberation:public_index"),
        reverse("deliberation:public_body", args=[body.pk]),
        *[reverse("deliberation:public_topic", args=[t.pk]) for t in (story.decided, story.anonymous, story.accepted)],
        *[
            reverse("deliberation:public_meeting", args=[m.pk])
            for m in (story.ended, story.scheduled, story.in_progress)
        ],
    ]


def _private_strings(committee) -> list[str]:
    """Every person's name and mobile in the committee's world: none may appear on a public page."""
    users = [committee.convener, committee.secretary, *committee.members, *committee.employees, committee.outsider]
    return [text for user in users for text in (user.person.name, user.person.mobile, user.username)]


def _assert_private_absent(html: str, committee, viewer=None) -> None:
    own = {viewer.username} if viewer else set()  # the navigation names the signed-in viewer to themselves
    leaked = [text for text in _private_strings(committee) if text in html and text not in own]
    assert leaked == [], f"personal data on a public page: {leaked}"
    for secret in (UNPUBLISHED_MINUTES, UNPUBLISHED_DECISION, "尚未发布的草稿会议", "草稿议程", "已取消的会议"):
        assert secret not in html
    for title in (
        "尚在提交状态的议题",
        "正在筛选的议题",
        "被拒绝的议题",
        "已撤回的议题",
        "被合并的议题",
        "已转办的议题",
    ):
        assert title not in html
    assert "alert(" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)


# Access and content -------------------------------------------------------------------------------------


def test_it_serves_every_public_page_to_anonymous_visitors_without_private_data(client, committee, story):
    for url in _urls(story, committee.body):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        _assert_private_absent(html, committee)
        assert "Sign out" not in html and 'id="gc-nav"' not in html  # no member chrome


def test_signed_in_members_see_the_same_public_record(login, committee, story):
    client = login(committee.convener)
    for url in _urls(story, committee.body):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_private_absent(response.content.decode(), committee, viewer=committee.convener)


def test_the_index_groups_bodies_by_street_with_counts(client, committee, story):
    html = client.get(reverse("deliberation:public_index")).content.decode()
    assert "南京西路街道" in html and committee.body.name in html
    assert re.search(r'data-testid="topic-count">3<', html)  # decided, anonymous, accepted
    assert re.search(r'data-testid="upcoming-count">1<', html)  # only the scheduled meeting
    assert re.search(r'data-testid="decision-count">1<', html)  # only the decision with published minutes
    assert "恒隆广场" in html and "中信泰富广场" in html


def test_the_index_leaves_out_bodies_without_public_content(client, committee, personas, world):
    quiet = body_create(
        actor=personas.street_njxl, node=world.cluster, name="静悄悄的工作组", kind=BodyKind.WORKING_GROUP
    )
    _submit(committee, committee.employees[0], "只是提交")
    html = client.get(reverse("deliberation:public_index")).content.decode()
    assert quiet.name not in html and committee.body.name not in html
    assert "Nothing has been published yet." in html
    assert client.get(reverse("deliberation:public_body", args=[quiet.pk])).status_code == 404
    assert client.get(reverse("deliberation:public_body", args=[committee.body.pk])).status_code == 404


def test_the_index_searches_bodies_streets_and_buildings(client, committee, story, personas, world):
    other = body_create(
        actor=personas.street_jas,
        node=world.street_b,
        name="静安寺商圈治理联盟",
        kind=BodyKind.GOVERNANCE_ALLIANCE,
        buildings=[world.jas_building],
    )
    start = timezone.now() + timedelta(days=3)
    meeting = s.meeting_create(
        actor=personas.street_jas,
        body=other,
        title="联盟例会",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        place="静安寺广场",
    )
    s.meeting_action(actor=personas.street_jas, meeting=meeting, action="schedule")
    url = reverse("deliberation:public_index")
    both = client.get(url).content.decode()
    assert committee.body.name in both and other.name in both and "静安寺街道" in both
    by_building = client.get(url, {"q": "中信泰富"}).content.decode()
    assert committee.body.name in by_building and other.name not in by_building
    by_street = client.get(url, {"q": "静安寺街道"}).content.decode()
    assert other.name in by_street and committee.body.name not in by_street
    none = client.get(url, {"q": "<script>不存在</script>"}).content.decode()
    assert "Nothing matches your search." in none and "<script>不存在" not in none


def test_the_index_search_answers_htmx_with_the_results_only(client, committee, story):
    response = client.get(reverse("deliberation:public_index"), {"q": "恒隆"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="public-results"' in html and committee.body.name in html
    assert "<html" not in html


def test_the_body_page_shows_meetings_topics_and_published_decisions(client, committee, story):
    html = client.get(reverse("deliberation:public_body", args=[committee.body.pk])).content.decode()
    assert "恒隆广场" in html and "中信泰富广场" in html  # covered buildings
    assert "Building affairs committee" in html
    # The scheduled meeting: time, place, seats, agenda and a sign-in link to the members' meeting page.
    assert "十二月开放式议事会" in html and "恒隆广场28楼会议室" in html
    assert timezone.localtime(story.scheduled.starts_at).strftime("%Y-%m-%d %H:%M") in html
    assert "4 seats left" in html
    assert "Sign in to register" in html and f'href="/deliberation/meetings/{story.scheduled.pk}/"' in html
    assert reverse("deliberation:public_topic", args=[story.anonymous.pk]) in html  # agenda links the public topic
    # Public topics with badges and support counts; the outcome with published minutes.
    for topic in (story.decided, story.anonymous, story.accepted):
        assert topic.title in html
    assert "Decided" in html and "Accepted" in html and "On the agenda" in html
    assert "1 supporter" in html
    assert PUBLISHED_DECISION in html
    # The decision with its tally, and the follow-up.
    assert (
        "Passed" in html
        and re.search(r"For <strong>2</strong>", html)
        and re.search(r"Against <strong>1</strong>", html)
    )
    assert "物业排出错峰时刻表" in html
    # Meetings held (running or ended), not the draft or cancelled ones.
    assert "十一月协商议事会" in html and "临时议事会" in html


def test_the_body_page_pages_its_topics_and_answers_htmx_with_the_list_only(client, committee, story):
    _grow_topics(committee, 25, "翻页议题")  # 28 public topics: two pages of 25
    url = reverse("deliberation:public_body", args=[committee.body.pk])
    first = client.get(url).content.decode()
    assert "翻页议题24" in first and "?page=2" in first
    response = client.get(url, {"page": 2}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="public-topics"' in html and "<html" not in html
    assert "午间电梯太挤" in html and "翻页议题24" not in html  # the oldest topics are on the second page


def test_a_joint_meeting_appears_on_every_body_it_joins(client, committee, personas, world, soon):
    platform = body_create(
        actor=personas.street_njxl,
        node=world.block,
        name="南京西路街区共治联席会议",
        kind=BodyKind.JOINT_MEETING,
        buildings=[world.henglong],
    )
    start, end = soon()
    meeting = s.meeting_create(
        actor=personas.street_njxl,
        body=platform,
        title="楼宇与街区联席会",
        starts_at=start,
        ends_at=end,
        place="街道会议室",
        joint_bodies=[committee.body],
    )
    s.meeting_action(actor=personas.street_njxl, meeting=meeting, action="schedule")
    for body in (platform, committee.body):
        html = client.get(reverse("deliberation:public_body", args=[body.pk])).content.decode()
        assert "楼宇与街区联席会" in html
    assert (
        "joint meeting convened by 南京西路街区共治联席会议"
        in client.get(reverse("deliberation:public_body", args=[committee.body.pk])).content.decode()
    )
    html = client.get(reverse("deliberation:public_meeting", args=[meeting.pk])).content.decode()
    assert platform.name in html and committee.body.name in html
    index = client.get(reverse("deliberation:public_index")).content.decode()
    assert platform.name in index and committee.body.name in index
    assert len(re.findall(r'data-testid="upcoming-count">1<', index)) == 2


def test_the_body_page_answers_404_for_an_unknown_body(client, committee, story):
    assert client.get(reverse("deliberation:public_body", args=[999_999])).status_code == 404


def test_the_sign_in_link_leads_through_the_login_to_the_members_meeting_page(client, committee, story):
    html = client.get(reverse("deliberation:public_meeting", args=[story.scheduled.pk])).content.decode()
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Sign in to register</a>', html).group(1)
    assert link == f"/deliberation/meetings/{story.scheduled.pk}/"
    response = client.get(link)
    assert response.status_code == 302 and "next=" in response["Location"]


def test_registration_closed_or_full_is_said_plainly(client, committee, story):
    Meeting.objects.filter(pk=story.scheduled.pk).update(registration_closes_at=timezone.now() - timedelta(minutes=1))
    html = client.get(reverse("deliberation:public_meeting", args=[story.scheduled.pk])).content.decode()
    assert "Registration is closed." in html and "Sign in to register" not in html


def test_a_signed_in_visitor_is_sent_to_the_meeting_page_to_register(login, committee, story):
    html = (
        login(committee.employees[0])
        .get(reverse("deliberation:public_meeting", args=[story.scheduled.pk]))
        .content.decode()
    )
    assert "Register on the meeting page" in html and "Sign in to register" not in html


def test_the_topic_page_shows_text_status_outcome_and_the_employer_only(client, committee, story):
    html = client.get(reverse("deliberation:public_topic", args=[story.decided.pk])).content.decode()
    assert "午间电梯太挤" in html and "希望错峰" in html and "交通" in html
    assert "Decided" in html and PUBLISHED_DECISION in html
    assert "中信测试律师事务所" in html  # the proposer's employer (白领0 works there)
    assert committee.employees[0].person.name not in html
    assert "十一月协商议事会" in html  # on the agenda of


def test_an_anonymous_topic_shows_an_employee_of_the_building(client, committee, story):
    html = client.get(reverse("deliberation:public_topic", args=[story.anonymous.pk])).content.decode()
    assert "An employee of the building" in html
    employer = committee.employees[1].person.employer.name
    assert employer not in html and committee.employees[1].person.name not in html


def test_the_proposer_label_prefers_the_enterprise_spoken_for(committee, world):
    employee = committee.employees[1]  # works for 恒隆测试咨询有限公司 (ent_a)
    topic = _accept(committee, _submit(committee, employee, "代表企业提出", on_behalf_of=world.ent_a))
    assert public_proposer_label(public_topic_get(topic.pk)) == world.ent_a.name
    plain = _accept(committee, _submit(committee, committee.convener, "无雇主的提出人"))
    Person.objects.filter(pk=committee.convener.person_id).update(employer=None)
    assert public_proposer_label(public_topic_get(plain.pk)) == "An employee of the building"


@pytest.mark.parametrize("name", ["submitted", "screening", "declined", "withdrawn", "merged", "referred"])
def test_topics_in_private_states_are_404_publicly(client, login, committee, story, name):
    url = reverse("deliberation:public_topic", args=[getattr(story, name).pk])
    assert client.get(url).status_code == 404
    assert (
        login(committee.convener).get(url).status_code == 404
    )  # the public page is the public record, even for managers


def test_an_unknown_topic_is_404(client, story):
    assert client.get(reverse("deliberation:public_topic", args=[999_999])).status_code == 404


def test_a_decided_topic_keeps_its_outcome_back_until_the_minutes_are_published(client, committee, soon):
    c = committee
    topic = _accept(c, _submit(c, c.employees[0], "会议中决定的议题"))
    start, end = soon()
    meeting = s.meeting_create(
        actor=c.convener, body=c.body, title="进行中的会议", starts_at=start, ends_at=end, place="x"
    )
    item = s.agenda_item_add(actor=c.convener, meeting=meeting, topic=topic)
    topic.refresh_from_db()  # item.topic is this object: the decision reads its state
    meeting = _hold(c, s.meeting_action(actor=c.convener, meeting=meeting, action="schedule"))
    s.decision_record(actor=c.secretary, item=item, text="尚未公开的结论", method=VoteMethod.SHOW_OF_HANDS, votes_for=3)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.DECIDED and topic.outcome == "尚未公开的结论"
    topic_url = reverse("deliberation:public_topic", args=[topic.pk])
    for url in (
        topic_url,
        reverse("deliberation:public_body", args=[c.body.pk]),
        reverse("deliberation:public_meeting", args=[meeting.pk]),
    ):
        html = client.get(url).content.decode()
        assert "尚未公开的结论" not in html, url
    assert "The outcome will be shown here when the meeting" in client.get(topic_url).content.decode()
    s.meeting_action(actor=c.secretary, meeting=meeting, action="end")
    _publish(c, item, "<p>纪要</p>")
    assert "尚未公开的结论" in client.get(topic_url).content.decode()


def test_the_ended_meeting_shows_only_published_minutes_and_their_decisions(client, committee, story):
    html = client.get(reverse("deliberation:public_meeting", args=[story.ended.pk])).content.decode()
    assert "十一月协商议事会" in html and "恒隆广场党群服务站" in html and "Ended" in html
    assert PUBLISHED_MINUTES in html and PUBLISHED_DECISION in html
    assert "内部事项" in html  # the item's title is on the published agenda …
    assert "The minutes of this item are not published yet." in html  # … its minutes and decision are not
    assert UNPUBLISHED_MINUTES not in html and UNPUBLISHED_DECISION not in html
    assert "<script" not in html.split('id="main"')[1]


def test_approved_but_unpublished_minutes_stay_private(client, committee, story):
    item = s.minutes_action(actor=committee.convener, item=story.unpublished_item, action="approve")
    assert item.minutes_status == AgendaItem.MinutesStatus.APPROVED
    html = client.get(reverse("deliberation:public_meeting", args=[story.ended.pk])).content.decode()
    assert UNPUBLISHED_MINUTES not in html and UNPUBLISHED_DECISION not in html


def test_published_minutes_of_a_running_meeting_wait_for_its_end(client, committee, soon):
    c = committee
    start, end = soon()
    meeting = s.meeting_create(actor=c.convener, body=c.body, title="进行中", starts_at=start, ends_at=end, place="x")
    item = s.agenda_item_add(actor=c.convener, meeting=meeting, title="议程一")
    meeting = _hold(c, s.meeting_action(actor=c.convener, meeting=meeting, action="schedule"))
    s.decision_record(actor=c.secretary, item=item, text="会中结论", method=VoteMethod.SHOW_OF_HANDS, votes_for=2)
    _publish(c, item, "<p>会中纪要</p>")
    html = client.get(reverse("deliberation:public_meeting", args=[meeting.pk])).content.decode()
    assert "议程一" in html and "In progress" in html
    assert "会中纪要" not in html and "会中结论" not in html


@pytest.mark.parametrize("name", ["draft", "cancelled"])
def test_draft_and_cancelled_meetings_are_404_publicly(client, story, name):
    assert client.get(reverse("deliberation:public_meeting", args=[getattr(story, name).pk])).status_code == 404


def test_the_meeting_page_lists_no_attendance_registrations_or_votes(client, committee, story):
    for meeting in (story.ended, story.scheduled):
        html = client.get(reverse("deliberation:public_meeting", args=[meeting.pk])).content.decode()
        _assert_private_absent(html, committee)
        assert "check_in" not in html and "Present" not in html


def test_public_pages_refuse_writes(client, committee, story):
    for url in _urls(story, committee.body):
        assert client.post(url).status_code == 405


def test_titles_are_escaped_everywhere(client, committee, story):
    topic = _accept(
        committee,
        _submit(
            committee,
            committee.employees[0],
            '<script>alert("t")</script>标题',
            '<p onclick="alert(1)">正文</p><script>alert(2)</script>',
        ),
    )
    for url in (
        reverse("deliberation:public_topic", args=[topic.pk]),
        reverse("deliberation:public_body", args=[committee.body.pk]),
    ):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;" in html and 'alert("t")</script>' not in html
        assert "onclick" not in html and "alert(2)" not in html


def test_stored_text_that_skipped_the_service_is_sanitised_on_the_way_out(client, committee, story):
    Topic.objects.filter(pk=story.decided.pk).update(
        text='<p>旧数据</p><script>alert("old")</script><img src=x onerror="alert(3)">'
    )
    AgendaItem.objects.filter(meeting=story.ended, minutes_status="published").update(
        minutes='<p>旧纪要</p><script>alert("m2")</script>'
    )
    topic_html = client.get(reverse("deliberation:public_topic", args=[story.decided.pk])).content.decode()
    meeting_html = client.get(reverse("deliberation:public_meeting", args=[story.ended.pk])).content.decode()
    assert "旧数据" in topic_html and "旧纪要" in meeting_html
    for html in (topic_html, meeting_html):
        assert "alert(" not in html and "onerror" not in html


# Query counts ------------------------------------------------------------------------------------------


def _grow_topics(c, n, prefix):
    for i in range(n):
        topic = _accept(c, _submit(c, c.employees[i % 4], f"{prefix}{i}"))
        s.topic_support(actor=c.employees[(i + 1) % 4], topic=topic)


def _measure(client, url, count_queries) -> int:
    client.get(url)  # warm caches (content types, translations)
    with count_queries() as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["index", "body"])
def test_index_and_body_query_counts_do_not_grow_with_topics(client, committee, story, count_queries, page):
    url = (
        reverse("deliberation:public_index")
        if page == "index"
        else reverse("deliberation:public_body", args=[committee.body.pk])
    )
    _grow_topics(committee, 2, "少量议题")  # 5 public topics in all
    small = _measure(client, url, count_queries)
    _grow_topics(committee, 25, "大量议题")  # 30
    large = _measure(client, url, count_queries)
    assert large <= small + 1  # +1: the capped count once a second page of topics exists


def test_index_query_count_does_not_grow_with_bodies(client, committee, story, personas, world, count_queries):
    def grow(n, prefix):
        start = timezone.now() + timedelta(days=4)
        for i in range(n):
            body = body_create(
                actor=personas.street_njxl,
                node=world.cluster,
                name=f"{prefix}{i}",
                kind=BodyKind.JOINT_MEETING,
                buildings=[world.henglong, world.citic],
            )
            meeting = s.meeting_create(
                actor=personas.street_njxl,
                body=body,
                title="例会",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                place="x",
            )
            s.meeting_action(actor=personas.street_njxl, meeting=meeting, action="schedule")

    url = reverse("deliberation:public_index")
    grow(4, "少量机构")  # 5 bodies
    small = _measure(client, url, count_queries)
    grow(25, "大量机构")  # 30 bodies: a second page
    large = _measure(client, url, count_queries)
    assert large <= small + 1


def test_body_query_count_does_not_grow_with_meetings_and_decisions(client, committee, story, soon, count_queries):
    c = committee
    url = reverse("deliberation:public_body", args=[c.body.pk])

    def grow(n, prefix):
        for i in range(n):
            start, end = soon(days=3 + i % 5)
            meeting = s.meeting_create(
                actor=c.convener,
                body=c.body,
                title=f"{prefix}{i}",
                starts_at=start,
                ends_at=end,
                place="x",
                open_attendance=True,
                observer_seats=3,
            )
            s.agenda_item_add(actor=c.convener, meeting=meeting, title="议程")
            s.meeting_action(actor=c.convener, meeting=meeting, action="schedule")
            held = s.meeting_create(
                actor=c.convener, body=c.body, title=f"{prefix}已开{i}", starts_at=start, ends_at=end, place="y"
            )
            item = s.agenda_item_add(actor=c.convener, meeting=held, title="议程")
            held = _hold(c, s.meeting_action(actor=c.convener, meeting=held, action="schedule"))
            decision = s.decision_record(
                actor=c.secretary, item=item, text=f"{prefix}决定{i}", method=VoteMethod.SHOW_OF_HANDS, votes_for=2
            )
            s.follow_up_add(actor=c.secretary, decision=decision, kind="task", description="跟进")
            s.meeting_action(actor=c.secretary, meeting=held, action="end")
            _publish(c, item, "<p>纪要</p>")

    grow(4, "少量会议")  # 5 scheduled and 5 held
    small = _measure(client, url, count_queries)
    grow(25, "大量会议")  # 30 of each
    large = _measure(client, url, count_queries)
    assert large == small


def test_topic_query_count_does_not_grow_with_meetings(client, committee, story, soon, count_queries):
    c = committee
    topic = story.decided
    url = reverse("deliberation:public_topic", args=[topic.pk])
    small = _measure(client, url, count_queries)
    for i in range(6):  # the topic is decided: later agendas reach it only as plain items with its title
        start, end = soon(days=3 + i)
        meeting = s.meeting_create(
            actor=c.convener, body=c.body, title=f"后续{i}", starts_at=start, ends_at=end, place="x"
        )
        AgendaItem.objects.create(meeting=meeting, order=1, topic=topic, title=topic.title)
        s.meeting_action(actor=c.convener, meeting=meeting, action="schedule")
    large = _measure(client, url, count_queries)
    assert large == small
    assert "后续5" in client.get(url).content.decode()


def test_meeting_query_count_does_not_grow_with_items(client, committee, soon, count_queries):
    c = committee

    def meeting_with(n):
        start, end = soon()
        meeting = s.meeting_create(
            actor=c.convener, body=c.body, title=f"{n}项议程", starts_at=start, ends_at=end, place="x"
        )
        items = []
        for i in range(n):
            topic = _accept(c, _submit(c, c.employees[i % 4], f"{n}项-议题{i}"))
            items.append(s.agenda_item_add(actor=c.convener, meeting=meeting, topic=topic))
        meeting = _hold(c, s.meeting_action(actor=c.convener, meeting=meeting, action="schedule"))
        for i, item in enumerate(items):
            decision = s.decision_record(
                actor=c.secretary, item=item, text=f"决定{i}", method=VoteMethod.SHOW_OF_HANDS, votes_for=2
            )
            s.follow_up_add(actor=c.secretary, decision=decision, kind="task", description="跟进")
        s.meeting_action(actor=c.secretary, meeting=meeting, action="end")
        for i, item in enumerate(items):
            if i % 2 == 0:
                _publish(c, AgendaItem.objects.get(pk=item.pk), f"<p>纪要{i}</p>")
        return meeting

    small = _measure(client, reverse("deliberation:public_meeting", args=[meeting_with(5).pk]), count_queries)
    large_meeting = meeting_with(30)
    large = _measure(client, reverse("deliberation:public_meeting", args=[large_meeting.pk]), count_queries)
    assert large == small
    html = client.get(reverse("deliberation:public_meeting", args=[large_meeting.pk])).content.decode()
    assert "纪要28" in html and "决定28" in html and "纪要29" not in html and "决定29" not in html
