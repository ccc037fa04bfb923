"""Rating a delivered item: the panel on the topic page, the rate view (htmx and plain POST), the
/api/v1/ratings resource, and the notifications that ask for ratings when a project is verified."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govcube.deliberation.models import TopicStatus
from govcube.evaluation import services
from govcube.evaluation.models import Rating
from govcube.notifications.messages import render_code
from govcube.notifications.models import Notification
from tests.evaluation.conftest import decided_topic, deliver_project, measure

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def rate_url(kind, pk):
    return reverse("evaluation:rate", args=[kind, pk])


# ---------------------------------------------------------------------------------------------
# The panel on the topic page


def test_a_decided_topic_offers_the_rating_to_people_of_the_covered_buildings(login, committee):
    topic = decided_topic(committee)
    page = login(committee.employees[1]).get(reverse("deliberation:topic_detail", args=[topic.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="rating-box"' in html and f'action="{rate_url("topic", topic.pk)}"' in html
    assert 'name="score"' in html and "No rating yet." in html


def test_the_panel_waits_until_the_topic_is_decided(login, committee):
    topic = decided_topic(committee, status=TopicStatus.ACCEPTED)
    html = login(committee.employees[1]).get(reverse("deliberation:topic_detail", args=[topic.pk])).content.decode()
    assert 'id="rating-box"' not in html


def test_after_rating_the_panel_shows_the_own_score_and_no_form(login, committee):
    topic = decided_topic(committee, status=TopicStatus.CLOSED)
    services.rating_submit(actor=committee.employees[1], item=topic, score=4)
    html = login(committee.employees[1]).get(reverse("deliberation:topic_detail", args=[topic.pk])).content.decode()
    assert "You rated this 4 / 5." in html and 'name="score"' not in html
    assert 'data-rating-average="4.0"' in html


def test_an_official_sees_the_summary_but_no_form(login, committee, personas):
    topic = decided_topic(committee)
    services.rating_submit(actor=committee.employees[1], item=topic, score=2)
    html = login(personas.street_njxl).get(reverse("deliberation:topic_detail", args=[topic.pk])).content.decode()
    assert 'data-rating-average="2.0"' in html and 'name="score"' not in html


# ---------------------------------------------------------------------------------------------
# The rate view


def test_a_plain_post_rates_once_and_returns_to_the_item(login, committee):
    topic = decided_topic(committee)
    response = login(committee.employees[1]).post(rate_url("topic", topic.pk), {"score": "5", "comment": " 很及时 "})
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    rating = Rating.objects.get()
    assert (rating.score, rating.comment, rating.person, rating.body) == (
        5,
        "很及时",
        committee.employees[1].person,
        committee.body,
    )


def test_an_htmx_post_answers_the_panel_with_the_new_summary(login, committee):
    topic = decided_topic(committee)
    response = login(committee.employees[1]).post(rate_url("topic", topic.pk), {"score": "3"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="rating-box"') and "You rated this 3 / 5." in html
    assert "<html" not in html


@pytest.mark.parametrize("score", ["", "0", "6", "abc", "4.5"])
def test_a_bad_score_is_a_400_naming_the_score_and_nothing_is_stored(login, committee, score):
    topic = decided_topic(committee)
    response = login(committee.employees[1]).post(rate_url("topic", topic.pk), {"score": score})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="rating-error"' in html and "Choose a rating from 1 to 5." in html
    assert 'name="score"' in html  # the form is offered again
    assert not Rating.objects.exists()


def test_an_htmx_refusal_is_shown_inside_the_panel(login, committee):
    """htmx swaps only 2xx answers: the refusal comes back as the panel with its message."""
    topic = decided_topic(committee)
    response = login(committee.employees[1]).post(rate_url("topic", topic.pk), {"score": "9"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="rating-box"') and "Choose a rating from 1 to 5." in html
    assert not Rating.objects.exists()


def test_a_second_rating_is_a_409_with_the_message(login, committee):
    topic = decided_topic(committee)
    client = login(committee.employees[1])
    assert client.post(rate_url("topic", topic.pk), {"score": "4"}).status_code == 302
    response = client.post(rate_url("topic", topic.pk), {"score": "1"})
    assert response.status_code == 409 and "You have already rated this." in response.content.decode()
    assert list(Rating.objects.values_list("score", flat=True)) == [4]
    response = client.post(rate_url("topic", topic.pk), {"score": "1"}, **HX)
    assert "You have already rated this." in response.content.decode()
    assert Rating.objects.count() == 1


def test_someone_seeing_the_body_but_not_working_there_gets_a_403_with_the_reason(login, committee, street_cadre):
    topic = decided_topic(committee)
    response = login(street_cadre).post(rate_url("topic", topic.pk), {"score": "4"})
    assert response.status_code == 403
    assert "Only people working in the buildings this committee covers can rate its work." in response.content.decode()
    assert not Rating.objects.exists()


def test_an_official_without_a_person_gets_the_same_403(login, committee, personas):
    topic = decided_topic(committee)
    response = login(personas.street_njxl).post(rate_url("topic", topic.pk), {"score": "4"})
    assert response.status_code == 403 and "can rate its work" in response.content.decode()
    assert not Rating.objects.exists()


def test_the_outsider_cannot_see_the_body_so_it_is_a_404(login, committee):
    topic = decided_topic(committee)
    assert login(committee.outsider).post(rate_url("topic", topic.pk), {"score": "4"}).status_code == 404
    assert not Rating.objects.exists()


def test_another_streets_official_gets_a_404(login, committee, personas):
    topic = decided_topic(committee)
    assert login(personas.street_jas).post(rate_url("topic", topic.pk), {"score": "4"}).status_code == 404
    assert not Rating.objects.exists()


def test_an_item_not_yet_delivered_is_a_409(login, committee):
    topic = decided_topic(committee, status=TopicStatus.ON_AGENDA)
    response = login(committee.employees[1]).post(rate_url("topic", topic.pk), {"score": "4"})
    assert response.status_code == 409 and "once it has been delivered" in response.content.decode()
    assert not Rating.objects.exists()


def test_unknown_kinds_and_items_are_404(login, committee):
    client = login(committee.employees[1])
    assert client.post(rate_url("meeting", 1), {"score": "4"}).status_code == 404
    assert client.post(rate_url("topic", 999999), {"score": "4"}).status_code == 404


def test_rating_needs_a_post_and_a_sign_in(client, login, committee):
    topic = decided_topic(committee)
    assert client.post(rate_url("topic", topic.pk), {"score": "4"}).status_code == 302  # to the login
    assert login(committee.employees[1]).get(rate_url("topic", topic.pk)).status_code == 405
    assert not Rating.objects.exists()


def test_a_verified_project_is_rated_and_the_panel_of_its_own_page_is_not_needed_to_return(login, committee, world):
    """A project's page may not exist yet: a plain POST then returns to the desk."""
    project = deliver_project(committee, world)
    response = login(committee.employees[0]).post(rate_url("project", project.pk), {"score": "5"})
    assert response.status_code == 302
    assert Rating.objects.get().item_kind == "project"


# ---------------------------------------------------------------------------------------------
# Notifications


def test_verifying_a_project_asks_the_people_of_the_covered_buildings_to_rate_it(
    committee, world, personas, django_capture_on_commit_callbacks
):
    c = committee
    with django_capture_on_commit_callbacks(execute=True):
        project = deliver_project(c, world)
    sent = Notification.objects.filter(code="evaluation.rating.requested")
    recipients = set(sent.values_list("recipient_id", flat=True))
    covered = {u.pk for u in [c.convener, c.secretary, *c.members, *c.employees]}
    assert covered <= recipients
    assert c.outsider.pk not in recipients and personas.street_njxl.pk not in recipients
    assert recipients == set(services.rating_request_recipients(c.body).values_list("pk", flat=True))
    row = sent.first()
    assert (row.object_type, row.object_id, row.params) == ("work.project", str(project.pk), {"object": project.title})
    subject, body = render_code(row.code, row.params, "en")
    assert project.title in subject and "from 1 to 5" in body


def test_nothing_is_asked_before_the_verification(committee, world, django_capture_on_commit_callbacks):
    from govcube.work import services as work

    with django_capture_on_commit_callbacks(execute=True):
        work.project_create(actor=committee.convener, body=committee.body, title="未完成项目", description="x")
    assert not Notification.objects.filter(code="evaluation.rating.requested").exists()


# ---------------------------------------------------------------------------------------------
# The API


def test_the_api_rates_once_and_answers_the_summary(api, committee):
    topic = decided_topic(committee)
    client = api(committee.employees[1])
    response = client.post("/ratings", {"kind": "topic", "item_id": topic.pk, "score": 4, "comment": "好"})
    assert response.status_code == 201, response.content
    assert response.json() == {
        "kind": "topic",
        "item_id": topic.pk,
        "count": 1,
        "average": 4.0,
        "rateable": True,
        "can_rate": False,
        "my_score": 4,
    }
    again = client.post("/ratings", {"kind": "topic", "item_id": topic.pk, "score": 2})
    assert again.status_code == 409 and again.json()["code"] == "evaluation.rating.once"
    assert Rating.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"score": 0}, "score"),
        ({"score": 6}, "score"),
        ({"kind": "meeting"}, "kind"),
        ({"comment": "长" * 2001}, "comment"),
    ],
)
def test_the_api_refuses_bad_input_with_a_400_naming_the_field(api, committee, body, field):
    topic = decided_topic(committee)
    payload = {"kind": "topic", "item_id": topic.pk, "score": 4} | body
    response = api(committee.employees[1]).post("/ratings", payload)
    assert response.status_code == 400 and response.json()["field"] == field
    assert response.json()["message"]
    assert not Rating.objects.exists()


def test_the_api_refuses_the_uncovered_403_and_the_invisible_404(api, committee, personas, street_cadre):
    topic = decided_topic(committee)
    payload = {"kind": "topic", "item_id": topic.pk, "score": 4}
    response = api(street_cadre).post("/ratings", payload)
    assert response.status_code == 403 and response.json()["code"] == "evaluation.rating.not_covered"
    assert api(committee.outsider).post("/ratings", payload).status_code == 404
    assert api(personas.street_jas).post("/ratings", payload).status_code == 404
    assert api(committee.employees[1]).post("/ratings", payload | {"item_id": 999999}).status_code == 404
    assert not Rating.objects.exists()


def test_the_api_refuses_an_item_not_delivered_with_a_409(api, committee):
    topic = decided_topic(committee, status=TopicStatus.DELIBERATED)
    response = api(committee.employees[1]).post("/ratings", {"kind": "topic", "item_id": topic.pk, "score": 4})
    assert response.status_code == 409 and response.json()["code"] == "evaluation.rating.not_rateable"


def test_the_api_summary_holds_no_personal_data(api, committee, personas):
    topic = decided_topic(committee)
    for user, score in zip(committee.employees[:3], (5, 4, 2), strict=True):
        services.rating_submit(actor=user, item=topic, score=score, comment=f"{user.person.name}的意见")
    response = api(personas.street_njxl).get("/ratings", {"kind": "topic", "item_id": topic.pk})
    assert response.status_code == 200
    data = response.json()
    assert data == {
        "kind": "topic",
        "item_id": topic.pk,
        "count": 3,
        "average": 3.7,
        "rateable": True,
        "can_rate": False,
        "my_score": None,
    }
    text = response.content.decode()
    assert not any(user.person.name in text or user.username in text for user in committee.employees)
    assert api(committee.employees[3]).get("/ratings", {"kind": "topic", "item_id": topic.pk}).json()["can_rate"]
    assert api(personas.street_jas).get("/ratings", {"kind": "topic", "item_id": topic.pk}).status_code == 404


def test_the_api_summary_query_count_does_not_grow_with_ratings(api, committee, world, count_queries):
    from tests.factories import person_user

    topic = decided_topic(committee)
    client = api(committee.employees[3])

    def rate(n, prefix):
        for i in range(n):
            services.rating_submit(actor=person_user(f"{prefix}{i}", world.ent_a), item=topic, score=1 + i % 5)

    rate(3, "few")
    few = measure(count_queries, lambda: client.get("/ratings", {"kind": "topic", "item_id": topic.pk}))
    rate(9, "many")
    many = measure(count_queries, lambda: client.get("/ratings", {"kind": "topic", "item_id": topic.pk}))
    assert many == few and few <= 15
    assert client.get("/ratings", {"kind": "topic", "item_id": topic.pk}).json()["count"] == 12


def test_accepting_a_petitions_answer_asks_for_ratings_and_contesting_does_not(
    committee, world, django_capture_on_commit_callbacks
):
    from govcube.accounts.roles import Role
    from govcube.engagement import services as petitions
    from govcube.services.models import Department
    from tests.factories import user_with_role

    c = committee
    staff = user_with_role("housing_staff", Role.SERVICE_MEMBER, world.district)
    housing = Department.objects.create(name="静安区房管局", short_name="区房管局", district=world.district)
    housing.staff.set([staff])
    with django_capture_on_commit_callbacks(execute=True):
        petition = petitions.petition_submit(
            actor=c.convener, body=c.body, building=world.henglong, title="车库渗水", text="渗水", departments=[housing]
        )
        petitions.target_answer(actor=staff, target=petition.targets.get(), answer="已维修")
        petition.refresh_from_db()
        petitions.petition_action(actor=c.convener, petition=petition, action="contest", reason="未修好")
    assert not Notification.objects.filter(code="evaluation.rating.requested").exists()
    with django_capture_on_commit_callbacks(execute=True):
        petitions.target_answer(actor=staff, target=petition.targets.get(), answer="已彻底维修")
        petition.refresh_from_db()
        petitions.petition_action(actor=c.convener, petition=petition, action="accept")
    sent = Notification.objects.filter(code="evaluation.rating.requested", object_type="engagement.petition")
    assert set(sent.values_list("recipient_id", flat=True)) >= {u.pk for u in c.employees}
