"""What every data endpoint (the JSON API and the vector tiles) answers the same way."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.translation import gettext as _


def json_error(message, status, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


def bad_parameters(*forms):
    """400 naming each parameter at fault (of all the forms), in the request's language."""
    errors = {
        name: messages for form in forms for name, messages in form.errors_by_parameter().items()
    }
    return json_error(
        _("These parameters are not valid: %(names)s.") % {"names": ", ".join(errors)},
        400,
        parameters=errors,
    )


def not_signed_in():
    return json_error(_("Sign in to use the API."), 401)


def api_view(view=None, *, signed_in=True):
    """GET (and HEAD) only, for signed-in users; anonymous requests get 401 JSON.

    `LoginRequiredMiddleware` would redirect to the sign-in page, which a script cannot use,
    so the views opt out of it and refuse anonymous requests themselves. Replies are private
    and revalidated unless the view says otherwise. `signed_in=False`: the view checks the
    user itself (and answers `not_signed_in()`), e.g. to read the user its own way.
    """
    if view is None:
        return lambda view: api_view(view, signed_in=signed_in)

    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = json_error(_("Only GET requests are accepted here."), 405)
            response["Allow"] = "GET, HEAD"
            return response
        if signed_in and not request.user.is_authenticated:
            return not_signed_in()
        response = view(request, *args, **kwargs)
        response.setdefault("Cache-Control", "private, no-cache")
        return response

    return wrapper
