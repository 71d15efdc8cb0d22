"""Plans as on a big table: a test's handful of areas would be read by any index (or none),
so the planner's choice says nothing about the spatial index until the level is crowded."""


def crowd_level(cursor, level_id, copies=1500):
    """Copy each area of the level `copies` times as tiny squares in British Columbia (far from
    the tests' Ottawa), then analyse: only the GiST index of the boundaries picks out a box."""
    cursor.execute(
        """
        INSERT INTO layers_area (level_id, year, code, dguid, name_en, name_fr, geometry,
                                 province_code, imported_at)
        SELECT level_id, year, code || '-' || n, '', name_en, name_fr,
               ST_Multi(ST_MakeEnvelope(-120 + n * 0.001, 50, -120 + n * 0.001 + 0.0009,
                                        50.0009, 4326)),
               province_code, imported_at
        FROM layers_area, generate_series(1, %s) n
        WHERE level_id = %s
        """,
        [copies, level_id],
    )
    cursor.execute("ANALYZE layers_area")
    # Nor a sequential read of what remains small.
    cursor.execute("SET LOCAL enable_seqscan = off")


def explain(cursor, sql, params):
    cursor.execute(f"EXPLAIN {sql}", params)
    return "\n".join(row[0] for row in cursor.fetchall())
