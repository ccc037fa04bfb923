"""Pages of special petitions: submit, list (filters, export), a petition's page and its buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from govcube.deliberation.models import FollowUp
from govcube.engagement.models import (
    Escalation,
    Petition,
    PetitionEvent,
    PetitionStatus,
    PetitionTarget,
    TargetStatus,
)
from govcube.engagement.services import target_acknowledge, target_answer
from govcube.services.models import Department

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def browser(user) -> Client:
    """A client of its own (the ``login`` fixture shares one client between users)."""
    client = Client()
    client.force_login(user)
    return client


def new_url(committee) -> str:
    return reverse("engagement:petition_new", args=[committee.body.pk])


def detail_url(petition) -> str:
    return reverse("engagement:petition_detail", args=[petition.pk])


def action_url(petition, action) -> str:
    return reverse("engagement:petition_action", args=[petition.pk, action])


def target_url(petition, target, action) -> str:
    return reverse("engagement:petition_target_action", args=[petition.pk, target.pk, action])


def answered(petition, departments):
    """Every department of the petition answers; the petition comes back to the committee."""
    staff = {departments.housing.pk: departments.housing_staff, departments.tax.pk: departments.tax_staff}
    for target in petition.targets.all():
        target_answer(actor=staff[target.department_id], target=target, answer="已安排维修，本周完成。")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    return petition


def form_data(world, deps, **overrides):
    data = {
        "building": world.henglong.pk,
        "title": "地下车库渗水",
        "text": "车库渗水三个月未解决。",
        "evidence": "照片见物业报告",
        "departments": [deps.housing.pk, deps.tax.pk],
        "answer_by": "",
        "decision": "",
        "topic": "",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------------------------
# Submitting


def test_the_convener_sends_a_petition_and_sees_each_departments_deadlines(login, committee, departments, world):
    client = login(committee.convener)
    page = client.get(new_url(committee))
    assert page.status_code == 200
    assert [label for _pk, label in page.context["form"].fields["building"].choices[1:]] == ["中信泰富广场", "恒隆广场"]
    response = client.post(new_url(committee), form_data(world, departments), follow=True)
    assert response.status_code == 200
    petition = Petition.objects.get()
    assert response.redirect_chain == [(detail_url(petition), 302)]
    housing = petition.targets.get(department=departments.housing)
    text = response.content.decode()
    assert f"{housing.answer_by:%Y-%m-%d}" in text and f"{housing.acknowledge_by:%Y-%m-%d}" in text
    flash = [str(m) for m in response.context["messages"]]
    assert any(f"静安区房屋管理局: acknowledge by {housing.acknowledge_by:%Y-%m-%d}" in m for m in flash), flash
    assert (petition.building, petition.submitted_by, petition.targets.count()) == (
        world.henglong,
        committee.convener,
        2,
    )


def test_the_form_is_prefilled_from_a_passed_decision(login, committee, departments, world, passed_decision):
    client = login(committee.convener)
    page = client.get(new_url(committee), {"decision": passed_decision.pk})
    initial = page.context["form"].initial
    assert initial["decision"] == passed_decision.pk and initial["topic"] == passed_decision.item.topic_id
    assert initial["text"] == "提请区房管局协调维修" and initial["title"] == "车库渗水"
    assert page.context["source_decision"] == passed_decision
    data = form_data(world, departments, decision=passed_decision.pk, topic=passed_decision.item.topic_id)
    assert client.post(new_url(committee), data).status_code == 302
    petition = Petition.objects.get()
    assert petition.decision == passed_decision and petition.topic == passed_decision.item.topic
    link = FollowUp.objects.get(decision=passed_decision)
    assert (link.kind, link.target_id) == ("petition", str(petition.pk))
    text = client.get(detail_url(petition)).content.decode()
    assert reverse("deliberation:meeting_detail", args=[passed_decision.item.meeting_id]) in text
    assert reverse("deliberation:topic_detail", args=[petition.topic_id]) in text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"text": "   "}, "text"),
        ({"departments": []}, "departments"),
        ({"building": ""}, "building"),
        ({"answer_by": "2020-01-02"}, "answer_by"),
    ],
)
def test_bad_input_is_shown_under_its_field_and_nothing_is_stored(
    login, committee, departments, world, overrides, field
):
    response = login(committee.convener).post(new_url(committee), form_data(world, departments, **overrides))
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not Petition.objects.exists() and not PetitionTarget.objects.exists()


def test_too_many_departments_and_decisions_that_cannot_be_sent_on_are_refused(
    login, committee, departments, world, passed_decision, personas
):
    client = login(committee.convener)
    many = [
        Department.objects.create(name=f"部门{i}", short_name=f"部门{i}", district=world.district) for i in range(9)
    ]
    response = client.post(
        new_url(committee),
        form_data(world, departments, departments=[d.pk for d in many] + [departments.housing.pk, departments.tax.pk]),
    )
    assert response.status_code == 400 and response.context["form"].errors["departments"]
    passed_decision.passed = False
    passed_decision.save()
    response = client.post(new_url(committee), form_data(world, departments, decision=passed_decision.pk))
    assert response.status_code == 400
    assert "Only a passed decision can be sent on." in response.context["form"].non_field_errors()
    # a decision of another committee's meeting
    from govcube.bodies.services import body_create

    other = body_create(
        actor=personas.street_njxl,
        node=world.cluster,
        name="中信泰富楼事会",
        kind="building_committee",
        buildings=[world.citic],
    )
    passed_decision.passed = True
    passed_decision.save()
    meeting = passed_decision.item.meeting
    meeting.body = other
    meeting.save()
    response = client.post(new_url(committee), form_data(world, departments, decision=passed_decision.pk))
    assert response.status_code == 400
    assert "Choose a decision of this committee's meetings." in response.context["form"].non_field_errors()
    assert not Petition.objects.exists()


def test_only_the_convener_may_send_and_outsiders_do_not_see_the_body(login, committee, personas):
    assert login(committee.members[0]).get(new_url(committee)).status_code == 403
    assert login(committee.outsider).get(new_url(committee)).status_code == 404
    assert login(personas.street_jas).get(new_url(committee)).status_code == 404


# ---------------------------------------------------------------------------------------------
# The list


def test_who_sees_the_list(login, committee, departments, personas, send, world):
    petition = send()
    to_tax = send(title="税务减免咨询", departments=[departments.tax])
    url = reverse("engagement:petition_list")

    def rows(user, **params):
        return [p.title for p in login(user).get(url, params).context["page"].rows]

    both = ["税务减免咨询", "地下车库渗水"]
    assert rows(personas.street_njxl) == both
    assert rows(personas.district_leader) == both
    assert rows(committee.members[0]) == both and rows(committee.employees[0]) == both
    assert rows(departments.housing_staff) == ["地下车库渗水"]
    assert rows(departments.tax_staff) == ["税务减免咨询"]
    assert rows(personas.street_jas) == [] and rows(committee.outsider) == [] and rows(personas.nobody) == []
    assert rows(personas.street_njxl, body=committee.body.pk) == both
    assert rows(personas.street_njxl, department=departments.tax.pk) == ["税务减免咨询"]
    Petition.objects.filter(pk=to_tax.pk).update(escalation=Escalation.STREET)
    assert rows(personas.street_njxl, escalation="any") == ["税务减免咨询"]
    assert rows(personas.street_njxl, escalation="2") == []
    PetitionTarget.objects.filter(petition=petition).update(
        acknowledge_by=TODAY() - timedelta(days=5), answer_by=TODAY() - timedelta(days=3)
    )
    assert rows(personas.street_njxl, overdue="1") == ["地下车库渗水"]
    assert rows(personas.street_njxl, status="answered") == []


def test_the_list_shows_deadlines_badges_and_the_committee_link(login, committee, departments, send):
    petition = send(departments=[departments.housing, departments.tax])
    PetitionTarget.objects.filter(petition=petition, department=departments.tax).update(
        acknowledge_by=TODAY() - timedelta(days=10), answer_by=TODAY() - timedelta(days=7)
    )
    Petition.objects.filter(pk=petition.pk).update(escalation=Escalation.DISTRICT)
    response = login(committee.convener).get(reverse("engagement:petition_list"), {"body": committee.body.pk})
    text = response.content.decode()
    row = response.context["page"].rows[0]
    assert row.due.tone == "overdue" and row.due.text.startswith("overdue by")
    assert row.department_names == ["区房管局", "区税务局"]
    assert 'data-escalation="2"' in text and "Escalated to the district" in text
    assert response.context["can_submit"] and new_url(committee) in text
    partial = login(committee.convener).get(reverse("engagement:petition_list"), HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="petition-results"')


def test_the_list_exports_to_excel(login, personas, send):
    from io import BytesIO

    from openpyxl import load_workbook

    send()
    response = login(personas.street_njxl).get(reverse("engagement:petition_list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][:4] == ("Title", "Committee", "Building", "Departments")
    assert rows[1][:4] == ("地下车库渗水", "恒隆广场楼宇事务委员会", "恒隆广场", "静安区房屋管理局")


# ---------------------------------------------------------------------------------------------
# A petition


def test_the_petition_page_is_hidden_outside(login, committee, departments, personas, send):
    url = detail_url(send())
    for user in (personas.street_jas, committee.outsider, departments.tax_staff, personas.nobody):
        assert login(user).get(url).status_code == 404, user
    for user in (personas.street_njxl, committee.members[0], committee.employees[1], departments.housing_coordinator):
        assert login(user).get(url).status_code == 200, user


def test_each_user_gets_their_buttons(login, committee, departments, send):
    petition = send()
    target = petition.targets.get()
    staff = login(departments.housing_staff).get(detail_url(petition))
    card = staff.context["targets"][0]
    assert card.can_acknowledge and card.answer_form is not None and staff.context["actions"] == []
    assert target_url(petition, target, "answer") in staff.content.decode()
    convener = login(committee.convener).get(detail_url(petition))
    assert [a["name"] for a in convener.context["actions"]] == ["withdraw"]
    assert not convener.context["targets"][0].can_acknowledge
    member = login(committee.members[0]).get(detail_url(petition))
    assert member.context["actions"] == [] and member.context["targets"][0].answer_form is None


def test_a_petition_through_its_pages(committee, departments, send):
    petition = send()
    target = petition.targets.get()
    staff = browser(departments.housing_staff)
    assert staff.post(target_url(petition, target, "acknowledge"), {"version": target.version}).status_code == 302
    target.refresh_from_db()
    assert target.status == TargetStatus.ACKNOWLEDGED
    response = staff.post(target_url(petition, target, "answer"), {"answer": "  ", "version": target.version})
    assert response.status_code == 400 and response.context["targets"][0].answer_form.errors["answer"]
    response = staff.post(target_url(petition, target, "answer"), {"answer": "已安排维修", "version": target.version})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED

    convener = browser(committee.convener)
    page = convener.get(detail_url(petition))
    assert [a["name"] for a in page.context["actions"]] == ["accept", "contest", "close"]
    response = convener.post(action_url(petition, "contest"), {"reason": "", "version": petition.version})
    assert response.status_code == 400
    contest = next(a for a in response.context["actions"] if a["name"] == "contest")
    assert contest["open"] and contest["form"].errors["reason"]
    response = convener.post(action_url(petition, "contest"), {"reason": "渗水仍在", "version": petition.version})
    assert response.status_code == 302
    target.refresh_from_db()
    response = staff.post(target_url(petition, target, "answer"), {"answer": "已更换防水层", "version": target.version})
    assert response.status_code == 302, response.context.get("conflict")
    petition.refresh_from_db()
    page = convener.get(detail_url(petition))
    assert [a["name"] for a in page.context["actions"]] == ["accept", "close"]
    text = page.content.decode()
    assert 'data-testid="contested"' in text and "渗水仍在" in text and "Round 2" in text
    response = convener.post(action_url(petition, "contest"), {"reason": "再次", "version": petition.version})
    assert response.status_code == 409 and "only once" in response.context["conflict"]
    assert convener.post(action_url(petition, "accept"), {"version": petition.version}).status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ACCEPTED
    page = convener.get(detail_url(petition))
    labels = [row.label for row in page.context["timeline"]]
    assert labels == [
        "Sent to the departments",
        "Acknowledged",
        "Answered",
        "Every department has answered",
        "The committee contested the answer",
        "Answered",
        "Every department has answered",
        "The committee accepted the answer",
    ]
    assert reverse("evaluation:rate", args=["petition", petition.pk]) in page.content.decode()


def test_a_stale_version_shows_the_conflict(login, committee, departments, send):
    petition = answered(send(), departments)
    response = login(committee.convener).post(action_url(petition, "close"), {"reason": "无法解决", "version": 1})
    assert response.status_code == 409
    assert "changed by someone else" in response.context["conflict"]
    assert 'data-testid="conflict"' in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED


def test_refusals(login, committee, departments, send):
    petition = answered(send(departments=[departments.housing, departments.tax]), departments)
    assert login(committee.members[0]).post(action_url(petition, "accept"), {}).status_code == 403
    other = send(title="第二件", departments=[departments.housing, departments.tax])
    housing = other.targets.get(department=departments.housing)
    response = login(departments.tax_staff).post(target_url(other, housing, "answer"), {"answer": "越权答复"})
    assert response.status_code == 403
    housing.refresh_from_db()
    assert housing.status == TargetStatus.SENT and housing.answer == ""
    assert login(committee.convener).post(action_url(petition, "unknown"), {}).status_code == 404
    assert login(committee.convener).get(action_url(petition, "accept")).status_code == 405
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED


def test_withdrawing_needs_a_reason(login, committee, send):
    petition = send()
    client = login(committee.convener)
    response = client.post(action_url(petition, "withdraw"), {"reason": "", "version": petition.version})
    assert response.status_code == 400
    response = client.post(action_url(petition, "withdraw"), {"reason": "物业已解决", "version": petition.version})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.status, petition.closing_note) == (PetitionStatus.WITHDRAWN, "物业已解决")


def test_the_inbox_lists_the_departments_petitions_overdue_first(login, departments, send):
    later = send(title="晚到期")
    sooner = send(title="已逾期")
    PetitionTarget.objects.filter(petition=sooner).update(
        acknowledge_by=TODAY() - timedelta(days=5), answer_by=TODAY() - timedelta(days=1)
    )
    done = send(title="已答复")
    target_answer(actor=departments.housing_staff, target=done.targets.get(), answer="已处理")
    client = login(departments.housing_staff)
    rows = client.get(reverse("engagement:petition_inbox")).context["page"].rows
    assert [t.petition.title for t in rows] == ["已逾期", "晚到期", "已答复"]
    assert rows[0].ack_due.tone == "overdue" and rows[2].answer_due.tone == "met"
    open_rows = client.get(reverse("engagement:petition_inbox"), {"open": "1"}).context["page"].rows
    assert [t.petition.title for t in open_rows] == ["已逾期", "晚到期"]
    assert later.pk in [t.petition_id for t in open_rows]
    assert login(departments.tax_staff).get(reverse("engagement:petition_inbox")).context["page"].rows == []


def test_the_inbox_exports_to_excel(departments, send, world):
    from io import BytesIO

    from openpyxl import load_workbook

    from govcube.accounts.models import RoleAssignment
    from govcube.accounts.roles import Role

    send()
    # the service team lead's role carries the export permission
    RoleAssignment.objects.create(user=departments.housing_staff, role=Role.SERVICE_LEAD, node=world.district)
    response = browser(departments.housing_staff).get(reverse("engagement:petition_inbox"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][:4] == ("Title", "Committee", "Building", "Department")
    assert rows[1][:4] == ("地下车库渗水", "恒隆广场楼宇事务委员会", "恒隆广场", "静安区房屋管理局")


def test_the_pages_render_in_chinese(client, committee, departments, send):
    petition = send()
    client.force_login(committee.convener)
    page = client.get(reverse("engagement:petition_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and 'lang="zh-hans"' in page.content.decode()
    assert "状态" in page.content.decode()  # "Status"
    page = client.get(detail_url(petition), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "进展记录" in page.content.decode()  # "Timeline"
    assert client.get(new_url(committee), HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200
    client.force_login(departments.housing_staff)
    assert client.get(reverse("engagement:petition_inbox"), HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200


# ---------------------------------------------------------------------------------------------
# Query counts


def _queries(count_queries, fn) -> int:
    fn()  # a first call may warm a per-process cache
    with count_queries() as ctx:
        fn()
    return len(ctx.captured_queries)


def _many(send, departments, n: int, prefix: str):
    for i in range(n):
        petition = send(title=f"{prefix}{i}", departments=[departments.housing, departments.tax])
        if i % 3 == 0:
            target_acknowledge(
                actor=departments.housing_staff, target=petition.targets.get(department=departments.housing)
            )
        if i % 4 == 0:
            Petition.objects.filter(pk=petition.pk).update(escalation=Escalation.STREET)


def test_list_inbox_and_detail_queries_do_not_grow_with_rows(
    login, committee, departments, personas, send, count_queries, settings
):
    settings.GOVCUBE_LIST_PAGE_SIZE = 100  # every row on one page, rendered
    official, staff, convener = (
        browser(personas.street_njxl),
        browser(departments.housing_staff),
        browser(committee.convener),
    )
    first = send(title="详情")

    def pages():
        return {
            "list": _queries(count_queries, lambda: official.get(reverse("engagement:petition_list"))),
            "filtered": _queries(
                count_queries,
                lambda: official.get(reverse("engagement:petition_list"), {"overdue": "1", "escalation": "any"}),
            ),
            "committee list": _queries(
                count_queries, lambda: convener.get(reverse("engagement:petition_list"), {"body": committee.body.pk})
            ),
            "inbox": _queries(count_queries, lambda: staff.get(reverse("engagement:petition_inbox"))),
            "detail (staff)": _queries(count_queries, lambda: staff.get(detail_url(first))),
            "detail (convener)": _queries(count_queries, lambda: convener.get(detail_url(first))),
        }

    _many(send, departments, 4, "小")
    few = pages()
    _many(send, departments, 12, "大")
    for _i in range(12):  # a longer timeline on the page
        PetitionEvent.objects.create(petition=first, kind="acknowledged", actor=departments.housing_staff)
    many = pages()
    assert many == few, (few, many)
    assert max(many.values()) <= 40, many
    assert len(official.get(reverse("engagement:petition_list")).context["page"].rows) == 17


def test_detail_queries_do_not_grow_with_departments(committee, departments, send, count_queries, world):
    extra = [
        Department.objects.create(name=f"部门{i}", short_name=f"部门{i}", district=world.district) for i in range(8)
    ]
    one = send(title="一个部门")
    ten = send(title="十个部门", departments=[departments.housing, departments.tax, *extra])
    for petition in (one, ten):
        target_acknowledge(actor=departments.housing_staff, target=petition.targets.get(department=departments.housing))
    for user in (departments.housing_staff, committee.convener):
        client = browser(user)
        costs = [_queries(count_queries, lambda p=p: client.get(detail_url(p))) for p in (one, ten)]
        assert costs[0] == costs[1], (user, costs)
    assert len(browser(committee.convener).get(detail_url(ten)).context["targets"]) == 10
