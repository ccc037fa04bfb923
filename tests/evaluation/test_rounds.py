"""Evaluation round pages: the list (per body and in scope, with its export), the convener's form,
the round page (questionnaire, count against the threshold, closing early, results or the reason
they are held back), and the desk panels."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govcube.core.errors import Conflict
from govcube.evaluation import desk, services
from govcube.evaluation.models import Answer, EvaluationRound, Participation, Response, RoundStatus
from tests.evaluation.conftest import answer, end, fill, measure, open_round

pytestmark = pytest.mark.django_db

LIST = "evaluation:round_list"


def detail_url(round_):
    return reverse("evaluation:round_detail", args=[round_.pk])


def answer_url(round_):
    return reverse("evaluation:round_answer", args=[round_.pk])


def close_url(round_):
    return reverse("evaluation:round_close", args=[round_.pk])


def form_data(round_, score="4", text="多组织午间活动", **override) -> dict:
    data = {f"q{q.pk}": (score if q.kind == "score" else text) for q in round_.questions.all()}
    return data | override


# ---------------------------------------------------------------------------------------------
# The list


def test_people_of_the_covered_buildings_see_the_rounds_and_which_they_answered(login, committee):
    answered, other = open_round(committee, "第三季度评议"), open_round(committee, "第四季度评议")
    answer(committee.employees[0], answered)
    response = login(committee.employees[0]).get(reverse(LIST))
    assert response.status_code == 200
    rows = {r.title: r for r in response.context["page"].rows}
    assert set(rows) == {"第三季度评议", "第四季度评议"}
    assert rows["第三季度评议"].answered and not rows["第四季度评议"].answered
    assert rows["第四季度评议"].state == "open"
    html = response.content.decode()
    assert "You answered" in html and detail_url(other) in html


def test_another_street_sees_no_round_and_a_body_out_of_scope_is_404(login, committee, personas):
    open_round(committee)
    client = login(personas.street_jas)
    assert client.get(reverse(LIST)).context["page"].rows == []
    assert client.get(reverse(LIST), {"body": committee.body.pk}).status_code == 404
    assert login(committee.outsider).get(reverse(LIST)).context["page"].rows == []


def test_the_list_filters_by_body_and_state_and_answers_htmx_with_the_results(login, committee, personas, world):
    from govcube.bodies.services import body_create

    running, finished = open_round(committee, "进行中"), end(open_round(committee, "已结束"))
    other_body = body_create(
        actor=personas.street_njxl,
        node=world.cluster,
        name="中信泰富楼事会",
        kind="building_committee",
        buildings=[world.citic],
    )
    services.round_create(
        actor=personas.street_njxl,
        body=other_body,
        title="中信评议",
        opens_at=timezone.now() + timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=9),
    )
    client = login(personas.street_njxl)
    assert len(client.get(reverse(LIST)).context["page"].rows) == 3
    rows = client.get(reverse(LIST), {"body": committee.body.pk}).context["page"].rows
    assert {r.pk for r in rows} == {running.pk, finished.pk}
    assert [r.pk for r in client.get(reverse(LIST), {"state": "closed"}).context["page"].rows] == [finished.pk]
    assert [r.pk for r in client.get(reverse(LIST), {"state": "open"}).context["page"].rows] == [running.pk]
    assert [r.title for r in client.get(reverse(LIST), {"state": "upcoming"}).context["page"].rows] == ["中信评议"]
    partial = client.get(reverse(LIST), {"state": "open"}, HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="round-results"')


def test_the_list_exports_for_officials_and_the_convener_of_the_body(login, committee, personas):
    open_round(committee, "导出评议")
    response = login(personas.street_njxl).get(reverse(LIST), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("Committee", "Title") and rows[1][1] == "导出评议" and rows[1][4] == "Open"
    convener = login(committee.convener).get(reverse(LIST), {"body": committee.body.pk, "format": "xlsx"})
    assert convener["Content-Type"].startswith("application/vnd.openxmlformats")
    employee = login(committee.employees[0]).get(reverse(LIST), {"format": "xlsx"})
    assert employee["Content-Type"].startswith("text/html")


def test_the_convener_is_offered_a_new_round(login, committee):
    response = login(committee.convener).get(reverse(LIST))
    assert [b.pk for b in response.context["creatable"]] == [committee.body.pk]
    assert login(committee.employees[0]).get(reverse(LIST)).context["creatable"] == []


# ---------------------------------------------------------------------------------------------
# Creating a round


def _window(days_open=-1, days_close=14) -> dict:
    now = timezone.localtime()
    fmt = "%Y-%m-%dT%H:%M"
    return {
        "opens_at": (now + timedelta(days=days_open)).strftime(fmt),
        "closes_at": (now + timedelta(days=days_close)).strftime(fmt),
    }


def create_url(body):
    return reverse("evaluation:round_create") + f"?body={body.pk}"


def test_the_convener_opens_a_round_with_the_standard_questionnaire(login, committee):
    client = login(committee.convener)
    page = client.get(create_url(committee.body))
    assert page.status_code == 200 and page.context["form"]["min_answers"].value() == 5
    response = client.post(create_url(committee.body), {"title": "年度评议", "min_answers": "4", **_window()})
    round_ = EvaluationRound.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(round_)
    assert (round_.title, round_.min_answers, round_.status) == ("年度评议", 4, RoundStatus.OPEN)
    assert [q.kind for q in round_.questions.all()] == ["score"] * 4 + ["text"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"min_answers": "2"}, "min_answers", "At least 3 answers must protect anonymity"),
        (_window(days_open=3, days_close=2), "closes_at", "A round must close after it opens."),
        ({"title": " "}, "title", "This field is required."),
        ({"min_answers": "x"}, "min_answers", "Enter a whole number."),
    ],
)
def test_bad_input_is_a_400_under_its_field_and_nothing_is_stored(login, committee, data, field, message):
    payload = {"title": "年度评议", "min_answers": "5", **_window()} | data
    response = login(committee.convener).post(create_url(committee.body), payload)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not EvaluationRound.objects.exists()


def test_a_member_may_not_open_a_round_and_another_street_cannot_see_the_body(login, committee, personas):
    payload = {"title": "年度评议", "min_answers": "5", **_window()}
    assert login(committee.members[0]).post(create_url(committee.body), payload).status_code == 403
    assert login(committee.employees[0]).get(create_url(committee.body)).status_code == 403
    assert login(personas.street_jas).post(create_url(committee.body), payload).status_code == 404
    assert login(committee.convener).get(reverse("evaluation:round_create")).status_code == 404
    assert not EvaluationRound.objects.exists()


# ---------------------------------------------------------------------------------------------
# The round page


def test_an_employee_gets_the_phone_first_questionnaire(login, committee):
    round_ = open_round(committee)
    response = login(committee.employees[0]).get(detail_url(round_))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="score-question"') == 4
    assert html.count('type="radio"') == 20 and html.count("<textarea") == 1
    assert "How well does the committee handle the building&#x27;s matters?" in html
    assert "What should the committee do better?" in html
    assert not response.context["manages"]
    assert "Results are shown after the round closes" in response.context["reason"]


def test_answering_thanks_and_the_page_then_says_it_was_answered(login, committee):
    round_ = open_round(committee)
    client = login(committee.employees[0])
    response = client.post(answer_url(round_), form_data(round_, score="5"))
    assert response.status_code == 302 and response["Location"] == detail_url(round_)
    page = client.get(detail_url(round_))
    html = page.content.decode()
    assert "your answers were recorded, without your name" in html
    assert 'data-testid="answered"' in html and page.context["form"] is None
    round_.refresh_from_db()
    assert round_.answer_count == 1 and Participation.objects.filter(round=round_).count() == 1
    assert sorted(Answer.objects.values_list("score", flat=True).exclude(score=None)) == [5, 5, 5, 5]


def test_a_missing_score_is_a_400_under_its_question_and_nothing_is_stored(login, committee):
    round_ = open_round(committee)
    first = round_.questions.first()
    response = login(committee.employees[0]).post(answer_url(round_), form_data(round_) | {f"q{first.pk}": ""})
    assert response.status_code == 400
    assert response.context["form"].errors[f"q{first.pk}"] == ["Choose a rating from 1 to 5."]
    assert "Choose a rating from 1 to 5." in response.content.decode()
    assert not Response.objects.exists() and not Participation.objects.exists()


def test_a_second_answer_is_a_409(login, committee):
    round_ = open_round(committee)
    client = login(committee.employees[0])
    client.post(answer_url(round_), form_data(round_))
    response = client.post(answer_url(round_), form_data(round_, score="1"))
    assert response.status_code == 409 and "You have already answered this round." in response.content.decode()
    assert Response.objects.count() == 1


def test_someone_not_working_there_gets_a_403_and_the_outsider_a_404(login, committee, street_cadre):
    round_ = open_round(committee)
    response = login(street_cadre).post(answer_url(round_), form_data(round_))
    assert response.status_code == 403
    assert "Only people working in the buildings this committee covers can answer." in response.content.decode()
    assert login(street_cadre).get(detail_url(round_)).context["form"] is None
    assert login(committee.outsider).post(answer_url(round_), form_data(round_)).status_code == 404
    assert login(committee.outsider).get(detail_url(round_)).status_code == 404
    assert not Response.objects.exists()


def test_a_round_that_ended_takes_no_answer(login, committee):
    round_ = end(open_round(committee))
    response = login(committee.employees[0]).post(answer_url(round_), form_data(round_))
    assert response.status_code == 409 and "This round is not open for answers." in response.content.decode()
    assert not Response.objects.exists()


def test_an_answer_racing_the_close_is_refused(committee):
    round_ = open_round(committee)
    stale = EvaluationRound.objects.get(pk=round_.pk)  # read while open
    services.round_close(actor=committee.convener, round_=round_)
    answers = {q.pk: 4 if q.kind == "score" else "" for q in stale.questions.all()}
    with pytest.raises(Conflict) as excinfo:
        services.round_answer(actor=committee.employees[0], round_=stale, answers=answers)
    assert excinfo.value.code == "evaluation.round.not_open"
    assert not Response.objects.exists() and not Participation.objects.exists()


def test_the_convener_sees_the_count_against_the_threshold_and_closes_early(login, committee):
    round_ = open_round(committee, min_answers=3)
    for user in committee.employees[:3]:
        answer(user, round_)
    client = login(committee.convener)
    page = client.get(detail_url(round_))
    html = page.content.decode()
    assert page.context["manages"] and page.context["can_close"] and page.context["progress"] == 100
    assert 'data-testid="count"' in html and "of 3 needed before results are shown" in html
    assert "Results are shown after the round closes" in page.context["reason"]
    response = client.post(close_url(round_))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED and round_.closed_at is not None
    again = client.post(close_url(round_))
    assert again.status_code == 409 and "This round is already closed." in again.content.decode()


def test_an_employee_cannot_close_a_round(login, committee):
    round_ = open_round(committee)
    response = login(committee.employees[0]).post(close_url(round_))
    assert response.status_code == 403
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_results_show_averages_bars_counts_and_suggestions_once_closed_with_enough_answers(login, committee):
    round_ = open_round(committee, min_answers=3)
    for user, score, text in zip(
        committee.employees[:4], (5, 4, 4, 2), ("增加活动", "", "改善电梯", "多沟通"), strict=True
    ):
        answer(user, round_, score=score, text=text)
    services.round_close(actor=committee.convener, round_=round_)
    response = login(committee.employees[0]).get(detail_url(round_))
    results = response.context["results"]
    assert [row["result"].average for row in results[:4]] == [3.8] * 4
    assert results[0]["result"].count == 4
    assert results[0]["bars"] == [(1, 0, 0), (2, 1, 25), (3, 0, 0), (4, 2, 50), (5, 1, 25)]
    assert results[4]["result"].texts == ["增加活动", "多沟通", "改善电梯"]  # sorted: no order to trace by
    assert results[4]["result"].count == 3 and results[4]["bars"] == []
    html = response.content.decode()
    assert 'style="width: 50%"' in html and 'data-average="3.8"' in html and "改善电梯" in html
    assert response.context["reason"] == ""


def test_results_are_held_back_with_the_reason_while_too_few_answered(login, committee):
    round_ = open_round(committee, min_answers=3)
    for user in committee.employees[:2]:
        answer(user, round_)
    services.round_close(actor=committee.convener, round_=round_)
    response = login(committee.convener).get(detail_url(round_))
    assert response.context["results"] == []
    reason = response.context["reason"]
    assert "at least 3 people have answered (2 did)" in reason and reason in response.content.decode()


def test_a_round_past_its_closing_time_shows_its_results_without_being_closed_by_hand(login, committee):
    round_ = open_round(committee, min_answers=3)
    for user in committee.employees[:3]:
        answer(user, round_)
    end(round_)
    response = login(committee.employees[3]).get(detail_url(round_))
    assert response.context["state"] == "closed" and response.context["results"]
    assert not response.context["can_close"]


# ---------------------------------------------------------------------------------------------
# Desk panels


def test_the_desk_lists_rounds_to_answer_and_the_conveners_running_rounds(login, committee, personas):
    first, second = open_round(committee, "第一轮"), open_round(committee, "第二轮", days=1)
    end(open_round(committee, "已结束"))
    answer(committee.employees[0], first)
    mine = desk.rounds_to_answer(committee.employees[0])
    assert [i.url for i in mine.items] == [detail_url(second)]
    assert mine.items[0].tone == "warning"  # closes within a day
    other = desk.rounds_to_answer(committee.employees[1])
    assert [i.url for i in other.items] == [detail_url(second), detail_url(first)]
    running = desk.running_rounds(committee.convener)
    assert [i.label for i in running.items] == ["第二轮", "第一轮"]
    assert running.items[1].meta.startswith("1 of 3 answers")
    assert desk.rounds_to_answer(committee.outsider) is None
    assert desk.rounds_to_answer(personas.street_njxl) is None and desk.running_rounds(personas.street_njxl) is None
    assert desk.running_rounds(committee.employees[0]) is None
    assert "第二轮" in login(committee.employees[1]).get("/").content.decode()


# ---------------------------------------------------------------------------------------------
# Query counts


def test_list_page_and_desk_queries_do_not_grow_with_rounds(login, committee, personas, count_queries, settings):
    settings.GOVCUBE_LIST_PAGE_SIZE = 100  # every row on one page, rendered
    employee = committee.employees[0]

    def grow(n, prefix):
        for i in range(n):
            round_ = open_round(committee, f"{prefix}{i}")
            answer(employee, round_)
            open_round(committee, f"{prefix}待答{i}")
            end(open_round(committee, f"{prefix}已结束{i}"))

    def counts():
        from django.test import Client

        official, person = Client(), Client()
        official.force_login(personas.street_njxl)
        person.force_login(employee)
        return {
            "list": measure(count_queries, lambda: official.get(reverse(LIST))),
            "list of a body": measure(count_queries, lambda: official.get(reverse(LIST), {"body": committee.body.pk})),
            "employee list": measure(count_queries, lambda: person.get(reverse(LIST))),
            "to answer": measure(count_queries, lambda: desk.rounds_to_answer(employee)),
            "running": measure(count_queries, lambda: desk.running_rounds(committee.convener)),
        }

    grow(2, "少")
    few = counts()
    grow(6, "多")
    many = counts()
    assert many == few, (few, many)
    assert few["to answer"] <= 3 and few["running"] <= 2
    assert len(login(personas.street_njxl).get(reverse(LIST)).context["page"].rows) == 24


def test_round_page_queries_do_not_grow_with_answers(committee, count_queries):
    from django.test import Client

    closed, running = open_round(committee, "已关闭"), open_round(committee, "进行中")
    services.round_close(actor=committee.convener, round_=closed)
    convener, employee = Client(), Client()
    convener.force_login(committee.convener)
    employee.force_login(committee.employees[0])

    def counts():
        return {
            "results": measure(count_queries, lambda: convener.get(detail_url(closed))),
            "questionnaire": measure(count_queries, lambda: employee.get(detail_url(running))),
            "running": measure(count_queries, lambda: convener.get(detail_url(running))),
        }

    fill(closed, 4)
    fill(running, 4)
    few = counts()
    fill(closed, 12)
    fill(running, 12)
    many = counts()
    assert many == few, (few, many)
    assert len(convener.get(detail_url(closed)).context["results"][4]["result"].texts) == 16
