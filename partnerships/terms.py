"""Agreed terms as a person reads them: what a pending change would change, before → after."""

from django.utils.translation import gettext_lazy as _

from servicepoints.models import Organization, ServicePoint

from .models import PartnershipType, Role, Sector, Status

LABELS = {
    "type": _("Type"),
    "status": _("Status"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
    "objectives_en": _("Objectives (English)"),
    "objectives_fr": _("Objectives (French)"),
    "parties": _("Parties"),
    "sites": _("Sites"),
}


def _show(name, value):
    if value in (None, "", []):
        return "—"
    if name == "type":
        found = PartnershipType.objects.filter(code=value).first()
        return str(found) if found else value
    if name == "status":
        return str(dict(Status.choices).get(value, value))
    if name == "parties":
        names = {o.pk: str(o) for o in Organization.objects.filter(pk__in=[p[0] for p in value])}
        roles, sectors = dict(Role.choices), dict(Sector.choices)
        return "; ".join(
            f"{names.get(o, o)} ({roles.get(r, r)}, {sectors.get(s, s)})" for o, r, s in value
        )
    if name == "sites":
        names = dict(
            (p.pk, str(p))
            for p in ServicePoint.objects.filter(pk__in=value).only("name_en", "name_fr")
        )
        return "; ".join(f"{names.get(pk, pk)} (#{pk})" for pk in value)
    return str(value)


def describe_changes(before, after):
    """(label, before, after) for each term that differs."""
    return [
        (LABELS[name], _show(name, before.get(name)), _show(name, after.get(name)))
        for name in LABELS
        if before.get(name) != after.get(name)
    ]
