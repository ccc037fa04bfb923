"""Journey: the Nanjing West Road street official signs in and walks the territory to a building."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from govcube.accounts.roles import Role
from tests.factories import PASSWORD, make_world, user_with_role

pytestmark = pytest.mark.e2e

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def world(transactional_db):
    # transactional_db (implied by live_server as well): the rows must be committed for the
    # live server's thread to see them.
    return make_world()


@pytest.fixture
def street_njxl(world):
    return user_with_role("street_njxl", Role.STREET_OFFICIAL, world.street_a)


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("form:has(input[name='login'])")
    form.locator("input[name='login']").fill(username)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("button[type='submit'], input[type='submit']").first.click()
    # Signed in means: away from the login page, with the navigation a signed-in user gets.
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("nav a[href='/accounts/'], nav a[href='/me/']").first).to_be_visible()


def open_nav(page: Page, href: str) -> None:
    """Open the navigation group that holds ``href`` (the menu is grouped), then the entry."""
    page.locator(f"nav .dropdown:has(a[href='{href}']) > button").click()
    page.locator(f"nav a[href='{href}']").click()


def test_street_official_walks_the_tree_to_hang_lung_plaza(page, screenshot, street_njxl, world):
    sign_in(page, "street_njxl")

    open_nav(page, "/territory/")
    expect(page).to_have_url(re.compile(r"/territory/$"))
    # The street official's tree starts at his street: the district is not his to browse.
    expect(page.get_by_role("link", name="静安区")).to_have_count(0)

    for name in ["南京西路街道", "南京西路商圈街区网格", "恒隆楼群网格", "恒隆广场"]:
        # .first: a cluster page links its buildings twice (tree children, then "Buildings here").
        page.locator("main").get_by_role("link", name=name).first.click()
        expect(page.locator("h1")).to_contain_text(name)

    tenants = page.get_by_test_id("current-tenants")
    expect(tenants).to_contain_text("恒隆测试咨询有限公司")
    expect(tenants).not_to_contain_text("静安寺测试贸易有限公司")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("#gc-language").input_value() == "zh-hans"
    assert CJK.search(page.locator("main").inner_text())
    path = screenshot("hang-lung-plaza")
    assert path.is_file() and path.stat().st_size > 10_000


def test_street_official_gets_404_for_another_streets_building(page, screenshot, street_njxl, world):
    sign_in(page, "street_njxl")

    response = page.goto(f"/territory/buildings/{world.jas_building.pk}/")
    assert response is not None and response.status == 404
    body = page.locator("body").inner_text()
    assert "静安寺广场" not in body and "静安寺测试贸易有限公司" not in body
    screenshot("not-found")

    # The same URL pattern works for his own street's building: the 404 is about scope, not the route.
    response = page.goto(f"/territory/buildings/{world.henglong.pk}/")
    assert response is not None and response.status == 200
    expect(page.get_by_test_id("current-tenants")).to_contain_text("恒隆测试咨询有限公司")
