"""Start-up checks of the map's settings: BASE_MAPS and STREET_VIEW_URL.

Each message names the bad entry (its position and key) and the field, so a wrong environment
variable is found before the first page is served rather than as a blank map.
"""

import re
import string
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

BASE_MAP_FIELDS = {"key", "name_en", "name_fr", "url", "attribution", "max_zoom"}
KEY = re.compile(r"^[a-z0-9_-]{1,30}$")
TILE_FIELDS = {"z", "x", "y", "s", "r"}


def _placeholders(template):
    """The {names} of a URL template, or None when its braces do not parse."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        return None


def _https_host(url):
    parts = urlsplit(url.replace("{s}", "a"))
    return parts.scheme in ("https", "http") and bool(parts.netloc)


def base_map_errors(base_maps):
    """Plain-language problems of a BASE_MAPS value (an empty list when it is valid)."""
    if not isinstance(base_maps, list) or not base_maps:
        return ["BASE_MAPS must be a non-empty list of base maps."]
    errors, keys = [], set()
    for index, entry in enumerate(base_maps, start=1):
        if not isinstance(entry, dict):
            errors.append(
                f"BASE_MAPS entry {index} must be an object, not {type(entry).__name__}."
            )
            continue
        where = f"BASE_MAPS entry {index} ({entry.get('key', 'no key')!s})"
        missing = sorted(BASE_MAP_FIELDS - entry.keys())
        unknown = sorted(entry.keys() - BASE_MAP_FIELDS)
        if missing:
            errors.append(f"{where} lacks {', '.join(missing)}.")
        if unknown:
            errors.append(f"{where} has unknown fields {', '.join(unknown)}.")
        key = entry.get("key")
        if "key" in entry and not (isinstance(key, str) and KEY.match(key)):
            errors.append(f"{where}: key must be 1 to 30 lower-case letters, digits, - or _.")
        elif key in keys:
            errors.append(f"{where}: key {key!r} is used by an earlier entry.")
        keys.add(key)
        for field in ("name_en", "name_fr", "attribution"):
            value = entry.get(field)
            if field in entry and not (isinstance(value, str) and value.strip()):
                errors.append(f"{where}: {field} must be a non-empty text.")
        url = entry.get("url")
        if "url" in entry:
            names = _placeholders(url) if isinstance(url, str) else None
            if not isinstance(url, str) or not _https_host(url):
                errors.append(f"{where}: url must be an http or https address.")
            elif names is None or not {"z", "x", "y"} <= names or names - TILE_FIELDS:
                errors.append(
                    f"{where}: url must contain {{z}}, {{x}} and {{y}} and no other "
                    "placeholder than {s} or {r}."
                )
        zoom = entry.get("max_zoom")
        if "max_zoom" in entry and not (
            isinstance(zoom, int) and not isinstance(zoom, bool) and 1 <= zoom <= 24
        ):
            errors.append(f"{where}: max_zoom must be a whole number from 1 to 24.")
    return errors


def street_view_errors(template):
    """Problems of STREET_VIEW_URL; empty is valid (no street-level link)."""
    if template == "":
        return []
    if not isinstance(template, str) or not urlsplit(template).scheme == "https":
        return ["STREET_VIEW_URL must be empty or an https address."]
    names = _placeholders(template)
    if names != {"lat", "lon"}:
        return ["STREET_VIEW_URL must contain {lat} and {lon} and no other placeholder."]
    return []


@register()
def check_map_settings(app_configs=None, **kwargs):
    messages = [
        Error(text, id="servicepoints.E101")
        for text in base_map_errors(getattr(settings, "BASE_MAPS", None))
    ]
    messages += [
        Error(text, id="servicepoints.E102")
        for text in street_view_errors(getattr(settings, "STREET_VIEW_URL", ""))
    ]
    return messages
