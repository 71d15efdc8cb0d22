"""Vector tiles of the service points: Mapbox Vector Tiles built in SQL by PostGIS's ST_AsMVT.

The contract with the map (static/js/tiles.js): one layer, "servicepoints", extent 4096; every
feature has an integer `count`.

- From zoom `POINTS_MIN_ZOOM` on, one feature per point: `count` = 1, `id`, `kind`, `level`
  (federal, provincial, territorial, municipal), `organization` (its code), `status`,
  `bilingual` and `name` in the active language.
- Below it, the points are grouped on a grid of `CLUSTER_GRID` × `CLUSTER_GRID` cells per tile,
  aligned on the world's grid so that a cell never straddles two tiles and four cells of a
  zoom make one cell of the zoom below. One feature per cell, at the centroid of its points
  (not the cell's centre): `count`, `level` (the most common one; ties go federal,
  provincial, territorial, municipal) and the `federal`, `provincial`, `territorial` and
  `municipal` counts. A cell holding one point also carries that point's properties, so the
  map draws it as a point.

The points are those of `ServicePoint.objects.visible_to(user)` selected by the shared
filters (`filter_by`), applied before grouping. Each tile also holds the features within a
buffer around it (`POINT_BUFFER`, `CLUSTER_BUFFER`) so that symbols are not cut at tile edges.

Measured on the 2-core development machine with 103,000 points (demonstration data and jittered
copies), densest tiles around Toronto, SQL alone: grouping the 47,000 points of the z4 tile and
its buffer takes 10 ms because the covering index `servicepoint_tile` (on the stored Web
Mercator coordinates) answers it without reading the table (50 ms reading the table, 65 ms with
ST_Transform per row); a z10 tile of points would be 4,071 points, 164 KB and 6 ms, z11 is
1,631 points, 71 KB and 3 ms: hence points from z11, groups below.

Tiles built are kept in `TileCache`, with ETags: `servicepoints.tiles.cache`.
"""

import collections
import json
import math
import threading

from django import forms
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from ..filters import ParameterForm
from ..i18n import prefers_french
from ..models import (
    Jurisdiction,
    Level,
    Organization,
    ServicePoint,
    jurisdictions_of,
)
from .scope import visibility_scope

LAYER = "servicepoints"
EXTENT = 4096
MAX_ZOOM = 20
# From this zoom on, one feature per point; below, groups (see the module's docstring).
POINTS_MIN_ZOOM = 11
# Cells per tile side when grouping: a cell is 16 px on a 256-px tile. A power of two, so
# that a cell of zoom z is exactly four cells of zoom z + 1.
CLUSTER_GRID = 16
# Buffers in tile units (4096 = the tile's width) around a tile, wider than the map's symbols
# on 256-px tiles: points are 8 px at most (128 units), groups 30 px (480 units). Each buffer
# is a whole number of cells (256 units), so a grouped tile reads whole cells only.
POINT_BUFFER = 256
CLUSTER_BUFFER = 512
# Half the width of the Web Mercator world (EPSG:3857), in metres.
WORLD = 20037508.342789244


class TileAddress(ParameterForm):
    """z/x/y of a tile: whole numbers, z from 0 to MAX_ZOOM, x and y within the zoom's grid."""

    z = forms.CharField(strip=False)
    x = forms.CharField(strip=False)
    y = forms.CharField(strip=False)

    def _whole(self, name, message, maximum=None):
        value = self.cleaned_data[name]
        # ASCII digits only: int() would also take "+1", " 1", "1_0" and other scripts' digits.
        if not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(message, code="invalid", params={"max": maximum})
        number = int(value) if len(value) <= 10 else math.inf
        if maximum is not None and number > maximum:
            raise forms.ValidationError(message, code="max_value", params={"max": maximum})
        return number

    def clean_z(self):
        return self._whole("z", _("Give a whole number from 0 to %(max)s."), MAX_ZOOM)

    def clean_x(self):
        return self._whole("x", _("Give a whole number, 0 or more."))

    def clean_y(self):
        return self._whole("y", _("Give a whole number, 0 or more."))

    def clean(self):
        z = self.cleaned_data.get("z")
        if z is not None:
            for name in ("x", "y"):
                if self.cleaned_data.get(name, -1) > 2**z - 1:
                    self.add_error(
                        name,
                        forms.ValidationError(
                            _("At zoom %(z)s, give a whole number from 0 to %(max)s."),
                            code="max_value",
                            params={"z": z, "max": 2**z - 1},
                        ),
                    )
        return self.cleaned_data


def tile_numbers(z, x, y):
    """(z, x, y) as whole numbers when they address a tile, else None: what `TileAddress`
    accepts, without building a form (the form then says what is wrong)."""
    texts = (z, x, y)
    if not all(text.isascii() and text.isdigit() and len(text) <= 10 for text in texts):
        return None
    z, x, y = (int(text) for text in texts)
    if z > MAX_ZOOM or max(x, y) > 2**z - 1:
        return None
    return z, x, y


# The tile in SQL


def tile_bounds(z, x, y, margin=0):
    """(xmin, ymin, xmax, ymax) of a tile in EPSG:3857, widened by `margin` tile units."""
    size = 2 * WORLD / 2**z
    pad = size * margin / EXTENT
    xmin = -WORLD + x * size
    ymax = WORLD - y * size
    return xmin - pad, ymax - size - pad, xmin + size + pad, ymax + pad


def _point_rows(points):
    """The columns a point feature needs, `name` in the active language."""
    first, second = ("name_fr", "name_en") if prefers_french() else ("name_en", "name_fr")
    return points.values(
        "id",
        "kind",
        "status",
        "bilingual",
        "mercator_x",
        "mercator_y",
        level_code=F("organization__jurisdiction__level"),
        organization_code=F("organization__code"),
        label=Coalesce(NullIf(first, Value("")), second),
    )


def _selected(params, user, scope, bounds):
    """The points within `bounds` (the tile and its buffer) that the user may read and the
    filters select."""
    xmin, ymin, xmax, ymax = bounds
    points = ServicePoint.objects.all()
    if scope != "all":
        # `visible_to(user)` for a user who does not read every jurisdiction; the scope says
        # already whether the user does, so no permission query here.
        points = points.filter(organization__jurisdiction__in=jurisdictions_of(user))
    points = points.filter_by(params).filter(
        mercator_x__range=(xmin, xmax), mercator_y__range=(ymin, ymax)
    )
    if scope != "all":
        # Also within the scope the cache key names, should memberships change meanwhile.
        ids = [int(pk) for pk in scope.split(",") if pk]
        points = points.filter(organization__jurisdiction__in=ids)
    return points


def _compiled_rows(points, params, user, scope, bounds):
    """The SQL of the selected points' rows and, for groups, of a single point's properties:
    (rows_sql, rows_params, singles_sql, singles_params), compiled by the ORM."""
    selected = _selected(params, user, scope, bounds)
    if points:
        rows_sql, rows_params = _point_rows(selected).query.sql_with_params()
        return rows_sql, list(rows_params), "", ()
    rows = selected.values("id", "organization_id", "mercator_x", "mercator_y")
    rows_sql, rows_params = rows.query.sql_with_params()
    singles_sql, singles_params = _point_rows(ServicePoint.objects.all()).query.sql_with_params()
    return rows_sql, list(rows_params), singles_sql, tuple(singles_params)


# Compiling those querysets takes 0.3-0.8 ms, as long as the tile's own SQL takes at z12. The
# SQL is the same for every tile of one zoom range, language, set of filters and scope (and
# user, for those who do not read everything: their id is a parameter); only the four bounds
# differ, and they are parameters. So it is compiled once with stand-ins for the bounds, kept
# (the most recent `TEMPLATES_KEPT`), and each tile puts its bounds in their places.
TEMPLATES_KEPT = 256
_STAND_INS = (-1.5e300, -1.25e300, 1.5e300, 1.25e300)  # xmin, ymin, xmax, ymax
_templates = collections.OrderedDict()
_templates_lock = threading.Lock()


def _exact(value):
    if isinstance(value, GEOSGeometry):
        return value.ewkt
    raise TypeError(type(value))


def _rows(points, params, user, scope, bounds):
    """`_compiled_rows` for these bounds, from a kept template when there is one."""
    try:
        filters = json.dumps(params, sort_keys=True, default=_exact)
    except TypeError:  # A value without an exact text form: compiled every time.
        return _compiled_rows(points, params, user, scope, bounds)
    key = (prefers_french(), points, scope, None if scope == "all" else user.pk, filters)
    with _templates_lock:
        template = _templates.get(key)
        if template is not None:
            _templates.move_to_end(key)
    if template is None:
        rows_sql, rows_params, *singles = _compiled_rows(points, params, user, scope, _STAND_INS)
        slots = [
            [i for i, value in enumerate(rows_params) if value == stand_in]
            for stand_in in _STAND_INS
        ]
        if any(len(found) != 1 for found in slots):  # Not where expected: never guess.
            return _compiled_rows(points, params, user, scope, bounds)
        template = (rows_sql, tuple(rows_params), [found[0] for found in slots], *singles)
        with _templates_lock:
            _templates[key] = template
            while len(_templates) > TEMPLATES_KEPT:
                _templates.popitem(last=False)
    rows_sql, rows_params, slots, singles_sql, singles_params = template
    rows_params = list(rows_params)
    for slot, value in zip(slots, bounds, strict=True):
        rows_params[slot] = value
    return rows_sql, rows_params, singles_sql, singles_params


# Changing this SQL or the properties it gives: bump `cache.TILE_FORMAT`, so that tiles
# cached and ETags sent in the older format stop matching.
POINTS_SQL = """
SELECT ST_AsMVT(tile, '{layer}', {extent}, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(p.mercator_x, p.mercator_y), 3857),
                        ST_TileEnvelope({z}, {x}, {y}), {extent}, {buffer}, true) AS geom,
           1 AS count, p.id, p.kind, p.level_code AS level,
           p.organization_code AS organization, p.status, p.bilingual, p.label AS name
    FROM ({rows}) p
) tile
"""

# Points are first counted per cell and organization (the index alone answers that), then per
# cell with the organizations' levels; a cell of one point gets that point's properties.
CLUSTERS_SQL = """
SELECT ST_AsMVT(tile, '{layer}', {extent}, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(c.x, c.y), 3857),
                        ST_TileEnvelope({z}, {x}, {y}), {extent}, {buffer}, true) AS geom,
           c.count,
           CASE greatest(c.federal, c.provincial, c.territorial, c.municipal)
               WHEN c.federal THEN '{federal}' WHEN c.provincial THEN '{provincial}'
               WHEN c.territorial THEN '{territorial}' ELSE '{municipal}' END AS level,
           c.federal, c.provincial, c.territorial, c.municipal,
           s.id, s.kind, s.organization_code AS organization, s.status, s.bilingual,
           s.label AS name
    FROM (
        SELECT sum(g.n)::int AS count, sum(g.sx) / sum(g.n) AS x, sum(g.sy) / sum(g.n) AS y,
               min(g.first_id) AS first_id,
               coalesce(sum(g.n) FILTER (WHERE j.level = '{federal}'), 0)::int AS federal,
               coalesce(sum(g.n) FILTER (WHERE j.level = '{provincial}'), 0)::int AS provincial,
               coalesce(sum(g.n) FILTER (WHERE j.level = '{territorial}'), 0)::int
                   AS territorial,
               coalesce(sum(g.n) FILTER (WHERE j.level = '{municipal}'), 0)::int AS municipal
        FROM (
            SELECT floor((p.mercator_x + {world}) / {cell}) AS i,
                   floor((p.mercator_y + {world}) / {cell}) AS k,
                   p.organization_id, count(*) AS n, sum(p.mercator_x) AS sx,
                   sum(p.mercator_y) AS sy, min(p.id) AS first_id
            FROM ({rows}) p
            GROUP BY 1, 2, 3
        ) g
        JOIN {organization} o ON o.id = g.organization_id
        JOIN {jurisdiction} j ON j.id = o.jurisdiction_id
        GROUP BY g.i, g.k
    ) c
    -- The point was selected above (visibility and filters); only its properties are read,
    -- by primary key for each single-point cell (OFFSET 0 keeps the planner from joining the
    -- whole table instead).
    LEFT JOIN LATERAL (
        SELECT * FROM ({singles}) s WHERE s.id = c.first_id AND c.count = 1 OFFSET 0
    ) s ON true
) tile
"""


def tile_sql(z, x, y, params, user, *, scope=None):
    """The one SQL statement building the tile, and its parameters: (sql, params).

    `params` are `PointFilter`'s cleaned data; names follow the active language. Run it with
    Django's connection (`connection.ops.compose_sql(sql, params)` gives the literal SQL).
    `make bench` times it beside the endpoint.
    """
    if scope is None:
        scope = visibility_scope(user)
    try:
        return _tile_sql(z, x, y, params, user, scope)
    except EmptyResultSet:  # Nothing the user may read (no jurisdiction): an empty tile.
        return "SELECT ''::bytea", ()


def _tile_sql(z, x, y, params, user, scope):
    numbers = {"z": int(z), "x": int(x), "y": int(y), "layer": LAYER, "extent": EXTENT}
    points = z >= POINTS_MIN_ZOOM
    buffer = POINT_BUFFER if points else CLUSTER_BUFFER
    rows_sql, rows_params, singles_sql, singles_params = _rows(
        points, params, user, scope, tile_bounds(z, x, y, buffer)
    )
    if points:
        sql = POINTS_SQL.format(rows=rows_sql, buffer=buffer, **numbers)
        return sql, tuple(rows_params)
    sql = CLUSTERS_SQL.format(
        rows=rows_sql,
        singles=singles_sql,
        buffer=buffer,
        world=repr(WORLD),
        cell=repr(2 * WORLD / 2**z / CLUSTER_GRID),
        organization=connection.ops.quote_name(Organization._meta.db_table),
        jurisdiction=connection.ops.quote_name(Jurisdiction._meta.db_table),
        **{level: level for level in Level.values},
        **numbers,
    )
    return sql, (*rows_params, *singles_params)
