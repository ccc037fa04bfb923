from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone, translation

from govcube.notifications import messages
from govcube.notifications.delivery import DeliveryError, claim, deliver
from govcube.notifications.models import DeliveryMode, Notification, NotificationPreference
from govcube.notifications.services import notify
from tests.notifications.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_after_commit(django_capture_on_commit_callbacks):
    """notify() as a service would call it, with the after-commit work run (the immediate backend)."""

    def _notify(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(**kwargs)

    return _notify


def test_it_emails_at_once_by_default_when_the_user_has_an_address(alice, send_after_commit):
    [row] = send_after_commit(recipients=[alice], code="example.topic.decline", params={"object": "Topic 1"})
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["alice@example.com"]
    assert "Topic 1: declined" in email.subject
    assert "Topic 1" in email.body
    row.refresh_from_db()
    assert row.emailed_at is not None


def test_it_never_emails_the_same_notification_twice(alice, send_after_commit):
    [row] = send_after_commit(recipients=[alice], code="x.y.submit", params={"object": "A"})
    assert deliver([row.pk]) == 0
    assert deliver([row.pk]) == 0
    assert len(mail.outbox) == 1


def test_a_notification_claimed_by_another_worker_is_not_sent(alice):
    row = Notification.objects.create(recipient=alice, code="x.y.submit", params={})
    assert claim([row.pk], timezone.now()) == 1  # the other worker won
    assert claim([row.pk], timezone.now()) == 0
    assert deliver([row.pk]) == 0
    assert mail.outbox == []


def test_the_email_is_rendered_in_the_recipients_language(send_after_commit):
    messages.register("test.lang", subject=lambda params: f"lang={translation.get_language()}", body="body")
    try:
        user = make_user("yamada", email="yamada@example.jp", language="ja")
        send_after_commit(recipients=[user], code="test.lang", params={})
    finally:
        messages.unregister("test.lang")
    assert len(mail.outbox) == 1
    assert "lang=ja" in mail.outbox[0].subject
    assert translation.get_language() == "en"


def test_a_user_without_an_address_gets_the_inbox_only(send_after_commit):
    user = make_user("no_address")
    [row] = send_after_commit(recipients=[user], code="x.y.submit", params={})
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.emailed_at is None


def test_preference_none_sends_no_email(alice, send_after_commit):
    NotificationPreference.objects.create(user=alice, email_mode=DeliveryMode.NONE)
    [row] = send_after_commit(recipients=[alice], code="x.y.submit", params={})
    assert mail.outbox == []
    assert Notification.objects.get(pk=row.pk).emailed_at is None


def test_preference_digest_waits_for_the_digest(alice, send_after_commit):
    NotificationPreference.objects.create(user=alice, email_mode=DeliveryMode.DIGEST)
    [row] = send_after_commit(recipients=[alice], code="x.y.submit", params={})
    assert mail.outbox == []
    assert Notification.objects.get(pk=row.pk).emailed_at is None


def test_an_inactive_account_is_not_emailed(send_after_commit):
    user = make_user("left", email="left@example.com", is_active=False)
    send_after_commit(recipients=[user], code="x.y.submit", params={})
    assert mail.outbox == []


def test_nothing_is_queued_before_the_transaction_commits(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[alice], code="x.y.submit", params={})
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_a_failed_send_releases_the_claim(alice, monkeypatch):
    row = Notification.objects.create(recipient=alice, code="x.y.submit", params={})

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with pytest.raises(DeliveryError):
        deliver([row.pk])
    row.refresh_from_db()
    assert row.emailed_at is None  # a later attempt may still send it


def test_notify_stores_one_row_per_distinct_recipient(alice, bob):
    rows = notify(recipients=[alice, bob, alice, None], code="x.y.submit", params={"object": "A"}, url="/x/")
    assert sorted(row.recipient_id for row in rows) == sorted([alice.pk, bob.pk])
    assert Notification.objects.filter(url="/x/", params={"object": "A"}).count() == 2


def test_notify_records_the_object(alice, world):
    [row] = notify(recipients=[alice], code="territory.building.updated", obj=world.henglong)
    assert (row.object_type, row.object_id) == ("territory.building", str(world.henglong.pk))
