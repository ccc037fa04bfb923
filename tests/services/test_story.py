"""The Bohua story at the service level: file, route, accept, ask (clock paused), resume, resolve, rate, reopen."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.notifications.models import Notification
from govcube.services import services as s
from govcube.services.models import RequestStatus
from govcube.services.sweep import sla_sweep
from govcube.workdays.calendar import TZ

pytestmark = pytest.mark.django_db


def _file(desk, world, **kw):
    return s.request_submit(
        actor=desk.contact,
        enterprise=world.ent_a,
        building=world.henglong,
        item=desk.permit,
        title="外籍员工工作许可",
        description="新聘一名外籍工程师，需要办理工作许可，想了解材料。",
        **kw,
    )


def test_the_request_story(desk, world, monkeypatch):
    r = _file(desk, world)
    assert r.status == RequestStatus.ASSIGNED and r.owner == desk.hr_member and r.number.startswith("FW")
    assert r.first_response_due > r.submitted_at and r.resolution_due > r.first_response_due
    r = s.request_action(actor=desk.hr_member, request=r, action="accept")
    assert r.status == RequestStatus.IN_PROGRESS
    r = s.request_action(actor=desk.hr_member, request=r, action="ask", message="请补充学历认证材料。")
    assert r.status == RequestStatus.WAITING and r.paused_at is not None
    r.refresh_from_db()
    assert r.first_responded_at is not None
    due_before = r.resolution_due
    # The enterprise answers two working days later: the resolution clock moves by the paused working time.
    later = r.paused_at + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    s.message_post(actor=desk.contact, request=r, text="已上传学历认证。")
    r.refresh_from_db()
    assert r.status == RequestStatus.IN_PROGRESS and r.paused_seconds > 0 and r.resolution_due > due_before
    monkeypatch.undo()
    with pytest.raises(DomainError) as exc:
        s.request_action(actor=desk.hr_member, request=r, action="resolve")
    assert exc.value.field == "answer"
    r = s.request_action(
        actor=desk.hr_member, request=r, action="resolve", answer="材料齐全，已在系统提交，预计5个工作日出证。"
    )
    with pytest.raises(PermissionDenied):
        s.rating_submit(actor=desk.tax_member, request=r, score=5)
    rating = s.rating_submit(actor=desk.contact, request=r, score=2, comment="等待时间较长")
    r.refresh_from_db()
    assert r.status == RequestStatus.CLOSED and rating.review_status == "open"
    assert Notification.objects.filter(recipient=desk.lead, code="services.rating.low").exists()
    r = s.request_action(actor=desk.contact, request=r, action="reopen", reason="证件信息有误")
    assert r.status == RequestStatus.IN_PROGRESS and r.reopen_count == 1


def test_two_staff_accepting_at_once_one_wins(desk, world):
    r = _file(desk, world)
    s.request_action(actor=desk.hr_member, request=r, action="accept")
    with pytest.raises(Conflict) as exc:
        s.request_action(actor=desk.hr_coordinator, request=r, action="accept")
    assert "service_hr" in exc.value.message


def test_transfer_to_the_same_department_is_refused(desk, world):
    r = _file(desk, world)
    with pytest.raises(DomainError) as exc:
        s.request_action(
            actor=desk.hr_member, request=r, action="transfer", department=desk.hr, reason="wrong_department"
        )
    assert exc.value.field == "department"
    r = s.request_action(
        actor=desk.hr_member, request=r, action="transfer", department=desk.tax, reason="wrong_department"
    )
    assert r.department == desk.tax and r.owner == desk.tax_member and r.status == RequestStatus.ASSIGNED


def test_reopen_after_the_window_is_refused(desk, world, monkeypatch):
    r = _file(desk, world)
    r = s.request_action(actor=desk.hr_member, request=r, action="accept")
    r = s.request_action(actor=desk.hr_member, request=r, action="resolve", answer="已办结")
    later = r.resolved_at + timedelta(days=8)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(Conflict):
        s.request_action(actor=desk.contact, request=r, action="reopen", reason="还有问题")


def test_the_sweep_sends_each_reminder_once(desk, world, monkeypatch):
    r = _file(desk, world)
    after = r.resolution_due + timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: after)
    first = sla_sweep(after)
    assert first > 0
    assert sla_sweep(after) == 0
    r.refresh_from_db()
    assert r.escalation_level == 1 or r.escalation_level == 2


def test_deadlines_across_national_day():
    from govcube.services.sla import resolution_due

    # Filed on 2025-09-30 (Tue): 1–8 October are holidays, 28 Sep and 11 Oct are make-up working Saturdays/Sundays.
    submitted = datetime(2025, 9, 30, 10, 0, tzinfo=TZ)
    due = resolution_due(submitted, 5)
    # Working days after 30 Sep: 9 Oct, 10 Oct, 11 Oct (make-up Saturday), 13 Oct, 14 Oct.
    assert due.astimezone(TZ).date().isoformat() == "2025-10-14"
