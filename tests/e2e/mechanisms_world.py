"""The Hang Lung Plaza committee with everything its mechanisms need, for the mechanisms' browser journeys.

On top of the committee of ``deliberation_world`` (built the same way, committed: the live server's
thread must see the rows, so the journeys build it under ``transactional_db``):

- a liaison cadre of 南京西路街道, working at the street office (not in a covered building), who looks
  after 恒隆广场;
- the enterprise contacts of two tenants of the covered buildings (恒隆广场 and 中信泰富广场), who
  claim projects;
- two district departments that receive special petitions, each with one member of staff.

Also here: a real PNG to upload, and the clock of the petition journey (deadlines moved into the past).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from govcube.accounts.models import RoleAssignment, User
from govcube.accounts.roles import Role
from govcube.directory.models import Enterprise
from govcube.engagement.models import PetitionReminder, PetitionTarget, VisitKind
from govcube.engagement.services import liaison_assign
from govcube.services.models import Department
from tests.e2e.deliberation_world import Committee, build_committee
from tests.factories import World, building, enterprise_in, person_user, user_with_role

CITIC_TENANT = "中信测试律师事务所"  # made by build_committee: a tenant of 中信泰富广场


@dataclass
class MechanismsWorld:
    committee: Committee
    cadre: User  # liaison cadre of 南京西路街道, assigned to 恒隆广场
    enterprise: Enterprise  # 恒隆测试咨询有限公司, a tenant of 恒隆广场
    other_enterprise: Enterprise  # 中信测试律师事务所, a tenant of 中信泰富广场
    contact: User  # the enterprise contact of ``enterprise``
    other_contact: User  # the enterprise contact of ``other_enterprise``
    housing: Department  # acknowledges in 2 working days, answers in 10
    enforcement: Department  # acknowledges in 1 working day, answers in 5
    housing_staff: User
    enforcement_staff: User

    @property
    def world(self) -> World:
        return self.committee.world

    @property
    def body(self):
        return self.committee.body


def enterprise_contact(username: str, enterprise: Enterprise, name: str) -> User:
    """The enterprise's contact on GovCube, who also works there."""
    user = person_user(username, enterprise, name)
    RoleAssignment.objects.create(user=user, role=Role.ENTERPRISE_CONTACT, enterprise=enterprise)
    return user


def ensure_visit_kinds() -> None:
    """The four visits the data migration loads (a flush by an earlier browser test removes them)."""
    import importlib

    kinds = importlib.import_module("govcube.engagement.migrations.0002_visit_kinds")
    for code, name, name_en, name_ja, order in kinds.KINDS:
        VisitKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "name_ja": name_ja, "order": order}
        )


def build_mechanisms_world(world: World) -> MechanismsWorld:
    ensure_visit_kinds()
    c = build_committee(world)
    w = world
    # The cadre works at the street office, in a building the committee does not cover: what lets
    # them pass a finding on to the committee is their liaison assignment, not where they work.
    office = enterprise_in(building(w.block, "南京西路街道办事处", floors=6), name="南京西路街道办事处")
    cadre = person_user("cadre_wang", office, "王包联", role=Role.LIAISON_CADRE, node=w.street_a)
    liaison_assign(actor=c.street_official, building=w.henglong, cadre=cadre)

    other_enterprise = Enterprise.objects.get(name=CITIC_TENANT)
    contact = enterprise_contact("contact_henglong", w.ent_a, "周敏")
    other_contact = enterprise_contact("contact_citic", other_enterprise, "吴强")

    housing_staff = user_with_role("housing_staff")
    enforcement_staff = user_with_role("enforcement_staff")
    housing = Department.objects.create(
        name="静安区房屋管理局",
        short_name="区房管局",
        district=w.district,
        coordinator=housing_staff,
        petition_acknowledge_days=2,
        petition_answer_days=10,
    )
    housing.staff.set([housing_staff])
    enforcement = Department.objects.create(
        name="静安区城市管理行政执法局",
        short_name="区城管执法局",
        district=w.district,
        coordinator=enforcement_staff,
        petition_acknowledge_days=1,
        petition_answer_days=5,
    )
    enforcement.staff.set([enforcement_staff])
    return MechanismsWorld(
        c,
        cadre,
        w.ent_a,
        other_enterprise,
        contact,
        other_contact,
        housing,
        enforcement,
        housing_staff,
        enforcement_staff,
    )


# --- A photo to upload ---------------------------------------------------------------------------


def write_png(path: Path, width: int = 96, height: int = 64) -> Path:
    """A real PNG (8-bit RGB, a blue-to-green gradient with a white band), as a phone camera would give."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            if height // 3 <= y < height // 3 + 6:
                rows += b"\xff\xff\xff"
            else:
                rows += bytes((30, 80 + (150 * y) // height, 200 - (150 * x) // width))
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(png)
    return path


# --- The petition journey's clock ----------------------------------------------------------------


def let_days_pass(target: PetitionTarget, *, answer_due: date) -> None:
    """Days pass for one department: its deadlines move back so that the answer was due on ``answer_due``.

    Moving the deadlines is how the journey makes time pass (the sweep compares them with today). The
    reminders the sweep already sent for this department move back with them, as they would have if the
    days had really passed: they are keyed on the deadline they were about, so the sweep does not take a
    deadline it already acted on for a new one.
    """
    target.refresh_from_db()
    delta = answer_due - target.answer_by
    PetitionTarget.objects.filter(pk=target.pk).update(
        acknowledge_by=target.acknowledge_by + delta, answer_by=target.answer_by + delta
    )
    for reminder in PetitionReminder.objects.filter(target=target).order_by("due", "pk"):
        PetitionReminder.objects.filter(pk=reminder.pk).update(due=reminder.due + delta)
    target.refresh_from_db()
