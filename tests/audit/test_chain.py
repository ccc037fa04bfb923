from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse

from govcube.audit.models import AppendOnlyError, AuditEvent
from govcube.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


def _events(user, n=5):
    return [
        audit_record(
            actor=user,
            action="test.thing.done",
            object_type="test.thing",
            object_id=str(i),
            after={"i": i, "mobile": "13812345678"},
        )
        for i in range(n)
    ]


def _raw(sql, params=()):
    """Tamper with the table directly, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")


def test_an_untouched_chain_verifies(personas):
    _events(personas.street_njxl)
    result = audit_verify()
    assert result.ok and result.checked >= 5


def test_sensitive_values_are_masked(personas):
    event = _events(personas.street_njxl, 1)[0]
    assert event.after["mobile"] == "138****5678"


def test_an_edited_row_is_detected(personas):
    events = _events(personas.street_njxl)
    _raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["test.thing.forged", events[2].pk])
    result = audit_verify()
    assert not result.ok
    assert any(f"event {events[2].pk}" in p and "edited" in p for p in result.problems)


def test_a_deleted_row_is_detected(personas):
    events = _events(personas.street_njxl)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    result = audit_verify()
    assert not result.ok
    assert any(f"event {events[3].pk}" in p for p in result.problems)


def test_a_removed_tail_is_detected(personas):
    events = _events(personas.street_njxl)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    assert not audit_verify().ok


def test_the_command_fails_on_a_broken_chain(personas):
    events = _events(personas.street_njxl)
    call_command("audit_verify")
    _raw("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["someone_else", events[0].pk])
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_the_orm_refuses_updates_and_deletes(personas):
    event = _events(personas.street_njxl, 1)[0]
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL")
def test_postgresql_refuses_updates_at_the_database(personas):
    from django.db import DatabaseError

    event = _events(personas.street_njxl, 1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])


def test_audit_page_is_for_auditors_only(personas, login, world):
    _events(personas.street_njxl, 3)
    assert login(personas.district_auditor).get(reverse("audit:event_list")).status_code == 200
    for user in (personas.street_njxl, personas.district_admin, personas.district_security):
        assert login(user).get(reverse("audit:event_list")).status_code == 403


def test_audit_page_query_count_does_not_grow(personas, login, count_queries):
    client = login(personas.district_auditor)
    _events(personas.street_njxl, 3)
    client.get(reverse("audit:event_list"))
    with count_queries() as small:
        client.get(reverse("audit:event_list"))
    _events(personas.street_njxl, 120)
    with count_queries() as large:
        client.get(reverse("audit:event_list"))
    assert len(large.captured_queries) <= len(small.captured_queries) + 1


def test_viewing_a_full_personal_record_is_audited(personas, login, world):
    client = login(personas.street_njxl)
    response = client.get(reverse("directory:person", args=[world.person_a.pk]))
    assert response.status_code == 200
    assert "13812345678" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="directory.person.viewed", object_id=str(world.person_a.pk), actor_id=personas.street_njxl.pk
    ).exists()


def test_the_chain_is_an_hmac_sm3_keyed_by_the_audit_key(settings):
    from datetime import UTC, datetime

    from cryptography.hazmat.primitives import hashes, hmac

    from govcube.audit.chain import GENESIS, event_hash

    fields = {"created": datetime(2026, 11, 29, 12, 0, tzinfo=UTC), "action": "x.y", "after": {"a": 1}}
    first = event_hash(GENESIS, fields)
    assert len(first) == 64 and first == event_hash(GENESIS, fields)
    settings.AUDIT_HMAC_KEY = "another-key-of-sufficient-length-123456"
    assert event_hash(GENESIS, fields) != first  # without the key, nobody can recompute the chain
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from govcube.audit.chain import HASHED_FIELDS

    payload = {name: fields.get(name) for name in HASHED_FIELDS}
    payload["created"] = fields["created"].isoformat(timespec="microseconds")
    mac = hmac.HMAC(settings.AUDIT_HMAC_KEY.encode(), hashes.SM3())
    mac.update((GENESIS + json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)).encode())
    assert event_hash(GENESIS, fields) == mac.finalize().hex()
