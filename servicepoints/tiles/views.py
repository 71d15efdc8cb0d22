"""The vector tile endpoints: HTTP only; the tiles come from `points` and `areas` through the
cache of `cache`."""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext as _

from ..filters import PointFilter
from ..http import api_view, bad_parameters, json_error, not_signed_in
from ..models import DataVersion
from . import areas, cache, points
from .scope import Requester

MVT = "application/vnd.mapbox-vector-tile"


def _caching_headers(response, etag):
    # Revalidated on every use rather than kept for a while (max-age): an editor who has just
    # moved a point sees it on the next pan, and an unchanged tile costs a 304 without tile SQL.
    # Private: tiles depend on who asks.
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


@api_view(signed_in=False)
def servicepoint_tile(request, z, x, y):
    """GET /tiles/servicepoints/<z>/<x>/<y>.pbf: a Mapbox Vector Tile of the points the user
    may read, with the API's filters (see `tiles.points` for its layer and properties).

    An empty tile is an empty 200 (a valid tile with no layer), so that its ETag works like any
    other's. Anonymous: 401; bad z/x/y or filters: 400 naming the parameters; both in JSON.
    """
    # Signed in here rather than by `api_view`: the session, the user, their scope and the data
    # version come in one query (`Requester.of`), not Django's two plus ours.
    requester = Requester.of(request)
    if not requester.user.is_authenticated:
        return not_signed_in()
    # Forms only where there is something to check or to explain: building them took a quarter
    # of a 304's time. `tile_numbers` accepts what `TileAddress` accepts.
    numbers = points.tile_numbers(z, x, y)
    filters = PointFilter.from_query(request.GET) if request.GET else None
    if numbers is None or (filters is not None and not filters.is_valid()):
        address = points.TileAddress({"z": z, "x": x, "y": y})
        address.is_valid()
        return bad_parameters(address, *([filters] if filters is not None else []))
    params = PointFilter.no_filters() if filters is None else filters.cleaned_data
    tile = cache.ServicePointTile(*numbers, params, requester)
    not_modified = get_conditional_response(request, etag=tile.etag)
    if not_modified is not None:
        return _caching_headers(not_modified, tile.etag)
    return _caching_headers(HttpResponse(tile.content(), content_type=MVT), tile.etag)


@api_view(signed_in=False)
def area_tile(request, level, z, x, y):
    """GET /tiles/areas-<level>/<z>/<x>/<y>.pbf[?year=YYYY][&overview=true]: a Mapbox Vector
    Tile of the census areas of one level (see `tiles.areas` for its layer, properties, bands,
    minimum zoom and overview).

    Anonymous: 401; unknown level or a year without areas: 404; bad z/x/y or year: 400 naming
    the parameters; all in JSON.
    """
    requester = Requester.of(request)
    if not requester.user.is_authenticated:
        return not_signed_in()
    numbers = points.tile_numbers(z, x, y)
    year = areas.plain_year(request.GET)
    overview = False
    if numbers is None or year is areas.NEEDS_FORM or "overview" in request.GET:
        options = areas.AreaTileOptions(request.GET)
        if numbers is None or not options.is_valid():
            address = points.TileAddress({"z": z, "x": x, "y": y})
            address.is_valid()
            return bad_parameters(address, options)
        year = options.cleaned_data["year"]
        overview = options.cleaned_data["overview"]
    version = DataVersion.current(areas.DATA_VERSION)
    found = areas.level_and_years(level, version)
    if found is None:
        return json_error(_("There is no geographic level “%(level)s”.") % {"level": level}, 404)
    level_id, min_zoom, years = found
    year = year or (years[0] if years else None)
    if year not in years:
        return json_error(
            _("No areas of this level are loaded for %(year)s.") % {"year": year or "—"}, 404
        )
    overview = overview and (
        numbers[0] >= min_zoom
        or areas.area_count(level_id, year, version) <= areas.OVERVIEW_MAX_AREAS
    )
    tile = areas.AreaTile(version, level, level_id, min_zoom, year, *numbers, overview=overview)
    not_modified = get_conditional_response(request, etag=tile.etag)
    if not_modified is not None:
        return _caching_headers(not_modified, tile.etag)
    return _caching_headers(HttpResponse(tile.content(), content_type=MVT), tile.etag)
