"""Journey (issue 3): from a topic collection campaign to published minutes, in a real browser.

The convener opens this month's campaign; employees raise and support topics from their phones; the
convener screens them and schedules an open meeting; employees register as observers (with a waiting
list); the secretary conducts the meeting (presence, live quorum, check-in, a roll-call vote, minutes);
the convener approves and publishes the minutes; the proposer sees the outcome and an anonymous visitor
reads the decision on the public page, without anyone's name.

Every step a user takes is a click or a keystroke in Chromium; the ORM only builds the world (and one
topic raised before the journey begins). Labels are looked up through gettext, so the selectors keep
working once the zh-Hans translations land.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from govcube.deliberation import services
from govcube.deliberation.models import AgendaItem, Decision, Meeting, Registration, Topic
from tests.e2e.deliberation_world import PHONE, build_committee, field, overflow_px, sign_in, sign_out, zh
from tests.factories import make_world

pytestmark = pytest.mark.e2e

BODY_NAME = "恒隆广场楼宇事务委员会"
TOPIC_TITLE = "午间电梯太挤"
SCRIPT = "<script>alert('xss')</script>"
TOPIC_TEXT = f"午间高峰电梯排队超过十分钟，希望错峰运行。{SCRIPT}谢谢！"
DECLINED_TITLE = "外卖柜不够用"
DECLINE_REASON = "属物业职责，已转物业处理"
PLACE = "恒隆广场党群服务站"
DECISION = "午间电梯分楼层错峰运行"
MINUTES = "讨论了错峰方案，物业下周排出时刻表。"
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def committee(transactional_db):
    # transactional_db: the rows must be committed for the live server's thread to see them.
    c = build_committee(make_world())
    # Raised before the journey begins (a walk-in topic): the convener declines it in step 3.
    services.topic_submit(actor=c.employees[2], body=c.body, title=DECLINED_TITLE, category="环境", text="外卖柜不够")
    return c


@pytest.fixture
def dialogs(page):
    """Every alert/confirm/prompt the pages open (none should): recorded and dismissed."""
    seen: list[str] = []

    def _on_dialog(dialog):
        seen.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", _on_dialog)
    return seen


def desk_panel(page: Page, title: str | re.Pattern):
    """A panel of the desk (core/home.html), found by its heading."""
    return page.locator("section.card").filter(has=page.get_by_role("heading", name=title))


def state_badge(page: Page, state: str):
    return page.locator(f"main h1 .gc-state[data-state='{state}'], main h1 ~ .gc-state[data-state='{state}']")


def this_months_window() -> tuple[datetime, datetime]:
    now = timezone.localtime()
    opens = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_day = calendar.monthrange(now.year, now.month)[1]
    closes = now.replace(day=last_day, hour=23, minute=59, second=0, microsecond=0)
    # On the month's last evening the campaign would close during the journey: give it a week.
    return opens, max(closes, (now + timedelta(days=7)).replace(second=0, microsecond=0))


def meeting_time() -> tuple[datetime, datetime]:
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=2)


def test_from_campaign_to_published_minutes(page, screenshot, dialogs, committee):
    c = committee
    employee_proposer, employee_supporter, employee_declined, employee_observer = c.employees
    member_names = [c.convener.person.name, c.secretary.person.name, c.members[0].person.name]

    # --- 1. The convener opens this month's topic collection campaign ---------------------------
    sign_in(page, c.convener.username)
    desk_panel(page, zh("Open campaigns")).get_by_role("link", name=zh("See all")).click()
    expect(page.locator("h1")).to_have_text(zh("Topic collection campaigns of %(name)s", name=BODY_NAME))
    page.get_by_role("link", name=zh("New campaign")).click()
    opens, closes = this_months_window()
    title = f"{opens:%Y年%m月}议题征集"
    page.get_by_label(field(zh("Title"))).fill(title)
    page.get_by_label(field(zh("Question"))).fill("楼里有什么事情需要楼事会一起协商？")
    page.get_by_label(field(zh("Categories"))).fill("环境、交通")
    page.get_by_label(field(zh("Opens (Beijing time)"))).fill(opens.strftime(LOCAL))
    page.get_by_label(field(zh("Closes (Beijing time)"))).fill(closes.strftime(LOCAL))
    page.get_by_role("button", name=zh("Create the campaign")).click()
    expect(page).to_have_url(re.compile(r"/deliberation/campaigns/\d+/$"))
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("main .gc-state[data-state='open']")).to_be_visible()
    expect(page.locator("main dl")).to_contain_text("环境、交通")
    campaign_url = page.url
    screenshot("step1-campaign-created")

    # --- 2. An employee raises a topic from a phone; a second one supports it --------------------
    sign_in(page, employee_proposer.username, viewport=PHONE)
    page.goto(campaign_url)  # from the campaign poster in the lobby
    page.get_by_role("link", name=zh("Raise a topic")).click()
    page.get_by_label(field(zh("Title"))).fill(TOPIC_TITLE)
    page.get_by_label(field(zh("What is it about?"))).fill(TOPIC_TEXT)
    page.get_by_label(field(zh("Category"))).select_option("交通")
    page.get_by_role("button", name=zh("Submit the topic")).click()
    expect(page).to_have_url(re.compile(r"/deliberation/topics/\d+/$"))
    topic_url = page.url
    expect(page.locator("h1")).to_have_text(TOPIC_TITLE)
    expect(state_badge(page, "submitted")).to_be_visible()
    text = page.locator(".gc-topic-text")
    expect(text).to_contain_text("希望错峰运行")
    # The script did not run and became no element: the form takes plain text, which is escaped
    # (forms_topics.plain_to_html) and sanitised, so the characters typed are shown as inert text.
    expect(text.locator("script")).to_have_count(0)
    assert page.evaluate("() => document.querySelectorAll('main script, main [onerror]').length") == 0
    expect(text).to_contain_text(TOPIC_TEXT)
    assert dialogs == []
    assert overflow_px(page) == 0
    screenshot("step2-topic-raised-phone")

    sign_in(page, employee_supporter.username, viewport=PHONE)
    page.goto(campaign_url)
    page.get_by_role("link", name=zh("See the topics")).click()
    page.get_by_role("link", name=TOPIC_TITLE, exact=True).click()
    box = page.locator("#support-box")
    expect(box.locator("[data-support-count]")).to_have_text("0")
    box.get_by_role("button", name=zh("Support this topic")).click()
    expect(box.locator("[data-support-count]")).to_have_text("1")  # swapped in by htmx
    expect(box).to_contain_text(zh("You support this topic."))
    expect(box.get_by_role("button", name=zh("Withdraw my support"))).to_be_visible()
    screenshot("step2-topic-supported-phone")

    # --- 3. The convener screens: accepts one topic, declines the other with a reason ------------
    sign_in(page, c.convener.username)
    screening = desk_panel(page, re.compile(re.escape(zh("Topics to screen (%(count)s)", count="2"))))
    screening.get_by_role("link", name=TOPIC_TITLE).click()
    expect(page.locator("[data-support-count]")).to_have_text("1")
    page.get_by_role("button", name=zh("Accept"), exact=True).click()
    expect(state_badge(page, "accepted")).to_be_visible()

    page.goto("/")
    desk_panel(page, re.compile(re.escape(zh("Topics to screen (%(count)s)", count="1")))).get_by_role(
        "link", name=DECLINED_TITLE
    ).click()
    page.locator("summary", has_text=zh("Decline")).click()
    decline_form = page.locator("form[action$='/decline/']")
    decline_form.get_by_role("button", name=zh("Decline"), exact=True).click()
    # Without a reason: the form comes back open, the field marked, nothing stored.
    reason = page.locator("#reason-decline")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#reason-decline-error")).to_have_text(zh("This field is required."))
    expect(state_badge(page, "submitted")).to_be_visible()
    screenshot("step3-decline-needs-a-reason")
    reason.fill(DECLINE_REASON)
    decline_form.get_by_role("button", name=zh("Decline"), exact=True).click()
    expect(state_badge(page, "declined")).to_be_visible()

    sign_in(page, employee_declined.username, viewport=PHONE)
    desk_panel(page, zh("My topics")).get_by_role("link", name=DECLINED_TITLE).click()
    expect(state_badge(page, "declined")).to_be_visible()
    expect(page.locator("main")).to_contain_text(DECLINE_REASON)
    assert overflow_px(page) == 0
    screenshot("step3-proposer-reads-the-reason-phone")

    # --- 4. The convener schedules an open meeting with the accepted topic -----------------------
    sign_in(page, c.convener.username)
    desk_panel(page, zh("Upcoming meetings")).get_by_role("link", name=zh("See all")).click()
    page.get_by_role("link", name=zh("Schedule a meeting")).click()
    start, end = meeting_time()
    meeting_title = f"{start:%m月%d日}协商议事会"
    page.get_by_label(field(zh("Title"))).fill(meeting_title)
    page.get_by_label(field(zh("Kind"))).select_option("open")
    page.get_by_label(field(zh("Starts"))).fill(start.strftime(LOCAL))
    page.get_by_label(field(zh("Ends"))).fill(end.strftime(LOCAL))
    page.get_by_label(field(zh("Place"))).fill(PLACE)
    page.get_by_label(field(zh("Open to observers (open attendance)"))).check()
    page.get_by_label(field(zh("Observer seats"))).fill("1")
    page.get_by_role("button", name=zh("Save the draft")).click()
    expect(page).to_have_url(re.compile(r"/deliberation/meetings/\d+/$"))
    meeting_url = page.url
    expect(page.locator("h1")).to_contain_text(meeting_title)
    expect(page.locator("h1 .gc-state[data-state='draft']")).to_be_visible()
    expect(page.locator("header dl")).to_contain_text(PLACE)
    page.get_by_label(field(zh("Accepted topic"))).select_option(label=TOPIC_TITLE)
    page.get_by_role("button", name=zh("Add to the agenda")).click()
    expect(page.locator("#agenda").get_by_role("link", name=TOPIC_TITLE)).to_be_visible()
    page.get_by_role("button", name=zh("Schedule and invite")).click()
    expect(page.locator("h1 .gc-state[data-state='scheduled']")).to_be_visible()
    expect(page.locator("#registration-box .gc-seats")).to_have_text(
        zh("%(left)s / %(total)s seats left", left=1, total=1)
    )
    screenshot("step4-meeting-scheduled")

    # --- 5. Observers register; the waiting list moves up on a cancellation ----------------------
    sign_in(page, employee_observer.username, viewport=PHONE)
    page.goto(topic_url)  # the accepted topic links to its meeting
    page.get_by_role("link", name=meeting_title).click()
    registration = page.locator("#registration-box")
    registration.get_by_role("button", name=zh("Register as an observer")).click()
    expect(registration.locator(".gc-state[data-state='registered']")).to_be_visible()
    expect(registration.locator("strong.font-monospace")).to_have_text(re.compile(r"^\w{4,12}$"))
    expect(registration.locator("svg.gc-qr")).to_be_visible()
    expect(registration.locator(".gc-seats")).to_have_text(zh("%(left)s / %(total)s seats left", left=0, total=1))
    screenshot("step5-registered-with-check-in-code-phone")
    assert overflow_px(page) == 0, "the meeting page is wider than a 390px phone"

    sign_in(page, employee_supporter.username, viewport=PHONE)
    page.goto(meeting_url)
    registration.get_by_role("button", name=zh("Join the waiting list")).click()
    expect(registration.locator(".gc-state[data-state='waiting']")).to_be_visible()
    expect(registration).to_contain_text(zh("On the waiting list, position %(n)s", n=1))
    screenshot("step5-waiting-list-phone")

    sign_in(page, employee_observer.username, viewport=PHONE)
    page.goto(meeting_url)
    registration.get_by_role("button", name=zh("Cancel my registration")).click()
    expect(registration).to_contain_text(zh("Your registration is cancelled."))
    expect(registration.locator(".gc-state")).to_have_count(0)

    sign_in(page, employee_supporter.username, viewport=PHONE)
    desk_panel(page, zh("My registrations")).get_by_role("link", name=meeting_title).click()
    expect(registration.locator(".gc-state[data-state='registered']")).to_be_visible()
    expect(registration.locator("svg.gc-qr")).to_be_visible()
    check_in_code = registration.locator("strong.font-monospace").inner_text().strip()
    screenshot("step5-moved-up-from-the-waiting-list-phone")

    # --- 6. The secretary holds the meeting ------------------------------------------------------
    # MEETING_FLOW allows "start" from scheduled at any time: no need to move the meeting into the past.
    sign_in(page, c.secretary.username)
    desk_panel(page, zh("Upcoming meetings")).get_by_role("link", name=meeting_title).click()
    page.get_by_role("button", name=zh("Start the meeting")).click()
    expect(page).to_have_url(re.compile(r"/deliberation/meetings/\d+/conduct/$"))
    expect(page.locator("h1 .gc-state[data-state='in_progress']")).to_be_visible()
    quorum = page.locator("#quorum-box [role='status']")
    quorum_text = "%(present)s of %(expected)s voting members present — quorum %(needed)s"
    expect(quorum).to_have_text(zh(quorum_text + " not reached", present=0, expected=5, needed=3))
    for name in member_names:
        page.get_by_role("button", name=f"{zh('Absent')} · {name}", exact=True).click()
        expect(page.get_by_role("button", name=f"{zh('Present')} · {name}", exact=True)).to_be_visible()
    expect(quorum).to_have_text(zh(quorum_text + " reached", present=3, expected=5, needed=3))
    expect(quorum).to_have_class(re.compile(r"\btext-success\b"))

    observers = page.locator("#observers")
    observers.get_by_label(field(zh("Check-in code"))).fill(check_in_code)
    observers.get_by_role("button", name=zh("Check in"), exact=True).click()
    expect(observers).to_contain_text(zh("%(name)s is checked in.", name=employee_supporter.person.name))

    item = page.locator("section[id^='item-']").first
    item.locator("summary", has_text=zh("Record a decision")).click()
    item.get_by_label(field(zh("Decision"))).fill(DECISION)
    item.get_by_label(field(zh("Voting method"))).select_option("roll_call")
    item.get_by_role("button", name=zh("Record the decision")).click()
    expect(item.locator(".gc-decision")).to_contain_text(DECISION)
    expect(item.locator(".gc-state-open")).to_have_text(zh("Voting open"))
    for name, choice in zip(member_names, ["For", "For", "Against"], strict=True):
        item.get_by_role("button", name=f"{zh(choice)} · {name}", exact=True).click()
        ballot_row = item.locator("tr").filter(has=page.get_by_role("rowheader", name=name))
        expect(ballot_row.locator(".badge")).to_have_text(zh(choice))
    item.get_by_role("button", name=zh("Close the vote")).click()
    expect(item.locator(".gc-state-passed")).to_have_text(zh("Passed"))
    expect(item).to_contain_text(zh("for %(f)s, against %(a)s, abstain %(x)s", f=2, a=1, x=0))

    item.get_by_label(field(zh("Minutes"))).fill(MINUTES)
    item.get_by_role("button", name=zh("Save the minutes")).click()
    expect(item.get_by_role("status")).to_have_text(zh("The minutes are saved."))
    expect(item.get_by_label(field(zh("Minutes")))).to_have_value(MINUTES)
    screenshot("step6-meeting-conducted")
    page.get_by_role("button", name=zh("End the meeting")).click()
    expect(page).to_have_url(meeting_url)
    expect(page.locator("h1 .gc-state[data-state='ended']")).to_be_visible()

    # --- 7. Minutes approved and published; the proposer and the public see the outcome ---------
    sign_in(page, c.convener.username)
    desk_panel(page, zh("Minutes to approve")).get_by_role("link", name=re.compile(re.escape(TOPIC_TITLE))).click()
    page.get_by_role("button", name=zh("Approve the minutes")).click()
    agenda = page.locator("#agenda")
    expect(agenda.locator(".gc-state[data-state='approved']")).to_be_visible()
    page.get_by_role("button", name=zh("Publish the minutes")).click()
    expect(agenda.locator(".gc-state[data-state='published']")).to_be_visible()
    expect(agenda.locator(".gc-minutes")).to_contain_text(MINUTES)
    screenshot("step7-minutes-published")

    sign_in(page, employee_proposer.username, viewport=PHONE)
    desk_panel(page, zh("My topics")).get_by_role("link", name=TOPIC_TITLE).click()
    expect(state_badge(page, "decided")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"{zh('Decision:')} {DECISION}")
    assert overflow_px(page) == 0
    screenshot("step7-proposer-sees-the-decision-phone")

    sign_out(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))  # the desk asks strangers to sign in
    page.goto("/deliberation/public/")
    page.get_by_role("link", name=BODY_NAME).click()
    expect(page.locator("h1")).to_have_text(BODY_NAME)
    decisions = page.locator("section[aria-labelledby='decisions-h']")
    expect(decisions.get_by_test_id("decision")).to_contain_text(DECISION)
    expect(decisions.get_by_test_id("decision").locator(".badge")).to_have_text(zh("Passed"))
    topics = page.locator("#public-topics")
    expect(topics).to_contain_text(TOPIC_TITLE)
    expect(topics).not_to_contain_text(DECLINED_TITLE)  # declined topics stay private
    public_text = page.locator("body").inner_text()
    leaked = [name for name in c.people_names if name in public_text]
    assert leaked == [], f"names on the public page: {leaked}"
    screenshot("step7-public-page")

    # What the clicks stored (read back once, at the end).
    topic = Topic.objects.get(title=TOPIC_TITLE)
    assert topic.status == "decided" and topic.support_count == 1 and "<script" not in topic.text
    assert Topic.objects.get(title=DECLINED_TITLE).reason == DECLINE_REASON
    meeting = Meeting.objects.get(title=meeting_title)
    assert (meeting.status, meeting.place, meeting.observer_seats) == ("ended", PLACE, 1)
    assert list(Registration.objects.filter(meeting=meeting).values_list("person__name", "status")) in (
        [(employee_observer.person.name, "cancelled"), (employee_supporter.person.name, "registered")],
        [(employee_supporter.person.name, "registered"), (employee_observer.person.name, "cancelled")],
    )
    decision = Decision.objects.get(item__meeting=meeting)
    assert (decision.passed, decision.votes_for, decision.votes_against) == (True, 2, 1)
    assert AgendaItem.objects.get(meeting=meeting).minutes_status == "published"
    assert dialogs == []
