"""Building tiers are computed from tax records, never typed.

月亿楼 (monthly ¥100m building): a month of the tier year with tax revenue ≥ ¥100m.
亿元楼 (¥100m building): the tier year's total tax revenue ≥ ¥100m.
The tier year is the latest calendar year that has any tax record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from govcube.territory.models import TIER_THRESHOLD, Tier


@dataclass(frozen=True)
class TierResult:
    tier: str
    year: int | None
    annual: Decimal


def compute_tier(records: Iterable[tuple[date, Decimal]]) -> TierResult:
    by_year: dict[int, list[Decimal]] = {}
    for month, amount in records:
        by_year.setdefault(month.year, []).append(Decimal(amount))
    if not by_year:
        return TierResult(Tier.OTHER, None, Decimal("0"))
    year = max(by_year)
    amounts = by_year[year]
    annual = sum(amounts, Decimal("0"))
    if any(amount >= TIER_THRESHOLD for amount in amounts):
        tier = Tier.MONTHLY_BILLION
    elif annual >= TIER_THRESHOLD:
        tier = Tier.BILLION
    else:
        tier = Tier.OTHER
    return TierResult(tier, year, annual)
