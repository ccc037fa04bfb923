"""Journeys (issue: the building committee's mechanisms), in a real browser.

1. From a visit to a rated project: the liaison cadre plans and records a visit to 恒隆广场 from a phone
   and passes the finding on to the committee as a topic; the convener accepts it, puts it on the agenda
   of the meeting and holds the meeting (presence, a decision passed); the convener creates a project
   from the decision and publishes it; an enterprise contact claims 60% from a phone, a second one is
   refused 50% (the reason shown under the field) and claims 40%; the convener approves both claims and
   starts the project; a claimant reports progress with a photo and then completion; the convener
   verifies; an employee of the building rates the project 5 from a phone; the committee's public page
   counts the delivered project and the rating.
2. A special petition through escalation to an answer: the convener sends a petition to two departments
   (the working-day deadlines show); one acknowledges and answers on time; the other does not, and as the
   days pass (its deadlines moved into the past, then the sweep) the petition goes up to the street and
   then to the district, on its timeline; the street official finds it on the desk; the late department
   answers; the committee contests once with a reason; the departments answer again; the convener
   accepts; an employee rates the petition.

Every step a user takes is a click or a keystroke in Chromium. The ORM builds the world, drafts the
meeting (creating a meeting is the deliberation journey's subject) and, in journey 2, is the clock: it
moves the late department's deadlines back as if the days had passed, and runs the hourly sweep. Labels
are looked up through gettext (zh-Hans).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from govcube.deliberation.models import Decision, Topic, TopicSource
from govcube.deliberation.services import meeting_create
from govcube.engagement.models import Escalation, Petition, PetitionEvent, PetitionTarget, Visit, VisitStatus
from govcube.engagement.services import petition_sweep
from govcube.engagement.services.petitions import ESCALATE_TO_DISTRICT_AFTER, petition_deadlines
from govcube.evaluation.models import Rating
from govcube.work.models import Claim, ProgressPhoto, Project
from govcube.workdays import calendar as wd
from tests.e2e.deliberation_world import PHONE, field, overflow_px, sign_in, sign_out, zh, zh_n
from tests.e2e.mechanisms_world import build_mechanisms_world, let_days_pass, write_png
from tests.e2e.service_world import desk_panel, open_nav
from tests.factories import make_world

pytestmark = pytest.mark.e2e

BODY_NAME = "恒隆广场楼宇事务委员会"
HENGLONG = "恒隆广场"

# Journey 1
VISIT_PLACE = "恒隆广场32楼 恒隆测试咨询"
PEOPLE_MET = "行政经理周敏及员工代表3人"
FINDINGS = "员工反映午间外卖送达后无处存放，大堂外卖堆放影响通行；物业表示场地有限、需要楼宇统筹。"
TOPIC_TITLE = "大堂外卖无处存放"
MEETING_TITLE = "恒隆广场楼宇事务委员会例会"
MEETING_PLACE = "恒隆广场党群服务站"
DECISION = "在B1层设置智能外卖柜，由楼内企业认领建设"
PROJECT_TITLE = "B1层智能外卖柜建设"
PROJECT_TEXT = "在B1层电梯厅旁设置两组智能外卖柜（共120格），解决午间外卖堆放问题。"
NEEDED = "外卖柜采购及安装资金；施工期间的协调人员。"
MILESTONES = ["选址及方案确认", "外卖柜安装调试"]
COMMITMENT_A = "承担外卖柜采购费用，并派员协调安装。"
COMMITMENT_B = "提供合同审核及运营规则起草。"
PROGRESS = "两组外卖柜已运抵B1层，完成安装和通电调试。"
OUTCOME = "B1层两组智能外卖柜（120格）已投入使用，大堂不再堆放外卖。"
RATING_COMMENT = "中午取外卖方便多了！"

# Journey 2
PETITION_TITLE = "恒隆广场西侧人行道占道经营及违停"
PETITION_TEXT = "恒隆广场西侧人行道长期有流动摊贩占道经营，车辆违停，影响上下班人流通行和消防通道。"
EVIDENCE = "2026年以来物业劝离记录23次；照片及视频存于物业服务中心。"
HOUSING_ANSWER = "已约谈物业服务企业，明确人行道日常巡查责任，下周起每日巡查两次。"
ENFORCEMENT_ANSWER = "已组织执法队员对西侧人行道开展整治，劝离摊贩，对违停车辆贴单。"
CONTEST_REASON = "整治只持续了两天，摊贩又回来了；请建立长效管理机制并明确牵头部门。"
HOUSING_ANSWER_2 = "将督促物业增设隔离护栏，并在每日巡查中记录占道情况，每周报城管执法局。"
ENFORCEMENT_ANSWER_2 = "已将恒隆广场西侧纳入重点路段，执法队员每日11时至14时定点值守，违停纳入电子抓拍。"
PETITION_RATING_COMMENT = "第二次答复比较实在，希望坚持下去。"

LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def mw(transactional_db):
    # transactional_db: the rows must be committed for the live server's thread to see them.
    return build_mechanisms_world(make_world())


@pytest.fixture
def dialogs(page):
    """Every alert/confirm/prompt the pages open (none should): recorded and dismissed."""
    seen: list[str] = []

    def _on_dialog(dialog):
        seen.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", _on_dialog)
    return seen


WIDER_THAN_THE_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
        .filter((e) => e.getBoundingClientRect().right > width + 0.5)
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} → ${Math.round(e.getBoundingClientRect().right)}px`);
}"""


def assert_fits_the_phone(page: Page) -> None:
    if overflow_px(page):
        culprits = page.evaluate(WIDER_THAN_THE_SCREEN)
        pytest.fail(f"{page.url} is wider than a {PHONE['width']}px phone: {culprits}")


def state(page: Page, value: str):
    """The page's own state badge (beside its title), by workflow state."""
    return page.locator(f"main [data-testid='status'] .gc-state[data-state='{value}']")


def see_all(page: Page, panel_title: str | re.Pattern) -> None:
    desk_panel(page, panel_title).get_by_role("link", name=zh("See all")).click()


def counted(title: str, count: int) -> re.Pattern:
    """A desk panel title with its count ("Topics to screen (%(count)s)")."""
    return re.compile("^" + re.escape(zh(title, count=str(count))) + "$")


def image_loaded(page: Page, selector: str) -> bool:
    return page.evaluate(
        "(sel) => { const i = document.querySelector(sel); return !!i && i.complete && i.naturalWidth > 0; }",
        selector,
    )


# =================================================================================================
# Journey 1: from a visit to a rated project
# =================================================================================================


def test_from_a_visit_to_a_rated_project(page, screenshot, dialogs, mw, tmp_path):
    c = mw.committee
    today = timezone.localdate()
    employee = c.employees[0]  # works for 中信测试律师事务所 in 中信泰富广场, a covered building

    # --- 1. The liaison cadre plans a visit to 恒隆广场 from the phone and records it ----------------
    sign_in(page, mw.cadre.username, viewport=PHONE)
    see_all(page, zh("My visits"))
    expect(page.locator("h1")).to_have_text(zh("My buildings"))
    card = page.get_by_test_id("building").filter(has=page.get_by_role("heading", name=HENGLONG))
    expect(card.get_by_test_id("quota")).to_have_text(zh("Visits this month: %(done)s of %(quota)s", done=0, quota=2))
    card.locator("summary", has_text=zh("Plan a visit")).click()
    card.get_by_label(field(zh("Kind of visit"))).select_option(label="走访企业")
    card.get_by_label(field(zh("Date"))).fill(f"{today:%Y-%m-%d}")
    card.get_by_label(field(zh("Enterprise"))).select_option(label=mw.enterprise.name)
    card.get_by_label(field(zh("Place"))).fill(VISIT_PLACE)
    assert_fits_the_phone(page)
    screenshot("step1-plan-a-visit-phone")
    card.get_by_role("button", name=zh("Plan the visit")).click()

    expect(page).to_have_url(re.compile(r"/engagement/visits/\d+/$"))
    visit_url = page.url
    expect(page.get_by_test_id("status")).to_have_text(zh("Planned"))
    record = page.locator("form[action$='/record/']")
    expect(record.get_by_label(field(zh("Place")))).to_have_value(VISIT_PLACE)
    record.get_by_label(field(zh("What was found"))).fill(FINDINGS)
    record.get_by_label(field(zh("People met"))).fill(PEOPLE_MET)
    record.get_by_label(field(zh("Follow-up"))).select_option("topic")
    assert_fits_the_phone(page)
    screenshot("step1-record-the-visit-phone")
    record.get_by_role("button", name=zh("Record the visit")).click()

    expect(page).to_have_url(visit_url)
    expect(page.get_by_test_id("status")).to_have_text(zh("Done"))
    expect(page.locator("main dl")).to_contain_text(FINDINGS)
    expect(page.locator("main dl")).to_contain_text(zh("Topic for the committee"))

    # --- ... and passes the finding on to the committee as a topic -------------------------------
    pass_on = page.locator("form[action$='/topic/']")
    pass_on.get_by_label(field(zh("Committee"))).select_option(label=BODY_NAME)
    pass_on.get_by_label(field(zh("Title"))).fill(TOPIC_TITLE)  # the text: what was found
    screenshot("step1-pass-the-finding-on-phone")
    pass_on.get_by_role("button", name=zh("Submit as a topic")).click()
    link = page.get_by_test_id("link")
    expect(link).to_have_text(zh("The finding was passed on as a topic."))
    expect(page.locator("form[action$='/topic/']")).to_have_count(0)  # passed on once
    assert_fits_the_phone(page)
    screenshot("step1-finding-passed-on-phone")
    link.click()
    expect(page).to_have_url(re.compile(r"/deliberation/topics/\d+/$"))
    expect(page.locator("h1")).to_have_text(TOPIC_TITLE)
    expect(page.locator("main .gc-topic-text")).to_contain_text(FINDINGS)
    expect(page.locator("main .gc-state[data-state='submitted']").first).to_be_visible()
    assert_fits_the_phone(page)

    # The convener had drafted this month's meeting beforehand (set-up: not this journey's subject).
    starts = (timezone.localtime() + timedelta(days=2)).replace(hour=14, minute=0, second=0, microsecond=0)
    meeting_create(
        actor=c.convener,
        body=c.body,
        title=MEETING_TITLE,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=MEETING_PLACE,
    )

    # --- 2. The convener accepts the topic and puts it on the meeting's agenda --------------------
    sign_in(page, c.convener.username)
    desk_panel(page, counted("Topics to screen (%(count)s)", 1)).get_by_role("link", name=TOPIC_TITLE).click()
    expect(page.locator("h1")).to_have_text(TOPIC_TITLE)
    page.get_by_role("button", name=zh("Accept"), exact=True).click()
    expect(page.locator("main .gc-state[data-state='accepted']").first).to_be_visible()
    screenshot("step2-topic-accepted")

    page.goto("/")
    see_all(page, zh("Upcoming meetings"))
    page.get_by_role("link", name=MEETING_TITLE).click()
    expect(page).to_have_url(re.compile(r"/deliberation/meetings/\d+/$"))
    meeting_url = page.url
    expect(page.locator("h1 .gc-state[data-state='draft']")).to_be_visible()
    page.get_by_label(field(zh("Accepted topic"))).select_option(label=TOPIC_TITLE)
    page.get_by_role("button", name=zh("Add to the agenda")).click()
    expect(page.locator("#agenda").get_by_role("link", name=TOPIC_TITLE)).to_be_visible()
    page.get_by_role("button", name=zh("Schedule and invite")).click()
    expect(page.locator("h1 .gc-state[data-state='scheduled']")).to_be_visible()
    screenshot("step2-topic-on-the-agenda")

    # --- ... and holds the meeting: presence, a decision passed ----------------------------------
    page.get_by_role("button", name=zh("Start the meeting")).click()
    expect(page).to_have_url(re.compile(r"/deliberation/meetings/\d+/conduct/$"))
    quorum = page.locator("#quorum-box [role='status']")
    for member in (c.convener, c.secretary, c.members[0]):
        name = member.person.name
        page.get_by_role("button", name=f"{zh('Absent')} · {name}", exact=True).click()
        expect(page.get_by_role("button", name=f"{zh('Present')} · {name}", exact=True)).to_be_visible()
    quorum_text = "%(present)s of %(expected)s voting members present — quorum %(needed)s reached"
    expect(quorum).to_have_text(zh(quorum_text, present=3, expected=5, needed=3))
    item = page.locator("section[id^='item-']").first
    item.locator("summary", has_text=zh("Record a decision")).click()
    item.get_by_label(field(zh("Decision"))).fill(DECISION)
    item.get_by_label(field(zh("Voting method"))).select_option("show_of_hands")
    item.get_by_label(field(zh("For"))).fill("3")
    item.get_by_role("button", name=zh("Record the decision")).click()
    expect(item.locator(".gc-decision")).to_contain_text(DECISION)
    expect(item.locator(".gc-state-passed")).to_have_text(zh("Passed"))
    expect(item).to_contain_text(zh("for %(f)s, against %(a)s, abstain %(x)s", f=3, a=0, x=0))
    screenshot("step2-decision-passed")
    page.get_by_role("button", name=zh("End the meeting")).click()
    expect(page).to_have_url(meeting_url)
    expect(page.locator("h1 .gc-state[data-state='ended']")).to_be_visible()

    # --- 3. The convener creates a project from the decision and publishes it --------------------
    page.get_by_test_id("carry-out").get_by_role("link", name=zh("Start a project from this decision")).click()
    expect(page.locator("h1")).to_have_text(zh("New project"))
    expect(page.locator("main")).to_contain_text(BODY_NAME)
    decision_choice = page.get_by_label(field(zh("Decision")))
    expect(decision_choice.locator("option:checked")).to_have_text(f"{TOPIC_TITLE}: {DECISION}")
    expect(page.get_by_label(field(zh("Description")))).to_have_value(DECISION)  # prefilled from the decision
    page.get_by_label(field(zh("Title"))).fill(PROJECT_TITLE)
    page.get_by_label(field(zh("Description"))).fill(PROJECT_TEXT)
    page.get_by_label(field(zh("What it needs"))).fill(NEEDED)
    page.get_by_label(field(zh("Building"))).select_option(label=HENGLONG)
    page.get_by_label(field(zh("Due"))).fill(f"{today + timedelta(days=60):%Y-%m-%d}")
    page.get_by_label(field(zh("Milestones"))).fill("\n".join(MILESTONES))
    screenshot("step3-project-form")
    page.get_by_role("button", name=zh("Create the project")).click()

    expect(page).to_have_url(re.compile(r"/work/projects/\d+/$"))
    project_url = page.url
    expect(page.locator("h1")).to_have_text(PROJECT_TITLE)
    expect(state(page, "draft")).to_be_visible()
    expect(page.locator("main dl")).to_contain_text(DECISION)
    expect(page.locator("#milestones li[data-milestone]")).to_have_count(2)
    page.get_by_role("button", name=zh("Publish for claiming")).click()
    expect(state(page, "open")).to_be_visible()
    expect(page.get_by_test_id("unclaimed").first).to_have_text(zh("%(unclaimed)s%% still unclaimed", unclaimed=100))
    screenshot("step3-project-published")

    # --- 4. An enterprise contact claims 60% from the phone -------------------------------------
    sign_in(page, mw.contact.username, viewport=PHONE)
    see_all(page, zh("Our claims"))
    page.get_by_test_id("projects").get_by_role("link", name=PROJECT_TITLE).click()
    expect(page).to_have_url(project_url)
    page.get_by_role("link", name=zh("Claim a share")).first.click()
    expect(page.locator("h1")).to_have_text(zh("Claim a share"))
    expect(page.get_by_label(field(zh("We claim as")))).to_have_value(re.compile(r"^enterprise:\d+$"))
    page.get_by_label(field(zh("Share (%)"))).fill("60")
    page.get_by_label(field(zh("What we will do"))).fill(COMMITMENT_A)
    assert_fits_the_phone(page)
    screenshot("step4-claim-60-phone")
    page.get_by_role("button", name=zh("Send the claim")).click()
    expect(page).to_have_url(re.compile(re.escape(project_url) + "#claims$"))
    claims = page.locator("#claims")
    row_a = claims.locator("tr[data-claim]").filter(has_text=mw.enterprise.name)
    expect(row_a).to_contain_text("60%")
    expect(row_a.locator(".gc-state[data-state='pending']")).to_be_visible()
    expect(claims.get_by_test_id("unclaimed")).to_have_text(zh("%(unclaimed)s%% still unclaimed", unclaimed=40))
    assert_fits_the_phone(page)
    screenshot("step4-claimed-phone")

    # --- ... a second contact is refused 50% (the reason shown) and claims 40% ---------------------
    sign_in(page, mw.other_contact.username, viewport=PHONE)
    see_all(page, zh("Our claims"))
    page.get_by_test_id("projects").get_by_role("link", name=PROJECT_TITLE).click()
    page.get_by_role("link", name=zh("Claim a share")).first.click()
    expect(page.get_by_test_id("unclaimed")).to_have_text(zh("%(unclaimed)s%% still unclaimed", unclaimed=40))
    share = page.get_by_label(field(zh("Share (%)")))
    share.fill("50")
    page.get_by_label(field(zh("What we will do"))).fill(COMMITMENT_B)
    page.get_by_role("button", name=zh("Send the claim")).click()
    expect(page.locator("#id_share-error")).to_have_text(
        zh("Only %(left)s%% of this project is still unclaimed; the shares cannot exceed 100%%.", left=40)
    )
    expect(share).to_have_value("50")  # what was typed is kept
    assert_fits_the_phone(page)
    screenshot("step4-50-refused-phone")
    share.fill("40")
    page.get_by_role("button", name=zh("Send the claim")).click()
    expect(page).to_have_url(re.compile(re.escape(project_url) + "#claims$"))
    row_b = claims.locator("tr[data-claim]").filter(has_text=mw.other_enterprise.name)
    expect(row_b).to_contain_text("40%")
    expect(claims.get_by_test_id("unclaimed")).to_have_text(zh("%(unclaimed)s%% still unclaimed", unclaimed=0))
    expect(page.get_by_role("link", name=zh("Claim a share"))).to_have_count(0)
    screenshot("step4-claimed-40-phone")

    # --- 5. The convener approves both claims and starts the project ----------------------------
    sign_in(page, c.convener.username)
    desk = desk_panel(page, counted("Claims to approve (%(count)s)", 2))
    desk.get_by_role("link", name=f"{PROJECT_TITLE} · {mw.enterprise.name}").click()
    for enterprise in (mw.enterprise, mw.other_enterprise):
        row = claims.locator("tr[data-claim]").filter(has_text=enterprise.name)
        row.get_by_role("button", name=zh("Approve"), exact=True).click()
        expect(row.locator(".gc-state[data-state='approved']")).to_be_visible()
    expect(claims).to_contain_text(zh("%(approved_share)s%% approved", approved_share=100))
    page.get_by_role("button", name=zh("Start"), exact=True).click()
    expect(state(page, "in_progress")).to_be_visible()
    screenshot("step5-claims-approved-project-started")

    # --- 6. A claimant reports progress with a photo, then completion, from the phone -------------
    photo = write_png(tmp_path / "waimaigui.png")
    sign_in(page, mw.contact.username, viewport=PHONE)
    desk_panel(page, zh("Projects we work on")).get_by_role("link", name=PROJECT_TITLE).click()
    page.get_by_role("link", name=zh("Report progress")).first.click()
    expect(page.locator("h1")).to_have_text(zh("Report progress"))
    page.get_by_label(field(zh("What was done"))).fill(PROGRESS)
    page.get_by_label(field(zh("Progress (%)"))).fill("80")
    page.get_by_label(field(zh("Milestone reached"))).select_option(label=MILESTONES[0])
    page.get_by_label(field(zh("Photos"))).set_input_files(str(photo))
    assert_fits_the_phone(page)
    screenshot("step6-progress-form-phone")
    page.get_by_role("button", name=zh("Post")).click()
    expect(page).to_have_url(re.compile(re.escape(project_url) + "#progress$"))
    update = page.locator("#progress li[data-update]").first
    expect(update).to_contain_text(PROGRESS)
    expect(update).to_contain_text(mw.enterprise.name)
    expect(update).to_contain_text("80%")
    thumbnail = update.locator("img")
    expect(thumbnail).to_have_count(1)
    done = page.locator(f"#milestones li[data-milestone]:has-text('{MILESTONES[0]}')")
    expect(done.locator("s")).to_have_text(MILESTONES[0])  # ticked off with the progress
    screenshot("step6-progress-posted-phone")
    # The photo is there for everyone who opens the project, not a broken image.
    thumbnail.scroll_into_view_if_needed()
    assert image_loaded(page, "#progress li[data-update] img"), (
        f"the progress photo does not load: {thumbnail.get_attribute('src')}"
    )

    actions = page.locator("section[aria-labelledby='actions-title']")
    actions.locator("summary", has_text=zh("Report completion")).click()
    complete = actions.locator("form[action$='/complete/']")
    complete.get_by_label(field(zh("What was delivered"))).fill(OUTCOME)
    complete.get_by_role("button", name=zh("Report completion")).click()
    expect(state(page, "completed")).to_be_visible()
    expect(page.get_by_test_id("outcome")).to_have_text(OUTCOME)
    assert_fits_the_phone(page)
    screenshot("step6-completion-reported-phone")

    # --- 7. The convener verifies ---------------------------------------------------------------
    sign_in(page, c.convener.username)
    desk_panel(page, counted("Projects to verify (%(count)s)", 1)).get_by_role(
        "link", name=f"{PROJECT_TITLE} · {BODY_NAME}"
    ).click()
    page.get_by_role("button", name=zh("Verify"), exact=True).click()
    expect(state(page, "verified")).to_be_visible()
    screenshot("step7-project-verified")

    # --- 8. An employee of the building rates it 5 from the phone -------------------------------
    sign_in(page, employee.username, viewport=PHONE)
    page.locator(f"main a[href='{reverse('notifications:inbox')}']").click()  # "1 unread notification"
    page.get_by_role("link", name=zh("Rate what was delivered: %(object)s", object=PROJECT_TITLE)).click()
    expect(page).to_have_url(project_url)
    box = page.locator("#rating-box")
    expect(box).to_contain_text(zh("No rating yet."))
    box.locator("label[for='score-5']").click()
    box.get_by_label(zh("Comment (optional)")).fill(RATING_COMMENT)
    screenshot("step8-rate-phone")
    box.get_by_role("button", name=zh("Rate")).click()
    expect(box).to_contain_text(zh("You rated this %(score)s / 5.", score=5))  # swapped in by htmx
    expect(box.locator("[data-rating-average]")).to_have_text(re.compile(r"^5(\.0)?$"))
    assert_fits_the_phone(page)
    screenshot("step8-rated-phone")

    # --- 9. The committee's public page: a delivered project, and its rating ---------------------
    sign_out(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/deliberation/public/")
    page.get_by_role("link", name=BODY_NAME).click()
    expect(page.locator("h1")).to_have_text(BODY_NAME)
    public_record = page.get_by_test_id("record")
    expect(public_record.locator("[data-record='projects_delivered']")).to_have_text("1")
    expect(public_record.locator("[data-record='decisions']")).to_be_visible()
    expect(public_record.locator("[data-record='ratings_average']")).to_have_text(re.compile(r"^5(\.0)?$"))
    expect(public_record).to_contain_text(zh_n("(%(n)s rating)", "(%(n)s ratings)", 1))
    public_text = page.locator("body").inner_text()
    people = c.people_names + [u.person.name for u in (mw.cadre, mw.contact, mw.other_contact)]
    leaked = [name for name in people if name in public_text]
    assert leaked == [], f"names on the public page: {leaked}"
    screenshot("step9-public-page")

    # What the clicks stored (read back once, at the end).
    visit = Visit.objects.get(cadre=mw.cadre)
    topic = Topic.objects.get(title=TOPIC_TITLE)
    assert (visit.status, visit.follow_up, visit.link_type, visit.link_id) == (
        VisitStatus.DONE,
        "topic",
        "deliberation.topic",
        str(topic.pk),
    )
    assert (topic.source, topic.status, topic.proposer_id) == (TopicSource.VISIT, "decided", mw.cadre.person_id)
    decision = Decision.objects.get(item__topic=topic)
    assert decision.passed is True and decision.votes_for == 3
    project = Project.objects.get(title=PROJECT_TITLE)
    assert (project.status, project.decision_id, project.progress, project.outcome) == (
        "verified",
        decision.pk,
        100,
        OUTCOME,
    )
    assert sorted(Claim.objects.filter(project=project).values_list("share", "status")) == [
        (40, "approved"),
        (60, "approved"),
    ]
    photo_row = ProgressPhoto.objects.get(update__project=project)
    assert photo_row.image.read() == photo.read_bytes()
    rating = Rating.objects.get(item_kind="project", item_id=project.pk)
    assert (rating.score, rating.person_id, rating.comment) == (5, employee.person_id, RATING_COMMENT)
    assert dialogs == []


# =================================================================================================
# Journey 2: a special petition through escalation to an answer
# =================================================================================================


def department_card(page: Page, name: str):
    return page.locator("main section[data-target]").filter(has=page.get_by_role("heading", name=name, exact=True))


def timeline(page: Page):
    return page.get_by_test_id("timeline")


def open_from_my_departments(page: Page) -> None:
    desk_panel(
        page, re.compile("^" + re.escape(zh("Special petitions for my departments (%(count)s)", count="1")))
    ).get_by_role("link", name=re.compile("^" + re.escape(PETITION_TITLE))).click()
    expect(page.locator("h1")).to_have_text(PETITION_TITLE)


def answer(page: Page, department: str, text: str) -> None:
    card = department_card(page, department)
    card.get_by_label(field(zh("Answer"))).fill(text)
    card.get_by_role("button", name=zh("Send the answer")).click()
    expect(department_card(page, department).locator(".badge[data-status='answered']")).to_be_visible()


def test_a_petition_through_escalation_to_an_answer(page, screenshot, dialogs, mw):
    c = mw.committee
    today = timezone.localdate()
    housing, enforcement = mw.housing, mw.enforcement
    employee = c.employees[1]  # works for 恒隆测试咨询有限公司 in 恒隆广场

    # --- 1. The convener sends the petition to two departments ----------------------------------
    sign_in(page, c.convener.username)
    see_all(page, zh("Upcoming meetings"))  # the committee's meetings, under the committee's own page
    page.locator(".breadcrumb").get_by_role("link", name=BODY_NAME).click()
    expect(page.locator("h1")).to_have_text(BODY_NAME)
    page.get_by_test_id("link-petitions").click()
    expect(page.locator("h1")).to_have_text(f"{zh('Special petitions')} · {BODY_NAME}")
    expect(page.locator("#petition-results")).to_contain_text(zh("No petitions match."))
    page.get_by_role("link", name=zh("New special petition")).click()
    expect(page.locator("h1")).to_have_text(zh("New special petition"))
    page.get_by_label(field(zh("Building"))).select_option(label=HENGLONG)
    page.get_by_label(field(zh("Title"))).fill(PETITION_TITLE)
    page.get_by_label(field(zh("The matter"))).fill(PETITION_TEXT)
    page.get_by_label(field(zh("Evidence"))).fill(EVIDENCE)
    choice = "%(name)s (acknowledge in %(ack)s, answer in %(answer)s working days)"
    for department in (housing, enforcement):
        page.get_by_label(
            zh(
                choice,
                name=department.name,
                ack=department.petition_acknowledge_days,
                answer=department.petition_answer_days,
            ),
            exact=True,
        ).check()
    screenshot("step1-petition-form")
    page.get_by_role("button", name=zh("Send the petition")).click()

    expect(page).to_have_url(re.compile(r"/engagement/petitions/\d+/$"))
    petition_url = page.url
    expect(page.locator("h1")).to_have_text(PETITION_TITLE)
    expect(page.locator("main .badge[data-status='submitted']").first).to_be_visible()
    for department in (housing, enforcement):
        ack_by, answer_by = petition_deadlines(department, today)
        card = department_card(page, department.name)
        ack_due, answer_due = card.locator("[data-due='acknowledge']"), card.locator("[data-due='answer']")
        expect(ack_due).to_contain_text(f"{ack_by:%Y-%m-%d}")
        expect(answer_due).to_contain_text(f"{answer_by:%Y-%m-%d}")
        left = wd.working_days_between(today, answer_by)
        expect(answer_due.locator(".badge")).to_have_text(
            zh_n("%(n)s working day left", "%(n)s working days left", left)
        )
        expect(page.locator("main .alert-success")).to_contain_text(f"{department.name}")
        expect(page.locator("main .alert-success")).to_contain_text(f"{answer_by:%Y-%m-%d}")
    expect(department_card(page, enforcement.name).locator("[data-due='answer'] .badge")).to_have_attribute(
        "data-tone", "ok"
    )
    screenshot("step1-petition-sent-deadlines")

    # --- 2. The housing bureau acknowledges and answers on time ---------------------------------
    sign_in(page, mw.housing_staff.username)
    open_from_my_departments(page)
    housing_card = department_card(page, housing.name)
    housing_card.get_by_role("button", name=zh("Acknowledge")).click()
    expect(department_card(page, housing.name).locator(".badge[data-status='acknowledged']")).to_be_visible()
    expect(department_card(page, enforcement.name).get_by_role("button")).to_have_count(0)  # not theirs
    answer(page, housing.name, HOUSING_ANSWER)
    housing_card = department_card(page, housing.name)
    expect(housing_card.get_by_test_id("answer")).to_contain_text(HOUSING_ANSWER)
    expect(housing_card.locator("[data-due='answer'] .badge")).to_have_text(zh("on time"))
    expect(page.locator("h1 ~ .badge[data-status='submitted']")).to_be_visible()  # the other one is awaited
    screenshot("step2-housing-answered-on-time")

    # --- 3. The enforcement bureau does not answer: the days pass, the sweep escalates ------------
    target = PetitionTarget.objects.get(petition__title=PETITION_TITLE, department=enforcement)
    # A few working days late (fewer than the five after which the district hears of it); counted as the
    # calendar counts them (today may be a weekend).
    first_due = wd.add_working_days(today, -2)
    late_by = wd.working_days_between(first_due, today)
    assert 1 <= late_by <= ESCALATE_TO_DISTRICT_AFTER
    let_days_pass(target, answer_due=first_due)
    assert petition_sweep() > 0

    sign_in(page, c.convener.username)
    page.goto(petition_url)
    expect(page.locator("h1 ~ .badge[data-escalation]")).to_have_text(zh("Escalated to the street"))
    late_card = department_card(page, enforcement.name)
    expect(late_card.locator(".badge[data-escalation]")).to_have_text(zh("Escalated to the street"))
    expect(late_card.locator("[data-due='answer'] .badge")).to_have_text(
        zh_n("overdue by %(n)s working day", "overdue by %(n)s working days", late_by)
    )
    expect(late_card.locator("[data-due='answer'] .badge")).to_have_attribute("data-tone", "overdue")
    to_street = timeline(page).locator("li").filter(has_text=zh("Overdue: escalated to the street"))
    expect(to_street).to_have_count(1)
    expect(to_street).to_contain_text(enforcement.name)
    expect(timeline(page)).not_to_contain_text(zh("Overdue: escalated to the district"))
    screenshot("step3-escalated-to-the-street")

    second_due = wd.add_working_days(today, -8)
    late_by = wd.working_days_between(second_due, today)
    assert late_by > ESCALATE_TO_DISTRICT_AFTER
    let_days_pass(target, answer_due=second_due)
    assert petition_sweep() > 0
    assert petition_sweep() == 0  # the hourly sweep sends nothing twice
    page.reload()
    expect(page.locator("h1 ~ .badge[data-escalation]")).to_have_text(zh("Escalated to the district"))
    expect(department_card(page, enforcement.name).locator("[data-due='answer'] .badge")).to_have_text(
        zh_n("overdue by %(n)s working day", "overdue by %(n)s working days", late_by)
    )
    expect(timeline(page).locator("li").filter(has_text=zh("Overdue: escalated to the street"))).to_have_count(1)
    to_district = timeline(page).locator("li").filter(has_text=zh("Overdue: escalated to the district"))
    expect(to_district).to_have_count(1)
    expect(to_district).to_contain_text(enforcement.name)
    screenshot("step3-escalated-to-the-district")

    # --- 4. The street official finds it on the desk -------------------------------------------
    sign_in(page, c.street_official.username)
    escalated = desk_panel(page, counted("Escalated special petitions (%(count)s)", 1))
    entry = escalated.locator("li").filter(has_text=PETITION_TITLE)
    expect(entry).to_contain_text(HENGLONG)
    expect(entry.locator(".badge")).to_contain_text(zh("Escalated to the district"))
    expect(entry.locator(".badge")).to_have_class(re.compile(r"\btext-bg-danger\b"))
    screenshot("step4-street-official-desk")
    escalated.get_by_role("link", name=zh("See all")).click()
    expect(page.locator(f"tr[data-petition] a:text-is('{PETITION_TITLE}')")).to_be_visible()
    page.get_by_role("link", name=PETITION_TITLE, exact=True).click()
    expect(page).to_have_url(petition_url)
    expect(page.locator("h1 ~ .badge[data-escalation]")).to_have_text(zh("Escalated to the district"))
    screenshot("step4-street-official-reads-the-petition")

    # --- 5. The enforcement bureau answers late --------------------------------------------------
    sign_in(page, mw.enforcement_staff.username)
    open_from_my_departments(page)
    answer(page, enforcement.name, ENFORCEMENT_ANSWER)
    late_card = department_card(page, enforcement.name)
    expect(late_card.get_by_test_id("answer")).to_contain_text(zh("answered late"))
    expect(late_card.locator("[data-due='answer'] .badge")).to_have_text(zh("late"))
    expect(page.locator("h1 ~ .badge[data-status='answered']")).to_be_visible()
    screenshot("step5-answered-late")

    # --- 6. The committee contests the answers once, with a reason -------------------------------
    sign_in(page, c.convener.username)
    page.goto(petition_url)
    matter = page.locator("section[aria-labelledby='matter-title'] dl")
    expect(matter).to_contain_text(zh("answered late"))  # the first answers, as a whole
    actions = page.locator("section[aria-labelledby='actions-title']")
    actions.locator("summary", has_text=zh("Contest the answer")).click()
    contest = actions.locator("form[action$='/contest/']")
    contest.get_by_role("button", name=zh("Contest the answer")).click()
    # Without a reason: refused, the field marked, nothing changed.
    reason = page.locator("#contest-reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#contest-reason-error")).to_have_text(zh("This field is required."))
    expect(page.locator("h1 ~ .badge[data-status='answered']")).to_be_visible()
    reason.fill(CONTEST_REASON)
    screenshot("step6-contest-with-a-reason")
    page.locator("form[action$='/contest/']").get_by_role("button", name=zh("Contest the answer")).click()
    expect(page.locator("h1 ~ .badge[data-status='contested']")).to_be_visible()
    expect(page.get_by_test_id("contested")).to_contain_text(CONTEST_REASON)
    expect(page.locator("main section[data-target] .badge[data-status='acknowledged']")).to_have_count(2)
    expect(page.locator("main").get_by_text(zh("Round %(round)s", round=2), exact=True)).to_have_count(2)
    expect(page.locator("h1 ~ .badge[data-escalation]")).to_have_count(0)  # a new round, new deadlines
    expect(actions.locator("summary", has_text=zh("Contest the answer"))).to_have_count(0)  # only once
    screenshot("step6-contested")

    # --- 7. The departments answer again --------------------------------------------------------
    sign_in(page, mw.enforcement_staff.username)
    open_from_my_departments(page)
    expect(page.get_by_test_id("contested")).to_contain_text(CONTEST_REASON)
    answer(page, enforcement.name, ENFORCEMENT_ANSWER_2)
    sign_in(page, mw.housing_staff.username)
    open_from_my_departments(page)
    answer(page, housing.name, HOUSING_ANSWER_2)
    expect(page.locator("h1 ~ .badge[data-status='answered']")).to_be_visible()
    screenshot("step7-answered-again")

    # --- 8. The convener accepts --------------------------------------------------------------
    sign_in(page, c.convener.username)
    page.goto(petition_url)
    expect(department_card(page, enforcement.name).get_by_test_id("answer")).to_contain_text(ENFORCEMENT_ANSWER_2)
    page.locator("section[aria-labelledby='actions-title']").get_by_role("button", name=zh("Accept the answer")).click()
    expect(page.locator("h1 ~ .badge[data-status='accepted']")).to_be_visible()
    events = timeline(page)
    for label in (
        "Sent to the departments",
        "Acknowledged",
        "Overdue: escalated to the street",
        "Overdue: escalated to the district",
        "The committee contested the answer",
        "Every department has answered",
        "The committee accepted the answer",
    ):
        expect(events).to_contain_text(zh(label))
    screenshot("step8-accepted")

    # --- 9. An employee of the building rates the petition ---------------------------------------
    sign_in(page, employee.username, viewport=PHONE)
    # (No rating request is sent for an answered petition, unlike a verified project: the employee
    # finds it in the list of special petitions.)
    open_nav(page, reverse("engagement:petition_list"))
    row = page.locator("tr[data-petition]").filter(has_text=PETITION_TITLE)
    expect(row.locator(".badge[data-status='accepted']")).to_be_visible()
    row.get_by_role("link", name=PETITION_TITLE).click()
    expect(page).to_have_url(petition_url)
    expect(page.locator("h1")).to_have_text(PETITION_TITLE)
    expect(page.locator("main")).not_to_contain_text(zh("Send the answer"))
    box = page.locator("#rating-box")
    box.locator("label[for='score-4']").click()
    box.get_by_label(zh("Comment (optional)")).fill(PETITION_RATING_COMMENT)
    box.get_by_role("button", name=zh("Rate")).click()
    expect(box).to_contain_text(zh("You rated this %(score)s / 5.", score=4))
    assert_fits_the_phone(page)
    screenshot("step9-employee-rated-phone")

    # What the clicks stored (read back once, at the end).
    petition = Petition.objects.get(title=PETITION_TITLE)
    assert (petition.status, petition.answered_on_time, petition.contested_once, petition.contest_reason) == (
        "accepted",
        False,
        True,
        CONTEST_REASON,
    )
    assert petition.escalation == Escalation.NONE  # the contested round started afresh
    kinds = list(PetitionEvent.objects.filter(petition=petition).values_list("kind", flat=True))
    assert kinds.count("escalated_street") == 1 and kinds.count("escalated_district") == 1
    targets = {t.department_id: t for t in petition.targets.all()}
    assert targets[housing.pk].answer == HOUSING_ANSWER_2 and targets[enforcement.pk].answer == ENFORCEMENT_ANSWER_2
    assert {t.round for t in targets.values()} == {2}
    rating = Rating.objects.get(item_kind="petition", item_id=petition.pk)
    assert (rating.score, rating.person_id) == (4, employee.person_id)
    assert dialogs == []
