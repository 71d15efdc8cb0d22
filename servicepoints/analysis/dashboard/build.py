"""Building the cards of one page: the cached ones read back, the others computed side by side.

The heavy cards (coverage, underserved communities) are each one long SQL statement; on their
own connections, in threads, they run at the same time on the database's cores, so the page
waits for the slowest card rather than for their sum. Inside a transaction (a test's, or
ATOMIC_REQUESTS) another connection would not see its rows: the cards are then built one after
the other on the request's connection.

A card's table is cached (Django's cache, `DASHBOARD_CACHE_SECONDS`) under a key made of
everything it depends on: the "servicepoints" and "layers" data versions (bumped by triggers
in the same transaction as any write the cards read), the populated places (their number and
latest id), the coverage standard, the user's scope, the filters, the language and the day
(completeness counts points not verified in the last 12 months), and the channel statistics'
number and latest import. "Open now" depends on the minute: never cached.
"""

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Count, Max
from django.utils import translation

from servicepoints.models import DataVersion, PopulatedPlace
from servicepoints.models.jurisdictions import jurisdictions_of, sees_all_jurisdictions

from ..forecast.models import ChannelStatistic

MAX_THREADS = 3
COUNTED = {"jurisdictions", "levels", "kinds"}


def build(chosen, selection):
    """{card key: Table} of the `chosen` cards for `selection`."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    prefix = cache_key(selection) if seconds > 0 else None
    tables = {}
    if prefix:
        found = cache.get_many([f"{prefix}:{card.key}" for card in chosen])
        tables = {key.rsplit(":", 1)[1]: table for key, table in found.items()}
    missing = [card for card in chosen if card.key not in tables]
    if COUNTED & {card.key for card in missing}:
        # One grouped statement serves the three "points by" cards: read it once, here.
        selection.counts  # noqa: B018
        selection.jurisdictions  # noqa: B018
    if len(missing) > 1 and not connection.in_atomic_block:
        language = translation.get_language()
        with ThreadPoolExecutor(max_workers=min(MAX_THREADS, len(missing))) as pool:
            built = list(pool.map(lambda card: _in_thread(card, selection, language), missing))
    else:
        built = [card.build(selection) for card in missing]
    new = {card.key: table for card, table in zip(missing, built, strict=True)}
    if prefix and new:
        cache.set_many({f"{prefix}:{key}": table for key, table in new.items()}, seconds)
    tables.update(new)
    return tables


def _in_thread(card, selection, language):
    try:
        with translation.override(language):
            return card.build(selection)
    finally:
        connections.close_all()  # this thread's own connections


def cache_key(selection):
    """What the cards of `selection` depend on, hashed; None when they must not be cached."""
    params = selection.params
    if params.get("open_now") is not None:
        return None
    user = selection.user
    scope = (
        "all"
        if sees_all_jurisdictions(user)
        else sorted(jurisdictions_of(user).values_list("pk", flat=True))
    )
    places = PopulatedPlace.objects.aggregate(n=Count("pk"), last=Max("pk"))
    channels = ChannelStatistic.objects.aggregate(n=Count("pk"), last=Max("imported_at"))
    standard = selection.standard
    described = {
        "versions": [DataVersion.current("servicepoints"), DataVersion.current("layers")],
        "places": [places["n"], places["last"]],
        # No data version covers the channel statistics: their number and last import do.
        "channels": [channels["n"], channels["last"]],
        "standard": [standard.pk, standard.distance_km, standard.target_share, standard.by_road]
        if standard
        else None,
        "scope": scope,
        "nothing": selection.nothing,
        "params": {
            name: (value.extent if name == "bbox" and value is not None else value)
            for name, value in sorted(params.items())
        },
        "language": translation.get_language(),
        "today": selection.today.isoformat(),
    }
    text = json.dumps(described, sort_keys=True, default=str)
    return "dashboard:" + hashlib.sha256(text.encode()).hexdigest()[:32]
