"""The team and department dashboard: KPI cards, the department ranking, a team member table,
two charts (ECharts, vendored, drawn from a JSON island) and the xlsx export of the KPI table.

The team lead, district leadership and street officials see their territory; a department's
coordinator sees their department. Numbers are computed on request with a fixed number of
aggregate queries (see ``govcube.services.kpis``).
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from govcube.core import access
from govcube.core.listing import xlsx_response
from govcube.services import kpis
from govcube.services.models import Department, Domain, SatisfactionLevel

PERIODS = ("this_month", "last_month", "this_year")
CARD_KPIS = ("response_rate", "on_time_closure_rate", "closure_rate", "resolution_rate", "satisfaction_rate")
SMALL_KPIS = ("rework_rate", "extension_rate")
MAX_CUSTOM_DAYS = 366


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def export_columns(group_header) -> list:
    columns = [
        (_("Rank"), lambda row: row.rank),
        (group_header, lambda row: row.label),
    ]
    for definition in kpis.KPIS:
        code = definition.code
        columns += [
            (f"{definition.label} (%)", lambda row, code=code: row[code].percent),
            (f"{definition.label} · {_('numerator')}", lambda row, code=code: row[code].numerator),
            (f"{definition.label} · {_('denominator')}", lambda row, code=code: row[code].denominator),
        ]
    columns += [
        (_("Median handling time (working hours)"), lambda row: row.handling.median_hours),
        (_("90th percentile handling time (working hours)"), lambda row: row.handling.p90_hours),
        (_("Resolved requests"), lambda row: row.handling.count),
        (_("Composite score"), lambda row: row.composite),
    ]
    return columns


def _label_rows(rows: list[kpis.KpiRow], objects: dict, unknown) -> None:
    for row in rows:
        row.obj = objects.get(row.key)
        row.label = str(row.obj) if row.obj is not None else str(unknown)


def _chart_data(requests, period: kpis.Period) -> dict:
    weeks = kpis.weeks_of(period)
    per_week = kpis.requests_per_week(requests, period)
    distribution = kpis.satisfaction_distribution(requests, period)
    levels = dict(SatisfactionLevel.choices)
    return {
        "weeks": [week.isoformat() for week in weeks],
        "domains": [
            {
                "code": code,
                "label": str(label),
                "counts": [per_week.get(code, {}).get(week, 0) for week in weeks],
            }
            for code, label in Domain.choices
        ],
        "satisfaction": [
            {"score": score, "label": str(levels[score]), "count": count} for score, count in distribution.items()
        ],
        "text": {
            "requests": str(_("Requests")),
            "ratings": str(_("Ratings")),
            "week": str(_("Week of")),
        },
    }


def _custom_period(start: str | None, end: str | None) -> kpis.Period | None:
    """``?from=2025-11-01&to=2025-11-30`` (both days included, at most a year); None when absent or invalid."""
    try:
        first, last = date.fromisoformat(start or ""), date.fromisoformat(end or "")
    except ValueError:
        return None
    if last < first or (last - first).days > MAX_CUSTOM_DAYS:
        return None
    return kpis.Period(kpis.midnight(first), kpis.midnight(last + timedelta(days=1)))


@access.login
def dashboard(request):
    requests, limited_to = kpis.kpi_scope(user=request.user)
    period = _custom_period(request.GET.get("from"), request.GET.get("to"))
    if period is None:
        period_code = request.GET.get("period", "this_month")
        period = kpis.period_named(period_code if period_code in PERIODS else "this_month")
    period_code = period.code
    departments = limited_to if limited_to is not None else list(Department.objects.order_by("name"))
    by_pk = {d.pk: d for d in departments}
    department = by_pk.get(_int(request.GET.get("department")))
    domain = request.GET.get("domain", "")
    domain = domain if domain in Domain.values else ""
    filtered = kpis.requests_filtered(requests, department=department, domain=domain or None)

    table = kpis.kpi_table(filtered, period, by="department")
    _label_rows(table.rows, by_pk, _("Other department"))
    single = department or (limited_to[0] if limited_to is not None and len(limited_to) == 1 else None)
    members = None
    if single is not None:
        members = kpis.kpi_table(kpis.requests_filtered(filtered, department=single), period, by="owner")
        users = get_user_model().objects.in_bulk([row.key for row in members.rows if row.key is not None])
        _label_rows(members.rows, users, _("Not assigned"))

    export = request.GET.get("format") == "xlsx"
    if export:
        if request.GET.get("table") == "members" and members is not None:
            return xlsx_response(
                filename=f"kpi-team-{period.code}", columns=export_columns(_("Team member")), rows=members.rows
            )
        return xlsx_response(
            filename=f"kpi-departments-{period.code}", columns=export_columns(_("Department")), rows=table.rows
        )

    total = table.total
    data = _chart_data(filtered, period)
    week_rows = [(week, [d["counts"][index] for d in data["domains"]]) for index, week in enumerate(data["weeks"])]
    context = {
        "period": period,
        "period_code": period_code,
        "custom_from": period.start.date().isoformat() if period_code == "custom" else "",
        "custom_to": period.last_day.isoformat() if period_code == "custom" else "",
        "periods": [(code, kpis.PERIOD_LABELS[code]) for code in PERIODS],
        "departments": departments,
        "department": department,
        "domains": Domain.choices,
        "domain": domain,
        "total": total,
        "cards": [(kpis.KPI_BY_CODE[code], total[code]) for code in CARD_KPIS],
        "small_cards": [(kpis.KPI_BY_CODE[code], total[code]) for code in SMALL_KPIS],
        "kpi_definitions": kpis.KPIS,
        "table": table,
        "members": members,
        "single": single,
        "weights": kpis.DEFAULT_WEIGHTS,
        "weight_labels": [(kpis.KPI_BY_CODE[code].label, weight) for code, weight in kpis.DEFAULT_WEIGHTS.items()],
        "data": data,
        "week_rows": week_rows,
        "filter_query": urlencode(
            {k: request.GET[k] for k in ("period", "from", "to", "department", "domain") if request.GET.get(k)}
        ),
    }
    return render(request, "services/dashboard/index.html", context)


urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
]
