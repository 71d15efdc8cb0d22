"""Data refresh: read a jurisdiction's file, validate every row, diff, apply, undo.

The pipeline, one module per step:

- `readers`: any supported file (CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile) to a `Table`
  of text cells, with geometries in EPSG:4326 for vector formats.
- `issues`: what the steps report (errors refuse the import, warnings do not), rendered in the
  reader's language and exported as CSV.
"""
