"""The data version that tile caches key on, bumped by the database itself; an unlogged cache.

After every statement that writes service points, their services, organizations, jurisdictions,
services or opening periods (raw SQL and bulk operations included), a trigger raises the
"servicepoints" row of `servicepoints_dataversion` in the same transaction, so readers see the
new version exactly when they see the new data. The version is at least the time in
microseconds, so it keeps growing even if the table is emptied (as `flush` does).
"""

from django.db import migrations

TABLES = [
    "servicepoints_servicepoint",
    "servicepoints_servicepoint_services",
    "servicepoints_organization",
    "servicepoints_jurisdiction",
    "servicepoints_service",
    "servicepoints_openingperiod",
]

FUNCTION = """
CREATE FUNCTION servicepoints_bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO servicepoints_dataversion (name, version)
    VALUES ('servicepoints', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
    ON CONFLICT (name) DO UPDATE
        SET version = greatest(servicepoints_dataversion.version + 1, excluded.version);
    RETURN NULL;
END;
$$;
"""

TRIGGER = """
CREATE TRIGGER servicepoints_data_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION servicepoints_bump_data_version();
"""


class Migration(migrations.Migration):
    dependencies = [("servicepoints", "0002_seed_jurisdictions")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION servicepoints_bump_data_version();"),
        *(
            migrations.RunSQL(
                TRIGGER.format(table=table),
                f"DROP TRIGGER servicepoints_data_version ON {table};",
            )
            for table in TABLES
        ),
        # A cache: no write-ahead log to pay for, emptied after a crash.
        migrations.RunSQL(
            "ALTER TABLE servicepoints_tilecache SET UNLOGGED;",
            "ALTER TABLE servicepoints_tilecache SET LOGGED;",
        ),
        # Tiles are already compact protobuf: compressing them on every insert cost ~1.7 ms for
        # a 150 KB tile and saves little.
        migrations.RunSQL(
            "ALTER TABLE servicepoints_tilecache ALTER COLUMN tile SET STORAGE EXTERNAL;",
            "ALTER TABLE servicepoints_tilecache ALTER COLUMN tile SET STORAGE EXTENDED;",
        ),
    ]
