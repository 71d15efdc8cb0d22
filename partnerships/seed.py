"""`load_partnerships`: the real cases of the council's 2017 deck (partnerships/deck.py).

Idempotent: a case already recorded (by its key) is left as it is, so edits survive; the
organizations it needs are created when missing, its sites linked to the registry's points
where there is one of the party in the community named. One transaction.
"""

from datetime import date

import pghistory
from django.db import transaction

from servicepoints.models import Jurisdiction, Organization, ServicePoint
from servicepoints.models.point_choices import Kind
from servicepoints.models.point_choices import Status as PointStatus

from . import deck
from .models import Partnership, PartnershipType, Party, Practice, Site, StatusChange

DECK_DATE = date(2017, 1, 1)


def load_organizations():
    """The organizations the deck names, created when missing; returns how many."""
    jurisdictions = dict(Jurisdiction.objects.values_list("code", "pk"))
    existing = set(Organization.objects.values_list("code", flat=True))
    created = 0
    for code, (jurisdiction, en, fr, website) in deck.ORGANIZATIONS.items():
        if code in existing:
            continue
        Organization.objects.create(
            code=code,
            jurisdiction_id=jurisdictions[jurisdiction],
            name_en=en,
            name_fr=fr,
            website=website,
        )
        created += 1
    return created


def find_site(organization_code, community):
    """The registry's open point of this organization in this community, a centre first."""
    points = ServicePoint.objects.filter(
        organization__code=organization_code, community__iexact=community
    ).exclude(status=PointStatus.CLOSED)
    return points.filter(kind=Kind.CENTRE).order_by("pk").first() or points.order_by("pk").first()


def load_case(case, organizations):
    partnership = Partnership.objects.create(
        seed_key=case["key"],
        title_en=case["title_en"],
        title_fr=case["title_fr"],
        summary_en=case["summary_en"],
        summary_fr=case["summary_fr"],
        type=PartnershipType.objects.get(code=case["type"]),
        status=case["status"],
        start_date=case.get("start_date"),
        communities_served=case["communities"],
        source=deck.SOURCE,
    )
    for code, role, sector in case["parties"]:
        Party.objects.create(
            partnership=partnership, organization=organizations[code], role=role, sector=sector
        )
    linked = 0
    for code, community in case["sites"]:
        point = find_site(code, community)
        if point:
            Site.objects.get_or_create(partnership=partnership, service_point=point)
            linked += 1
    partnership.practices.set(Practice.objects.filter(code__in=case["practices"]))
    StatusChange.objects.create(
        partnership=partnership,
        status=case["status"],
        date=date.fromisoformat(case["status_date"]) if "status_date" in case else DECK_DATE,
        note="As reported in the council's 2017 deck",
    )
    return linked


def load_partnerships(*, dry_run=False):
    """Record the deck's cases that are missing; returns counts."""
    with transaction.atomic(), pghistory.context(command="load_partnerships"):
        organizations_created = load_organizations()
        organizations = {o.code: o for o in Organization.objects.all()}
        existing = set(
            Partnership.objects.exclude(seed_key=None).values_list("seed_key", flat=True)
        )
        created = sites = 0
        skipped = []
        for case in deck.CASES:
            if case["key"] in existing:
                continue
            if any(code not in organizations for code, _role, _sector in case["parties"]):
                # The registry's reference organizations come from load_demo or an import.
                skipped.append(case["key"])
                continue
            sites += load_case(case, organizations)
            created += 1
        if dry_run:
            transaction.set_rollback(True)
    return {
        "organizations": {"total": len(deck.ORGANIZATIONS), "created": organizations_created},
        "partnerships": {"total": len(deck.CASES), "created": created},
        "sites linked": sites,
        "skipped": skipped,
    }
