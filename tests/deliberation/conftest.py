"""A Hang Lung Plaza committee in the small world: convener, secretary, three members, employees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from govcube.accounts.models import User
from govcube.bodies.models import Body, BodyKind, BodyMember, MemberRole
from govcube.bodies.services import body_create, body_member_add
from tests.factories import enterprise_in, person_user


@dataclass
class Committee:
    body: Body
    convener: User
    secretary: User
    members: list[User]
    member_rows: dict[str, BodyMember]
    employees: list[User]
    outsider: User  # works in 静安寺街道, not covered


@pytest.fixture
def committee(world, personas) -> Committee:
    w = world
    body = body_create(
        actor=personas.street_njxl,
        node=w.cluster,
        name="恒隆广场楼宇事务委员会",
        kind=BodyKind.BUILDING_COMMITTEE,
        buildings=[w.henglong, w.citic],
    )
    other_ent = enterprise_in(w.citic, name="中信测试律师事务所")
    convener = person_user("convener_henglong", w.ent_a, "陈召集")
    secretary = person_user("secretary_henglong", w.ent_a, "刘秘书")
    members = [person_user(f"member_{i}", other_ent, f"成员{i}") for i in range(3)]
    rows = {}
    for user, role in [
        (convener, MemberRole.CONVENER),
        (secretary, MemberRole.SECRETARY),
        *[(m, MemberRole.MEMBER) for m in members],
    ]:
        rows[user.username] = body_member_add(actor=personas.street_njxl, body=body, role=role, person=user.person)
    employees = [person_user(f"employee_{i}", w.ent_a if i % 2 else other_ent, f"白领{i}") for i in range(4)]
    outsider = person_user("outsider", w.ent_b, "外街员工")
    return Committee(body, convener, secretary, members, rows, employees, outsider)


@pytest.fixture
def soon():
    def _soon(days=3, hour=14):
        start = (timezone.localtime() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
        return start, start + timedelta(hours=2)

    return _soon
