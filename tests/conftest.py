from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govcube.accounts.models import User
from govcube.accounts.roles import Role
from govcube.bodies.models import Body, BodyKind, BodyMember, MemberRole
from govcube.bodies.services import body_create, body_member_add
from tests.factories import PASSWORD, enterprise_in, make_world, person_user, user_with_role


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    from govcube.workdays.calendar import clear_local_cache

    clear_local_cache()
    with translation.override("en"):
        yield
    clear_local_cache()


def restore_migration_data() -> None:
    """Put back what the data migrations load (working-day calendar, industries, visit kinds)."""

    from govcube.demo.services import industries_ensure
    from govcube.directory.models import Industry
    from govcube.engagement.models import VisitKind
    from govcube.workdays.models import CalendarYear
    from govcube.workdays.services import calendar_seed_from_package

    if not Industry.objects.exists():
        industries_ensure()
    if not CalendarYear.objects.exists():
        calendar_seed_from_package()
    if not VisitKind.objects.exists():
        import importlib

        kinds = importlib.import_module("govcube.engagement.migrations.0002_visit_kinds")
        for code, name, name_en, name_ja, order in kinds.KINDS:
            VisitKind.objects.create(code=code, name=name, name_en=name_en, name_ja=name_ja, order=order)


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (browser journeys, real concurrency) ends by flushing the database, data
    migrations' rows included; restore them right after, in autocommit, so any test that runs next
    in this worker finds them — whatever order xdist hands the files out in."""
    yield
    if _transactional(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            restore_migration_data()


@pytest.fixture
def world(db):
    return make_world()


class Personas:
    """The demo's people, one per role, built on the small world."""

    def __init__(self, world):
        self.world = world
        w = world
        self.district_admin = user_with_role("district_admin", Role.SYSTEM_ADMIN, w.district)
        self.district_security = user_with_role("district_security", Role.SECURITY_ADMIN, w.district)
        self.district_auditor = user_with_role("district_auditor", Role.AUDITOR, w.district)
        self.district_leader = user_with_role("district_leader", Role.DISTRICT_LEADER, w.district)
        self.street_njxl = user_with_role("street_njxl", Role.STREET_OFFICIAL, w.street_a)
        self.street_jas = user_with_role("street_jas", Role.STREET_OFFICIAL, w.street_b)
        self.grid_chief_henglong = user_with_role("grid_chief_henglong", Role.GRID_CHIEF, w.henglong.node)
        self.liaison_wang = user_with_role("liaison_wang", Role.LIAISON_CADRE, w.henglong.node)
        self.contact_a = user_with_role("contact_a", Role.ENTERPRISE_CONTACT, enterprise=w.ent_a)
        self.employee_henglong_1 = user_with_role("employee_henglong_1", Role.EMPLOYEE, w.henglong.node)
        self.nobody = user_with_role("nobody")


@pytest.fixture
def personas(world):
    return Personas(world)


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
    """A Hang Lung Plaza committee in the small world: convener, secretary, three members, employees."""
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
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def count_queries():
    """Usage: with count_queries() as ctx: ...; len(ctx.captured_queries)."""

    def _ctx():
        return CaptureQueriesContext(connection)

    return _ctx


__all__ = ["PASSWORD"]
