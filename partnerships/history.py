"""A partnership's change history: its own fields (read as the registry reads a point's, see
servicepoints/history.py) and the events of its parties, sites, practices, documents and the
decisions on its proposed changes, each with its author."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from servicepoints import history as registry_history

from .models import (
    ApprovalEvent,
    DocumentEvent,
    OutcomeEvent,
    PartnershipPracticesEvent,
    PartyEvent,
    ReadinessEvent,
    SiteEvent,
)

LABELS = {
    "insert": _("added"),
    "update": _("changed"),
    "delete": _("removed"),
    "practice.add": _("practice added"),
    "practice.remove": _("practice removed"),
}


def _related(partnership):
    """(event, what) pairs of the partnership's related records."""
    found = []
    for event in PartyEvent.objects.filter(partnership_id=partnership.pk).select_related(
        "pgh_context", "organization"
    ):
        found.append(
            (
                event,
                _("party: %(what)s")
                % {"what": f"{event.organization} ({event.get_role_display()})"},
            )
        )
    for event in SiteEvent.objects.filter(partnership_id=partnership.pk).select_related(
        "pgh_context", "service_point"
    ):
        found.append((event, _("site: %(what)s") % {"what": event.service_point}))
    for event in PartnershipPracticesEvent.objects.filter(
        partnership_id=partnership.pk
    ).select_related("pgh_context", "practice"):
        found.append((event, _("practice: %(what)s") % {"what": event.practice}))
    for event in DocumentEvent.objects.filter(partnership_id=partnership.pk).select_related(
        "pgh_context"
    ):
        found.append((event, _("document: %(what)s") % {"what": event.title}))
    for event in OutcomeEvent.objects.filter(partnership_id=partnership.pk).select_related(
        "pgh_context"
    ):
        found.append((event, _("outcome: %(what)s") % {"what": event.name_en}))
    for event in ReadinessEvent.objects.filter(partnership_id=partnership.pk).select_related(
        "pgh_context"
    ):
        found.append(
            (
                event,
                _("readiness: %(what)s")
                % {"what": f"{event.get_factor_display()} {event.rating}"},
            )
        )
    for event in ApprovalEvent.objects.filter(
        change__partnership_id=partnership.pk
    ).select_related("pgh_context", "jurisdiction"):
        found.append(
            (
                event,
                _("change %(change)s %(decision)s for %(jurisdiction)s")
                % {
                    "change": event.change_id,
                    "decision": event.get_decision_display(),
                    "jurisdiction": event.jurisdiction.code,
                },
            )
        )
    return found


def history(partnership):
    """Entries, oldest first: the record's field changes and its related records' events."""
    entries = registry_history.history(partnership)
    related = _related(partnership)
    user_ids = {e.pgh_context.metadata.get("user") for e, _w in related if e.pgh_context} - {None}
    users = get_user_model().objects.in_bulk(user_ids)
    for event, what in related:
        who, via = registry_history._who(
            event.pgh_context.metadata if event.pgh_context else None, users
        )
        entries.append(
            registry_history.Entry(
                event.pgh_created_at,
                str(LABELS.get(event.pgh_label, event.pgh_label)),
                who,
                via,
                [registry_history.Change(str(what), "", "")],
            )
        )
    entries.sort(key=lambda entry: entry.when)
    return entries
