"""The co-location finder: in-person points of different organizations near each other (or in
the same community) with no partnership between them, ranked.

One SQL statement (`PAIRS`): the points' self-join on the B-tree index of their Web Mercator
coordinates (`servicepoint_tile`, kept for the tiles: a box of ±distance / cos(latitude)
around each point, a range scan instead of a GiST probe, 1.4 s instead of 1.8–2.3 s for the
100,000-point benchmark's 101,661 pairs), then `ST_DWithin` on the sphere; the
same-community pairs optionally (a hash join on community and province), pairs already linked
by a partnership left out (a point is a site of a partnership one of whose parties is the other
point's organization, or both are sites of one partnership), then for each pair the services
each offers that the other does not and the population of its community (the gazetteer's
place of that name in that province). Ranked by services offered by only one (more first),
then population (larger first), then distance. The digital vulnerability of each pair's
community (the index of the finest area holding the first point, latest year) is looked up
for the page shown only, when the layers are loaded (`vulnerability`).
"""

from dataclasses import dataclass

from django.db import connection

from servicepoints.layers.bivariate import IN_PERSON_KINDS
from servicepoints.models import Service, ServicePoint
from servicepoints.models.jurisdictions import jurisdictions_of, sees_all_jurisdictions

DEFAULT_METRES = 250
MAX_METRES = 5_000
MERCATOR_MARGIN = 1.002

PAIRS = """
WITH candidates AS (
    SELECT a.id AS a_id, b.id AS b_id, a.organization_id AS a_org, b.organization_id AS b_org,
           a.community, a.province_id,
           ST_Distance(a.location::geography, b.location::geography, false) AS metres
    FROM servicepoints_servicepoint a
    CROSS JOIN LATERAL (
        SELECT %(mercator)s / cos(radians(ST_Y(a.location))) + 1 AS side) box
    JOIN servicepoints_servicepoint b
      ON b.mercator_x BETWEEN a.mercator_x - box.side AND a.mercator_x + box.side
     AND b.mercator_y BETWEEN a.mercator_y - box.side AND a.mercator_y + box.side
     AND ST_DWithin(a.location::geography, b.location::geography, %(metres)s, false)
     AND a.id < b.id AND b.organization_id <> a.organization_id
    WHERE a.status <> 'closed' AND a.kind = ANY(%(kinds)s)
      AND b.status <> 'closed' AND b.kind = ANY(%(kinds)s)
      AND (%(province)s::bigint IS NULL OR a.province_id = %(province)s)
    {community}
),
pairs AS MATERIALIZED (
    SELECT c.*, ja.jurisdiction_id AS a_jurisdiction, jb.jurisdiction_id AS b_jurisdiction
    FROM candidates c
    JOIN servicepoints_organization ja ON ja.id = c.a_org
    JOIN servicepoints_organization jb ON jb.id = c.b_org
    WHERE (%(jurisdictions)s::bigint[] IS NULL
           OR ja.jurisdiction_id = ANY(%(jurisdictions)s)
           OR jb.jurisdiction_id = ANY(%(jurisdictions)s))
),
linked AS MATERIALIZED (
    SELECT s.service_point_id AS point, p.organization_id AS organization
    FROM partnerships_site s
    JOIN partnerships_partnership pp ON pp.id = s.partnership_id AND pp.status <> 'withdrawn'
    JOIN partnerships_party p ON p.partnership_id = s.partnership_id
    UNION
    SELECT s.service_point_id, sp.organization_id
    FROM partnerships_site s
    JOIN partnerships_partnership pp ON pp.id = s.partnership_id AND pp.status <> 'withdrawn'
    JOIN partnerships_site s2 ON s2.partnership_id = s.partnership_id
    JOIN servicepoints_servicepoint sp ON sp.id = s2.service_point_id
),
services AS (
    SELECT servicepoint_id AS id, array_agg(service_id) AS ids
    FROM servicepoints_servicepoint_services
    WHERE servicepoint_id IN (SELECT a_id FROM pairs UNION SELECT b_id FROM pairs)
    GROUP BY servicepoint_id
),
places AS (
    SELECT lower(name) AS name, province_id, max(population) AS population
    FROM servicepoints_populatedplace GROUP BY 1, 2
)
SELECT * FROM (
SELECT p.a_id, p.b_id, round(p.metres::numeric, 1)::float AS metres,
       (SELECT count(*) FROM unnest(sa.ids) x WHERE x <> ALL(coalesce(sb.ids, '{{}}')))::int
           AS a_only,
       (SELECT count(*) FROM unnest(sb.ids) x WHERE x <> ALL(coalesce(sa.ids, '{{}}')))::int
           AS b_only,
       pl.population
FROM pairs p
LEFT JOIN services sa ON sa.id = p.a_id
LEFT JOIN services sb ON sb.id = p.b_id
LEFT JOIN places pl ON pl.name = lower(p.community) AND pl.province_id = p.province_id
-- Two anti-joins on equalities (hashed), not one with OR (a nested loop over every link).
WHERE NOT EXISTS (SELECT FROM linked l WHERE l.point = p.a_id AND l.organization = p.b_org)
  AND NOT EXISTS (SELECT FROM linked l WHERE l.point = p.b_id AND l.organization = p.a_org)
) ranked
ORDER BY a_only + b_only DESC, population DESC NULLS LAST, metres, a_id, b_id
"""

# The same-community pairs, added to the distance's (a hash join on community and province).
SAME_COMMUNITY = """
    UNION
    SELECT a.id, b.id, a.organization_id, b.organization_id, a.community, a.province_id,
           ST_Distance(a.location::geography, b.location::geography, false)
    FROM servicepoints_servicepoint a
    JOIN servicepoints_servicepoint b
      ON b.community = a.community AND b.province_id = a.province_id
     AND a.id < b.id AND b.organization_id <> a.organization_id
    WHERE a.community <> '' AND a.status <> 'closed' AND a.kind = ANY(%(kinds)s)
      AND b.status <> 'closed' AND b.kind = ANY(%(kinds)s)
      AND (%(province)s::bigint IS NULL OR a.province_id = %(province)s)
"""

VULNERABILITY = """
SELECT p.id, (
    SELECT v.value
    FROM layers_area ar
    JOIN layers_arealevel lv ON lv.id = ar.level_id
    JOIN layers_indicatorvalue v ON v.area_id = ar.id AND v.value IS NOT NULL
    JOIN layers_indicator i ON i.id = v.indicator_id AND i.code = %(index)s
    WHERE ar.geometry && p.location AND ST_Intersects(ar.geometry, p.location)
    ORDER BY lv.rank DESC, v.year DESC LIMIT 1)
FROM servicepoints_servicepoint p WHERE p.id = ANY(%(ids)s)
"""


@dataclass
class Pair:
    a_id: int
    b_id: int
    metres: float
    a_only: int
    b_only: int
    population: int | None
    a: object = None
    b: object = None
    a_offers: list = None
    b_offers: list = None
    vulnerability: float | None = None

    @property
    def score(self):
        return self.a_only + self.b_only


def sql_and_params(user, *, metres=DEFAULT_METRES, same_community=False, province=None):
    """The finder's statement and parameters for this user: analysts and administrators see
    every pair; editors the pairs where one point is of their jurisdictions."""
    jurisdictions = None
    if not sees_all_jurisdictions(user):
        jurisdictions = list(jurisdictions_of(user).values_list("pk", flat=True))
    params = {
        "metres": float(metres),
        # Web Mercator metres per metre on the ground: 1 / cos(latitude), on a sphere 0.11 %
        # larger than the one ST_DWithin measures on; 0.2 % of margin, and 1 m.
        "mercator": float(metres) * MERCATOR_MARGIN,
        "kinds": [str(kind) for kind in IN_PERSON_KINDS],
        "province": province,
        "jurisdictions": jurisdictions,
    }
    return PAIRS.format(community=SAME_COMMUNITY if same_community else ""), params


def find_pairs(user, *, metres=DEFAULT_METRES, same_community=False, province=None):
    """Every pair, ranked (`Pair`s without the point objects)."""
    sql, params = sql_and_params(
        user, metres=metres, same_community=same_community, province=province
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Pair(*row) for row in cursor.fetchall()]


def describe(pairs):
    """Fill in the points, the services only one offers and the vulnerability (for a page)."""
    ids = {pid for pair in pairs for pid in (pair.a_id, pair.b_id)}
    points = ServicePoint.objects.select_related("organization", "province").in_bulk(ids)
    links = ServicePoint.services.through.objects.filter(servicepoint_id__in=ids).values_list(
        "servicepoint_id", "service_id"
    )
    offered = {}
    for point_id, service_id in links:
        offered.setdefault(point_id, set()).add(service_id)
    services = Service.objects.in_bulk({s for group in offered.values() for s in group})
    vulnerability = _vulnerability([pair.a_id for pair in pairs])
    for pair in pairs:
        pair.a, pair.b = points[pair.a_id], points[pair.b_id]
        a, b = offered.get(pair.a_id, set()), offered.get(pair.b_id, set())
        pair.a_offers = sorted(str(services[s]) for s in a - b)
        pair.b_offers = sorted(str(services[s]) for s in b - a)
        pair.vulnerability = vulnerability.get(pair.a_id)
    return pairs


def _vulnerability(point_ids):
    from servicepoints.layers.vulnerability.models import INDEX_CODE

    if not point_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(VULNERABILITY, {"index": INDEX_CODE, "ids": list(point_ids)})
        return {pid: value for pid, value in cursor.fetchall() if value is not None}
