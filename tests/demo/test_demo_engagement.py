"""The demo's building liaison and four visits, loaded once for this module through ``manage.py load_demo``.

Like ``test_load_demo.py``: the load runs inside a transaction rolled back after the module,
and each test runs in its own savepoint inside it.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from govcube.accounts.models import User
from govcube.accounts.roles import Role
from govcube.audit.models import AuditEvent
from govcube.audit.services import audit_verify
from govcube.bodies.models import Body
from govcube.core.errors import Conflict
from govcube.deliberation.models import Topic, TopicSource
from govcube.demo import engagement_content as ec
from govcube.engagement import services as engagement
from govcube.engagement.models import FollowUp, LiaisonAssignment, Visit, VisitKind, VisitStatus
from govcube.engagement.selectors import key_buildings_without_liaison, my_buildings, overdue_visits
from govcube.services.models import Channel, ServiceRequest
from govcube.territory.models import Building

pytestmark = pytest.mark.django_db

HENGLONG = "恒隆广场"
HENGLONG_COMMITTEE = "恒隆广场楼宇事务委员会"


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        out = StringIO()
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("load_demo", stdout=out)
    try:
        yield out.getvalue()
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def user(username: str) -> User:
    return User.objects.select_related("person").get(username=username)


# --- liaison -----------------------------------------------------------------------------------


def test_liaison_wang_looks_after_his_three_buildings(demo):
    wang = user("liaison_wang")
    names = {a.building.name for a in my_buildings(user=wang)}
    assert names == set(ec.WANG_BUILDINGS)
    assert LiaisonAssignment.objects.active().filter(cadre=wang).count() == 3
    assert all(a.assigned_by.username == "street_njxl" for a in LiaisonAssignment.objects.filter(cadre=wang))


def test_invented_cadres_are_demo_accounts_with_the_role_and_three_to_six_buildings(demo):
    for spec in ec.CADRES:
        cadre = user(spec.username)
        assert cadre.is_demo and cadre.is_active and cadre.person.name == spec.name
        assert cadre.role_assignments.filter(role=Role.LIAISON_CADRE).exists()
        active = LiaisonAssignment.objects.active().filter(cadre=cadre).count()
        assert 3 <= active <= 6, spec.username
    assert AuditEvent.objects.filter(action="engagement.liaison.assigned").count() == LiaisonAssignment.objects.count()


def test_exactly_two_key_buildings_have_no_liaison(demo):
    missing = key_buildings_without_liaison(user=user("district_leader"))
    assert {b.name for b in missing} == set(ec.UNCOVERED)
    assert Building.objects.filter(is_key=True).count() == 50
    covered = LiaisonAssignment.objects.active().values("building")
    assert Building.objects.filter(is_key=True, pk__in=covered).count() == 48
    # Each covered building has exactly one active liaison.
    active = list(LiaisonAssignment.objects.active().values_list("building_id", flat=True))
    assert len(active) == len(set(active))


def test_a_past_hand_over_kept_the_history(demo):
    spec = ec.HANDOVER
    old = LiaisonAssignment.objects.get(building__name=spec.building, handed_over=True)
    assert old.cadre.username == spec.from_cadre
    assert old.end is not None and old.end < timezone.localdate() - timezone.timedelta(days=90)
    successor = LiaisonAssignment.objects.active().get(building__name=spec.building)
    assert successor.cadre.username == spec.to_cadre and successor.start == old.end + timezone.timedelta(days=1)
    assert AuditEvent.objects.filter(action="engagement.liaison.handed_over", object_id=str(old.pk)).exists()
    visits = Visit.objects.filter(building=old.building)
    assert visits.filter(cadre=old.cadre, planned_for__lte=old.end, status=VisitStatus.DONE).exists()
    assert not visits.filter(cadre=old.cadre, planned_for__gt=old.end).exists()
    assert not visits.filter(cadre=old.cadre, status=VisitStatus.PLANNED).exists()


# --- visits ------------------------------------------------------------------------------------


def test_every_kind_and_state_is_used_over_the_past_six_months(demo):
    visits = Visit.objects.all()
    assert set(visits.values_list("kind__code", flat=True)) == set(VisitKind.objects.values_list("code", flat=True))
    assert VisitKind.objects.count() == 4
    assert set(visits.values_list("status", flat=True)) == set(VisitStatus.values)
    today = timezone.localdate()
    assert visits.order_by("planned_for").first().planned_for >= today - timezone.timedelta(days=190)
    done = visits.filter(status=VisitStatus.DONE)
    assert done.count() > 0.7 * visits.count()
    assert not done.filter(findings="").exists() and not done.filter(visited_at__isnull=True).exists()
    assert not done.filter(visited_at__gt=timezone.now()).exists()
    assert all(v.findings.startswith(("企业", "白领", "党员", "联合党支部", "在职党员", "物业")) for v in done)
    cancelled = visits.filter(status=VisitStatus.CANCELLED)
    assert cancelled.exists() and not cancelled.filter(cancel_reason="").exists()
    upcoming = visits.filter(status=VisitStatus.PLANNED, planned_for__gte=today)
    assert upcoming.count() >= 40 and upcoming.filter(planned_for__gt=today + timezone.timedelta(days=14)).exists()
    enterprise_visits = done.filter(kind__code="enterprise")
    assert enterprise_visits.filter(enterprise__isnull=False).count() == enterprise_visits.count()


def test_the_monthly_quota_is_two_and_is_roughly_kept(demo):
    assert set(LiaisonAssignment.objects.values_list("monthly_quota", flat=True)) == {2}
    today = timezone.localdate()
    month = Visit.objects.filter(planned_for__gte=today - timezone.timedelta(days=91), planned_for__lt=today).exclude(
        status=VisitStatus.CANCELLED
    )
    per_building = month.values("building").distinct().count()
    assert per_building == 48
    assert 4 * 48 <= month.count() <= 8 * 48  # about two a month over three months


def test_overdue_visits_exist_and_one_is_liaison_wangs(demo):
    overdue = overdue_visits(Visit.objects.all())
    assert overdue.count() >= 3
    wang = user("liaison_wang")
    assert overdue.filter(cadre=wang).exists()
    assert all(v.is_overdue for v in overdue)
    # Overdue visits were planned through the service and then moved back (their audit event exists).
    planned = set(AuditEvent.objects.filter(action="engagement.visit.planned").values_list("object_id", flat=True))
    assert {str(pk) for pk in overdue.values_list("pk", flat=True)} <= planned


def test_a_visit_of_liaison_wang_became_a_topic_of_the_hang_lung_committee(demo):
    wang = user("liaison_wang")
    visit = Visit.objects.get(cadre=wang, link_type="deliberation.topic")
    assert visit.building.name == HENGLONG and visit.status == VisitStatus.DONE
    assert visit.follow_up == FollowUp.TOPIC
    topic = Topic.objects.get(pk=int(visit.link_id))
    assert topic.body == Body.objects.get(name=HENGLONG_COMMITTEE)
    assert topic.source == TopicSource.VISIT and topic.proposer_id == wang.person_id
    assert AuditEvent.objects.filter(action="engagement.visit.finding_to_topic", object_id=str(visit.pk)).exists()


def test_a_visit_became_a_service_request(demo):
    visit = Visit.objects.get(link_type="services.servicerequest")
    assert visit.cadre.username == "liaison_wang" and visit.follow_up == FollowUp.SERVICE_REQUEST
    request = ServiceRequest.objects.get(pk=int(visit.link_id))
    assert request.channel == Channel.VISIT and request.enterprise_id == visit.enterprise_id
    assert request.building_id == visit.building_id and request.item.code == ec.REQUEST_ITEM
    # Passing it on twice is refused.
    with pytest.raises(Conflict) as refused:
        engagement.visit_finding_to_request(actor=visit.cadre, visit=visit, item=request.item, title="again")
    assert refused.value.code == "engagement.visit.finding.linked"


def test_liaison_wang_can_still_record_a_planned_visit(demo):
    wang = user("liaison_wang")
    visit = Visit.objects.filter(cadre=wang, status=VisitStatus.PLANNED).order_by("planned_for").first()
    recorded = engagement.visit_record(actor=wang, visit=visit, findings="企业反映：一切正常。", version=visit.version)
    assert recorded.status == VisitStatus.DONE


# --- honesty -----------------------------------------------------------------------------------


def test_imported_history_is_audited_per_batch_and_the_chain_verifies(demo):
    events = AuditEvent.objects.filter(action="demo.engagement.history_imported")
    imported = sum(e.after["count"] for e in events)
    assert events.exists() and all(e.after["imported"] and e.actor_name == "district_admin" for e in events)
    planned = AuditEvent.objects.filter(action="engagement.visit.planned").count()
    assert imported + planned == Visit.objects.count()
    assert "visits_overdue:" in demo and "key_buildings_without_liaison: 2" in demo
    result = audit_verify()
    assert result.ok, result.problems
