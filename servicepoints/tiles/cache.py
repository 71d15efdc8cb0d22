"""The vector tile cache and ETags: every tile built (`servicepoints.tiles.points`) is kept in
`TileCache` under a key covering everything it depends on: the data version (`DataVersion`,
bumped by triggers in the database), the filters, what the user may see, the language, the tile
and, for "open now", the minute. The key is also the ETag.
"""

import hashlib
import json
import uuid
from datetime import timedelta

from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone

from ..i18n import prefers_french
from ..models import TileCache
from .points import tile_sql

# Bump when the SQL or the properties change: cached tiles and ETags of older formats then
# stop matching.
TILE_FORMAT = 1


def _canonical(params):
    """The filters as JSON-ready values, the same whatever the order they were given in."""
    canonical = {}
    for name, value in sorted(params.items()):
        if value in (None, "", []):
            continue
        if isinstance(value, Polygon):
            value = [round(n, 9) for n in value.extent]
        elif isinstance(value, list):
            value = sorted(value)
        canonical[name] = value
    return canonical


class ServicePointTile:
    """One tile for one user, language and set of filters: its ETag and its bytes.

    The ETag is known before any tile SQL (from the user's scope and the data version, read
    with the session: `scope.Requester`), so a matching If-None-Match costs no tile work.
    """

    def __init__(self, z, x, y, params, requester):
        """`requester`: a `scope.Requester` (the user, their scope, the data version)."""
        self.z, self.x, self.y = z, x, y
        self.params = params
        self.user = requester.user
        self.scope, self.version = requester.scope, requester.version
        self.expires = None
        minute = None
        if params.get("open_now") is not None:
            # "Open now" changes with the time: a key per minute, pruned when it has passed.
            now = timezone.now().replace(second=0, microsecond=0)
            minute = now.isoformat()
            self.expires = now + timedelta(minutes=1)
        self.key = tile_key(
            self.version,
            self.scope,
            "fr" if prefers_french() else "en",
            z,
            x,
            y,
            _canonical(params),
            minute,
        )

    @property
    def etag(self):
        return f'"{self.key.hex}"'

    def content(self):
        """The tile's bytes: from the cache, or built by `tile_sql` and kept there (`cached`)."""
        sql, sql_params = tile_sql(
            self.z, self.x, self.y, self.params, self.user, scope=self.scope
        )
        return cached(self.key, self.version, sql, sql_params, expires=self.expires)


def tile_key(*parts):
    """The cache key (and ETag) of a tile: the first 128 bits of a SHA-256 of its parts."""
    text = json.dumps([TILE_FORMAT, *parts], separators=(",", ":"), default=str)
    return uuid.UUID(bytes=hashlib.sha256(text.encode()).digest()[:16])


def cached(key, version, sql, sql_params, *, expires=None):
    """The bytes of the tile under `key`: from the cache, or built by `sql` and kept there, in
    one statement. `version`: the data version the tile is built from (older ones are pruned).

    The statement reads the cache; only if the key is missing does it build the tile (`sql` as
    a scalar subquery: its plan is the same) and insert it. The bytes cross the connection
    once, never back to the server.
    """
    _prune(version)
    with connection.cursor() as cursor:
        # Plain SQL with its values, bound by psycopg on the client: planned for these
        # values, never a generic plan (../shared/PERFORMANCE.md, "Generic plans": one can
        # pick the wrong index for a tile).
        cursor.execute(
            _CACHED_SQL.format(table=connection.ops.quote_name(TileCache._meta.db_table))
            % {"tile": sql},
            [key, *sql_params, key, version, expires],
        )
        return cursor.fetchone()[0]


# The cached tile if there is one, else the tile built and stored. `built` runs its subquery
# only when `hit` is empty (a one-time filter); both CTEs are read twice, so run once.
_CACHED_SQL = """
WITH hit AS (SELECT tile FROM {table} WHERE key = %%s),
built AS (SELECT (%(tile)s) AS tile WHERE NOT EXISTS (SELECT FROM hit)),
stored AS (
    INSERT INTO {table} (key, version, expires, tile)
    SELECT %%s, %%s, %%s, tile FROM built
    ON CONFLICT (key) DO NOTHING
)
SELECT tile FROM hit UNION ALL SELECT tile FROM built
"""


_last_pruned = None


def _prune(version):
    """Delete cached tiles of older data versions and past minutes: once per process for each
    data version and minute (a scan of the cache table).

    Point tiles carry the "servicepoints" data version, area tiles the "layers" one; both are
    microseconds of the clock when their data last changed, so a change to either prunes the
    tiles built before it, of both kinds: a few rebuilds, never a stale tile (the key names
    the version it was built from)."""
    global _last_pruned
    mark = (version, timezone.now().replace(second=0, microsecond=0))
    if mark == _last_pruned:
        return
    TileCache.objects.filter(Q(version__lt=version) | Q(expires__lte=Now())).delete()
    _last_pruned = mark
