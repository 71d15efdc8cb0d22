"""Data refresh: read a jurisdiction's file, validate every row, diff, apply, undo.

The pipeline (`pipeline`: create_run, validate_run, apply_run, undo_run), one module per step:

- `readers`: any supported file (CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile) to a `Table`
  of text cells, with geometries in EPSG:4326 for vector formats; size and archive limits.
- `mapping`: which column feeds which field (English and French headers recognised).
- `validate` (with `values`, `vocabulary`, `locations`): every row checked and normalised.
- `diff`: the normalised rows staged (COPY) and compared with the source's points in SQL.
- `apply` (with `events`): one transaction of set-based SQL, history written in bulk; undo.
- `issues`: what the steps report (errors refuse the import, warnings do not), rendered in the
  reader's language and exported as CSV.
- `postal_areas`: the forward sortation area centroids that place address-only rows.
"""
