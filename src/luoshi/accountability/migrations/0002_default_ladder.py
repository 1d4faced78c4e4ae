"""The default ladder of measures (问责措施): editable afterwards, never deleted."""
from django.db import migrations

from luoshi.accountability.defaults import LADDER


def seed(apps, schema_editor):
    MeasureType = apps.get_model("accountability", "MeasureType")
    for code, name, rank, category, deduction, cancels in LADDER:
        MeasureType.objects.get_or_create(code=code, defaults={
            "name": name, "rank": rank, "category": category, "deduction": deduction, "cancels_honours": cancels})


class Migration(migrations.Migration):
    dependencies = [("accountability", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
