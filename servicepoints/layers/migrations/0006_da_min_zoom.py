"""Dissemination areas from zoom 10, not 9 (issue 12, "a minimum zoom for fine levels").

Measured with benchmarks/area_tiles.py (`python -m benchmarks area_tiles`, docs/benchmarks.md)
on ~57,000 generated dissemination-area-sized polygons as dense as the real ones (a
population-weighted quadtree, benchmarks/da_grid.py), on the shared 2-core VM: the z9 tile
of Toronto holds 6,417 areas and 283 KB, and its raw ST_AsMVT SQL alone takes 15–32 ms at p50
and 49–58 ms at p95 over the five tiles measured (three runs) — at or above the 50 ms goal
before Django adds its ~1.5 ms. At z10 the worst tile (Montréal) is 3,697 areas and 170 KB,
33–42 ms at p95 through the endpoint: within the goals with room for noise. The coarser
levels (census subdivisions, forward sortation areas) cover the zooms below.

Display shapes built while the level started at 9 keep their z9 band; it is no longer
served, and the next `shapes.build` of the level drops it.
"""

from django.db import migrations


def set_min_zoom(min_zoom):
    def forwards(apps, schema_editor):
        AreaLevel = apps.get_model("layers", "AreaLevel")
        AreaLevel.objects.filter(code="da").update(min_zoom=min_zoom)

    return forwards


class Migration(migrations.Migration):
    dependencies = [("layers", "0005_vulnerability")]

    operations = [migrations.RunPython(set_min_zoom(10), set_min_zoom(9))]
