"""Indicator values and the catalogue bump the "layers" data version too (the function of
migration 0002), so the values API's cache (servicepoints/layers/api.py) never serves values
older than a committed change."""

from django.db import migrations

TABLES = ["layers_indicator", "layers_indicatorvalue"]

TRIGGER = """
CREATE TRIGGER layers_data_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION layers_bump_data_version();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0003_indicator_catalogue"),
    ]

    operations = [
        migrations.RunSQL(
            TRIGGER.format(table=table), f"DROP TRIGGER layers_data_version ON {table};"
        )
        for table in TABLES
    ]
