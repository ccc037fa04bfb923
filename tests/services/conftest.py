"""A chief service team in miniature: two departments, catalogue items, staff, a rota, a team lead."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from govcube.accounts.models import User
from govcube.accounts.roles import Role
from govcube.services.models import Department, Domain, RotaEntry, ServiceItem
from govcube.services.services import service_item_create
from tests.factories import user_with_role


@dataclass
class Desk:
    hr: Department
    tax: Department
    permit: ServiceItem
    invoice: ServiceItem
    hr_member: User
    hr_coordinator: User
    tax_member: User
    lead: User
    contact: User


@pytest.fixture
def desk(world, personas) -> Desk:
    w = world
    hr_member = user_with_role("service_hr", Role.SERVICE_MEMBER, w.district)
    hr_coordinator = user_with_role("hr_coordinator", Role.SERVICE_MEMBER, w.district)
    tax_member = user_with_role("service_tax", Role.SERVICE_MEMBER, w.district)
    lead = user_with_role("service_lead", Role.SERVICE_LEAD, w.district)
    hr = Department.objects.create(
        name="静安区人力资源和社会保障局", short_name="区人社局", district=w.district, coordinator=hr_coordinator
    )
    hr.staff.set([hr_member, hr_coordinator])
    tax = Department.objects.create(
        name="静安区税务局", short_name="区税务局", district=w.district, coordinator=tax_member
    )
    tax.staff.set([tax_member])
    permit = service_item_create(
        actor=personas.district_admin,
        domain=Domain.TALENT,
        code="talent.work_permit",
        name="外国人来华工作许可",
        department=hr,
        first_response_hours=Decimal("4"),
        update_hours=Decimal("16"),
        resolution_days=5,
        documents=["护照", "学历证明", "劳动合同"],
    )
    invoice = service_item_create(
        actor=personas.district_admin,
        domain=Domain.FINANCE,
        code="finance.invoice",
        name="发票申领",
        department=tax,
        first_response_hours=Decimal("4"),
        update_hours=Decimal("16"),
        resolution_days=3,
    )
    RotaEntry.objects.create(department=hr, building=w.henglong, member=hr_member)
    return Desk(hr, tax, permit, invoice, hr_member, hr_coordinator, tax_member, lead, personas.contact_a)
