from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from govcube.notifications.digest import digest_health, digest_send
from govcube.notifications.models import DeliveryMode, DigestRun, Notification, NotificationPreference
from tests.notifications.conftest import make_user

pytestmark = pytest.mark.django_db


def digest_user(username: str, **fields):
    user = make_user(username, email=f"{username}@example.com", **fields)
    NotificationPreference.objects.create(user=user, email_mode=DeliveryMode.DIGEST)
    return user


def note(user, name: str, *, age: timedelta = timedelta(hours=1)) -> Notification:
    row = Notification.objects.create(recipient=user, code="deliberation.topic.submit", params={"object": name})
    Notification.objects.filter(pk=row.pk).update(created=timezone.now() - age)
    return row


def test_it_sends_each_digest_user_one_email_listing_their_notifications():
    carol, dave = digest_user("carol"), digest_user("dave")
    for name in ("Topic A", "Topic B", "Topic C"):
        note(carol, name)
    note(dave, "Topic D")
    immediate = make_user("erin", email="erin@example.com")
    note(immediate, "Topic E")

    run = digest_send()

    assert (run.users, run.notifications, run.failures) == (2, 4, 0)
    assert sorted(email.to[0] for email in mail.outbox) == ["carol@example.com", "dave@example.com"]
    carol_email = next(email for email in mail.outbox if email.to == ["carol@example.com"])
    assert all(f"Topic {x}: submitted" in carol_email.body for x in "ABC")
    assert "Topic D" not in carol_email.body
    assert "3" in carol_email.subject
    assert not Notification.objects.filter(recipient__in=[carol, dave], emailed_at__isnull=True).exists()
    assert Notification.objects.get(recipient=immediate).emailed_at is None  # not a digest user


def test_running_it_twice_sends_nothing_the_second_time():
    carol = digest_user("carol")
    note(carol, "Topic A")
    first = digest_send()
    second = digest_send()
    assert (first.users, second.users, second.notifications) == (1, 0, 0)
    assert len(mail.outbox) == 1
    assert DigestRun.objects.filter(finished__isnull=False).count() == 2


def test_a_later_notification_goes_into_the_next_digest_only():
    carol = digest_user("carol")
    note(carol, "Topic A")
    digest_send()
    note(carol, "Topic B", age=timedelta(minutes=1))
    digest_send()
    assert len(mail.outbox) == 2
    assert "Topic A" not in mail.outbox[1].body and "Topic B" in mail.outbox[1].body


def test_notifications_older_than_the_window_are_left_out():
    carol = digest_user("carol")
    DigestRun.objects.create(started=timezone.now() - timedelta(hours=2), finished=timezone.now())
    old = note(carol, "Old topic", age=timedelta(days=2))
    digest_send()
    assert mail.outbox == []
    old.refresh_from_db()
    assert old.emailed_at is None


def test_after_a_missed_day_it_catches_up_since_the_previous_run():
    carol = digest_user("carol")
    three_days_ago = timezone.now() - timedelta(days=3)
    DigestRun.objects.create(started=three_days_ago, finished=three_days_ago)
    note(carol, "Missed topic", age=timedelta(days=2))
    digest_send()
    assert len(mail.outbox) == 1 and "Missed topic" in mail.outbox[0].body


def test_users_who_chose_none_or_lack_an_address_get_no_digest():
    quiet = make_user("quiet", email="quiet@example.com")
    NotificationPreference.objects.create(user=quiet, email_mode=DeliveryMode.NONE)
    no_address = make_user("no_address")
    NotificationPreference.objects.create(user=no_address, email_mode=DeliveryMode.DIGEST)
    note(quiet, "A")
    note(no_address, "B")
    run = digest_send()
    assert run.users == 0 and mail.outbox == []


def test_the_digest_is_written_in_the_recipients_language():
    carol = digest_user("carol", language="ja")
    note(carol, "Topic A")
    digest_send()
    assert len(mail.outbox) == 1  # the catalogue is not compiled yet: check it rendered at all
    assert "Topic A" in mail.outbox[0].body


def test_a_failed_email_leaves_the_notifications_for_the_next_run(monkeypatch):
    carol = digest_user("carol")
    row = note(carol, "Topic A")

    def broken(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    run = digest_send()
    assert (run.users, run.failures) == (0, 1)
    row.refresh_from_db()
    assert row.emailed_at is None
    assert digest_health().warning


def test_the_command_runs_the_digest(capsys):
    carol = digest_user("carol")
    note(carol, "Topic A")
    call_command("notifications_digest")
    assert "1 users" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_health_warns_when_the_digest_never_ran():
    check = digest_health()
    assert check.ok and check.warning
    assert check.detail == "never run"


def test_health_is_quiet_after_a_recent_run():
    digest_send()
    check = digest_health()
    assert check.ok and not check.warning
    assert check.detail.startswith("last run")


def test_health_warns_when_the_last_run_is_older_than_26_hours():
    long_ago = timezone.now() - timedelta(hours=27)
    DigestRun.objects.create(started=long_ago, finished=long_ago)
    check = digest_health()
    assert check.ok and check.warning


def test_healthz_shows_the_digest_without_failing(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    check = response.json()["checks"]["notifications_digest"]
    assert check == {"ok": True, "warning": True, "detail": "never run"}
