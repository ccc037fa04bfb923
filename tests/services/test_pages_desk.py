"""Desk panels of the service desk, and what its notifications say."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govcube.core.desk import panels_for
from govcube.notifications.messages import is_registered, render_code
from govcube.services import desk as service_desk
from govcube.services import services as s
from govcube.services.models import RequestStatus, ServiceRequest
from govcube.services.workflows import REQUEST_FLOW

pytestmark = pytest.mark.django_db


def _file(desk, world, title="工作许可咨询", item=None):
    return s.request_submit(
        actor=desk.contact,
        enterprise=world.ent_a,
        building=world.henglong,
        item=item or desk.permit,
        title=title,
        description="需要帮助。",
    )


def _titles(panel):
    return [item.label for item in panel.items]


def test_the_member_sees_their_open_requests_overdue_first(desk, world):
    later = _file(desk, world, title="后到期")
    overdue = _file(desk, world, title="已超期")
    now = timezone.now()
    ServiceRequest.objects.filter(pk=overdue.pk).update(
        submitted_at=now - timedelta(days=20),
        first_response_due=now - timedelta(days=19),
        resolution_due=now - timedelta(days=1),
    )
    panel = service_desk.my_open_requests(desk.hr_member)
    assert [label.split()[0] for label in _titles(panel)] == [overdue.number, later.number]
    assert panel.items[0].tone == "danger" and "overdue" in panel.items[0].meta
    assert "(2)" in panel.title


def test_the_member_panel_stops_at_ten(desk, world):
    for i in range(12):
        _file(desk, world, title=f"请求{i}")
    panel = service_desk.my_open_requests(desk.hr_member)
    assert len(panel.items) == 10 and "(12)" in panel.title


def test_people_outside_the_team_get_no_staff_panels(desk, personas):
    for user in (desk.contact, personas.street_njxl, personas.nobody):
        assert service_desk.my_open_requests(user) is None
        assert service_desk.unassigned_in_my_department(user) is None
        assert service_desk.overdue_requests(user) is None
    assert service_desk.enterprise_requests(personas.nobody) is None


def test_the_coordinator_sees_the_unassigned(desk, world):
    r = _file(desk, world)
    ServiceRequest.objects.filter(pk=r.pk).update(status=RequestStatus.SUBMITTED, owner=None)
    panel = service_desk.unassigned_in_my_department(desk.hr_coordinator)
    assert _titles(panel) == [f"{r.number} {r.title} · {world.ent_a.name}"]
    assert "unassigned=1" in panel.more_url and f"department={desk.hr.pk}" in panel.more_url
    assert service_desk.unassigned_in_my_department(desk.hr_member) is None


def test_the_lead_sees_overdue_ratings_and_extensions(desk, world):
    overdue = _file(desk, world, title="超期")
    now = timezone.now()
    ServiceRequest.objects.filter(pk=overdue.pk).update(
        submitted_at=now - timedelta(days=20),
        first_response_due=now - timedelta(days=19),
        resolution_due=now - timedelta(days=1),
    )
    rated = _file(desk, world, title="差评")
    rated = s.request_action(actor=desk.hr_member, request=rated, action="accept")
    rated = s.request_action(actor=desk.hr_member, request=rated, action="resolve", answer="已办结")
    s.rating_submit(actor=desk.contact, request=rated, score=1)
    extended = _file(desk, world, title="延期")
    extended = s.request_action(actor=desk.hr_member, request=extended, action="accept")
    s.extension_request(actor=desk.hr_member, request=extended, days=2, reason="会签")
    titles = {panel.title: _titles(panel) for panel in panels_for(desk.lead)}
    assert titles["Overdue requests (1)"][0].startswith(overdue.number)
    assert titles["Ratings to review (1)"] == [f"{rated.number} 差评"]
    assert titles["Extensions to decide (1)"] == [f"{extended.number} 延期"]


def test_the_enterprise_sees_its_latest_requests(desk, world, login):
    r = _file(desk, world)
    panel = service_desk.enterprise_requests(desk.contact)
    assert panel.title == "My requests" and _titles(panel) == [f"{r.number} {r.title}"]
    body = login(desk.contact).get(reverse("core:home")).content.decode()
    assert reverse("services:request_detail", args=[r.pk]) in body and reverse("services:my_requests") in body


def test_every_code_the_desk_sends_has_a_message():
    codes = [f"services.request.{t.action}" for t in REQUEST_FLOW.transitions]
    codes += [
        "services.request.message",
        "services.rating.low",
        "services.extension.requested",
        "services.extension.decided",
        "services.request.escalated",
    ]
    codes += [
        f"services.sla.{clock}.{kind}"
        for clock in ("first_response", "update", "resolution")
        for kind in ("warning", "breach", "escalation_lead", "escalation_district")
    ]
    missing = [code for code in codes if not is_registered(code)]
    assert missing == []


def test_messages_fill_their_placeholders():
    subject, body = render_code(
        "services.sla.first_response.breach", {"object": "FW2026000001 工作许可", "due": "2026-11-30 14:00"}, "en"
    )
    assert subject == "Overdue (first response): FW2026000001 工作许可"
    assert "2026-11-30 14:00" in body
    subject, body = render_code("services.extension.decided", {"object": "FW1", "approved": True}, "en")
    assert subject == "Extension approved: FW1" and "moved" in body
    subject, _body = render_code("services.extension.decided", {"object": "FW1", "approved": False}, "en")
    assert subject == "Extension refused: FW1"
    subject, body = render_code("services.rating.low", {"object": "FW1", "score": 1}, "en")
    assert "FW1" in subject and "1 of 5" in body
