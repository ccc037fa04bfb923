"""Idempotency-Key on API writes: one effect and the same answer per key; another request under the key is 422."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from govcube.accounts.services import api_token_create
from govcube.core.idempotency import IdempotencyRecord, purge_idempotency_records
from govcube.work.models import Need

URL = "/api/v1/needs"


def _post(client, body: dict, key: str | None, token: str | None = None):
    headers = {}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def token(committee):
    _row, raw = api_token_create(actor=committee.convener, name="retrying client")
    return raw


@pytest.mark.django_db
def test_the_same_key_and_body_does_the_work_once_and_answers_the_same(client, committee, token):
    body = {"body_id": committee.body.pk, "title": "大堂增设共享雨伞"}
    first = _post(client, body, "need-001", token)
    second = _post(client, body, "need-001", token)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Need.objects.filter(title="大堂增设共享雨伞").count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(client, committee, token):
    _post(client, {"body_id": committee.body.pk, "title": "雨伞"}, "k1", token)
    response = _post(client, {"body_id": committee.body.pk, "title": "雨衣"}, "k1", token)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency.key.reused" and response.json()["field"] == "Idempotency-Key"
    assert not Need.objects.filter(title="雨衣").exists()


@pytest.mark.django_db
def test_a_refusal_is_replayed_too_and_keys_are_per_account(client, committee, token):
    bad = {"body_id": committee.body.pk, "title": " "}
    first, second = _post(client, bad, "k2", token), _post(client, bad, "k2", token)
    assert first.status_code == second.status_code == 400 and first.json() == second.json()
    _row, other = api_token_create(actor=committee.secretary, name="other")
    mine = _post(client, {"body_id": committee.body.pk, "title": "饮水机"}, "shared-key", token)
    theirs = _post(client, {"body_id": committee.body.pk, "title": "饮水机"}, "shared-key", other)
    assert mine.status_code == 201 and theirs.status_code in (201, 403)
    assert "Idempotent-Replayed" not in theirs


@pytest.mark.django_db
def test_without_a_key_every_post_acts(client, committee, token):
    body = {"body_id": committee.body.pk, "title": "快递柜"}
    assert _post(client, body, None, token).status_code == 201
    assert _post(client, body, None, token).status_code == 201
    assert Need.objects.filter(title="快递柜").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 201, "钥匙", "a\tb"])
def test_an_invalid_key_is_a_400_naming_the_header(client, committee, token, key):
    response = _post(client, {"body_id": committee.body.pk, "title": "t"}, key, token)
    assert response.status_code == 400 and response.json()["field"] == "Idempotency-Key"
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_a_session_client_is_keyed_by_its_account(client, committee):
    client.force_login(committee.convener)
    body = {"body_id": committee.body.pk, "title": "绿植"}
    csrf = Client(enforce_csrf_checks=False)
    csrf.force_login(committee.convener)
    first, second = _post(csrf, body, "s-1"), _post(csrf, body, "s-1")
    assert first.status_code == 201 and second["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.get(key="s-1").principal == f"u:{committee.convener.pk}"


@pytest.mark.django_db
def test_old_records_are_purged(client, committee, token):
    _post(client, {"body_id": committee.body.pk, "title": "t"}, "old", token)
    IdempotencyRecord.objects.update(created=timezone.now() - timedelta(days=3))
    _post(client, {"body_id": committee.body.pk, "title": "t2"}, "new", token)
    assert purge_idempotency_records() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent requests need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_create_one_object_and_answer_the_same(committee, token):
    from tests.deliberation.test_concurrency import run_together

    body = {"body_id": committee.body.pk, "title": "同时重试的需求"}
    calls = [lambda: _post(Client(), body, "race-1", token) for _ in range(6)]
    results = run_together(calls)
    responses = [value for state, value in results if state == "ok"]
    assert len(responses) == 6, results
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    assert sum(r.has_header("Idempotent-Replayed") for r in responses) == 5
    assert Need.objects.filter(title="同时重试的需求").count() == 1
