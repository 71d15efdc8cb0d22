"""The partnerships as map data (`GET /api/partnerships/`), for the analyst map's layer.

One SQL statement writes the GeoJSON (as the registry's point payloads): a Point feature per
site and, for a partnership with two sites or more, a LineString joining them in id order;
each feature carries the partnership's id, titles, type, status and parties; `choices` gives
the types and statuses, named in the reader's language. `point=ID`
answers the partnerships that have that service point as a site (the point's details).
Filters: `type`, `status` (codes, comma-separated), `point` (an id).
"""

import json

from django import forms
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from servicepoints.filters import CodeListField
from servicepoints.http import api_view, json_error

from .models import Partnership, PartnershipType, Status

FEATURES = """
WITH chosen AS (
    SELECT p.id, p.title_en, p.title_fr, t.code AS type, p.status,
           (SELECT string_agg(o.name_en, '; ' ORDER BY o.name_en)
            FROM partnerships_party pa
            JOIN servicepoints_organization o ON o.id = pa.organization_id
            WHERE pa.partnership_id = p.id) AS parties
    FROM partnerships_partnership p
    JOIN partnerships_partnershiptype t ON t.id = p.type_id
    WHERE (%(types)s::text[] IS NULL OR t.code = ANY(%(types)s))
      AND (%(statuses)s::text[] IS NULL OR p.status = ANY(%(statuses)s))
),
features AS (
    SELECT ST_AsGeoJSON(f.*, 'geom', 6) AS feature FROM (
        SELECT c.id AS partnership, c.title_en, c.title_fr, c.type, c.status, c.parties,
               s.service_point_id AS point, 'site' AS kind, sp.location AS geom
        FROM chosen c
        JOIN partnerships_site s ON s.partnership_id = c.id
        JOIN servicepoints_servicepoint sp ON sp.id = s.service_point_id
        UNION ALL
        SELECT c.id, c.title_en, c.title_fr, c.type, c.status, c.parties, NULL, 'link',
               ST_MakeLine(array_agg(sp.location ORDER BY sp.id))
        FROM chosen c
        JOIN partnerships_site s ON s.partnership_id = c.id
        JOIN servicepoints_servicepoint sp ON sp.id = s.service_point_id
        GROUP BY c.id, c.title_en, c.title_fr, c.type, c.status, c.parties
        HAVING count(*) > 1
    ) f
)
SELECT coalesce(string_agg(feature, ','), '') FROM features
"""


class MapFilter(forms.Form):
    type = CodeListField(
        choices=lambda: set(PartnershipType.objects.values_list("code", flat=True))
    )
    status = CodeListField(choices=set(Status.values))
    point = forms.IntegerField(required=False, min_value=1)


@api_view
def partnership_features(request):
    """GeoJSON of the partnerships' sites and links, or the partnerships of one point."""
    if not request.user.has_perm("partnerships.view_partnership"):
        return json_error(_("You may not read partnerships."), 403)
    form = MapFilter(request.GET)
    if not form.is_valid():
        return json_error(
            _("These parameters are not valid: %(names)s.") % {"names": ", ".join(form.errors)},
            400,
            parameters={name: list(errors) for name, errors in form.errors.items()},
        )
    data = form.cleaned_data
    if data.get("point"):
        partnerships = (
            Partnership.objects.visible_to(request.user)
            .filter(sites__service_point_id=data["point"])
            .select_related("type")
            .prefetch_related("parties__organization", "practices")
            .order_by("title_en")
        )
        return JsonResponse(
            {
                "partnerships": [
                    {
                        "id": p.pk,
                        "title": p.title,
                        "type": p.type.name,
                        "status": p.get_status_display(),
                        "parties": [str(party) for party in p.parties.all()],
                        "practices": [str(practice) for practice in p.practices.all()],
                        "url": reverse("partnerships:partnership_detail", args=[p.pk]),
                    }
                    for p in partnerships
                ]
            }
        )
    with connection.cursor() as cursor:
        cursor.execute(
            FEATURES,
            {"types": data["type"] or None, "statuses": data["status"] or None},
        )
        features = cursor.fetchone()[0]
    # The filters' choices in the reader's language, for the map's layer panel.
    choices = {
        "types": [{"code": t.code, "label": t.name} for t in PartnershipType.objects.all()],
        "statuses": [{"code": code, "label": str(label)} for code, label in Status.choices],
    }
    payload = (
        '{"type":"FeatureCollection","choices":'
        + json.dumps(choices, ensure_ascii=False)
        + ',"detail_url":'
        + json.dumps(reverse("partnerships:partnership_detail", args=[0]).replace("/0/", "/{id}/"))
        + ',"features":['
        + features
        + "]}"
    )
    return HttpResponse(payload, content_type="application/geo+json")
