"""The four visits (四访) of the demo and the default install: configurable afterwards."""

from django.db import migrations

KINDS = [
    ("enterprise", "走访企业", "Enterprise visit", "企業訪問", 1),
    ("employees", "走访白领", "Employee visit", "従業員訪問", 2),
    ("party_members", "走访党员", "Party member visit", "党員訪問", 3),
    ("management", "走访物业", "Building management visit", "ビル管理会社訪問", 4),
]


def forwards(apps, schema_editor):
    VisitKind = apps.get_model("engagement", "VisitKind")
    for code, name, name_en, name_ja, order in KINDS:
        VisitKind.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "name_ja": name_ja, "order": order})


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
