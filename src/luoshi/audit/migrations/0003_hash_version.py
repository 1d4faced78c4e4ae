"""Entries written before this migration keep their old hash (version 1: SHA-256 without object_repr);
new entries are version 2 (HMAC-SHA256 with the audit key over every displayed field)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_fewer_indexes"),
    ]

    operations = [
        # Existing rows get 1 (the column default while it is added), new rows 2 (the model default).
        migrations.AddField(
            model_name="auditentry",
            name="version",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="哈希版本"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="version",
            field=models.PositiveSmallIntegerField(default=2, verbose_name="哈希版本"),
        ),
    ]
