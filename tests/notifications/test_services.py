from __future__ import annotations

import pytest

from govcube.core.errors import DomainError, PermissionDenied
from govcube.notifications.models import Notification, NotificationPreference, WebhookEndpoint
from govcube.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preference_set,
    webhook_endpoint_deactivate,
    webhook_endpoint_update,
)

pytestmark = pytest.mark.django_db


def test_marking_read_is_for_the_recipient_only(alice, bob):
    row = Notification.objects.create(recipient=bob, code="x.y.submit")
    with pytest.raises(PermissionDenied):
        notification_mark_read(actor=alice, notification=row)
    assert notification_mark_read(actor=bob, notification=row) is True
    assert notification_mark_read(actor=bob, notification=row) is False  # already read


def test_mark_all_read_counts_what_it_changed(alice):
    for _ in range(3):
        Notification.objects.create(recipient=alice, code="x.y.submit")
    assert notification_mark_all_read(actor=alice) == 3
    assert notification_mark_all_read(actor=alice) == 0


def test_nobody_sets_someone_elses_preference(alice, bob):
    with pytest.raises(PermissionDenied):
        notification_preference_set(actor=alice, user=bob, email_mode="none")
    assert not NotificationPreference.objects.exists()


def test_an_unchanged_preference_writes_nothing(alice):
    first = notification_preference_set(actor=alice, user=alice, email_mode="digest")
    again = notification_preference_set(actor=alice, user=alice, email_mode="digest")
    assert first.pk == again.pk
    from govcube.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="notifications.preference.changed").count() == 1


def test_an_invalid_mode_names_the_field(alice):
    with pytest.raises(DomainError) as caught:
        notification_preference_set(actor=alice, user=alice, email_mode="hourly")
    assert caught.value.field == "email_mode"


def test_a_switched_off_endpoint_cannot_be_edited(personas, world, webhook_permission):
    endpoint = WebhookEndpoint.objects.create(
        node=world.street_a, name="robot", url="https://r.example.com/", secret="x" * 20
    )
    webhook_endpoint_deactivate(actor=personas.street_njxl, endpoint=endpoint)
    with pytest.raises(DomainError) as caught:
        webhook_endpoint_update(actor=personas.street_njxl, endpoint=endpoint, name="again")
    assert caught.value.status == 409
    assert webhook_endpoint_deactivate(actor=personas.street_njxl, endpoint=endpoint).is_active is False
