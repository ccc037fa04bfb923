"""Load GB/T 4754-2017 (国民经济行业分类): the 20 sections (A–T) and the 97 divisions (01–97).

The rows live in ``directory/data/gbt4754_2017.csv`` (code,name,name_en,section). Loading is
idempotent (update_or_create), so running it again corrects names without duplicating rows.
Reversing is a no-op: enterprises may already point at these industries.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gbt4754_2017.csv"


def load_industries(apps, schema_editor):
    Industry = apps.get_model("directory", "Industry")
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Sections first: divisions point at them.
    rows.sort(key=lambda row: (bool(row["section"]), row["code"]))
    for row in rows:
        Industry.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "name_en": row["name_en"], "section_id": row["section"] or None},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(load_industries, migrations.RunPython.noop),
    ]
