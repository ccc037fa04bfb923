from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.deliberation.models import TopicSource
from govcube.engagement import services as s
from govcube.engagement.models import LiaisonAssignment, Visit, VisitKind, VisitStatus
from govcube.engagement.selectors import key_buildings_without_liaison, overdue_visits, visit_list

pytestmark = pytest.mark.django_db


def kind(code="enterprise"):
    return VisitKind.objects.get(code=code)


def test_the_four_visits_are_configured():
    assert list(VisitKind.objects.values_list("code", flat=True)) == [
        "enterprise",
        "employees",
        "party_members",
        "management",
    ]


def test_only_the_street_assigns_and_only_to_liaison_cadres(personas, world, cadres):
    wang, zhao, _assignment = cadres
    with pytest.raises(PermissionDenied):
        s.liaison_assign(actor=personas.street_jas, building=world.henglong, cadre=zhao)
    with pytest.raises(DomainError) as exc:
        s.liaison_assign(actor=personas.street_njxl, building=world.citic, cadre=personas.employee_henglong_1)
    assert exc.value.field == "cadre"
    with pytest.raises(DomainError):
        s.liaison_assign(actor=personas.street_njxl, building=world.henglong, cadre=wang)  # already assigned


def test_a_visit_is_planned_recorded_and_its_finding_becomes_a_topic(personas, world, cadres):
    from govcube.bodies.services import body_create

    wang, _zhao, _assignment = cadres
    tomorrow = timezone.localdate() + timedelta(days=1)
    visit = s.visit_plan(actor=wang, building=world.henglong, kind=kind(), planned_for=tomorrow, enterprise=world.ent_a)
    with pytest.raises(DomainError) as exc:
        s.visit_record(actor=wang, visit=visit, findings="")
    assert exc.value.field == "findings"
    visit = s.visit_record(actor=wang, visit=visit, findings="企业反映午间电梯拥挤", people="李经理", follow_up="topic")
    assert visit.status == VisitStatus.DONE
    body = body_create(
        actor=personas.street_njxl,
        node=world.cluster,
        name="恒隆广场楼宇事务委员会",
        kind="building_committee",
        buildings=[world.henglong],
    )
    topic = s.visit_finding_to_topic(actor=wang, visit=visit, body=body, title="午间电梯拥挤")
    assert topic.source == TopicSource.VISIT and topic.proposer == wang.person
    visit.refresh_from_db()
    assert (visit.link_type, visit.link_id) == ("deliberation.topic", str(topic.pk))
    with pytest.raises(Conflict):
        s.visit_finding_to_topic(actor=wang, visit=visit, body=body, title="again")


def test_only_the_buildings_liaison_plans_visits(world, cadres):
    _wang, zhao, _assignment = cadres
    with pytest.raises(PermissionDenied):
        s.visit_plan(actor=zhao, building=world.henglong, kind=kind(), planned_for=timezone.localdate())


def test_a_visit_in_the_past_cannot_be_planned(world, cadres):
    wang, _zhao, _assignment = cadres
    with pytest.raises(DomainError) as exc:
        s.visit_plan(
            actor=wang, building=world.henglong, kind=kind(), planned_for=timezone.localdate() - timedelta(days=1)
        )
    assert exc.value.field == "planned_for"


def test_a_hand_over_moves_every_open_visit_to_the_new_cadre(personas, world, cadres):
    wang, zhao, assignment = cadres
    for days in (1, 5, 9):
        s.visit_plan(
            actor=wang, building=world.henglong, kind=kind(), planned_for=timezone.localdate() + timedelta(days=days)
        )
    with pytest.raises(Conflict):
        s.liaison_end(actor=personas.street_njxl, assignment=assignment)
    s.liaison_handover(actor=personas.street_njxl, assignment=assignment, to_cadre=zhao)
    assert not Visit.objects.filter(cadre=wang, status=VisitStatus.PLANNED).exists()
    assert Visit.objects.filter(cadre=zhao, status=VisitStatus.PLANNED).count() == 3
    assert LiaisonAssignment.objects.filter(building=world.henglong).count() == 2  # the history stays
    assert list(LiaisonAssignment.objects.active().filter(building=world.henglong).values_list("cadre", flat=True)) == [
        zhao.pk
    ]


def test_overdue_visits_and_key_buildings_without_liaison(personas, world, cadres):
    wang, _zhao, _assignment = cadres
    visit = s.visit_plan(actor=wang, building=world.henglong, kind=kind(), planned_for=timezone.localdate())
    Visit.objects.filter(pk=visit.pk).update(planned_for=timezone.localdate() - timedelta(days=3))
    assert list(overdue_visits(visit_list(user=personas.street_njxl))) == [visit]
    assert list(key_buildings_without_liaison(user=personas.street_njxl)) == [world.citic]
    assert list(visit_list(user=personas.street_jas)) == []


def test_the_cadre_is_told_once_about_each_overdue_visit(world, cadres):
    from govcube.notifications.messages import render_code
    from govcube.notifications.models import Notification

    wang, _zhao, _a = cadres
    kind = VisitKind.objects.first()
    today = timezone.localdate()
    late = s.visit_plan(actor=wang, building=world.henglong, kind=kind, planned_for=today)
    cancelled = s.visit_plan(actor=wang, building=world.henglong, kind=kind, planned_for=today)
    upcoming = s.visit_plan(actor=wang, building=world.henglong, kind=kind, planned_for=today + timedelta(days=3))
    s.visit_cancel(actor=wang, visit=cancelled, reason="企业搬迁")
    Visit.objects.filter(pk__in=[late.pk, cancelled.pk]).update(planned_for=today - timedelta(days=2))
    assert s.overdue_visit_sweep() == 1
    assert s.overdue_visit_sweep() == 0
    sent = Notification.objects.get(code="engagement.visit.overdue")
    assert sent.recipient == wang and sent.object_id == str(late.pk)
    subject, body = render_code(sent.code, sent.params, "en")
    assert "Overdue visit" in subject and (today - timedelta(days=2)).isoformat() in body
    assert not Notification.objects.filter(code="engagement.visit.overdue", object_id=str(upcoming.pk)).exists()
