"""KPIs on a small fixed data set, with every expected number computed by hand below.

The period is November 2025 (no official holiday in it); office hours 09:00-12:00 and
13:00-18:00, so a full working day is 8 working hours. Departments: hr (work permits,
domain talent) and tax (invoices, domain finance). All requests are built straight with the
ORM so that every timestamp is explicit.

    #    dept bldg  submitted        1st due    1st answer resolution due resolved          status    notes
    R1   hr   HL    11-03 Mon 09:00  11-03 14:00 11-03 10:00 11-10 18:00   11-04 12:00       closed    rated 5 solved
    R2   hr   HL    11-04 Tue 09:00  11-04 14:00 11-04 15:00 11-11 18:00   11-12 10:00 late  closed    paused 8 h, rated 3 not solved
    R3   hr   HL    11-05 Wed 09:00  11-05 14:00 —           11-12 18:00   —                 assigned
    R4   hr   HL    11-06 Thu 14:00  11-07 09:00 11-06 16:00 11-20 18:00   11-19 18:00       resolved  extended 3 d, reopened once;
                                                                                                      rated 2 not solved (round 0, 11-12),
                                                                                                      4 solved (round 1, 11-20)
    R5   tax  HL    11-10 Mon 09:00  11-10 13:00 11-10 13:00 11-13 18:00   11-13 17:00       closed    answered exactly at the deadline; rated 4 solved
    R6   tax  HL    11-11 Tue 09:00  11-11 13:00 11-11 09:30 11-14 18:00   —                 withdrawn
    R7   tax  HL    11-12 Wed 09:00  11-12 13:00 11-12 12:00 11-17 18:00   11-18 09:30 late  closed    rated 1 not solved
    R8   tax  HL    10-28 Tue 09:00  10-28 13:00 10-28 10:00 11-03 18:00   10-31 12:00       closed    filed and resolved in October,
                                                                                                      due in November; rated 1 on 10-31
    R9   hr   HL    11-20 Thu 09:00  11-20 13:00 —           11-27 18:00   —                 in_progress owner: the hr coordinator
    R10  hr   HL    11-25 Tue 09:00  11-25 13:00 11-25 10:00 12-02 18:00   —                 in_progress due in December
    R11  hr   HL    11-26 Wed 09:00  11-26 13:00 —           12-03 18:00   —                 merged
    R12  tax  JAS   11-17 Mon 09:00  11-17 13:00 11-17 11:00 11-20 18:00   11-20 10:00       closed    rated 5 solved
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govcube.services import kpis
from govcube.services.models import Rating, RequestStatus, ServiceRequest
from govcube.workdays.calendar import TZ

pytestmark = pytest.mark.django_db

NOVEMBER = kpis.Period(datetime(2025, 11, 1, tzinfo=TZ), datetime(2025, 12, 1, tzinfo=TZ))
H = 3600


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=TZ)


def _request(n, desk, world, item, *, submitted, fr_due, fr_at, due, resolved=None, status, owner=None, **extra):
    building = extra.pop("building", world.henglong)
    return ServiceRequest.objects.create(
        number=f"FWT{n:05d}",
        enterprise=world.ent_a,
        building=building,
        item=item,
        policy=item.current_policy,
        department=item.department,
        owner=owner,
        title=f"R{n}",
        description="…",
        status=status,
        submitted_at=submitted,
        first_response_due=fr_due,
        first_responded_at=fr_at,
        resolution_due=due,
        resolved_at=resolved,
        district_id_scope=building.district_id,
        street_id_scope=building.street_id,
        **extra,
    )


def _rate(request, *, score, solved, created, round=0):
    rating = Rating.objects.create(request=request, round=round, score=score, solved=solved)
    Rating.objects.filter(pk=rating.pk).update(created=created)


@pytest.fixture
def data(desk, world):
    return build_data(desk, world)


def build_data(desk, world) -> dict[int, ServiceRequest]:
    """R1…R12 and their ratings, as in the table at the top of this module."""
    hr, tax = desk.permit, desk.invoice
    m, c, t = desk.hr_member, desk.hr_coordinator, desk.tax_member
    S = RequestStatus
    r = {}
    r[1] = _request(1, desk, world, hr, submitted=at(11, 3), fr_due=at(11, 3, 14), fr_at=at(11, 3, 10),
                    due=at(11, 10, 18), resolved=at(11, 4, 12), status=S.CLOSED, owner=m)  # fmt: skip
    r[2] = _request(2, desk, world, hr, submitted=at(11, 4), fr_due=at(11, 4, 14), fr_at=at(11, 4, 15),
                    due=at(11, 11, 18), resolved=at(11, 12, 10), status=S.CLOSED, owner=m,
                    paused_seconds=8 * H)  # fmt: skip
    r[3] = _request(3, desk, world, hr, submitted=at(11, 5), fr_due=at(11, 5, 14), fr_at=None,
                    due=at(11, 12, 18), status=S.ASSIGNED, owner=m)  # fmt: skip
    r[4] = _request(4, desk, world, hr, submitted=at(11, 6, 14), fr_due=at(11, 7, 9), fr_at=at(11, 6, 16),
                    due=at(11, 20, 18), resolved=at(11, 19, 18), status=S.RESOLVED, owner=m,
                    extension_days=3, reopen_count=1)  # fmt: skip
    r[5] = _request(5, desk, world, tax, submitted=at(11, 10), fr_due=at(11, 10, 13), fr_at=at(11, 10, 13),
                    due=at(11, 13, 18), resolved=at(11, 13, 17), status=S.CLOSED, owner=t)  # fmt: skip
    r[6] = _request(6, desk, world, tax, submitted=at(11, 11), fr_due=at(11, 11, 13), fr_at=at(11, 11, 9, 30),
                    due=at(11, 14, 18), status=S.WITHDRAWN, owner=t)  # fmt: skip
    r[7] = _request(7, desk, world, tax, submitted=at(11, 12), fr_due=at(11, 12, 13), fr_at=at(11, 12, 12),
                    due=at(11, 17, 18), resolved=at(11, 18, 9, 30), status=S.CLOSED, owner=t)  # fmt: skip
    r[8] = _request(8, desk, world, tax, submitted=at(10, 28), fr_due=at(10, 28, 13), fr_at=at(10, 28, 10),
                    due=at(11, 3, 18), resolved=at(10, 31, 12), status=S.CLOSED, owner=t)  # fmt: skip
    r[9] = _request(9, desk, world, hr, submitted=at(11, 20), fr_due=at(11, 20, 13), fr_at=None,
                    due=at(11, 27, 18), status=S.IN_PROGRESS, owner=c)  # fmt: skip
    r[10] = _request(10, desk, world, hr, submitted=at(11, 25), fr_due=at(11, 25, 13), fr_at=at(11, 25, 10),
                     due=at(12, 2, 18), status=S.IN_PROGRESS, owner=m)  # fmt: skip
    r[11] = _request(11, desk, world, hr, submitted=at(11, 26), fr_due=at(11, 26, 13), fr_at=None,
                     due=at(12, 3, 18), status=S.MERGED, owner=m)  # fmt: skip
    r[12] = _request(12, desk, world, tax, submitted=at(11, 17), fr_due=at(11, 17, 13), fr_at=at(11, 17, 11),
                     due=at(11, 20, 18), resolved=at(11, 20, 10), status=S.CLOSED, owner=t,
                     building=world.jas_building)  # fmt: skip
    _rate(r[1], score=5, solved=True, created=at(11, 5, 10))
    _rate(r[2], score=3, solved=False, created=at(11, 13, 10))
    _rate(r[4], score=2, solved=False, created=at(11, 12, 10), round=0)
    _rate(r[4], score=4, solved=True, created=at(11, 20, 10), round=1)
    _rate(r[5], score=4, solved=True, created=at(11, 14, 10))
    _rate(r[7], score=1, solved=False, created=at(11, 19, 10))
    _rate(r[8], score=1, solved=False, created=at(10, 31, 15))
    _rate(r[12], score=5, solved=True, created=at(11, 21, 10))
    return r


def everything():
    return ServiceRequest.objects.all()


def test_response_rate(data):
    # Dispatched in November: R1 R2 R3 R4 R5 R7 R9 R10 R12 = 9 (R6 withdrawn, R11 merged, R8 filed in October).
    # Answered by the first-response deadline: R1, R4, R5 (exactly at it), R7, R10, R12 = 6
    # (R2 answered late, R3 and R9 not answered).
    ratio = kpis.response_rate(everything(), NOVEMBER)
    assert (ratio.numerator, ratio.denominator) == (6, 9)
    assert ratio.rate == pytest.approx(6 / 9)


def test_closure_rates(data):
    # Due in November: R1 R2 R3 R4 R5 R7 R8 R9 R12 = 9 (R6 withdrawn; R10, R11 due in December).
    # Closed (resolved_at set): R1 R2 R4 R5 R7 R8 R12 = 7.
    # On time (resolved_at ≤ resolution_due): R1 R4 R5 R8 R12 = 5 (R2 and R7 resolved after their deadline).
    assert kpis.closure_rate(everything(), NOVEMBER) == kpis.Ratio(7, 9)
    assert kpis.on_time_closure_rate(everything(), NOVEMBER) == kpis.Ratio(5, 9)


def test_rework_and_extension_rates(data):
    # Rework: of the 7 closed, only R4 was reopened → 1/7. Transfers are not rework.
    assert kpis.rework_rate(everything(), NOVEMBER) == kpis.Ratio(1, 7)
    # Extension: of the 9 due, only R4 had an approved extension → 1/9.
    assert kpis.extension_rate(everything(), NOVEMBER) == kpis.Ratio(1, 9)


def test_resolution_rate_uses_the_latest_round(data):
    # Requests whose latest rating was given in November: R1 R2 R4 R5 R7 R12 = 6 (R8 was rated in October).
    # Solved on the latest rating: R1, R4 (round 1 says solved; round 0 did not), R5, R12 = 4.
    assert kpis.resolution_rate(everything(), NOVEMBER) == kpis.Ratio(4, 6)


def test_satisfaction_rate_counts_ratings(data, settings):
    # Ratings given in November: R1 5, R2 3, R4 2 (round 0), R4 4 (round 1), R5 4, R7 1, R12 5 = 7.
    # Very satisfied or satisfied (5 or 4): R1, R4 round 1, R5, R12 = 4.
    assert kpis.satisfaction_rate(everything(), NOVEMBER) == kpis.Ratio(4, 7)
    # With "fairly satisfied" counting, R2's 3 counts too: 5/7.
    settings.GOVCUBE_SATISFACTION_COUNTS_FAIRLY = True
    assert kpis.satisfaction_rate(everything(), NOVEMBER) == kpis.Ratio(5, 7)


def test_handling_time_in_working_hours(data):
    # Resolved in November (R8 was resolved in October):
    #   R1  Mon 09:00 → Tue 12:00:          8 + 3                      = 11 h
    #   R2  Tue 11-04 09:00 → Wed 11-12 10:00: 6 full days 48 + 1 = 49, minus 8 h paused = 41 h
    #   R4  Thu 11-06 14:00 → Wed 11-19 18:00: 4 + 8 + 40 + 16 + 8       = 76 h
    #   R5  Mon 09:00 → Thu 17:00:           8 + 8 + 8 + (3 + 4)         = 31 h
    #   R7  Wed 11-12 09:00 → Tue 11-18 09:30: 8 + 8 + 8 + 8 + 0.5       = 32.5 h
    #   R12 Mon 09:00 → Thu 10:00:           8 + 8 + 8 + 1               = 25 h
    # Sorted 11, 25, 31, 32.5, 41, 76: median (31 + 32.5) / 2 = 31.75; 90th percentile by nearest
    # rank = the ⌈0.9 × 6⌉ = 6th value = 76.
    result = kpis.handling_time(everything(), NOVEMBER)
    assert (result.count, result.median_hours, result.p90_hours, result.capped) == (6, 31.75, 76, False)


def test_handling_time_is_capped(data):
    # With a cap of 2 only the two latest resolved count: R12 (11-20 10:00, 25 h) and R4 (11-19 18:00, 76 h).
    result = kpis.handling_time(everything(), NOVEMBER, cap=2)
    assert (result.count, result.median_hours, result.p90_hours, result.capped) == (2, 50.5, 76, True)


def test_filters_by_department_owner_building_and_domain(data, desk, world):
    # hr: dispatched R1 R2 R3 R4 R9 R10 = 6, answered in time R1 R4 R10 = 3.
    hr = kpis.requests_filtered(everything(), department=desk.hr)
    assert kpis.response_rate(hr, NOVEMBER) == kpis.Ratio(3, 6)
    # The hr coordinator owns only R9: dispatched 1, not answered; due 1, not closed.
    mine = kpis.requests_filtered(everything(), owner=desk.hr_coordinator)
    assert kpis.response_rate(mine, NOVEMBER) == kpis.Ratio(0, 1)
    assert kpis.closure_rate(mine, NOVEMBER) == kpis.Ratio(0, 1)
    # Hang Lung Plaza leaves out R12: dispatched 8, in time 5.
    henglong = kpis.requests_filtered(everything(), building=world.henglong.pk)
    assert kpis.response_rate(henglong, NOVEMBER) == kpis.Ratio(5, 8)
    # Finance (the invoice item) is the tax department's: due R5 R7 R8 R12 = 4, on time R5 R8 R12 = 3.
    finance = kpis.requests_filtered(everything(), domain="finance")
    assert kpis.on_time_closure_rate(finance, NOVEMBER) == kpis.Ratio(3, 4)


def test_department_table_and_ranking(data, desk):
    # hr:  response 3/6, on time 2/5 (due R1 R2 R3 R4 R9; on time R1 R4), satisfaction 2/4 (5, 3, 2, 4)
    #      composite = (30 × 0.5 + 35 × 0.4 + 35 × 0.5) / 100 × 100 = 15 + 14 + 17.5 = 46.5
    # tax: response 3/3, on time 3/4 (due R5 R7 R8 R12), satisfaction 2/3 (4, 1, 5)
    #      composite = 30 + 26.25 + 23.33… = 79.58… → 79.6
    # total: response 6/9, on time 5/9, satisfaction 4/7 → 20 + 19.44… + 20 = 59.44… → 59.4
    table = kpis.kpi_table(everything(), NOVEMBER, by="department")
    by_key = {row.key: row for row in table.rows}
    hr, tax = by_key[desk.hr.pk], by_key[desk.tax.pk]
    assert (hr["response_rate"], hr["on_time_closure_rate"], hr["satisfaction_rate"]) == (
        kpis.Ratio(3, 6),
        kpis.Ratio(2, 5),
        kpis.Ratio(2, 4),
    )
    assert hr["closure_rate"] == kpis.Ratio(3, 5) and hr["rework_rate"] == kpis.Ratio(1, 3)
    assert hr["resolution_rate"] == kpis.Ratio(2, 3) and hr["extension_rate"] == kpis.Ratio(1, 5)
    assert tax["resolution_rate"] == kpis.Ratio(2, 3) and tax["closure_rate"] == kpis.Ratio(4, 4)
    assert hr.composite == 46.5 and tax.composite == 79.6
    # hr handling times 11, 41, 76: median 41, p90 = ⌈2.7⌉ = 3rd = 76; tax 25, 31, 32.5: median 31, p90 32.5.
    assert (hr.handling.median_hours, hr.handling.p90_hours) == (41, 76)
    assert (tax.handling.median_hours, tax.handling.p90_hours) == (31, 32.5)
    assert [row.key for row in table.rows] == [desk.tax.pk, desk.hr.pk]
    assert [row.rank for row in table.rows] == [1, 2]
    assert table.total["response_rate"] == kpis.Ratio(6, 9) and table.total.composite == 59.4
    assert table.total.handling.median_hours == 31.75
    assert kpis.department_ranking(everything(), NOVEMBER)[0].key == desk.tax.pk


def test_team_member_table(data, desk):
    # hr_member owns R1 R2 R3 R4 R10 (R11 merged): dispatched 5, in time R1 R4 R10 = 3; the coordinator owns R9.
    table = kpis.kpi_table(kpis.requests_filtered(everything(), department=desk.hr), NOVEMBER, by="owner")
    by_key = {row.key: row for row in table.rows}
    assert by_key[desk.hr_member.pk]["response_rate"] == kpis.Ratio(3, 5)
    assert by_key[desk.hr_coordinator.pk]["response_rate"] == kpis.Ratio(0, 1)
    # The coordinator has no rating and nothing closed: the composite rests on response (0) and
    # on-time closure (0/1) alone, renormalised, and is flagged incomplete.
    assert by_key[desk.hr_coordinator.pk].composite == 0 and not by_key[desk.hr_coordinator.pk].complete


def test_custom_weights(data):
    # Only the response rate weighted: the composite is the response rate in percent, 6/9 = 66.7.
    table = kpis.kpi_table(everything(), NOVEMBER, by=None, weights={"response_rate": 1})
    assert table.total.composite == 66.7 and table.rows == []


def test_an_empty_period_has_no_rate(data):
    january = kpis.Period(datetime(2025, 1, 1, tzinfo=TZ), datetime(2025, 2, 1, tzinfo=TZ))
    ratio = kpis.response_rate(everything(), january)
    assert ratio == kpis.Ratio(0, 0) and ratio.rate is None and ratio.percent is None
    table = kpis.kpi_table(everything(), january)
    assert table.rows == [] and table.total.composite is None
    assert kpis.handling_time(everything(), january) == kpis.HandlingTime(0, None, None, False)


def test_the_table_takes_three_queries_whatever_the_data(data, desk, world, django_assert_num_queries):
    from govcube.workdays.calendar import load_calendar

    load_calendar()
    with django_assert_num_queries(3):
        kpis.kpi_table(everything(), NOVEMBER)
    for n in range(20):
        _request(100 + n, desk, world, desk.permit, submitted=at(11, 3), fr_due=at(11, 3, 14), fr_at=at(11, 3, 10),
                 due=at(11, 10, 18), resolved=at(11, 4, 12), status=RequestStatus.CLOSED, owner=desk.hr_member)  # fmt: skip
    with django_assert_num_queries(3):
        table = kpis.kpi_table(everything(), NOVEMBER)
    assert table.total["response_rate"] == kpis.Ratio(26, 29)


def test_named_periods():
    now = datetime(2026, 1, 15, 10, tzinfo=TZ)
    this_month = kpis.period_named("this_month", now=now)
    assert (this_month.start, this_month.end) == (datetime(2026, 1, 1, tzinfo=TZ), datetime(2026, 2, 1, tzinfo=TZ))
    last_month = kpis.period_named("last_month", now=now)
    assert (last_month.start, last_month.end) == (datetime(2025, 12, 1, tzinfo=TZ), datetime(2026, 1, 1, tzinfo=TZ))
    this_year = kpis.period_named("this_year", now=now)
    assert (this_year.start, this_year.end) == (datetime(2026, 1, 1, tzinfo=TZ), datetime(2027, 1, 1, tzinfo=TZ))
    assert kpis.period_named("nonsense", now=now) == this_month
    assert [w.isoformat() for w in kpis.weeks_of(last_month)][:2] == ["2025-12-01", "2025-12-08"]


def test_rank_rows_gives_shared_ranks():
    rows = [kpis.KpiRow(i, {}, kpis.HandlingTime(0, None, None), score, label=str(i)) for i, score in
            enumerate([70.0, 90.0, 70.0, None, 50.0])]  # fmt: skip
    ranked = kpis.rank_rows(rows)
    assert [(r.key, r.rank) for r in ranked] == [(1, 1), (0, 2), (2, 2), (4, 4), (3, None)]


def test_every_kpi_has_a_formula_in_its_docstring():
    assert [k.code for k in kpis.KPIS] == [
        "response_rate",
        "on_time_closure_rate",
        "closure_rate",
        "resolution_rate",
        "satisfaction_rate",
        "rework_rate",
        "extension_rate",
    ]
    for definition in kpis.KPIS:
        assert "=" in definition.__doc__ and "÷" in definition.__doc__ and str(definition.formula)


@given(st.lists(st.floats(min_value=0, max_value=5000, allow_nan=False), min_size=1, max_size=60))
def test_handling_time_percentiles_are_ordered(hours):
    result = kpis.HandlingTime.of(hours)
    assert min(hours) - 0.01 <= result.median_hours <= result.p90_hours + 0.01 <= max(hours) + 0.02
    assert result.count == len(hours)


@given(
    st.dictionaries(
        st.sampled_from(list(kpis.DEFAULT_WEIGHTS)),
        st.tuples(st.integers(0, 50), st.integers(0, 50)).map(lambda t: kpis.Ratio(min(t), max(t))),
    )
)
def test_the_composite_lies_between_its_parts(ratios):
    score, complete = kpis.composite(ratios)
    rates = [r.rate * 100 for r in ratios.values() if r.rate is not None]
    if not rates:
        assert score is None
    else:
        assert min(rates) - 0.05 <= score <= max(rates) + 0.05
        assert complete == (len(rates) == len(kpis.DEFAULT_WEIGHTS))
