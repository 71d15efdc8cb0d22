"""What caches of service point data key on, and the vector tile cache."""

from django.contrib.gis.db import models
from django.db import connection
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A number that grows, in the same transaction, with every change to the data it names.

    Statement-level triggers (migration 0003) bump the "servicepoints" row after any write to
    service points, their services, organizations, jurisdictions, services or opening periods:
    everything the map's filters read. A cache keyed on it cannot serve a tile built before a
    committed change. Writers of those tables queue on this one row until they commit.
    """

    name = models.SlugField(primary_key=True, max_length=40)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return f"{self.name} {self.version}"

    @classmethod
    def current(cls, name="servicepoints"):
        """The version now (0 before the first change)."""
        # Plain SQL: read on every area tile request, where building the ORM query took a
        # third of a cached tile's time in the view (benchmarks/area_tiles.py).
        with connection.cursor() as cursor:
            cursor.execute(_CURRENT_SQL.format(table=cls._meta.db_table), [name])
            row = cursor.fetchone()
        return (row[0] if row else 0) or 0


_CURRENT_SQL = "SELECT version FROM {table} WHERE name = %s"


class TileCache(models.Model):
    """Vector tiles already built (see servicepoints/tiles/cache.py), by a key that covers
    everything the tile depends on, data version included; an UNLOGGED table (migration 0003):
    a crash empties it, which only costs rebuilding."""

    # The first 128 bits of a SHA-256 of everything the tile depends on; also its ETag.
    key = models.UUIDField(primary_key=True)
    # The DataVersion the tile was built from: older rows are pruned, never served.
    version = models.BigIntegerField()
    # Tiles that depend on the time ("open now", keyed by the minute): when to prune them.
    expires = models.DateTimeField(null=True)
    tile = models.BinaryField()

    class Meta:
        verbose_name = _("cached tile")
        verbose_name_plural = _("cached tiles")
