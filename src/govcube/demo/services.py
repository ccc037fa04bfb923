"""Loading and removing the Jing'an demo.

The loader writes through the real services (territory, directory, accounts), acting as the
demo's own system administrator ``district_admin``, so every row is validated and audited
exactly as if staff had typed it in. Two writes cannot go through a service and are written
through the model with an explicit audit event instead: the city and district nodes (no actor
can hold the permission to create them before they exist) and linking the two bootstrap
administrators to their Person records (there is no service for that yet). Accounts and roles
are created by ``district_security`` (separation of duties); the two bootstrap accounts
themselves are created by the system (actor ``None``). Governance bodies and their
deliberation are loaded afterwards, in the same transaction, by ``demo.bodies_loader``, and
then the service desk (departments, catalogue, a year of requests, service days) by
``demo.services_loader``, building liaison and the four visits by ``demo.engagement_loader``, and
special petitions, project claiming and evaluation by ``demo.mechanisms_loader``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.accounts.models import ApiToken, RoleAssignment, User
from govcube.accounts.permissions import forget_assignments
from govcube.accounts.roles import SECOND_FACTOR_ROLES
from govcube.accounts.services import _role_assign, _user_create
from govcube.audit.services import audit_record
from govcube.core.errors import DomainError
from govcube.core.services import snapshot
from govcube.demo import content as c
from govcube.demo.bodies_loader import bodies_load
from govcube.demo.engagement_loader import engagement_load
from govcube.demo.generator import DEMO_SEED, DemoPlan, NodePlan, build_plan
from govcube.demo.mechanisms_loader import mechanisms_load
from govcube.demo.services_loader import services_load
from govcube.directory import services as directory
from govcube.directory.models import Enterprise, Industry, PartyOrganisation, PartyOrgKind, Person
from govcube.territory import services as territory
from govcube.territory.models import Building, GridChiefKind, Node, NodeKind

INDUSTRY_CSV = Path(__file__).resolve().parent.parent / "directory" / "data" / "gbt4754_2017.csv"


def industries_ensure() -> int:
    """Add any missing GB/T 4754-2017 rows (the data migration normally has; a flushed test DB has not)."""
    with INDUSTRY_CSV.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: (bool(row["section"]), row["code"]))
    existing = set(Industry.objects.values_list("code", flat=True))
    missing = [
        Industry(code=row["code"], name=row["name"], name_en=row["name_en"], section_id=row["section"] or None)
        for row in rows
        if row["code"] not in existing
    ]
    Industry.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@dataclass
class DemoResult:
    password: str
    counts: dict[str, int] = field(default_factory=dict)


def demo_load(
    *, password: str = c.DEFAULT_PASSWORD, if_empty: bool = False, seed: str = DEMO_SEED
) -> DemoResult | None:
    """Load the Jing'an demo in one transaction; ``None`` when ``if_empty`` and a territory exists."""
    if Node.objects.exists():
        if if_empty:
            return None
        raise DomainError(
            "demo.load.not_empty",
            _("The database already holds a territory. Load the demo into an empty database."),
        )
    try:
        validate_password(password)
    except ValidationError as exc:
        raise DomainError("demo.load.password.weak", exc.messages[0], field="password") from None
    plan = build_plan(seed)
    with transaction.atomic():
        industries_ensure()
        loader = _Loader(plan, password)
        loader.run()
        body_counts = bodies_load(loader)  # governance bodies and deliberation, on top of the foundation
        service_counts = services_load(loader)  # the chief service team's desk and its history
        engagement_counts = engagement_load(loader)  # building liaison and the four visits
        mechanism_counts = mechanisms_load(loader)  # special petitions, project claiming and evaluation
    counts = loader.counts() | body_counts | service_counts | engagement_counts | mechanism_counts
    return DemoResult(password=password, counts=counts)


class _Loader:
    def __init__(self, plan: DemoPlan, password: str):
        self.plan = plan
        self.password = password
        self.district_code = c.DISTRICT[0]
        self.nodes: dict[str, Node] = {}
        self.buildings: dict[str, Building] = {}
        self.enterprises: dict[int, Enterprise] = {}
        self.people: dict[str, Person] = {}
        self.org_of_enterprise: dict[int, PartyOrganisation] = {}
        self.organisations: list[PartyOrganisation] = []
        self.users: dict[str, User] = {}
        self.admin: User | None = None
        self.security: User | None = None

    def run(self) -> None:
        self._bootstrap()
        self._territory()
        self._tax_records()
        self._enterprises()
        self._party_organisations()
        self._people()
        self._grid_chiefs()
        self._accounts()

    def counts(self) -> dict[str, int]:
        buildings = list(self.buildings.values())
        return {
            "streets": sum(1 for n in self.plan.nodes if n.kind == NodeKind.STREET),
            "buildings": len(buildings),
            "njxl_business_district_buildings": sum(len(codes) for codes in self.plan.clusters.values()),
            "key_buildings": sum(1 for b in buildings if b.is_key),
            "monthly_billion": sum(1 for b in buildings if b.tier == "monthly_billion"),
            "billion": sum(1 for b in buildings if b.tier == "billion"),
            "enterprises": len(self.enterprises),
            "global_service_providers": sum(1 for e in self.plan.enterprises if e.is_global_service_provider),
            "tenancies": sum(len(e.tenancies) for e in self.plan.enterprises),
            "party_organisations": len(self.organisations),
            "people": len(self.people),
            "accounts": len(self.users),
        }

    # --- bootstrap ------------------------------------------------------------------------

    def _bootstrap(self) -> None:
        city, district = self.plan.nodes[0], self.plan.nodes[1]
        self.nodes[city.code] = self._bootstrap_node(city, None)
        self.nodes[district.code] = self._bootstrap_node(district, self.nodes[city.code])
        by_name = {spec.username: spec for spec in c.DEMO_ACCOUNTS}
        self.admin = self._account(by_name["district_admin"], actor=None, person=None)
        self.security = self._account(by_name["district_security"], actor=None, person=None)

    def _bootstrap_node(self, spec: NodePlan, parent: Node | None) -> Node:
        node = Node(kind=spec.kind, name=spec.name, code=spec.code)
        node = Node.objects.add_root(instance=node) if parent is None else Node.objects.add_child(parent, instance=node)
        node.district_id = node.pk if spec.kind == NodeKind.DISTRICT else None
        node.save(update_fields=["district"])
        audit_record(
            actor=None, action="territory.node.created", obj=node, after=snapshot(node, ["kind", "name", "code"])
        )
        return node

    # --- territory ------------------------------------------------------------------------

    def _territory(self) -> None:
        for spec in self.plan.nodes[2:]:
            self.nodes[spec.code] = territory.node_create(
                actor=self.admin, parent=self.nodes[spec.parent], kind=spec.kind, name=spec.name, code=spec.code
            )
        for spec in self.plan.buildings:
            building = territory.building_create(
                actor=self.admin,
                parent=self.nodes[spec.parent],
                name=spec.name,
                code=spec.code,
                address=spec.spec.address,
                name_en=spec.spec.name_en,
                latitude=spec.latitude,
                longitude=spec.longitude,
                floors=spec.floors,
                floor_area=spec.floor_area,
                is_key=spec.spec.is_key,
            )
            self.buildings[spec.code] = building
            self.nodes[spec.code] = building.node

    def _tax_records(self) -> None:
        """Twelve months per building; ``tax_record_set`` recomputes the tier after each month."""
        for spec in self.plan.buildings:
            building = self.buildings[spec.code]
            for month, amount in enumerate(spec.tax, start=1):
                territory.tax_record_set(
                    actor=self.admin, building=building, month=date(c.TAX_YEAR, month, 1), amount=amount
                )

    # --- directory ------------------------------------------------------------------------

    def _enterprises(self) -> None:
        industries = Industry.objects.in_bulk()
        for spec in self.plan.enterprises:
            current = self.buildings[spec.building]
            enterprise = directory.enterprise_create(
                actor=self.admin,
                node=current.node,
                uscc=spec.uscc,
                name=spec.name,
                industry=industries[spec.industry],
                headcount=spec.headcount,
                party_member_count=spec.party_member_count,
                is_global_service_provider=spec.is_global_service_provider,
                is_key_enterprise=spec.is_key_enterprise,
            )
            for tenancy in spec.tenancies:  # oldest first: the current tenancy sets the scope last
                directory.tenancy_create(
                    actor=self.admin,
                    enterprise=enterprise,
                    building=self.buildings[tenancy.building],
                    floor=tenancy.floor,
                    start=tenancy.start,
                    end=tenancy.end,
                )
            self.enterprises[spec.index] = enterprise

    def _organisation(self, *, node, name, kind, parent=None, members=0, enterprises=(), buildings=()):
        org = directory.party_organisation_create(
            actor=self.admin,
            node=node,
            name=name,
            kind=kind,
            parent=parent,
            member_count=members,
            enterprises=enterprises,
            buildings=buildings,
        )
        self.organisations.append(org)
        return org

    def _members(self, building_codes) -> int:
        return sum(e.party_member_count for code in building_codes for e in self.plan.tenants_of(code))

    def _party_organisations(self) -> None:
        """街道党工委 > 楼宇联合党委 (per cluster grid / key building) > branches and joint branches."""
        plan = self.plan
        street_names = {suffix: name for suffix, name, _centre in c.STREETS}
        street_committees: dict[str, PartyOrganisation] = {}
        for suffix, _name, _centre in c.STREETS:
            codes = [b.code for b in plan.buildings if b.street == suffix]
            if codes:
                street_committees[suffix] = self._organisation(
                    node=self.nodes[f"{self.district_code}-{suffix}"],
                    name=f"{street_names[suffix]}党工委",
                    kind=PartyOrgKind.COMMITTEE,
                    members=self._members(codes),
                )
        committee_of: dict[str, PartyOrganisation] = {}
        for cluster_code, codes in plan.clusters.items():
            anchor = self.buildings[codes[0]].name
            committee = self._organisation(
                node=self.nodes[cluster_code],
                name=f"{anchor}楼宇联合党委",
                kind=PartyOrgKind.COMMITTEE,
                parent=street_committees[c.NJXL],
                members=self._members(codes),
                buildings=[self.buildings[code] for code in codes],
            )
            committee_of.update(dict.fromkeys(codes, committee))
        for spec in plan.buildings:
            if spec.street != c.NJXL and spec.spec.is_key:
                committee_of[spec.code] = self._organisation(
                    node=self.nodes[spec.code],
                    name=f"{spec.name}楼宇联合党委",
                    kind=PartyOrgKind.COMMITTEE,
                    parent=street_committees[spec.street],
                    members=self._members([spec.code]),
                    buildings=[self.buildings[spec.code]],
                )
        for spec in plan.buildings:
            parent = committee_of.get(spec.code) or street_committees[spec.street]
            self._branches(spec.code, parent)

    def _branches(self, building_code: str, parent: PartyOrganisation) -> None:
        """Enterprises with three party members or more have their own branch; the rest share a joint branch."""
        building = self.buildings[building_code]
        tenants = self.plan.tenants_of(building_code)
        for spec in tenants:
            if spec.party_member_count >= 3:
                general = spec.party_member_count >= 50
                self.org_of_enterprise[spec.index] = self._organisation(
                    node=building.node,
                    name=f"{spec.name}{'党总支' if general else '党支部'}",
                    kind=PartyOrgKind.GENERAL_BRANCH if general else PartyOrgKind.BRANCH,
                    parent=parent,
                    members=spec.party_member_count,
                    enterprises=[self.enterprises[spec.index]],
                )
        rest = [spec for spec in tenants if spec.party_member_count < 3]
        if rest:
            joint = self._organisation(
                node=building.node,
                name=f"{building.name}联合党支部",
                kind=PartyOrgKind.JOINT_BRANCH,
                parent=parent,
                members=sum(spec.party_member_count for spec in rest),
                enterprises=[self.enterprises[spec.index] for spec in rest],
                buildings=[building],
            )
            self.org_of_enterprise.update(dict.fromkeys((spec.index for spec in rest), joint))

    def _people(self) -> None:
        for spec in self.plan.people:
            employer = self.enterprises[spec.employer] if spec.employer is not None else None
            node = employer.node if employer is not None else self.nodes[spec.node]
            organisation = self.org_of_enterprise.get(spec.employer) if spec.is_party_member and employer else None
            self.people[spec.key] = directory.person_create(
                actor=self.admin,
                node=node,
                name=spec.name,
                mobile=spec.mobile,
                employer=employer,
                is_party_member=spec.is_party_member,
                party_organisation=organisation,
            )

    def _grid_chiefs(self) -> None:
        """Double grid chiefs for every grid of the Nanjing West Road business district."""
        grids = self.plan.njxl_grids + [code for codes in self.plan.clusters.values() for code in codes]
        for code in grids:
            for kind in (GridChiefKind.CONVENER, GridChiefKind.WORKER):
                territory.grid_chief_assign(
                    actor=self.admin, node=self.nodes[code], kind=kind, person=self.people[f"grid:{code}:{kind}"]
                )

    # --- accounts -------------------------------------------------------------------------

    def _accounts(self) -> None:
        henglong = self.plan.building_by_name(c.HENGLONG).code
        for spec in c.DEMO_ACCOUNTS:
            if spec.person == "grid_convener":
                person = self.people[f"grid:{henglong}:convener"]
            elif spec.person == "grid_worker":
                person = self.people[f"grid:{henglong}:worker"]
            else:
                person = self.people[f"account:{spec.username}"]
            if spec.username in self.users:
                self._link_person(self.users[spec.username], person)
            else:
                self._account(spec, actor=self.security, person=person)

    def _account(self, spec: c.AccountSpec, *, actor, person) -> User:
        user = _user_create(
            actor=actor,
            username=spec.username,
            password=self.password,
            display_name=person.name if person else "",
            person=person,
            is_demo=True,
        )
        for scope in spec.scopes:
            node, enterprise = self._scope(scope, person)
            _role_assign(actor=actor, user=user, role=spec.role, node=node, enterprise=enterprise)
        if spec.role in SECOND_FACTOR_ROLES:
            self._enrol_totp(user, actor)
        self.users[spec.username] = user
        return user

    def _scope(self, scope: str, person: Person | None):
        kind, _sep, value = scope.partition(":")
        if kind == "district":
            return self.nodes[self.district_code], None
        if kind == "street":
            return self.nodes[f"{self.district_code}-{value}"], None
        if kind == "building":
            return self.nodes[self.plan.building_by_name(value).code], None
        if kind == "enterprise":
            return None, person.employer
        raise ValueError(scope)  # pragma: no cover - content is fixed

    def _enrol_totp(self, user: User, actor) -> None:
        from allauth.mfa.totp.internal.auth import TOTP

        TOTP.activate(user, c.DEMO_TOTP_SECRET)
        audit_record(actor=actor, action="accounts.mfa.totp_activated", obj=user, after={"demo": True})

    def _link_person(self, user: User, person: Person) -> None:
        user.person = person
        user.display_name = person.name
        user.save(update_fields=["person", "display_name"])
        audit_record(actor=None, action="accounts.user.person_linked", obj=user, after={"person": person.pk})


def demo_accounts_remove(*, actor=None) -> list[str]:
    """Deactivate every demo account: no login, no password, no person, no roles, no second factor, no tokens.

    Afterwards a production start is allowed (``accounts.demo_guard``). Idempotent.
    """
    from allauth.mfa.models import Authenticator

    today = timezone.localdate()
    removed = []
    with transaction.atomic():
        users = User.objects.filter(is_demo=True).order_by("username").select_for_update()
        for user in users:
            active_roles = RoleAssignment.objects.active().filter(user=user)
            if not user.is_active and user.person_id is None and not user.has_usable_password():
                continue
            before = {"is_active": user.is_active, "person": user.person_id, "roles": active_roles.count()}
            user.is_active = False
            user.set_unusable_password()
            user.person = None
            user.save(update_fields=["is_active", "password", "person"])
            for assignment in active_roles:
                assignment.valid_to = max(assignment.valid_from - timedelta(days=1), today - timedelta(days=1))
                assignment.save(update_fields=["valid_to"])
            Authenticator.objects.filter(user=user).delete()
            ApiToken.objects.filter(user=user, revoked__isnull=True).update(revoked=timezone.now())
            forget_assignments(user)
            audit_record(
                actor=actor,
                action="demo.account.removed",
                obj=user,
                before=before,
                after={"is_active": False, "person": None, "roles": 0},
            )
            removed.append(user.username)
    return removed


__all__ = ["DemoResult", "demo_accounts_remove", "demo_load", "industries_ensure"]
