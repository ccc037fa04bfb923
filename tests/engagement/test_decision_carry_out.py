"""A passed decision on the meeting page offers the convener its carrying-out: a project or a special petition."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govcube.engagement import services

pytestmark = pytest.mark.django_db


def test_the_convener_can_start_a_project_or_a_petition_from_a_passed_decision(committee, passed_decision, login):
    meeting = passed_decision.item.meeting
    url = reverse("deliberation:meeting_detail", args=[meeting.pk])
    html = login(committee.convener).get(url).content.decode()
    assert f"/work/projects/new/?decision={passed_decision.pk}" in html
    assert f"/engagement/bodies/{committee.body.pk}/petitions/new/?decision={passed_decision.pk}" in html
    member_html = login(committee.members[0]).get(url).content.decode()
    assert 'data-testid="carry-out"' not in member_html


def test_the_follow_up_links_to_the_petition_sent_from_the_decision(committee, passed_decision, login, world):
    from govcube.services.models import Department

    housing = Department.objects.create(name="静安区房管局", short_name="区房管局", district=world.district)
    petition = services.petition_submit(
        actor=committee.convener,
        body=committee.body,
        building=world.henglong,
        title="车库渗水",
        text="车库渗水三个月",
        departments=[housing],
        decision=passed_decision,
    )
    html = (
        login(committee.convener)
        .get(reverse("deliberation:meeting_detail", args=[passed_decision.item.meeting.pk]))
        .content.decode()
    )
    assert reverse("engagement:petition_detail", args=[petition.pk]) in html
