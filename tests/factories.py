"""Factories and the standard small world the tests share.

The world mirrors the demo in miniature: 上海市 > 静安区 > 南京西路街道 (street A, with a block
grid, a cluster grid and Hang Lung Plaza) and 静安寺街道 (street B, with one building).
Personas are the demo's usernames: street_njxl sees street A only, street_jas street B only.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import factory
from stdnum.cn import uscc as uscc_mod

from govcube.accounts.models import RoleAssignment, User
from govcube.directory.models import Enterprise, Industry, Person, Tenancy
from govcube.territory.models import Building, Node, NodeKind

PASSWORD = "Correct-Horse-42!"
_seq = itertools.count(1)


def make_uscc(n: int) -> str:
    """A valid USCC: 9131 0106 + 9-digit organisation code (with its own check) + check digit."""
    from stdnum.cn import uscc as m

    body = "91310106" + f"{n:08d}"[-8:]
    # organisation code check digit (GB 11714)
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    org = body[8:16]
    total = sum(alphabet.index(c) * w for c, w in zip(org, weights, strict=True))
    check = 11 - total % 11
    org_check = "0" if check == 11 else "X" if check == 10 else str(check)
    body += org_check
    return body + m.calc_check_digit(body)


def child(parent: Node | None, kind: str, name: str) -> Node:
    code = f"T{next(_seq):05d}"
    values = {"kind": kind, "name": name, "code": code}
    node = Node.objects.add_root(values) if parent is None else Node.objects.add_child(parent, values)
    node.district_id = node.pk if kind == NodeKind.DISTRICT else (parent.district_id if parent else None)
    node.street_id = node.pk if kind == NodeKind.STREET else (parent.street_id if parent else None)
    node.save(update_fields=["district", "street"])
    return node


def building(parent: Node, name: str, **fields) -> Building:
    node = child(parent, NodeKind.BUILDING_GRID, name)
    fields.setdefault("address", f"{name}地址")
    return Building.objects.create(
        node=node, name=name, district_id=node.district_id, street_id=node.street_id, **fields
    )


def industry(code: str = "L", name: str = "租赁和商务服务业") -> Industry:
    obj, _ = Industry.objects.get_or_create(code=code, defaults={"name": name})
    return obj


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.Sequence(lambda n: make_uscc(n + 1))
    name = factory.Sequence(lambda n: f"上海测试企业{n}有限公司")
    industry = factory.LazyFunction(industry)
    headcount = 50
    party_member_count = 5


def enterprise_in(b: Building, **fields) -> Enterprise:
    e = EnterpriseFactory(**fields)
    e.set_scope(b.node)
    e.save()
    Tenancy.objects.create(enterprise=e, building=b, floor="10", start=date(2020, 1, 1))
    return e


def person_in(e: Enterprise, name: str = "张伟", mobile: str = "", **fields) -> Person:
    p = Person(name=name, mobile=mobile, employer=e, **fields)
    p.set_scope(e.node)
    p.save()
    return p


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol_totp(user: User) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)


def user_with_role(username: str, role: str | None = None, node: Node | None = None, enterprise=None) -> User:
    """A user holding one role; roles that require a second factor get a TOTP authenticator."""
    from govcube.accounts.roles import SECOND_FACTOR_ROLES

    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    if role:
        RoleAssignment.objects.create(user=user, role=role, node=node, enterprise=enterprise)
        if role in SECOND_FACTOR_ROLES:
            enrol_totp(user)
    return user


_mobiles = itertools.count(1)


def person_user(
    username: str, employer: Enterprise, name: str = "", role: str | None = None, node: Node | None = None
) -> User:
    """A person working for ``employer`` with an account linked to them (and optionally a territory role)."""
    person = person_in(employer, name or username, f"1501{next(_mobiles):07d}")
    user = user_with_role(username, role, node)
    user.person = person
    user.save(update_fields=["person"])
    return user


@dataclass
class World:
    city: Node
    district: Node
    street_a: Node
    street_b: Node
    block: Node
    cluster: Node
    henglong: Building
    citic: Building
    jas_building: Building
    ent_a: Enterprise
    ent_b: Enterprise
    person_a: Person
    person_b: Person


def make_world() -> World:
    city = child(None, NodeKind.CITY, "上海市")
    district = child(city, NodeKind.DISTRICT, "静安区")
    street_a = child(district, NodeKind.STREET, "南京西路街道")
    street_b = child(district, NodeKind.STREET, "静安寺街道")
    block = child(street_a, NodeKind.BLOCK_GRID, "南京西路商圈街区网格")
    cluster = child(block, NodeKind.CLUSTER_GRID, "恒隆楼群网格")
    henglong = building(cluster, "恒隆广场", is_key=True, floors=66)
    citic = building(cluster, "中信泰富广场", is_key=True, floors=38)
    jas_building = building(street_b, "静安寺广场", floors=20)
    ent_a = enterprise_in(henglong, name="恒隆测试咨询有限公司")
    ent_b = enterprise_in(jas_building, name="静安寺测试贸易有限公司")
    person_a = person_in(ent_a, "李娜", "13812345678", is_party_member=True)
    person_b = person_in(ent_b, "王芳", "13987654321")
    return World(
        city,
        district,
        street_a,
        street_b,
        block,
        cluster,
        henglong,
        citic,
        jas_building,
        ent_a,
        ent_b,
        person_a,
        person_b,
    )


__all__ = ["PASSWORD", "World", "make_world", "user_with_role", "make_uscc", "uscc_mod"]
