"""A Hang Lung Plaza committee in street A, and one body in street B, for the body pages."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from govcube.accounts.models import User
from govcube.bodies.models import Body, BodyKind, BodyMember, MemberRole
from govcube.bodies.services import body_create, body_member_add
from tests.factories import person_user


@dataclass
class Bodies:
    committee: Body
    other_street: Body
    convener: User
    secretary: User
    convener_row: BodyMember
    secretary_row: BodyMember
    employee: User  # works in Hang Lung Plaza, holds no role


@pytest.fixture
def bodies(world, personas) -> Bodies:
    w = world
    committee = body_create(
        actor=personas.street_njxl,
        node=w.cluster,
        name="恒隆广场楼宇事务委员会",
        kind=BodyKind.BUILDING_COMMITTEE,
        buildings=[w.henglong, w.citic],
    )
    other = body_create(
        actor=personas.street_jas,
        node=w.street_b,
        name="静安寺商圈治理联盟",
        kind=BodyKind.GOVERNANCE_ALLIANCE,
        buildings=[w.jas_building],
    )
    convener = person_user("body_convener", w.ent_a, "陈召集")
    secretary = person_user("body_secretary", w.ent_a, "刘秘书")
    convener_row = body_member_add(
        actor=personas.street_njxl, body=committee, role=MemberRole.CONVENER, person=convener.person
    )
    secretary_row = body_member_add(
        actor=personas.street_njxl, body=committee, role=MemberRole.SECRETARY, person=secretary.person
    )
    employee = person_user("body_employee", w.ent_a, "白领甲")
    return Bodies(committee, other, convener, secretary, convener_row, secretary_row, employee)
