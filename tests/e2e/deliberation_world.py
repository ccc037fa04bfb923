"""The Hang Lung Plaza committee for the browser journey, and small helpers the journey shares.

The data is the same as ``tests/conftest.py``'s ``committee`` fixture (built with the same
factory and service calls), but committed: the live server's thread must see the rows, so the journey
builds it under ``transactional_db`` instead of using that fixture (which depends on ``db``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import Page, expect

from govcube.accounts.models import User
from govcube.accounts.roles import Role
from govcube.bodies.models import Body, BodyKind, BodyMember, MemberRole
from govcube.bodies.services import body_create, body_member_add
from tests.factories import PASSWORD, World, enterprise_in, person_user, user_with_role

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


@dataclass
class Committee:
    world: World
    body: Body
    street_official: User
    convener: User
    secretary: User
    members: list[User]
    member_rows: dict[str, BodyMember]
    employees: list[User]
    outsider: User  # works in 静安寺街道, not covered

    @property
    def people_names(self) -> list[str]:
        """Every person's name and user name: none of them may reach a public page."""
        users = [self.convener, self.secretary, *self.members, *self.employees, self.outsider]
        return [u.person.name for u in users] + [u.username for u in users]


def build_committee(world: World) -> Committee:
    w = world
    street_njxl = user_with_role("street_njxl", Role.STREET_OFFICIAL, w.street_a)
    body = body_create(
        actor=street_njxl,
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
        rows[user.username] = body_member_add(actor=street_njxl, body=body, role=role, person=user.person)
    employees = [person_user(f"employee_{i}", w.ent_a if i % 2 else other_ent, f"白领{i}") for i in range(4)]
    outsider = person_user("outsider", w.ent_b, "外街员工")
    return Committee(w, body, street_njxl, convener, secretary, members, rows, employees, outsider)


# --- What the browser reads ----------------------------------------------------------------------


def zh(message: str, **values) -> str:
    """A UI string as the zh-Hans page shows it (the English source until the translations land)."""
    with translation.override("zh-hans"):
        text = gettext(message)
    return text % values if values else text


def zh_n(singular: str, plural: str, n: int, **values) -> str:
    with translation.override("zh-hans"):
        text = ngettext(singular, plural, n)
    return text % ({"n": n} | values)


def field(text: str) -> re.Pattern:
    """A form label exactly, whether or not the required-field asterisk follows it."""
    return re.compile(rf"^\s*{re.escape(text)}(\s*\*)?\s*$")


def sign_in(page: Page, username: str, *, viewport: dict = WIDE) -> None:
    """Another person on another device: a clean cookie jar, their screen size, the login form."""
    page.context.clear_cookies()
    page.set_viewport_size(viewport)
    page.goto("/accounts/login/")
    form = page.locator("form:has(input[name='login'])")
    form.locator("input[name='login']").fill(username)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("button[type='submit'], input[type='submit']").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    # Signed in: the navigation carries the sign-out form (collapsed behind the menu on a phone).
    expect(page.locator("nav form[action='/accounts/logout/']")).to_have_count(1)


def overflow_px(page: Page) -> int:
    """How far the page reaches past the right edge of the screen (a phone user would scroll sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def sign_out(page: Page) -> None:
    """An anonymous visitor: nobody's session."""
    page.context.clear_cookies()
