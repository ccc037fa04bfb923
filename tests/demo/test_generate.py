"""``manage.py generate``: the tiny scale on the test database."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import F

from govcube.audit.models import AuditEvent
from govcube.audit.services import audit_verify
from govcube.bodies.models import Body, BodyMember
from govcube.deliberation.models import Meeting, MeetingStatus, Topic, TopicStatus
from govcube.demo.scale import generate
from govcube.demo.scale.shapes import TINY
from govcube.demo.scale.sink import Progress
from govcube.directory.models import Enterprise, Person, Tenancy
from govcube.directory.validators import validate_uscc
from govcube.engagement.models import Visit, VisitStatus
from govcube.services.models import RequestStatus, ServiceRequest
from govcube.territory.models import Building, Node

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 20)
MODELS = (
    Node,
    Building,
    Enterprise,
    Tenancy,
    Person,
    Body,
    BodyMember,
    Topic,
    Meeting,
    Visit,
    ServiceRequest,
    AuditEvent,
)


def _tiny(seed: int = 7, **kwargs):
    return generate(scale="tiny", seed=seed, today=TODAY, progress=Progress(enabled=False), **kwargs)


def _fingerprint() -> dict:
    people = Person.objects.order_by("id").values_list("name", flat=True)
    usccs = Enterprise.objects.order_by("id").values_list("uscc", flat=True)
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "people": (people.first(), people.last()),
        "usccs": (usccs.first(), usccs.last()),
        "titles": list(Topic.objects.order_by("id").values_list("title", "status")[:20]),
    }


def test_it_is_deterministic_for_a_seed():
    with transaction.atomic():
        _tiny(seed=7)
        first = _fingerprint()
        transaction.set_rollback(True)
    assert Node.objects.count() == 0
    with transaction.atomic():
        _tiny(seed=7)
        again = _fingerprint()
        transaction.set_rollback(True)
    with transaction.atomic():
        _tiny(seed=8)
        other = _fingerprint()
        transaction.set_rollback(True)
    assert first == again
    assert first["people"] != other["people"] and first["usccs"] != other["usccs"]


def test_it_fills_every_model_with_consistent_scopes():
    # Audit events other tests of this worker left behind stay (the table is append-only on PostgreSQL).
    events_before = AuditEvent.objects.count()
    _tiny()
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["AuditEvent"] -= events_before
    assert counts["Building"] == TINY.buildings
    assert counts["Enterprise"] == TINY.enterprises and counts["Tenancy"] == TINY.tenancies
    assert counts["Person"] == TINY.people and counts["Body"] == TINY.bodies
    assert counts["Topic"] == TINY.topics and counts["Meeting"] == TINY.meetings
    assert counts["Visit"] == TINY.visits and counts["ServiceRequest"] == TINY.requests
    assert counts["AuditEvent"] == TINY.audit_events
    assert all(counts.values())
    # Scope columns agree with the territory the row hangs on.
    assert not Building.objects.exclude(street_id=F("node__street_id")).exists()
    assert not Enterprise.objects.exclude(street_id=F("node__street_id")).exists()
    assert not Person.objects.exclude(street_id=F("employer__street_id")).exists()
    assert not ServiceRequest.objects.exclude(street_id_scope=F("building__street_id")).exists()
    assert not ServiceRequest.objects.exclude(district_id_scope=F("building__district_id")).exists()
    assert not Visit.objects.exclude(street_id_scope=F("building__street_id")).exists()
    assert not Topic.objects.exclude(district_id_scope=F("body__district_id")).exists()
    assert not Topic.objects.filter(body__street__isnull=False).exclude(street_id_scope=F("body__street_id")).exists()
    assert not ServiceRequest.objects.exclude(department=F("item__department")).exists()
    assert not ServiceRequest.objects.filter(resolution_due__lt=F("submitted_at")).exists()
    # Every workflow state is there.
    assert set(Topic.objects.values_list("status", flat=True)) == set(TopicStatus.values)
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(Visit.objects.values_list("status", flat=True)) == set(VisitStatus.values)
    assert set(Meeting.objects.values_list("status", flat=True)) == set(MeetingStatus.values)
    # Identifiers are valid and unique; names are Chinese.
    for uscc in Enterprise.objects.values_list("uscc", flat=True):
        validate_uscc(uscc)
    mobiles = list(Person.objects.values_list("mobile", flat=True))
    assert len(set(mobiles)) == len(mobiles)
    assert all("\u4e00" <= Person.objects.first().name[0] <= "\u9fff" for _ in range(1))
    # Node paths form a proper treebeard tree.
    assert Node.objects.find_problems() == ([], [], [], [], [])


def test_it_writes_a_valid_audit_chain_that_continues_the_stored_one():
    events_before = AuditEvent.objects.count()
    last_before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    _tiny()
    result = audit_verify()
    assert result.ok, result.problems[:3]
    assert result.checked == events_before + TINY.audit_events
    times = list(AuditEvent.objects.filter(id__gt=last_before).order_by("id").values_list("created", flat=True))
    assert times == sorted(times)


def test_the_chain_check_would_notice_a_broken_event():
    _tiny()
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL refuses the edit itself (append-only trigger)")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_repr = 'x' WHERE id = (SELECT MIN(id) FROM audit_auditevent)"
        )
    assert not audit_verify().ok


def test_it_refuses_city_scale_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the test database is not SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate", "--scale", "city")
    assert Node.objects.count() == 0


def test_it_refuses_a_database_with_other_data_unless_forced(world):
    before = Node.objects.count()
    with pytest.raises(CommandError, match="--force"):
        call_command("generate", "--scale", "tiny", "--today", "2026-05-20")
    assert Node.objects.count() == before
    _tiny(force=True)
    assert (
        Node.objects.count() == before + 1 + 1 + TINY.streets + TINY.block_grids + TINY.cluster_grids + TINY.buildings
    )
    assert audit_verify().ok


def test_it_refuses_to_generate_twice():
    _tiny()
    with pytest.raises(CommandError, match="already holds a generated"):
        call_command("generate", "--scale", "tiny", "--force")
