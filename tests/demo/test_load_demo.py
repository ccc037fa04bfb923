"""The Jing'an demo, loaded once for this module through ``manage.py load_demo``.

The load runs inside a transaction that is rolled back after the module; every test runs
in its own savepoint inside it (pytest-django's ``db``), so tests that change data
(``demo_remove``) leave the demo intact for the others.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from stdnum.cn import uscc

from govcube.accounts.demo_guard import demo_accounts_present, refuse_demo_accounts_in_production
from govcube.accounts.models import RoleAssignment, User
from govcube.audit.models import AuditEvent
from govcube.audit.services import audit_verify
from govcube.demo.content import DEMO_ACCOUNTS
from govcube.directory.models import Enterprise, PartyOrganisation, PartyOrgKind, Person, Tenancy
from govcube.territory.models import Building, GridChief, Node, NodeKind, Tier
from govcube.territory.services import building_recompute_tier
from govcube.territory.tiers import compute_tier

pytestmark = pytest.mark.django_db

STREETS = {
    "静安寺街道",
    "南京西路街道",
    "江宁路街道",
    "石门二路街道",
    "曹家渡街道",
    "天目西路街道",
    "北站街道",
    "宝山路街道",
    "共和新路街道",
    "大宁路街道",
    "彭浦新村街道",
    "临汾路街道",
    "芷江西路街道",
    "彭浦镇",
}
HENGLONG = "恒隆广场"


def _service_team_accounts() -> set[str]:
    from govcube.demo.services_content import DEPARTMENTS

    members = [m for d in DEPARTMENTS for m in (d.coordinator, *d.staff) if m is not None]
    return {m.username for m in members if not m.person.startswith("@")}


def _liaison_cadre_accounts() -> set[str]:
    from govcube.demo.engagement_content import CADRES

    return {spec.username for spec in CADRES}


def _mechanism_accounts() -> set[str]:
    from govcube.demo.mechanisms_content import ACCOUNTS

    return {spec.username for spec in ACCOUNTS}


# DESIGN.md's persona table: username → (role, scopes).
ACCOUNTS = {
    "district_admin": ("system_admin", {"静安区"}),
    "district_security": ("security_admin", {"静安区"}),
    "district_auditor": ("auditor", {"静安区"}),
    "district_leader": ("district_leader", {"静安区"}),
    "street_njxl": ("street_official", {"南京西路街道"}),
    "street_jas": ("street_official", {"静安寺街道"}),
    "grid_chief_henglong": ("grid_chief", {HENGLONG}),
    "grid_worker_henglong": ("grid_worker", {HENGLONG}),
    "liaison_wang": ("liaison_cadre", {HENGLONG, "中信泰富广场", "静安嘉里中心"}),
    "convener_henglong": ("convener", {HENGLONG}),
    "secretary_henglong": ("secretary", {HENGLONG}),
    "employee_henglong_1": ("employee", {HENGLONG}),
    "employee_henglong_2": ("employee", {HENGLONG}),
    "employee_henglong_3": ("employee", {HENGLONG}),
    "service_hr": ("service_member", {"静安区"}),
    "service_tax": ("service_member", {"静安区"}),
    "service_lead": ("service_lead", {"静安区"}),
    "alliance_lead": ("alliance_lead", {"静安区"}),
    "expert_li": ("expert", {"静安区"}),
}

# The 20 personas plus the invented accounts of the service team (demo/services_content.py), the
# liaison cadres (demo/engagement_content.py) and the contacts and employees of demo/mechanisms_content.py.
DEMO_ACCOUNT_COUNT = len(
    {spec.username for spec in DEMO_ACCOUNTS}
    | _service_team_accounts()
    | _liaison_cadre_accounts()
    | _mechanism_accounts()
)
SECOND_FACTOR = {"district_admin", "district_security", "district_auditor", "district_leader"}
PASSWORD = "GovCube-Demo-2026"


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        out = StringIO()
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("load_demo", stdout=out)
    try:
        yield out.getvalue()
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_output, db):
    return demo_output


def parent_of(node):
    return Node.objects.get(path=node.path[: -Node.steplen])


def njxl_business_district_buildings():
    njxl = Node.objects.get(kind=NodeKind.STREET, name="南京西路街道")
    blocks = list(Node.objects.filter(kind=NodeKind.BLOCK_GRID, path__startswith=njxl.path))
    paths = [block.path for block in blocks]
    buildings = [b for b in Building.objects.select_related("node") if any(b.node.path.startswith(p) for p in paths)]
    return njxl, blocks, buildings


def test_it_builds_the_district_with_its_14_streets(demo):
    city = Node.objects.get(kind=NodeKind.CITY)
    district = Node.objects.get(kind=NodeKind.DISTRICT)
    assert (city.name, district.name) == ("上海市", "静安区")
    assert parent_of(district) == city
    streets = Node.objects.filter(kind=NodeKind.STREET)
    assert {s.name for s in streets} == STREETS
    assert all(s.district_id == district.pk and parent_of(s) == district for s in streets)


def test_the_nanjing_west_road_business_district_grids_27_buildings(demo):
    njxl, blocks, buildings = njxl_business_district_buildings()
    assert len(blocks) == 2
    clusters = Node.objects.filter(kind=NodeKind.CLUSTER_GRID, path__startswith=njxl.path)
    assert 6 <= clusters.count() <= 8
    assert len(buildings) == 27
    assert {parent_of(b.node).kind for b in buildings} == {NodeKind.CLUSTER_GRID}
    assert all(b.street_id == njxl.pk for b in buildings)


def test_there_are_exactly_50_key_buildings(demo):
    assert Building.objects.filter(is_key=True).count() == 50
    assert Building.objects.filter(is_key=False).exists()


def test_tiers_are_computed_from_twelve_months_of_2025_tax(demo):
    for building in Building.objects.prefetch_related("tax_records"):
        records = [(r.month, r.amount) for r in building.tax_records.all()]
        assert sorted(m.month for m, _ in records) == list(range(1, 13))
        assert {m.year for m, _ in records} == {2025}
        expected = compute_tier(records)
        assert (building.tier, building.tier_year, building.annual_tax) == (
            expected.tier,
            expected.year,
            expected.annual,
        )
        recomputed = building_recompute_tier(building)
        assert recomputed.tier == expected.tier


def test_5_monthly_and_21_billion_buildings_among_the_key_buildings(demo):
    monthly = set(Building.objects.filter(tier=Tier.MONTHLY_BILLION).values_list("name", flat=True))
    billion = set(Building.objects.filter(tier=Tier.BILLION).values_list("name", flat=True))
    assert len(monthly) == 5 and HENGLONG in monthly
    assert len(billion) == 21 and "博华大厦" in billion
    assert not Building.objects.filter(is_key=False).exclude(tier=Tier.OTHER).exists()


def test_henglong_sits_on_nanjing_west_road(demo):
    henglong = Building.objects.get(name=HENGLONG)
    assert henglong.address == "南京西路1266号"
    assert 31.22 <= float(henglong.latitude) <= 31.24 and 121.44 <= float(henglong.longitude) <= 121.46


def test_every_enterprise_has_a_valid_unified_social_credit_code(demo):
    codes = list(Enterprise.objects.values_list("uscc", flat=True))
    assert 300 <= len(codes) <= 600
    assert all(uscc.is_valid(code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert not Enterprise.objects.filter(industry__section__isnull=True).exists()


def test_each_enterprise_has_one_current_tenancy_and_some_moved(demo):
    current = {t.enterprise_id: t for t in Tenancy.objects.current().select_related("building")}
    enterprises = list(Enterprise.objects.all())
    assert set(current) == {e.pk for e in enterprises}
    assert Tenancy.objects.current().count() == len(enterprises)
    assert all(current[e.pk].building.node_id == e.node_id for e in enterprises)
    assert Tenancy.objects.past().count() >= len(enterprises) // 10


def test_the_global_service_provider_alliance_has_32_members(demo):
    assert Enterprise.objects.filter(is_global_service_provider=True).count() == 32


def test_every_building_grid_of_the_27_has_two_grid_chiefs(demo):
    _njxl, _blocks, buildings = njxl_business_district_buildings()
    for building in buildings:
        kinds = sorted(GridChief.objects.filter(node=building.node).values_list("kind", flat=True))
        assert kinds == ["convener", "worker"], building.name


def test_party_organisations_cover_every_enterprise_and_key_building(demo):
    covered = set(PartyOrganisation.enterprises.through.objects.values_list("enterprise_id", flat=True))
    assert covered == set(Enterprise.objects.values_list("pk", flat=True))
    committees = PartyOrganisation.objects.filter(kind=PartyOrgKind.COMMITTEE, name__endswith="楼宇联合党委")
    in_committees = set(committees.values_list("buildings__pk", flat=True))
    assert set(Building.objects.filter(is_key=True).values_list("pk", flat=True)) <= in_committees
    assert PartyOrganisation.objects.filter(kind=PartyOrgKind.JOINT_BRANCH).exists()
    assert not PartyOrganisation.objects.filter(parent__isnull=True).exclude(kind=PartyOrgKind.COMMITTEE).exists()


def test_people_have_valid_unique_mobiles_and_some_are_party_members(demo):
    mobiles = list(Person.objects.values_list("mobile", flat=True))
    assert 200 <= len(mobiles) <= 1000
    assert all(re.fullmatch(r"1[3-9]\d{9}", m) for m in mobiles)
    assert len(set(mobiles)) == len(mobiles)
    members = Person.objects.filter(is_party_member=True)
    assert members.exists() and members.count() < len(mobiles)


def test_all_demo_accounts_exist_with_their_roles(demo):
    for username, (role, scopes) in ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert user.is_demo and user.is_active and user.person_id
        assert user.check_password(PASSWORD)
        held = list(RoleAssignment.objects.active().filter(user=user).select_related("node"))
        assert {a.role for a in held} == {role}, username
        assert {a.node.name for a in held} == scopes, username
        assert user.authenticator_set.filter(type="totp").exists() == (username in SECOND_FACTOR)
    contact = User.objects.get(username="contact_bohua")
    assignment = RoleAssignment.objects.get(user=contact)
    assert assignment.role == "enterprise_contact"
    assert assignment.enterprise.node.building.name == "博华大厦"
    assert contact.person.employer == assignment.enterprise
    assert User.objects.filter(is_demo=True).count() == DEMO_ACCOUNT_COUNT


def test_henglong_grid_chief_accounts_are_its_grid_chiefs(demo):
    henglong = Building.objects.get(name=HENGLONG)
    chiefs = dict(GridChief.objects.filter(node=henglong.node).values_list("kind", "person_id"))
    assert User.objects.get(username="grid_chief_henglong").person_id == chiefs["convener"]
    assert User.objects.get(username="grid_worker_henglong").person_id == chiefs["worker"]
    for n in (1, 2, 3):
        person = User.objects.get(username=f"employee_henglong_{n}").person
        assert person.employer.node_id == henglong.node_id


def test_the_load_prints_the_accounts_and_the_password(demo):
    assert "district_admin" in demo and "expert_li" in demo
    assert PASSWORD in demo
    assert "demo_totp" in demo


def test_the_load_is_audited_and_the_chain_verifies(demo):
    assert AuditEvent.objects.filter(action="territory.taxrecord.set").count() == 60 * 12
    assert AuditEvent.objects.filter(action="directory.enterprise.created").count() == Enterprise.objects.count()
    result = audit_verify()
    assert result.ok, result.problems


def test_load_demo_if_empty_changes_nothing(demo):
    def counts():
        return [m.objects.count() for m in (Node, Building, Enterprise, Person, User, AuditEvent)]

    before = counts()
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert counts() == before
    assert "not loaded" in out.getvalue()


def test_load_demo_refuses_a_database_that_has_a_territory(demo):
    before = Node.objects.count()
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert Node.objects.count() == before


def test_demo_remove_deactivates_every_demo_account(demo, settings):
    assert demo_accounts_present()
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        refuse_demo_accounts_in_production()
    out = StringIO()
    call_command("demo_remove", stdout=out)
    assert demo_accounts_present() == []
    refuse_demo_accounts_in_production()  # a production start is now allowed
    for user in User.objects.filter(is_demo=True):
        assert not user.is_active and not user.has_usable_password() and user.person_id is None
        assert not RoleAssignment.objects.active().filter(user=user).exists()
        assert not user.authenticator_set.exists()
    assert AuditEvent.objects.filter(action="demo.account.removed").count() == DEMO_ACCOUNT_COUNT
    assert str(DEMO_ACCOUNT_COUNT) in out.getvalue()
    call_command("demo_remove", stdout=out)  # idempotent
    assert AuditEvent.objects.filter(action="demo.account.removed").count() == DEMO_ACCOUNT_COUNT
