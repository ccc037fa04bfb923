from __future__ import annotations

import pytest
from django.urls import reverse

from govcube.audit.models import AuditEvent
from govcube.notifications.models import DeliveryMode, Notification, NotificationPreference
from tests.notifications.conftest import make_user

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
PREFERENCES = reverse("notifications:preferences")
READ_ALL = reverse("notifications:read_all")
HTMX = {"HTTP_HX_REQUEST": "true"}


def note(user, name: str, **fields) -> Notification:
    return Notification.objects.create(
        recipient=user, code="deliberation.topic.submit", params={"object": name}, **fields
    )


# --- Inbox ------------------------------------------------------------------------------


def test_it_lists_my_notifications_rendered_in_my_language(alice, bob, login):
    note(alice, "Bike parking", url="/territory/buildings/1/")
    note(bob, "Someone else's topic")
    body = login(alice).get(INBOX).content.decode()
    assert "Bike parking: submitted" in body
    assert 'href="/territory/buildings/1/"' in body
    assert "Someone else" not in body
    assert "deliberation.topic.submit" not in body  # the code is never shown raw


def test_unread_notifications_come_first_and_are_marked(alice, login):
    from django.utils import timezone

    unread = note(alice, "Unread topic")
    note(alice, "Read topic", read_at=timezone.now())  # newer, but read
    response = login(alice).get(INBOX)
    body = response.content.decode()
    assert body.index("Unread topic") < body.index("Read topic")
    assert f'id="notification-{unread.pk}"' in body and 'data-unread="1"' in body
    assert "1 unread" in body
    assert response.context["page"].rows[0].pk == unread.pk


def test_a_link_to_another_site_is_not_offered(alice, login):
    note(alice, "Phishing", url="https://evil.example.com/login")
    note(alice, "Protocol relative", url="//evil.example.com/")
    body = login(alice).get(INBOX).content.decode()
    assert "evil.example.com" not in body
    assert "Phishing: submitted" in body


def test_the_inbox_needs_a_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_inbox_query_count_does_not_grow_with_notifications(alice, login, count_queries):
    client = login(alice)
    for i in range(5):
        note(alice, f"Topic {i}")
    client.get(INBOX)
    with count_queries() as small:
        assert client.get(INBOX).status_code == 200
    for i in range(35):
        note(alice, f"Topic {i + 5}", url=f"/x/{i}/")
    with count_queries() as large:
        response = client.get(INBOX)
    assert response.status_code == 200 and response.context["page"].has_next
    # +1: the capped count, only asked once a second page exists
    assert len(large.captured_queries) <= len(small.captured_queries) + 1


# --- Mark as read -------------------------------------------------------------------------


def test_i_can_mark_my_notification_read(alice, login):
    row = note(alice, "Topic")
    response = login(alice).post(reverse("notifications:read", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == INBOX
    row.refresh_from_db()
    assert row.read_at is not None


def test_mark_read_with_htmx_returns_the_row_and_the_new_count(alice, login):
    row = note(alice, "Topic")
    note(alice, "Another")
    response = login(alice).post(reverse("notifications:read", args=[row.pk]), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert f'id="notification-{row.pk}"' in body and 'data-unread="0"' in body
    assert 'id="inbox-unread"' in body and 'hx-swap-oob="true"' in body and "1 unread" in body


def test_i_cannot_mark_someone_elses_notification(alice, bob, login):
    row = note(bob, "Bob's topic")
    response = login(alice).post(reverse("notifications:read", args=[row.pk]))
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_read_needs_post_and_a_login(alice, client, login):
    row = note(alice, "Topic")
    url = reverse("notifications:read", args=[row.pk])
    assert client.post(url).status_code == 302  # to the login page
    assert login(alice).get(url).status_code == 405
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read_touches_only_my_notifications(alice, bob, login):
    mine = [note(alice, "A"), note(alice, "B")]
    theirs = note(bob, "C")
    response = login(alice).post(READ_ALL)
    assert response.status_code == 302
    assert all(Notification.objects.get(pk=row.pk).read_at for row in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_with_htmx_returns_the_list(alice, login):
    note(alice, "A")
    response = login(alice).post(READ_ALL, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="inbox-list"' in body and "0 unread" in body and 'data-unread="1"' not in body


def test_mark_all_read_needs_post(alice, login):
    note(alice, "A")
    assert login(alice).get(READ_ALL).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


# --- Preferences ------------------------------------------------------------------------------


def test_the_settings_page_shows_the_default_choice(alice, login):
    response = login(alice).get(PREFERENCES)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="immediate" checked' in body
    assert '<label class="form-check-label" for="id_email_mode_2">Daily email digest</label>' in body


def test_i_can_choose_the_daily_digest(alice, login):
    response = login(alice).post(PREFERENCES, {"email_mode": "digest"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=alice).email_mode == DeliveryMode.DIGEST
    event = AuditEvent.objects.get(action="notifications.preference.changed")
    assert event.after == {"email_mode": "digest"}
    assert 'value="digest" checked' in login(alice).get(PREFERENCES).content.decode()


@pytest.mark.parametrize("value", ["weekly", "", "IMMEDIATE"])
def test_an_unknown_choice_is_refused(alice, login, value):
    response = login(alice).post(PREFERENCES, {"email_mode": value})
    assert response.status_code == 400
    assert response.context["form"].errors["email_mode"]
    assert 'id="id_email_mode-error"' in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_without_an_address_email_cannot_be_chosen(login):
    user = make_user("no_address")
    client = login(user)
    assert "no email address" in client.get(PREFERENCES).content.decode()
    assert 'value="none" checked' in client.get(PREFERENCES).content.decode()
    response = client.post(PREFERENCES, {"email_mode": "immediate"})
    assert response.status_code == 400
    assert "no email address" in " ".join(response.context["form"].errors["email_mode"])
    assert client.post(PREFERENCES, {"email_mode": "none"}).status_code == 302
    assert NotificationPreference.objects.get(user=user).email_mode == DeliveryMode.NONE


def test_the_settings_page_needs_a_login(client):
    assert client.get(PREFERENCES).status_code == 302
    assert client.post(PREFERENCES, {"email_mode": "none"}).status_code == 302
    assert not NotificationPreference.objects.exists()
