from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govcube.engagement import desk, services
from govcube.engagement.models import LiaisonAssignment, Visit, VisitKind, VisitStatus
from tests.factories import building
from tests.services.conftest import desk as service_desk  # noqa: F401  (the service catalogue fixture)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def kind(code="enterprise"):
    return VisitKind.objects.get(code=code)


def plan(cadre, b, days=1, **kwargs):
    return services.visit_plan(
        actor=cadre, building=b, kind=kind(), planned_for=TODAY() + timedelta(days=days), **kwargs
    )


def overdue(visit, days=3):
    Visit.objects.filter(pk=visit.pk).update(planned_for=TODAY() - timedelta(days=days))


def committee(personas, world):
    from govcube.bodies.services import body_create

    return body_create(
        actor=personas.street_njxl,
        node=world.cluster,
        name="恒隆广场楼宇事务委员会",
        kind="building_committee",
        buildings=[world.henglong],
    )


# ---------------------------------------------------------------------------------------------
# The liaison list


def test_the_street_sees_its_liaisons_and_the_key_buildings_without_one(login, personas, world, cadres):
    response = login(personas.street_njxl).get(reverse("engagement:liaison_list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "王包联" in text and "恒隆广场" in text
    uncovered = [b.name for b in response.context["uncovered"]]
    assert uncovered == ["中信泰富广场"]
    # the two cadres of the street, and personas.liaison_wang (the role at 恒隆广场's grid)
    assert [name for _pk, name in response.context["cadres"]] == ["王包联", "赵包联", "liaison_wang"]


def test_another_street_sees_none_of_them(login, personas, cadres):
    response = login(personas.street_jas).get(reverse("engagement:liaison_list"))
    assert response.status_code == 200
    assert list(response.context["page"].rows) == [] and response.context["uncovered"] == []


def test_the_liaison_list_needs_the_permission(login, personas):
    assert login(personas.employee_henglong_1).get(reverse("engagement:liaison_list")).status_code == 403


def test_the_liaison_list_filters_and_exports(login, personas, world, cadres):
    wang, zhao, _a = cadres
    client = login(personas.street_njxl)
    services.liaison_assign(actor=personas.street_njxl, building=world.citic, cadre=zhao)
    rows = client.get(reverse("engagement:liaison_list"), {"cadre": zhao.pk}).context["page"].rows
    assert [a.building for a in rows] == [world.citic]
    rows = client.get(reverse("engagement:liaison_list"), {"building": world.henglong.pk}).context["page"].rows
    assert [a.cadre for a in rows] == [wang]
    partial = client.get(reverse("engagement:liaison_list"), {"cadre": zhao.pk}, HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="liaison-results"')
    response = client.get(reverse("engagement:liaison_list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_street_assigns_a_cadre_covering_the_building(login, personas, world, cadres):
    _wang, zhao, _a = cadres
    client = login(personas.street_njxl)
    page = client.get(reverse("engagement:liaison_assign"), {"building": world.citic.pk})
    assert page.status_code == 200
    assert {pk for pk, _n in page.context["form"].fields["cadre"].choices if pk} == {_wang.pk, zhao.pk}
    response = client.post(
        reverse("engagement:liaison_assign"), {"building": world.citic.pk, "cadre": zhao.pk, "monthly_quota": 3}
    )
    assert response.status_code == 302
    assert LiaisonAssignment.objects.get(building=world.citic).cadre == zhao


def test_a_cadre_whose_role_does_not_cover_the_building_is_refused(login, personas, world, cadres):
    # personas.liaison_wang holds the role at 恒隆广场's grid only
    response = login(personas.street_njxl).post(
        reverse("engagement:liaison_assign"),
        {"building": world.citic.pk, "cadre": personas.liaison_wang.pk, "monthly_quota": 2},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["cadre"]
    assert not LiaisonAssignment.objects.filter(building=world.citic).exists()


def test_another_street_cannot_assign_in_this_one(login, personas, world, cadres):
    _wang, zhao, _a = cadres
    response = login(personas.street_jas).post(
        reverse("engagement:liaison_assign"), {"building": world.citic.pk, "cadre": zhao.pk, "monthly_quota": 2}
    )
    assert response.status_code == 400 and response.context["form"].errors["building"]
    assert login(personas.liaison_wang).get(reverse("engagement:liaison_assign")).status_code == 403


def test_a_hand_over_moves_the_open_visits(login, personas, world, cadres):
    wang, zhao, assignment = cadres
    visits = [plan(wang, world.henglong, days) for days in (1, 4)]
    response = login(personas.street_njxl).post(
        reverse("engagement:liaison_handover", args=[assignment.pk]), {"cadre": zhao.pk}
    )
    assert response.status_code == 302
    assert set(Visit.objects.filter(pk__in=[v.pk for v in visits]).values_list("cadre", flat=True)) == {zhao.pk}
    assert LiaisonAssignment.objects.active().get(building=world.henglong).cadre == zhao


def test_a_hand_over_in_another_street_is_not_found(login, personas, cadres):
    _wang, zhao, assignment = cadres
    url = reverse("engagement:liaison_handover", args=[assignment.pk])
    assert login(personas.street_jas).post(url, {"cadre": zhao.pk}).status_code == 404


def test_ending_with_open_visits_is_refused_with_the_reason(login, personas, world, cadres):
    wang, _zhao, assignment = cadres
    plan(wang, world.henglong)
    response = login(personas.street_njxl).post(reverse("engagement:liaison_end", args=[assignment.pk]), {})
    assert response.status_code == 409
    assert "hand the building over instead" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.end is None


def test_ending_without_open_visits_ends_it(login, personas, cadres):
    _wang, _zhao, assignment = cadres
    response = login(personas.street_njxl).post(reverse("engagement:liaison_end", args=[assignment.pk]), {})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.end == TODAY()


# ---------------------------------------------------------------------------------------------
# The cadre's desk and planning


def test_the_cadre_sees_their_buildings_quota_and_overdue_visits(login, world, cadres):
    wang, _zhao, _a = cadres
    late = plan(wang, world.henglong, 1)
    overdue(late)
    plan(wang, world.henglong, 5)
    response = login(wang).get(reverse("engagement:my_desk"))
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row["assignment"].building == world.henglong and row["done"] == 0 and row["behind"]
    assert [v.pk for v in row["planned"]][0] == late.pk
    text = response.content.decode()
    assert "list-group-item-danger" in text and "Visits this month: 0 of 2" in text


def test_the_cadre_plans_a_visit(login, world, cadres):
    wang, _zhao, _a = cadres
    day = TODAY() + timedelta(days=2)
    response = login(wang).post(
        reverse("engagement:visit_plan", args=[world.henglong.pk]),
        {"kind": kind().pk, "planned_for": day.isoformat(), "enterprise": world.ent_a.pk, "place": "会议室"},
    )
    assert response.status_code == 302
    visit = Visit.objects.get(cadre=wang)
    assert (visit.planned_for, visit.enterprise, visit.place) == (day, world.ent_a, "会议室")


def test_someone_not_the_liaison_cannot_plan(login, world, cadres):
    _wang, zhao, _a = cadres
    response = login(zhao).post(
        reverse("engagement:visit_plan", args=[world.henglong.pk]),
        {"kind": kind().pk, "planned_for": TODAY().isoformat()},
    )
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_planning_in_the_past_is_a_field_error(login, world, cadres):
    wang, _zhao, _a = cadres
    response = login(wang).post(
        reverse("engagement:visit_plan", args=[world.henglong.pk]),
        {"kind": kind().pk, "planned_for": (TODAY() - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["planned_for"] == ["A visit cannot be planned in the past."]


def test_planning_in_another_street_is_not_found(login, world, cadres):
    wang, _zhao, _a = cadres
    response = login(wang).post(
        reverse("engagement:visit_plan", args=[world.jas_building.pk]),
        {"kind": kind().pk, "planned_for": TODAY().isoformat()},
    )
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# A visit


def test_record_without_findings_is_a_field_error(login, world, cadres):
    wang, _zhao, _a = cadres
    visit = plan(wang, world.henglong)
    response = login(wang).post(reverse("engagement:visit_record", args=[visit.pk]), {"findings": " "})
    assert response.status_code == 400
    assert response.context["record_form"].errors["findings"]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_a_visit_is_recorded_and_its_finding_passed_on_as_a_topic(login, personas, world, cadres):
    wang, _zhao, _a = cadres
    body = committee(personas, world)
    visit = plan(wang, world.henglong, enterprise=world.ent_a)
    client = login(wang)
    page = client.get(reverse("engagement:visit_detail", args=[visit.pk]))
    assert page.context["actions"] == {"record", "cancel"}
    response = client.post(
        reverse("engagement:visit_record", args=[visit.pk]),
        {"findings": "午间电梯拥挤", "people": "李经理", "follow_up": "topic", "version": visit.version},
    )
    assert response.status_code == 302
    page = client.get(reverse("engagement:visit_detail", args=[visit.pk]))
    assert page.context["actions"] == set() and "topic_form" in page.context
    assert [pk for pk, _n in page.context["topic_form"].fields["body"].choices if pk] == [body.pk]
    response = client.post(reverse("engagement:visit_topic", args=[visit.pk]), {"body": body.pk, "title": "电梯"})
    assert response.status_code == 302
    page = client.get(reverse("engagement:visit_detail", args=[visit.pk]))
    visit.refresh_from_db()
    assert visit.link_type == "deliberation.topic"
    assert page.context["link_url"] == reverse("deliberation:topic_detail", args=[visit.link_id])
    assert "topic_form" not in page.context


def test_a_finding_becomes_a_service_request(login, world, cadres, service_desk):  # noqa: F811
    wang, _zhao, _a = cadres
    visit = plan(wang, world.henglong, enterprise=world.ent_a)
    services.visit_record(actor=wang, visit=visit, findings="需要办理外籍员工工作许可", follow_up="service_request")
    client = login(wang)
    response = client.post(
        reverse("engagement:visit_request", args=[visit.pk]), {"item": service_desk.permit.pk, "title": "工作许可"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.link_type == "services.servicerequest"
    page = client.get(reverse("engagement:visit_detail", args=[visit.pk]))
    assert page.context["link_url"] == reverse("services:request_detail", args=[visit.link_id])


def test_a_visit_is_cancelled_with_a_reason(login, world, cadres):
    wang, _zhao, _a = cadres
    visit = plan(wang, world.henglong)
    client = login(wang)
    response = client.post(reverse("engagement:visit_cancel", args=[visit.pk]), {"reason": ""})
    assert response.status_code == 400 and response.context["cancel_form"].errors["reason"]
    response = client.post(reverse("engagement:visit_cancel", args=[visit.pk]), {"reason": "企业搬迁"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason) == (VisitStatus.CANCELLED, "企业搬迁")


def test_another_cadre_cannot_record(login, world, cadres):
    wang, zhao, _a = cadres
    visit = plan(wang, world.henglong)
    response = login(zhao).post(reverse("engagement:visit_record", args=[visit.pk]), {"findings": "x"})
    assert response.status_code == 403


def test_a_visit_in_another_street_is_not_found(login, personas, world, cadres):
    wang, _zhao, _a = cadres
    visit = plan(wang, world.henglong)
    assert login(personas.street_jas).get(reverse("engagement:visit_detail", args=[visit.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------
# The visit list


def test_the_visit_list_filters_overdue_and_exports(login, personas, world, cadres):
    wang, _zhao, _a = cadres
    late, _later = plan(wang, world.henglong, 1), plan(wang, world.henglong, 9)
    overdue(late)
    client = login(personas.street_njxl)
    assert len(client.get(reverse("engagement:visit_list")).context["page"].rows) == 2
    rows = client.get(reverse("engagement:visit_list"), {"overdue": "1"}).context["page"].rows
    assert [v.pk for v in rows] == [late.pk]
    rows = client.get(reverse("engagement:visit_list"), {"status": "done"}).context["page"].rows
    assert rows == []
    partial = client.get(reverse("engagement:visit_list"), {"overdue": "1"}, HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="visit-results"')
    response = client.get(reverse("engagement:visit_list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert login(personas.street_jas).get(reverse("engagement:visit_list")).context["page"].rows == []


def test_the_visit_list_needs_the_permission(login, personas):
    assert login(personas.employee_henglong_1).get(reverse("engagement:visit_list")).status_code == 403


# ---------------------------------------------------------------------------------------------
# Desk panels


def test_the_desk_shows_the_cadres_visits_and_the_streets_gaps(login, personas, world, cadres):
    wang, _zhao, _a = cadres
    late = plan(wang, world.henglong, 1)
    overdue(late)
    plan(wang, world.henglong, 3)
    mine = desk.my_visits(wang)
    assert [i.tone for i in mine.items] == ["danger", ""]
    street = desk.overdue_visits(personas.street_njxl)
    assert [i.url for i in street.items] == [reverse("engagement:visit_detail", args=[late.pk])]
    gaps = desk.key_buildings_without_liaison(personas.street_njxl)
    assert [i.label for i in gaps.items] == ["中信泰富广场"]
    assert desk.my_visits(personas.street_njxl) is None and desk.overdue_visits(wang) is None
    assert "中信泰富广场" in login(personas.street_njxl).get("/").content.decode()


# ---------------------------------------------------------------------------------------------
# Query counts


def _buildings(world, n, prefix):
    return [building(world.cluster, f"{prefix}{i}", is_key=True) for i in range(n)]


def _spread(personas, world, cadre, n, prefix):
    """n buildings looked after by the cadre, each with one overdue and one planned visit."""
    for b in _buildings(world, n, prefix):
        services.liaison_assign(actor=personas.street_njxl, building=b, cadre=cadre)
        overdue(plan(cadre, b, 1))
        plan(cadre, b, 2)


def _queries(count_queries, fn) -> int:
    fn()  # a first call may warm a per-process cache
    with count_queries() as ctx:
        fn()
    return len(ctx.captured_queries)


def test_list_and_desk_queries_do_not_grow_with_rows(login, personas, world, cadres, count_queries, settings):
    settings.GOVCUBE_LIST_PAGE_SIZE = 100  # every row on one page, rendered
    wang, _zhao, _a = cadres
    official = login(personas.street_njxl)

    def pages():
        return {
            "liaison": _queries(count_queries, lambda: official.get(reverse("engagement:liaison_list"))),
            "visits": _queries(count_queries, lambda: official.get(reverse("engagement:visit_list"))),
            "street panels": _queries(
                count_queries,
                lambda: (
                    desk.overdue_visits(personas.street_njxl),
                    desk.key_buildings_without_liaison(personas.street_njxl),
                ),
            ),
            "cadre panel": _queries(count_queries, lambda: desk.my_visits(wang)),
        }

    def my_desk():
        from django.test import Client

        cadre = Client()
        cadre.force_login(wang)
        return _queries(count_queries, lambda: cadre.get(reverse("engagement:my_desk")))

    _spread(personas, world, wang, 5, "小楼")
    _buildings(world, 5, "空楼")
    few, few_desk = pages(), my_desk()
    _spread(personas, world, wang, 25, "大楼")
    _buildings(world, 25, "旷楼")
    many, many_desk = pages(), my_desk()
    assert many == few, (few, many)
    assert many_desk == few_desk
    assert len(official.get(reverse("engagement:visit_list")).context["page"].rows) == 60


PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b0d2f30000000049454e44ae426082"
)


def test_a_visit_is_recorded_with_photos(login, world, cadres):
    from django.core.files.uploadedfile import SimpleUploadedFile

    wang, _zhao, _a = cadres
    visit = plan(wang, world.henglong)
    response = login(wang).post(
        reverse("engagement:visit_record", args=[visit.pk]),
        {
            "findings": "消防通道堆物",
            "version": visit.version,
            "photos": [SimpleUploadedFile("lobby.png", PNG_1X1, "image/png")],
        },
    )
    assert response.status_code == 302
    assert visit.photos.count() == 1
    page = login(wang).get(reverse("engagement:visit_detail", args=[visit.pk])).content.decode()
    assert 'data-testid="visit-photos"' in page and "<img" in page


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_recorded(login, world, cadres):
    from django.core.files.uploadedfile import SimpleUploadedFile

    wang, _zhao, _a = cadres
    visit = plan(wang, world.henglong)
    response = login(wang).post(
        reverse("engagement:visit_record", args=[visit.pk]),
        {
            "findings": "消防通道堆物",
            "version": visit.version,
            "photos": [SimpleUploadedFile("lobby.jpg", b"<script>alert(1)</script>", "image/jpeg")],
        },
    )
    assert response.status_code == 400
    assert response.context["record_form"].errors["photos"]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and visit.photos.count() == 0


def test_visit_photos_are_served_only_to_those_who_may_see_the_visit(client, login, personas, world, cadres):
    from django.core.files.uploadedfile import SimpleUploadedFile

    wang, _zhao, _a = cadres
    visit = plan(wang, world.henglong)
    login(wang).post(
        reverse("engagement:visit_record", args=[visit.pk]),
        {"findings": "x", "version": visit.version, "photos": [SimpleUploadedFile("a.png", PNG_1X1, "image/png")]},
    )
    url = visit.photos.get().image.url
    assert url.startswith("/media/visits/")
    response = login(wang).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG_1X1
    assert response["Cache-Control"].startswith("private")
    assert login(personas.street_njxl).get(url).status_code == 200
    assert login(personas.street_jas).get(url).status_code == 404
    assert login(wang).get("/media/visits/nothing-here.png").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
