"""Desk panels of special petitions, and what their notifications say."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govcube.core.desk import panels_for
from govcube.engagement import desk
from govcube.engagement.models import Escalation, Petition, PetitionTarget
from govcube.engagement.services import petition_action, petition_sweep, target_acknowledge, target_answer
from govcube.engagement.workflows import PETITION_FLOW
from govcube.notifications.messages import is_registered, render_code
from govcube.notifications.models import Notification
from tests.engagement.conftest import on_day

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def late(petition, *, acknowledge: int | None = None, answer: int | None = None):
    """Move a petition's deadlines ``n`` days into the past."""
    changes = {}
    if acknowledge is not None:
        changes["acknowledge_by"] = TODAY() - timedelta(days=acknowledge)
    if answer is not None:
        changes["answer_by"] = TODAY() - timedelta(days=answer)
    PetitionTarget.objects.filter(petition=petition).update(**changes)


def labels(panel) -> list[str]:
    return [item.label.split(" · ")[0] for item in panel.items]


def test_department_staff_see_their_open_petitions_overdue_first(committee, departments, send):
    send(title="新提请")
    answer_late = send(title="答复逾期")
    late(answer_late, acknowledge=9, answer=2)
    target_acknowledge(actor=departments.housing_staff, target=answer_late.targets.get())
    ack_late = send(title="签收逾期")
    late(ack_late, acknowledge=1)
    done = send(title="已答复")
    target_answer(actor=departments.housing_staff, target=done.targets.get(), answer="已处理")
    withdrawn = send(title="已撤回")
    petition_action(actor=committee.convener, petition=withdrawn, action="withdraw", reason="已解决")
    send(title="税务", departments=[departments.tax])

    panel = desk.department_petitions(departments.housing_staff)
    assert labels(panel) == ["签收逾期", "答复逾期", "新提请"]
    assert panel.title == "Special petitions for my departments (3)"
    assert [item.tone for item in panel.items][:2] == ["danger", "danger"]
    assert panel.items[0].meta.startswith("acknowledge by") and "overdue by" in panel.items[0].meta
    assert panel.items[1].meta.startswith("answer by") and "overdue by" in panel.items[1].meta
    assert panel.items[0].url == reverse("engagement:petition_detail", args=[ack_late.pk])
    assert labels(desk.department_petitions(departments.housing_coordinator)) == labels(panel)
    assert labels(desk.department_petitions(departments.tax_staff)) == ["税务"]


def test_the_panel_is_only_for_department_staff(committee, personas, departments):
    assert desk.department_petitions(committee.convener) is None
    assert desk.department_petitions(personas.street_njxl) is None
    assert desk.escalated_petitions(departments.housing_staff) is None
    assert desk.escalated_petitions(committee.convener) is None


def test_street_and_district_see_escalated_petitions_in_their_territory(committee, departments, personas, send):
    send(title="未升级")
    street = send(title="升级到街道")
    district = send(title="升级到区")
    Petition.objects.filter(pk=street.pk).update(escalation=Escalation.STREET)
    Petition.objects.filter(pk=district.pk).update(escalation=Escalation.DISTRICT)
    late(district, acknowledge=12, answer=9)
    settled = send(title="已撤回")
    Petition.objects.filter(pk=settled.pk).update(escalation=Escalation.STREET)
    petition_action(actor=committee.convener, petition=settled, action="withdraw", reason="已解决")

    panel = desk.escalated_petitions(personas.street_njxl)
    assert labels(panel) == ["升级到区", "升级到街道"] and panel.title == "Escalated special petitions (2)"
    assert [item.tone for item in panel.items] == ["danger", "warning"]
    assert "Escalated to the district" in panel.items[0].meta and "overdue by" in panel.items[0].meta
    assert labels(desk.escalated_petitions(personas.district_leader)) == ["升级到区", "升级到街道"]
    assert labels(desk.escalated_petitions(personas.street_jas)) == []


def test_the_desk_page_shows_the_panels(login, departments, personas, send):
    petition = send()
    Petition.objects.filter(pk=petition.pk).update(escalation=Escalation.STREET)
    titles = [p.title for p in panels_for(departments.housing_staff)]
    assert "Special petitions for my departments (1)" in titles
    body = login(personas.street_njxl).get(reverse("core:home")).content.decode()
    assert "Escalated special petitions (1)" in body
    assert reverse("engagement:petition_detail", args=[petition.pk]) in body


def test_panel_queries_do_not_grow(committee, departments, personas, send, count_queries):
    def cost(fn, user) -> int:
        fn(user)
        with count_queries() as ctx:
            fn(user)
        return len(ctx.captured_queries)

    def add(n):
        for i in range(n):
            petition = send(title=f"提请{i}", departments=[departments.housing, departments.tax])
            Petition.objects.filter(pk=petition.pk).update(escalation=Escalation.STREET + i % 2)
            if i % 2:
                late(petition, acknowledge=5, answer=1)

    add(3)
    few = [
        cost(desk.department_petitions, departments.housing_staff),
        cost(desk.escalated_petitions, personas.street_njxl),
        cost(desk.escalated_petitions, personas.district_leader),
    ]
    add(15)
    many = [
        cost(desk.department_petitions, departments.housing_staff),
        cost(desk.escalated_petitions, personas.street_njxl),
        cost(desk.escalated_petitions, personas.district_leader),
    ]
    assert many == few and max(many) <= 4, (few, many)
    assert len(desk.department_petitions(departments.housing_staff).items) == desk.LIMIT


# ---------------------------------------------------------------------------------------------
# Notifications


SWEEP_KINDS = [
    "acknowledge_overdue",
    "answer_soon",
    "answer_overdue",
    "escalated_street",
    "escalated_district",
]


def test_every_code_the_petitions_send_is_registered():
    codes = ["engagement.petition.submitted", *[f"engagement.petition.{kind}" for kind in SWEEP_KINDS]]
    codes += [f"{PETITION_FLOW.name}.{t.action}" for t in PETITION_FLOW.transitions if t.notify is not None]
    assert {"engagement.petition.all_answered", "engagement.petition.contest", "engagement.petition.withdraw"} <= set(
        codes
    )
    assert [code for code in codes if not is_registered(code)] == []


def test_the_codes_a_whole_story_sends_are_registered(committee, departments, personas, send, monkeypatch):
    """Run every path that notifies and check what was actually stored."""
    on_day(monkeypatch, date(2026, 2, 13))
    petition = send(departments=[departments.housing, departments.tax])
    monkeypatch.undo()
    withdrawn = send(title="撤回")
    petition_action(actor=committee.convener, petition=withdrawn, action="withdraw", reason="已解决")
    petition_sweep(today=date(2026, 2, 25))
    petition_sweep(today=date(2026, 3, 16))
    for target in petition.targets.select_related("department"):
        staff = departments.housing_staff if target.department == departments.housing else departments.tax_staff
        target_answer(actor=staff, target=target, answer="已处理")
    petition.refresh_from_db()
    petition_action(actor=committee.convener, petition=petition, action="contest", reason="未解决")
    codes = set(Notification.objects.values_list("code", flat=True))
    expected = {f"engagement.petition.{kind}" for kind in ["submitted", *SWEEP_KINDS, "all_answered", "contest"]}
    assert expected | {"engagement.petition.withdraw"} == codes
    assert [code for code in codes if not is_registered(code)] == []


@pytest.mark.parametrize("language", ["zh-hans", "en", "ja"])
def test_the_messages_fill_their_placeholders(language):
    params = {"object": "地下车库渗水", "department": "静安区房屋管理局", "due": "2026-03-05"}
    for kind in SWEEP_KINDS:
        subject, body = render_code(f"engagement.petition.{kind}", params, language)
        assert "地下车库渗水" in subject and "2026-03-05" in body and "静安区房屋管理局" in body, kind
    subject, body = render_code("engagement.petition.submitted", {"object": "渗水", "due": "2026-03-05"}, "en")
    assert subject == "New special petition: 渗水" and "answer by 2026-03-05" in body
    subject, _body = render_code("engagement.petition.all_answered", {"object": "渗水", "state": "answered"}, "en")
    assert subject == "Every department has answered: 渗水"
