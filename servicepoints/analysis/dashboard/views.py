"""The dashboard's pages: HTTP only (cards.py counts, tables.py writes).

Signed-in users only, as the analyst map (the login middleware sends anyone else to the
sign-in page); every figure starts from `ServicePoint.objects.visible_to(request.user)`.
The query string is the map's: a link from the map keeps its filters.
"""

from django import forms
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from servicepoints.filters import PointFilter
from servicepoints.models import Jurisdiction, Kind, Level, Organization, Service, Status
from servicepoints.validators import language_name

from ..models import CoverageStandard
from . import build, cards, tables
from .preferences import DashboardPreference

# The filters the map writes in its address (static/js/state.js LIST_FILTERS): present but
# empty, one of them matches nothing (every box of a group unticked).
MAP_LIST_FILTERS = (
    "jurisdiction",
    "level",
    "organization",
    "kind",
    "service",
    "language",
    "status",
)


class DashboardQuery(PointFilter):
    """The map's filters and the coverage standard the coverage cards measure against."""

    standard = forms.CharField(required=False, max_length=60)

    def clean_standard(self):
        code = self.cleaned_data["standard"] or cards.DEFAULT_STANDARD
        standard = CoverageStandard.objects.filter(code=code).first()
        if standard is None and self.cleaned_data["standard"]:
            raise forms.ValidationError(
                _("There is no coverage standard “%(code)s”.") % {"code": code}, code="unknown"
            )
        return standard


def _selection(request):
    """(Selection, None) for a valid query, or (None, the form with its errors)."""
    form = DashboardQuery.from_query(request.GET)
    if not form.is_valid():
        return None, form
    params = dict(form.cleaned_data)
    standard = params.pop("standard")
    nothing = any(
        name in request.GET and not "".join(request.GET.getlist(name)).strip(", ")
        for name in MAP_LIST_FILTERS
    )
    return cards.Selection(request.user, params, nothing=nothing, standard=standard), None


def _preference(user):
    return DashboardPreference.objects.filter(user=user).first()


def _filter_query(request):
    """The request's query string, minus what the page itself adds."""
    query = request.GET.copy()
    query.pop("standard", None)
    return query.urlencode()


@require_GET
def dashboard(request):
    """The dashboard: the user's cards, in their order, each with its table and chart."""
    selection, errors = _selection(request)
    arranged = cards.arranged(_preference(request.user))
    shown = []
    if selection is not None:
        chosen = [card for card, visible in arranged if visible]
        tables = build.build(chosen, selection)
        shown = [(card, tables[card.key]) for card in chosen]
    filters_query = _filter_query(request)
    context = {
        "errors": errors,
        "selection": selection,
        "cards": shown,
        "arranged": arranged,
        "filters": describe_filters(selection.params) if selection else [],
        "query": request.GET.urlencode(),
        "map_url": reverse("maps:servicepoint_map")
        + (f"?{filters_query}" if filters_query else ""),
        "standards": CoverageStandard.objects.all(),
        "filter_items": [
            (name, value)
            for name in request.GET
            if name != "standard"
            for value in request.GET.getlist(name)
        ],
    }
    return render(request, "analysis/dashboard.html", context, status=400 if errors else 200)


@require_GET
def dashboard_export(request, key, extension):
    """One card's table as a CSV or XLSX attachment, for the same filters as the page."""
    card = cards.BY_KEY.get(key)
    if card is None or extension not in ("csv", "xlsx"):
        raise Http404(_("There is no such table."))
    selection, errors = _selection(request)
    if selection is None:
        message = "; ".join(
            f"{name}: {' '.join(e)}" for name, e in errors.errors_by_parameter().items()
        )
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    table = build.build([card], selection)[key]
    filename = f"dashboard-{key}-{timezone.localdate():%Y-%m-%d}.{extension}"
    if extension == "csv":
        response = StreamingHttpResponse(
            tables.csv_lines(table), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(tables.workbook(table), content_type=tables.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def dashboard_preferences(request):
    """Save the cards shown and their order (the form works without JavaScript): the order
    posted, with one card moved up or down if a move button was pressed, and the boxes
    ticked. Only the signed-in user's own preference; unknown keys are ignored."""
    order = [key for key in request.POST.getlist("order") if key in cards.BY_KEY]
    order = list(dict.fromkeys(order)) + [k for k in cards.CARD_KEYS if k not in order]
    shown = set(request.POST.getlist("show"))
    move = request.POST.get("move", "")
    direction, _sep, moved = move.partition(":")
    if request.POST.get("reset"):
        order, shown, moved = list(cards.CARD_KEYS), set(cards.CARD_KEYS), ""
    elif moved in order and direction in ("up", "down"):
        index = order.index(moved)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
    DashboardPreference.objects.update_or_create(
        user=request.user,
        defaults={"order": order, "hidden": [key for key in order if key not in shown]},
    )
    url = reverse("dashboard:dashboard")
    query = request.POST.get("query", "")
    if query:
        url += "?" + urlencode(list(_query_pairs(query)))
    fragment = f"#card-choice-{moved}" if moved in cards.BY_KEY else "#customise"
    return HttpResponseRedirect(url + fragment)


def _query_pairs(query):
    for name, values in QueryDict(query).lists():
        for value in values:
            yield name, value


def describe_filters(params):
    """[(label, values)] of the filters in force, named in the active language."""
    names = {
        "jurisdiction": (_("Jurisdiction"), lambda codes: _names(Jurisdiction, codes)),
        "province": (_("Province or territory"), lambda codes: _names(Jurisdiction, codes)),
        "level": (_("Level of government"), lambda codes: [str(Level(c).label) for c in codes]),
        "organization": (_("Organization"), lambda codes: _names(Organization, codes)),
        "kind": (_("Kind"), lambda codes: [str(Kind(c).label) for c in codes]),
        "service": (_("Service"), lambda codes: _names(Service, codes)),
        "language": (_("Language"), lambda codes: [language_name(c) for c in codes]),
        "status": (_("Status"), lambda codes: [str(Status(c).label) for c in codes]),
    }
    described = []
    for name, (label, name_of) in names.items():
        if params.get(name):
            described.append((label, ", ".join(name_of(params[name]))))
    if params.get("bilingual") is not None:
        described.append((_("Bilingual only"), _("yes") if params["bilingual"] else _("no")))
    if params.get("open_now") is not None:
        described.append((_("Open now"), _("yes") if params["open_now"] else _("no")))
    if params.get("q"):
        described.append((_("Search"), params["q"]))
    if params.get("bbox"):
        described.append((_("Map area"), ", ".join(f"{v:g}" for v in params["bbox"].extent)))
    return described


def _names(model, codes):
    found = {item.code: item.name for item in model.objects.filter(code__in=codes)}
    return [found.get(code, code) for code in codes]
