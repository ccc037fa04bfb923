"""The work pages: the three lists, the project page and its forms, needs and resources."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govcube.work import services
from govcube.work.models import (
    Claim,
    ClaimStatus,
    Need,
    NeedStatus,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ProjectStatus,
    Resource,
    ResourceStatus,
)
from tests.work.conftest import png

pytestmark = pytest.mark.django_db


def detail(project) -> str:
    return reverse("work:project_detail", args=[project.pk])


def need(committee, title="会议室不足", **kwargs):
    return services.need_create(actor=committee.members[0], body=committee.body, title=title, **kwargs)


def offer(claimants, committee=None, title="多功能厅", **kwargs):
    return services.resource_offer(
        actor=claimants.contact_a,
        kind="venue",
        title=title,
        enterprise=claimants.ent_a,
        body=committee.body if committee else None,
        **kwargs,
    )


# ---------------------------------------------------------------------------------------------
# The three lists


def test_the_three_lists_side_by_side(login, committee, claimants, make_project):
    need(committee)
    offer(claimants, committee)
    make_project(title="共享会议室")
    make_project(title="草稿项目", publish=False)
    response = login(committee.employees[0]).get(reverse("work:index"))
    assert response.status_code == 200
    assert [n.title for n in response.context["needs"]] == ["会议室不足"]
    assert [r.title for r in response.context["resources"]] == ["多功能厅"]
    assert [p.title for p in response.context["projects"]] == ["共享会议室"]
    text = response.content.decode()
    assert 'data-testid="needs"' in text and 'data-testid="resources"' in text and 'data-testid="projects"' in text
    assert reverse("work:need_list") in text and reverse("work:project_list") in text
    convener = login(committee.convener).get(reverse("work:index"))
    assert {p.title for p in convener.context["projects"]} == {"共享会议室", "草稿项目"}
    assert convener.context["can_create_project"] and not response.context["can_create_project"]


def test_each_list_filters(login, committee, claimants, make_project, personas):
    need(committee, "甲需求")
    met = need(committee, "乙需求", source="visit")
    services.need_set_status(actor=committee.convener, need=met, status=NeedStatus.MET)
    offer(claimants, committee, "场地")
    services.resource_offer(actor=claimants.contact_c, kind="expertise", title="法律咨询", enterprise=claimants.ent_c)
    make_project(title="开放项目")
    make_project(title="草稿项目", publish=False)
    client = login(personas.street_njxl)
    rows = client.get(reverse("work:need_list"), {"status": "met"}).context["page"].rows
    assert [n.title for n in rows] == ["乙需求"]
    rows = client.get(reverse("work:need_list"), {"source": "visit", "body": committee.body.pk}).context["page"].rows
    assert [n.title for n in rows] == ["乙需求"]
    rows = client.get(reverse("work:resource_list"), {"kind": "expertise"}).context["page"].rows
    assert [r.title for r in rows] == ["法律咨询"]
    rows = client.get(reverse("work:resource_list"), {"body": committee.body.pk}).context["page"].rows
    assert [r.title for r in rows] == ["场地"]
    rows = client.get(reverse("work:project_list"), {"status": "draft"}).context["page"].rows
    assert [p.title for p in rows] == ["草稿项目"]
    partial = client.get(reverse("work:project_list"), {"status": "open"}, HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="project-results"')


@pytest.mark.parametrize(
    ("name", "header"), [("work:need_list", "Title"), ("work:resource_list", "Kind"), ("work:project_list", "Body")]
)
def test_each_list_exports_a_workbook(login, committee, claimants, make_project, personas, name, header):
    need(committee)
    offer(claimants, committee)
    make_project()
    response = login(personas.street_njxl).get(reverse(name), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert header in rows[0] and len(rows) == 2


def test_the_export_needs_the_permission(login, committee, make_project):
    make_project()
    response = login(committee.employees[0]).get(reverse("work:project_list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("text/html")


def test_lists_are_empty_out_of_scope(login, committee, claimants, make_project, personas):
    need(committee)
    offer(claimants, committee)
    make_project()
    for user in (personas.street_jas, committee.outsider):
        client = login(user)
        for name in ("work:need_list", "work:resource_list", "work:project_list"):
            assert client.get(reverse(name)).context["page"].rows == [], (user, name)


@pytest.mark.parametrize("name", ["work:index", "work:need_list", "work:resource_list", "work:project_list"])
def test_list_pages_run_a_bounded_number_of_queries(
    login, committee, claimants, make_project, personas, count_queries, name
):
    client = login(personas.street_njxl)

    def grow(n):
        for i in range(n):
            need(committee, f"需求{i}", building=committee.body.buildings.first())
            offer(claimants, committee, f"资源{i}")
            make_project(title=f"项目{i}")

    def count() -> int:
        client.get(reverse(name))  # warm the per-process caches (working-day calendar…)
        with count_queries() as ctx:
            assert client.get(reverse(name)).status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    small = count()
    grow(6)
    assert count() == small and small <= 20, small


# ---------------------------------------------------------------------------------------------
# Scope of the project page


def test_a_draft_is_not_visible_to_employees(login, committee, make_project):
    draft = make_project(publish=False)
    assert login(committee.employees[0]).get(detail(draft)).status_code == 404
    assert login(committee.convener).get(detail(draft)).status_code == 200


def test_out_of_scope_is_not_found(login, committee, make_project, personas):
    project = make_project()
    for user in (personas.street_jas, committee.outsider, personas.nobody):
        client = login(user)
        assert client.get(detail(project)).status_code == 404
        assert client.get(reverse("work:claim_create", args=[project.pk])).status_code == 404
        assert (
            client.post(reverse("work:project_action", args=[project.pk, "cancel"]), {"reason": "x"}).status_code == 404
        )
    assert login(committee.employees[0]).get(detail(project)).status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in(client, make_project):
    project = make_project()
    response = client.get(detail(project))
    assert response.status_code == 302 and "login" in response["Location"]


# ---------------------------------------------------------------------------------------------
# Creating a project


def test_the_convener_creates_a_project_from_a_need(login, committee, world):
    source = need(committee, "会议室不足", building=world.henglong, description="午休时段会议室紧张")
    client = login(committee.convener)
    page = client.get(reverse("work:project_create"), {"need": source.pk})
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["title"] == "会议室不足" and form.initial["needs"] == [source.pk]
    response = client.post(
        reverse("work:project_create") + f"?need={source.pk}",
        {
            "title": "共享会议室",
            "description": "改造空置空间",
            "needs": [source.pk],
            "building": world.henglong.pk,
            "milestones": "设计\n\n施工\n",
            "starts_on": "2026-12-01",
            "due_on": "2027-03-31",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get()
    assert response["Location"] == detail(project)
    assert project.status == ProjectStatus.DRAFT and list(project.needs.all()) == [source]
    assert [m.title for m in project.milestones.all()] == ["设计", "施工"]
    source.refresh_from_db()
    assert source.status == NeedStatus.IN_PROJECT


def test_the_create_form_is_prefilled_from_a_decision(login, committee):
    from govcube.deliberation.models import AgendaItem, Decision, Meeting

    start = timezone.now()
    meeting = Meeting.objects.create(
        body=committee.body,
        title="例会",
        status="ended",
        starts_at=start - timedelta(hours=2),
        ends_at=start,
        place="会议室",
    )
    item = AgendaItem.objects.create(meeting=meeting, title="共享会议室")
    decision = Decision.objects.create(item=item, text="由企业认领建设共享会议室", method="show_of_hands", passed=True)
    client = login(committee.convener)
    page = client.get(reverse("work:project_create"), {"decision": decision.pk})
    assert page.status_code == 200
    assert page.context["form"].initial == {
        "title": "共享会议室",
        "description": "由企业认领建设共享会议室",
        "decision": decision.pk,
    }
    response = client.post(
        reverse("work:project_create") + f"?decision={decision.pk}",
        {"title": "共享会议室", "description": "由企业认领", "decision": decision.pk},
    )
    assert response.status_code == 302
    assert Project.objects.get().decision == decision
    assert decision.follow_ups.get().target_id == str(Project.objects.get().pk)


def test_only_the_convener_creates_and_bad_input_names_the_field(login, committee, world):
    assert login(committee.members[0]).get(reverse("work:project_create")).status_code == 403
    assert login(committee.employees[0]).get(reverse("work:project_create")).status_code == 403
    client = login(committee.convener)
    response = client.post(
        reverse("work:project_create"),
        {"title": "x", "description": "y", "starts_on": "2027-02-01", "due_on": "2027-01-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["__all__"] or response.context["form"].errors.get("due_on")
    response = client.post(reverse("work:project_create"), {"title": "", "description": "y"})
    assert response.status_code == 400 and response.context["form"].errors["title"]
    assert not Project.objects.exists()


# ---------------------------------------------------------------------------------------------
# The project page


def test_the_project_page_shows_claims_share_bar_milestones_and_the_convener_s_buttons(
    login, committee, claimants, make_project
):
    project = make_project()
    first = services.claim_submit(
        actor=claimants.contact_a, project=project, share=60, enterprise=claimants.ent_a, commitment="负责设计"
    )
    services.claim_action(actor=committee.convener, claim=first, action="approve")
    services.claim_submit(actor=claimants.contact_c, project=project, share=25, enterprise=claimants.ent_c)
    response = login(committee.convener).get(detail(project))
    assert response.status_code == 200
    ctx = response.context
    assert (ctx["approved_share"], ctx["pending_share"], ctx["unclaimed"]) == (60, 25, 15)
    assert [a["name"] for a in ctx["actions"]] == ["start", "cancel"]
    assert [[a["name"] for a in c.actions] for c in ctx["claims"]] == [[], ["approve", "reject"]]
    text = response.content.decode()
    assert "负责设计" in text and "15% still unclaimed" in text and 'data-testid="share-bar"' in text
    assert "设计" in text and "施工" in text
    assert 'id="rating-box"' in text and "It can be rated once it has been delivered." in text
    claimant = login(claimants.contact_a).get(detail(project)).context
    assert [a["name"] for a in claimant["actions"]] == []
    assert [[a["name"] for a in c.actions] for c in claimant["claims"]] == [["withdraw"], []]


def test_the_convener_publishes_and_a_reason_is_required_to_cancel(login, committee, make_project):
    project = make_project(publish=False)
    client = login(committee.convener)
    response = client.post(reverse("work:project_action", args=[project.pk, "publish"]), {"version": project.version})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN
    response = client.post(reverse("work:project_action", args=[project.pk, "cancel"]), {"reason": ""})
    assert response.status_code == 400
    assert response.context["action_error"]["field"] == "reason"
    assert "This field is required." in response.content.decode()
    response = client.post(reverse("work:project_action", args=[project.pk, "publish"]))
    assert response.status_code == 409 and response.context["conflict"]
    response = client.post(reverse("work:project_action", args=[project.pk, "nonsense"]))
    assert response.status_code == 404


def test_someone_else_cannot_use_the_convener_s_buttons(login, committee, claimants, make_project):
    project = make_project()
    response = login(claimants.contact_a).post(
        reverse("work:project_action", args=[project.pk, "cancel"]), {"reason": "x"}
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN


def test_a_stale_version_is_refused(login, committee, make_project):
    project = make_project()
    response = login(committee.convener).post(
        reverse("work:project_action", args=[project.pk, "cancel"]), {"reason": "x", "version": project.version - 1}
    )
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.status == ProjectStatus.OPEN


def test_the_convener_approves_and_rejects_claims_from_the_page(login, committee, claimants, make_project):
    project = make_project()
    first = services.claim_submit(actor=claimants.contact_a, project=project, share=50, enterprise=claimants.ent_a)
    second = services.claim_submit(actor=claimants.contact_c, project=project, share=50, enterprise=claimants.ent_c)
    client = login(committee.convener)
    url = reverse("work:claim_action", args=[project.pk, first.pk, "approve"])
    assert client.post(url, {"version": first.version}).status_code == 302
    response = client.post(reverse("work:claim_action", args=[project.pk, second.pk, "reject"]), {"reason": ""})
    assert response.status_code == 400 and response.context["action_error"]["claim"] == second.pk
    response = client.post(reverse("work:claim_action", args=[project.pk, second.pk, "reject"]), {"reason": "重复"})
    assert response.status_code == 302
    assert dict(Claim.objects.values_list("pk", "status")) == {
        first.pk: ClaimStatus.APPROVED,
        second.pk: ClaimStatus.REJECTED,
    }
    assert Project.objects.get(pk=project.pk).claimed_share == 50


def test_the_project_page_runs_a_bounded_number_of_queries(login, running, claimants, committee, count_queries):
    def grow(n, start):
        for i in range(n):
            services.progress_post(
                actor=claimants.contact_a, project=running, text=f"进展{start + i}", photos=[png(f"p{start + i}.png")]
            )
            services.milestone_add(actor=committee.convener, project=running, title=f"节点{start + i}")
            services.resource_commit(
                actor=committee.convener, resource=offer(claimants, committee, f"资源{start + i}"), project=running
            )

    def count(user) -> int:
        client = login(user)
        client.get(detail(running))  # warm the per-process caches (working-day calendar…)
        with count_queries() as ctx:
            assert client.get(detail(running)).status_code == 200
        return len(ctx.captured_queries)

    grow(2, 0)
    small = {u.pk: count(u) for u in (committee.convener, claimants.contact_a)}
    grow(6, 2)
    large = {u.pk: count(u) for u in (committee.convener, claimants.contact_a)}
    assert small == large and max(large.values()) <= 35, large


# ---------------------------------------------------------------------------------------------
# Claims


def test_the_claim_form_shows_what_is_left_and_the_service_s_refusal(login, committee, claimants, make_project):
    project = make_project()
    services.claim_submit(actor=claimants.contact_a, project=project, share=60, enterprise=claimants.ent_a)
    client = login(claimants.contact_c)
    url = reverse("work:claim_create", args=[project.pk])
    page = client.get(url)
    assert page.status_code == 200 and "40% still unclaimed" in page.content.decode()
    assert page.context["form"].fields["claimant"].choices == [
        (f"enterprise:{claimants.ent_c.pk}", "中信测试科技有限公司")
    ]
    response = client.post(url, {"claimant": f"enterprise:{claimants.ent_c.pk}", "share": 50, "commitment": "施工"})
    assert response.status_code == 400
    assert response.context["form"].errors["share"] == [
        "Only 40% of this project is still unclaimed; the shares cannot exceed 100%."
    ]
    response = client.post(url, {"claimant": f"enterprise:{claimants.ent_c.pk}", "share": 101})
    assert response.status_code == 400 and response.context["form"].errors["share"]
    assert Claim.objects.count() == 1
    response = client.post(url, {"claimant": f"enterprise:{claimants.ent_c.pk}", "share": 40, "commitment": "施工"})
    assert response.status_code == 302
    assert Claim.objects.get(enterprise=claimants.ent_c).share == 40


def test_a_claimant_cannot_claim_for_someone_else(login, claimants, make_project):
    project = make_project()
    response = login(claimants.contact_c).post(
        reverse("work:claim_create", args=[project.pk]), {"claimant": f"enterprise:{claimants.ent_a.pk}", "share": 10}
    )
    assert response.status_code == 400 and response.context["form"].errors["claimant"]
    assert not Claim.objects.exists()


def test_a_duplicate_claim_is_shown_under_the_share(login, claimants, make_project):
    project = make_project()
    services.claim_submit(actor=claimants.contact_a, project=project, share=10, enterprise=claimants.ent_a)
    client = login(claimants.contact_a)
    url = reverse("work:claim_create", args=[project.pk])
    assert client.get(url).context["already"] is True
    response = client.post(url, {"claimant": f"enterprise:{claimants.ent_a.pk}", "share": 10})
    assert response.status_code == 409 and response.context["form"].errors["share"]
    assert Claim.objects.count() == 1


def test_the_party_branch_claims_from_the_page(login, claimants, make_project):
    project = make_project()
    response = login(claimants.secretary).post(
        reverse("work:claim_create", args=[project.pk]),
        {"claimant": f"party_organisation:{claimants.branch.pk}", "share": 20, "commitment": "组织志愿者"},
    )
    assert response.status_code == 302
    assert Claim.objects.get().party_organisation == claimants.branch


def test_people_who_speak_for_no_one_cannot_claim(login, committee, make_project):
    project = make_project()
    assert login(committee.employees[0]).get(reverse("work:claim_create", args=[project.pk])).status_code == 403


def test_the_claimant_withdraws_and_the_share_is_free_again(login, claimants, committee, make_project):
    project = make_project()
    claim = services.claim_submit(actor=claimants.contact_a, project=project, share=70, enterprise=claimants.ent_a)
    url = reverse("work:claim_action", args=[project.pk, claim.pk, "withdraw"])
    assert login(claimants.contact_c).post(url, {"reason": "x"}).status_code == 403
    assert login(claimants.contact_a).post(url, {"reason": "人手不足"}).status_code == 302
    assert Project.objects.get(pk=project.pk).claimed_share == 0


# ---------------------------------------------------------------------------------------------
# Progress, milestones, resources


def test_the_progress_form_is_phone_first_with_several_photos(login, running, claimants, personas):
    client = login(claimants.contact_a)
    url = reverse("work:progress_post", args=[running.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and "multiple" in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html
    milestone = running.milestones.get(title="设计")
    response = client.post(
        url,
        {"text": "设计完成", "progress": 50, "milestone": milestone.pk, "photos": [png("a.png"), png("b.png")]},
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.progress == 50 and update.photos.count() == 2
    page = client.get(detail(running)).content.decode()
    photo = update.photos.order_by("pk").first()
    assert f'src="{photo.image.url}"' in page and photo.image.url.startswith("/media/")
    assert 'alt="Photo 1 of the progress of' in page
    served = client.get(photo.image.url)
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"\x89PNG")
    assert login(personas.street_jas).get(photo.image.url).status_code == 404


def test_a_photo_that_is_not_an_image_is_shown_under_the_field(login, running, claimants):
    fake = SimpleUploadedFile("site.jpg", b"plain text pretending", content_type="image/jpeg")
    response = login(claimants.contact_a).post(
        reverse("work:progress_post", args=[running.pk]), {"text": "进展", "photos": [fake]}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["photos"] == ["site.jpg is not a JPEG, PNG or WebP photo."]
    assert not ProgressUpdate.objects.exists() and not ProgressPhoto.objects.exists()


def test_only_approved_claimants_and_the_convener_open_the_progress_form(login, running, claimants, committee):
    url = reverse("work:progress_post", args=[running.pk])
    assert login(claimants.contact_d).get(url).status_code == 403
    assert login(committee.employees[0]).post(url, {"text": "x"}).status_code == 403
    assert login(committee.convener).get(url).status_code == 200
    assert not ProgressUpdate.objects.exists()


def test_milestones_are_added_and_ticked_off(login, running, claimants, committee):
    client = login(claimants.contact_c)
    response = client.post(reverse("work:milestone_add", args=[running.pk]), {"title": "验收", "due_on": "2027-01-10"})
    assert response.status_code == 302
    response = client.post(reverse("work:milestone_add", args=[running.pk]), {"title": ""})
    assert response.status_code == 400 and response.context["milestone_form"].errors["title"]
    milestone = running.milestones.get(title="验收")
    url = reverse("work:milestone_done", args=[running.pk, milestone.pk])
    assert login(committee.employees[0]).post(url).status_code == 403
    client = login(claimants.contact_c)
    assert client.post(url, {"version": milestone.version}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_at is not None
    assert client.post(url).status_code == 409


def test_the_convener_commits_an_offered_resource(login, make_project, claimants, committee):
    project = make_project()
    resource = offer(claimants, committee)
    client = login(committee.convener)
    assert client.get(detail(project)).context["commit_form"]
    response = client.post(reverse("work:resource_commit", args=[project.pk]), {"resource": resource.pk})
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.COMMITTED and resource.project == project
    assert "多功能厅" in client.get(detail(project)).content.decode()
    response = client.post(reverse("work:resource_commit", args=[project.pk]), {"resource": resource.pk})
    assert response.status_code == 400 and response.context["commit_form"].errors["resource"]


def test_a_verified_project_offers_the_rating(login, running, claimants, committee):
    services.project_action(actor=claimants.contact_a, project=running, action="complete", outcome="会议室启用")
    running.refresh_from_db()
    services.project_action(actor=committee.convener, project=running, action="verify")
    text = login(committee.employees[0]).get(detail(running)).content.decode()
    assert "会议室启用" in text and 'name="score"' in text


# ---------------------------------------------------------------------------------------------
# Needs and resources


def test_a_member_records_a_need_and_the_convener_marks_it_met(login, committee, world):
    client = login(committee.members[0])
    page = client.get(reverse("work:need_create"))
    assert page.status_code == 200
    response = client.post(
        reverse("work:need_create") + f"?body={committee.body.pk}",
        {"title": "午间电梯拥挤", "source": "visit", "building": world.henglong.pk},
    )
    assert response.status_code == 302
    record = Need.objects.get()
    assert (record.building, record.source) == (world.henglong, "visit")
    url = reverse("work:need_status", args=[record.pk])
    assert client.post(url, {"status": "met"}).status_code == 403
    convener = login(committee.convener)
    page = convener.get(reverse("work:need_detail", args=[record.pk]))
    assert page.context["can_start_project"]
    assert convener.post(url, {"status": "met", "version": record.version}).status_code == 302
    record.refresh_from_db()
    assert record.status == NeedStatus.MET


def test_bad_need_input_names_the_field_and_employees_cannot_record(login, committee):
    response = login(committee.members[0]).post(reverse("work:need_create"), {"title": "", "source": "other"})
    assert response.status_code == 400 and response.context["form"].errors["title"]
    assert login(committee.employees[0]).get(reverse("work:need_create")).status_code == 403
    assert not Need.objects.exists()


def test_a_liaison_cadre_records_a_need_for_a_building_they_look_after(login, committee, world, personas):
    from govcube.engagement.services import liaison_assign

    liaison_assign(actor=personas.street_njxl, building=world.henglong, cadre=personas.liaison_wang)
    client = login(personas.liaison_wang)
    response = client.post(reverse("work:need_create"), {"title": "快递柜不足", "source": "visit"})
    assert response.status_code == 302
    assert Need.objects.get().body == committee.body


def test_an_enterprise_contact_offers_and_withdraws_a_resource(login, committee, claimants):
    client = login(claimants.contact_a)
    page = client.get(reverse("work:resource_offer"))
    assert page.status_code == 200
    assert (committee.body.pk, committee.body.name) in page.context["form"].fields["body"].choices
    response = client.post(
        reverse("work:resource_offer"),
        {
            "offerer": f"enterprise:{claimants.ent_a.pk}",
            "kind": "venue",
            "title": "多功能厅",
            "quantity": "80座",
            "body": committee.body.pk,
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.body == committee.body and resource.enterprise == claimants.ent_a
    page = client.get(reverse("work:resource_detail", args=[resource.pk]))
    assert page.context["can_withdraw"]
    assert login(claimants.contact_c).post(reverse("work:resource_withdraw", args=[resource.pk])).status_code == 404
    client = login(claimants.contact_a)
    assert client.post(reverse("work:resource_withdraw", args=[resource.pk])).status_code == 302
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.WITHDRAWN


def test_offering_needs_someone_to_offer_for_and_a_past_date_is_refused(login, committee, claimants):
    assert login(committee.employees[0]).get(reverse("work:resource_offer")).status_code == 403
    response = login(claimants.contact_a).post(
        reverse("work:resource_offer"),
        {
            "offerer": f"enterprise:{claimants.ent_a.pk}",
            "kind": "venue",
            "title": "多功能厅",
            "available_until": "2020-01-01",
        },
    )
    assert response.status_code == 400 and response.context["form"].errors["available_until"]
    assert not Resource.objects.exists()


def test_need_and_resource_pages_run_a_bounded_number_of_queries(
    login, committee, claimants, make_project, count_queries
):
    record = need(committee)
    resource = offer(claimants, committee)
    client = login(committee.convener)

    def count(url) -> int:
        client.get(url)
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [reverse("work:need_detail", args=[record.pk]), reverse("work:resource_detail", args=[resource.pk])]
    make_project(needs=[record])
    small = [count(url) for url in urls]
    for i in range(6):
        make_project(title=f"项目{i}", needs=[record])
    assert [count(url) for url in urls] == small and max(small) <= 20, small
