"""The co-location finder and the partnership inventory on the benchmark database (issue 15).

- *reference*: the raw self-join of the open in-person points within 250 m, on the points'
  GiST index (a box of ±250 m, then `ST_DWithin` on the sphere), every pair fetched;
- `colocation.find_pairs()` (a range scan on the points' Web Mercator B-tree index instead of
  the GiST probe, then the same `ST_DWithin`): every pair of different organizations within
  250 m with no
  partnership between them, with the services each offers alone and the community's
  population, ranked, every pair fetched (goal ≤ 1.5× the reference and < 2 s);
- the inventory page of 10,000 generated partnerships (two parties, one to three practices
  each), filtered by type, jurisdiction and year, third page, counts by type and status,
  through Django's test client (goal < 150 ms), beside the raw SQL of its page and counts.

The generated partnerships (source "benchmark") are deleted afterwards.
"""

from benchmarks.common import interleaved, p50

PARTNERSHIPS = 10_000
RAW = """
    SELECT a.id, b.id, ST_Distance(a.location::geography, b.location::geography, false)
    FROM servicepoints_servicepoint a
    JOIN servicepoints_servicepoint b
      ON b.location && ST_Expand(a.location, %(degrees)s / cos(radians(ST_Y(a.location))))
     AND ST_DWithin(a.location::geography, b.location::geography, %(metres)s, false)
     AND a.id < b.id
    WHERE a.status <> 'closed' AND a.kind = ANY(%(kinds)s)
      AND b.status <> 'closed' AND b.kind = ANY(%(kinds)s)
"""
INVENTORY_RAW = """
    SELECT p.id, p.title_en, p.status, t.name_en
    FROM partnerships_partnership p JOIN partnerships_partnershiptype t ON t.id = p.type_id
    WHERE t.code = 'co-location' AND extract(year FROM p.start_date) <= 2020
      AND p.id IN (SELECT pa.partnership_id FROM partnerships_party pa
                   JOIN servicepoints_organization o ON o.id = pa.organization_id
                   JOIN servicepoints_jurisdiction j ON j.id = o.jurisdiction_id
                   WHERE j.code = 'CA')
    ORDER BY p.title_en LIMIT 50 OFFSET 100
"""


def _generate(cursor):
    cursor.execute(
        """INSERT INTO partnerships_partnership (title_en, title_fr, summary_en, summary_fr,
               type_id, status, start_date, objectives_en, objectives_fr, communities_served,
               costs, lessons_en, lessons_fr, source, created_at, updated_at)
           SELECT format('Benchmark partnership %%s', n), format('Partenariat %%s', n), '', '',
                  (SELECT id FROM partnerships_partnershiptype ORDER BY id
                   OFFSET n %% 7 LIMIT 1),
                  (ARRAY['idea','proposed','agreement_signed','pilot','in_operation',
                         'evaluated','ended','withdrawn'])[1 + (n * 7) %% 8],
                  make_date(2010 + n %% 15, 1 + n %% 12, 1), '', '', '', '', '', '',
                  'benchmark', now(), now()
           FROM generate_series(1, %s) n""",
        [PARTNERSHIPS],
    )
    cursor.execute(
        """INSERT INTO partnerships_party (partnership_id, organization_id, role, sector)
           SELECT p.id, o.id, CASE WHEN k = 0 THEN 'lead' ELSE 'partner' END, 'government'
           FROM partnerships_partnership p
           CROSS JOIN generate_series(0, 1) k
           CROSS JOIN LATERAL (SELECT id FROM servicepoints_organization ORDER BY id
                               OFFSET (p.id * (k + 3)) %% (SELECT count(*)
                                   FROM servicepoints_organization) LIMIT 1) o
           WHERE p.source = 'benchmark'
           ON CONFLICT DO NOTHING""",
        [],
    )
    cursor.execute(
        """INSERT INTO partnerships_partnership_practices (partnership_id, practice_id)
           SELECT p.id, pr.id FROM partnerships_partnership p
           JOIN partnerships_practice pr ON pr.id %% 8 <= p.id %% 3
           WHERE p.source = 'benchmark'""",
        [],
    )
    cursor.execute("ANALYZE partnerships_partnership")
    cursor.execute("ANALYZE partnerships_party")


def _clean(cursor):
    generated = "SELECT id FROM partnerships_partnership WHERE source = 'benchmark'"
    for table in ("partnerships_partnership_practices", "partnerships_party"):
        cursor.execute(f"DELETE FROM {table} WHERE partnership_id IN ({generated})")  # noqa: S608
    cursor.execute("DELETE FROM partnerships_partnership WHERE source = 'benchmark'")


def run():
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from partnerships import colocation
    from partnerships.models import Partnership

    User = get_user_model()
    everyone = User(username="bench", is_active=True, is_superuser=True)
    sql_params = {
        "metres": 250.0,
        "degrees": 250.0 / 111_320.0,
        "kinds": [str(kind) for kind in colocation.IN_PERSON_KINDS],
    }

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW, sql_params)
            return cursor.fetchall()

    def finder():
        return colocation.find_pairs(everyone)

    raw_rows, pairs = len(raw()), len(finder())
    raw_times, finder_times = interleaved([raw, finder], repeat=3, warmup=1)

    with connection.cursor() as cursor:
        _clean(cursor)
        _generate(cursor)
    try:
        analyst = User.objects.filter(groups__name="Analysts").first() or User.objects.create(
            username="bench-analyst", is_active=True, is_superuser=True
        )
        client = Client()
        client.force_login(analyst)
        url = "/en/partnerships/?type=co-location&jurisdiction=CA&year=2020&page=3"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        listed = Partnership.objects.filter_by(
            {"type": ["co-location"], "jurisdiction": ["CA"], "year": 2020}
        ).count()
        assert listed > 150, listed

        def page():
            client.get(url)

        def page_raw():
            with connection.cursor() as cursor:
                cursor.execute(INVENTORY_RAW)
                cursor.fetchall()

        page_times, page_raw_times = interleaved([page, page_raw], repeat=30, warmup=3)
    finally:
        with connection.cursor() as cursor:
            _clean(cursor)
    reference, mine = p50(raw_times), p50(finder_times)
    inventory, inventory_raw = p50(page_times), p50(page_raw_times)
    return [
        (
            "co-location, 250 m",
            f"raw self-join: {raw_rows:,} pairs of in-person points, p50 of 3",
            f"{reference * 1000:.0f} ms",
            "—",
            "1×",
            "—",
        ),
        (
            "co-location, 250 m",
            f"`find_pairs()`: {pairs:,} pairs of different organizations without a "
            "partnership, services and population, ranked, p50 of 3",
            f"{mine * 1000:.0f} ms",
            f"raw {reference * 1000:.0f} ms",
            f"{mine / reference:.2f}×",
            "≤ 1.5× raw and < 2 s",
        ),
        (
            "partnership inventory, 10,000",
            f"page 3 of {listed:,} (type, jurisdiction, year) with counts, test client, p50 of 30",
            f"{inventory * 1000:.1f} ms",
            f"raw page SQL {inventory_raw * 1000:.1f} ms",
            f"{inventory / inventory_raw:.1f}×",
            "< 150 ms",
        ),
    ]
