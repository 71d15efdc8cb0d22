"""The co-location finder's page and exports (partnerships/colocation.py computes)."""

import csv
import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepoints.exports import neutralize
from servicepoints.models import Jurisdiction

from . import colocation
from .exports import XLSX
from .forms import NoSuffix

PAGE_SIZE = 50
HEADER = [
    "rank",
    "point_a",
    "name_a",
    "organization_a",
    "point_b",
    "name_b",
    "organization_b",
    "metres",
    "only_a_offers",
    "only_b_offers",
    "community",
    "population",
]


class FinderForm(NoSuffix, forms.Form):
    distance = forms.IntegerField(
        label=_("Distance (metres)"),
        min_value=1,
        max_value=colocation.MAX_METRES,
        initial=colocation.DEFAULT_METRES,
        required=False,
    )
    same_community = forms.BooleanField(label=_("Or in the same community"), required=False)
    province = forms.ModelChoiceField(
        label=_("Province or territory"),
        queryset=Jurisdiction.objects.provinces_and_territories(),
        to_field_name="code",
        required=False,
        empty_label=_("all"),
        error_messages={"invalid_choice": _("Unknown province or territory: %(value)s.")},
    )
    page = forms.IntegerField(required=False, min_value=1)


def _pairs(request):
    if not request.user.has_perm("partnerships.view_partnership"):
        raise PermissionDenied
    form = FinderForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else {}
    province = data.get("province")
    pairs = colocation.find_pairs(
        request.user,
        metres=data.get("distance") or colocation.DEFAULT_METRES,
        same_community=bool(data.get("same_community")),
        province=province.pk if province else None,
    )
    return form, pairs


def colocation_finder(request):
    """The ranked pairs, a page at a time, with a "propose a partnership" link each."""
    form, pairs = _pairs(request)
    page = None
    if pairs is not None:
        page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
        colocation.describe(list(page.object_list))
        create = reverse("partnerships:partnership_create")
        for pair in page.object_list:
            pair.propose_url = (
                f"{create}?sites={pair.a_id},{pair.b_id}"
                f"&organizations={pair.a.organization.code},{pair.b.organization.code}"
            )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_propose": request.user.has_perm("partnerships.add_partnership"),
        "start": (page.start_index() if page else 1),
    }
    return render(request, "partnerships/colocation_finder.html", context)


def _rows(pairs):
    colocation.describe(pairs)
    for rank, pair in enumerate(pairs, start=1):
        yield [
            rank,
            pair.a_id,
            neutralize(pair.a.name),
            pair.a.organization.code,
            pair.b_id,
            neutralize(pair.b.name),
            pair.b.organization.code,
            pair.metres,
            neutralize("; ".join(pair.a_offers)),
            neutralize("; ".join(pair.b_offers)),
            neutralize(pair.a.community),
            pair.population,
        ]


def colocation_export(request, format):
    form, pairs = _pairs(request)
    if pairs is None:
        return HttpResponse(
            "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if format == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("co-location")
        sheet.append(HEADER)
        for row in _rows(pairs):
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(_rows(pairs))
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="co-location-{stamp}.{format}"'
    return response
