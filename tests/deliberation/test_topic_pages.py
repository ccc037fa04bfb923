"""Topic pages: submit, read, support, screen; the desk panels."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from govcube.audit.models import AuditEvent
from govcube.bodies.models import BodyKind
from govcube.bodies.services import body_create
from govcube.deliberation import services as s
from govcube.deliberation.forms_topics import html_to_plain, plain_to_html, split_categories
from govcube.deliberation.models import Topic, TopicStatus, TopicSupport
from govcube.deliberation.sanitise import sanitise_html

pytestmark = pytest.mark.django_db


def _topic(c, n: int = 0, **fields) -> Topic:
    fields.setdefault("title", f"议题{n}")
    fields.setdefault("text", f"<p>内容{n}</p>")
    return s.topic_submit(actor=c.employees[n % len(c.employees)], body=c.body, **fields)


def _detail(client, topic) -> str:
    response = client.get(reverse("deliberation:topic_detail", args=[topic.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _action_url(topic, action: str) -> str:
    return reverse("deliberation:topic_action", args=[topic.pk, action])


def _post_action(client, topic, action: str, **data):
    topic.refresh_from_db()
    return client.post(_action_url(topic, action), {"version": topic.version, **data})


# --- submitting --------------------------------------------------------------------------------


def test_a_covered_employee_raises_a_topic_from_the_phone_form(committee, login):
    c = committee
    client = login(c.employees[1])  # works for 恒隆测试咨询有限公司 in 恒隆广场
    url = reverse("deliberation:topic_new", args=[c.body.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title"' in page.content.decode() and "恒隆测试咨询有限公司" in page.content.decode()
    response = client.post(
        url, {"title": "午间电梯太挤", "text": "希望错峰运行\n谢谢\n\n第二段", "category": "交通", "on_behalf_of": "on"}
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("deliberation:topic_detail", args=[topic.pk])
    assert topic.proposer_id == c.employees[1].person_id and topic.status == TopicStatus.SUBMITTED
    assert topic.text == "<p>希望错峰运行<br>谢谢</p>\n\n<p>第二段</p>"
    assert topic.on_behalf_of_id == c.employees[1].person.employer_id and topic.category == "交通"


def test_the_form_refuses_a_blank_title_and_stores_nothing(committee, login):
    c = committee
    response = login(c.employees[0]).post(
        reverse("deliberation:topic_new", args=[c.body.pk]), {"title": " ", "text": "x"}
    )
    assert response.status_code == 400
    assert 'id="id_title-error"' in response.content.decode()
    assert not Topic.objects.exists()


def test_the_outsider_may_not_raise_a_topic(committee, login):
    c = committee
    client = login(c.outsider)
    url = reverse("deliberation:topic_new", args=[c.body.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert "Only people working in the buildings this body covers" in response.content.decode()
    assert client.post(url, {"title": "越界", "text": "不在覆盖楼宇"}).status_code == 403
    assert not Topic.objects.exists()


def test_an_official_without_a_person_may_read_but_not_raise(committee, personas, login):
    c = committee
    client = login(personas.street_njxl)
    assert client.get(reverse("deliberation:topic_list", args=[c.body.pk])).status_code == 200
    assert client.get(reverse("deliberation:topic_new", args=[c.body.pk])).status_code == 403


def test_raising_a_topic_in_a_body_that_does_not_exist_is_404(committee, login):
    assert login(committee.employees[0]).get(reverse("deliberation:topic_new", args=[999_999])).status_code == 404


def test_the_form_offers_the_open_campaigns_categories(committee, login):
    c = committee
    now = timezone.now()
    campaign = s.campaign_create(
        actor=c.convener,
        body=c.body,
        title="十一月议题征集",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=10),
        categories=["环境", "交通"],
    )
    client = login(c.employees[0])
    html = client.get(reverse("deliberation:topic_new", args=[c.body.pk])).content.decode()
    assert '<select name="category"' in html and '<option value="环境">环境</option>' in html
    response = client.post(
        reverse("deliberation:topic_new", args=[c.body.pk]), {"title": "外卖柜", "text": "不够", "category": "餐饮"}
    )
    assert response.status_code == 400 and not Topic.objects.exists()  # not one of the campaign's categories
    client.post(
        reverse("deliberation:topic_new", args=[c.body.pk]), {"title": "外卖柜", "text": "不够", "category": "环境"}
    )
    assert Topic.objects.get().campaign_id == campaign.pk


PLAIN_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), max_size=200)


@given(PLAIN_TEXT)
def test_typed_text_survives_the_round_trip_through_stored_html(text):
    stored = sanitise_html(plain_to_html(text))
    assert re.sub(r"</?(p|br)>", "", stored).count("<") == 0  # nothing typed becomes a tag
    assert html_to_plain(stored) == re.sub(r"\n{2,}", "\n\n", text.strip())


@given(
    st.lists(
        st.text(
            st.characters(blacklist_characters=",，、;；\n", blacklist_categories=("Cs",)), min_size=1, max_size=10
        ),
        max_size=8,
    )
)
def test_categories_split_on_every_separator(names):
    raw = "、".join(names).replace("、", ",", 1)
    expected = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    assert split_categories(raw) == expected


# --- reading -----------------------------------------------------------------------------------


def test_script_and_event_handlers_never_render(committee, login):
    c = committee
    stored = _topic(
        c,
        0,
        text='<p>希望错峰<script>alert(1)</script></p><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>',
    )
    html = _detail(login(c.convener), stored)
    assert "希望错峰" in html
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html

    client = login(c.employees[1])
    client.post(
        reverse("deliberation:topic_new", args=[c.body.pk]),
        {"title": "<script>alert(4)</script>", "text": '<script>alert(5)</script><img src=x onerror="alert(6)">'},
    )
    typed = Topic.objects.exclude(pk=stored.pk).get()
    html = _detail(client, typed)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in html  # what was typed shows as text


def test_a_topic_of_another_streets_body_is_404(committee, world, personas, login):
    c = committee
    other = body_create(
        actor=personas.street_jas,
        node=world.street_b,
        name="静安寺广场楼宇事务委员会",
        kind=BodyKind.BUILDING_COMMITTEE,
        buildings=[world.jas_building],
    )
    topic = s.topic_submit(actor=c.outsider, body=other, title="静安寺的议题", text="内容")
    assert login(c.outsider).get(reverse("deliberation:topic_detail", args=[topic.pk])).status_code == 200
    for user in (c.employees[0], c.convener, personas.street_njxl):
        client = login(user)
        assert client.get(reverse("deliberation:topic_detail", args=[topic.pk])).status_code == 404
        assert client.get(reverse("deliberation:topic_list", args=[other.pk])).status_code == 404
        assert client.post(_action_url(topic, "accept")).status_code == 404
    assert login(personas.street_jas).get(reverse("deliberation:topic_detail", args=[topic.pk])).status_code == 200


def test_anonymous_topics_hide_the_name_from_other_employees_not_from_the_convener(committee, login):
    c = committee
    topic = _topic(c, 0, is_anonymous=True)
    name = c.employees[0].person.name
    html = _detail(login(c.employees[1]), topic)
    assert name not in html and "Anonymous" in html
    assert name not in login(c.employees[1]).get(reverse("deliberation:topic_list", args=[c.body.pk])).content.decode()
    assert name in _detail(login(c.convener), topic)
    assert name in _detail(login(c.employees[0]), topic)


def test_the_detail_shows_the_timeline_and_the_outcome(committee, login):
    c = committee
    topic = _topic(c, 0)
    s.topic_action(actor=c.convener, topic=topic, action="decline", reason="属物业职责，已转物业")
    html = _detail(login(c.employees[0]), topic)  # the proposer still sees a declined topic
    assert "属物业职责，已转物业" in html
    events = list(AuditEvent.objects.filter(object_type="deliberation.topic", object_id=str(topic.pk)).order_by("id"))
    first = timezone.localtime(events[0].created).strftime("%Y-%m-%d %H:%M")
    assert f"{first}</time> · submitted · employee_0" in html
    assert "declined · convener_henglong" in html
    assert login(c.employees[1]).get(reverse("deliberation:topic_detail", args=[topic.pk])).status_code == 404


def test_my_topics_lists_only_mine(committee, login):
    c = committee
    _topic(c, 0, title="我的议题")
    _topic(c, 1, title="别人的议题")
    html = login(c.employees[0]).get(reverse("deliberation:topic_mine")).content.decode()
    assert "我的议题" in html and "别人的议题" not in html


def test_the_list_filters_by_state_category_and_title(committee, login):
    c = committee
    t1 = _topic(c, 0, title="电梯拥堵", category="交通")
    _topic(c, 1, title="外卖柜不够", category="环境")
    s.topic_action(actor=c.convener, topic=t1, action="accept")
    client = login(c.employees[2])
    url = reverse("deliberation:topic_list", args=[c.body.pk])
    assert "外卖柜不够" not in client.get(url, {"state": "accepted"}).content.decode()
    assert "电梯拥堵" in client.get(url, {"state": "accepted"}).content.decode()
    assert "电梯拥堵" not in client.get(url, {"category": "环境"}).content.decode()
    html = client.get(url, {"q": "外卖"}).content.decode()
    assert "外卖柜不够" in html and "电梯拥堵" not in html


def test_declined_topics_are_listed_for_the_convener_only(committee, login):
    c = committee
    topic = _topic(c, 0, title="被拒的议题")
    s.topic_action(actor=c.convener, topic=topic, action="decline", reason="重复")
    url = reverse("deliberation:topic_list", args=[c.body.pk])
    assert "被拒的议题" in login(c.convener).get(url).content.decode()
    assert "被拒的议题" not in login(c.employees[1]).get(url).content.decode()


def test_the_list_query_count_does_not_grow_with_topics(committee, login, count_queries):
    c = committee
    for i in range(5):
        _topic(c, i, category=f"类{i}", is_anonymous=bool(i % 2))
    client = login(c.convener)
    url = reverse("deliberation:topic_list", args=[c.body.pk])
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for i in range(5, 40):
        _topic(c, i, category=f"类{i % 7}", is_anonymous=bool(i % 2))
    with count_queries() as large:
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count('data-state="submitted"') == 25
    assert len(large.captured_queries) <= len(small.captured_queries) + 1  # +1: the capped count of a second page


# --- screening through the pages ---------------------------------------------------------------


def test_declining_without_a_reason_shows_the_field_error_and_changes_nothing(committee, login):
    c = committee
    topic = _topic(c, 0)
    events = AuditEvent.objects.count()
    response = _post_action(login(c.convener), topic, "decline", reason="  ")
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="reason-decline-error">This field is required\.<', html)
    assert '<details class="mb-2" open>' in html
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SUBMITTED and topic.reason == ""
    assert AuditEvent.objects.count() == events


def test_each_screening_action_moves_the_state_and_changes_the_buttons(committee, login):
    c = committee
    t1, t2, t3, t4, t5 = (_topic(c, i) for i in range(5))
    client = login(c.convener)

    html = _detail(client, t1)
    assert _action_url(t1, "screen") in html and _action_url(t1, "accept") in html
    assert _action_url(t1, "withdraw") not in html  # only the proposer withdraws
    assert _post_action(client, t1, "screen").status_code == 302
    t1.refresh_from_db()
    assert t1.status == TopicStatus.SCREENING
    html = _detail(client, t1)
    assert _action_url(t1, "screen") not in html and _action_url(t1, "accept") in html

    _post_action(client, t1, "accept")
    t1.refresh_from_db()
    assert t1.status == TopicStatus.ACCEPTED
    html = _detail(client, t1)
    assert _action_url(t1, "decline") not in html and "Put on an agenda" in html

    _post_action(client, t2, "merge", merged_into=t1.pk)
    t2.refresh_from_db()
    assert t2.status == TopicStatus.MERGED and t2.merged_into_id == t1.pk
    html = _detail(client, t2)
    assert reverse("deliberation:topic_detail", args=[t1.pk]) in html and _action_url(t2, "accept") not in html

    _post_action(client, t3, "decline", reason="属物业职责")
    _post_action(client, t4, "refer", reason="转服务台处理")
    t3.refresh_from_db()
    t4.refresh_from_db()
    assert (t3.status, t3.reason) == (TopicStatus.DECLINED, "属物业职责")
    assert (t4.status, t4.reason) == (TopicStatus.REFERRED, "转服务台处理")
    assert "Nothing for you to do on this topic now." in _detail(client, t3)

    proposer = login(c.employees[4 % len(c.employees)])
    assert _action_url(t5, "withdraw") in _detail(proposer, t5)
    assert _post_action(proposer, t5, "withdraw").status_code == 302
    t5.refresh_from_db()
    assert t5.status == TopicStatus.WITHDRAWN
    assert _action_url(t5, "withdraw") not in _detail(proposer, t5)


def test_scheduling_puts_the_topic_on_a_meeting_and_the_decision_shows(committee, login, soon):
    c = committee
    topic = _topic(c, 0)
    s.topic_action(actor=c.convener, topic=topic, action="accept")
    start, end = soon()
    meeting = s.meeting_create(
        actor=c.convener, body=c.body, title="十一月协商议事会", starts_at=start, ends_at=end, place="党群服务站"
    )
    client = login(c.convener)
    missing = _post_action(client, topic, "schedule")
    assert missing.status_code == 400 and 'id="meeting-error"' in missing.content.decode()
    assert _post_action(client, topic, "schedule", meeting=meeting.pk).status_code == 302
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ON_AGENDA
    html = _detail(client, topic)
    assert "十一月协商议事会" in html and _action_url(topic, "unschedule") in html

    meeting = s.meeting_action(actor=c.convener, meeting=meeting, action="schedule")
    meeting = s.meeting_action(actor=c.secretary, meeting=meeting, action="start")
    for user in (c.convener, c.secretary, c.members[0]):
        s.attendance_record(actor=c.secretary, meeting=meeting, member=c.member_rows[user.username], present=True)
    html = _detail(login(c.secretary), topic)
    assert "The decision is recorded in the meeting" in html and _action_url(topic, "decide") not in html
    assert _post_action(login(c.secretary), topic, "decide").status_code == 409
    s.decision_record(
        actor=c.secretary, item=meeting.items.get(), text="午间电梯分楼层错峰运行", method="show_of_hands", votes_for=3
    )
    html = _detail(login(c.employees[0]), topic)
    assert 'data-state="decided"' in html and "午间电梯分楼层错峰运行" in html and "decision recorded" in html


def test_merging_needs_a_target(committee, login):
    c = committee
    topic = _topic(c, 0)
    _topic(c, 1)
    response = _post_action(login(c.convener), topic, "merge")
    assert response.status_code == 400 and 'id="merged-into-error"' in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SUBMITTED


def test_an_employee_cannot_screen(committee, login):
    c = committee
    topic = _topic(c, 0)
    client = login(c.employees[1])
    assert _action_url(topic, "accept") not in _detail(client, topic)
    assert _post_action(client, topic, "accept").status_code == 403
    assert _post_action(client, topic, "nonsense").status_code == 404
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SUBMITTED


def test_a_stale_or_impossible_action_shows_a_clear_409(committee, login):
    c = committee
    topic = _topic(c, 0)
    client = login(c.convener)
    stale = client.post(_action_url(topic, "screen"), {"version": topic.version - 1})
    assert stale.status_code == 409 and "changed by someone else" in stale.content.decode()
    s.topic_action(actor=c.convener, topic=topic, action="accept")
    late = _post_action(client, topic, "screen")
    assert late.status_code == 409 and "not possible in the current state" in late.content.decode()
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ACCEPTED


def test_the_proposer_edits_while_editable_and_a_stale_edit_is_refused(committee, login):
    c = committee
    topic = _topic(c, 0, text="<p>第一行<br>第二行</p>")
    client = login(c.employees[0])
    url = reverse("deliberation:topic_edit", args=[topic.pk])
    page = client.get(url).content.decode()
    assert "第一行\n第二行</textarea>" in page
    response = client.post(url, {"version": topic.version, "title": "改过的标题", "text": "新内容"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "改过的标题" and topic.text == "<p>新内容</p>"
    stale = client.post(url, {"version": topic.version - 1, "title": "覆盖", "text": "覆盖"})
    assert stale.status_code == 409 and "changed by someone else" in stale.content.decode()
    topic.refresh_from_db()
    assert topic.title == "改过的标题"
    assert login(c.employees[1]).get(url).status_code == 403


def test_editing_a_screened_topic_is_refused(committee, login):
    c = committee
    topic = _topic(c, 0)
    s.topic_action(actor=c.convener, topic=topic, action="screen")
    client = login(c.employees[0])
    response = client.get(reverse("deliberation:topic_edit", args=[topic.pk]), follow=True)
    assert "The topic can no longer be edited." in response.content.decode()


# --- support -----------------------------------------------------------------------------------


def test_support_by_htmx_returns_the_box_and_counts_once(committee, login):
    c = committee
    topic = _topic(c, 0)
    client = login(c.employees[1])
    url = reverse("deliberation:topic_support", args=[topic.pk])
    first = client.post(url, HTTP_HX_REQUEST="true")
    html = first.content.decode()
    assert first.status_code == 200 and "<html" not in html and 'id="support-box"' in html
    assert 'data-support-count="1"' in html
    assert reverse("deliberation:topic_unsupport", args=[topic.pk]) in html
    again = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-support-count="1"' in again and "You already support this topic." in again
    topic.refresh_from_db()
    assert topic.support_count == 1 and TopicSupport.objects.filter(topic=topic).count() == 1
    undone = client.post(reverse("deliberation:topic_unsupport", args=[topic.pk]), HTTP_HX_REQUEST="true")
    assert 'data-support-count="0"' in undone.content.decode()


def test_the_proposer_cannot_support_their_own_topic(committee, login):
    c = committee
    topic = _topic(c, 0)
    client = login(c.employees[0])
    assert reverse("deliberation:topic_support", args=[topic.pk]) not in _detail(client, topic)
    response = client.post(reverse("deliberation:topic_support", args=[topic.pk]))
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.support_count == 0


# --- desk --------------------------------------------------------------------------------------


def test_the_desk_shows_topics_to_screen_to_the_convener_only(committee, login):
    c = committee
    _topic(c, 0, title="等待筛选的议题")
    html = login(c.convener).get(reverse("core:home")).content.decode()
    assert "Topics to screen (1)" in html and "等待筛选的议题" in html and "Open campaigns" in html
    html = login(c.employees[0]).get(reverse("core:home")).content.decode()
    assert "Topics to screen" not in html and "My topics" in html and "等待筛选的议题" in html
    assert "Topics to screen" not in login(c.members[0]).get(reverse("core:home")).content.decode()


def test_the_desk_query_count_does_not_grow_with_topics(committee, login, count_queries):
    c = committee
    now = timezone.now()
    s.campaign_create(
        actor=c.convener,
        body=c.body,
        title="征集",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=5),
    )
    convener_topic = s.topic_submit(actor=c.convener, body=c.body, title="召集人自己的议题", text="内容")
    for i in range(5):
        _topic(c, i)
    client = login(c.convener)
    client.get(reverse("core:home"))
    with count_queries() as small:
        client.get(reverse("core:home"))
    for i in range(5, 40):
        _topic(c, i)
    with count_queries() as large:
        response = client.get(reverse("core:home"))
    html = response.content.decode()
    assert "Topics to screen (41)" in html and convener_topic.title in html
    assert len(large.captured_queries) <= len(small.captured_queries) + 1  # +1: the count once a panel is full
