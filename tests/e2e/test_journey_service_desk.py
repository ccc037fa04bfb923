"""Journeys (issue 5): the chief service team's one-stop desk, in a real browser.

1. The Bohua Building story: an enterprise contact files a foreign-talent work-permit request from a phone;
   the HR bureau's member on the building's rota accepts it, asks for a missing document (the resolution
   clock pauses), the contact replies (the clock runs again), the member resolves it (not without an
   answer), the contact rates it "dissatisfied", the team lead records a review of the low rating, and the
   contact reopens the request within the 7 days.
2. A group service day: the team lead plans an afternoon in Bohua Building with two departments; two
   enterprises book from their phones (the second is told the slot it picked is full and books another);
   on the day, the HR member checks the first enterprise in and files the request taken on the spot.

Every step a user takes is a click or a keystroke in Chromium; the ORM builds the world and, in journey 2,
moves the service day to today (the afternoon has come). Labels are looked up through gettext (zh-Hans).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from govcube.services.models import Booking, Channel, Rating, RequestStatus, ServiceDay, ServiceRequest
from tests.e2e.deliberation_world import PHONE, field, overflow_px, sign_in, zh
from tests.e2e.service_world import (
    BOHUA,
    build_service_world,
    desk_panel,
    move_day_to_now,
    new_device,
    open_nav,
    zh_pattern,
)
from tests.factories import make_world

pytestmark = pytest.mark.e2e

ITEM = "外国人来华工作许可"
TITLE = "外籍工程师工作许可咨询"
DESCRIPTION = "我司新聘一名德国籍工程师，下月入职，想了解办理工作许可需要哪些材料、多久能办好。"
QUESTION = "请补充上传该工程师的学历认证报告（需经公证）。"
REPLY = "学历认证报告已上传，请查收。"
ANSWER = "材料齐全，已在系统提交工作许可申请，预计5个工作日内出证，出证后短信通知。"
RATING_COMMENT = "等了很久才有人联系，证件信息还有误。"
REVIEW_NOTE = "已约谈承办人，明确首次联系时限；证件信息已联系企业更正。"
REOPEN_REASON = "许可证上的护照号码有误，需要更正。"

DAY_TITLE = "博华大厦团体式服务日"
DAY_PLACE = "博华大厦3楼党群服务站"
TOPIC_1 = "外籍员工工作许可续期"
TOPIC_2 = "应届生落户政策"
SPOT_DESCRIPTION = "企业现场咨询外籍员工工作许可续期，需在到期前30日内提交。"
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def sw(transactional_db):
    # transactional_db: the rows must be committed for the live server's thread to see them.
    return build_service_world(make_world())


@pytest.fixture
def second_phone(browser, live_server):
    """The other enterprise's contact, on their own phone at the same time."""
    errors: list[str] = []
    tab = new_device(browser, live_server.url, PHONE, errors)
    try:
        yield tab
    finally:
        tab.context.close()
    if errors:
        pytest.fail("the server answered with an error: " + "; ".join(errors), pytrace=False)


@pytest.fixture
def shot(screenshot):
    """``shot("label")`` photographs the main page; ``shot("label", device)`` another device, same numbering."""

    def _take(label: str, device: Page | None = None):
        path = screenshot(label)
        if device is not None:
            device.screenshot(path=str(path), full_page=True)
        return path

    return _take


def status_badge(page: Page):
    return page.locator("main [data-status]").first


def header_clock(page: Page):
    """The resolution clock beside the request's title."""
    return page.locator("main h1 ~ [data-clock='resolution']")


def clocks_card(page: Page):
    return page.locator("section.card").filter(has=page.get_by_role("heading", name=zh("Clocks")))


def assert_fits_the_phone(page: Page) -> None:
    assert overflow_px(page) == 0, f"{page.url} is wider than a {PHONE['width']}px phone"


def test_the_bohua_building_story(page, shot, sw):
    left = zh_pattern("%(time)s left")
    sla = zh("First response within %(hours)s working hours, resolved within %(days)s working days", hours="4", days=5)

    # --- 1. The contact files a request from the phone ---------------------------------------------
    sign_in(page, sw.contact.username, viewport=PHONE)
    open_nav(page, "/services/catalogue/")
    expect(page.locator("h1")).to_have_text(zh("Service catalogue"))
    card = page.locator("article[data-item='talent.work_permit']")
    expect(card).to_contain_text(ITEM)
    expect(card).to_contain_text(sw.hr.name)
    expect(card.locator("[data-sla]")).to_contain_text(sla)
    expect(card).to_contain_text("学历证明")
    assert_fits_the_phone(page)
    shot("step1-service-desk-phone")

    page.locator("main").get_by_role("link", name=zh("My requests")).click()
    expect(page.locator("h1")).to_have_text(zh("My requests"))
    expect(page.locator("main")).to_contain_text(zh("No requests yet."))
    page.get_by_role("link", name=zh("New request")).click()
    expect(page.locator("h1")).to_have_text(zh("Ask the chief service team"))
    expect(page.locator("[data-enterprise]")).to_have_text(sw.enterprise.name)
    page.get_by_role("link", name=re.compile("^" + re.escape(zh("Talent services")))).click()
    choice = page.locator("main .list-group a").filter(has_text=ITEM)
    expect(choice).to_contain_text(sw.hr.name)  # the department and the service levels, before choosing
    expect(choice).to_contain_text(sla)
    assert_fits_the_phone(page)
    shot("step1-choose-the-service-phone")
    choice.click()

    service = page.locator("main section.card")
    expect(service.locator("h2")).to_have_text(ITEM)
    handled_by = service.locator("dt", has_text=zh("Handled by")).locator("xpath=following-sibling::dd[1]")
    expect(handled_by).to_have_text(sw.hr.name)
    expect(service.locator("[data-sla]")).to_have_text(sla)
    expect(service.locator("ul li")).to_have_text(["护照", "学历证明", "劳动合同"])
    expect(page.get_by_label(field(zh("Building")))).to_have_value(str(sw.bohua.pk))
    page.get_by_label(field(zh("What do you need, in a few words"))).fill(TITLE)
    page.get_by_label(field(zh("Describe your request"))).fill(DESCRIPTION)
    assert_fits_the_phone(page)
    shot("step1-request-form-phone")
    page.get_by_role("button", name=zh("Send the request")).click()

    expect(page).to_have_url(re.compile(r"/services/requests/\d+/$"))
    request_url = page.url
    number = ServiceRequest.objects.get(title=TITLE).number
    expect(page.get_by_role("status").first).to_have_text(zh("Request %(number)s filed.", number=number))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(status_badge(page)).to_have_attribute("data-status", "assigned")  # routed to the rota's member
    expect(page.locator("main")).to_contain_text(sw.hr.name)

    page.locator("ol.breadcrumb").get_by_role("link", name=zh("My requests")).click()
    row = page.locator("main a[data-request]").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row.locator("[data-status]")).to_have_text(zh("Assigned"))
    expect(row).to_contain_text(f"{number} · {ITEM} · {BOHUA}")
    expect(row.locator("[data-clock='resolution']")).to_have_attribute("data-tone", "ok")
    expect(row.locator("[data-clock='resolution']")).to_have_text(left)
    assert_fits_the_phone(page)
    shot("step1-my-requests-phone")

    # --- 2. The HR member: desk, queue, accept, ask for a document (the clock pauses) -------------
    sign_in(page, sw.hr_member.username)
    mine = desk_panel(page, zh("My open requests (%(count)s)", count="1"))
    expect(mine.get_by_role("link", name=re.compile(re.escape(TITLE)))).to_be_visible()
    shot("step2-member-desk")
    mine.get_by_role("link", name=zh("See all")).click()
    expect(page.locator("h1")).to_have_text(zh("My queue"))
    queue_row = page.locator("tr[data-request]").filter(has_text=TITLE)
    expect(queue_row).to_contain_text(sw.enterprise.name)
    expect(queue_row.locator("[data-clock='first_response']")).to_have_attribute("data-tone", "ok")
    expect(queue_row.locator("[data-clock='first_response']")).to_have_text(left)
    expect(queue_row.locator("[data-clock='resolution']")).to_have_text(left)
    shot("step2-member-queue")
    queue_row.get_by_role("link", name=number).click()

    expect(page).to_have_url(request_url)
    clocks = clocks_card(page)
    expect(clocks.locator("[data-clock='first_response']")).to_have_text(left)
    expect(clocks.locator("[data-clock='resolution']")).to_have_attribute("data-tone", "ok")
    page.locator("form[data-action='accept']").get_by_role("button", name=zh("Accept")).click()
    expect(status_badge(page)).to_have_attribute("data-status", "in_progress")
    expect(clocks.locator("[data-clock='update']")).to_have_text(left)
    shot("step2-accepted")

    ask = page.locator("details[data-action='ask']")
    ask.locator("summary").click()
    ask.get_by_label(field(zh("What the enterprise should send or answer"))).fill(QUESTION)
    ask.locator("form").get_by_role("button", name=zh("Ask the enterprise")).click()
    expect(status_badge(page)).to_have_attribute("data-status", "waiting")
    expect(header_clock(page)).to_have_attribute("data-tone", "paused")
    expect(header_clock(page)).to_have_text(zh_pattern("paused · %(left)s"))
    expect(clocks.locator("[data-clock='resolution']")).to_have_attribute("data-tone", "paused")
    expect(clocks.locator("[data-clock='update']")).to_have_text(zh("paused"))
    expect(clocks.locator("[data-clock='first_response']")).to_have_attribute("data-tone", "met")
    expect(page.locator("[data-timeline]")).to_contain_text(zh("Asked the enterprise; the clock is paused"))
    shot("step2-asked-clock-paused")

    # --- 3. The contact answers from the phone: the clock runs again ------------------------------
    sign_in(page, sw.contact.username, viewport=PHONE)
    desk_panel(page, zh("My requests")).get_by_role("link", name=re.compile(re.escape(TITLE))).click()
    expect(status_badge(page)).to_have_attribute("data-status", "waiting")
    expect(page.locator("main .alert-info")).to_have_text(
        zh("The service team is waiting for your answer. Reply below: the clock runs again as soon as you do.")
    )
    expect(page.locator("[data-timeline] [data-kind='message']")).to_contain_text(QUESTION)
    expect(header_clock(page)).to_have_attribute("data-tone", "paused")
    assert_fits_the_phone(page)
    shot("step3-question-phone")
    page.get_by_label(field(zh("Your reply"))).fill(REPLY)
    page.get_by_role("button", name=zh("Send"), exact=True).click()
    expect(page.get_by_role("status").first).to_have_text(zh("Message sent."))
    expect(status_badge(page)).to_have_attribute("data-status", "in_progress")
    expect(header_clock(page)).to_have_attribute("data-tone", "ok")
    expect(header_clock(page)).to_have_text(left)
    expect(page.locator("[data-timeline] [data-kind='enterprise']")).to_contain_text(REPLY)
    expect(page.locator("[data-timeline]")).to_contain_text(zh("The clock runs again"))
    assert_fits_the_phone(page)
    shot("step3-replied-clock-runs-phone")

    # --- 4. The member resolves it: not without an answer -----------------------------------------
    sign_in(page, sw.hr_member.username)
    page.goto(request_url)  # from the notification of the enterprise's reply
    expect(clocks.locator("[data-clock='resolution']")).to_have_attribute("data-tone", "ok")
    resolve = page.locator("details[data-action='resolve']")
    resolve.locator("summary").click()
    resolve.locator("form").get_by_role("button", name=zh("Resolve")).click()
    answer = page.locator("#id_resolve-answer")
    expect(answer).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_resolve-answer-error")).to_have_text(zh("This field is required."))
    expect(status_badge(page)).to_have_attribute("data-status", "in_progress")
    shot("step4-resolve-needs-an-answer")
    answer.fill(ANSWER)
    resolve.locator("form").get_by_role("button", name=zh("Resolve")).click()
    expect(status_badge(page)).to_have_attribute("data-status", "resolved")
    expect(page.locator("[data-answer]")).to_have_text(ANSWER)
    expect(clocks.locator("[data-clock='resolution']")).to_have_attribute("data-tone", "met")
    shot("step4-resolved")

    # --- 5. The contact rates it 2 (dissatisfied); the team lead reviews the low rating -----------
    sign_in(page, sw.contact.username, viewport=PHONE)
    page.goto(request_url)
    expect(page.locator("[data-answer]")).to_have_text(ANSWER)
    rate = page.locator("form[action$='/rate/']")
    rate.get_by_label(zh("Dissatisfied"), exact=True).check()
    rate.get_by_label(zh("No"), exact=True).check()
    rate.get_by_label(field(zh("Comment"))).fill(RATING_COMMENT)
    assert_fits_the_phone(page)
    shot("step5-rating-phone")
    rate.get_by_role("button", name=zh("Send my rating")).click()
    expect(page.get_by_role("status").first).to_have_text(zh("Thank you for your rating."))
    expect(status_badge(page)).to_have_attribute("data-status", "closed")
    expect(page.locator("form[action$='/rate/']")).to_have_count(0)  # rated once per round
    shot("step5-rated-phone")

    sign_in(page, sw.lead.username)
    to_review = desk_panel(page, zh("Ratings to review (%(count)s)", count="1"))
    expect(to_review).to_contain_text(zh("Dissatisfied"))
    open_nav(page, "/services/board/")
    expect(page.locator("h1")).to_have_text(zh("Service team board"))
    low = page.locator("[data-ratings] li").filter(has_text=number)
    expect(low).to_contain_text(zh("Dissatisfied"))
    expect(low).to_contain_text(zh("not solved"))
    expect(low).to_contain_text(RATING_COMMENT)
    shot("step5-board-low-rating")
    low.get_by_label(field(zh("What was done about this rating"))).fill(REVIEW_NOTE)
    low.get_by_role("button", name=zh("Record the review")).click()
    expect(page.get_by_role("status").first).to_have_text(zh("Review recorded."))
    expect(page.locator("[data-ratings]")).to_have_text(zh("No low rating is waiting for review."))
    shot("step5-review-recorded")
    page.goto(request_url)
    ratings = page.locator("section.card").filter(has=page.get_by_role("heading", name=zh("Ratings"), exact=True))
    expect(ratings).to_contain_text(REVIEW_NOTE)

    # --- 6. The contact reopens it within the 7 days -----------------------------------------------
    sign_in(page, sw.contact.username, viewport=PHONE)
    page.goto(request_url)
    page.locator("summary", has_text=zh("Not solved? Reopen the request")).click()
    reopen = page.locator("form[action$='/act/reopen/']")
    reopen.get_by_label(field(zh("Why the request is not solved"))).fill(REOPEN_REASON)
    assert_fits_the_phone(page)
    shot("step6-reopen-phone")
    reopen.get_by_role("button", name=zh("Reopen")).click()
    expect(status_badge(page)).to_have_attribute("data-status", "in_progress")
    expect(header_clock(page)).to_have_attribute("data-tone", "ok")
    expect(page.locator("[data-timeline]")).to_contain_text(zh("Reopened"))
    expect(page.locator("[data-timeline]")).to_contain_text(REOPEN_REASON)
    assert_fits_the_phone(page)
    shot("step6-reopened-phone")

    # What the clicks stored (read back once, at the end).
    r = ServiceRequest.objects.get(number=number)
    assert (r.status, r.owner, r.channel, r.reopen_count) == (RequestStatus.IN_PROGRESS, sw.hr_member, "web", 1)
    assert r.requester == sw.contact.person and r.building == sw.bohua and r.paused_at is None
    assert r.first_responded_at is not None and r.answer == ANSWER
    rating = Rating.objects.get(request=r)
    assert (rating.score, rating.solved, rating.comment) == (2, False, RATING_COMMENT)
    assert (rating.review_status, rating.review_note) == ("done", REVIEW_NOTE)


def tomorrow_afternoon():
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=14, minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=2)


def test_a_service_day_booking(page, shot, second_phone, sw):
    # --- 1. The team lead plans the day ------------------------------------------------------------
    sign_in(page, sw.lead.username)
    open_nav(page, "/services/days/")
    page.get_by_role("link", name=zh("Plan a service day")).click()
    start, end = tomorrow_afternoon()
    page.get_by_label(field(zh("Building"))).select_option(label=BOHUA)
    page.get_by_label(field(zh("Title"))).fill(DAY_TITLE)
    page.get_by_label(field(zh("Place"))).fill(DAY_PLACE)
    page.get_by_label(field(zh("Starts"))).fill(start.strftime(LOCAL))
    page.get_by_label(field(zh("Ends"))).fill(end.strftime(LOCAL))
    page.get_by_label(sw.hr.name, exact=True).check()
    page.get_by_label(sw.tax.name, exact=True).check()
    page.get_by_label(field(zh("Slot length (minutes)"))).fill("30")
    page.get_by_label(field(zh("Enterprises per slot"))).fill("1")
    shot("step1-plan-the-day")
    page.get_by_role("button", name=zh("Plan the day")).click()
    expect(page).to_have_url(re.compile(r"/services/days/\d+/$"))
    day_url = page.url
    expect(page.locator("h1")).to_have_text(DAY_TITLE)
    expect(page.locator("main")).to_contain_text(f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} · {BOHUA} · {DAY_PLACE}")
    expect(page.locator("[data-slot]")).to_have_count(8)  # 4 half-hours × 2 departments
    shot("step1-day-planned")

    # --- 2. Both enterprises open the day on their phones; the first books the HR bureau at 14:00 ---
    sign_in(second_phone, sw.other_contact.username, viewport=PHONE)
    second_phone.goto(day_url)  # from the invitation
    expect(second_phone.locator(f"[data-department='{sw.hr.pk}']")).to_contain_text("14:00")
    shot("step2-second-enterprise-opens-the-day-phone", second_phone)

    sign_in(page, sw.contact.username, viewport=PHONE)
    open_nav(page, "/services/days/")
    page.locator("main a[data-day]").filter(has_text=DAY_TITLE).click()
    expect(page).to_have_url(day_url)
    hr_card = page.locator(f"[data-department='{sw.hr.pk}']")
    hr_card.get_by_label(re.compile(r"^14:00")).check()
    hr_card.get_by_label(zh("What it is about")).fill(TOPIC_1)
    assert_fits_the_phone(page)
    shot("step2-book-hr-phone")
    hr_card.get_by_role("button", name=zh("Book")).click()
    expect(page.get_by_role("status").first).to_have_text(
        zh("Booked: %(time)s with %(department)s.", time=f"{start:%Y-%m-%d} 14:00", department=sw.hr.name)
    )
    ours = page.locator("section[aria-labelledby='mine-title'] [data-booking]")
    expect(ours).to_have_count(1)
    expect(ours).to_contain_text(TOPIC_1)
    expect(ours).to_contain_text(sw.hr.name)
    assert_fits_the_phone(page)
    shot("step2-booked-phone")

    # --- 3. The second enterprise picks the same slot: full; it books the next one ----------------
    other_card = second_phone.locator(f"[data-department='{sw.hr.pk}']")
    other_card.get_by_label(re.compile(r"^14:00")).check()
    other_card.get_by_label(zh("What it is about")).fill(TOPIC_2)
    other_card.get_by_role("button", name=zh("Book")).click()
    other_card = second_phone.locator(f"[data-department='{sw.hr.pk}']")
    expect(other_card.get_by_role("alert")).to_have_text(zh("This slot is fully booked. Choose another one."))
    expect(other_card.get_by_label(re.compile(r"^14:00"))).to_have_count(0)  # no longer offered
    expect(other_card.get_by_label(zh("What it is about"))).to_have_value(TOPIC_2)  # what was typed is kept
    assert overflow_px(second_phone) == 0
    shot("step3-slot-full-phone", second_phone)
    other_card.get_by_label(re.compile(r"^14:30")).check()
    other_card.get_by_role("button", name=zh("Book")).click()
    expect(second_phone.get_by_role("status").first).to_have_text(
        zh("Booked: %(time)s with %(department)s.", time=f"{start:%Y-%m-%d} 14:30", department=sw.hr.name)
    )
    expect(second_phone.locator("section[aria-labelledby='mine-title'] [data-booking]")).to_contain_text(TOPIC_2)
    shot("step3-booked-the-next-slot-phone", second_phone)

    # --- 4. On the day: the HR member checks the first enterprise in and files its request --------
    day = move_day_to_now(ServiceDay.objects.get(title=DAY_TITLE))
    sign_in(page, sw.hr_member.username)
    open_nav(page, "/services/days/")
    page.locator("main a[data-day]").filter(has_text=DAY_TITLE).click()
    bookings = page.locator("table").filter(has=page.locator("caption", has_text=sw.hr.name))
    first = bookings.locator("tr[data-booking]").filter(has_text=sw.enterprise.name)
    expect(first).to_contain_text(TOPIC_1)
    expect(bookings.locator("tr[data-booking]").filter(has_text=sw.other_enterprise.name)).to_contain_text(TOPIC_2)
    shot("step4-day-bookings")
    first.get_by_role("button", name=f"{zh('Check in')} {sw.enterprise.name}").click()
    expect(page.get_by_role("status").first).to_have_text(zh("Checked in."))
    expect(first.locator(".badge.text-bg-success")).to_have_text(re.compile(r"^\d{2}:\d{2}$"))
    shot("step4-checked-in")

    first.get_by_role("link", name=f"{zh('File a request')} {sw.enterprise.name}").click()
    expect(page.locator("h1")).to_have_text(zh("Request taken on the spot"))
    expect(page.get_by_label(field(zh("What the enterprise needs, in a line")))).to_have_value(TOPIC_1)
    page.get_by_label(field(zh("Service"))).select_option(label=f"{zh('Talent services')} · {ITEM}")
    page.get_by_label(field(zh("Details"))).fill(SPOT_DESCRIPTION)
    shot("step4-request-on-the-spot")
    page.get_by_role("button", name=zh("File the request")).click()
    expect(page).to_have_url(day_url)
    spot = ServiceRequest.objects.get(channel=Channel.SERVICE_DAY)
    expect(page.get_by_role("status").first).to_have_text(
        zh("Request %(number)s filed and sent to %(department)s.", number=spot.number, department=sw.hr.name)
    )
    taken = page.locator("section[aria-labelledby='day-requests-title'] [data-request]")
    expect(taken).to_have_count(1)
    expect(taken).to_contain_text(f"{spot.number} {TOPIC_1}")
    expect(taken).to_contain_text(sw.enterprise.name)
    shot("step4-request-listed-on-the-day")

    # It is an ordinary request from now on: in the member's queue, and in the enterprise's list.
    page.goto("/")
    desk_panel(page, zh("My open requests (%(count)s)", count="1")).get_by_role("link", name=zh("See all")).click()
    row = page.locator("tr[data-request]").filter(has_text=TOPIC_1)
    expect(row).to_contain_text(sw.enterprise.name)
    row.get_by_role("link", name=spot.number).click()
    expect(page.locator("main dl").first).to_contain_text(zh("Service day"))
    shot("step4-spot-request-page")

    sign_in(page, sw.contact.username, viewport=PHONE)
    open_nav(page, "/services/catalogue/")
    page.locator("main").get_by_role("link", name=zh("My requests")).click()
    expect(page.locator("main a[data-request]").filter(has_text=TOPIC_1)).to_contain_text(spot.number)
    assert_fits_the_phone(page)
    shot("step4-enterprise-sees-it-phone")

    # What the clicks stored (read back once, at the end).
    booked = {b.enterprise_id: b for b in Booking.objects.filter(slot__day=day, cancelled_at__isnull=True)}
    assert set(booked) == {sw.enterprise.pk, sw.other_enterprise.pk}
    assert booked[sw.enterprise.pk].checked_in_at is not None and booked[sw.other_enterprise.pk].checked_in_at is None
    assert booked[sw.enterprise.pk].slot_id != booked[sw.other_enterprise.pk].slot_id
    assert {b.slot.department_id for b in booked.values()} == {sw.hr.pk}
    assert (spot.owner, spot.requester, spot.building, spot.item) == (
        sw.hr_member,
        sw.contact.person,
        sw.bohua,
        sw.permit,
    )
    assert set(day.departments.all()) == {sw.hr, sw.tax} and day.slots.filter(capacity=1).count() == 8
