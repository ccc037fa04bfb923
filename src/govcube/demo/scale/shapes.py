"""How big each scale is, and the marks that tell generated data from real data."""

from __future__ import annotations

from dataclasses import dataclass

# Every generated territory node's code starts with this; generated usernames with USER_PREFIX.
CODE_PREFIX = "GEN-"
USER_PREFIX = "gen_"


@dataclass(frozen=True)
class Scale:
    """Rows per district (a city multiplies them by ``districts``)."""

    name: str
    districts: int
    streets: int
    block_grids: int
    cluster_grids: int
    buildings: int
    enterprises: int
    tenancies: int
    people: int
    bodies: int
    topics: int
    meetings: int
    visits: int
    requests: int
    audit_events: int
    days: int = 730  # how far back the history reaches

    @property
    def total_rows(self) -> int:
        per_district = (
            self.buildings * 13  # building, its node and twelve tax records
            + self.enterprises
            + self.tenancies
            + self.people
            + self.topics
            + self.meetings
            + self.visits
            + self.requests
            + self.audit_events
        )
        return per_district * self.districts


DISTRICT = Scale(
    name="district",
    districts=1,
    streets=14,
    block_grids=80,
    cluster_grids=400,
    buildings=1_500,
    enterprises=60_000,
    tenancies=90_000,
    people=300_000,
    bodies=150,
    topics=120_000,
    meetings=25_000,
    visits=40_000,
    requests=250_000,
    audit_events=1_000_000,
)
CITY = Scale(**{**DISTRICT.__dict__, "name": "city", "districts": 16})
TINY = Scale(
    name="tiny",
    districts=1,
    streets=3,
    block_grids=4,
    cluster_grids=8,
    buildings=20,
    enterprises=200,
    tenancies=300,
    people=600,
    bodies=12,
    topics=300,
    meetings=60,
    visits=120,
    requests=400,
    audit_events=2_000,
    days=365,
)
SCALES = {scale.name: scale for scale in (TINY, DISTRICT, CITY)}

# Shanghai's sixteen districts: (administrative code, name, short name, map centre).
DISTRICTS: list[tuple[str, str, str, tuple[float, float]]] = [
    ("310106", "静安区", "静安", (31.2290, 121.4480)),
    ("310101", "黄浦区", "黄浦", (31.2317, 121.4845)),
    ("310104", "徐汇区", "徐汇", (31.1885, 121.4365)),
    ("310105", "长宁区", "长宁", (31.2204, 121.4241)),
    ("310107", "普陀区", "普陀", (31.2495, 121.3970)),
    ("310109", "虹口区", "虹口", (31.2646, 121.5052)),
    ("310110", "杨浦区", "杨浦", (31.2595, 121.5260)),
    ("310112", "闵行区", "闵行", (31.1128, 121.3818)),
    ("310113", "宝山区", "宝山", (31.4052, 121.4894)),
    ("310114", "嘉定区", "嘉定", (31.3747, 121.2654)),
    ("310115", "浦东新区", "浦东", (31.2215, 121.5447)),
    ("310116", "金山区", "金山", (30.7417, 121.3420)),
    ("310117", "松江区", "松江", (31.0322, 121.2277)),
    ("310118", "青浦区", "青浦", (31.1510, 121.1244)),
    ("310120", "奉贤区", "奉贤", (30.9180, 121.4740)),
    ("310151", "崇明区", "崇明", (31.6230, 121.3977)),
]
