from __future__ import annotations

import json
import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from govcube.audit.models import AuditEvent
from govcube.core.errors import DomainError, PermissionDenied
from govcube.notifications import webhooks
from govcube.notifications.models import WebhookDelivery, WebhookEndpoint
from govcube.notifications.services import (
    notify,
    webhook_endpoint_create,
    webhook_endpoint_deactivate,
    webhook_endpoint_update,
)
from govcube.notifications.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify, webhook_deliver

pytestmark = pytest.mark.django_db

SECRET = "s3cret-signing-key-for-tests"


def endpoint_at(node, url="http://127.0.0.1:9/hook", **fields) -> WebhookEndpoint:
    fields.setdefault("name", f"robot {node.name}")
    return WebhookEndpoint.objects.create(node=node, url=url, secret=SECRET, **fields)


def pending_delivery(endpoint, code="deliberation.topic.submit") -> WebhookDelivery:
    payload = {"code": code, "text": "议题: 已提交", "object_type": "x.y", "object_id": "1", "url": "/x/1/"}
    return WebhookDelivery.objects.create(endpoint=endpoint, code=code, payload=payload)


@pytest.fixture
def deferring_backend(settings):
    """A task backend that supports run_after and only records what was enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from govcube.notifications.tasks import deliver_webhook

    backend = deliver_webhook.get_backend()
    backend.clear()
    return backend


# --- Managing endpoints ---------------------------------------------------------------


def test_a_street_official_creates_an_endpoint_on_their_street(personas, world, webhook_permission):
    endpoint = webhook_endpoint_create(
        actor=personas.street_njxl,
        node=world.street_a,
        name="南京西路街道群机器人",
        url="https://robot.example.com/send?key=1",
        codes="deliberation.topic.*, grid.event.close",
    )
    assert endpoint.codes == ["deliberation.topic.*", "grid.event.close"]
    assert len(endpoint.secret) >= 32  # generated
    event = AuditEvent.objects.get(action="notifications.webhookendpoint.created")
    assert event.after["secret"] == "***"


def test_a_street_official_cannot_create_one_on_another_street(personas, world, webhook_permission):
    with pytest.raises(PermissionDenied):
        webhook_endpoint_create(
            actor=personas.street_njxl, node=world.street_b, name="x", url="https://robot.example.com/"
        )
    assert not WebhookEndpoint.objects.exists()


def test_someone_without_the_permission_cannot_create_one(personas, world, webhook_permission):
    with pytest.raises(PermissionDenied):
        webhook_endpoint_create(actor=personas.nobody, node=world.street_a, name="x", url="https://robot.example.com/")


@pytest.mark.parametrize(
    "url", ["ftp://robot.example.com/", "javascript:alert(1)", "file:///etc/passwd", "robot.example.com", ""]
)
def test_only_http_urls_are_accepted(personas, world, webhook_permission, url):
    with pytest.raises(DomainError) as caught:
        webhook_endpoint_create(actor=personas.street_njxl, node=world.street_a, name="x", url=url)
    assert caught.value.field == "url"


def test_a_short_secret_is_refused(personas, world, webhook_permission):
    with pytest.raises(DomainError) as caught:
        webhook_endpoint_create(
            actor=personas.street_njxl, node=world.street_a, name="x", url="https://r.example.com/", secret="short"
        )
    assert caught.value.field == "secret"


def test_event_kinds_with_spaces_are_refused(personas, world, webhook_permission):
    with pytest.raises(DomainError) as caught:
        webhook_endpoint_create(
            actor=personas.street_njxl, node=world.street_a, name="x", url="https://r.example.com/", codes=["a b"]
        )
    assert caught.value.field == "codes"


def test_updating_an_endpoint_validates_and_audits(personas, world, webhook_permission):
    endpoint = endpoint_at(world.street_a)
    with pytest.raises(DomainError) as caught:
        webhook_endpoint_update(actor=personas.street_njxl, endpoint=endpoint, url="gopher://x")
    assert caught.value.field == "url"
    updated = webhook_endpoint_update(
        actor=personas.street_njxl, endpoint=endpoint, url="https://new.example.com/", codes=["grid.event.close"]
    )
    assert (updated.url, updated.codes) == ("https://new.example.com/", ["grid.event.close"])
    assert AuditEvent.objects.filter(action="notifications.webhookendpoint.updated").count() == 1
    with pytest.raises(PermissionDenied):
        webhook_endpoint_update(actor=personas.street_jas, endpoint=endpoint, name="taken over")


def test_deactivating_abandons_what_was_not_yet_delivered(personas, world, webhook_permission):
    endpoint = endpoint_at(world.street_a)
    delivery = pending_delivery(endpoint)
    webhook_endpoint_deactivate(actor=personas.street_njxl, endpoint=endpoint)
    endpoint.refresh_from_db()
    delivery.refresh_from_db()
    assert not endpoint.is_active
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert webhook_deliver(delivery.pk) == "skipped"


# --- Which endpoints hear of an event ---------------------------------------------------


def test_notify_reaches_the_endpoints_whose_subtree_covers_the_object(alice, world):
    district = endpoint_at(world.district)
    street_a = endpoint_at(world.street_a)
    endpoint_at(world.street_b)  # another street
    endpoint_at(world.street_a, is_active=False)
    endpoint_at(world.street_a, codes=["grid.event.close"])  # another kind of event
    wildcard = endpoint_at(world.street_a, codes=["deliberation.topic.*"])

    notify(recipients=[alice], code="deliberation.topic.submit", params={"object": "议题"}, obj=world.henglong)

    reached = set(WebhookDelivery.objects.values_list("endpoint_id", flat=True))
    assert reached == {district.pk, street_a.pk, wildcard.pk}
    payload = WebhookDelivery.objects.filter(endpoint=street_a).get().payload
    assert payload["code"] == "deliberation.topic.submit"
    assert payload["object_type"] == "territory.building"
    assert payload["object_id"] == str(world.henglong.pk)
    assert "议题" in payload["text"]


def test_notify_takes_an_explicit_node(world):
    endpoint = endpoint_at(world.street_b)
    notify(recipients=[], code="grid.event.open", params={"object": "E1"}, node=world.jas_building.node)
    assert WebhookDelivery.objects.get().endpoint == endpoint


def test_an_object_off_the_territory_reaches_no_endpoint(alice, world):
    endpoint_at(world.district)
    notify(recipients=[alice], code="x.y.submit", params={"object": "A"}, obj=alice)
    assert not WebhookDelivery.objects.exists()


def test_after_commit_the_worker_delivers(world, receiver, django_capture_on_commit_callbacks):
    endpoint_at(world.street_a, url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[], code="deliberation.topic.submit", params={"object": "议题"}, obj=world.henglong)
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


# --- Sending ------------------------------------------------------------------------------


def test_the_signature_verifies_with_the_endpoint_secret(world, receiver):
    delivery = pending_delivery(endpoint_at(world.street_a, url=receiver.url))
    assert webhook_deliver(delivery.pk) == WebhookDelivery.Status.DELIVERED
    headers, body = receiver.last
    assert verify(SECRET, body, headers[SIGNATURE_HEADER])
    assert not verify("another-secret-entirely", body, headers[SIGNATURE_HEADER])
    assert headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert set(data) == {"code", "text", "object_type", "object_id", "url", "sent_at"}
    assert data["text"] == "议题: 已提交"
    sent_at = timezone.datetime.fromisoformat(data["sent_at"])
    assert int(headers[TIMESTAMP_HEADER]) == int(sent_at.timestamp())
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_status, delivery.last_error) == (1, 200, "")
    assert delivery.delivered_at is not None and delivery.next_attempt is None


def test_a_delivered_row_is_never_sent_again(world, receiver):
    delivery = pending_delivery(endpoint_at(world.street_a, url=receiver.url))
    webhook_deliver(delivery.pk)
    assert webhook_deliver(delivery.pk) == "skipped"
    assert webhooks.webhook_sweep(now=timezone.now() + timedelta(days=1)) == {}
    assert len(receiver.requests) == 1


def test_an_attempt_already_claimed_by_another_worker_is_not_repeated(world, receiver):
    delivery = pending_delivery(endpoint_at(world.street_a, url=receiver.url))
    stale = WebhookDelivery.objects.get(pk=delivery.pk)
    assert webhooks._claim(delivery, timezone.now())  # the other worker
    assert not webhooks._claim(stale, timezone.now())
    assert webhook_deliver(delivery.pk) == "not_due"  # inside the other worker's lease
    assert receiver.requests == []


def test_a_server_error_schedules_a_retry_with_backoff(world, receiver, deferring_backend):
    receiver.status = 500
    delivery = pending_delivery(endpoint_at(world.street_a, url=receiver.url))
    before = timezone.now()
    assert webhook_deliver(delivery.pk) == WebhookDelivery.Status.PENDING
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.attempts == 1
    assert delivery.response_status == 500 and delivery.last_error == "HTTP 500"
    assert before + timedelta(seconds=59) <= delivery.next_attempt <= timezone.now() + timedelta(seconds=61)
    [queued] = deferring_backend.results
    assert queued.args == [delivery.pk]
    assert queued.task.run_after == delivery.next_attempt


def test_the_backoff_doubles_and_is_capped():
    assert [webhooks.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert webhooks.backoff(30) == timedelta(hours=6)


def test_a_retry_is_not_attempted_before_it_is_due(world, receiver):
    receiver.status = 503
    delivery = pending_delivery(endpoint_at(world.street_a, url=receiver.url))
    webhook_deliver(delivery.pk)
    assert webhook_deliver(delivery.pk) == "not_due"
    assert len(receiver.requests) == 1


def test_after_the_last_attempt_the_delivery_fails(world, receiver, settings):
    settings.GOVCUBE_WEBHOOK_MAX_ATTEMPTS = 3
    receiver.status = 500
    delivery = pending_delivery(endpoint_at(world.street_a, url=receiver.url))
    outcomes = []
    for _ in range(4):
        WebhookDelivery.objects.filter(pk=delivery.pk, status="pending").update(
            next_attempt=timezone.now() - timedelta(seconds=1)
        )
        outcomes.append(webhook_deliver(delivery.pk))
    assert outcomes == ["pending", "pending", "failed", "skipped"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt) == ("failed", 3, None)
    assert len(receiver.requests) == 3


def test_a_retry_that_succeeds_is_delivered(world, receiver):
    receiver.status = 500
    delivery = pending_delivery(endpoint_at(world.street_a, url=receiver.url))
    webhook_deliver(delivery.pk)
    receiver.status = 204
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt=timezone.now())
    assert webhook_deliver(delivery.pk) == WebhookDelivery.Status.DELIVERED
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_status) == (2, 204)


def test_a_redirect_is_a_failure_not_followed(world, receiver):
    receiver.status = 302
    delivery = pending_delivery(endpoint_at(world.street_a, url=receiver.url))
    assert webhook_deliver(delivery.pk) == WebhookDelivery.Status.PENDING
    assert len(receiver.requests) == 1  # the Location was not visited
    delivery.refresh_from_db()
    assert delivery.last_error == "HTTP 302"


def test_an_unreachable_receiver_is_recorded_and_retried(world, monkeypatch):
    for variable in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    delivery = pending_delivery(endpoint_at(world.street_a, url=f"http://127.0.0.1:{port}/hook"))
    assert webhook_deliver(delivery.pk) == WebhookDelivery.Status.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.last_error
    assert delivery.next_attempt > timezone.now()


def test_the_sweep_retries_due_deliveries(world, receiver, capsys):
    delivery = pending_delivery(endpoint_at(world.street_a, url=receiver.url))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt=timezone.now() - timedelta(minutes=1))
    call_command("notifications_webhooks")
    assert "delivered: 1" in capsys.readouterr().out
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED


def test_the_sweep_leaves_fresh_and_finished_rows_alone(world, receiver):
    endpoint = endpoint_at(world.street_a, url=receiver.url)
    pending_delivery(endpoint)  # just created: its own task will send it
    WebhookDelivery.objects.filter(pk=pending_delivery(endpoint).pk).update(status=WebhookDelivery.Status.DELIVERED)
    assert webhooks.due_deliveries() == []


def test_with_the_database_backend_a_retry_is_queued_for_later(world, receiver, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    receiver.status = 500
    delivery = pending_delivery(endpoint_at(world.street_a, url=receiver.url))
    webhook_deliver(delivery.pk)
    delivery.refresh_from_db()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "govcube.notifications.tasks.deliver_webhook"
    assert queued.args_kwargs == {"args": [delivery.pk], "kwargs": {}}
    assert queued.run_after == delivery.next_attempt
    assert not DBTaskResult.objects.ready().exists()  # not before it is due
