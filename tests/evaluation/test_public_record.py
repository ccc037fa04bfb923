"""The committee's record on its public page: counts, on-time petitions, ratings, and the averages of
the latest rounds whose results are available — no free text, no person, a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govcube.accounts.roles import Role
from govcube.deliberation.models import AgendaItem, Decision, Meeting, MeetingStatus, TopicStatus
from govcube.engagement import services as petitions
from govcube.evaluation import services
from govcube.evaluation.models import EvaluationRound
from govcube.evaluation.selectors import public_record
from govcube.services.models import Department
from tests.evaluation.conftest import answer, decided_topic, deliver_project, end, fill, measure, open_round
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

SECRET_SUGGESTION = "只给委员会看的建议"


def public_url(committee):
    return reverse("deliberation:public_body", args=[committee.body.pk])


def answered_petition(committee, world, title="地下车库渗水"):
    staff = user_with_role(f"staff_{title}", Role.SERVICE_MEMBER, world.district)
    department = Department.objects.create(
        name=f"{title}房管局", short_name=f"{title}局", district=world.district, coordinator=staff
    )
    petition = petitions.petition_submit(
        actor=committee.convener,
        body=committee.body,
        building=world.henglong,
        title=title,
        text="三个月未解决",
        departments=[department],
    )
    target = petition.targets.get()
    petitions.target_acknowledge(actor=staff, target=target)
    target.refresh_from_db()
    petitions.target_answer(actor=staff, target=target, answer="已安排维修", version=target.version)
    petition.refresh_from_db()
    return petitions.petition_action(actor=committee.convener, petition=petition, action="accept")


def test_the_public_page_shows_the_committees_record(client, committee, world):
    c = committee
    topic = decided_topic(c)
    decided_topic(c, title="增加自行车停放点", status=TopicStatus.ACCEPTED)
    project = deliver_project(c, world)
    petition = answered_petition(c, world)
    for user, score in zip(c.employees[:3], (5, 4, 4), strict=True):
        services.rating_submit(actor=user, item=project, score=score, comment=f"{user.person.name}说好")
    services.rating_submit(actor=c.employees[3], item=petition, score=2)
    services.rating_submit(actor=c.employees[3], item=topic, score=5)
    shown = open_round(c, "第三季度评议")
    for user, score in zip(c.employees[:3], (5, 3, 4), strict=True):
        answer(user, shown, score=score, text=SECRET_SUGGESTION)
    services.round_close(actor=c.convener, round_=shown)
    few = open_round(c, "答卷太少的评议")
    answer(c.employees[0], few)
    services.round_close(actor=c.convener, round_=few)
    running = open_round(c, "进行中的评议")
    for user in c.employees[:3]:
        answer(user, running)

    response = client.get(public_url(c))
    assert response.status_code == 200
    record = response.context["record"]
    assert (record["topics_raised"], record["topics_resolved"]) == (2, 1)
    assert (record["projects_delivered"], record["projects_running"]) == (1, 0)
    assert (record["petitions_sent"], record["petitions_on_time"], record["petitions_on_time_percent"]) == (1, 1, 100)
    assert (record["ratings_count"], record["ratings_average"]) == (5, 4.0)
    assert [r.title for r in record["rounds"]] == ["第三季度评议"]
    assert [(q.average, q.count) for q in record["rounds"][0].averages] == [(4.0, 3)] * 4
    html = response.content.decode()
    assert 'data-testid="record"' in html and "100% answered on time (1 of 1)" in html
    assert 'data-record="ratings_average">4.0<' in html and "第三季度评议" in html
    assert "How open is the committee about its topics and decisions?" in html
    for private in (SECRET_SUGGESTION, "答卷太少的评议", "进行中的评议", "说好"):
        assert private not in html
    for user in (c.convener, *c.employees):
        assert user.person.name not in html


def test_only_published_decisions_are_counted(committee):

    now = timezone.now()
    meeting = Meeting.objects.create(
        body=committee.body,
        title="内部会议",
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
        place="x",
        status=MeetingStatus.ENDED,
    )
    hidden = AgendaItem.objects.create(meeting=meeting, order=1, title="内部事项")
    published = AgendaItem.objects.create(
        meeting=meeting, order=2, title="公开事项", minutes_status=AgendaItem.MinutesStatus.PUBLISHED
    )
    Decision.objects.create(item=hidden, text="内部决定", passed=True)
    Decision.objects.create(item=published, text="公开决定", passed=True)
    Decision.objects.create(item=published, text="未通过的决定", passed=False)
    assert public_record(committee.body)["decisions"] == 1


def test_rounds_past_their_closing_time_count_and_the_latest_three_are_shown(committee):
    c = committee
    rounds = []
    for i in range(5):
        round_ = open_round(c, f"第{i}轮", days=1 + i)
        fill(round_, 3)
        rounds.append(round_)
    assert public_record(c.body)["rounds"] == []  # all still open
    for round_ in rounds[:4]:
        end(round_)
    # the latest round still open does not push the finished ones off the page

    for i, round_ in enumerate(rounds[:4]):
        EvaluationRound.objects.filter(pk=round_.pk).update(closes_at=round_.closes_at - timedelta(hours=4 - i))
    titles = [r.title for r in public_record(c.body)["rounds"]]
    assert titles == ["第3轮", "第2轮", "第1轮"]


def test_the_public_page_query_count_does_not_grow_with_the_record(client, committee, world, count_queries):
    c = committee
    decided_topic(c)
    url = public_url(c)

    def grow(n, prefix):
        for i in range(n):
            project = deliver_project(c, world, f"{prefix}项目{i}")
            services.rating_submit(actor=c.employees[i % 4], item=project, score=1 + i % 5)
            round_ = open_round(c, f"{prefix}评议{i}")
            fill(round_, 3 + i)
            services.round_close(actor=c.convener, round_=round_)
            answered_petition(c, world, f"{prefix}提请{i}")

    grow(2, "少")
    few = measure(count_queries, lambda: client.get(url))
    grow(6, "多")
    many = measure(count_queries, lambda: client.get(url))
    assert many == few, (few, many)
    record = client.get(url).context["record"]
    assert record["projects_delivered"] == 8 and len(record["rounds"]) == 3 and record["petitions_sent"] == 8
