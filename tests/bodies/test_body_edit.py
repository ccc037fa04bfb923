from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from govcube.audit.models import AuditEvent
from govcube.bodies.models import MajorityRule, Mechanism

pytestmark = pytest.mark.django_db


def url(body) -> str:
    return reverse("bodies:body_edit", args=[body.pk])


def rules(body, **overrides) -> dict:
    data = {
        "version": body.version,
        "name": body.name,
        "description": "",
        "quorum": "0.67",
        "majority_rule": MajorityRule.TWO_THIRDS,
        "mechanisms": [Mechanism.DELIBERATION, Mechanism.TOPIC_COLLECTION],
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_the_form_shows_the_current_rules(bodies, personas, login):
    response = login(personas.street_njxl).get(url(bodies.committee))
    assert response.status_code == 200
    assert response.context["form"].initial["version"] == bodies.committee.version


def test_an_official_edits_the_rules(bodies, personas, login):
    body = bodies.committee
    response = login(personas.street_njxl).post(url(body), rules(body))
    assert response.status_code == 302 and response["Location"] == reverse("bodies:body", args=[body.pk])
    body.refresh_from_db()
    assert body.quorum == Decimal("0.67") and body.majority_rule == MajorityRule.TWO_THIRDS
    assert body.mechanisms == [Mechanism.DELIBERATION, Mechanism.TOPIC_COLLECTION]
    assert body.version == 2
    assert AuditEvent.objects.filter(action="bodies.body.updated", object_id=str(body.pk)).count() == 1


def test_a_stale_version_is_refused_with_a_message_and_nothing_changes(bodies, personas, login):
    body = bodies.committee
    client = login(personas.street_njxl)
    stale = rules(body)
    assert client.post(url(body), rules(body, name="先保存的名字")).status_code == 302
    response = client.post(url(body), stale | {"name": "后保存的名字"})
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    body.refresh_from_db()
    assert body.name == "先保存的名字" and body.version == 2


def test_another_street_gets_404(bodies, personas, login):
    response = login(personas.street_jas).post(url(bodies.committee), rules(bodies.committee, name="x"))
    assert response.status_code == 404
    bodies.committee.refresh_from_db()
    assert bodies.committee.name == "恒隆广场楼宇事务委员会"


def test_a_convener_without_a_territory_role_gets_403(bodies, login):
    assert login(bodies.convener).get(url(bodies.committee)).status_code == 403


def test_a_quorum_of_zero_is_a_field_error(bodies, personas, login):
    response = login(personas.street_njxl).post(url(bodies.committee), rules(bodies.committee, quorum="0"))
    assert response.status_code == 400 and "quorum" in response.context["form"].errors
    bodies.committee.refresh_from_db()
    assert bodies.committee.version == 1
