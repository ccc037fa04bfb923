"""The meeting pages: scheduling, open attendance, conducting a meeting, minutes, the .ics feed, desk panels."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from govcube.accounts.models import RoleAssignment
from govcube.accounts.roles import Role
from govcube.bodies.models import BodyKind
from govcube.bodies.services import body_create
from govcube.deliberation import desk_meetings  # noqa: F401  (registers the desk panels)
from govcube.deliberation import services as s
from govcube.deliberation.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationStatus,
    TopicStatus,
    Vote,
    VoteMethod,
)
from govcube.deliberation.views.meetings.feed import ics_escape, ics_fold
from tests.factories import enterprise_in, person_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _meeting(c, soon, *, seats=1, schedule=True, title="十一月协商议事会", days=3) -> Meeting:
    start, end = soon(days=days)
    meeting = s.meeting_create(
        actor=c.convener,
        body=c.body,
        title=title,
        starts_at=start,
        ends_at=end,
        place="恒隆广场党群服务站",
        open_attendance=seats > 0,
        observer_seats=seats,
    )
    if schedule:
        meeting = s.meeting_action(actor=c.convener, meeting=meeting, action="schedule")
    return meeting


def _running(c, soon, *, items=1, seats=1) -> tuple[Meeting, list[AgendaItem]]:
    meeting = _meeting(c, soon, seats=seats)
    agenda = [s.agenda_item_add(actor=c.convener, meeting=meeting, title=f"议程{i}") for i in range(items)]
    meeting = s.meeting_action(actor=c.secretary, meeting=meeting, action="start")
    return meeting, agenda


def _present(c, meeting, *users) -> None:
    for user in users:
        s.attendance_record(actor=c.secretary, meeting=meeting, member=c.member_rows[user.username], present=True)


def _text(response) -> str:
    return response.content.decode()


# --- Scheduling --------------------------------------------------------------------------------


def _form_data(start, end, **extra) -> dict:
    data = {
        "title": "十二月协商议事会",
        "kind": "open",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
        "place": "恒隆广场党群服务站",
        "open_attendance": "on",
        "observer_seats": "20",
        "registration_closes_at": "",
    }
    return data | extra


def test_it_schedules_a_meeting_through_the_form(committee, soon, login):
    c = committee
    start, end = soon(days=5, hour=14)
    url = reverse("deliberation:meeting_create", args=[c.body.pk])
    client = login(c.convener)
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(start, end))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "deliberation:meeting_detail", args=[meeting.pk]
    )
    assert meeting.status == MeetingStatus.DRAFT and meeting.observer_seats == 20 and meeting.open_attendance
    # datetime-local is read as Beijing time: 14:00 in Shanghai is 06:00 UTC
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "14:00"
    assert meeting.starts_at.astimezone(UTC).hour == 6
    assert meeting.registration_closes_at == meeting.starts_at
    assert meeting.attendance.count() == 5
    page = _text(client.get(response["Location"]))
    assert "十二月协商议事会" in page and start.strftime("%Y-%m-%d 14:00") in page and "20 / 20 seats left" in page


def test_a_meeting_in_the_past_is_a_field_error_and_nothing_is_stored(committee, login):
    c = committee
    start = timezone.localtime() - timedelta(days=1)
    url = reverse("deliberation:meeting_create", args=[c.body.pk])
    response = login(c.convener).post(url, _form_data(start, start + timedelta(hours=2)))
    assert response.status_code == 400
    error = re.search(r'id="id_starts_at-error">([^<]*)<', _text(response))
    assert error and "A meeting cannot be scheduled in the past." in error.group(1)
    assert not Meeting.objects.exists()


def test_joint_bodies_are_offered_from_the_bodies_the_user_manages(committee, soon, login, personas, world):
    c = committee
    other = body_create(
        actor=personas.street_njxl, node=world.cluster, name="恒隆楼群联席会议", kind=BodyKind.JOINT_MEETING
    )
    client = login(personas.street_njxl)  # manages both bodies as the street official
    url = reverse("deliberation:meeting_create", args=[c.body.pk])
    assert "恒隆楼群联席会议" in _text(client.get(url))
    start, end = soon()
    response = client.post(url, _form_data(start, end, kind="joint", joint_bodies=[str(other.pk)]))
    assert response.status_code == 302
    assert list(Meeting.objects.get().joint_bodies.all()) == [other]
    assert "恒隆楼群联席会议" not in _text(login(c.convener).get(url))  # the convener manages only the committee


def test_a_member_cannot_schedule_and_an_outsider_cannot_see_the_body(committee, login):
    c = committee
    url = reverse("deliberation:meeting_create", args=[c.body.pk])
    assert login(c.members[0]).get(url).status_code == 403
    assert login(c.outsider).get(url).status_code == 404
    assert login(c.outsider).get(reverse("deliberation:meeting_list", args=[c.body.pk])).status_code == 404


def test_the_list_shows_upcoming_meetings_first_then_past_ones(committee, soon, login):
    c = committee
    upcoming = _meeting(c, soon, seats=20, title="即将召开的会议")
    past_start = timezone.now() - timedelta(days=10)
    Meeting.objects.create(
        body=c.body,
        title="上月的会议",
        starts_at=past_start,
        ends_at=past_start + timedelta(hours=2),
        place="会议室",
        status=MeetingStatus.ENDED,
    )
    draft = _meeting(c, soon, seats=0, schedule=False, title="草稿会议")
    page = _text(login(c.employees[0]).get(reverse("deliberation:meeting_list", args=[c.body.pk])))
    assert page.index(upcoming.title) < page.index("上月的会议")
    assert "20 / 20 seats left" in page and "Scheduled" in page and "Ended" in page
    assert draft.title not in page  # drafts only for those who manage the body
    assert draft.title in _text(login(c.convener).get(reverse("deliberation:meeting_list", args=[c.body.pk])))


# --- Meeting actions and the agenda -------------------------------------------------------------


def test_the_convener_builds_the_agenda_and_schedules_the_meeting(committee, soon, login):
    c = committee
    topic = s.topic_submit(actor=c.employees[0], body=c.body, title="午间电梯太挤", text="希望错峰")
    topic = s.topic_action(actor=c.convener, topic=topic, action="accept")
    meeting = _meeting(c, soon, schedule=False)
    client = login(c.convener)
    page = _text(client.get(reverse("deliberation:meeting_detail", args=[meeting.pk])))
    assert "午间电梯太挤" in page and "Schedule and invite" in page and "Add an agenda item" in page
    add = reverse("deliberation:meeting_agenda_add", args=[meeting.pk])
    assert client.post(add, {"topic": str(topic.pk), "title": "", "minutes_planned": "20"}).status_code == 302
    assert client.post(add, {"topic": "", "title": "其他事项", "minutes_planned": "10"}).status_code == 302
    response = client.post(add, {"topic": "", "title": "", "minutes_planned": "10"})
    assert response.status_code == 400 and "Give the agenda item a title." in _text(response)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.ON_AGENDA
    assert list(meeting.items.values_list("title", "minutes_planned")) == [("午间电梯太挤", 20), ("其他事项", 10)]
    response = client.post(
        reverse("deliberation:meeting_action", args=[meeting.pk, "schedule"]), {"version": meeting.version}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    page = _text(client.get(reverse("deliberation:meeting_detail", args=[meeting.pk])))
    assert "1. " in page and "20 min" in page and "Start the meeting" in page


def test_a_member_cannot_change_the_meeting(committee, soon, login):
    c = committee
    meeting = _meeting(c, soon)
    client = login(c.members[0])
    response = client.post(
        reverse("deliberation:meeting_action", args=[meeting.pk, "cancel"]), {"version": meeting.version}
    )
    assert response.status_code == 403 and "You do not have permission to do this." in _text(response)
    add = reverse("deliberation:meeting_agenda_add", args=[meeting.pk])
    assert client.post(add, {"title": "x", "minutes_planned": "5"}).status_code == 403
    assert client.get(reverse("deliberation:meeting_conduct", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and not meeting.items.exists()


def test_a_stale_action_is_refused(committee, soon, login):
    c = committee
    meeting = _meeting(c, soon)
    response = login(c.secretary).post(
        reverse("deliberation:meeting_action", args=[meeting.pk, "start"]), {"version": meeting.version - 1}
    )
    assert response.status_code == 409 and "This record was changed by someone else" in _text(response)


# --- Open attendance ----------------------------------------------------------------------------


def test_register_and_cancel_move_the_waiting_list_up(committee, soon, login, client):
    c = committee
    meeting = _meeting(c, soon, seats=1)
    first, second = c.employees[0], c.employees[1]
    register = reverse("deliberation:meeting_register", args=[meeting.pk])
    detail = reverse("deliberation:meeting_detail", args=[meeting.pk])

    page = _text(login(first).get(detail))
    assert "1 / 1 seats left" in page and "Register as an observer" in page
    assert login(first).post(register).status_code == 302
    code = Registration.objects.get(person=first.person).check_in_code
    page = _text(login(first).get(detail))
    assert f'Registered, your check-in code is <strong class="font-monospace">{code}</strong>' in page
    assert "<svg" in page and 'class="gc-qr"' in page and f"Check-in code {code}" in page
    assert "0 / 1 seats left" in page

    response = login(second).post(register, **HTMX)
    assert response.status_code == 200 and 'id="registration-box"' in _text(response)
    assert "<html" not in _text(response)
    assert "On the waiting list, position 1" in _text(response)

    response = login(first).post(reverse("deliberation:meeting_unregister", args=[meeting.pk]), **HTMX)
    assert "Your registration is cancelled." in _text(response) and "Register as an observer" not in _text(response)
    promoted = Registration.objects.get(person=second.person)
    assert promoted.status == RegistrationStatus.REGISTERED
    page = _text(login(second).get(detail))
    assert f"{promoted.check_in_code}</strong>" in page and "0 / 1 seats left" in page


def test_cancelling_without_a_registration_is_refused(committee, soon, login):
    c = committee
    meeting = _meeting(c, soon)
    response = login(c.employees[0]).post(reverse("deliberation:meeting_unregister", args=[meeting.pk]))
    assert response.status_code == 409 and "You are not registered for this meeting." in _text(response)


def test_the_outsider_cannot_register_and_is_told_why(committee, soon, login, world):
    c = committee
    meeting = _meeting(c, soon)
    register = reverse("deliberation:meeting_register", args=[meeting.pk])
    # Without a role the outsider does not even see the meeting.
    assert login(c.outsider).get(reverse("deliberation:meeting_detail", args=[meeting.pk])).status_code == 404
    assert login(c.outsider).post(register).status_code == 404
    # As a liaison cadre over the cluster they see it, but they do not work in a covered building.
    RoleAssignment.objects.create(user=c.outsider, role=Role.LIAISON_CADRE, node=world.cluster)
    page = _text(login(c.outsider).get(reverse("deliberation:meeting_detail", args=[meeting.pk])))
    assert "Register as an observer" not in page
    response = login(c.outsider).post(register)
    assert response.status_code == 403
    assert "Only people working in the buildings this body covers can observe." in _text(response)
    response = login(c.outsider).post(register, **HTMX)
    assert "Only people working in the buildings this body covers can observe." in _text(response)
    assert not Registration.objects.exists()


def test_another_streets_meeting_is_404(committee, soon, login, personas, world):
    other = body_create(
        actor=personas.street_jas,
        node=world.street_b,
        name="静安寺楼宇事务委员会",
        kind=BodyKind.BUILDING_COMMITTEE,
        buildings=[world.jas_building],
    )
    start, end = soon()
    meeting = s.meeting_create(
        actor=personas.street_jas, body=other, title="静安寺会议", starts_at=start, ends_at=end, place="x"
    )
    meeting = s.meeting_action(actor=personas.street_jas, meeting=meeting, action="schedule")
    for user in (committee.employees[0], personas.street_njxl, committee.convener):
        client = login(user)
        assert client.get(reverse("deliberation:meeting_detail", args=[meeting.pk])).status_code == 404
        assert client.post(reverse("deliberation:meeting_register", args=[meeting.pk])).status_code == 404
        assert client.get(reverse("deliberation:meeting_feed", args=[other.pk])).status_code == 404
        assert client.get(reverse("deliberation:meeting_list", args=[other.pk])).status_code == 404
    assert login(personas.street_jas).get(reverse("deliberation:meeting_detail", args=[meeting.pk])).status_code == 200


def test_recorders_see_the_registrations_in_order_and_check_observers_in(committee, soon, login):
    c = committee
    meeting = _meeting(c, soon, seats=1)
    r1 = s.registration_create(actor=c.employees[0], meeting=meeting)
    s.registration_create(actor=c.employees[1], meeting=meeting)
    s.registration_create(actor=c.employees[2], meeting=meeting)
    page = _text(login(c.secretary).get(reverse("deliberation:meeting_detail", args=[meeting.pk])))
    assert page.index("白领0") < page.index("Waiting list") < page.index("白领1") < page.index("白领2")
    assert "白领1" not in _text(login(c.members[0]).get(reverse("deliberation:meeting_detail", args=[meeting.pk])))
    check_in = reverse("deliberation:meeting_check_in", args=[meeting.pk])
    response = login(c.secretary).post(check_in, {"code": "NOPE"}, **HTMX)
    assert "No registered observer has this check-in code." in _text(response)
    response = login(c.secretary).post(check_in, {"code": r1.check_in_code.lower()}, **HTMX)
    assert "白领0 is checked in." in _text(response) and "1 registered, 1 checked in, 2 waiting" in _text(response)
    assert login(c.members[0]).post(check_in, {"code": r1.check_in_code}).status_code == 403


# --- Conducting the meeting ---------------------------------------------------------------------


def test_presence_toggles_change_the_quorum_box(committee, soon, login):
    c = committee
    meeting, _ = _running(c, soon)
    client = login(c.secretary)
    page = _text(client.get(reverse("deliberation:meeting_conduct", args=[meeting.pk])))
    assert "0 of 5 voting members present — quorum 3 not reached" in page
    assert 'hx-trigger="every 10s"' in page
    presence = reverse("deliberation:meeting_presence", args=[meeting.pk])
    for user in (c.convener, c.secretary):
        response = client.post(presence, {"member": c.member_rows[user.username].pk, "present": "1"}, **HTMX)
    assert "2 of 5 voting members present — quorum 3 not reached" in _text(response)
    response = client.post(presence, {"member": c.member_rows[c.members[0].username].pk, "present": "1"}, **HTMX)
    body = _text(response)
    assert "3 of 5 voting members present — quorum 3 reached" in body and 'hx-swap-oob="true"' in body
    assert 'aria-pressed="true"' in body
    response = client.post(presence, {"member": c.member_rows[c.members[0].username].pk, "present": "0"})
    assert response.status_code == 302
    quorum = client.get(reverse("deliberation:meeting_quorum", args=[meeting.pk]), **HTMX)
    assert "2 of 5 voting members present — quorum 3 not reached" in _text(quorum)
    assert (
        login(c.members[1])
        .post(presence, {"member": c.member_rows[c.members[1].username].pk, "present": "1"})
        .status_code
        == 403
    )


def test_presence_before_the_meeting_starts_is_refused(committee, soon, login):
    c = committee
    meeting = _meeting(c, soon)
    response = login(c.secretary).post(
        reverse("deliberation:meeting_presence", args=[meeting.pk]),
        {"member": c.member_rows[c.convener.username].pk, "present": "1"},
    )
    assert response.status_code == 409 and "Presence is recorded while the meeting is in progress." in _text(response)


def test_a_decision_without_quorum_shows_the_no_quorum_message(committee, soon, login):
    c = committee
    meeting, (item,) = _running(c, soon)
    url = reverse("deliberation:meeting_decision_record", args=[item.pk])
    data = {
        f"item{item.pk}-text": "错峰运行",
        f"item{item.pk}-method": "show_of_hands",
        f"item{item.pk}-votes_for": "1",
    }
    response = login(c.secretary).post(url, data)
    assert response.status_code == 409
    assert "No quorum: 0 of 5 voting members are present, 3 are needed." in _text(response)
    response = login(c.secretary).post(url, data, **HTMX)
    assert "No quorum" in _text(response) and 'id="item-' in _text(response)
    assert not Decision.objects.exists()


def test_a_show_of_hands_is_recorded_with_its_tally(committee, soon, login):
    c = committee
    meeting, (item,) = _running(c, soon)
    _present(c, meeting, c.convener, c.secretary, c.members[0])
    url = reverse("deliberation:meeting_decision_record", args=[item.pk])
    p = f"item{item.pk}-"
    response = login(c.secretary).post(
        url, {p + "text": "错峰", p + "method": "show_of_hands", p + "votes_for": "9"}, **HTMX
    )
    assert "The votes cannot add up to more than the 3 voting members present." in _text(response)
    response = login(c.secretary).post(
        url, {p + "text": "错峰", p + "method": "show_of_hands", p + "votes_for": "2", p + "votes_against": "1"}, **HTMX
    )
    body = _text(response)
    assert "The decision is recorded." in body and "Passed" in body and "for 2, against 1, abstain 0" in body


def test_roll_call_vote_once_then_close_and_it_passed(committee, soon, login):
    c = committee
    meeting, (item,) = _running(c, soon)
    _present(c, meeting, c.convener, c.secretary, c.members[0])
    client = login(c.secretary)
    p = f"item{item.pk}-"
    client.post(
        reverse("deliberation:meeting_decision_record", args=[item.pk]),
        {p + "text": "午间电梯分楼层错峰运行", p + "method": VoteMethod.ROLL_CALL},
    )
    decision = Decision.objects.get()
    vote = reverse("deliberation:meeting_vote", args=[decision.pk])
    page = _text(client.get(reverse("deliberation:meeting_conduct", args=[meeting.pk])))
    assert "Roll call" in page and "Close the vote" in page
    response = client.post(vote, {"member": c.member_rows[c.convener.username].pk, "choice": "for"}, **HTMX)
    assert "The vote is recorded." in _text(response)
    response = client.post(vote, {"member": c.member_rows[c.convener.username].pk, "choice": "against"}, **HTMX)
    assert "This member has already voted." in _text(response)
    response = client.post(vote, {"member": c.member_rows[c.members[1].username].pk, "choice": "for"})
    assert response.status_code == 409 and "Only members recorded as present can vote." in _text(response)
    client.post(vote, {"member": c.member_rows[c.secretary.username].pk, "choice": "for"}, **HTMX)
    client.post(vote, {"member": c.member_rows[c.members[0].username].pk, "choice": "against"}, **HTMX)
    assert Vote.objects.filter(decision=decision).count() == 3
    response = client.post(reverse("deliberation:meeting_decision_close", args=[decision.pk]), **HTMX)
    body = _text(response)
    assert "The vote is closed: passed." in body and 'text-bg-success">Passed<' in body
    assert "for 2, against 1, abstain 0" in body
    response = client.post(vote, {"member": c.member_rows[c.members[0].username].pk, "choice": "for"}, **HTMX)
    assert "This decision is not open for a roll-call vote." in _text(response)
    response = client.post(
        reverse("deliberation:meeting_follow_up", args=[decision.pk]),
        {f"decision{decision.pk}-kind": "project", f"decision{decision.pk}-description": "物业排出错峰时刻表"},
        **HTMX,
    )
    assert "The follow-up is noted." in _text(response) and "物业排出错峰时刻表" in _text(response)


def test_stale_minutes_keep_the_users_text(committee, soon, login):
    c = committee
    meeting, (item,) = _running(c, soon)
    old_version = item.version
    s.minutes_save(actor=c.convener, item=item, minutes="召集人的版本", version=old_version)
    url = reverse("deliberation:meeting_minutes_save", args=[item.pk])
    p = f"item{item.pk}-"
    response = login(c.secretary).post(url, {p + "minutes": "秘书的详细记录", p + "version": old_version})
    body = _text(response)
    assert response.status_code == 409
    assert "This record was changed by someone else" in body
    assert re.search(r"<textarea[^>]*>\s*秘书的详细记录</textarea>", body)
    assert "召集人的版本" in body  # the other change is shown beside it
    item.refresh_from_db()
    assert item.minutes == "召集人的版本"
    response = login(c.secretary).post(url, {p + "minutes": "秘书的详细记录", p + "version": old_version}, **HTMX)
    assert response.status_code == 200 and re.search(r"<textarea[^>]*>\s*秘书的详细记录</textarea>", _text(response))
    # Saving again with the version the page now carries goes through.
    response = login(c.secretary).post(url, {p + "minutes": "秘书的详细记录", p + "version": item.version}, **HTMX)
    assert "The minutes are saved." in _text(response)
    item.refresh_from_db()
    assert item.minutes == "秘书的详细记录"
    response = login(c.secretary).post(url, {p + "minutes": "没有版本"})
    assert response.status_code == 409


def test_approve_then_publish_minutes_and_an_employee_sees_them(committee, soon, login):
    c = committee
    meeting, (item,) = _running(c, soon)
    s.minutes_save(actor=c.secretary, item=item, minutes="<p>讨论了错峰方案。</p>", version=item.version)
    s.meeting_action(actor=c.secretary, meeting=meeting, action="end")
    detail = reverse("deliberation:meeting_detail", args=[meeting.pk])
    employee = c.employees[0]
    assert "讨论了错峰方案" not in _text(login(employee).get(detail))
    item.refresh_from_db()
    approve = reverse("deliberation:meeting_minutes_action", args=[item.pk, "approve"])
    response = login(employee).post(approve, {"version": item.version})
    assert response.status_code == 403
    page = _text(login(c.convener).get(detail))
    assert "Approve the minutes" in page and "讨论了错峰方案" in page
    assert login(c.convener).post(approve, {"version": item.version}).status_code == 302
    item.refresh_from_db()
    assert item.minutes_status == AgendaItem.MinutesStatus.APPROVED
    assert "讨论了错峰方案" not in _text(login(employee).get(detail))
    publish = reverse("deliberation:meeting_minutes_action", args=[item.pk, "publish"])
    assert login(c.convener).post(publish, {"version": item.version}).status_code == 302
    page = _text(login(employee).get(detail))
    assert "<p>讨论了错峰方案。</p>" in page and "Published" in page and "Publish the minutes" not in page


# --- The iCalendar feed -------------------------------------------------------------------------


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_the_ics_feed_is_valid_rfc5545(committee, soon, login, client):
    c = committee
    long_title = "恒隆广场楼宇事务委员会十一月协商议事会：电梯错峰, 外卖柜; 以及\\其他事项" * 2
    meeting = _meeting(c, soon, title=long_title[:200])
    cancelled = _meeting(c, soon, title="取消的会议", days=4)
    s.meeting_action(actor=c.convener, meeting=cancelled, action="cancel")
    draft = _meeting(c, soon, title="草稿会议", schedule=False)
    url = reverse("deliberation:meeting_feed", args=[c.body.pk])
    assert client.get(url).status_code == 302  # login first
    response = login(c.employees[0]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    physical = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    assert any(line.startswith(b" ") for line in physical)  # the long title was folded
    lines = _unfold(raw.decode("utf-8"))[:-1]
    stack = []
    for line in lines:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
        elif name == "END":
            assert stack.pop() == value
    assert stack == []
    assert lines[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in lines and any(x.startswith("PRODID:") for x in lines)
    assert f"X-WR-CALNAME:{c.body.name}" in lines
    assert lines.count("BEGIN:VEVENT") == 2
    assert f"UID:meeting-{meeting.pk}@govcube" in lines and f"UID:meeting-{draft.pk}@govcube" not in lines
    summary = next(x for x in lines if x.startswith("SUMMARY:") and "电梯错峰" in x)
    assert "错峰\\, 外卖柜\\; 以及\\\\其他事项" in summary
    dtstart = next(x for x in lines if x.startswith("DTSTART:"))
    assert re.fullmatch(r"DTSTART:\d{8}T\d{6}Z", dtstart)
    cancelled_event = "\r\n".join(lines).split(f"UID:meeting-{cancelled.pk}@govcube")[1].split("END:VEVENT")[0]
    assert "STATUS:CANCELLED" in cancelled_event
    assert f"/deliberation/meetings/{meeting.pk}/" in "\n".join(lines)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_ics_folding_and_escaping_round_trip(text):
    folded = ics_fold("SUMMARY:" + ics_escape(text))
    assert all(len(line.encode("utf-8")) <= 75 for line in folded.split("\r\n"))
    value = folded.replace("\r\n ", "")[len("SUMMARY:") :]
    assert "\n" not in value and "\r" not in value
    unescaped = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value)
    expected = "".join(ch for ch in text.replace("\r\n", "\n").replace("\r", "\n") if ch >= " " or ch in "\t\n")
    assert unescaped == expected


# --- Desk panels --------------------------------------------------------------------------------


def test_desk_panels_for_members_observers_and_conveners(committee, soon, login):
    c = committee
    meeting = _meeting(c, soon, title="下周的协商议事会")
    s.registration_create(actor=c.employees[0], meeting=meeting)
    ended, (item,) = _running(c, soon, seats=0)
    s.meeting_action(actor=c.secretary, meeting=ended, action="end")
    home = reverse("core:home")
    member_desk = _text(login(c.members[0]).get(home))
    assert "Upcoming meetings" in member_desk and "下周的协商议事会" in member_desk
    assert "Minutes to approve" not in member_desk
    observer_desk = _text(login(c.employees[0]).get(home))
    assert "My registrations" in observer_desk and "下周的协商议事会" in observer_desk
    assert "Upcoming meetings" not in observer_desk
    convener_desk = _text(login(c.convener).get(home))
    assert "Minutes to approve" in convener_desk and f"#item-{item.pk}" in convener_desk


# --- Query counts -------------------------------------------------------------------------------


def _count(client, url, count_queries, **extra) -> int:
    client.get(url, **extra)
    with count_queries() as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _covered_people(world, n: int, prefix: str) -> list:
    ent = enterprise_in(world.henglong)
    return [person_user(f"{prefix}{i}", ent, f"观察员{prefix}{i}") for i in range(n)]


def test_meeting_list_query_count_does_not_grow(committee, soon, login, count_queries):
    c = committee

    def past(i):
        start = timezone.now() - timedelta(days=20 + i)
        Meeting.objects.create(
            body=c.body,
            title=f"旧会议{i}",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            place="x",
            status=MeetingStatus.ENDED,
        )

    _meeting(c, soon, seats=5)
    past(0)
    client = login(c.convener)
    url = reverse("deliberation:meeting_list", args=[c.body.pk])
    small = _count(client, url, count_queries)
    for i in range(1, 11):
        _meeting(c, soon, seats=5, title=f"会议{i}", days=4 + i)
        past(i)
    assert _count(client, url, count_queries) == small


def test_meeting_page_query_count_does_not_grow_with_items_and_registrations(
    committee, soon, login, count_queries, world
):
    c = committee
    meeting = _meeting(c, soon, seats=40, schedule=False)
    for i in range(3):
        s.agenda_item_add(actor=c.convener, meeting=meeting, title=f"议程{i}")
    meeting = s.meeting_action(actor=c.convener, meeting=meeting, action="schedule")
    for user in _covered_people(world, 2, "a"):
        s.registration_create(actor=user, meeting=meeting)
    observer = c.employees[0]
    s.registration_create(actor=observer, meeting=meeting)
    url = reverse("deliberation:meeting_detail", args=[meeting.pk])
    small = {user.username: _count(login(user), url, count_queries) for user in (c.convener, c.secretary, observer)}
    for i in range(12):
        s.agenda_item_add(actor=c.convener, meeting=meeting, title=f"更多议程{i}")
    for user in _covered_people(world, 15, "b"):
        s.registration_create(actor=user, meeting=meeting)
    large = {user.username: _count(login(user), url, count_queries) for user in (c.convener, c.secretary, observer)}
    assert large == small


def test_ended_meeting_page_query_count_does_not_grow_with_decisions(committee, soon, login, count_queries):
    c = committee

    def meeting_with(n):
        meeting, items = _running(c, soon, items=n)
        _present(c, meeting, c.convener, c.secretary, c.members[0])
        for item in items:
            d = s.decision_record(actor=c.secretary, item=item, text="决定", method="show_of_hands", votes_for=3)
            s.follow_up_add(actor=c.secretary, decision=d, kind="task", description="跟进")
        return s.meeting_action(actor=c.secretary, meeting=meeting, action="end")

    small_meeting, large_meeting = meeting_with(3), meeting_with(15)
    client = login(c.convener)
    small = _count(client, reverse("deliberation:meeting_detail", args=[small_meeting.pk]), count_queries)
    large = _count(client, reverse("deliberation:meeting_detail", args=[large_meeting.pk]), count_queries)
    assert large == small


def test_conduct_page_query_count_does_not_grow(committee, soon, login, count_queries, world):
    c = committee

    def meeting_with(n):
        meeting, items = _running(c, soon, items=n, seats=30)
        _present(c, meeting, c.convener, c.secretary, c.members[0])
        for item in items:
            d = s.decision_record(actor=c.secretary, item=item, text="唱名表决", method="roll_call")
            s.vote_cast(actor=c.secretary, decision=d, member=c.member_rows[c.convener.username], choice="for")
        return meeting

    small_meeting = meeting_with(3)
    large_meeting = meeting_with(15)
    client = login(c.secretary)
    small = _count(client, reverse("deliberation:meeting_conduct", args=[small_meeting.pk]), count_queries)
    large = _count(client, reverse("deliberation:meeting_conduct", args=[large_meeting.pk]), count_queries)
    assert large == small


def test_desk_query_count_does_not_grow(committee, soon, login, count_queries):
    c = committee
    _meeting(c, soon)
    client = login(c.convener)
    url = reverse("core:home")
    small = _count(client, url, count_queries)
    for i in range(8):
        _meeting(c, soon, title=f"会议{i}", days=4 + i)
        ended, _ = _running(c, soon, items=2, seats=0)
        s.meeting_action(actor=c.secretary, meeting=ended, action="end")
    assert _count(client, url, count_queries) == small


def test_the_feed_link_carries_a_personal_token_calendar_apps_can_use(client, committee, soon):
    from django.urls import reverse

    from govcube.deliberation import services as dservices

    start, end = soon()
    meeting = dservices.meeting_create(
        actor=committee.convener, body=committee.body, title="带令牌的会议", starts_at=start, ends_at=end, place="x"
    )
    dservices.meeting_action(actor=committee.convener, meeting=meeting, action="schedule")
    client.force_login(committee.members[0])
    page = client.get(reverse("deliberation:meeting_list", args=[committee.body.pk])).content.decode()
    href = re.search(r'href="([^"]+meetings\.ics\?token=[^"]+)"', page).group(1).replace("&amp;", "&")
    client.logout()
    feed = client.get(href)
    assert feed.status_code == 200 and f"meeting-{meeting.pk}@govcube" in feed.content.decode()
    assert client.get(href[:-3] + "xyz").status_code == 404  # a forged token
    assert (
        client.get(reverse("deliberation:meeting_feed", args=[committee.body.pk])).status_code == 302
    )  # no token, no session
    committee.members[0].is_active = False
    committee.members[0].save(update_fields=["is_active"])
    assert client.get(href).status_code == 404  # a deactivated account's link stops working
