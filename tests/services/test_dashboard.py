"""The KPI dashboard on the fixed November 2025 data set of test_kpis (see its table)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from govcube.services import kpis
from govcube.services.models import RequestStatus
from govcube.workdays.calendar import TZ
from tests.services.test_kpis import _request, at, build_data

pytestmark = pytest.mark.django_db
URL = "/services/dashboard/"


@pytest.fixture
def data(desk, world):
    return build_data(desk, world)


NOVEMBER = {"from": "2025-11-01", "to": "2025-11-30"}


def pretend_today_is(monkeypatch, moment: datetime) -> None:
    """Named periods are computed as if it were ``moment`` (roles and sessions keep the real date)."""
    named = kpis.period_named
    monkeypatch.setattr(kpis, "period_named", lambda code, now=None: named(code, now=moment))


def island(response) -> dict:
    match = re.search(r'<script id="kpi-data" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    assert match, "the page carries its chart data in a JSON island"
    return json.loads(match.group(1))


def card(body: str, code: str) -> str:
    match = re.search(rf'data-kpi="{code}">(.*?)</div>\s*</div>', body, re.S)
    assert match, code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def ranking_keys(body: str) -> list[str]:
    section = body.split('id="kpi-ranking-title"')[1].split("</table>")[0]
    return re.findall(r'<tr data-row="(\d*)">', section)


def test_the_url_is_the_services_dashboard():
    assert reverse("services:dashboard") == URL


def test_the_lead_sees_the_cards_the_ranking_and_the_charts(desk, data, login):
    response = login(desk.lead).get(URL, NOVEMBER)
    assert response.status_code == 200
    body = response.content.decode()
    # Hand-computed in test_kpis: response 6/9, on-time closure 5/9, satisfaction 4/7, composite 59.4.
    assert "66.7%" in card(body, "response_rate") and "6 / 9" in card(body, "response_rate")
    assert "55.6%" in card(body, "on_time_closure_rate") and "5 / 9" in card(body, "on_time_closure_rate")
    assert "57.1%" in card(body, "satisfaction_rate") and "4 / 7" in card(body, "satisfaction_rate")
    assert "59.4" in card(body, "composite")
    assert ranking_keys(body) == [str(desk.tax.pk), str(desk.hr.pk)]
    assert "79.6" in body and "46.5" in body
    assert 'id="kpi-members-title"' not in body  # no single department chosen
    chart = island(response)
    # Submitted in November by week (withdrawn and merged requests were received too):
    # talent R1 R2 R3 R4 in the week of 11-03, R9 in the week of 11-17, R10 R11 in the week of 11-24;
    # finance R5 R6 R7 in the week of 11-10, R12 in the week of 11-17.
    assert chart["weeks"] == ["2025-10-27", "2025-11-03", "2025-11-10", "2025-11-17", "2025-11-24"]
    counts = {d["code"]: d["counts"] for d in chart["domains"]}
    assert counts["talent"] == [0, 4, 0, 1, 2] and counts["finance"] == [0, 0, 3, 1, 0]
    assert counts["industry"] == [0] * 5
    # Ratings given in November: 5 ×2 (R1, R12), 4 ×2 (R4 round 1, R5), 3 (R2), 2 (R4 round 0), 1 (R7).
    assert [(s["score"], s["count"]) for s in chart["satisfaction"]] == [(5, 2), (4, 2), (3, 1), (2, 1), (1, 1)]
    assert "vendor/echarts-5.6.0/echarts.min.js" in body and "js/kpi-dashboard.js" in body


def test_choosing_a_department_shows_its_team(desk, data, login):
    body = login(desk.lead).get(URL, NOVEMBER | {"department": desk.hr.pk}).content.decode()
    assert ranking_keys(body) == [str(desk.hr.pk)]
    members = body.split('id="kpi-members-title"')[1]
    assert "service_hr" in members and "hr_coordinator" in members


def test_the_period_is_chosen_with_a_parameter(desk, data, login, monkeypatch):
    pretend_today_is(monkeypatch, datetime(2025, 12, 5, 10, tzinfo=TZ))
    client = login(desk.lead)
    assert "6 / 9" in card(client.get(URL, {"period": "last_month"}).content.decode(), "response_rate")
    # December has nothing dispatched yet; an unknown period means this month.
    for params in ({"period": "this_month"}, {"period": "nonsense"}):
        assert "0 / 0" in card(client.get(URL, params).content.decode(), "response_rate")
    # This year counts R8 (filed in October) as dispatched too: 7/10.
    assert "7 / 10" in card(client.get(URL, {"period": "this_year"}).content.decode(), "response_rate")


def test_the_domain_filter(desk, data, login):
    body = login(desk.lead).get(URL, NOVEMBER | {"domain": "finance"}).content.decode()
    assert ranking_keys(body) == [str(desk.tax.pk)]
    assert "3 / 3" in card(body, "response_rate")


def test_a_coordinator_sees_only_their_department(desk, data, login):
    client = login(desk.hr_coordinator)
    for params in (NOVEMBER, NOVEMBER | {"department": desk.tax.pk}):
        body = client.get(URL, params).content.decode()
        assert ranking_keys(body) == [str(desk.hr.pk)]
        assert "3 / 6" in card(body, "response_rate")  # hr: dispatched 6, answered in time 3
        assert 'id="kpi-members-title"' in body


def test_district_leadership_and_streets_see_their_territory(desk, data, login, personas, world):
    assert login(personas.district_leader).get(URL, NOVEMBER).status_code == 200
    # Street B holds only 静安寺广场, where R12 (tax) was filed.
    body = login(personas.street_jas).get(URL, NOVEMBER).content.decode()
    assert ranking_keys(body) == [str(desk.tax.pk)] and "1 / 1" in card(body, "response_rate")


def test_others_are_refused(desk, data, login, personas, client):
    for user in (desk.hr_member, desk.contact, personas.nobody):
        assert login(user).get(URL).status_code == 403
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_kpi_table_exports_to_xlsx(desk, data, login):
    response = login(desk.lead).get(URL, NOVEMBER | {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="kpi-departments-custom-' in response["Content-Disposition"]
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    header, first, second = rows[0], rows[1], rows[2]
    assert header[:3] == ("Rank", "Department", "Response rate (%)")
    assert first[:6] == (1, desk.tax.name, 100.0, 3, 3, 75.0)
    assert second[:2] == (2, desk.hr.name) and second[-1] == 46.5
    members = login(desk.hr_coordinator).get(URL, NOVEMBER | {"format": "xlsx", "table": "members"})
    member_rows = list(load_workbook(BytesIO(members.content)).active.iter_rows(values_only=True))
    assert member_rows[0][1] == "Team member" and {r[1] for r in member_rows[1:]} == {"service_hr", "hr_coordinator"}


def test_the_query_count_does_not_grow_with_requests(desk, world, login, count_queries):
    def add(first: int, how_many: int):
        for n in range(first, first + how_many):
            item = desk.permit if n % 2 else desk.invoice
            _request(n, desk, world, item, submitted=at(11, 3 + n % 20), fr_due=at(11, 3 + n % 20, 14),
                     fr_at=at(11, 3 + n % 20, 10), due=at(11, 4 + n % 20, 18), resolved=at(11, 4 + n % 20, 12),
                     status=RequestStatus.CLOSED, owner=desk.hr_member if n % 2 else desk.tax_member)  # fmt: skip

    add(1, 10)
    client = login(desk.lead)
    params = NOVEMBER | {"department": desk.hr.pk}
    client.get(URL, params)
    with count_queries() as small:
        client.get(URL, params)
    add(11, 50)
    with count_queries() as large:
        response = client.get(URL, params)
    assert "30 / 30" in card(response.content.decode(), "response_rate")
    assert len(large.captured_queries) == len(small.captured_queries) <= 20
