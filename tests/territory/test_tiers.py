from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govcube.core.errors import DomainError
from govcube.territory.models import TIER_THRESHOLD, Tier
from govcube.territory.services import tax_record_set
from govcube.territory.tiers import compute_tier

M = Decimal("1000000")  # ¥1m


def months(year, amounts):
    return [(date(year, i + 1, 1), Decimal(a)) for i, a in enumerate(amounts)]


def test_a_month_at_the_threshold_makes_a_monthly_billion_building():
    assert compute_tier(months(2025, [TIER_THRESHOLD] + [0] * 11)).tier == Tier.MONTHLY_BILLION


def test_a_year_at_the_threshold_without_such_a_month_is_a_billion_building():
    result = compute_tier(months(2025, [TIER_THRESHOLD / 10] * 10))
    assert result.tier == Tier.BILLION and result.annual == TIER_THRESHOLD


def test_just_below_is_other():
    assert compute_tier(months(2025, [TIER_THRESHOLD - Decimal("0.01")])).tier == Tier.OTHER


def test_the_latest_year_counts():
    records = months(2024, [TIER_THRESHOLD * 2]) + months(2025, [M])
    result = compute_tier(records)
    assert result.year == 2025 and result.tier == Tier.OTHER


def test_no_records_is_other():
    assert compute_tier([]).tier == Tier.OTHER


@given(st.lists(st.decimals(min_value=0, max_value=300_000_000, places=2, allow_nan=False), min_size=1, max_size=12))
def test_tier_matches_its_definition(amounts):
    result = compute_tier(months(2025, amounts))
    if max(amounts) >= TIER_THRESHOLD:
        assert result.tier == Tier.MONTHLY_BILLION
    elif sum(amounts) >= TIER_THRESHOLD:
        assert result.tier == Tier.BILLION
    else:
        assert result.tier == Tier.OTHER


@pytest.mark.django_db
def test_tax_records_recompute_the_stored_tier(personas, world):
    b = world.henglong
    tax_record_set(actor=personas.street_njxl, building=b, month=date(2025, 3, 1), amount=Decimal("60000000"))
    b.refresh_from_db()
    assert b.tier == Tier.OTHER
    tax_record_set(actor=personas.street_njxl, building=b, month=date(2025, 4, 1), amount=Decimal("50000000"))
    b.refresh_from_db()
    assert b.tier == Tier.BILLION and b.annual_tax == Decimal("110000000")
    tax_record_set(actor=personas.street_njxl, building=b, month=date(2025, 4, 1), amount=Decimal("120000000"))
    b.refresh_from_db()
    assert b.tier == Tier.MONTHLY_BILLION


@pytest.mark.django_db
def test_a_negative_tax_amount_is_refused_and_nothing_stored(personas, world):
    with pytest.raises(DomainError) as exc:
        tax_record_set(
            actor=personas.street_njxl, building=world.henglong, month=date(2025, 1, 1), amount=Decimal("-1")
        )
    assert exc.value.field == "amount"
    assert not world.henglong.tax_records.exists()


@pytest.mark.django_db
def test_another_streets_official_cannot_set_tax(personas, world):
    from govcube.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        tax_record_set(actor=personas.street_jas, building=world.henglong, month=date(2025, 1, 1), amount=Decimal("1"))
