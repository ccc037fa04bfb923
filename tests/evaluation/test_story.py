"""One story across the three mechanisms: a petition answered, a project claimed and delivered, ratings, a round."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govcube.accounts.roles import Role
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.engagement import services as petitions
from govcube.engagement.models import PetitionStatus
from govcube.evaluation import services as evaluation
from govcube.evaluation.selectors import public_record, round_results
from govcube.services.models import Department
from govcube.work import services as work
from govcube.work.models import ClaimStatus, ProjectStatus
from tests.factories import enterprise_in, user_with_role

pytestmark = pytest.mark.django_db


def test_petition_project_rating_round(world, personas, committee):
    w, c = world, committee
    staff = user_with_role("housing_staff", Role.SERVICE_MEMBER, w.district)
    housing = Department.objects.create(
        name="静安区房管局", short_name="区房管局", district=w.district, coordinator=staff
    )
    petition = petitions.petition_submit(
        actor=c.convener,
        body=c.body,
        building=w.henglong,
        title="地下车库渗水",
        text="车库渗水三个月未解决",
        departments=[housing],
    )
    target = petition.targets.get()
    assert target.answer_by > target.acknowledge_by
    petitions.target_acknowledge(actor=staff, target=target)
    target.refresh_from_db()
    petitions.target_answer(actor=staff, target=target, answer="已安排维修", version=target.version)
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED and petition.answered_on_time is True
    petition = petitions.petition_action(actor=c.convener, petition=petition, action="contest", reason="维修未完成")
    with pytest.raises(Conflict):
        target.refresh_from_db()
        petitions.target_answer(actor=staff, target=target, answer="x", version=target.version - 1)
    target.refresh_from_db()
    petitions.target_answer(actor=staff, target=target, answer="已完成维修", version=target.version)
    petition.refresh_from_db()
    with pytest.raises(Conflict):
        petitions.petition_action(actor=c.convener, petition=petition, action="contest", reason="again")
    petition = petitions.petition_action(actor=c.convener, petition=petition, action="accept")
    assert petition.status == PetitionStatus.ACCEPTED

    contact = user_with_role("contact_b", Role.ENTERPRISE_CONTACT, enterprise=w.ent_a)
    other = enterprise_in(w.citic, name="中信测试科技")
    contact2 = user_with_role("contact_c", Role.ENTERPRISE_CONTACT, enterprise=other)
    project = work.project_create(
        actor=c.convener, body=c.body, title="楼宇共享会议室", description="改造空置空间", milestones=["设计", "施工"]
    )
    work.project_action(actor=c.convener, project=project, action="publish")
    claim1 = work.claim_submit(actor=contact, project=project, share=60, enterprise=w.ent_a)
    with pytest.raises(DomainError) as excinfo:
        work.claim_submit(actor=contact2, project=project, share=50, enterprise=other)
    assert excinfo.value.field == "share"
    claim2 = work.claim_submit(actor=contact2, project=project, share=40, enterprise=other)
    work.claim_action(actor=c.convener, claim=claim1, action="approve")
    work.claim_action(actor=c.convener, claim=claim2, action="approve")
    project.refresh_from_db()
    assert project.claimed_share == 100
    project = work.project_action(actor=c.convener, project=project, action="start")
    work.progress_post(actor=contact, project=project, text="设计完成", progress=50)
    project = work.project_action(actor=contact2, project=project, action="complete", outcome="会议室启用")
    project = work.project_action(actor=c.convener, project=project, action="verify")
    assert project.status == ProjectStatus.VERIFIED
    assert project.claims.filter(status=ClaimStatus.APPROVED).count() == 2

    employee = c.employees[0]
    evaluation.rating_submit(actor=employee, item=project, score=5, comment="很好")
    with pytest.raises(Conflict):
        evaluation.rating_submit(actor=employee, item=project, score=4)
    with pytest.raises(PermissionDenied):
        evaluation.rating_submit(actor=c.outsider, item=project, score=4)
    evaluation.rating_submit(actor=c.employees[1], item=petition, score=3)

    now = timezone.now()
    round_ = evaluation.round_create(
        actor=c.convener,
        body=c.body,
        title="2026年第四季度评议",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        min_answers=3,
    )
    questions = list(round_.questions.all())
    for i, user in enumerate(c.employees[:3]):
        evaluation.round_answer(
            actor=user, round_=round_, answers={q.pk: (4 if q.kind == "score" else f"建议{i}") for q in questions}
        )
    with pytest.raises(Conflict):
        evaluation.round_answer(actor=c.employees[0], round_=round_, answers={})
    round_.refresh_from_db()
    with pytest.raises(Conflict):
        round_results(round_)
    round_ = evaluation.round_close(actor=c.convener, round_=round_)
    results = round_results(round_)
    assert results[0].average == 4.0 and results[0].count == 3
    record = public_record(c.body)
    assert record["projects_delivered"] == 1 and record["petitions_on_time"] == 1 and record["ratings_count"] == 2
