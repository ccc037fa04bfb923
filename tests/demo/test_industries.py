"""GB/T 4754-2017 (国民经济行业分类) as loaded by directory's data migration."""

from __future__ import annotations

import csv
import importlib

import pytest
from django.apps import apps

from govcube.demo.services import INDUSTRY_CSV, industries_ensure
from govcube.directory.models import Industry

pytestmark = pytest.mark.django_db

# The division ranges of each section, as the standard defines them.
SECTION_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


def test_all_20_sections_are_loaded_without_a_parent():
    sections = Industry.objects.filter(section__isnull=True)
    assert sorted(sections.values_list("code", flat=True)) == list("ABCDEFGHIJKLMNOPQRST")
    assert all(s.name and s.name_en for s in sections)


def test_all_97_divisions_are_loaded_with_two_digit_codes():
    codes = sorted(Industry.objects.filter(section__isnull=False).values_list("code", flat=True))
    assert codes == [f"{n:02d}" for n in range(1, 98)]
    assert Industry.objects.count() == 117


def test_every_division_hangs_on_its_section():
    sections = dict(Industry.objects.filter(section__isnull=False).values_list("code", "section_id"))
    for section, (first, last) in SECTION_RANGES.items():
        for n in range(first, last + 1):
            assert sections[f"{n:02d}"] == section, f"{n:02d} should be in {section}"


@pytest.mark.parametrize(
    ("code", "name", "section"),
    [
        ("A", "农、林、牧、渔业", None),
        ("I", "信息传输、软件和信息技术服务业", None),
        ("L", "租赁和商务服务业", None),
        ("S", "公共管理、社会保障和社会组织", None),
        ("05", "农、林、牧、渔专业及辅助性活动", "A"),
        ("11", "开采专业及辅助性活动", "B"),
        ("39", "计算机、通信和其他电子设备制造业", "C"),
        ("64", "互联网和相关服务", "I"),
        ("66", "货币金融服务", "J"),
        ("67", "资本市场服务", "J"),
        ("70", "房地产业", "K"),
        ("72", "商务服务业", "L"),
        ("83", "教育", "P"),
        ("96", "基层群众自治组织及其他组织", "S"),
        ("97", "国际组织", "T"),
    ],
)
def test_sample_names_are_the_official_ones(code, name, section):
    industry = Industry.objects.get(pk=code)
    assert industry.name == name
    assert industry.section_id == section


def test_the_database_matches_the_data_file():
    with INDUSTRY_CSV.open(encoding="utf-8", newline="") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle)}
    assert len(rows) == 117
    for industry in Industry.objects.all():
        row = rows[industry.code]
        assert (industry.name, industry.name_en, industry.section_id or "") == (
            row["name"],
            row["name_en"],
            row["section"],
        )


def test_the_data_migration_can_run_again_without_duplicates():
    migration = importlib.import_module("govcube.directory.migrations.0002_industries")
    Industry.objects.filter(pk="72").update(name="changed")
    migration.load_industries(apps, None)
    assert Industry.objects.count() == 117
    assert Industry.objects.get(pk="72").name == "商务服务业"


def test_industries_ensure_restores_missing_rows_only():
    assert industries_ensure() == 0
    Industry.objects.filter(section__isnull=False, pk__gte="90").delete()
    assert industries_ensure() == 8
    assert Industry.objects.count() == 117
