"""The write path of project claiming: shares never pass 100%, who may post progress, photos, needs met."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.core.files import MAX_PHOTO_BYTES
from govcube.work import selectors, services
from govcube.work.models import (
    Claim,
    ClaimStatus,
    NeedStatus,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ProjectStatus,
    ResourceStatus,
)
from tests.work.conftest import PNG, png

pytestmark = pytest.mark.django_db


def share_of(project) -> int:
    return Project.objects.get(pk=project.pk).claimed_share


# ---------------------------------------------------------------------------------------------
# Shares


def test_a_share_over_100_is_refused_naming_share_and_nothing_is_stored(make_project, claimants):
    project = make_project()
    with pytest.raises(DomainError) as excinfo:
        services.claim_submit(actor=claimants.contact_a, project=project, share=101, enterprise=claimants.ent_a)
    assert excinfo.value.field == "share"
    assert not Claim.objects.exists() and share_of(project) == 0


def test_two_claimants_take_60_and_40_and_a_third_is_refused(make_project, claimants):
    project = make_project()
    services.claim_submit(actor=claimants.contact_a, project=project, share=60, enterprise=claimants.ent_a)
    services.claim_submit(actor=claimants.contact_c, project=project, share=40, enterprise=claimants.ent_c)
    assert share_of(project) == 100
    with pytest.raises(DomainError) as excinfo:
        services.claim_submit(actor=claimants.contact_d, project=project, share=1, enterprise=claimants.ent_d)
    assert excinfo.value.field == "share" and excinfo.value.code == "work.claim.share.exceeds"
    assert "0%" in excinfo.value.message
    assert Claim.objects.count() == 2 and share_of(project) == 100


def test_a_share_beyond_what_is_left_names_what_is_left(make_project, claimants):
    project = make_project()
    services.claim_submit(actor=claimants.contact_a, project=project, share=60, enterprise=claimants.ent_a)
    with pytest.raises(DomainError) as excinfo:
        services.claim_submit(actor=claimants.contact_c, project=project, share=50, enterprise=claimants.ent_c)
    assert excinfo.value.field == "share" and "40%" in excinfo.value.message
    assert share_of(project) == 60


def test_a_withdrawn_claim_frees_its_share(make_project, claimants, committee):
    project = make_project()
    first = services.claim_submit(actor=claimants.contact_a, project=project, share=60, enterprise=claimants.ent_a)
    services.claim_submit(actor=claimants.contact_c, project=project, share=40, enterprise=claimants.ent_c)
    services.claim_action(actor=committee.convener, claim=first, action="approve")
    first.refresh_from_db()
    with pytest.raises(DomainError) as excinfo:  # withdrawing needs a reason
        services.claim_action(actor=claimants.contact_a, claim=first, action="withdraw")
    assert excinfo.value.field == "reason"
    services.claim_action(actor=claimants.contact_a, claim=first, action="withdraw", reason="人手不足")
    assert share_of(project) == 40
    claim = services.claim_submit(actor=claimants.contact_d, project=project, share=60, enterprise=claimants.ent_d)
    assert claim.status == ClaimStatus.PENDING and share_of(project) == 100


def test_only_the_claimant_withdraws_and_only_the_convener_approves(make_project, claimants, committee):
    project = make_project()
    claim = services.claim_submit(actor=claimants.contact_a, project=project, share=30, enterprise=claimants.ent_a)
    with pytest.raises(PermissionDenied):
        services.claim_action(actor=claimants.contact_c, claim=claim, action="withdraw", reason="x")
    with pytest.raises(PermissionDenied):
        services.claim_action(actor=claimants.contact_a, claim=claim, action="approve")
    with pytest.raises(PermissionDenied):
        services.claim_action(actor=committee.members[0], claim=claim, action="approve")
    services.claim_action(actor=committee.convener, claim=claim, action="reject", reason="能力不匹配")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED and claim.reason == "能力不匹配" and share_of(project) == 0


def test_the_same_enterprise_cannot_claim_twice(make_project, claimants):
    project = make_project()
    services.claim_submit(actor=claimants.contact_a, project=project, share=20, enterprise=claimants.ent_a)
    with pytest.raises(Conflict) as excinfo:
        services.claim_submit(actor=claimants.contact_a, project=project, share=20, enterprise=claimants.ent_a)
    assert excinfo.value.code == "work.claim.duplicate" and excinfo.value.status == 409
    assert Claim.objects.count() == 1 and share_of(project) == 20


def test_a_party_branch_claims_through_its_office_holder(make_project, claimants):
    project = make_project()
    claim = services.claim_submit(
        actor=claimants.secretary, project=project, share=25, party_organisation=claimants.branch, commitment="志愿者"
    )
    assert claim.claimant == claimants.branch
    with pytest.raises(PermissionDenied):  # an enterprise contact does not speak for the branch
        services.claim_submit(actor=claimants.contact_a, project=project, share=5, party_organisation=claimants.branch)


def test_someone_who_speaks_for_no_one_cannot_claim_and_a_draft_is_not_claimable(make_project, claimants, personas):
    draft = make_project(publish=False)
    with pytest.raises(Conflict):
        services.claim_submit(actor=claimants.contact_a, project=draft, share=10, enterprise=claimants.ent_a)
    project = make_project()
    with pytest.raises(PermissionDenied):
        services.claim_submit(actor=personas.employee_henglong_1, project=project, share=10, enterprise=claimants.ent_a)
    assert not Claim.objects.exists()


def test_cancelling_withdraws_pending_claims_and_frees_their_share(make_project, claimants, committee):
    project = make_project()
    services.claim_submit(actor=claimants.contact_a, project=project, share=30, enterprise=claimants.ent_a)
    project = services.project_action(actor=committee.convener, project=project, action="cancel", reason="预算取消")
    assert project.status == ProjectStatus.CANCELLED and share_of(project) == 0
    assert Claim.objects.get().status == ClaimStatus.WITHDRAWN


def test_starting_needs_an_approved_claim(make_project, committee):
    project = make_project()
    with pytest.raises(Conflict) as excinfo:
        services.project_action(actor=committee.convener, project=project, action="start")
    assert excinfo.value.code == "work.project.start.no_claim"


# ---------------------------------------------------------------------------------------------
# Progress and photos


def test_only_approved_claimants_and_the_convener_post_progress(running, claimants, committee, personas):
    services.progress_post(actor=claimants.contact_a, project=running, text="设计完成", progress=40)
    services.progress_post(actor=committee.convener, project=running, text="验收准备")
    for outsider in (claimants.contact_d, personas.employee_henglong_1, committee.members[0]):
        with pytest.raises(PermissionDenied):
            services.progress_post(actor=outsider, project=running, text="x")
    assert ProgressUpdate.objects.count() == 2
    assert Project.objects.get(pk=running.pk).progress == 40


def test_a_pending_claimant_cannot_post_progress(running, claimants, committee):
    services.claim_action(
        actor=claimants.contact_c, claim=Claim.objects.get(enterprise=claimants.ent_c), action="withdraw", reason="x"
    )
    services.claim_submit(actor=claimants.contact_d, project=running, share=40, enterprise=claimants.ent_d)
    with pytest.raises(PermissionDenied):
        services.progress_post(actor=claimants.contact_d, project=running, text="x")


def _media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_photo_that_is_not_an_image_is_refused_naming_the_field_and_nothing_is_stored(running, claimants, settings):
    fake = SimpleUploadedFile("site.jpg", b"this is just text, not a photo", content_type="image/jpeg")
    with pytest.raises(DomainError) as excinfo:
        services.progress_post(actor=claimants.contact_a, project=running, text="进展", photos=[png(), fake])
    assert excinfo.value.field == "photos" and excinfo.value.code == "work.progress.photo.not_an_image"
    assert not ProgressUpdate.objects.exists() and not ProgressPhoto.objects.exists()
    assert _media_files(settings) == []


def test_an_extension_that_disagrees_with_the_content_is_refused(running, claimants):
    renamed = SimpleUploadedFile("photo.jpg", PNG, content_type="image/jpeg")
    with pytest.raises(DomainError) as excinfo:
        services.progress_post(actor=claimants.contact_a, project=running, text="进展", photos=[renamed])
    assert excinfo.value.field == "photos"
    assert not ProgressUpdate.objects.exists()


def test_an_oversized_photo_is_refused(running, claimants, settings):
    big = SimpleUploadedFile("big.png", PNG + b"\0" * MAX_PHOTO_BYTES, content_type="image/png")
    with pytest.raises(DomainError) as excinfo:
        services.progress_post(actor=claimants.contact_a, project=running, text="进展", photos=[big])
    assert excinfo.value.field == "photos" and excinfo.value.code == "work.progress.photo.too_large"
    assert not ProgressUpdate.objects.exists() and _media_files(settings) == []


def test_photos_and_a_milestone_are_recorded_with_the_progress(running, claimants, settings):
    milestone = running.milestones.get(title="设计")
    update = services.progress_post(
        actor=claimants.contact_a, project=running, text="设计完成", progress=50, milestone=milestone, photos=[png()]
    )
    assert update.claim.enterprise == claimants.ent_a
    assert [p.image.name.rsplit("/", 1)[-1] for p in update.photos.all()] == ["photo.png"]
    assert len(_media_files(settings)) == 1
    milestone.refresh_from_db()
    assert milestone.done_at is not None


# ---------------------------------------------------------------------------------------------
# Needs, verification, resources


def test_verifying_marks_the_needs_met(make_project, committee, claimants, world):
    need = services.need_create(
        actor=committee.members[0], body=committee.body, title="会议室不足", building=world.henglong
    )
    project = make_project(needs=[need])
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_PROJECT
    claim = services.claim_submit(actor=claimants.contact_a, project=project, share=100, enterprise=claimants.ent_a)
    services.claim_action(actor=committee.convener, claim=claim, action="approve")
    project = services.project_action(actor=committee.convener, project=project, action="start")
    with pytest.raises(DomainError) as excinfo:
        services.project_action(actor=claimants.contact_a, project=project, action="complete")
    assert excinfo.value.field == "outcome"
    project = services.project_action(actor=claimants.contact_a, project=project, action="complete", outcome="已启用")
    with pytest.raises(PermissionDenied):
        services.project_action(actor=claimants.contact_a, project=project, action="verify")
    project = services.project_action(actor=committee.convener, project=project, action="verify")
    need.refresh_from_db()
    assert project.status == ProjectStatus.VERIFIED and need.status == NeedStatus.MET


def test_a_need_is_recorded_by_members_not_by_employees(committee, world):
    with pytest.raises(PermissionDenied):
        services.need_create(actor=committee.employees[0], body=committee.body, title="x")
    with pytest.raises(DomainError) as excinfo:
        services.need_create(actor=committee.members[0], body=committee.body, title="x", building=world.jas_building)
    assert excinfo.value.field == "building"


def test_a_resource_is_offered_withdrawn_and_committed(make_project, committee, claimants):
    resource = services.resource_offer(
        actor=claimants.contact_a, kind="venue", title="多功能厅", enterprise=claimants.ent_a, body=committee.body
    )
    with pytest.raises(PermissionDenied):
        services.resource_withdraw(actor=claimants.contact_c, resource=resource)
    project = make_project()
    with pytest.raises(PermissionDenied):
        services.resource_commit(actor=claimants.contact_a, resource=resource, project=project)
    resource = services.resource_commit(actor=committee.convener, resource=resource, project=project)
    assert resource.status == ResourceStatus.COMMITTED and resource.project == project
    with pytest.raises(Conflict):
        services.resource_withdraw(actor=claimants.contact_a, resource=resource)


def test_a_resource_cannot_be_committed_to_a_closed_project(make_project, committee, claimants):
    resource = services.resource_offer(
        actor=claimants.contact_a, kind="funds", title="赞助", enterprise=claimants.ent_a
    )
    project = make_project()
    project = services.project_action(actor=committee.convener, project=project, action="cancel", reason="取消")
    with pytest.raises(Conflict):
        services.resource_commit(actor=committee.convener, resource=resource, project=project)
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.AVAILABLE


# ---------------------------------------------------------------------------------------------
# Who sees what


def test_drafts_are_seen_only_by_those_who_run_the_body(make_project, committee, claimants, personas):
    draft = make_project(publish=False)
    published = make_project(title="已发布")
    for user in (committee.employees[0], claimants.contact_a, committee.members[0], personas.district_leader):
        assert set(selectors.project_list(user=user)) == {published}, user
    for user in (committee.convener, personas.street_njxl):
        assert set(selectors.project_list(user=user)) == {draft, published}


def test_out_of_scope_users_see_nothing(make_project, committee, personas):
    make_project()
    for user in (personas.street_jas, committee.outsider, personas.nobody):
        assert not selectors.project_list(user=user).exists()
        assert not selectors.need_list(user=user).exists()


def test_an_enterprise_contact_sees_the_projects_and_needs_of_bodies_covering_its_buildings(
    make_project, committee, claimants, personas
):
    project = make_project()
    need = services.need_create(actor=committee.members[0], body=committee.body, title="会议室不足")
    for user in (claimants.contact_a, claimants.contact_c, claimants.secretary):
        assert list(selectors.project_list(user=user)) == [project]
        assert list(selectors.need_list(user=user)) == [need]
    outside = personas.world.ent_b
    from govcube.accounts.roles import Role
    from tests.factories import user_with_role

    contact_b = user_with_role("contact_b", Role.ENTERPRISE_CONTACT, enterprise=outside)
    assert not selectors.project_list(user=contact_b).exists()
