"""The service desk's pages: filing from a phone, the request page for both sides, the queue, the board."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govcube.accounts.roles import Role
from govcube.services import services as s
from govcube.services.models import (
    Channel,
    Department,
    Extension,
    RequestStatus,
    RotaEntry,
    ServiceItem,
    ServiceRequest,
)
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

TITLE = "外籍员工工作许可"


def _file(desk, world, title=TITLE, item=None):
    return s.request_submit(
        actor=desk.contact,
        enterprise=world.ent_a,
        building=world.henglong,
        item=item or desk.permit,
        title=title,
        description="新聘一名外籍工程师，需要办理工作许可，想了解材料。",
    )


def _detail(r):
    return reverse("services:request_detail", args=[r.pk])


def _act(client, r, action, **fields):
    r.refresh_from_db()
    data = {f"{action}-version": r.version} | {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(reverse("services:request_act", args=[r.pk, action]), data)


# --- Filing -------------------------------------------------------------------------------------


def test_the_enterprise_files_a_request_step_by_step(desk, world, login):
    client = login(desk.contact)
    url = reverse("services:request_new")
    body = client.get(url).content.decode()
    assert "Talent services" in body and f"domain={desk.permit.domain}" in body
    body = client.get(url, {"domain": desk.permit.domain}).content.decode()
    assert desk.permit.name in body and desk.invoice.name not in body
    body = client.get(url, {"item": desk.permit.pk}).content.decode()
    assert desk.hr.name in body and "护照" in body and "学历证明" in body
    assert "First response within 4 working hours, resolved within 5 working days" in body
    assert world.henglong.name in body
    response = client.post(
        url,
        {
            "enterprise": world.ent_a.pk,
            "item": desk.permit.pk,
            "building": world.henglong.pk,
            "title": TITLE,
            "description": "需要了解材料。",
        },
    )
    r = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(r)
    assert r.channel == Channel.WEB and r.owner == desk.hr_member and r.enterprise == world.ent_a


def test_a_building_the_enterprise_does_not_rent_in_is_403(desk, world, login):
    response = login(desk.contact).post(
        reverse("services:request_new"),
        {"item": desk.permit.pk, "building": world.jas_building.pk, "title": TITLE, "description": "x"},
    )
    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


def test_filing_for_another_enterprise_is_403(desk, world, login):
    response = login(desk.contact).post(
        reverse("services:request_new"),
        {"enterprise": world.ent_b.pk, "item": desk.permit.pk, "building": world.jas_building.pk, "title": TITLE},
    )
    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


def test_someone_without_an_enterprise_cannot_file(desk, login, personas):
    assert login(personas.nobody).get(reverse("services:request_new")).status_code == 403


def test_a_missing_title_is_a_field_error(desk, world, login):
    response = login(desk.contact).post(
        reverse("services:request_new"),
        {"item": desk.permit.pk, "building": world.henglong.pk, "title": "", "description": "需要了解材料。"},
    )
    assert response.status_code == 400
    assert 'id="id_title-error"' in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_possible_duplicates_are_shown_before_filing(desk, world, login):
    first = _file(desk, world)
    client = login(desk.contact)
    data = {"item": desk.permit.pk, "building": world.henglong.pk, "title": TITLE, "description": "再问一次。"}
    response = client.post(reverse("services:request_new"), data)
    body = response.content.decode()
    assert response.status_code == 200 and "data-duplicates" in body and first.number in body
    assert 'name="confirm" value="on"' in body and "File it anyway" in body
    assert ServiceRequest.objects.count() == 1
    response = client.post(reverse("services:request_new"), data | {"confirm": "on"})
    assert response.status_code == 302 and ServiceRequest.objects.count() == 2


def test_staff_take_a_request_by_phone(desk, world, login):
    client = login(desk.hr_member)
    url = reverse("services:request_new")
    body = client.get(url, {"channel": "phone", "q": world.ent_a.uscc}).content.decode()
    assert world.ent_a.name in body and world.ent_b.name not in body
    body = client.get(url, {"channel": "phone", "enterprise": world.ent_a.pk, "item": desk.permit.pk}).content.decode()
    assert world.henglong.name in body
    response = client.post(
        url,
        {
            "channel": "phone",
            "enterprise": world.ent_a.pk,
            "item": desk.permit.pk,
            "building": world.henglong.pk,
            "title": "电话咨询工作许可",
            "description": "企业来电咨询。",
        },
    )
    assert response.status_code == 302
    assert ServiceRequest.objects.get().channel == Channel.PHONE


def test_an_enterprise_contact_cannot_enter_by_phone(desk, login):
    assert login(desk.contact).get(reverse("services:request_new"), {"channel": "phone"}).status_code == 403


# --- The enterprise's side ----------------------------------------------------------------------


def test_my_requests_lists_the_enterprises_requests_only(desk, world, login):
    mine = _file(desk, world)
    contact_b = user_with_role("contact_b", Role.ENTERPRISE_CONTACT, enterprise=world.ent_b)
    body = login(desk.contact).get(reverse("services:my_requests")).content.decode()
    assert mine.number in body and 'data-status="assigned"' in body and 'data-clock="resolution"' in body
    body = login(contact_b).get(reverse("services:my_requests")).content.decode()
    assert mine.number not in body


def test_another_enterprises_request_is_404(desk, world, login):
    r = _file(desk, world)
    contact_b = user_with_role("contact_b", Role.ENTERPRISE_CONTACT, enterprise=world.ent_b)
    client = login(contact_b)
    assert client.get(_detail(r)).status_code == 404
    assert client.post(reverse("services:request_message", args=[r.pk]), {"kind": "reply"}).status_code == 404


def test_the_story_on_the_pages(desk, world, login, client):
    r = _file(desk, world)
    member = login(desk.hr_member)
    assert _act(member, r, "accept").status_code == 302
    assert _act(member, r, "ask", message="请补充学历认证材料。").status_code == 302
    r.refresh_from_db()
    assert r.status == RequestStatus.WAITING
    body = member.get(_detail(r)).content.decode()
    assert 'data-clock="resolution" data-tone="paused"' in body and "paused" in body

    enterprise = login(desk.contact)
    body = enterprise.get(_detail(r)).content.decode()
    assert "请补充学历认证材料。" in body and "waiting for your answer" in body
    response = enterprise.post(
        reverse("services:request_message", args=[r.pk]), {"kind": "reply", "reply-text": "已上传学历认证。"}
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == RequestStatus.IN_PROGRESS and r.paused_at is None

    member = login(desk.hr_member)
    body = member.get(_detail(r)).content.decode()
    assert 'data-tone="paused"' not in body and "已上传学历认证。" in body
    response = _act(member, r, "resolve", answer="")
    assert response.status_code == 400 and 'id="id_resolve-answer-error"' in response.content.decode()
    r.refresh_from_db()
    assert r.status == RequestStatus.IN_PROGRESS
    assert _act(member, r, "resolve", answer="材料齐全，已提交。").status_code == 302

    coordinator = login(desk.hr_coordinator)
    response = coordinator.post(reverse("services:request_rate", args=[r.pk]), {"rate-score": 5, "rate-solved": "yes"})
    assert response.status_code == 403

    enterprise = login(desk.contact)
    body = enterprise.get(_detail(r)).content.decode()
    assert "材料齐全，已提交。" in body
    for label in ("Very satisfied", "Satisfied", "Fairly satisfied", "Dissatisfied", "Very dissatisfied"):
        assert f">{label}</label>" in body
    assert 'type="radio" name="rate-score" value="5"' in body
    response = enterprise.post(
        reverse("services:request_rate", args=[r.pk]), {"rate-score": 2, "rate-solved": "no", "rate-comment": "太慢"}
    )
    assert response.status_code == 302
    r.refresh_from_db()
    rating = r.ratings.get()
    assert (
        r.status == RequestStatus.CLOSED and rating.score == 2 and not rating.solved and rating.review_status == "open"
    )
    response = _act(enterprise, r, "reopen", reason="证件信息有误")
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == RequestStatus.IN_PROGRESS and r.reopen_count == 1


def test_a_rating_without_a_score_is_a_field_error(desk, world, login):
    r = _file(desk, world)
    s.request_action(actor=desk.hr_member, request=r, action="accept")
    r = s.request_action(actor=desk.hr_member, request=r, action="resolve", answer="已办结")
    response = login(desk.contact).post(reverse("services:request_rate", args=[r.pk]), {"rate-solved": "yes"})
    assert response.status_code == 400 and 'id="id_rate-score-error"' in response.content.decode()
    assert not r.ratings.exists()


def test_reopening_after_the_window_is_not_offered_and_refused(desk, world, login, monkeypatch):
    r = _file(desk, world)
    s.request_action(actor=desk.hr_member, request=r, action="accept")
    r = s.request_action(actor=desk.hr_member, request=r, action="resolve", answer="已办结")
    later = r.resolved_at + timedelta(days=8)
    monkeypatch.setattr(timezone, "now", lambda: later)
    client = login(desk.contact)
    body = client.get(_detail(r)).content.decode()
    assert "have passed" in body and "reopen-reason" not in body
    response = _act(client, r, "reopen", reason="还有问题")
    assert response.status_code == 409
    r.refresh_from_db()
    assert r.status == RequestStatus.RESOLVED


def test_internal_notes_are_hidden_from_the_enterprise(desk, world, login):
    r = _file(desk, world)
    member = login(desk.hr_member)
    response = member.post(
        reverse("services:request_message", args=[r.pk]), {"kind": "note", "note-text": "内部：需与出入境处核对"}
    )
    assert response.status_code == 302
    assert "内部：需与出入境处核对" in member.get(_detail(r)).content.decode()
    body = login(desk.contact).get(_detail(r)).content.decode()
    assert "内部：需与出入境处核对" not in body and "note-text" not in body


def test_an_enterprise_cannot_write_an_internal_note(desk, world, login):
    r = _file(desk, world)
    response = login(desk.contact).post(
        reverse("services:request_message", args=[r.pk]), {"kind": "note", "note-text": "x"}
    )
    assert response.status_code == 403
    assert not r.messages.exists()


def _make_overdue(r):
    now = timezone.now()
    ServiceRequest.objects.filter(pk=r.pk).update(
        submitted_at=now - timedelta(days=10),
        first_response_due=now - timedelta(days=9),
        resolution_due=now - timedelta(hours=1),
    )


# --- Staff actions ------------------------------------------------------------------------------


def test_the_staff_page_shows_the_workflows_buttons_and_three_clocks(desk, world, login):
    r = _file(desk, world)
    body = login(desk.hr_member).get(_detail(r)).content.decode()
    assert 'data-action="accept"' in body and 'data-action="transfer"' in body
    for clock in ("first_response", "update", "resolution"):
        assert f'data-clock="{clock}"' in body
    body = login(desk.contact).get(_detail(r)).content.decode()
    assert 'data-action="accept"' not in body and 'data-action="withdraw"' in body


def test_transfer_to_the_same_department_is_a_field_error(desk, world, login):
    r = _file(desk, world)
    client = login(desk.hr_member)
    response = _act(client, r, "transfer", department=desk.hr.pk, reason="wrong_department")
    assert response.status_code == 400 and 'id="id_transfer-department-error"' in response.content.decode()
    r.refresh_from_db()
    assert r.department == desk.hr
    assert _act(client, r, "transfer", department=desk.tax.pk, reason="wrong_department").status_code == 302
    r.refresh_from_db()
    assert r.department == desk.tax and r.owner == desk.tax_member


def test_a_stale_action_is_a_conflict(desk, world, login):
    r = _file(desk, world)
    client = login(desk.hr_member)
    response = client.post(reverse("services:request_act", args=[r.pk, "accept"]), {"accept-version": r.version - 1})
    assert response.status_code == 409 and "data-conflict" in response.content.decode()


def test_an_unknown_action_is_404(desk, world, login):
    r = _file(desk, world)
    assert login(desk.hr_member).post(reverse("services:request_act", args=[r.pk, "explode"])).status_code == 404


def test_a_merge_picks_a_possible_duplicate(desk, world, login):
    kept = _file(desk, world)
    duplicate = _file(desk, world)
    client = login(desk.hr_coordinator)
    body = client.get(_detail(duplicate)).content.decode()
    assert f'<option value="{kept.pk}">{kept.number}' in body
    assert _act(client, duplicate, "merge", merged_into=kept.pk).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == RequestStatus.MERGED and duplicate.merged_into == kept


def _unassigned(desk, world):
    """A request routing could not place: no rota for the building and, for a moment, no coordinator."""
    RotaEntry.objects.all().delete()
    Department.objects.filter(pk=desk.hr.pk).update(coordinator=None)
    r = _file(desk, world, item=ServiceItem.objects.get(pk=desk.permit.pk))
    Department.objects.filter(pk=desk.hr.pk).update(coordinator=desk.hr_coordinator)
    assert r.status == RequestStatus.SUBMITTED and r.owner is None
    return r


def test_the_coordinator_assigns_from_the_queue(desk, world, login):
    r = _unassigned(desk, world)
    client = login(desk.hr_coordinator)
    body = client.get(reverse("services:queue")).content.decode()
    assert f'id="assign-owner-{r.pk}"' in body
    response = client.post(
        reverse("services:request_assign", args=[r.pk]),
        {"assign-owner": desk.hr_member.pk, "assign-version": r.version, "next": reverse("services:queue")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("services:queue")
    r.refresh_from_db()
    assert r.owner == desk.hr_member and r.status == RequestStatus.ASSIGNED


def test_assigning_is_for_dispatchers_and_to_department_members(desk, world, login):
    r = _unassigned(desk, world)
    response = login(desk.hr_member).post(
        reverse("services:request_assign", args=[r.pk]), {"assign-owner": desk.hr_member.pk}
    )
    assert response.status_code == 403
    response = login(desk.hr_coordinator).post(
        reverse("services:request_assign", args=[r.pk]), {"assign-owner": desk.tax_member.pk}
    )
    assert response.status_code == 400 and 'id="id_assign-owner-error"' in response.content.decode()
    r.refresh_from_db()
    assert r.owner is None


def test_the_queue_puts_unassigned_first_and_filters(desk, world, login):
    assigned = _file(desk, world, title="先到的请求")
    unassigned = _unassigned(desk, world)
    client = login(desk.hr_coordinator)
    body = client.get(reverse("services:queue")).content.decode()
    assert body.index(f'data-request="{unassigned.pk}"') < body.index(f'data-request="{assigned.pk}"')
    assert "Workload" in body and desk.hr_member.username in body
    body = client.get(reverse("services:queue"), {"status": "submitted"}).content.decode()
    assert f'data-request="{assigned.pk}"' not in body and f'data-request="{unassigned.pk}"' in body
    body = client.get(reverse("services:queue"), {"building": world.citic.pk}).content.decode()
    assert "data-request=" not in body


def test_the_queue_is_for_staff(desk, login, personas):
    assert login(desk.contact).get(reverse("services:queue")).status_code == 403
    assert login(personas.nobody).get(reverse("services:queue")).status_code == 403


def test_the_queue_shows_only_my_departments(desk, world, login):
    hr_request = _file(desk, world)
    body = login(desk.tax_member).get(reverse("services:queue")).content.decode()
    assert f'data-request="{hr_request.pk}"' not in body


def test_the_lead_approves_an_extension_and_the_due_moves(desk, world, login):
    r = _file(desk, world)
    member = login(desk.hr_member)
    _act(member, r, "accept")
    response = member.post(
        reverse("services:request_extension", args=[r.pk]), {"extension-days": 3, "extension-reason": "需出入境处会签"}
    )
    assert response.status_code == 302
    r.refresh_from_db()
    due = r.resolution_due
    extension = Extension.objects.get()
    lead = login(desk.lead)
    body = lead.get(reverse("services:board")).content.decode()
    assert "需出入境处会签" in body and reverse("services:extension_decide", args=[extension.pk]) in body
    response = lead.post(reverse("services:extension_decide", args=[extension.pk]), {"decision": "approve"})
    assert response.status_code == 302
    r.refresh_from_db()
    extension.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED and r.resolution_due > due and r.extension_days == 3


def test_an_extension_needs_a_reason(desk, world, login):
    r = _file(desk, world)
    member = login(desk.hr_member)
    _act(member, r, "accept")
    response = member.post(reverse("services:request_extension", args=[r.pk]), {"extension-days": 3})
    assert response.status_code == 400 and 'id="id_extension-reason-error"' in response.content.decode()
    assert not Extension.objects.exists()


def test_only_the_lead_decides_extensions(desk, world, login, personas):
    r = _file(desk, world)
    s.request_action(actor=desk.hr_member, request=r, action="accept")
    extension = s.extension_request(actor=desk.hr_member, request=r, days=2, reason="会签")
    response = login(personas.district_leader).post(
        reverse("services:extension_decide", args=[extension.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert login(desk.hr_member).post(reverse("services:extension_decide", args=[extension.pk])).status_code == 403
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING


def test_the_lead_reviews_a_low_rating_with_a_note(desk, world, login):
    r = _file(desk, world)
    s.request_action(actor=desk.hr_member, request=r, action="accept")
    r = s.request_action(actor=desk.hr_member, request=r, action="resolve", answer="已办结")
    rating = s.rating_submit(actor=desk.contact, request=r, score=1, comment="没有解决")
    client = login(desk.lead)
    url = reverse("services:rating_review", args=[rating.pk])
    response = client.post(url, {f"review-{rating.pk}-note": ""})
    assert response.status_code == 400 and f'id="id_review-{rating.pk}-note-error"' in response.content.decode()
    response = client.post(url, {f"review-{rating.pk}-note": "已约谈经办人并回访企业"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.review_status == "done" and rating.review_note == "已约谈经办人并回访企业"


def test_the_lead_escalates_from_the_board(desk, world, login):
    r = _file(desk, world)
    _make_overdue(r)
    client = login(desk.lead)
    body = client.get(reverse("services:board")).content.decode()
    assert f'data-request="{r.pk}"' in body and 'data-tone="overdue"' in body
    response = client.post(reverse("services:request_escalate", args=[r.pk]), {"next": reverse("services:board")})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.escalation_level == 1


def test_a_member_cannot_escalate_nor_see_the_board(desk, world, login):
    r = _file(desk, world)
    client = login(desk.hr_member)
    assert client.post(reverse("services:request_escalate", args=[r.pk])).status_code == 403
    assert client.get(reverse("services:board")).status_code == 403
    r.refresh_from_db()
    assert r.escalation_level == 0


# --- The catalogue ------------------------------------------------------------------------------


def test_the_catalogue_shows_items_with_their_levels(desk, login):
    body = login(desk.contact).get(reverse("services:catalogue")).content.decode()
    assert desk.permit.name in body and desk.hr.name in body and "护照" in body
    assert "resolved within 5 working days" in body and "resolved within 3 working days" in body
    assert reverse("services:item_edit", args=[desk.permit.pk]) not in body


def test_an_admin_adds_an_item_and_errors_name_the_field(desk, login, personas):
    client = login(personas.district_admin)
    url = reverse("services:item_create")
    data = {
        "domain": "talent",
        "code": desk.permit.code,
        "name": "人才落户",
        "department": desk.hr.pk,
        "documents": "身份证\n学历证书\n",
        "first_response_hours": "4",
        "update_hours": "16",
        "resolution_days": "10",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and 'id="id_code-error"' in response.content.decode()
    response = client.post(url, data | {"code": "talent.hukou"})
    assert response.status_code == 302
    item = desk.hr.items.get(code="talent.hukou")
    assert item.documents == ["身份证", "学历证书"] and item.current_policy.resolution_days == 10


def test_an_admin_edits_an_item_and_its_levels(desk, login, personas):
    client = login(personas.district_admin)
    item = desk.permit
    response = client.post(
        reverse("services:item_edit", args=[item.pk]),
        {
            "version": item.version,
            "name": "外国人工作许可",
            "documents": "护照",
            "guide": "先网上预约。",
            "is_active": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "外国人工作许可" and item.documents == ["护照"] and not item.is_active and item.version == 2
    url = reverse("services:item_levels", args=[item.pk])
    response = client.post(url, {"first_response_hours": "2", "update_hours": "8", "resolution_days": "500"})
    assert response.status_code == 400 and 'id="id_resolution_days-error"' in response.content.decode()
    response = client.post(url, {"first_response_hours": "2", "update_hours": "8", "resolution_days": "3"})
    assert response.status_code == 302
    assert item.policies.count() == 2 and item.current_policy.resolution_days == 3


def test_a_stale_item_edit_is_refused(desk, login, personas):
    client = login(personas.district_admin)
    url = reverse("services:item_edit", args=[desk.permit.pk])
    data = {"version": 1, "name": "一", "documents": "", "guide": "", "is_active": "on"}
    client.post(url, data)
    response = client.post(url, data | {"name": "二"})
    assert response.status_code == 409 and "changed by someone else" in response.content.decode()
    desk.permit.refresh_from_db()
    assert desk.permit.name == "一"


def test_the_catalogue_is_edited_by_admins_only(desk, login):
    client = login(desk.contact)
    assert client.get(reverse("services:item_create")).status_code == 403
    assert client.post(reverse("services:item_edit", args=[desk.permit.pk]), {"name": "x"}).status_code == 403
    assert client.get(reverse("services:item_levels", args=[desk.permit.pk])).status_code == 403


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("request_new", []),
        ("my_requests", []),
        ("request_detail", [1]),
        ("queue", []),
        ("board", []),
        ("catalogue", []),
        ("item_create", []),
        ("item_edit", [1]),
        ("item_levels", [1]),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name, args):
    response = client.get(reverse(f"services:{name}", args=args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "name", ["request_message", "request_rate", "request_extension", "request_assign", "request_escalate"]
)
def test_posts_need_the_request_in_scope(desk, world, login, personas, name):
    r = _file(desk, world)
    assert login(personas.nobody).post(reverse(f"services:{name}", args=[r.pk])).status_code == 404


def test_actions_are_posts_only(desk, world, login):
    r = _file(desk, world)
    assert login(desk.hr_member).get(reverse("services:request_act", args=[r.pk, "accept"])).status_code == 405


def test_request_assign_refuses_a_non_dispatcher_before_anything_else(desk, world):
    from govcube.core.errors import PermissionDenied

    r = _unassigned(desk, world)
    with pytest.raises(PermissionDenied):
        s.request_assign(actor=desk.hr_member, request=r, owner=desk.tax_member)
    r = s.request_assign(actor=desk.lead, request=r, owner=desk.hr_member)
    assert r.owner == desk.hr_member and r.status == RequestStatus.ASSIGNED
