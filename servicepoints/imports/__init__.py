"""Data refresh: read a jurisdiction's file, validate every row, diff, apply, undo.

The pipeline (`pipeline`: create_run, validate_run, apply_run, undo_run), one module per step:

- `readers`: any supported file (CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile) to a `Table`
  of text cells, with geometries in EPSG:4326 for vector formats; size and archive limits.
- `mapping`: which column feeds which field (English and French headers recognised).
- `validate` (with `values`, `vocabulary`, `locations`): every row checked and normalised;
  `clean_rows` reads the rows with nothing to report column by column.
- `value_mapping`: what a source's own values stand for (saved in its preset), the unknown
  values with their closest accepted ones.
- `gazetteer`: populated places from the CGNDB and GeoNames (`load_places`), and the look-ups
  that place communities (`find_places`, `suggest_places`, `resolve_place`).
- `diff`: the normalised rows staged (COPY) and compared with the source's points in SQL.
- `apply` (with `events`): one transaction of set-based SQL, history written in bulk; undo.
- `issues`: what the steps report (errors refuse the import, warnings do not), rendered in the
  reader's language, grouped (one line per distinct problem and value) and exported as CSV.
- `postal_areas`: the forward sortation area centroids that place address-only rows.
"""
