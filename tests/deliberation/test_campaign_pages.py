"""Topic collection campaign pages: list, create, the campaign page, closing early."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govcube.deliberation import services as s
from govcube.deliberation.models import Campaign

pytestmark = pytest.mark.django_db


def _campaign(c, *, opens_in=timedelta(hours=-1), lasts=timedelta(days=10), **fields) -> Campaign:
    now = timezone.now()
    fields.setdefault("title", "十一月议题征集")
    fields.setdefault("categories", ["环境", "交通"])
    return s.campaign_create(
        actor=c.convener, body=c.body, opens_at=now + opens_in, closes_at=now + opens_in + lasts, **fields
    )


def _form(**overrides) -> dict:
    data = {
        "title": "十二月议题征集",
        "question": "楼里最需要解决什么？",
        "categories": "环境、交通, 餐饮；安全",
        "opens_at": "2030-01-06T09:00",
        "closes_at": "2030-01-20T18:00",
    }
    return data | overrides


def test_the_convener_creates_a_campaign_read_in_beijing_time(committee, login):
    c = committee
    client = login(c.convener)
    url = reverse("deliberation:campaign_new", args=[c.body.pk])
    assert 'type="datetime-local"' in client.get(url).content.decode()
    response = client.post(url, _form())
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "deliberation:campaign_detail", args=[campaign.pk]
    )
    assert campaign.categories == ["环境", "交通", "餐饮", "安全"]
    assert campaign.opens_at == datetime(2030, 1, 6, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    assert campaign.closes_at == datetime(2030, 1, 20, 10, 0, tzinfo=UTC)


def test_closing_before_opening_is_a_field_error_and_nothing_is_stored(committee, login):
    c = committee
    response = login(c.convener).post(
        reverse("deliberation:campaign_new", args=[c.body.pk]),
        _form(opens_at="2030-01-20T09:00", closes_at="2030-01-06T09:00"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_closes_at-error">A campaign must close after it opens.<' in html
    assert not Campaign.objects.exists()


def test_a_bad_date_is_a_field_error(committee, login):
    c = committee
    response = login(c.convener).post(reverse("deliberation:campaign_new", args=[c.body.pk]), _form(opens_at="soon"))
    assert response.status_code == 400 and 'id="id_opens_at-error"' in response.content.decode()
    assert not Campaign.objects.exists()


def test_only_managers_create_campaigns(committee, personas, login):
    c = committee
    url = reverse("deliberation:campaign_new", args=[c.body.pk])
    for user in (c.members[0], c.secretary, c.employees[0]):
        client = login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, _form()).status_code == 403
    assert login(personas.street_jas).get(url).status_code == 404
    assert login(personas.street_njxl).get(url).status_code == 200  # an official over the body's street
    assert not Campaign.objects.exists()


def test_the_list_shows_the_bodys_campaigns_with_states(committee, personas, login):
    c = committee
    _campaign(c, title="正在征集")
    _campaign(c, title="下月征集", opens_in=timedelta(days=3))
    client = login(c.employees[0])
    html = client.get(reverse("deliberation:campaign_list", args=[c.body.pk])).content.decode()
    assert "正在征集" in html and 'data-state="open"' in html
    assert "下月征集" in html and 'data-state="upcoming"' in html
    assert "New campaign" not in html
    assert (
        "New campaign"
        in login(c.convener).get(reverse("deliberation:campaign_list", args=[c.body.pk])).content.decode()
    )
    assert login(personas.street_jas).get(reverse("deliberation:campaign_list", args=[c.body.pk])).status_code == 404


def test_the_campaign_page_counts_topics_by_state_and_category(committee, login):
    c = committee
    campaign = _campaign(c)
    topics = [
        s.topic_submit(actor=c.employees[i], body=c.body, campaign=campaign, category=cat, title=f"议题{i}", text="x")
        for i, cat in enumerate(["交通", "交通", "环境", ""])
    ]
    s.topic_action(actor=c.convener, topic=topics[0], action="accept")
    s.topic_action(actor=c.convener, topic=topics[3], action="decline", reason="重复")
    client = login(c.convener)
    html = client.get(reverse("deliberation:campaign_detail", args=[campaign.pk])).content.decode()
    assert 'data-total="4"' in html
    assert f'?campaign={campaign.pk}&amp;state=submitted">2<' in html
    assert f'?campaign={campaign.pk}&amp;state=declined">1<' in html
    assert '<td>交通</td><td class="num">2</td>' in html and '<td>Uncategorised</td><td class="num">1</td>' in html
    assert "Close early" in html
    employee = login(c.employees[2]).get(reverse("deliberation:campaign_detail", args=[campaign.pk])).content.decode()
    assert 'data-total="3"' in employee  # the declined topic is for its proposer and the convener only
    assert "Close early" not in employee
    assert f"{reverse('deliberation:topic_new', args=[c.body.pk])}?campaign={campaign.pk}" in employee


def test_raise_a_topic_is_offered_only_while_open(committee, login):
    c = committee
    upcoming = _campaign(c, opens_in=timedelta(days=2))
    html = login(c.employees[0]).get(reverse("deliberation:campaign_detail", args=[upcoming.pk])).content.decode()
    assert 'data-state="upcoming"' in html and "Raise a topic" not in html


def test_closing_early_before_opening_shows_an_error(committee, login):
    c = committee
    campaign = _campaign(c, opens_in=timedelta(days=3))
    response = login(c.convener).post(reverse("deliberation:campaign_close", args=[campaign.pk]))
    assert response.status_code == 409
    assert "This campaign has not opened yet." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.closed_early_at is None


def test_the_convener_closes_an_open_campaign_early(committee, login):
    c = committee
    campaign = _campaign(c)
    assert login(c.members[0]).post(reverse("deliberation:campaign_close", args=[campaign.pk])).status_code == 403
    response = login(c.convener).post(reverse("deliberation:campaign_close", args=[campaign.pk]), follow=True)
    assert "The campaign is closed." in response.content.decode() and 'data-state="closed"' in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.closed_early_at is not None
    again = login(c.convener).post(reverse("deliberation:campaign_close", args=[campaign.pk]))
    assert again.status_code == 409 and "already closed" in again.content.decode()


def test_a_campaign_of_another_street_is_404(committee, personas, login):
    campaign = _campaign(committee)
    assert (
        login(personas.street_jas).get(reverse("deliberation:campaign_detail", args=[campaign.pk])).status_code == 404
    )
    assert login(committee.outsider).post(reverse("deliberation:campaign_close", args=[campaign.pk])).status_code == 404


def test_the_campaign_page_query_count_does_not_grow_with_topics(committee, login, count_queries):
    c = committee
    campaign = _campaign(c)

    def add(i):
        category = ["环境", "交通", ""][i % 3]
        topic = s.topic_submit(
            actor=c.employees[i % 4], body=c.body, campaign=campaign, category=category, title=f"议题{i}", text="x"
        )
        if i % 4 == 0:
            s.topic_action(actor=c.convener, topic=topic, action="accept")

    for i in range(5):
        add(i)
    client = login(c.convener)
    url = reverse("deliberation:campaign_detail", args=[campaign.pk])
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for i in range(5, 40):
        add(i)
    with count_queries() as large:
        response = client.get(url)
    assert 'data-total="40"' in response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_campaign_list_query_count_does_not_grow(committee, login, count_queries):
    c = committee
    for i in range(3):
        _campaign(c, title=f"征集{i}")
    client = login(c.convener)
    url = reverse("deliberation:campaign_list", args=[c.body.pk])
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for i in range(3, 30):
        _campaign(c, title=f"征集{i}")
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) <= len(small.captured_queries) + 1


def test_time_left_reads_hours_working_days_or_overdue():
    from govcube.deliberation.templatetags.deliberation_tags import state_badge, time_left_parts

    monday = datetime(2030, 1, 7, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    assert time_left_parts(monday + timedelta(hours=5), now=monday) == ("5 hours left", "warning")
    assert time_left_parts(monday + timedelta(days=7), now=monday) == ("5 working days left", "success")
    assert time_left_parts(monday + timedelta(days=2), now=monday)[1] == "warning"
    assert time_left_parts(monday - timedelta(days=3), now=monday) == ("1 working day overdue", "danger")
    assert time_left_parts(None) == ("", "")
    assert 'data-state="open">Open<' in state_badge("open", {"open": "Open"})
    assert "text-bg-danger" in state_badge("declined", "Declined")
