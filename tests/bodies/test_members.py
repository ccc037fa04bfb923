from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govcube.accounts.models import User
from govcube.audit.models import AuditEvent
from govcube.bodies.models import BodyMember, MemberRole
from govcube.bodies.permissions import roles_in
from govcube.directory.models import PartyOrganisation, PartyOrgKind
from tests.factories import person_in

pytestmark = pytest.mark.django_db


def add_url(body) -> str:
    return reverse("bodies:member_add", args=[body.pk])


def end_url(member) -> str:
    return reverse("bodies:member_end", args=[member.body_id, member.pk])


def person_post(query, person="", role=MemberRole.MEMBER, **extra) -> dict:
    data = {
        "member_kind": "person",
        "person_q": query,
        "person": person,
        "uscc": "",
        "party_organisation": "",
        "role": role,
        "start": timezone.localdate().isoformat(),
        "end": "",
    }
    data.update(extra)
    return data


def test_an_official_adds_a_person_found_by_mobile(bodies, personas, login, world):
    response = login(personas.street_njxl).post(add_url(bodies.committee), person_post("13812345678"))
    assert response.status_code == 302
    member = BodyMember.objects.get(body=bodies.committee, person=world.person_a)
    assert member.role == MemberRole.MEMBER and member.end is None
    assert AuditEvent.objects.filter(action="bodies.member.added").count() == 3  # two in the fixture


def test_searching_by_name_lists_matches_in_the_users_scope(bodies, personas, login, world):
    person_in(world.ent_b, "李娜", "13812340000")  # same name, other street
    response = login(personas.street_njxl).get(add_url(bodies.committee), {"person_q": "李"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert [p.pk for p in response.context["form"].matches] == [world.person_a.pk]
    assert "138****5678" in page and "13812345678" not in page  # masked


def test_a_name_matching_several_people_asks_to_choose(bodies, personas, login, world):
    person_in(world.ent_a, "李娜娜", "13812340001")
    client = login(personas.street_njxl)
    response = client.post(add_url(bodies.committee), person_post("李娜"))
    assert response.status_code == 400
    assert response.context["form"].errors["person"] == ["Several people match: choose one from the list."]
    response = client.post(add_url(bodies.committee), person_post("李娜", person=world.person_a.pk))
    assert response.status_code == 302
    assert BodyMember.objects.filter(body=bodies.committee, person=world.person_a).exists()


def test_a_person_of_another_street_cannot_be_added(bodies, personas, login, world):
    client = login(personas.street_njxl)
    response = client.post(add_url(bodies.committee), person_post("13987654321"))
    assert response.context["form"].errors["person_q"] == ["Nobody in your territory matches."]
    response = client.post(add_url(bodies.committee), person_post("王芳", person=world.person_b.pk))
    assert response.status_code == 400
    assert not BodyMember.objects.filter(person=world.person_b).exists()


def test_adding_someone_twice_is_refused(bodies, personas, login):
    mobile = bodies.convener.person.mobile
    response = login(personas.street_njxl).post(add_url(bodies.committee), person_post(mobile))
    assert response.status_code == 400
    assert "Already a member of this body." in response.content.decode()


def test_an_enterprise_joins_by_credit_code(bodies, personas, login, world):
    data = person_post("", role=MemberRole.LEAD_UNIT, member_kind="enterprise", uscc=world.ent_a.uscc.lower())
    assert login(personas.street_njxl).post(add_url(bodies.committee), data).status_code == 302
    assert BodyMember.objects.get(body=bodies.committee, enterprise=world.ent_a).role == MemberRole.LEAD_UNIT


def test_an_enterprise_of_another_street_is_not_found(bodies, personas, login, world):
    data = person_post("", member_kind="enterprise", uscc=world.ent_b.uscc)
    response = login(personas.street_njxl).post(add_url(bodies.committee), data)
    assert response.context["form"].errors["uscc"] == ["No enterprise in your territory has this code."]


def test_a_party_organisation_joins(bodies, personas, login, world):
    org = PartyOrganisation(name="恒隆广场联合党支部", kind=PartyOrgKind.JOINT_BRANCH)
    org.set_scope(world.henglong.node)
    org.save()
    data = person_post("", member_kind="party_organisation", party_organisation=org.pk, role=MemberRole.MEMBER_UNIT)
    assert login(personas.street_njxl).post(add_url(bodies.committee), data).status_code == 302
    assert BodyMember.objects.filter(body=bodies.committee, party_organisation=org).exists()


def test_the_new_member_gets_the_role_at_once(bodies, personas, login, world):
    user = bodies.employee
    assert roles_in(user, bodies.committee) == set()
    login(personas.street_njxl).post(add_url(bodies.committee), person_post(user.person.mobile, role=MemberRole.DEPUTY))
    fresh = User.objects.get(pk=user.pk)  # as on the next request
    assert roles_in(fresh, bodies.committee) == {MemberRole.DEPUTY}


def test_ending_a_membership(bodies, personas, login):
    member = bodies.secretary_row
    response = login(personas.street_njxl).post(end_url(member), {"end": timezone.localdate().isoformat()})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.end == timezone.localdate()
    assert AuditEvent.objects.filter(action="bodies.member.ended").count() == 1


def test_ending_by_htmx_returns_the_members_part_without_redirect(bodies, personas, login):
    yesterday = timezone.localdate() - timedelta(days=1)
    member = bodies.secretary_row
    BodyMember.objects.filter(pk=member.pk).update(start=yesterday - timedelta(days=30))
    response = login(personas.street_njxl).post(end_url(member), {"end": yesterday.isoformat()}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="body-members"' in page and "<html" not in page
    assert 'data-testid="role-secretary"' not in page and "刘秘书" in page  # now among former members


def test_an_end_before_the_start_is_a_field_error(bodies, personas, login):
    member = bodies.secretary_row
    day_before = (member.start - timedelta(days=1)).isoformat()
    response = login(personas.street_njxl).post(end_url(member), {"end": day_before})
    assert response.status_code == 400
    assert response.context["form"].errors["end"] == ["The end of the term cannot be before its start."]
    member.refresh_from_db()
    assert member.end is None


def test_a_member_of_another_body_is_404(bodies, personas, login):
    wrong = reverse("bodies:member_end", args=[bodies.other_street.pk, bodies.secretary_row.pk])
    assert login(personas.street_jas).post(wrong, {"end": timezone.localdate().isoformat()}).status_code == 404


def test_another_street_cannot_add_or_end(bodies, personas, login, world):
    client = login(personas.street_jas)
    assert client.post(add_url(bodies.committee), person_post("13812345678")).status_code == 404
    assert client.post(end_url(bodies.secretary_row), {"end": timezone.localdate().isoformat()}).status_code == 404
    assert not BodyMember.objects.filter(person=world.person_a).exists()
    bodies.secretary_row.refresh_from_db()
    assert bodies.secretary_row.end is None


def test_the_convener_without_a_territory_role_cannot_manage_members(bodies, login):
    assert login(bodies.convener).get(add_url(bodies.committee)).status_code == 403
    assert login(bodies.convener).post(end_url(bodies.secretary_row), {}).status_code == 403


def test_the_add_page_renders_with_a_search(bodies, personas, login, world):
    response = login(personas.street_njxl).get(add_url(bodies.committee), {"person_q": "李娜"})
    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page
    assert f'<option value="{world.person_a.pk}"' in page
    assert "csrfmiddlewaretoken" not in response.request["QUERY_STRING"]


def test_the_end_page_asks_for_the_last_day(bodies, personas, login):
    response = login(personas.street_njxl).get(end_url(bodies.secretary_row))
    page = response.content.decode()
    assert response.status_code == 200 and "刘秘书" in page and 'type="date"' in page


def test_date_pickers_get_iso_dates_in_chinese(bodies, personas, login, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client = login(personas.street_njxl)
    today = timezone.localdate().isoformat()
    for path in (end_url(bodies.secretary_row), add_url(bodies.committee)):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert 'lang="zh-hans"' in page
        assert f'type="date" name="{"end" if "end" in path else "start"}" value="{today}"' in page
