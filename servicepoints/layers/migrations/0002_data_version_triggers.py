"""The "layers" data version: bumped by statement-level triggers on every write to the areas,
their levels and their display shapes, in the writing transaction, like the "servicepoints"
one (servicepoints migration 0003). Area tiles are cached under it (servicepoints/tiles/)."""

from django.db import migrations

TABLES = ["layers_arealevel", "layers_area", "layers_areashape"]

FUNCTION = """
CREATE FUNCTION layers_bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO servicepoints_dataversion (name, version)
    VALUES ('layers', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
    ON CONFLICT (name) DO UPDATE
        SET version = greatest(servicepoints_dataversion.version + 1, excluded.version);
    RETURN NULL;
END;
$$;
"""

TRIGGER = """
CREATE TRIGGER layers_data_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION layers_bump_data_version();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0001_initial"),
        ("servicepoints", "0003_data_version_triggers"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION layers_bump_data_version();"),
        *(
            migrations.RunSQL(
                TRIGGER.format(table=table), f"DROP TRIGGER layers_data_version ON {table};"
            )
            for table in TABLES
        ),
    ]
