"""KPIs of the chief service team (issue 5 item 7), each defined once, with its formula here.

Every KPI is a ratio of two counts computed by an aggregate query over a queryset of
service requests that the caller has already narrowed (by scope and by the dimension
filters: department, owner, building, domain — see ``requests_filtered``). The period is
half-open, ``[start, end)``, and each KPI applies it to its own relevant date.

Calling a KPI, e.g. ``response_rate(requests, period)``, answers ``Ratio(numerator,
denominator)`` with ``rate`` None when the denominator is 0. ``kpi_table`` computes every KPI for every department (or team member)
in a fixed number of queries: one over the requests, one over the ratings, one over the
resolved requests of the period for the handling times; totals are sums of the groups.

The numbers are computed on request with bounded aggregate queries. For a whole city they
should later come from a table the worker maintains (the design's performance contract).
"""

from __future__ import annotations

import functools
import operator
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govcube.accounts.permissions import scope_for
from govcube.services.models import Department, Rating, RequestStatus, SatisfactionLevel, ServiceRequest
from govcube.workdays import calendar as wd

# Requests that left the desk without being handled do not count anywhere.
NOT_HANDLED = (RequestStatus.WITHDRAWN, RequestStatus.MERGED)
HANDLING_TIME_CAP = 20_000  # rows read into Python for the handling-time percentiles
DEFAULT_WEIGHTS: dict[str, int] = {"response_rate": 30, "on_time_closure_rate": 35, "satisfaction_rate": 35}


# --- Periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A half-open interval of time ``[start, end)``, aware datetimes."""

    start: datetime
    end: datetime
    code: str = "custom"

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("a period must end after it starts")

    @property
    def label(self) -> str:
        if self.code in PERIOD_LABELS:
            return str(PERIOD_LABELS[self.code])
        return f"{wd.local(self.start).date().isoformat()} – {self.last_day.isoformat()}"

    @property
    def last_day(self) -> date:
        return wd.local(self.end - timedelta(microseconds=1)).date()


PERIOD_LABELS = {
    "this_month": _("This month"),
    "last_month": _("Last month"),
    "this_year": _("This year"),
}


def midnight(day: date) -> datetime:
    """The start of a day in Shanghai time."""
    return datetime(day.year, day.month, day.day, tzinfo=wd.TZ)


def period_named(code: str, *, now: datetime | None = None) -> Period:
    """This month, last month or this year in Shanghai time; an unknown code means this month."""
    today = wd.local(now or timezone.now()).date()
    month_start = today.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    if code == "last_month":
        previous = (month_start - timedelta(days=1)).replace(day=1)
        return Period(midnight(previous), midnight(month_start), "last_month")
    if code == "this_year":
        return Period(midnight(date(today.year, 1, 1)), midnight(date(today.year + 1, 1, 1)), "this_year")
    return Period(midnight(month_start), midnight(next_month), "this_month")


def _in(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return None if not self.denominator else self.numerator / self.denominator

    @property
    def percent(self) -> float | None:
        rate = self.rate
        return None if rate is None else round(rate * 100, 1)

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.numerator + other.numerator, self.denominator + other.denominator)


ZERO = Ratio(0, 0)


@dataclass(frozen=True)
class HandlingTime:
    """Working hours from submission to resolution, minus the time spent waiting on the enterprise."""

    count: int
    median_hours: float | None
    p90_hours: float | None
    capped: bool = False

    @classmethod
    def of(cls, hours: list[float], *, capped: bool = False) -> HandlingTime:
        if not hours:
            return cls(0, None, None, capped)
        ordered = sorted(hours)
        # Nearest-rank 90th percentile: the smallest value with at least 90 % of the values at or below it.
        p90 = ordered[-(-9 * len(ordered) // 10) - 1]  # ⌈0.9 n⌉-th, in integers (0.9 × 70 is 63.000…01)
        return cls(len(ordered), round(statistics.median(ordered), 2), round(p90, 2), capped)


@dataclass
class KpiRow:
    """Every KPI for one group (a department, a team member) or for everything (key None)."""

    key: int | None
    ratios: dict[str, Ratio]
    handling: HandlingTime
    composite: float | None = None
    rank: int | None = None
    complete: bool = True  # False when a weighted KPI had no data and the weights were renormalised
    label: str = ""
    obj: object = None

    def __getitem__(self, code: str) -> Ratio:
        # A KeyError for anything but a KPI code lets templates reach the attributes (row.rank).
        if code not in KPI_BY_CODE:
            raise KeyError(code)
        return self.ratios.get(code, ZERO)

    @property
    def cells(self) -> list[tuple[Kpi, Ratio]]:
        """Every KPI with its value, in the order of ``KPIS`` (for tables)."""
        return [(definition, self[definition.code]) for definition in KPIS]


# --- KPI definitions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """The two conditions of a ratio: the numerator counts rows matching both."""

    numerator: Q
    denominator: Q


class Kpi:
    """A KPI: the decorated function gives its terms for a period; calling the KPI computes it.

    ``level`` says what is counted: ``"request"`` (service requests) or ``"rating"`` (ratings
    of the requests).
    """

    do_not_call_in_templates = True  # templates read its code, label and formula

    def __init__(self, fn: Callable[[Period], Terms], *, code: str, label, formula, level: str, lower_is_better: bool):
        functools.update_wrapper(self, fn)
        self._terms = fn
        self.code = code
        self.label = label
        self.formula = formula
        self.level = level
        self.lower_is_better = lower_is_better

    def terms(self, period: Period) -> Terms:
        return self._terms(period)

    def counts(self, period: Period) -> dict[str, Count]:
        terms = self.terms(period)
        return {
            f"{self.code}__n": Count("pk", filter=terms.numerator & terms.denominator),
            f"{self.code}__d": Count("pk", filter=terms.denominator),
        }

    def __call__(self, requests: QuerySet[ServiceRequest], period: Period) -> Ratio:
        row = _base(requests, self.level).aggregate(**self.counts(period))
        return Ratio(row[f"{self.code}__n"], row[f"{self.code}__d"])

    def __repr__(self) -> str:
        return f"<Kpi {self.code}>"


KPIS: list[Kpi] = []


def kpi(*, label, formula, level: str = "request", lower_is_better: bool = False):
    def decorator(fn: Callable[[Period], Terms]) -> Kpi:
        definition = Kpi(
            fn, code=fn.__name__, label=label, formula=formula, level=level, lower_is_better=lower_is_better
        )
        KPIS.append(definition)
        return definition

    return decorator


def _base(requests: QuerySet[ServiceRequest], level: str) -> QuerySet:
    if level == "rating":
        return Rating.objects.filter(request__in=requests.order_by().values("pk")).order_by()
    return requests.order_by()


def _dispatched(period: Period) -> Q:
    return _in("submitted_at", period) & ~Q(status__in=NOT_HANDLED)


def _due(period: Period) -> Q:
    return _in("resolution_due", period) & ~Q(status__in=NOT_HANDLED)


_CLOSED = Q(resolved_at__isnull=False)


def _latest_rating() -> QuerySet[Rating]:
    """The rating of the request's latest rated handling round (a correlated subquery)."""
    later = Rating.objects.filter(request=OuterRef("request"), round__gt=OuterRef("round"))
    return Rating.objects.filter(request=OuterRef("pk")).filter(~Exists(later))


@kpi(
    label=_("Response rate"),
    formula=_("requests first answered within the first-response deadline ÷ requests dispatched"),
)
def response_rate(period: Period) -> Terms:
    """响应率 = requests signed for and answered in time ÷ requests dispatched.

    * denominator (dispatched): ``submitted_at`` in the period, not withdrawn or merged;
    * numerator: of those, ``first_responded_at`` is set and ``first_responded_at ≤
      first_response_due``. ``first_responded_at`` is stamped by the first contact of the
      handling side with the enterprise (a message, a question or the answer), which is how
      the desk records that the request was signed for and the enterprise was contacted.
    """
    return Terms(
        numerator=Q(first_responded_at__isnull=False, first_responded_at__lte=F("first_response_due")),
        denominator=_dispatched(period),
    )


@kpi(
    label=_("On-time closure rate"),
    formula=_("requests closed by their resolution deadline ÷ requests due in the period"),
)
def on_time_closure_rate(period: Period) -> Terms:
    """按期结案率 = requests closed by their resolution deadline ÷ requests due (应结案数).

    * denominator (due): ``resolution_due`` in the period (the deadline as it stands, with
      approved extensions and paused time), not withdrawn or merged;
    * numerator: of those, ``resolved_at`` is set and ``resolved_at ≤ resolution_due``.
    """
    return Terms(numerator=_CLOSED & Q(resolved_at__lte=F("resolution_due")), denominator=_due(period))


@kpi(label=_("Closure rate"), formula=_("requests closed ÷ requests due in the period"))
def closure_rate(period: Period) -> Terms:
    """结案率 = requests closed ÷ requests due.

    * denominator: as for the on-time closure rate (``resolution_due`` in the period);
    * numerator: of those, ``resolved_at`` is set (resolved, whenever; a reopened request is
      not closed until it is resolved again).
    """
    return Terms(numerator=_CLOSED, denominator=_due(period))


@kpi(
    label=_("Resolution rate"),
    formula=_("requests the enterprise confirmed as solved ÷ requests with a valid follow-up"),
)
def resolution_rate(period: Period) -> Terms:
    """解决率 = requests the enterprise confirmed as solved ÷ requests with a valid follow-up (有效回访).

    * denominator: requests whose latest rating (the rating of the highest handling round)
      was given in the period;
    * numerator: of those, that latest rating says the problem was solved (``Rating.solved``).
    """
    latest = _latest_rating()
    return Terms(
        numerator=Q(Exists(latest.filter(solved=True))),
        denominator=Q(Exists(latest.filter(created__gte=period.start, created__lt=period.end))),
    )


def satisfied_scores() -> list[int]:
    """Very satisfied and satisfied; fairly satisfied too when GOVCUBE_SATISFACTION_COUNTS_FAIRLY is on."""
    scores = [SatisfactionLevel.VERY_SATISFIED, SatisfactionLevel.SATISFIED]
    if getattr(settings, "GOVCUBE_SATISFACTION_COUNTS_FAIRLY", False):
        scores.append(SatisfactionLevel.FAIRLY_SATISFIED)
    return [int(score) for score in scores]


@kpi(
    label=_("Satisfaction rate"),
    formula=_("ratings “very satisfied” and “satisfied” ÷ valid ratings"),
    level="rating",
)
def satisfaction_rate(period: Period) -> Terms:
    """满意率 = ratings 5 (非常满意) + 4 (满意) ÷ valid ratings, counted over ratings.

    * denominator: every rating given in the period (``Rating.created``), every handling round
      counts (a reopened and re-rated request has two ratings);
    * numerator: of those, score 5 or 4; with ``GOVCUBE_SATISFACTION_COUNTS_FAIRLY`` set, 3
      (基本满意) as well.
    """
    return Terms(numerator=Q(score__in=satisfied_scores()), denominator=_in("created", period))


@kpi(
    label=_("Rework rate"),
    formula=_("closed requests that were reopened ÷ closed requests"),
    lower_is_better=True,
)
def rework_rate(period: Period) -> Terms:
    """返工率 = requests reopened (sent back at verification) ÷ closed.

    * denominator (closed): due in the period and resolved, as the closure rate's numerator;
    * numerator: of those, ``reopen_count > 0``.

    Transfers to another department (``transfer_count``) are not rework: they happen before
    the answer and are counted apart.
    """
    return Terms(numerator=Q(reopen_count__gt=0), denominator=_due(period) & _CLOSED)


@kpi(
    label=_("Extension rate"),
    formula=_("requests with an approved extension ÷ requests due in the period"),
    lower_is_better=True,
)
def extension_rate(period: Period) -> Terms:
    """延期率 = approved extensions ÷ due, counted per request.

    * denominator: due in the period, as for the closure rates;
    * numerator: of those, requests with at least one approved extension
      (``extension_days > 0``; the column grows only when an extension is approved).
    """
    return Terms(numerator=Q(extension_days__gt=0), denominator=_due(period))


KPI_BY_CODE: dict[str, Kpi] = {k.code: k for k in KPIS}


# --- Scope and filters -----------------------------------------------------------------------


def kpi_scope(*, user) -> tuple[QuerySet[ServiceRequest], list | None]:
    """The requests whose KPIs a user may see, and the departments they are limited to (None: all).

    The team lead, district leadership and street officials (``services.view_servicerequest``)
    see their territory; a department's coordinator sees their department(s). Anyone else is
    refused (``PermissionDenied``).
    """
    scope = scope_for(user, "services.view_servicerequest")
    if not scope.is_empty:
        q = scope.territory_q(path="building__node__path", district="district_id_scope", street="street_id_scope")
        return ServiceRequest.objects.filter(q), None
    coordinated = list(Department.objects.filter(coordinator=user).order_by("name")) if user.is_authenticated else []
    if coordinated:
        return ServiceRequest.objects.filter(department__in=[d.pk for d in coordinated]), coordinated
    raise PermissionDenied


def requests_filtered(
    requests: QuerySet[ServiceRequest],
    *,
    department=None,
    owner=None,
    building=None,
    domain: str | None = None,
) -> QuerySet[ServiceRequest]:
    """Narrow a (scoped) queryset by the KPI dimensions; each filter accepts an object or a primary key."""
    if department is not None:
        requests = requests.filter(department=department)
    if owner is not None:
        requests = requests.filter(owner=owner)
    if building is not None:
        requests = requests.filter(building=building)
    if domain:
        requests = requests.filter(item__domain=domain)
    return requests


# --- Handling time ---------------------------------------------------------------------------


def handling_time(requests: QuerySet[ServiceRequest], period: Period, *, cap: int = HANDLING_TIME_CAP) -> HandlingTime:
    """Median and 90th percentile (nearest rank) of the handling time of the requests resolved in the period.

    handling time = working time from ``submitted_at`` to ``resolved_at`` on the working-day
    calendar and office hours, minus ``paused_seconds`` (waiting on the enterprise), in
    hours; a reopened request counts from its submission to its latest resolution. Computed
    in Python over at most ``cap`` requests (the latest resolved); ``capped`` tells when more
    were left out.
    """
    return _handling_times(requests, period, by=None, cap=cap)[0]


def _handling_times(
    requests: QuerySet[ServiceRequest], period: Period, *, by: str | None, cap: int
) -> tuple[HandlingTime, dict[int | None, HandlingTime]]:
    """The overall handling time and the handling time per group (one query)."""
    fields = ["submitted_at", "resolved_at", "paused_seconds"]
    rows = list(
        requests.order_by()
        .filter(_in("resolved_at", period))
        .order_by("-resolved_at", "-pk")
        .values_list(*fields, *([by] if by else []))[: cap + 1]
    )
    capped = len(rows) > cap
    calendar = wd.load_calendar()
    groups: dict[int | None, list[float]] = defaultdict(list)
    overall: list[float] = []
    for row in rows[:cap]:
        submitted_at, resolved_at, paused_seconds = row[:3]
        worked = calendar.working_time_between(submitted_at, resolved_at) - timedelta(seconds=paused_seconds)
        hours = max(worked, timedelta(0)) / timedelta(hours=1)
        overall.append(hours)
        if by:
            groups[row[3]].append(hours)
    by_group = {key: HandlingTime.of(values, capped=capped) for key, values in groups.items()}
    return HandlingTime.of(overall, capped=capped), by_group


# --- Composite and tables --------------------------------------------------------------------


def composite(ratios: dict[str, Ratio], weights: dict[str, float] | None = None) -> tuple[float | None, bool]:
    """The weighted composite on a 0–100 scale: Σ wᵢ·rateᵢ ÷ Σ wᵢ × 100 (default 30/35/35 for the
    response, on-time closure and satisfaction rates).

    A KPI without data (rate None) is left out and the other weights renormalised; the second
    value says whether every weighted KPI had data. None when none had.
    """
    weights = DEFAULT_WEIGHTS if weights is None else weights
    total = weighted = 0.0
    complete = True
    for code, weight in weights.items():
        if weight <= 0:
            continue
        rate = ratios.get(code, ZERO).rate
        if rate is None:
            complete = False
            continue
        total += weight
        weighted += weight * rate
    if total == 0:
        return None, False
    return round(weighted / total * 100, 1), complete


def rank_rows(rows: list[KpiRow]) -> list[KpiRow]:
    """Order by composite (highest first) and give competition ranks (1, 2, 2, 4); no composite, no rank."""
    ranked = sorted(
        rows, key=lambda r: (r.composite is None, -(r.composite or 0), r.label, -1 if r.key is None else r.key)
    )
    previous, rank = None, 0
    for position, row in enumerate(ranked, start=1):
        if row.composite is None:
            row.rank = None
            continue
        if row.composite != previous:
            rank, previous = position, row.composite
        row.rank = rank
    return ranked


@dataclass
class KpiTable:
    total: KpiRow
    rows: list[KpiRow] = field(default_factory=list)


def _grouped_counts(requests: QuerySet[ServiceRequest], period: Period, by: str | None, level: str) -> list[dict]:
    definitions = [k for k in KPIS if k.level == level]
    counts: dict[str, Count] = {}
    for definition in definitions:
        counts.update(definition.counts(period))
    # Only rows that some KPI counts: the union of the denominators keeps the scan to the period.
    base = _base(requests, level).filter(
        functools.reduce(operator.or_, (k.terms(period).denominator for k in definitions))
    )
    if by is None:
        return [{"key": None, **base.aggregate(**counts)}]
    column = by if level == "request" else f"request__{by}"
    return [{"key": row.pop(column), **row} for row in base.values(column).annotate(**counts).order_by(column)]


def kpi_table(
    requests: QuerySet[ServiceRequest],
    period: Period,
    *,
    by: str | None = "department",
    weights: dict[str, float] | None = None,
    cap: int = HANDLING_TIME_CAP,
) -> KpiTable:
    """Every KPI per group (``by``: "department" or "owner"; None: no groups) and in total, ranked.

    Three queries whatever the number of requests and groups. Groups with nothing to count
    in the period are left out. Totals are the sums of the groups' numerators and
    denominators (each request belongs to exactly one group).
    """
    if by not in (None, "department", "owner"):
        raise ValueError(f"cannot group KPIs by {by!r}")
    ratios: dict[int | None, dict[str, Ratio]] = defaultdict(dict)
    for level in ("request", "rating"):
        for row in _grouped_counts(requests, period, by, level):
            for definition in (k for k in KPIS if k.level == level):
                ratios[row["key"]][definition.code] = Ratio(row[f"{definition.code}__n"], row[f"{definition.code}__d"])
    overall, handling = _handling_times(requests, period, by=by, cap=cap)
    empty = HandlingTime.of([], capped=overall.capped)
    totals = {k.code: ZERO for k in KPIS}
    for values in ratios.values():
        for code, ratio in values.items():
            totals[code] = totals[code] + ratio
    rows = []
    if by is not None:
        for key in set(ratios) | set(handling):
            values = {k.code: ratios.get(key, {}).get(k.code, ZERO) for k in KPIS}
            if not any(r.denominator for r in values.values()) and key not in handling:
                continue
            score, complete = composite(values, weights)
            rows.append(KpiRow(key, values, handling.get(key, empty), score, complete=complete))
    score, complete = composite(totals, weights)
    total = KpiRow(None, totals, overall, score, complete=complete)
    return KpiTable(total=total, rows=rank_rows(rows))


def department_ranking(
    requests: QuerySet[ServiceRequest], period: Period, *, weights: dict[str, float] | None = None
) -> list[KpiRow]:
    """Departments ranked by the weighted composite (the requests' current department counts)."""
    return kpi_table(requests, period, by="department", weights=weights).rows


# --- Chart data ------------------------------------------------------------------------------


def weeks_of(period: Period) -> list[date]:
    """The Mondays of the weeks that overlap the period."""
    first = wd.local(period.start).date()
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= period.last_day:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def requests_per_week(requests: QuerySet[ServiceRequest], period: Period) -> dict[str, dict[date, int]]:
    """Requests submitted per week (Monday, Shanghai time) and domain: {domain: {monday: count}} (one query)."""
    rows = (
        requests.order_by()
        .filter(_in("submitted_at", period))
        .annotate(week=TruncWeek("submitted_at", tzinfo=wd.TZ))
        .values("week", "item__domain")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result: dict[str, dict[date, int]] = defaultdict(dict)
    for row in rows:
        week = row["week"]
        week = wd.local(week).date() if isinstance(week, datetime) else week
        result[row["item__domain"]][week] = result[row["item__domain"]].get(week, 0) + row["n"]
    return result


def satisfaction_distribution(requests: QuerySet[ServiceRequest], period: Period) -> dict[int, int]:
    """Ratings given in the period per score 5…1 (one query)."""
    rows = _base(requests, "rating").filter(_in("created", period)).values("score").annotate(n=Count("pk")).order_by()
    counts = {int(level): 0 for level in SatisfactionLevel.values}
    for row in rows:
        counts[row["score"]] = row["n"]
    return dict(sorted(counts.items(), reverse=True))
