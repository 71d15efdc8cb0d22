"""GeoJSON for a city-sized box and the nearest points, through the Django endpoints, beside
the raw SQL of the same payload timed in the same run (issue 3); and what the map asks for at
every move of the national view: the first page of its list and the summary of the view,
beside the SQL that finds the same rows (their floor)."""

from benchmarks.common import analyst_client, interleaved, ms, p50, p95, raw_text

# Ottawa–Gatineau: a city-sized box.
BBOX = (-75.95, 45.20, -75.45, 45.55)
ORIGIN = (-75.6972, 45.4215)
# Canada: the national view.
CANADA = (-141.0, 41.0, -52.0, 84.0)

RAW_BBOX = """
    SELECT '{"type":"FeatureCollection","features":[' || COALESCE(string_agg(
        ST_AsGeoJSON(t.*, 'geom', 6), ','), '') || ']}'
    FROM (
        SELECT sp.id, sp.name_en AS name, o.code AS organization, j.level, sp.kind, sp.status,
               sp.community, sp.postal_code, sp.bilingual, sp.languages, sp.location AS geom
        FROM servicepoints_servicepoint sp
        JOIN servicepoints_organization o ON o.id = sp.organization_id
        JOIN servicepoints_jurisdiction j ON j.id = o.jurisdiction_id
        WHERE sp.location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)
        ORDER BY sp.name_en, sp.id LIMIT %s
    ) t
"""
RAW_NEAREST = """
    SELECT '{"type":"FeatureCollection","features":[' || string_agg(
        ST_AsGeoJSON(t.*, 'geom', 6), ',') || ']}'
    FROM (
        SELECT sp.id, sp.name_en AS name, sp.kind, sp.location AS geom,
               round(ST_Distance(sp.location::geography, origin::geography))::int AS distance_m
        FROM servicepoints_servicepoint sp,
             ST_SetSRID(ST_MakePoint(%s, %s), 4326) origin
        ORDER BY sp.location <-> origin LIMIT 10
    ) t
"""
# The ids of the list's first page: the rows in view sorted by name with the ICU collation.
RAW_PAGE = """
    SELECT array_agg(id)::text FROM (
        SELECT sp.id FROM servicepoints_servicepoint sp
        WHERE sp.location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)
        ORDER BY sp.name_en COLLATE "und-x-icu", sp.id LIMIT 50
    ) page
"""
# The counts the summary adds up: points in view per organization and kind.
RAW_COUNTS = """
    SELECT json_agg(c)::text FROM (
        SELECT organization_id, kind, count(*) FROM servicepoints_servicepoint
        WHERE location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)
        GROUP BY 1, 2
    ) c
"""


def _row(name, measure, endpoint, raw, reference):
    """A table row: the endpoint's p50 / p95 beside its reference's, and their ratio."""
    return (
        name,
        f"{measure}, p50 / p95",
        f"{ms(p50(endpoint))} / {ms(p95(endpoint))}",
        f"{reference} {ms(p50(raw))} / {ms(p95(raw))}",
        f"{p50(endpoint) / p50(raw):.2f}×",
        "—",
    )


def run():
    import json

    client, _user = analyst_client()
    bbox = ",".join(str(v) for v in BBOX)
    url = f"/api/servicepoints/?bbox={bbox}&limit=10000"
    body = client.get(url)
    assert body.status_code == 200, body.content[:300]
    features = len(json.loads(body.content)["features"])

    endpoint, raw = interleaved(
        [lambda: client.get(url), lambda: raw_text(RAW_BBOX, (*BBOX, 10_000))], repeat=20
    )
    rows = [
        _row(
            "GeoJSON bbox (Ottawa–Gatineau)",
            f"`/api/servicepoints/?bbox=…` {features} features",
            endpoint,
            raw,
            "raw SQL",
        )
    ]
    url = f"/api/servicepoints/nearest/?lon={ORIGIN[0]}&lat={ORIGIN[1]}&n=10"
    assert client.get(url).status_code == 200
    endpoint, raw = interleaved(
        [lambda: client.get(url), lambda: raw_text(RAW_NEAREST, ORIGIN)], repeat=50
    )
    rows.append(
        _row("nearest 10 (KNN)", "`/api/servicepoints/nearest/`", endpoint, raw, "raw KNN SQL")
    )
    canada = ",".join(str(v) for v in CANADA)
    in_view = json.loads(client.get(f"/api/servicepoints/summary/?bbox={canada}").content)["total"]
    for name, url, sql, reference in (
        (
            "list, national view",
            f"/api/servicepoints/?bbox={canada}&limit=50",
            RAW_PAGE,
            "raw SQL of the page's ids",
        ),
        (
            "summary, national view",
            f"/api/servicepoints/summary/?bbox={canada}",
            RAW_COUNTS,
            "raw SQL of the counts",
        ),
    ):
        assert client.get(url).status_code == 200
        endpoint, raw = interleaved(
            [lambda url=url: client.get(url), lambda sql=sql: raw_text(sql, CANADA)], repeat=20
        )
        rows.append(
            _row(
                name,
                f"`{url.split('?')[0]}` ({in_view:,} points in view)",
                endpoint,
                raw,
                reference,
            )
        )
    return rows
