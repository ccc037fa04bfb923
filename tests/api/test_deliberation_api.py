"""The /api/v1 deliberation resources: the whole story, scoping, each failure the issue names, query counts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from govcube.accounts.services import api_token_create
from govcube.bodies.models import BodyKind, MemberRole
from govcube.bodies.services import body_create, body_member_add
from govcube.deliberation import services as s
from govcube.deliberation.models import (
    AgendaItem,
    Campaign,
    Decision,
    FollowUp,
    Meeting,
    Registration,
    RegistrationStatus,
    Topic,
    Vote,
)
from tests.deliberation import conftest as deliberation_fixtures
from tests.factories import person_in, person_user

pytestmark = pytest.mark.django_db

# The committee comes from tests/conftest.py; the meeting times of tests/deliberation/conftest.py, shared here.
soon = deliberation_fixtures.soon

CONVENER, SECRETARY, MEMBER_0 = "convener_henglong", "secretary_henglong", "member_0"


@pytest.fixture
def bearer():
    def _as(user):
        _row, raw = api_token_create(actor=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return _as


def post(client, url, data, headers):
    return client.post(url, {} if data is None else data, content_type="application/json", **headers)


def put(client, url, data, headers):
    return client.put(url, data, content_type="application/json", **headers)


def _in_progress(c, soon, present=(CONVENER, SECRETARY, MEMBER_0), title="例会"):
    """A started meeting of the committee with one agenda item and some members present (through the services)."""
    start, end = soon()
    meeting = s.meeting_create(
        actor=c.convener, body=c.body, title=title, starts_at=start, ends_at=end, place="恒隆广场党群服务站"
    )
    item = s.agenda_item_add(actor=c.convener, meeting=meeting, title="午间电梯")
    s.meeting_action(actor=c.convener, meeting=meeting, action="schedule")
    meeting = s.meeting_action(actor=c.secretary, meeting=meeting, action="start")
    for username in present:
        s.attendance_record(actor=c.secretary, meeting=meeting, member=c.member_rows[username], present=True)
    return meeting, item


# ---------------------------------------------------------------------------------------------
# The story


def test_the_whole_story_through_the_api(client, committee, soon, bearer):
    c = committee
    conv, sec = bearer(c.convener), bearer(c.secretary)
    emp = [bearer(e) for e in c.employees]
    now = timezone.now()

    # A campaign, a topic (with a script the store must drop), a supporter.
    response = post(
        client,
        "/api/v1/campaigns",
        {
            "body_id": c.body.pk,
            "title": "十一月议题征集",
            "question": "楼里有什么该商量的？",
            "opens_at": (now - timedelta(hours=1)).isoformat(),
            "closes_at": (now + timedelta(days=20)).isoformat(),
            "categories": ["环境", "交通"],
        },
        conv,
    )
    assert response.status_code == 201, response.json()
    campaign = response.json()
    assert campaign["state"] == "open" and campaign["actions"] == ["close"]

    response = post(
        client,
        "/api/v1/topics",
        {
            "body_id": c.body.pk,
            "campaign_id": campaign["id"],
            "category": "交通",
            "title": "午间电梯太挤",
            "text": "<p>希望错峰<script>alert(1)</script></p>",
            "on_behalf_of_employer": True,
        },
        emp[0],
    )
    assert response.status_code == 201, response.json()
    topic = response.json()
    assert topic["status"] == "submitted" and topic["source"] == "campaign" and topic["is_mine"]
    assert topic["actions"] == ["withdraw"] and topic["proposer"] == "白领0" and topic["on_behalf_of"]
    t = topic["id"]

    supported = post(client, f"/api/v1/topics/{t}/support", None, emp[2])
    assert supported.status_code == 200
    assert supported.json()["support_count"] == 1 and supported.json()["supported_by_me"] is True
    assert post(client, f"/api/v1/topics/{t}/support", None, emp[2]).status_code == 409

    # Screening: the convener sees the screening actions, the answers carry the new state.
    seen = client.get(f"/api/v1/topics/{t}", **conv).json()
    assert set(seen["actions"]) == {"screen", "accept", "decline", "merge", "refer"}
    screened = post(client, f"/api/v1/topics/{t}/screen", {"version": seen["version"]}, conv)
    assert screened.status_code == 200
    assert screened.json() == {
        "id": t,
        "status": "screening",
        "version": seen["version"] + 1,
        "actions": ["accept", "decline", "merge", "refer"],
    }
    accepted = post(client, f"/api/v1/topics/{t}/accept", None, conv).json()
    assert accepted["status"] == "accepted" and accepted["actions"] == ["schedule"]
    counts = client.get(f"/api/v1/campaigns/{campaign['id']}", **conv).json()["topic_counts"]
    assert counts == {"accepted": 1}

    # A meeting open to one observer, its agenda built from the accepted topic.
    start, end = soon()
    response = post(
        client,
        "/api/v1/meetings",
        {
            "body_id": c.body.pk,
            "title": "十一月协商议事会",
            "kind": "open",
            "starts_at": start.isoformat(),
            "ends_at": end.isoformat(),
            "place": "恒隆广场党群服务站",
            "open_attendance": True,
            "observer_seats": 1,
        },
        conv,
    )
    assert response.status_code == 201, response.json()
    meeting = response.json()
    m = meeting["id"]
    assert meeting["status"] == "draft" and meeting["actions"] == ["schedule", "cancel"]
    assert meeting["seats_left"] == 1 and meeting["can_record"] is True
    assert client.get(f"/api/v1/meetings/{m}", **emp[3]).status_code == 404  # drafts only for managers

    item = post(client, f"/api/v1/meetings/{m}/items", {"topic_id": t, "minutes_planned": 20}, conv)
    assert item.status_code == 201 and item.json()["title"] == "午间电梯太挤"
    i = item.json()["id"]
    assert client.get(f"/api/v1/topics/{t}", **emp[0]).json()["status"] == "on_agenda"
    scheduled = post(client, f"/api/v1/meetings/{m}/schedule", None, conv).json()
    assert scheduled["status"] == "scheduled" and scheduled["actions"] == ["start", "cancel"]

    # Open attendance: one seat, then the waiting list, which moves up on a cancellation.
    first = post(client, f"/api/v1/meetings/{m}/registrations", None, emp[3])
    second = post(client, f"/api/v1/meetings/{m}/registrations", None, emp[1])
    assert first.status_code == second.status_code == 201
    assert (first.json()["status"], second.json()["status"]) == ("registered", "waiting")
    assert first.json()["check_in_code"]
    assert post(client, f"/api/v1/meetings/{m}/registrations", None, emp[3]).status_code == 409
    observer_view = client.get(f"/api/v1/meetings/{m}", **emp[3]).json()
    assert observer_view["seats_left"] == 0 and observer_view["my_registration"]["status"] == "registered"
    assert observer_view["quorum"] is None and observer_view["attendance"] is None
    all_regs = client.get(f"/api/v1/meetings/{m}/registrations", **sec).json()
    assert all_regs["total"] == 2 and {r["check_in_code"] for r in all_regs["items"]} == {None}
    own = client.get(f"/api/v1/meetings/{m}/registrations", **emp[1]).json()["items"]
    assert [r["name"] for r in own] == ["白领1"] and own[0]["check_in_code"]
    cancelled = post(client, f"/api/v1/meetings/{m}/registrations/{first.json()['id']}/cancel", None, emp[3])
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    promoted = client.get(f"/api/v1/meetings/{m}/registrations", **emp[1]).json()["items"][0]
    assert promoted["status"] == "registered"
    assert Meeting.objects.get(pk=m).observers_registered == 1

    # The meeting starts; the observer checks in; presence makes the quorum.
    started = post(client, f"/api/v1/meetings/{m}/start", None, sec).json()
    assert started["status"] == "in_progress" and started["actions"] == ["end"]
    checked = post(client, f"/api/v1/meetings/{m}/check-in", {"code": promoted["check_in_code"].lower()}, sec)
    assert checked.status_code == 200 and checked.json()["checked_in_at"]
    detail = client.get(f"/api/v1/meetings/{m}", **sec).json()
    assert detail["quorum"] == {"expected": 5, "present": 0, "needed": 3, "met": False}
    member_ids = {row["name"]: row["member_id"] for row in detail["attendance"]}
    for name in ("陈召集", "刘秘书", "成员0"):
        answer = post(client, f"/api/v1/meetings/{m}/attendance", {"member_id": member_ids[name], "present": True}, sec)
        assert answer.status_code == 200 and answer.json()["present"] is True
    assert answer.json()["quorum"] == {"expected": 5, "present": 3, "needed": 3, "met": True}

    # A roll call: the secretary records two votes, a member casts their own.
    response = post(
        client, "/api/v1/decisions", {"item_id": i, "text": "午间电梯分楼层错峰运行", "method": "roll_call"}, sec
    )
    assert response.status_code == 201, response.json()
    decision = response.json()
    d = decision["id"]
    assert decision["passed"] is None and decision["actions"] == ["close"] and decision["meeting_id"] == m
    for name, choice in (("陈召集", "for"), ("刘秘书", "for")):
        vote = post(client, "/api/v1/votes", {"decision_id": d, "member_id": member_ids[name], "choice": choice}, sec)
        assert vote.status_code == 201 and vote.json()["name"] == name
    own_vote = post(
        client,
        "/api/v1/votes",
        {"decision_id": d, "member_id": member_ids["成员0"], "choice": "against"},
        bearer(c.members[0]),
    )
    assert own_vote.status_code == 201
    closed = post(client, f"/api/v1/decisions/{d}/close", None, sec)
    assert closed.status_code == 200
    closed = closed.json()
    assert closed["passed"] is True and (closed["votes_for"], closed["votes_against"]) == (2, 1)
    assert len(closed["votes"]) == 3 and closed["actions"] == []
    decided = client.get(f"/api/v1/topics/{t}", **emp[0]).json()
    assert decided["status"] == "decided" and decided["outcome"] == "午间电梯分楼层错峰运行"
    follow_up = post(
        client, f"/api/v1/decisions/{d}/follow-ups", {"kind": "project", "description": "物业排出错峰时刻表"}, sec
    )
    assert follow_up.status_code == 201 and follow_up.json()["kind"] == "project"
    assert client.get(f"/api/v1/decisions/{d}", **emp[0]).json()["follow_ups"][0]["description"] == "物业排出错峰时刻表"

    # Minutes: saved, a stale second save is refused, approved, published — only then seen by everyone.
    assert client.get(f"/api/v1/meetings/{m}", **emp[0]).json()["items"][0]["minutes"] is None
    item_now = client.get(f"/api/v1/meetings/{m}", **sec).json()["items"][0]
    minutes_url = f"/api/v1/meetings/{m}/items/{i}/minutes"
    saved = put(client, minutes_url, {"minutes": "<p>讨论了错峰方案。</p>", "version": item_now["version"]}, sec)
    assert saved.status_code == 200 and saved.json()["version"] == item_now["version"] + 1
    stale = put(client, minutes_url, {"minutes": "覆盖", "version": item_now["version"]}, conv)
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    assert AgendaItem.objects.get(pk=i).minutes == "<p>讨论了错峰方案。</p>"
    assert post(client, f"/api/v1/meetings/{m}/end", None, sec).json()["status"] == "ended"
    approved = post(client, f"{minutes_url}/approve", None, conv).json()
    assert approved["status"] == "approved" and set(approved["actions"]) == {"reopen", "publish"}
    published = post(client, f"{minutes_url}/publish", {"version": approved["version"]}, conv).json()
    assert published["status"] == "published" and published["actions"] == []
    public_item = client.get(f"/api/v1/meetings/{m}", **emp[0]).json()["items"][0]
    assert public_item["minutes"] == "<p>讨论了错峰方案。</p>" and public_item["decisions"][0]["passed"] is True


# ---------------------------------------------------------------------------------------------
# Scoping


@pytest.fixture
def jas_things(world, personas, committee):
    """A body of 静安寺街道 with a campaign, a topic (by the committee's outsider, who works there) and a meeting."""
    body = body_create(
        actor=personas.street_jas,
        node=world.street_b,
        name="静安寺广场楼宇事务委员会",
        kind=BodyKind.BUILDING_COMMITTEE,
        buildings=[world.jas_building],
    )
    now = timezone.now()
    campaign = s.campaign_create(
        actor=personas.street_jas, body=body, title="静安寺征集", opens_at=now, closes_at=now + timedelta(days=5)
    )
    topic = s.topic_submit(actor=committee.outsider, body=body, title="静安寺议题", text="内容", campaign=campaign)
    start = now + timedelta(days=2)
    meeting = s.meeting_create(
        actor=personas.street_jas,
        body=body,
        title="静安寺议事",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        place="x",
    )
    s.meeting_action(actor=personas.street_jas, meeting=meeting, action="schedule")
    return body, campaign, topic, meeting


def test_another_streets_deliberation_is_404_and_not_listed(client, personas, committee, jas_things, bearer):
    body, campaign, topic, meeting = jas_things
    for user in (personas.street_njxl, committee.convener, committee.employees[0]):
        headers = bearer(user)
        for url in (f"/api/v1/topics/{topic.pk}", f"/api/v1/campaigns/{campaign.pk}", f"/api/v1/meetings/{meeting.pk}"):
            response = client.get(url, **headers)
            assert response.status_code == 404 and response.json()["code"] == "not_found", url
        assert post(client, f"/api/v1/topics/{topic.pk}/accept", None, headers).status_code == 404
        assert post(client, f"/api/v1/meetings/{meeting.pk}/registrations", None, headers).status_code == 404
        for url in ("/api/v1/topics", "/api/v1/campaigns", "/api/v1/meetings"):
            assert client.get(url, **headers).json()["total"] == 0, url
        assert client.get("/api/v1/topics", {"body": body.pk}, **headers).status_code == 404
    jas = bearer(personas.street_jas)
    assert [x["id"] for x in client.get("/api/v1/topics", **jas).json()["items"]] == [topic.pk]
    assert client.get(f"/api/v1/meetings/{meeting.pk}", **jas).status_code == 200


def test_the_outsider_cannot_reach_the_committee(client, committee, soon, bearer):
    c = committee
    topic = s.topic_submit(actor=c.employees[0], body=c.body, title="电梯", text="太挤")
    outsider = bearer(c.outsider)
    assert client.get(f"/api/v1/topics/{topic.pk}", **outsider).status_code == 404
    body = {"body_id": c.body.pk, "title": "越界", "text": "不在覆盖楼宇"}
    assert post(client, "/api/v1/topics", body, outsider).status_code == 404
    assert Topic.objects.count() == 1


def test_a_declined_topic_is_seen_by_its_proposer_with_the_reason_only(client, committee, bearer):
    c = committee
    topic = s.topic_submit(actor=c.employees[0], body=c.body, title="外卖柜", text="外卖柜不够")
    s.topic_action(actor=c.convener, topic=topic, action="decline", reason="属物业职责，已转物业")
    mine = client.get(f"/api/v1/topics/{topic.pk}", **bearer(c.employees[0]))
    assert mine.status_code == 200 and mine.json()["reason"] == "属物业职责，已转物业" and mine.json()["actions"] == []
    assert client.get(f"/api/v1/topics/{topic.pk}", **bearer(c.employees[1])).status_code == 404


def test_an_anonymous_proposer_is_named_only_to_themselves_and_the_managers(client, committee, bearer):
    c = committee
    topic = s.topic_submit(
        actor=c.employees[1],
        body=c.body,
        title="匿名",
        text="内容",
        is_anonymous=True,
        on_behalf_of=c.employees[1].person.employer,
    )
    other = client.get(f"/api/v1/topics/{topic.pk}", **bearer(c.employees[0])).json()
    assert other["proposer"] == "Anonymous" and other["on_behalf_of"] is None
    listed = client.get("/api/v1/topics", **bearer(c.employees[0])).json()["items"]
    assert [x["proposer"] for x in listed] == ["Anonymous"]
    assert client.get(f"/api/v1/topics/{topic.pk}", **bearer(c.convener)).json()["proposer"] == "白领1"
    assert client.get(f"/api/v1/topics/{topic.pk}", **bearer(c.employees[1])).json()["proposer"] == "白领1"


def test_topics_filter_by_body_status_campaign_and_text(client, committee, bearer):
    c = committee
    now = timezone.now()
    campaign = s.campaign_create(
        actor=c.convener, body=c.body, title="征集", opens_at=now, closes_at=now + timedelta(days=3)
    )
    a = s.topic_submit(actor=c.employees[0], body=c.body, title="电梯太挤", text="x", campaign=campaign)
    b = s.topic_submit(actor=c.employees[1], body=c.body, title="外卖柜", text="x")
    s.topic_action(actor=c.convener, topic=b, action="accept")
    headers = bearer(c.employees[2])

    def ids(params):
        return [x["id"] for x in client.get("/api/v1/topics", params, **headers).json()["items"]]

    assert ids({"body": c.body.pk}) == [a.pk, b.pk]
    assert ids({"status": "accepted"}) == [b.pk]
    assert ids({"campaign": campaign.pk}) == [a.pk]
    assert ids({"q": "电梯"}) == [a.pk]
    bad = client.get("/api/v1/topics", {"status": "lost"}, **headers)
    assert bad.status_code == 422 and bad.json()["field"] == "status"


# ---------------------------------------------------------------------------------------------
# Bad input and failure (the list)


def test_a_vote_by_a_non_member_is_403(client, world, committee, soon, bearer):
    c = committee
    observer = person_user("standing_observer", world.ent_a, "列席代表")
    standing = body_member_add(actor=_official(c), body=c.body, role=MemberRole.OBSERVER, person=observer.person)
    meeting, item = _in_progress(c, soon)
    decision = s.decision_record(actor=c.secretary, item=item, text="错峰", method="roll_call")
    member_0 = c.member_rows[MEMBER_0].pk
    by_employee = post(
        client,
        "/api/v1/votes",
        {"decision_id": decision.pk, "member_id": member_0, "choice": "for"},
        bearer(c.employees[0]),
    )
    assert by_employee.status_code == 403
    for_observer = post(
        client,
        "/api/v1/votes",
        {"decision_id": decision.pk, "member_id": standing.pk, "choice": "for"},
        bearer(c.secretary),
    )
    assert for_observer.status_code == 403 and for_observer.json()["code"] == "deliberation.vote.not_member"
    assert not Vote.objects.exists()


def _official(c):
    from govcube.accounts.models import User

    return User.objects.get(username="street_njxl")


def test_a_second_vote_and_a_vote_after_the_close_are_409(client, committee, soon, bearer):
    c = committee
    meeting, item = _in_progress(c, soon)
    decision = s.decision_record(actor=c.secretary, item=item, text="错峰", method="roll_call")
    sec = bearer(c.secretary)
    conv_member = c.member_rows[CONVENER].pk
    first = post(client, "/api/v1/votes", {"decision_id": decision.pk, "member_id": conv_member, "choice": "for"}, sec)
    assert first.status_code == 201
    again = post(
        client, "/api/v1/votes", {"decision_id": decision.pk, "member_id": conv_member, "choice": "against"}, sec
    )
    assert again.status_code == 409 and again.json()["code"] == "deliberation.vote.twice"
    assert post(client, f"/api/v1/decisions/{decision.pk}/close", None, sec).status_code == 200
    late = post(
        client,
        "/api/v1/votes",
        {"decision_id": decision.pk, "member_id": c.member_rows[MEMBER_0].pk, "choice": "for"},
        sec,
    )
    assert late.status_code == 409
    assert post(client, f"/api/v1/decisions/{decision.pk}/close", None, sec).status_code == 409
    assert Vote.objects.count() == 1


def test_a_vote_with_an_unknown_choice_is_400(client, committee, soon, bearer):
    c = committee
    meeting, item = _in_progress(c, soon)
    decision = s.decision_record(actor=c.secretary, item=item, text="错峰", method="roll_call")
    body = {"decision_id": decision.pk, "member_id": c.member_rows[CONVENER].pk, "choice": "maybe"}
    response = post(client, "/api/v1/votes", body, bearer(c.secretary))
    assert response.status_code == 400 and response.json()["field"] == "choice"
    unknown = post(client, "/api/v1/votes", body | {"member_id": 999999, "choice": "for"}, bearer(c.secretary))
    assert unknown.status_code == 404


def test_a_decision_without_quorum_is_409_and_nothing_is_stored(client, committee, soon, bearer):
    c = committee
    meeting, item = _in_progress(c, soon, present=(SECRETARY,))
    body = {"item_id": item.pk, "text": "错峰", "method": "show_of_hands", "votes_for": 1}
    response = post(client, "/api/v1/decisions", body, bearer(c.secretary))
    assert response.status_code == 409 and response.json()["code"] == "deliberation.decision.no_quorum"
    assert "1" in response.json()["message"] and "3" in response.json()["message"]
    assert not Decision.objects.exists()


def test_decision_input_errors(client, committee, soon, bearer):
    c = committee
    meeting, item = _in_progress(c, soon)
    sec = bearer(c.secretary)
    base = {"item_id": item.pk, "text": "错峰", "method": "show_of_hands"}
    too_many = post(client, "/api/v1/decisions", base | {"votes_for": 9}, sec)
    assert too_many.status_code == 400 and too_many.json()["field"] == "votes_for"
    no_text = post(client, "/api/v1/decisions", base | {"text": " "}, sec)
    assert no_text.status_code == 400 and no_text.json()["field"] == "text"
    method = post(client, "/api/v1/decisions", base | {"method": "coin"}, sec)
    assert method.status_code == 400 and method.json()["field"] == "method"
    by_member = post(client, "/api/v1/decisions", base | {"votes_for": 2}, bearer(c.members[0]))
    assert by_member.status_code == 403
    assert post(client, "/api/v1/decisions", base | {"item_id": 999999}, sec).status_code == 404
    missing = post(client, "/api/v1/decisions", {"item_id": item.pk, "text": "x"}, sec)
    assert missing.status_code == 422 and missing.json()["field"] == "method"
    assert not Decision.objects.exists()
    passed = post(client, "/api/v1/decisions", base | {"votes_for": 2, "votes_against": 1}, sec)
    assert passed.status_code == 201 and passed.json()["passed"] is True
    bad_follow_up = post(
        client, f"/api/v1/decisions/{passed.json()['id']}/follow-ups", {"kind": "party", "description": "x"}, sec
    )
    assert bad_follow_up.status_code == 400 and bad_follow_up.json()["field"] == "kind"
    assert not FollowUp.objects.exists()


def test_declining_without_a_reason_is_400_naming_reason(client, committee, bearer):
    c = committee
    topic = s.topic_submit(actor=c.employees[0], body=c.body, title="外卖柜", text="外卖柜不够")
    conv = bearer(c.convener)
    response = post(client, f"/api/v1/topics/{topic.pk}/decline", None, conv)
    assert response.status_code == 400 and response.json()["field"] == "reason"
    blank = post(client, f"/api/v1/topics/{topic.pk}/decline", {"reason": "   "}, conv)
    assert blank.status_code == 400 and blank.json()["field"] == "reason"
    topic.refresh_from_db()
    assert topic.status == "submitted" and topic.reason == ""
    declined = post(client, f"/api/v1/topics/{topic.pk}/decline", {"reason": "属物业职责"}, conv)
    assert declined.status_code == 200 and declined.json()["status"] == "declined"


def test_topic_workflow_refusals(client, committee, bearer):
    c = committee
    topic = s.topic_submit(actor=c.employees[0], body=c.body, title="外卖柜", text="外卖柜不够")
    other = s.topic_submit(actor=c.employees[1], body=c.body, title="外卖柜不够用", text="同上")
    conv = bearer(c.convener)
    by_employee = post(client, f"/api/v1/topics/{topic.pk}/accept", None, bearer(c.employees[1]))
    assert by_employee.status_code == 403
    wrong_state = post(client, f"/api/v1/topics/{topic.pk}/close", None, conv)
    assert wrong_state.status_code == 409 and wrong_state.json()["field"] == "status"
    stale = post(client, f"/api/v1/topics/{topic.pk}/screen", {"version": 7}, conv)
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    unknown = post(client, f"/api/v1/topics/{topic.pk}/promote", None, conv)
    assert unknown.status_code == 404 and unknown.json()["code"] == "deliberation.topic.action.unknown"
    no_target = post(client, f"/api/v1/topics/{other.pk}/merge", None, conv)
    assert no_target.status_code == 400 and no_target.json()["field"] == "merged_into"
    merged = post(client, f"/api/v1/topics/{other.pk}/merge", {"merged_into": topic.pk}, conv)
    assert merged.status_code == 200 and merged.json()["status"] == "merged"
    assert client.get(f"/api/v1/topics/{other.pk}", **conv).json()["merged_into_id"] == topic.pk
    withdrawn = post(client, f"/api/v1/topics/{topic.pk}/withdraw", None, bearer(c.employees[0]))
    assert withdrawn.status_code == 200 and withdrawn.json() == {
        "id": topic.pk,
        "status": "withdrawn",
        "version": 2,
        "actions": [],
    }


def test_the_proposer_edits_with_a_version_and_a_stale_edit_is_409(client, committee, bearer):
    c = committee
    topic = s.topic_submit(actor=c.employees[0], body=c.body, title="外卖柜", text="外卖柜不够")
    mine = bearer(c.employees[0])
    url = f"/api/v1/topics/{topic.pk}"
    edited = client.patch(
        url,
        {"version": 1, "text": "<b>外卖柜</b><img src=x onerror=alert(1)>"},
        content_type="application/json",
        **mine,
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    assert edited.json()["title"] == "外卖柜" and "onerror" not in edited.json()["text"]
    stale = client.patch(url, {"version": 1, "title": "覆盖"}, content_type="application/json", **mine)
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    other = client.patch(
        url, {"version": 2, "title": "别人改"}, content_type="application/json", **bearer(c.employees[1])
    )
    assert other.status_code == 403
    s.topic_action(actor=c.convener, topic=topic, action="screen")
    locked = client.patch(url, {"version": 3, "title": "筛选中"}, content_type="application/json", **mine)
    assert locked.status_code == 409
    topic.refresh_from_db()
    assert topic.title == "外卖柜"


def test_script_tags_are_stored_sanitised_and_served_safe(client, committee, bearer):
    c = committee
    text = '<p onclick="steal()">希望错峰<script>alert(1)</script></p><img src=x onerror=alert(2)><a href="javascript:alert(3)">链接</a>'
    created = post(
        client, "/api/v1/topics", {"body_id": c.body.pk, "title": "电梯", "text": text}, bearer(c.employees[0])
    )
    assert created.status_code == 201
    served = client.get(f"/api/v1/topics/{created.json()['id']}", **bearer(c.employees[1])).json()["text"]
    for bad in ("<script", "onclick", "onerror", "javascript:", "<img"):
        assert bad not in served
    assert "希望错峰" in served and "<p>" in served
    assert Topic.objects.get(pk=created.json()["id"]).text == served


def test_topic_input_errors(client, world, committee, bearer):
    c = committee
    mine = bearer(c.employees[0])
    empty = post(client, "/api/v1/topics", {"body_id": c.body.pk, "title": "x", "text": "<script>only</script>"}, mine)
    assert empty.status_code == 400 and empty.json()["field"] == "text"
    long = post(client, "/api/v1/topics", {"body_id": c.body.pk, "title": "长" * 201, "text": "x"}, mine)
    assert long.status_code == 400 and long.json()["field"] == "title"
    missing = post(client, "/api/v1/topics", {"body_id": c.body.pk, "text": "x"}, mine)
    assert missing.status_code == 422 and missing.json()["field"] == "title"
    no_person = post(client, "/api/v1/topics", {"body_id": c.body.pk, "title": "x", "text": "y"}, bearer(_official(c)))
    assert no_person.status_code == 403
    assert not Topic.objects.exists()


def test_a_meeting_in_the_past_is_400_naming_starts_at(client, committee, bearer):
    c = committee
    start = timezone.now() - timedelta(hours=1)
    body = {
        "body_id": c.body.pk,
        "title": "过去",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "place": "x",
    }
    conv = bearer(c.convener)
    response = post(client, "/api/v1/meetings", body, conv)
    assert response.status_code == 400 and response.json()["field"] == "starts_at"
    garbled = post(client, "/api/v1/meetings", body | {"starts_at": "next tuesday"}, conv)
    assert garbled.status_code == 422 and garbled.json()["field"] == "starts_at"
    later = timezone.localtime() + timedelta(days=2)
    backwards = body | {"starts_at": later.isoformat(), "ends_at": (later - timedelta(hours=1)).isoformat()}
    reply = post(client, "/api/v1/meetings", backwards, conv)
    assert reply.status_code == 400 and reply.json()["field"] == "ends_at"
    no_seats = body | {
        "starts_at": later.isoformat(),
        "ends_at": (later + timedelta(hours=1)).isoformat(),
        "open_attendance": True,
    }
    reply = post(client, "/api/v1/meetings", no_seats, conv)
    assert reply.status_code == 400 and reply.json()["field"] == "observer_seats"
    by_member = post(client, "/api/v1/meetings", no_seats | {"observer_seats": 3}, bearer(c.members[0]))
    assert by_member.status_code == 403
    assert not Meeting.objects.exists()


def test_a_local_time_without_offset_is_read_in_shanghai(client, committee, bearer):
    c = committee
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    body = {
        "body_id": c.body.pk,
        "title": "本地时间",
        "starts_at": f"{day}T14:30:00",
        "ends_at": f"{day}T16:00:00",
        "place": "x",
    }
    response = post(client, "/api/v1/meetings", body, bearer(c.convener))
    assert response.status_code == 201
    starts = Meeting.objects.get().starts_at
    assert timezone.localtime(starts).strftime("%H:%M") == "14:30"


def test_a_campaign_closing_before_it_opens_is_refused(client, committee, bearer):
    c = committee
    now = timezone.now()
    conv = bearer(c.convener)
    body = {
        "body_id": c.body.pk,
        "title": "倒着的征集",
        "opens_at": (now + timedelta(days=3)).isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
    }
    response = post(client, "/api/v1/campaigns", body, conv)
    assert response.status_code == 400 and response.json()["field"] == "closes_at"
    assert not Campaign.objects.exists()
    upcoming = post(client, "/api/v1/campaigns", body | {"closes_at": (now + timedelta(days=10)).isoformat()}, conv)
    assert upcoming.status_code == 201 and upcoming.json()["state"] == "upcoming" and upcoming.json()["actions"] == []
    early = post(client, f"/api/v1/campaigns/{upcoming.json()['id']}/close", None, conv)
    assert early.status_code == 409 and early.json()["field"] == "closes_at"
    assert Campaign.objects.get().closed_early_at is None
    by_member = post(
        client, "/api/v1/campaigns", body | {"closes_at": (now + timedelta(days=10)).isoformat()}, bearer(c.members[0])
    )
    assert by_member.status_code == 403


def test_closing_an_open_campaign(client, committee, bearer):
    c = committee
    now = timezone.now()
    campaign = s.campaign_create(
        actor=c.convener, body=c.body, title="征集", opens_at=now, closes_at=now + timedelta(days=3)
    )
    assert post(client, f"/api/v1/campaigns/{campaign.pk}/close", None, bearer(c.members[0])).status_code == 403
    closed = post(client, f"/api/v1/campaigns/{campaign.pk}/close", None, bearer(c.convener))
    assert closed.status_code == 200 and closed.json()["state"] == "closed" and closed.json()["closed_early_at"]
    topic = post(
        client,
        "/api/v1/topics",
        {"body_id": c.body.pk, "campaign_id": campaign.pk, "title": "迟到", "text": "x"},
        bearer(c.employees[0]),
    )
    assert topic.status_code == 400 and topic.json()["field"] == "campaign_id"


def test_registration_refusals(client, committee, soon, bearer):
    c = committee
    start, end = soon()
    closed_meeting = s.meeting_create(
        actor=c.convener, body=c.body, title="闭门", starts_at=start, ends_at=end, place="x"
    )
    s.meeting_action(actor=c.convener, meeting=closed_meeting, action="schedule")
    assert (
        post(client, f"/api/v1/meetings/{closed_meeting.pk}/registrations", None, bearer(c.employees[0])).status_code
        == 409
    )
    open_meeting = s.meeting_create(
        actor=c.convener,
        body=c.body,
        title="开放",
        starts_at=start,
        ends_at=end,
        place="x",
        open_attendance=True,
        observer_seats=5,
    )
    s.meeting_action(actor=c.convener, meeting=open_meeting, action="schedule")
    assert (
        post(client, f"/api/v1/meetings/{open_meeting.pk}/registrations", None, bearer(c.members[0])).status_code == 409
    )
    mine = post(client, f"/api/v1/meetings/{open_meeting.pk}/registrations", None, bearer(c.employees[0])).json()
    cancel_url = f"/api/v1/meetings/{open_meeting.pk}/registrations/{mine['id']}/cancel"
    assert post(client, cancel_url, None, bearer(c.employees[1])).status_code == 404
    assert (
        client.get(f"/api/v1/meetings/{open_meeting.pk}/registrations", **bearer(c.employees[1])).json()["items"] == []
    )
    wrong_code = post(client, f"/api/v1/meetings/{open_meeting.pk}/check-in", {"code": "NOPE"}, bearer(c.secretary))
    assert wrong_code.status_code == 400 and wrong_code.json()["field"] == "code"
    by_observer = post(
        client, f"/api/v1/meetings/{open_meeting.pk}/check-in", {"code": mine["check_in_code"]}, bearer(c.employees[0])
    )
    assert by_observer.status_code == 403
    assert post(client, cancel_url, None, bearer(c.secretary)).json()["status"] == "cancelled"
    assert post(client, cancel_url, None, bearer(c.secretary)).status_code == 409
    assert Registration.objects.get(pk=mine["id"]).status == RegistrationStatus.CANCELLED


def test_meeting_workflow_and_recording_refusals(client, committee, soon, bearer):
    c = committee
    start, end = soon()
    meeting = s.meeting_create(actor=c.convener, body=c.body, title="例会", starts_at=start, ends_at=end, place="x")
    m = meeting.pk
    conv, sec, member = bearer(c.convener), bearer(c.secretary), bearer(c.members[0])
    # A draft is seen only by those who manage the body.
    assert post(client, f"/api/v1/meetings/{m}/schedule", None, sec).status_code == 404
    assert client.get(f"/api/v1/meetings/{m}", **member).status_code == 404
    assert post(client, f"/api/v1/meetings/{m}/start", None, conv).status_code == 409
    assert post(client, f"/api/v1/meetings/{m}/adjourn", None, conv).status_code == 404
    scheduled = post(client, f"/api/v1/meetings/{m}/schedule", {"version": meeting.version}, conv)
    assert scheduled.status_code == 200 and scheduled.json()["version"] == meeting.version + 1
    assert client.get(f"/api/v1/meetings/{m}", **member).json()["actions"] == []
    assert post(client, f"/api/v1/meetings/{m}/cancel", None, member).status_code == 403
    stale = post(client, f"/api/v1/meetings/{m}/cancel", {"version": meeting.version}, conv)
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    member_id = c.member_rows[MEMBER_0].pk
    early = post(
        client, f"/api/v1/meetings/{m}/attendance", {"member_id": member_id, "present": True}, bearer(c.secretary)
    )
    assert early.status_code == 409
    assert (
        post(
            client, f"/api/v1/meetings/{m}/attendance", {"member_id": 999999, "present": True}, bearer(c.secretary)
        ).status_code
        == 404
    )
    item = post(client, f"/api/v1/meetings/{m}/items", {"title": " "}, bearer(c.convener))
    assert item.status_code == 400 and item.json()["field"] == "title"
    item = post(client, f"/api/v1/meetings/{m}/items", {"title": "其他事项"}, bearer(c.convener)).json()
    assert post(client, f"/api/v1/meetings/{m}/items", {"title": "x"}, bearer(c.members[0])).status_code == 403
    topic = s.topic_submit(actor=c.employees[0], body=c.body, title="未受理", text="x")
    not_accepted = post(client, f"/api/v1/meetings/{m}/items", {"topic_id": topic.pk}, bearer(c.convener))
    assert not_accepted.status_code == 400 and not_accepted.json()["field"] == "topic_id"
    minutes_url = f"/api/v1/meetings/{m}/items/{item['id']}/minutes"
    by_member = put(client, minutes_url, {"minutes": "x", "version": item["version"]}, bearer(c.members[0]))
    assert by_member.status_code == 403
    assert post(client, f"{minutes_url}/publish", None, bearer(c.convener)).status_code == 409
    assert post(client, f"{minutes_url}/sign", None, bearer(c.convener)).status_code == 404
    assert (
        put(
            client, f"/api/v1/meetings/{m}/items/999999/minutes", {"minutes": "x", "version": 1}, bearer(c.secretary)
        ).status_code
        == 404
    )
    no_version = put(client, minutes_url, {"minutes": "x"}, bearer(c.secretary))
    assert no_version.status_code == 422 and no_version.json()["field"] == "version"
    cancelled = post(client, f"/api/v1/meetings/{m}/cancel", None, bearer(c.convener)).json()
    assert cancelled["status"] == "cancelled" and cancelled["actions"] == []


def test_anonymous_callers_get_401(client, world):
    for url in ("/api/v1/topics", "/api/v1/meetings", "/api/v1/campaigns", "/api/v1/decisions/1"):
        assert client.get(url).status_code == 401


def test_no_mobile_numbers_leave_the_api(client, committee, soon, bearer):
    c = committee
    meeting, item = _in_progress(c, soon)
    s.topic_submit(actor=c.employees[0], body=c.body, title="电梯", text="太挤")
    sec = bearer(c.secretary)
    payloads = [
        client.get(f"/api/v1/meetings/{meeting.pk}", **sec).json(),
        client.get("/api/v1/topics", **sec).json(),
        client.get(f"/api/v1/bodies/{c.body.pk}", **sec).json(),
    ]
    text = json.dumps(payloads, ensure_ascii=False)
    assert "1501" not in text and "mobile" not in text


# ---------------------------------------------------------------------------------------------
# Query counts of every list (5 rows and 40 rows cost the same)


def _same_cost(client, count_queries, url, headers, grow, params=None):
    client.get(url, params or {}, **headers)
    with count_queries() as small:
        first = client.get(url, params or {}, **headers).json()
    grow()
    with count_queries() as large:
        second = client.get(url, params or {}, **headers).json()
    return first, second, len(small.captured_queries), len(large.captured_queries)


@pytest.mark.parametrize("who", ["convener", "employee", "official"])
def test_topic_list_query_count_does_not_grow(client, committee, bearer, count_queries, who):
    c = committee
    user = {"convener": c.convener, "employee": c.employees[3], "official": _official(c)}[who]

    def add(n, offset):
        for i in range(n):
            s.topic_submit(
                actor=c.employees[i % 3], body=c.body, title=f"议题{offset + i}", text="内容", is_anonymous=bool(i % 2)
            )

    add(5, 0)
    first, second, small, large = _same_cost(client, count_queries, "/api/v1/topics", bearer(user), lambda: add(35, 5))
    assert (first["total"], second["total"]) == (5, 40) and len(second["items"]) == 40
    assert large == small


def test_campaign_list_query_count_does_not_grow(client, committee, bearer, count_queries):
    c = committee
    now = timezone.now()

    def add(n):
        for i in range(n):
            s.campaign_create(
                actor=c.convener, body=c.body, title=f"征集{i}", opens_at=now, closes_at=now + timedelta(days=i + 1)
            )

    add(5)
    first, second, small, large = _same_cost(
        client, count_queries, "/api/v1/campaigns", bearer(c.employees[0]), lambda: add(35)
    )
    assert (first["total"], second["total"]) == (5, 40)
    assert large == small


def test_meeting_list_query_count_does_not_grow(client, committee, soon, bearer, count_queries):
    c = committee

    def add(n):
        for i in range(n):
            start, end = soon(days=2 + i % 20)
            meeting = s.meeting_create(
                actor=c.convener, body=c.body, title=f"会{i}", starts_at=start, ends_at=end, place="x"
            )
            s.meeting_action(actor=c.convener, meeting=meeting, action="schedule")

    add(5)
    first, second, small, large = _same_cost(
        client, count_queries, "/api/v1/meetings", bearer(c.employees[0]), lambda: add(35), {"body": c.body.pk}
    )
    assert (first["total"], second["total"]) == (5, 40)
    assert large == small


@pytest.mark.parametrize("who", ["secretary", "employee"])
def test_registration_list_query_count_does_not_grow(client, world, committee, soon, bearer, count_queries, who):
    c = committee
    start, end = soon()
    meeting = s.meeting_create(
        actor=c.convener,
        body=c.body,
        title="开放",
        starts_at=start,
        ends_at=end,
        place="x",
        open_attendance=True,
        observer_seats=100,
    )
    s.meeting_action(actor=c.convener, meeting=meeting, action="schedule")
    s.registration_create(actor=c.employees[0], meeting=meeting)
    user = c.secretary if who == "secretary" else c.employees[0]

    def add(n, offset):
        for i in range(n):
            person = person_in(world.ent_a, f"观察{offset + i}", f"1390000{offset + i:04d}")
            Registration.objects.create(
                meeting=meeting,
                person=person,
                status=RegistrationStatus.REGISTERED,
                check_in_code=Registration.new_code(),
            )

    add(4, 0)
    url = f"/api/v1/meetings/{meeting.pk}/registrations"
    first, second, small, large = _same_cost(client, count_queries, url, bearer(user), lambda: add(35, 4))
    expected = (5, 40) if who == "secretary" else (1, 1)
    assert (first["total"], second["total"]) == expected
    assert large == small


@pytest.mark.parametrize("who", ["secretary", "employee"])
def test_meeting_detail_query_count_does_not_grow_with_the_agenda(client, committee, soon, bearer, count_queries, who):
    c = committee
    meeting, _item = _in_progress(c, soon)

    def add(n):
        for i in range(n):
            item = s.agenda_item_add(actor=c.convener, meeting=meeting, title=f"事项{i}")
            decision = Decision.objects.create(item=item, text=f"决定{i}", method="show_of_hands", passed=True)
            FollowUp.objects.create(decision=decision, kind="task", description="跟进")

    add(4)
    url = f"/api/v1/meetings/{meeting.pk}"
    first, second, small, large = _same_cost(
        client, count_queries, url, bearer(c.secretary if who == "secretary" else c.employees[0]), lambda: add(35)
    )
    assert (len(first["items"]), len(second["items"])) == (5, 40)
    assert second["items"][-1]["decisions"][0]["follow_ups"][0]["description"] == "跟进"
    assert large == small
