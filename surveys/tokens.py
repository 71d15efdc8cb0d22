"""Finding the invitation behind a private link, with guessing slowed down per address.

Every unknown token counts against the client's address in the cache; past
SURVEY_TOKEN_FAILURE_LIMIT in SURVEY_TOKEN_FAILURE_WINDOW seconds the address gets 429 for
every link, valid or not, until the window passes (so a guess cannot be confirmed either).
With 256-bit tokens guessing cannot succeed anyway; the limit keeps the attempts from costing
database time. The cache is per process with Django's default; share it (Redis, database
cache) when several app servers run.
"""

from django.conf import settings
from django.core.cache import cache

from .models import Invitation


class RateLimited(Exception):
    """Too many unknown links from this address."""


def _key(request):
    # The client's address as django-axes finds it for sign-ins (behind PROXY_COUNT proxies,
    # the forwarded one), so both limits count the same address.
    from axes.helpers import get_client_ip_address

    return f"surveys:token-failures:{get_client_ip_address(request) or ''}"


def invitation_for(request, token):
    """The invitation of a token, or None if unknown; RateLimited when the address is barred."""
    key = _key(request)
    if (cache.get(key) or 0) >= settings.SURVEY_TOKEN_FAILURE_LIMIT:
        raise RateLimited
    try:
        return Invitation.objects.by_token(token)
    except Invitation.DoesNotExist:
        if not cache.add(key, 1, settings.SURVEY_TOKEN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired in between
                cache.add(key, 1, settings.SURVEY_TOKEN_FAILURE_WINDOW)
        return None
