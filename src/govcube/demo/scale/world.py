"""The foundation of a generated district: territory, buildings and tax, enterprises with their
tenancies, people, and the staff accounts (liaison cadres) that later phases act as.

Sizes follow a long tail: each building draws a Pareto weight that sets its floors, tax revenue
and how many tenants it has; the same weight later makes a few key buildings very active.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from itertools import accumulate

from stdnum.cn import uscc as uscc_mod

from govcube.accounts.models import RoleAssignment, User
from govcube.accounts.roles import Role
from govcube.demo import content as c
from govcube.demo.generator import organisation_code_check
from govcube.demo.scale import pools
from govcube.demo.scale.shapes import CODE_PREFIX, DISTRICTS, USER_PREFIX, Scale
from govcube.directory.models import Enterprise, Person, Tenancy
from govcube.territory.models import TIER_THRESHOLD, Building, Node, NodeKind, TaxRecord, Tier

CST = timezone(timedelta(hours=8))
CENT = Decimal("0.01")
MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "177", "186", "187")
MOBILE_PREFIXES += ("189", "133", "153", "173", "180", "181", "199", "166", "176", "185", "188", "198")
_MA_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_UNUSABLE = "!generated-account-no-password"


def spread(total: int, parts: int, rng: random.Random, alpha: float = 1.6) -> list[int]:
    """``total`` split into ``parts`` counts of at least one, long-tailed (Pareto weights)."""
    if parts <= 0:
        return []
    weights = [rng.paretovariate(alpha) for _ in range(parts)]
    spare = total - parts
    scale = spare / sum(weights)
    counts = [1 + int(w * scale) for w in weights]
    order = sorted(range(parts), key=lambda i: -weights[i])
    i = 0
    while sum(counts) < total:
        counts[order[i % parts]] += 1
        i += 1
    return counts


def person_name(rng: random.Random) -> str:
    given = rng.choice(c.GIVEN_CHARS)
    if rng.random() < 0.7:
        given += rng.choice(c.GIVEN_CHARS)
    return rng.choice(c.SURNAMES) + given


class Identifiers:
    """Unique mobiles and USCCs without remembering every one: an affine bijection of a running index."""

    def __init__(self, seed: int, taken_mobiles: set[str], taken_usccs: set[str]):
        rng = random.Random(f"{seed}:identifiers")
        self.mobile_a = rng.randrange(1, 10**8 // 2) * 2 + 1
        while self.mobile_a % 5 == 0:
            self.mobile_a += 2
        self.mobile_b = rng.randrange(10**8)
        self.org_a = self.mobile_a
        self.org_b = rng.randrange(10**8)
        self.ma_a = rng.randrange(1, 31**5 // 31) * 31 + 1
        self.ma_b = rng.randrange(31**5)
        self.taken_mobiles, self.taken_usccs = taken_mobiles, taken_usccs
        self.mobiles = 0
        self.organisations = 0

    def mobile(self) -> str:
        while True:
            n = self.mobiles
            self.mobiles += 1
            prefix = MOBILE_PREFIXES[n % len(MOBILE_PREFIXES)]
            mobile = prefix + f"{(self.mobile_a * (n // len(MOBILE_PREFIXES)) + self.mobile_b) % 10**8:08d}"
            if mobile not in self.taken_mobiles:
                return mobile

    def uscc(self, region: str, law_firm: bool) -> str:
        while True:
            n = self.organisations
            self.organisations += 1
            if n % 5 < 3:  # codes issued since 2015 start with "MA"
                x = (self.ma_a * (n // 5 * 3 + n % 5) + self.ma_b) % 31**5
                tail = ""
                for _ in range(5):
                    x, r = divmod(x, 31)
                    tail += _MA_ALPHABET[r]
                organisation = "MA1" + tail
            else:
                organisation = f"{(self.org_a * n + self.org_b) % 10**8:08d}"
            prefix, region = ("31", "310000") if law_firm else ("91", region)
            body = prefix + region + organisation + organisation_code_check(organisation)
            code = body + uscc_mod.calc_check_digit(body)
            if code not in self.taken_usccs:
                return code


@dataclass
class BuildingRef:
    id: int
    node_id: int
    street_id: int
    street_index: int
    name: str
    weight: float
    is_key: bool
    enterprises: list[int] = field(default_factory=list)  # enterprise indexes of current tenants


@dataclass
class DistrictWorld:
    """What later phases need to know about one generated district."""

    index: int
    code: str
    name: str
    short: str
    node_id: int = 0
    street_ids: list[int] = field(default_factory=list)
    street_names: list[str] = field(default_factory=list)
    street_nodes: list[str] = field(default_factory=list)  # paths
    block_ids: list[int] = field(default_factory=list)
    block_names: list[str] = field(default_factory=list)
    block_street: list[int] = field(default_factory=list)
    cluster_ids: list[int] = field(default_factory=list)
    cluster_block: list[int] = field(default_factory=list)
    clusters: list[list[int]] = field(default_factory=list)  # building indexes per cluster grid
    buildings: list[BuildingRef] = field(default_factory=list)
    building_cum: list[float] = field(default_factory=list)
    enterprise_first_id: int = 0
    ent_building: list[int] = field(default_factory=list)  # building index per enterprise
    ent_names: list[str] = field(default_factory=list)
    ent_people: list[tuple[int, int]] = field(default_factory=list)  # (first person id, count)
    ent_head_cum: list[int] = field(default_factory=list)
    person_first_id: int = 0
    person_count: int = 0
    cadres: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # street index → (user id, username)
    liaison_of: dict[int, tuple[int, str]] = field(default_factory=dict)  # building index → cadre
    officials: list[tuple[int, str]] = field(default_factory=list)  # one per street

    def building_at(self, rng: random.Random) -> int:
        return bisect_right(self.building_cum, rng.random() * self.building_cum[-1])

    def enterprise_at(self, rng: random.Random) -> int:
        """An enterprise, weighted by headcount (bigger ones ask more)."""
        return bisect_right(self.ent_head_cum, rng.randrange(self.ent_head_cum[-1]))

    def person_of(self, enterprise: int, rng: random.Random) -> int:
        first, count = self.ent_people[enterprise]
        return first + rng.randrange(count)


class Context:
    """Shared by every phase: the seed, the moment 'now', the sink and the identifiers."""

    def __init__(self, *, scale: Scale, seed: int, today: date, sink, identifiers: Identifiers):
        self.scale = scale
        self.seed = seed
        self.today = today
        self.now = datetime.combine(today, time(17, 30), CST)
        self.sink = sink
        self.ids = identifiers

    def rng(self, *parts) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def moment(self, days_ago: float, rng: random.Random, *, office: bool = True) -> datetime:
        """A moment ``days_ago`` days back, moved into office hours on a weekday."""
        day = self.today - timedelta(days=int(days_ago))
        if office and day.weekday() >= 5 and rng.random() < 0.85:
            day -= timedelta(days=day.weekday() - 4)
        minutes = rng.randrange(9 * 60, 18 * 60) if office else rng.randrange(7 * 60, 22 * 60)
        moment = datetime.combine(day, time(minutes // 60, minutes % 60, rng.randrange(60)), CST)
        moment += timedelta(microseconds=rng.randrange(1_000_000))
        return min(moment, self.now - timedelta(minutes=1)).astimezone(UTC)


def root_create(ctx: Context) -> int:
    """The generated city node (a new root), returning its id."""
    last = Node.objects.get_last_root_node()
    step = (Node._str2int(last.path[: Node.steplen]) + 1) if last else 1
    node_id = ctx.sink.ids(Node, 1)
    ctx.root_path = Node._get_path(None, 1, step)
    ctx.root_id = node_id
    return node_id


def territory_write(ctx: Context, districts: list[DistrictWorld]) -> None:
    """Every node and building of every district, then the tax records."""
    scale, sink = ctx.scale, ctx.sink
    ctx.sink.progress.start("territory", (1 + len(districts) * (1 + scale.streets + scale.block_grids)))
    node_cols = ["id", "path", "depth", "numchild", "kind", "name", "code", "district_id", "street_id"]
    building_cols = [
        "id", "created", "modified", "version", "node_id", "name", "name_en", "address", "latitude", "longitude",
        "floors", "floor_area", "is_key", "tier", "tier_year", "annual_tax", "district_id", "street_id",
    ]  # fmt: skip
    tax_rows: list[tuple] = []
    since = ctx.now - timedelta(days=scale.days + 30)
    building_rows: list[tuple] = []
    put_building = building_rows.append
    with sink.table(Node, node_cols) as put_node:
        put_node(
            (
                ctx.root_id,
                ctx.root_path,
                1,
                len(districts),
                NodeKind.CITY,
                "上海市",
                f"{CODE_PREFIX}{ctx.seed}",
                None,
                None,
            )
        )
        for d in districts:
            _district_nodes(ctx, d, put_node, put_building, tax_rows, since)
    with sink.table(Building, building_cols) as put:
        for row in building_rows:
            put(row)
    ctx.sink.progress.finish()
    ctx.sink.progress.start("tax records", len(tax_rows))
    first = sink.ids(TaxRecord, len(tax_rows))
    with sink.table(TaxRecord, ["id", "created", "modified", "building_id", "month", "amount"]) as put:
        for n, row in enumerate(tax_rows):
            put((first + n, since, since, *row))
    ctx.sink.progress.finish()


def _district_nodes(ctx, d: DistrictWorld, put_node, put_building, tax_rows, since) -> None:
    scale, sink = ctx.scale, ctx.sink
    rng = ctx.rng("territory", d.index)
    centre = DISTRICTS[d.index % len(DISTRICTS)][3]
    d_code = f"{CODE_PREFIX}D{d.index + 1:02d}"
    d.node_id = sink.ids(Node, 1)
    d_path = Node._get_path(ctx.root_path, 2, d.index + 1)
    blocks_per_street = spread(scale.block_grids, scale.streets, rng)
    put_node((d.node_id, d_path, 2, scale.streets, NodeKind.DISTRICT, d.name, d_code, d.node_id, None))
    clusters_per_block = spread(scale.cluster_grids, scale.block_grids, rng, 2.5)
    buildings_per_cluster = spread(scale.buildings, scale.cluster_grids, rng, 2.0)
    street_roots = rng.sample(pools.STREET_ROOTS, min(scale.streets, len(pools.STREET_ROOTS)))
    block_no = cluster_no = 0
    year = ctx.today.year - 1
    for s in range(scale.streets):
        s_id = sink.ids(Node, 1)
        s_name = street_roots[s % len(street_roots)] + ("镇" if s == scale.streets - 1 else "街道")
        s_path = Node._get_path(d_path, 3, s + 1)
        d.street_ids.append(s_id)
        d.street_names.append(s_name)
        d.street_nodes.append(s_path)
        put_node(
            (s_id, s_path, 3, blocks_per_street[s], NodeKind.STREET, s_name, f"{d_code}-S{s + 1:02d}", d.node_id, s_id)
        )
        for k in range(blocks_per_street[s]):
            k_id = sink.ids(Node, 1)
            k_code = f"{d_code}-S{s + 1:02d}-K{k + 1:02d}"
            k_path = Node._get_path(s_path, 4, k + 1)
            road = rng.choice(pools.ROADS)
            k_name = f"{road}{rng.choice(pools.BLOCK_SUFFIXES)}"
            n_clusters = clusters_per_block[block_no]
            d.block_ids.append(k_id)
            d.block_names.append(road)
            d.block_street.append(s)
            put_node((k_id, k_path, 4, n_clusters, NodeKind.BLOCK_GRID, k_name, k_code, d.node_id, s_id))
            for g in range(n_clusters):
                g_id = sink.ids(Node, 1)
                g_code = f"{k_code}-C{g + 1:02d}"
                g_path = Node._get_path(k_path, 5, g + 1)
                n_buildings = buildings_per_cluster[cluster_no]
                d.cluster_ids.append(g_id)
                d.cluster_block.append(block_no)
                names = [_building_name(rng, road) for _ in range(n_buildings)]
                d.clusters.append(list(range(len(d.buildings), len(d.buildings) + n_buildings)))
                put_node(
                    (
                        g_id,
                        g_path,
                        5,
                        n_buildings,
                        NodeKind.CLUSTER_GRID,
                        f"{names[0]}楼群网格",
                        g_code,
                        d.node_id,
                        s_id,
                    )
                )
                for b in range(n_buildings):
                    weight = rng.paretovariate(1.3)
                    node_id = sink.ids(Node, 1)
                    b_path = Node._get_path(g_path, 6, b + 1)
                    b_code = f"{g_code}-B{b + 1:02d}"
                    put_node((node_id, b_path, 6, 0, NodeKind.BUILDING_GRID, names[b], b_code, d.node_id, s_id))
                    building_id = sink.ids(Building, 1)
                    is_key = weight > 2.2
                    floors = max(5, min(88, int(6 + 6 * weight + rng.randint(0, 8))))
                    area = Decimal(round(min(400_000, 4_000 * weight + rng.randint(2_000, 9_000)), -2)).quantize(CENT)
                    tax = _tax_series(rng, weight, is_key)
                    annual = sum(tax, Decimal("0"))
                    tier = (
                        Tier.MONTHLY_BILLION
                        if max(tax) >= TIER_THRESHOLD
                        else Tier.BILLION
                        if annual >= TIER_THRESHOLD
                        else Tier.OTHER
                    )
                    lat = Decimal(f"{centre[0] + rng.uniform(-0.03, 0.03):.6f}")
                    lon = Decimal(f"{centre[1] + rng.uniform(-0.036, 0.036):.6f}")
                    put_building((
                        building_id, since, since, 1, node_id, names[b], "", f"{road}{rng.randint(1, 2000)}号",
                        lat, lon, floors, area, is_key, tier, year, annual, d.node_id, s_id,
                    ))  # fmt: skip
                    for month, amount in enumerate(tax, start=1):
                        tax_rows.append((building_id, date(year, month, 1), amount))
                    d.buildings.append(BuildingRef(building_id, node_id, s_id, s, names[b], weight, is_key))
                cluster_no += 1
            block_no += 1
        ctx.sink.progress.add(1 + blocks_per_street[s])
    d.building_cum = list(accumulate(b.weight for b in d.buildings))


def _building_name(rng: random.Random, road: str) -> str:
    if rng.random() < 0.35:
        return f"{road}{rng.randint(1, 1800)}号{rng.choice(pools.BUILDING_SUFFIXES)}"
    return rng.choice(c.BRAND_FIRST) + rng.choice(c.BRAND_SECOND) + rng.choice(pools.BUILDING_SUFFIXES)


def _tax_series(rng: random.Random, weight: float, is_key: bool) -> list[Decimal]:
    annual = (weight**1.6) * rng.uniform(4_000_000, 9_000_000) * (3 if is_key else 1)
    weights = [rng.uniform(0.75, 1.25) * (1.8 if m in (1, 4, 5, 7, 10) else 1.0) for m in range(1, 13)]
    total = sum(weights)
    return [Decimal(f"{annual * w / total:.2f}") for w in weights]


def enterprises_write(ctx: Context, d: DistrictWorld) -> None:
    """Enterprises (placed by building weight), their current and past tenancies."""
    scale, sink = ctx.scale, ctx.sink
    rng = ctx.rng("enterprises", d.index)
    kinds = c.ENTERPRISE_KINDS
    kind_cum = list(accumulate(weight for _division, weight, _templates in kinds))
    count = scale.enterprises
    d.enterprise_first_id = sink.ids(Enterprise, count)
    region = d.code
    heads: list[int] = []
    since = ctx.now - timedelta(days=scale.days + 60)
    cols = [
        "id", "created", "modified", "version", "node_id", "district_id", "street_id", "uscc", "name", "industry_id",
        "headcount", "party_member_count", "is_global_service_provider", "is_key_enterprise",
    ]  # fmt: skip
    sink.progress.start(f"enterprises {d.short}", count)
    with sink.table(Enterprise, cols) as put:
        for n in range(count):
            b_index = d.building_at(rng)
            building = d.buildings[b_index]
            division, _w, templates = kinds[bisect_right(kind_cum, rng.random() * kind_cum[-1])]
            brand = rng.choice(c.BRAND_FIRST) + rng.choice(c.BRAND_SECOND)
            if rng.random() < 0.5:
                brand += rng.choice(pools.BRAND_THIRD)
            name = rng.choice(templates).format(b=brand)
            head = max(3, min(20_000, int(rng.paretovariate(1.1) * (12 if building.is_key else 6))))
            party = 0 if rng.random() < 0.3 else max(1, min(head, round(head * rng.uniform(0.03, 0.2))))
            uscc = ctx.ids.uscc(region, c.LAW_FIRM_MARK in name)
            key = head >= 300
            gsp = key and division in c.GLOBAL_SERVICE_DIVISIONS and rng.random() < 0.3
            put((
                d.enterprise_first_id + n, since, since, 1, building.node_id, d.node_id, building.street_id, uscc,
                name, division, head, party, gsp, key,
            ))  # fmt: skip
            building.enterprises.append(n)
            d.ent_building.append(b_index)
            d.ent_names.append(name)
            heads.append(head)
    sink.progress.finish()
    d.ent_head_cum = list(accumulate(min(h, 2_000) for h in heads))
    _tenancies(ctx, d, rng)


def _tenancies(ctx: Context, d: DistrictWorld, rng: random.Random) -> None:
    scale, sink = ctx.scale, ctx.sink
    count = scale.enterprises
    past = max(0, scale.tenancies - count)
    movers = sorted(rng.sample(range(count), min(past, count)))
    first = sink.ids(Tenancy, count + len(movers))
    since = ctx.now - timedelta(days=scale.days)
    sink.progress.start(f"tenancies {d.short}", count + len(movers))
    cols = ["id", "created", "modified", "enterprise_id", "building_id", "floor", "start", "end"]
    with sink.table(Tenancy, cols) as put:
        tid = first
        moved = set(movers)
        for n in range(count):
            building = d.buildings[d.ent_building[n]]
            start = ctx.today - timedelta(days=rng.randint(30, 5_000))
            floor = str(rng.randint(2, 40))
            put((tid, since, since, d.enterprise_first_id + n, building.id, floor, start, None))
            tid += 1
            if n in moved:
                other = d.buildings[d.building_at(rng)]
                end = start - timedelta(days=rng.randint(1, 90))
                put(
                    (
                        tid,
                        since,
                        since,
                        d.enterprise_first_id + n,
                        other.id,
                        str(rng.randint(2, 30)),
                        end - timedelta(days=rng.randint(300, 2_500)),
                        end,
                    )
                )
                tid += 1
    sink.progress.finish()


def people_write(ctx: Context, d: DistrictWorld) -> None:
    """People: at least one per enterprise, the rest spread by headcount; unique mobiles."""
    scale, sink = ctx.scale, ctx.sink
    rng = ctx.rng("people", d.index)
    count = scale.people
    extra = count - scale.enterprises
    per = [1] * scale.enterprises
    for e in rng.choices(range(scale.enterprises), cum_weights=d.ent_head_cum, k=max(0, extra)):
        per[e] += 1
    d.person_first_id = sink.ids(Person, count)
    d.person_count = count
    since = ctx.now - timedelta(days=scale.days)
    cols = [
        "id", "created", "modified", "version", "node_id", "district_id", "street_id", "name", "mobile", "email",
        "employer_id", "is_party_member", "party_organisation_id",
    ]  # fmt: skip
    sink.progress.start(f"people {d.short}", count)
    pid = d.person_first_id
    with sink.table(Person, cols) as put:
        for e, n in enumerate(per):
            building = d.buildings[d.ent_building[e]]
            d.ent_people.append((pid, n))
            for _ in range(n):
                put((
                    pid, since, since, 1, building.node_id, d.node_id, building.street_id, person_name(rng),
                    ctx.ids.mobile(), "", d.enterprise_first_id + e, rng.random() < 0.12, None,
                ))  # fmt: skip
                pid += 1
    sink.progress.finish()


def users_write(ctx: Context, districts: list[DistrictWorld], departments: list) -> list[tuple]:
    """Liaison cadres (about one per twelve buildings of a street), one street official per street,
    and each department's staff; unusable passwords. Returns (user id, username) of the staff."""
    sink = ctx.sink
    rows: list[tuple] = []  # (username, display name, role, node id)
    for d in districts:
        rng = ctx.rng("users", d.index)
        by_street: dict[int, list[int]] = {}
        for i, b in enumerate(d.buildings):
            by_street.setdefault(b.street_index, []).append(i)
        for s, street_id in enumerate(d.street_ids):
            official = f"{USER_PREFIX}d{d.index + 1:02d}_s{s + 1:02d}_official"
            rows.append((official, person_name(rng), Role.STREET_OFFICIAL, street_id, d, ("official", s)))
            buildings = by_street.get(s, [])
            n = max(1, -(-len(buildings) // 12))
            for k in range(n):
                username = f"{USER_PREFIX}d{d.index + 1:02d}_s{s + 1:02d}_liaison{k + 1:02d}"
                rows.append(
                    (username, person_name(rng), Role.LIAISON_CADRE, street_id, d, ("cadre", s, k, buildings[k::n]))
                )
    for dept in departments:
        for k in range(dept.staff_count):
            username = f"{USER_PREFIX}{dept.key}_{k + 1:02d}"
            rows.append(
                (
                    username,
                    dept.staff_names[k],
                    Role.SERVICE_MEMBER,
                    dept.district.node_id,
                    dept.district,
                    ("staff", dept, k),
                )
            )
    first = sink.ids(User, len(rows))
    joined = ctx.now - timedelta(days=ctx.scale.days + 30)
    cols = [
        "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
        "is_active", "date_joined", "person_id", "display_name", "language", "is_demo",
    ]  # fmt: skip
    sink.progress.start("accounts", len(rows) * 2)
    with sink.table(User, cols) as put:
        for n, (username, name, *_rest) in enumerate(rows):
            put(
                (
                    first + n,
                    _UNUSABLE,
                    None,
                    False,
                    username,
                    "",
                    "",
                    "",
                    False,
                    True,
                    joined,
                    None,
                    name,
                    "zh-hans",
                    False,
                )
            )
    role_first = sink.ids(RoleAssignment, len(rows))
    cols = ["id", "user_id", "role", "node_id", "enterprise_id", "valid_from", "valid_to", "created"]
    with sink.table(RoleAssignment, cols) as put:
        for n, (username, _name, role, node_id, d, what) in enumerate(rows):
            uid = first + n
            put((role_first + n, uid, role, node_id, None, joined.date(), None, joined))
            if what[0] == "official":
                d.officials.append((uid, username))
            elif what[0] == "cadre":
                d.cadres.setdefault(what[1], []).append((uid, username))
                for b in what[3]:
                    d.liaison_of[b] = (uid, username)
            else:
                what[1].staff.append((uid, username))
    sink.progress.finish()
