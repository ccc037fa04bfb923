"""Evaluation fixtures: delivered things to rate, rounds in each state, and an API client.

The committee (恒隆广场楼宇事务委员会 over 恒隆广场 and 中信泰富广场) lives in tests/conftest.py;
its ``employees`` work in the covered buildings, its ``outsider`` in 静安寺街道.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govcube.accounts.roles import Role
from govcube.accounts.services import api_token_create
from govcube.deliberation import services as deliberation
from govcube.deliberation.models import Topic, TopicStatus
from govcube.evaluation import services
from govcube.evaluation.models import Answer, EvaluationRound, QuestionKind, Response
from govcube.work import services as work
from tests.factories import person_user, user_with_role


def deliver_project(committee, world, title="楼宇共享会议室"):
    """A project claimed by 恒隆测试咨询 and verified by the convener (ratings are asked for)."""
    c = committee
    contact = user_with_role(f"contact_{title}", Role.ENTERPRISE_CONTACT, enterprise=world.ent_a)
    project = work.project_create(actor=c.convener, body=c.body, title=title, description="改造空置空间")
    work.project_action(actor=c.convener, project=project, action="publish")
    claim = work.claim_submit(actor=contact, project=project, share=100, enterprise=world.ent_a)
    work.claim_action(actor=c.convener, claim=claim, action="approve")
    project = work.project_action(actor=c.convener, project=project, action="start")
    project = work.project_action(actor=contact, project=project, action="complete", outcome="会议室启用")
    return work.project_action(actor=c.convener, project=project, action="verify")


def decided_topic(committee, title="午间电梯太挤", status=TopicStatus.DECIDED) -> Topic:
    """A topic raised by an employee, accepted, then put in ``status`` (the meeting steps are
    tested in tests/deliberation)."""
    c = committee
    topic = deliberation.topic_submit(actor=c.employees[0], body=c.body, title=title, text="<p>希望错峰</p>")
    topic = deliberation.topic_action(actor=c.convener, topic=topic, action="accept")
    Topic.objects.filter(pk=topic.pk).update(status=status, outcome="分楼层错峰运行")
    topic.refresh_from_db()
    return topic


def open_round(committee, title="2026年第四季度评议", min_answers=3, days=7) -> EvaluationRound:
    now = timezone.now()
    return services.round_create(
        actor=committee.convener,
        body=committee.body,
        title=title,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=days),
        min_answers=min_answers,
    )


def answer(user, round_, score=4, text="多组织午间活动"):
    answers = {q.pk: (score if q.kind == QuestionKind.SCORE else text) for q in round_.questions.all()}
    services.round_answer(actor=user, round_=round_, answers=answers)


def fill(round_, n: int, score=4, text="建议") -> None:
    """``n`` anonymous responses written directly (for volume in query-count tests)."""
    questions = list(round_.questions.all())
    for i in range(n):
        response = Response.objects.create(round=round_)
        Answer.objects.bulk_create(
            [
                Answer(response=response, question=q, score=score)
                if q.kind == QuestionKind.SCORE
                else Answer(response=response, question=q, text=f"{text}{i}")
                for q in questions
            ]
        )
    EvaluationRound.objects.filter(pk=round_.pk).update(answer_count=round_.answer_count + n)
    round_.refresh_from_db()


def end(round_) -> EvaluationRound:
    """Move a round past its closing time without closing it by hand."""
    EvaluationRound.objects.filter(pk=round_.pk).update(
        opens_at=timezone.now() - timedelta(days=8), closes_at=timezone.now() - timedelta(minutes=1)
    )
    round_.refresh_from_db()
    return round_


@pytest.fixture
def street_cadre(world):
    """Sees the committee through a role in 南京西路街道 but works in 静安寺街道 (not covered)."""
    return person_user("cadre_jas_worker", world.ent_b, "跨街干部", role=Role.LIAISON_CADRE, node=world.street_a)


@pytest.fixture
def api(client):
    """``api(user).get(path)`` / ``.post(path, body)`` with a bearer token."""

    class _Api:
        def __init__(self, user):
            _row, raw = api_token_create(actor=user, name="test")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        def get(self, path, params=None):
            return client.get("/api/v1" + path, params or {}, **self.headers)

        def post(self, path, body=None):
            return client.post("/api/v1" + path, body or {}, content_type="application/json", **self.headers)

    return _Api


def measure(count_queries, fn) -> int:
    fn()  # a first call warms per-process caches (content types, calendar, translations)
    with count_queries() as ctx:
        fn()
    return len(ctx.captured_queries)
