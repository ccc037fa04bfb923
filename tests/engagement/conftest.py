from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from govcube.accounts.models import User
from govcube.accounts.roles import Role
from govcube.engagement.services import liaison_assign, petition_submit
from govcube.services.models import Department
from tests.factories import person_user, user_with_role


@pytest.fixture
def cadres(world, personas):
    """Two liaison cadres of 南京西路街道 (the role at the street), wang assigned to 恒隆广场."""
    wang = person_user("cadre_wang", world.ent_a, "王包联", role=Role.LIAISON_CADRE, node=world.street_a)
    zhao = person_user("cadre_zhao", world.ent_a, "赵包联", role=Role.LIAISON_CADRE, node=world.street_a)
    assignment = liaison_assign(actor=personas.street_njxl, building=world.henglong, cadre=wang)
    return wang, zhao, assignment


# --- Special petitions ----------------------------------------------------------------------------


@dataclass
class Departments:
    """Two departments a committee sends petitions to; their staff hold no territory role, so what
    they see of petitions comes from their departments alone."""

    housing: Department  # acknowledge in 2 working days, answer in 10
    tax: Department  # acknowledge in 1, answer in 5
    housing_staff: User
    housing_coordinator: User
    tax_staff: User


@pytest.fixture
def departments(world) -> Departments:
    housing_staff = user_with_role("housing_staff")
    housing_coordinator = user_with_role("housing_coordinator")
    tax_staff = user_with_role("tax_staff")
    housing = Department.objects.create(
        name="静安区房屋管理局",
        short_name="区房管局",
        district=world.district,
        coordinator=housing_coordinator,
        petition_acknowledge_days=2,
        petition_answer_days=10,
    )
    housing.staff.set([housing_staff])
    tax = Department.objects.create(
        name="静安区税务局",
        short_name="区税务局",
        district=world.district,
        coordinator=tax_staff,
        petition_acknowledge_days=1,
        petition_answer_days=5,
    )
    tax.staff.set([tax_staff])
    return Departments(housing, tax, housing_staff, housing_coordinator, tax_staff)


def on_day(monkeypatch, day: date, hour: int = 10) -> None:
    """Make ``timezone.now()`` (and so ``localdate()``) a moment of ``day`` in Shanghai. The roles and
    memberships the fixtures made today are dated back so they are in force on that day too."""
    from govcube.accounts.models import RoleAssignment
    from govcube.bodies.models import BodyMember

    RoleAssignment.objects.filter(valid_from__gt=day).update(valid_from=date(2020, 1, 1))
    BodyMember.objects.filter(start__gt=day).update(start=date(2020, 1, 1))
    moment = datetime.combine(day, time(hour), tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def send(committee, departments, world):
    """``send(**overrides)``: the convener sends a petition about 恒隆广场 to the housing bureau."""

    def _send(**overrides):
        values = {
            "actor": committee.convener,
            "body": committee.body,
            "building": world.henglong,
            "title": "地下车库渗水",
            "text": "车库渗水三个月未解决，物业无力处理。",
            "departments": [departments.housing],
        }
        values.update(overrides)
        return petition_submit(**values)

    return _send


@pytest.fixture
def passed_decision(committee):
    """A passed decision of the committee's meeting (with the topic it decided)."""
    from govcube.deliberation.models import AgendaItem, Decision, Meeting, Topic

    c = committee
    topic = Topic.objects.create(
        body=c.body, title="车库渗水", text="<p>车库渗水</p>", proposer=c.convener.person, status="decided"
    )
    start = timezone.now() - timedelta(days=3)
    meeting = Meeting.objects.create(
        body=c.body,
        title="十一月例会",
        status="ended",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="会议室",
    )
    item = AgendaItem.objects.create(meeting=meeting, title="车库渗水", topic=topic)
    return Decision.objects.create(item=item, text="提请区房管局协调维修", method="show_of_hands", passed=True)
