"""The service desk's lists, board, catalogue and desk cost the same with 5 requests as with 40."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from govcube.services import services as s
from govcube.services.models import Domain, RequestStatus, ServiceRequest

pytestmark = pytest.mark.django_db


def _populate(desk, world, start: int, stop: int) -> None:
    """Requests in every state: assigned, in progress, waiting, resolved with a low rating (to review),
    with a pending extension; every third overdue, every seventh unassigned."""
    for i in range(start, stop):
        item = desk.permit if i % 2 else desk.invoice
        r = s.request_submit(
            actor=desk.contact,
            enterprise=world.ent_a,
            building=world.henglong,
            item=item,
            title=f"第{i}号请求",
            description="需要帮助。",
        )
        owner = r.owner
        kind = i % 5
        if kind:
            r = s.request_action(actor=owner, request=r, action="accept")
        if kind == 2:
            s.request_action(actor=owner, request=r, action="ask", message="请补充材料。")
        elif kind == 3:
            r = s.request_action(actor=owner, request=r, action="resolve", answer="已办结。")
            s.rating_submit(actor=desk.contact, request=r, score=1, comment="不满意")
        elif kind == 4:
            s.extension_request(actor=owner, request=r, days=2, reason="需会签")
            s.message_post(actor=owner, request=r, text="内部备注", internal=True)
        now = timezone.now()
        if i % 3 == 0 and kind in (0, 1, 4):
            ServiceRequest.objects.filter(pk=r.pk).update(
                submitted_at=now - timedelta(days=20),
                first_response_due=now - timedelta(days=19),
                resolution_due=now - timedelta(days=1),
            )
        if i % 7 == 0 and kind == 0:
            ServiceRequest.objects.filter(pk=r.pk).update(status=RequestStatus.SUBMITTED, owner=None)


def _assert_flat(client, url, grow, count_queries, slack=0):
    client.get(url)
    with count_queries() as small:
        response = client.get(url)
    assert response.status_code == 200
    grow()
    client.get(url)  # a first visit may warm a per-process cache (the working-day calendar)
    with count_queries() as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) <= len(small.captured_queries) + slack, (
        len(small.captured_queries),
        len(large.captured_queries),
    )
    return response


@pytest.fixture
def grown(desk, world):
    _populate(desk, world, 0, 5)
    return lambda: _populate(desk, world, 5, 40)


def test_my_requests_query_count_is_flat(desk, login, count_queries, grown):
    # +1: with more rows than a page, the capped count of the pager.
    response = _assert_flat(login(desk.contact), reverse("services:my_requests"), grown, count_queries, slack=1)
    assert response.content.decode().count("data-request=") == 25


def test_the_queue_query_count_is_flat(desk, login, count_queries, grown):
    response = _assert_flat(login(desk.hr_coordinator), reverse("services:queue"), grown, count_queries, slack=1)
    assert 'id="assign-owner-' in response.content.decode()


def test_the_leads_queue_query_count_is_flat(desk, login, count_queries, grown):
    _assert_flat(login(desk.lead), reverse("services:queue") + "?status=all", grown, count_queries, slack=1)


def test_the_board_query_count_is_flat(desk, login, count_queries, grown):
    response = _assert_flat(login(desk.lead), reverse("services:board"), grown, count_queries)
    body = response.content.decode()
    assert body.count('<li class="py-2 border-bottom">') >= 10 and 'data-tone="overdue"' in body


@pytest.mark.parametrize("who", ["hr_member", "hr_coordinator", "lead", "contact"])
def test_the_desk_query_count_is_flat(desk, login, count_queries, grown, who):
    response = _assert_flat(login(getattr(desk, who)), reverse("core:home"), grown, count_queries)
    assert "/services/requests/" in response.content.decode()


@pytest.mark.parametrize("editor", [True, False])
def test_the_catalogue_query_count_is_flat(desk, login, count_queries, personas, editor):
    def more_items(start, stop):
        for i in range(start, stop):
            s.service_item_create(
                actor=personas.district_admin,
                domain=list(Domain)[i % 4],
                code=f"test.item{i}",
                name=f"测试事项{i}",
                department=desk.hr if i % 2 else desk.tax,
                first_response_hours=Decimal("4"),
                update_hours=Decimal("16"),
                resolution_days=5,
                documents=["营业执照"],
            )

    more_items(0, 3)  # 5 items with the desk's two
    client = login(personas.district_admin if editor else desk.contact)
    response = _assert_flat(client, reverse("services:catalogue"), lambda: more_items(3, 38), count_queries)
    assert "测试事项37" in response.content.decode()
