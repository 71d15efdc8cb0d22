"""Project middleware."""

from django.contrib.auth import middleware as auth_middleware
from pghistory.middleware import HistoryMiddleware

# Requests that write nothing django-pghistory tracks: the vector tiles only read, and store
# their bytes in `TileCache`, which has no history; respondents' questionnaire pages write
# answers, which have none either.
UNTRACKED_PREFIXES = ("/tiles/", "/en/questionnaire/", "/fr/questionnaire/")


class TrackedHistoryMiddleware(HistoryMiddleware):
    """django-pghistory's middleware (the user and URL of every tracked change), skipped for the
    vector tiles: it would prefix their cache insert with two `set_config` calls and serialise
    the context for nothing, on the path whose latency issue 3 measures."""

    def __call__(self, request):
        if request.path_info.startswith(UNTRACKED_PREFIXES):
            return self.get_response(request)
        return super().__call__(request)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, asking the view before the user: a view marked `login_not_required` passes
    whoever asks, so the user is not read here. The data endpoints then read it themselves
    (the vector tiles with their scope, in one query: servicepoints/tiles/scope.py)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
