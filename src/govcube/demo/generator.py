"""The deterministic plan of the Jing'an demo: pure data, no database.

``build_plan(seed)`` turns the fixed content into everything the loader writes: the
territory, buildings with twelve months of tax revenue, enterprises with their tenancies,
and people. Every random draw comes from a ``random.Random`` seeded by a string derived
from the seed and the thing being drawn, so the same seed always gives the same demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from stdnum.cn import uscc as uscc_mod

from govcube.demo import content as c
from govcube.territory.models import TIER_THRESHOLD, NodeKind

DEMO_SEED = "jingan-2026"
CENT = Decimal("0.01")
# Corporate income tax is prepaid in January, April, July and October; May settles the year.
TAX_PEAK_MONTHS = {1, 4, 5, 7, 10}
TAX_BANDS = {  # the year's total, in yuan
    c.FLAGSHIP: (900_000_000, 1_600_000_000),
    c.STRONG: (105_000_000, 550_000_000),
    c.ORDINARY: (8_000_000, 92_000_000),
}
BUILDING_SIZES = {  # (floors, floor area m²) ranges for invented buildings
    c.FLAGSHIP: ((40, 66), (100_000, 300_000)),
    c.STRONG: ((22, 42), (45_000, 110_000)),
    c.ORDINARY: ((12, 30), (15_000, 50_000)),
    "non_key": ((6, 16), (5_000, 20_000)),
}
JING_AN = "310106"
LAW_FIRM_REGION = "310000"  # law firms register with the city's justice bureau
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass(frozen=True)
class NodePlan:
    code: str
    name: str
    kind: str
    parent: str | None


@dataclass(frozen=True)
class BuildingPlan:
    code: str
    parent: str
    street: str
    spec: c.BuildingSpec
    latitude: Decimal
    longitude: Decimal
    floors: int
    floor_area: Decimal
    tax: tuple[Decimal, ...]  # January … December of TAX_YEAR

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True)
class TenancyPlan:
    building: str  # building code
    floor: str
    start: date
    end: date | None


@dataclass
class EnterprisePlan:
    index: int
    uscc: str
    name: str
    industry: str
    headcount: int
    party_member_count: int
    tenancies: list[TenancyPlan]  # oldest first; the last one is current
    is_global_service_provider: bool = False
    is_key_enterprise: bool = False

    @property
    def building(self) -> str:
        return self.tenancies[-1].building


@dataclass(frozen=True)
class PersonPlan:
    key: str  # stable key the loader uses to find the person again
    name: str
    mobile: str
    employer: int | None  # enterprise index
    node: str | None  # node code when the person has no employer
    is_party_member: bool


@dataclass
class DemoPlan:
    seed: str
    nodes: list[NodePlan] = field(default_factory=list)
    buildings: list[BuildingPlan] = field(default_factory=list)
    enterprises: list[EnterprisePlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    clusters: dict[str, list[str]] = field(default_factory=dict)  # cluster code → building codes
    njxl_grids: list[str] = field(default_factory=list)  # block and cluster grid codes

    def building_by_name(self, name: str) -> BuildingPlan:
        return next(b for b in self.buildings if b.name == name)

    def tenants_of(self, building_code: str) -> list[EnterprisePlan]:
        return [e for e in self.enterprises if e.building == building_code]


# --- identifiers ---------------------------------------------------------------------------


def organisation_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code."""
    total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "0" if check == 11 else "X" if check == 10 else str(check)


def make_uscc(organisation: str, *, region: str = JING_AN, prefix: str = "91") -> str:
    """A valid USCC: authority and type, region, organisation code with its check, check digit."""
    body = prefix + region + organisation + organisation_code_check(organisation)
    return body + uscc_mod.calc_check_digit(body)


def _organisation_code(rng: random.Random, used: set[str]) -> str:
    while True:
        if rng.random() < 0.6:  # codes issued since 2015 start with "MA"
            code = "MA1" + "".join(rng.choice(_ORG_ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(5))
        else:
            code = f"{rng.randrange(10_000_000, 99_999_999):08d}"
        if code not in used:
            used.add(code)
            return code


def make_mobile(rng: random.Random, used: set[str]) -> str:
    prefixes = ("135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "177", "186", "187", "189")
    prefixes += ("133", "153", "173", "180", "181", "199", "166", "176", "185", "188", "198")
    while True:
        mobile = rng.choice(prefixes) + f"{rng.randrange(0, 100_000_000):08d}"
        if mobile not in used:
            used.add(mobile)
            return mobile


def make_name(rng: random.Random) -> str:
    given = rng.choice(c.GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(c.GIVEN_CHARS)
    return rng.choice(c.SURNAMES) + given


# --- tax -----------------------------------------------------------------------------------


def in_band(profile: str, amounts: list[Decimal]) -> bool:
    annual = sum(amounts, Decimal("0"))
    top = max(amounts)
    if profile == c.FLAGSHIP:
        return top >= TIER_THRESHOLD
    if profile == c.STRONG:
        return annual >= TIER_THRESHOLD and top < TIER_THRESHOLD
    return annual < TIER_THRESHOLD


def tax_series(seed: str, building_code: str, profile: str) -> tuple[Decimal, ...]:
    """Twelve months of tax revenue drawn until they land in the profile's band."""
    rng = random.Random(f"{seed}:tax:{building_code}")
    low, high = TAX_BANDS[profile]
    for _attempt in range(1000):
        weights = [
            rng.uniform(0.75, 1.25) * (rng.uniform(1.4, 2.3) if month in TAX_PEAK_MONTHS else 1.0)
            for month in range(1, 13)
        ]
        annual = rng.uniform(low, high)
        scale = annual / sum(weights)
        amounts = [Decimal(str(round(w * scale, 2))).quantize(CENT) for w in weights]
        if in_band(profile, amounts):
            return tuple(amounts)
    raise RuntimeError(f"no tax series in band {profile} for {building_code}")  # pragma: no cover


# --- territory and buildings ------------------------------------------------------------------


def _jitter(rng: random.Random, centre: tuple[float, float], spread: float) -> tuple[Decimal, Decimal]:
    lat = centre[0] + rng.uniform(-spread, spread)
    lon = centre[1] + rng.uniform(-spread, spread) * 1.2
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _building(seed: str, code: str, parent: str, street: str, spec: c.BuildingSpec, centre) -> BuildingPlan:
    rng = random.Random(f"{seed}:building:{code}")
    size = BUILDING_SIZES[spec.profile if spec.is_key else "non_key"]
    floors = spec.floors or rng.randint(*size[0])
    area = spec.floor_area or round(rng.randint(*size[1]), -2)
    lat, lon = (
        (Decimal(f"{spec.coords[0]:.6f}"), Decimal(f"{spec.coords[1]:.6f}"))
        if spec.coords
        else _jitter(rng, centre, 0.004)
    )
    return BuildingPlan(
        code=code,
        parent=parent,
        street=street,
        spec=spec,
        latitude=lat,
        longitude=lon,
        floors=floors,
        floor_area=Decimal(area).quantize(CENT),
        tax=tax_series(seed, code, spec.profile),
    )


def _territory(plan: DemoPlan) -> None:
    city_code, city_name = c.CITY
    district_code, district_name = c.DISTRICT
    plan.nodes.append(NodePlan(city_code, city_name, NodeKind.CITY, None))
    plan.nodes.append(NodePlan(district_code, district_name, NodeKind.DISTRICT, city_code))
    centres = {}
    for suffix, name, centre in c.STREETS:
        code = f"{district_code}-{suffix}"
        centres[suffix] = centre
        plan.nodes.append(NodePlan(code, name, NodeKind.STREET, district_code))
    njxl = f"{district_code}-{c.NJXL}"
    for b_index, block in enumerate(c.NJXL_BLOCKS, start=1):
        block_code = f"{njxl}-G{b_index}"
        plan.nodes.append(NodePlan(block_code, block.name, NodeKind.BLOCK_GRID, njxl))
        plan.njxl_grids.append(block_code)
        for c_index, cluster in enumerate(block.clusters, start=1):
            cluster_code = f"{block_code}-C{c_index}"
            plan.nodes.append(NodePlan(cluster_code, cluster.name, NodeKind.CLUSTER_GRID, block_code))
            plan.njxl_grids.append(cluster_code)
            plan.clusters[cluster_code] = []
            for n, spec in enumerate(cluster.buildings, start=1):
                code = f"{cluster_code}-B{n:02d}"
                plan.clusters[cluster_code].append(code)
                plan.buildings.append(_building(plan.seed, code, cluster_code, c.NJXL, spec, centres[c.NJXL]))
    for suffix, _name, _centre in c.STREETS:
        street_code = f"{district_code}-{suffix}"
        for n, spec in enumerate(c.OTHER_BUILDINGS.get(suffix, []), start=1):
            code = f"{street_code}-B{n:02d}"
            plan.buildings.append(_building(plan.seed, code, street_code, suffix, spec, centres[suffix]))


# --- enterprises ---------------------------------------------------------------------------


def _enterprise_name(rng: random.Random, templates: tuple[str, ...], used: set[str]) -> str:
    while True:
        brand = rng.choice(c.BRAND_FIRST) + rng.choice(c.BRAND_SECOND)
        name = rng.choice(templates).format(b=brand)
        if brand[0] != brand[1] and name not in used:
            used.add(name)
            return name


def _headcount(rng: random.Random, profile: str) -> int:
    base = rng.paretovariate(1.15) * (14 if profile == c.FLAGSHIP else 8)
    return max(5, min(3000, int(base)))


def _party_members(rng: random.Random, headcount: int) -> int:
    if rng.random() < 0.25:
        return 0
    return max(1, min(headcount, round(headcount * rng.uniform(0.03, 0.18))))


def _random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _enterprises(plan: DemoPlan) -> None:
    rng = random.Random(f"{plan.seed}:enterprises")
    kinds = c.ENTERPRISE_KINDS
    weights = [weight for _division, weight, _templates in kinds]
    used_names: set[str] = set()
    used_orgs: set[str] = set()
    codes = [b.code for b in plan.buildings]
    floors = {b.code: b.floors for b in plan.buildings}
    for building in plan.buildings:
        spec = building.spec
        low, high = c.TENANTS_PER_BUILDING[spec.profile if spec.is_key else "non_key"]
        for _ in range(rng.randint(low, high)):
            division, _weight, templates = rng.choices(kinds, weights=weights)[0]
            name = _enterprise_name(rng, templates, used_names)
            law_firm = c.LAW_FIRM_MARK in name
            organisation = _organisation_code(rng, used_orgs)
            uscc = make_uscc(organisation, region=LAW_FIRM_REGION, prefix="31") if law_firm else make_uscc(organisation)
            headcount = _headcount(rng, spec.profile)
            start = _random_day(rng, date(2010, 1, 1), date(c.TAX_YEAR, 12, 31))
            tenancies = [TenancyPlan(building.code, str(rng.randint(2, floors[building.code])), start, None)]
            if rng.random() < 0.2:  # moved here from another building of the district
                previous = rng.choice([code for code in codes if code != building.code])
                prev_end = start - timedelta(days=rng.randint(1, 60))
                prev_start = prev_end - timedelta(days=rng.randint(400, 2500))
                floor = str(rng.randint(2, floors[previous]))
                tenancies.insert(0, TenancyPlan(previous, floor, prev_start, prev_end))
            plan.enterprises.append(
                EnterprisePlan(
                    index=len(plan.enterprises),
                    uscc=uscc,
                    name=name,
                    industry=division,
                    headcount=headcount,
                    party_member_count=_party_members(rng, headcount),
                    tenancies=tenancies,
                )
            )
    candidates = [e for e in plan.enterprises if e.industry in c.GLOBAL_SERVICE_DIVISIONS]
    candidates.sort(key=lambda e: (-e.headcount, e.index))
    for enterprise in candidates[: c.GLOBAL_SERVICE_PROVIDERS]:
        enterprise.is_global_service_provider = True
    for enterprise in plan.enterprises:
        enterprise.is_key_enterprise = enterprise.is_global_service_provider or enterprise.headcount >= 200


# --- people --------------------------------------------------------------------------------


class _People:
    def __init__(self, plan: DemoPlan):
        self.plan = plan
        self.rng = random.Random(f"{plan.seed}:people")
        self.mobiles: set[str] = set()

    def add(self, key, *, name=None, employer=None, node=None, party=False) -> PersonPlan:
        person = PersonPlan(
            key=key,
            name=name or make_name(self.rng),
            mobile=make_mobile(self.rng, self.mobiles),
            employer=employer,
            node=node,
            is_party_member=party,
        )
        self.plan.people.append(person)
        return person


def _largest_tenant(plan: DemoPlan, building_code: str) -> EnterprisePlan:
    return max(plan.tenants_of(building_code), key=lambda e: (e.headcount, -e.index))


def _people(plan: DemoPlan) -> None:
    people = _People(plan)
    rng = people.rng
    for enterprise in plan.enterprises:
        count = 1 + (enterprise.headcount >= 80) + (enterprise.headcount >= 500)
        party_left = enterprise.party_member_count
        for n in range(count):
            share = enterprise.party_member_count / enterprise.headcount
            party = party_left > 0 and rng.random() < min(0.8, share * 3)
            party_left -= party
            people.add(f"staff:{enterprise.index}:{n}", employer=enterprise.index, party=party)
    henglong = plan.building_by_name(c.HENGLONG).code
    for code in plan.njxl_grids:
        people.add(f"grid:{code}:convener", node=code, party=True)
        people.add(f"grid:{code}:worker", node=code, party=True)
    for building in plan.buildings:
        if building.street != c.NJXL:
            continue
        is_henglong = building.code == henglong
        convener = c.HENGLONG_GRID_CONVENER if is_henglong else None
        worker = c.HENGLONG_GRID_WORKER if is_henglong else None
        people.add(
            f"grid:{building.code}:convener",
            name=convener,
            employer=_largest_tenant(plan, building.code).index,
            party=True,
        )
        people.add(f"grid:{building.code}:worker", name=worker, node=building.code, party=True)
    _account_people(plan, people)


def _account_people(plan: DemoPlan, people: _People) -> None:
    district = c.DISTRICT[0]
    taken: dict[str, int] = {}
    for account in c.DEMO_ACCOUNTS:
        kind, _sep, rest = account.person.partition(":")
        if kind == "gov":
            scope = account.scopes[0]
            node = f"{district}-{scope.split(':')[1]}" if scope.startswith("street:") else district
            people.add(f"account:{account.username}", name=rest, node=node, party=True)
        elif kind == "employee":
            building_name, _sep, name = rest.partition(":")
            code = plan.building_by_name(building_name).code
            tenants = sorted(plan.tenants_of(code), key=lambda e: (-e.headcount, e.index))
            employer = tenants[taken.get(code, 0) % len(tenants)]
            taken[code] = taken.get(code, 0) + 1
            party = account.role in {"convener", "secretary"}
            people.add(f"account:{account.username}", name=name, employer=employer.index, party=party)


def build_plan(seed: str = DEMO_SEED) -> DemoPlan:
    plan = DemoPlan(seed=seed)
    _territory(plan)
    _enterprises(plan)
    _people(plan)
    return plan
