from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govcube.accounts.models import User
from govcube.accounts.roles import Role
from govcube.directory.models import Enterprise, PartyOrganisation, Position
from govcube.work import services
from govcube.work.models import Project
from tests.factories import enterprise_in, person_user, user_with_role

# The smallest valid PNG (1×1, transparent).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@dataclass
class Claimants:
    """Three enterprises in the committee's buildings, each with its contact, and a party branch."""

    ent_a: Enterprise
    ent_c: Enterprise
    ent_d: Enterprise
    contact_a: User  # personas.contact_a (恒隆广场)
    contact_c: User  # 中信泰富广场
    contact_d: User  # 恒隆广场
    branch: PartyOrganisation
    secretary: User  # holds office in the branch


@pytest.fixture
def claimants(world, personas) -> Claimants:
    ent_c = enterprise_in(world.citic, name="中信测试科技有限公司")
    ent_d = enterprise_in(world.henglong, name="恒隆测试物业有限公司")
    contact_c = user_with_role("contact_c", Role.ENTERPRISE_CONTACT, enterprise=ent_c)
    contact_d = user_with_role("contact_d", Role.ENTERPRISE_CONTACT, enterprise=ent_d)
    branch = PartyOrganisation(name="恒隆广场联合党支部", kind="branch")
    branch.set_scope(world.henglong.node)
    branch.save()
    branch.buildings.set([world.henglong])
    secretary = person_user("branch_secretary", world.ent_a, "党支部书记")
    Position.objects.create(person=secretary.person, party_organisation=branch, title="书记")
    return Claimants(world.ent_a, ent_c, ent_d, personas.contact_a, contact_c, contact_d, branch, secretary)


@pytest.fixture
def make_project(committee, world):
    """``make_project(publish=True, **fields)``: a project of the committee, drafted by its convener."""

    def _make(publish: bool = True, **fields) -> Project:
        values = {
            "actor": committee.convener,
            "body": committee.body,
            "title": "楼宇共享会议室",
            "description": "改造空置空间为共享会议室",
            "what_is_needed": "设计、施工、家具",
            "building": world.henglong,
            "milestones": ["设计", "施工"],
            "due_on": timezone.localdate() + timedelta(days=30),
        }
        values.update(fields)
        project = services.project_create(**values)
        if publish:
            project = services.project_action(actor=committee.convener, project=project, action="publish")
        return project

    return _make


@pytest.fixture
def running(make_project, committee, claimants):
    """A started project: contact_a's 60% and contact_c's 40% approved."""
    project = make_project()
    first = services.claim_submit(actor=claimants.contact_a, project=project, share=60, enterprise=claimants.ent_a)
    second = services.claim_submit(actor=claimants.contact_c, project=project, share=40, enterprise=claimants.ent_c)
    for claim in (first, second):
        services.claim_action(actor=committee.convener, claim=claim, action="approve")
    project.refresh_from_db()
    return services.project_action(actor=committee.convener, project=project, action="start")
