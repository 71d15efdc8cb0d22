"""Vector tiles (Mapbox Vector Tiles built in SQL by PostGIS's ST_AsMVT), of the service points
and of the layers' areas, with one cache and ETag machinery.

- `views`: the HTTP endpoints (`urls`, mounted at /tiles/ by config/urls.py);
- `scope`: who asks (the user, what they may read, the data version), in one query;
- `cache`: the cache key (also the ETag) and `TileCache`, for any tile;
- `points`: the service points' tile SQL; `areas`: the census areas' tile SQL.
"""
