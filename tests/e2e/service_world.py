"""Bohua Building (博华大厦) and a chief service team in miniature, for the service desk's browser journeys.

The data follows ``tests/services/conftest.py``'s ``desk`` fixture (the same departments, items, staff and
rota, built with the same factories and service calls), moved to a building of its own in street A with two
tenant enterprises, each with an enterprise contact who is also a person of the enterprise. It is committed:
the live server's thread must see the rows, so the journeys build it under ``transactional_db``.

Also here: the small helpers the service journeys share (the phone navigation, a desk panel, a second device).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Browser, Page

from govcube.accounts.models import RoleAssignment, User
from govcube.accounts.roles import Role
from govcube.directory.models import Enterprise
from govcube.services.models import Department, Domain, RotaEntry, ServiceDay, ServiceDaySlot, ServiceItem
from govcube.services.services import service_item_create
from govcube.territory.models import Building
from tests.e2e.deliberation_world import zh
from tests.factories import World, building, enterprise_in, person_user, user_with_role

BOHUA = "博华大厦"


@dataclass
class ServiceWorld:
    world: World
    bohua: Building
    enterprise: Enterprise
    other_enterprise: Enterprise
    contact: User  # the enterprise contact of ``enterprise`` (a person of it as well)
    other_contact: User  # the same for ``other_enterprise``
    hr: Department
    tax: Department
    permit: ServiceItem
    invoice: ServiceItem
    hr_member: User  # on the rota for 博华大厦
    hr_coordinator: User
    tax_member: User
    lead: User


def enterprise_contact(username: str, enterprise: Enterprise, name: str) -> User:
    """The enterprise's contact on GovCube, who also works there (so the requests carry a requester)."""
    user = person_user(username, enterprise, name)
    RoleAssignment.objects.create(user=user, role=Role.ENTERPRISE_CONTACT, enterprise=enterprise)
    return user


def build_service_world(world: World) -> ServiceWorld:
    w = world
    admin = user_with_role("district_admin", Role.SYSTEM_ADMIN, w.district)
    bohua = building(w.block, BOHUA, floors=32)
    enterprise = enterprise_in(bohua, name="博华测试科技有限公司")
    other_enterprise = enterprise_in(bohua, name="博华测试贸易有限公司")
    contact = enterprise_contact("contact_bohua", enterprise, "周敏")
    other_contact = enterprise_contact("contact_bohua_2", other_enterprise, "吴强")

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
        actor=admin,
        domain=Domain.TALENT,
        code="talent.work_permit",
        name="外国人来华工作许可",
        department=hr,
        first_response_hours=Decimal("4"),
        update_hours=Decimal("16"),
        resolution_days=5,
        documents=["护照", "学历证明", "劳动合同"],
        guide="外籍人员来华工作前，由用人单位在线申请工作许可。",
    )
    invoice = service_item_create(
        actor=admin,
        domain=Domain.FINANCE,
        code="finance.invoice",
        name="发票申领",
        department=tax,
        first_response_hours=Decimal("4"),
        update_hours=Decimal("16"),
        resolution_days=3,
    )
    RotaEntry.objects.create(department=hr, building=bohua, member=hr_member)
    RotaEntry.objects.create(department=tax, building=bohua, member=tax_member)
    return ServiceWorld(
        w,
        bohua,
        enterprise,
        other_enterprise,
        contact,
        other_contact,
        hr,
        tax,
        permit,
        invoice,
        hr_member,
        hr_coordinator,
        tax_member,
        lead,
    )


def move_day_to_now(day: ServiceDay) -> ServiceDay:
    """The afternoon has come: the day (and its slots) moved so it runs now, on today's date.

    It starts at the last full hour before now (never before today's midnight, so check-in is open and
    the requests filed now count as the day's) and keeps its length and its slots' spacing.
    """
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1), midnight)
    shift = start - timezone.localtime(day.starts_at)
    ServiceDay.objects.filter(pk=day.pk).update(starts_at=day.starts_at + shift, ends_at=day.ends_at + shift)
    for slot in ServiceDaySlot.objects.filter(day=day):
        ServiceDaySlot.objects.filter(pk=slot.pk).update(starts_at=slot.starts_at + shift)
    day.refresh_from_db()
    return day


# --- What the browser does -----------------------------------------------------------------------


def zh_pattern(message: str, **literal) -> re.Pattern:
    """A zh-Hans UI string with its unknown placeholders as wildcards ("%(time)s left" → "剩余 .+")."""
    text = zh(message)
    parts = re.split(r"(%\(\w+\)s)", text)
    out = []
    for part in parts:
        name = re.fullmatch(r"%\((\w+)\)s", part)
        if name:
            out.append(re.escape(str(literal[name[1]])) if name[1] in literal else ".+")
        else:
            out.append(re.escape(part))
    return re.compile("".join(out))


def open_nav(page: Page, href: str) -> None:
    """The navigation entry for ``href``: behind the menu button on a phone, in its group's dropdown."""
    toggler = page.locator("nav .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.locator(f"nav .dropdown:has(a[href='{href}']) > button").click()
    page.locator(f"nav a[href='{href}']").click()


def desk_panel(page: Page, title: str | re.Pattern):
    """A panel of the desk (core/home.html), found by its heading."""
    return page.locator("section.card").filter(has=page.get_by_role("heading", name=title))


def new_device(browser: Browser, base_url: str, viewport: dict, server_errors: list[str]) -> Page:
    """A second person's own device (its own cookies), set up like the ``page`` fixture's."""
    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.on(
        "response",
        lambda response: (
            server_errors.append(f"{response.status} {response.request.method} {response.url}")
            if response.status >= 500
            else None
        ),
    )
    return tab
