"""The demo plan is pure and deterministic; its tax series land in their tiers."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from govcube.demo import content
from govcube.demo.generator import (
    DEMO_SEED,
    build_plan,
    in_band,
    make_uscc,
    organisation_code_check,
    tax_series,
)
from govcube.territory.models import Tier
from govcube.territory.tiers import compute_tier
from tests.factories import make_uscc as factory_make_uscc

ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def tiers_of(plan):
    return {
        b.name: compute_tier([(date(content.TAX_YEAR, m, 1), amount) for m, amount in enumerate(b.tax, start=1)]).tier
        for b in plan.buildings
    }


def test_the_same_seed_gives_the_same_demo():
    first, second = build_plan(DEMO_SEED), build_plan(DEMO_SEED)
    assert tiers_of(first) == tiers_of(second)
    assert [b.tax for b in first.buildings] == [b.tax for b in second.buildings]
    assert [(e.uscc, e.name, e.headcount, e.tenancies) for e in first.enterprises] == [
        (e.uscc, e.name, e.headcount, e.tenancies) for e in second.enterprises
    ]
    assert [(p.name, p.mobile) for p in first.people] == [(p.name, p.mobile) for p in second.people]


def test_a_different_seed_draws_different_figures_but_the_same_tiers():
    first, other = build_plan(DEMO_SEED), build_plan("another-seed")
    assert [b.tax for b in first.buildings] != [b.tax for b in other.buildings]
    assert Counter(tiers_of(other).values()) == Counter(tiers_of(first).values())


def test_the_generated_tax_gives_5_monthly_and_21_billion_buildings():
    tiers = tiers_of(build_plan())
    counts = Counter(tiers.values())
    assert counts[Tier.MONTHLY_BILLION] == 5
    assert counts[Tier.BILLION] == 21
    assert tiers["恒隆广场"] == Tier.MONTHLY_BILLION
    assert tiers["博华大厦"] == Tier.BILLION


def test_the_plan_has_the_numbers_of_the_source():
    plan = build_plan()
    assert len(plan.buildings) == 60
    assert sum(b.spec.is_key for b in plan.buildings) == 50
    assert sum(len(codes) for codes in plan.clusters.values()) == 27
    assert 300 <= len(plan.enterprises) <= 600
    assert sum(e.is_global_service_provider for e in plan.enterprises) == 32
    assert len({e.uscc for e in plan.enterprises}) == len(plan.enterprises)
    assert len({p.mobile for p in plan.people}) == len(plan.people)


def test_moves_end_before_the_current_tenancy_starts():
    plan = build_plan()
    moved = [e for e in plan.enterprises if len(e.tenancies) > 1]
    assert len(moved) >= len(plan.enterprises) // 10
    for enterprise in moved:
        previous, current = enterprise.tenancies
        assert previous.end < current.start and previous.building != current.building
        assert current.end is None


def test_make_uscc_agrees_with_the_test_factory_for_digit_codes():
    for n in (1, 42, 1234567, 99999999):
        assert make_uscc(f"{n:08d}") == factory_make_uscc(n)


@given(st.text(alphabet=ORG_ALPHABET, min_size=8, max_size=8))
def test_make_uscc_is_always_valid(organisation):
    code = make_uscc(organisation)
    assert uscc.is_valid(code)
    assert code[:8] == "91310106"
    assert code[16] == organisation_code_check(organisation)


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=12), st.sampled_from([content.FLAGSHIP, content.STRONG, content.ORDINARY]))
def test_tax_series_always_land_in_their_band(seed, profile):
    amounts = list(tax_series(seed, "B", profile))
    assert len(amounts) == 12
    assert all(a > 0 for a in amounts)
    assert in_band(profile, amounts)
