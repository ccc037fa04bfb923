"""/api/v1/evaluation-rounds: the scoped list, creating, the round, answering, closing, results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govcube.evaluation.models import EvaluationRound, Participation, Response, RoundStatus
from tests.evaluation.conftest import answer, end, measure, open_round

pytestmark = pytest.mark.django_db


def _iso(delta: timedelta) -> str:
    return (timezone.now() + delta).isoformat()


def _answers(round_, score=4, text="多沟通") -> dict:
    return {str(q.pk): (score if q.kind == "score" else text) for q in round_.questions.all()}


def test_the_list_is_scoped_and_filtered(api, committee, personas):
    running, finished = open_round(committee, "进行中"), end(open_round(committee, "已结束"))
    data = api(committee.employees[0]).get("/evaluation-rounds").json()
    assert {i["id"] for i in data["items"]} == {running.pk, finished.pk} and data["total"] == 2
    item = next(i for i in data["items"] if i["id"] == running.pk)
    assert item["state"] == "open" and item["min_answers"] == 3 and item["results_available"] is False
    assert item["body"] == committee.body.name
    closed = api(personas.street_njxl).get("/evaluation-rounds", {"state": "closed"}).json()["items"]
    assert [i["id"] for i in closed] == [finished.pk]
    assert api(personas.street_jas).get("/evaluation-rounds").json()["items"] == []
    assert api(committee.outsider).get("/evaluation-rounds").json()["total"] == 0
    bad = api(personas.street_njxl).get("/evaluation-rounds", {"state": "sometime"})
    assert bad.status_code == 400 and bad.json()["field"] == "state"
    assert api(personas.street_njxl).get("/evaluation-rounds", {"limit": 101}).status_code == 400


def test_the_list_pages_with_a_cursor(api, committee, personas):
    rounds = [open_round(committee, f"第{i}轮") for i in range(3)]
    client = api(personas.street_njxl)
    first = client.get("/evaluation-rounds", {"limit": 2}).json()
    second = client.get("/evaluation-rounds", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [i["id"] for i in first["items"] + second["items"]] == [r.pk for r in rounds]
    assert second["next_cursor"] is None


def test_the_convener_creates_a_round(api, committee):
    payload = {
        "body_id": committee.body.pk,
        "title": "年度评议",
        "opens_at": _iso(-timedelta(hours=1)),
        "closes_at": _iso(timedelta(days=10)),
        "min_answers": 4,
    }
    response = api(committee.convener).post("/evaluation-rounds", payload)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["title"] == "年度评议" and data["min_answers"] == 4 and data["answer_count"] == 0
    assert [q["kind"] for q in data["questions"]] == ["score"] * 4 + ["text"]
    assert data["questions"][0]["label"] == "How well does the committee handle the building's matters?"
    assert data["actions"] == ["answer", "close"]  # the convener works in 恒隆广场 too
    assert data["has_answered"] is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"min_answers": 2}, "min_answers"),
        ({"title": " "}, "title"),
        ({"closes_at": _iso(-timedelta(days=2))}, "closes_at"),
    ],
)
def test_creating_with_bad_input_is_a_400_naming_the_field(api, committee, change, field):
    payload = {
        "body_id": committee.body.pk,
        "title": "年度评议",
        "opens_at": _iso(-timedelta(hours=1)),
        "closes_at": _iso(timedelta(days=10)),
    } | change
    response = api(committee.convener).post("/evaluation-rounds", payload)
    assert response.status_code == 400 and response.json()["field"] == field
    assert not EvaluationRound.objects.exists()


def test_creating_is_refused_to_members_and_out_of_scope(api, committee, personas):
    payload = {
        "body_id": committee.body.pk,
        "title": "年度评议",
        "opens_at": _iso(-timedelta(hours=1)),
        "closes_at": _iso(timedelta(days=10)),
    }
    assert api(committee.members[0]).post("/evaluation-rounds", payload).status_code == 403
    assert api(personas.street_jas).post("/evaluation-rounds", payload).status_code == 404
    assert not EvaluationRound.objects.exists()


def test_an_employee_answers_once(api, committee):
    round_ = open_round(committee)
    client = api(committee.employees[0])
    detail = client.get(f"/evaluation-rounds/{round_.pk}").json()
    assert detail["actions"] == ["answer"] and detail["has_answered"] is False
    response = client.post(f"/evaluation-rounds/{round_.pk}/answers", {"answers": _answers(round_)})
    assert response.status_code == 201, response.content
    assert response.json()["has_answered"] is True and response.json()["answer_count"] == 1
    assert response.json()["actions"] == []
    again = client.post(f"/evaluation-rounds/{round_.pk}/answers", {"answers": _answers(round_)})
    assert again.status_code == 409 and again.json()["code"] == "evaluation.round.once"
    assert Response.objects.count() == 1


def test_a_bad_answer_is_a_400_naming_the_question(api, committee):
    round_ = open_round(committee)
    second = round_.questions.all()[1]
    answers = _answers(round_) | {str(second.pk): 7}
    response = api(committee.employees[0]).post(f"/evaluation-rounds/{round_.pk}/answers", {"answers": answers})
    assert response.status_code == 400 and response.json()["field"] == f"answers.{second.pk}"
    assert not Response.objects.exists() and not Participation.objects.exists()


def test_answering_is_refused_outside_the_buildings_and_once_closed(api, committee, street_cadre):
    round_ = open_round(committee)
    response = api(street_cadre).post(f"/evaluation-rounds/{round_.pk}/answers", {"answers": _answers(round_)})
    assert response.status_code == 403 and response.json()["code"] == "evaluation.round.not_covered"
    response = api(committee.outsider).post(f"/evaluation-rounds/{round_.pk}/answers", {"answers": _answers(round_)})
    assert response.status_code == 404
    end(round_)
    response = api(committee.employees[0]).post(
        f"/evaluation-rounds/{round_.pk}/answers", {"answers": _answers(round_)}
    )
    assert response.status_code == 409 and response.json()["code"] == "evaluation.round.not_open"
    assert not Response.objects.exists()


def test_results_are_refused_with_the_reason_until_closed_with_enough_answers(api, committee):
    round_ = open_round(committee, min_answers=3)
    for user in committee.employees[:2]:
        answer(user, round_)
    client = api(committee.convener)
    response = client.get(f"/evaluation-rounds/{round_.pk}/results")
    assert response.status_code == 409 and response.json()["code"] == "evaluation.round.results.not_closed"
    assert "after the round closes" in response.json()["message"]
    answer(committee.employees[2], round_)
    assert client.get(f"/evaluation-rounds/{round_.pk}/results").status_code == 409  # enough, but still open
    closed = client.post(f"/evaluation-rounds/{round_.pk}/close")
    assert closed.status_code == 200 and closed.json()["status"] == RoundStatus.CLOSED
    assert closed.json()["results_available"] is True and "close" not in closed.json()["actions"]
    results = client.get(f"/evaluation-rounds/{round_.pk}/results").json()
    assert results["answer_count"] == 3
    assert results["results"][0]["average"] == 4.0 and results["results"][0]["distribution"] == [0, 0, 0, 3, 0]
    assert results["results"][4]["kind"] == "text" and results["results"][4]["texts"] == ["多组织午间活动"] * 3
    assert client.post(f"/evaluation-rounds/{round_.pk}/close").status_code == 409


def test_results_are_refused_when_too_few_answered(api, committee):
    round_ = open_round(committee, min_answers=3)
    answer(committee.employees[0], round_)
    api(committee.convener).post(f"/evaluation-rounds/{round_.pk}/close")
    response = api(committee.employees[0]).get(f"/evaluation-rounds/{round_.pk}/results")
    assert response.status_code == 409 and response.json()["code"] == "evaluation.round.results.too_few"
    assert "at least 3 people have answered (1 did)" in response.json()["message"]


def test_closing_is_refused_to_employees_and_out_of_scope(api, committee, personas):
    round_ = open_round(committee)
    assert api(committee.employees[0]).post(f"/evaluation-rounds/{round_.pk}/close").status_code == 403
    assert api(personas.street_jas).post(f"/evaluation-rounds/{round_.pk}/close").status_code == 404
    assert api(personas.street_jas).get(f"/evaluation-rounds/{round_.pk}").status_code == 404
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_api_queries_do_not_grow_with_rounds_or_answers(api, committee, personas, count_queries):
    client = api(personas.street_njxl)
    probe = open_round(committee, "探针")

    def grow(n, prefix):
        for i in range(n):
            open_round(committee, f"{prefix}{i}")
            end(open_round(committee, f"{prefix}已结束{i}"))

    def counts():
        return (
            measure(count_queries, lambda: client.get("/evaluation-rounds", {"limit": 100})),
            measure(count_queries, lambda: client.get(f"/evaluation-rounds/{probe.pk}")),
        )

    grow(2, "少")
    answer(committee.employees[0], probe)
    few = counts()
    grow(6, "多")
    for user in committee.employees[1:]:
        answer(user, probe)
    many = counts()
    assert many == few, (few, many)
    assert client.get("/evaluation-rounds", {"limit": 100}).json()["total"] == 17


# Found by the API fuzzer (tests/api/test_fuzz.py): PostgreSQL accepts UTC offsets up to ±15:59 only,
# so a time sent with +18:30 (valid ISO 8601, and Python takes it) was a 500 there.
def test_a_time_with_an_offset_beyond_postgresql_s_range_is_stored_as_its_instant(api, committee):
    from datetime import timezone as tz

    opens = (timezone.now() - timedelta(hours=1)).astimezone(tz(timedelta(hours=18, minutes=30)))
    payload = {
        "body_id": committee.body.pk,
        "title": "远东时区评议",
        "opens_at": opens.isoformat(),
        "closes_at": _iso(timedelta(days=10)),
    }
    response = api(committee.convener).post("/evaluation-rounds", payload)
    assert response.status_code == 201, response.content
    assert EvaluationRound.objects.get(pk=response.json()["id"]).opens_at == opens


@pytest.mark.parametrize("opens_at", ["0001-01-01T01:00:00+05:00", "0001-01-01T01:00:00"])
def test_a_time_that_leaves_the_calendar_in_utc_is_refused_naming_the_field(api, committee, opens_at):
    payload = {
        "body_id": committee.body.pk,
        "title": "公元元年评议",
        "opens_at": opens_at,
        "closes_at": _iso(timedelta(days=10)),
    }
    response = api(committee.convener).post("/evaluation-rounds", payload)
    assert response.status_code == 400 and response.json()["field"] == "opens_at"
    assert not EvaluationRound.objects.filter(title="公元元年评议").exists()
