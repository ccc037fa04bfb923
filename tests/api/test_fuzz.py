"""API fuzzing: schemathesis walks every operation of /api/v1/openapi.json on a live server.

For each of five personas (street official, convener, enterprise contact, employee, service team
member), authenticated with an API token, schemathesis generates valid and invalid requests for
every operation and checks each answer: never a 5xx, the status code is one the schema documents,
and the body conforms to the documented schema (the house error shape for every 4xx).

Bounded for CI: 3 valid and 2 invalid examples per operation and persona, with a fixed seed (the
run is the same every time; about two minutes on PostgreSQL, less on SQLite).
``make fuzz`` runs the same test with many more examples (``GOVCUBE_FUZZ_EXAMPLES``) and a seed of
your choice (``GOVCUBE_FUZZ_SEED``).

The data is built through the real services, committed (the live server's thread must see it):
the Hang Lung Plaza committee with a campaign, a topic, a meeting, a published project with a
claim, a need, a resource, a special petition, an evaluation round, a liaison with a planned visit
and a service request. Path ids are drawn partly from these rows so the operations are exercised
on objects that exist, not only answered 404.
"""

from __future__ import annotations

import itertools
import os
import zlib
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import hypothesis
import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from govcube.accounts.models import ApiToken, hash_token
from govcube.accounts.roles import Role
from govcube.accounts.services import api_token_create
from tests.factories import make_world

# Examples per operation, persona and mode: EXAMPLES valid ones, about half as many invalid ones
# (invalid input mostly ends in the same 422 of the body's validation).
EXAMPLES = int(os.environ.get("GOVCUBE_FUZZ_EXAMPLES", "3"))
NEGATIVE_EXAMPLES = max(1, (EXAMPLES + 1) // 2)
SEED = int(os.environ.get("GOVCUBE_FUZZ_SEED", "20261129"))
PERSONAS = ["street_official", "convener", "enterprise_contact", "employee", "service_member"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        # The personas' tokens are sent with every request; no generated credentials.
        "generation": {"with-security-parameters": False},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)


@pytest.fixture
def world(transactional_db):
    # transactional_db: the rows must be committed for the live server's thread to see them.
    return make_world()


@pytest.fixture
def fuzz_data(world, personas, committee):
    """Objects of every kind the API serves, made through the services; ids by path parameter name."""
    from govcube.deliberation import services as ds
    from govcube.engagement.models import VisitKind
    from govcube.engagement.services import liaison_assign, petition_submit, visit_plan
    from govcube.evaluation.services import round_create
    from govcube.services.models import Department, Domain, RotaEntry
    from govcube.services.services import request_submit, service_item_create
    from govcube.work import services as ws
    from tests.factories import person_user, user_with_role

    w, c = world, committee
    now = timezone.now()
    service_member = user_with_role("service_hr", Role.SERVICE_MEMBER, w.district)
    hr = Department.objects.create(
        name="静安区人力资源和社会保障局",
        short_name="区人社局",
        district=w.district,
        coordinator=service_member,
        petition_acknowledge_days=2,
        petition_answer_days=10,
    )
    hr.staff.set([service_member])
    permit = service_item_create(
        actor=personas.district_admin,
        domain=Domain.TALENT,
        code="talent.work_permit",
        name="外国人来华工作许可",
        department=hr,
        first_response_hours=Decimal("4"),
        update_hours=Decimal("16"),
        resolution_days=5,
    )
    RotaEntry.objects.create(department=hr, building=w.henglong, member=service_member)
    service_request = request_submit(
        actor=personas.contact_a,
        enterprise=w.ent_a,
        building=w.henglong,
        item=permit,
        title="外籍员工工作许可",
        description="新入职外籍员工需办理工作许可。",
    )

    campaign = ds.campaign_create(
        actor=c.convener, body=c.body, title="年度议题征集", opens_at=now, closes_at=now + timedelta(days=20)
    )
    topic = ds.topic_submit(actor=c.employees[0], body=c.body, title="午间电梯拥挤", text="午间电梯排队太久。")
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    meeting = ds.meeting_create(
        actor=c.convener,
        body=c.body,
        title="十二月例会",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="会议室",
    )
    item = ds.agenda_item_add(actor=c.convener, meeting=meeting, title="午间电梯", topic=None)

    project = ws.project_create(
        actor=c.convener,
        body=c.body,
        title="楼宇共享会议室",
        description="改造空置空间为共享会议室",
        building=w.henglong,
        milestones=["设计", "施工"],
        due_on=timezone.localdate() + timedelta(days=30),
    )
    project = ws.project_action(actor=c.convener, project=project, action="publish")
    claim = ws.claim_submit(actor=personas.contact_a, project=project, share=50, enterprise=w.ent_a)
    need = ws.need_create(actor=c.convener, body=c.body, title="会议室不足", building=w.henglong)
    resource = ws.resource_offer(
        actor=personas.contact_a, kind="venue", title="周末开放会议室", enterprise=w.ent_a, body=c.body
    )

    petition = petition_submit(
        actor=c.convener,
        body=c.body,
        building=w.henglong,
        title="地下车库渗水",
        text="车库渗水三个月未解决，物业无力处理。",
        departments=[hr],
    )
    evaluation_round = round_create(
        actor=c.convener,
        body=c.body,
        title="年度评议",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=10),
        min_answers=3,
    )

    cadre = person_user("cadre_wang", w.ent_a, "王包联", role=Role.LIAISON_CADRE, node=w.street_a)
    liaison = liaison_assign(actor=personas.street_njxl, building=w.henglong, cadre=cadre)
    visit = visit_plan(
        actor=cadre,
        building=w.henglong,
        kind=VisitKind.objects.order_by("order").first(),
        planned_for=timezone.localdate() + timedelta(days=5),
        enterprise=w.ent_a,
    )

    users = {
        "street_official": personas.street_njxl,
        "convener": c.convener,
        "enterprise_contact": personas.contact_a,
        "employee": c.employees[0],
        "service_member": service_member,
    }
    tokens = {}
    for name, user in users.items():
        _row, raw = api_token_create(actor=user, name="fuzz")
        tokens[name] = raw
    ids = {
        "node_id": [w.street_a.pk, w.henglong.node.pk, w.street_b.pk],
        "building_id": [w.henglong.pk, w.citic.pk, w.jas_building.pk],
        "enterprise_id": [w.ent_a.pk, w.ent_b.pk],
        "body_id": [c.body.pk],
        "member_id": [row.pk for row in c.member_rows.values()],
        "person_id": [c.employees[1].person_id, c.outsider.person_id],
        "cadre_id": [cadre.pk],
        "department_id": [hr.pk],
        "campaign_id": [campaign.pk],
        "topic_id": [topic.pk],
        "meeting_id": [meeting.pk],
        "item_id": [item.pk, permit.pk],
        "project_id": [project.pk],
        "claim_id": [claim.pk],
        "milestone_id": list(project.milestones.values_list("pk", flat=True)),
        "need_id": [need.pk],
        "resource_id": [resource.pk],
        "petition_id": [petition.pk],
        "target_id": list(petition.targets.values_list("pk", flat=True)),
        "round_id": [evaluation_round.pk],
        "liaison_id": [liaison.pk],
        "visit_id": [visit.pk],
        "request_id": [service_request.pk],
        "action": ["accept", "ask", "assign", "close", "escalate", "resolve", "transfer", "withdraw"],
        "decision": ["approve", "refuse"],
    }
    # Body fields and query filters that name objects, by the key above they draw from.
    aliases = {"parent_id": "node_id", "merged_into_id": "request_id"}
    for key in list(ids):
        if key.endswith("_id"):
            aliases.setdefault(key[: -len("_id")], key)  # query filters: ?body=…, ?building=…
            aliases.setdefault(f"{key}s", key)  # lists: building_ids, department_ids, need_ids…
    aliases.update({"parent": "node_id", "street": "node_id", "item": "item_id", "joint_body_ids": "body_id"})
    ids.update({alias: ids[key] for alias, key in aliases.items() if alias not in ids})
    return {"users": users, "tokens": tokens, "ids": ids}


@st.composite
def _naming_existing_rows(draw, cases, ids):
    """A valid case whose id fields in the body and the query sometimes name rows that exist."""
    case = draw(cases)
    for values in (case.body if isinstance(case.body, dict) else None, case.query):
        for key, value in (values or {}).items():
            if key in ids and draw(st.booleans()):
                chosen = draw(st.sampled_from(ids[key]))
                values[key] = [chosen] if isinstance(value, list) else chosen
    return case


def _strategy(operation, mode, ids):
    """Cases for one operation; valid ones also aim at the rows that exist, not only at 404s."""
    generated = operation.as_strategy(generation_mode=mode)
    if mode is not GenerationMode.POSITIVE:
        return generated
    names = [p.name for p in operation.path_parameters]
    if names and all(name in ids for name in names):
        combos = [dict(zip(names, values, strict=True)) for values in itertools.product(*(ids[n] for n in names))]
        existing = st.sampled_from(combos).flatmap(
            lambda values: operation.as_strategy(generation_mode=mode, path_parameters=values)
        )
        generated = st.one_of(generated, existing)
    return _naming_existing_rows(generated, ids)


def _run(operation, mode, strategy, send) -> str | None:
    """Run the bounded Hypothesis test for one operation; the failure (with the request) or None."""
    last_failure: list[str] = []

    @hypothesis.seed(zlib.crc32(f"{SEED}:{mode.value}:{operation.label}".encode()))
    @settings(
        max_examples=EXAMPLES if mode is GenerationMode.POSITIVE else NEGATIVE_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
    )
    @given(case=strategy)
    def run(case):
        response = send(case)
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, FailureGroup) as exc:
            curl = case.as_curl_command(headers={"Authorization": "Bearer …"})
            last_failure[:] = [
                f"{operation.label} ({mode.value}): {response.status_code}\n  {curl}\n"
                f"  {response.text[:500]}\n  {str(exc)[:1500]}"
            ]
            raise

    try:
        run()
    except Unsatisfiable:
        return None  # nothing to make invalid: the operation takes no parameters and no body
    except (Exception, FailureGroup) as exc:
        return last_failure[0] if last_failure else f"{operation.label} ({mode.value}): {exc!r}"[:2000]
    return None


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_answers_within_its_schema(persona, fuzz_data, live_server):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json", config=CONFIG)
    user = fuzz_data["users"][persona]
    token = fuzz_data["tokens"][persona]

    def send(case):
        bearer = token
        if case.operation.path.startswith("/api/v1/tokens"):
            # Token operations act on the persona's own tokens (a small generated id may be the
            # persona's token): call them with a fresh token and give the persona's back afterwards.
            bearer = api_token_create(actor=user, name="fuzz-token-ops")[1]
        try:
            response = case.call(base_url=live_server.url, headers={"Authorization": f"Bearer {bearer}"}, timeout=30)
            answered[response.status_code] += 1
            if response.status_code < 300 and case.method.upper() != "GET":
                written.add(case.operation.label)
            return response
        finally:
            if bearer != token:
                ApiToken.objects.filter(key_hash=hash_token(token)).update(revoked=None)

    answered: Counter[int] = Counter()
    written: set[str] = set()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _run(operation, mode, _strategy(operation, mode, fuzz_data["ids"]), send)
            if failure:
                failures.append(failure)
    print(f"\n{persona}: answers {dict(sorted(answered.items()))}; writes that succeeded: {sorted(written)}")
    assert not failures, f"{len(failures)} operations failed for {persona}:\n\n" + "\n\n".join(failures)
