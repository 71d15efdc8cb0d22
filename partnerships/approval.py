"""Changes to what the parties agreed, and the approval of every other government party.

The agreed terms of a partnership are its type, status, dates, objectives, parties and sites
(`TERMS`). While a partnership is an idea or proposed, nothing has been agreed: its party
staff change the terms at once. Once it is past "proposed", or when a change would take it
past "proposed", a change by one party's staff is *pending* (`ChangeRequest`) until staff of
every other government party (before or after the change) approve it (`Approval`); it is then
applied, by the last approver's request. One refusal refuses it. Data administrators apply
changes at once. Every write runs in a pghistory context naming the change.
"""

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicepoints.models import Jurisdiction, Organization, ServicePoint
from servicepoints.models.jurisdictions import changes_all_jurisdictions

from .models import (
    DRAFT_STATUSES,
    Approval,
    ChangeRequest,
    ChangeState,
    Decision,
    Partnership,
    PartnershipType,
    Party,
    Sector,
    Site,
    Status,
    StatusChange,
    party_jurisdictions,
)

TERMS = (
    "type",
    "status",
    "start_date",
    "end_date",
    "objectives_en",
    "objectives_fr",
    "parties",
    "sites",
)


def agreed_terms(partnership):
    """The partnership's agreed terms as plain data (what a `ChangeRequest` stores)."""
    return {
        "type": partnership.type.code,
        "status": partnership.status,
        "start_date": partnership.start_date.isoformat() if partnership.start_date else None,
        "end_date": partnership.end_date.isoformat() if partnership.end_date else None,
        "objectives_en": partnership.objectives_en,
        "objectives_fr": partnership.objectives_fr,
        "parties": sorted(
            [p.organization_id, p.role, p.sector] for p in partnership.parties.all()
        ),
        "sites": sorted(partnership.sites.values_list("service_point_id", flat=True)),
    }


def normalise(terms):
    """Terms as `agreed_terms` writes them (dates as ISO text, parties and sites sorted)."""
    out = dict(terms)
    for name in ("start_date", "end_date"):
        value = out.get(name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else (value or None)
    out["parties"] = sorted([int(o), r, s] for o, r, s in out.get("parties", []))
    out["sites"] = sorted(int(pk) for pk in out.get("sites", []))
    return out


def check_terms(terms):
    """Refuse terms that name what does not exist or dates out of order (ValidationError by
    term, nothing written)."""
    errors = {}
    if not PartnershipType.objects.filter(code=terms["type"]).exists():
        errors["type"] = _("Unknown partnership type: %(value)s.") % {"value": terms["type"]}
    if terms["status"] not in Status.values:
        errors["status"] = _("Unknown status: %(value)s.") % {"value": terms["status"]}
    organizations = {o for o, _r, _s in terms["parties"]}
    known = set(Organization.objects.filter(pk__in=organizations).values_list("pk", flat=True))
    if organizations - known:
        errors["parties"] = _("Not an organization of the registry: %(ids)s.") % {
            "ids": ", ".join(str(i) for i in sorted(organizations - known))
        }
    elif not organizations:
        errors["parties"] = _("A partnership has at least one party.")
    sites = set(terms["sites"])
    found = set(ServicePoint.objects.filter(pk__in=sites).values_list("pk", flat=True))
    if sites - found:
        errors["sites"] = _("No service point with the id %(ids)s.") % {
            "ids": ", ".join(str(i) for i in sorted(sites - found))
        }
    if terms["start_date"] and terms["end_date"] and terms["end_date"] < terms["start_date"]:
        errors["end_date"] = _("The end date comes before the start date.")
    if errors:
        raise ValidationError(errors)


def government_jurisdiction_ids(*party_lists):
    """The jurisdictions of the government parties of these lists of terms' parties."""
    organizations = {
        o for parties in party_lists for o, _r, sector in parties if sector == Sector.GOVERNMENT
    }
    return set(
        Organization.objects.filter(pk__in=organizations).values_list("jurisdiction_id", flat=True)
    )


def needs_approval(before, after):
    changed = any(before[name] != after[name] for name in TERMS)
    agreed = before["status"] not in DRAFT_STATUSES or after["status"] not in DRAFT_STATUSES
    return changed and agreed


def may_create(user, organization_ids):
    """Rules: data administrators create any partnership; editors one where an organization of
    one of their jurisdictions is a party."""
    if changes_all_jurisdictions(user):
        return True
    if not user.has_perm("partnerships.add_partnership"):
        return False
    return Organization.objects.filter(
        pk__in=organization_ids, jurisdiction__in=party_jurisdictions(user)
    ).exists()


def _write_terms(partnership, terms, user, note=""):
    """Apply terms to the partnership, its parties and sites; the status change is dated."""
    old_status = partnership.status
    partnership.type = PartnershipType.objects.get(code=terms["type"])
    partnership.status = terms["status"]
    partnership.start_date = terms["start_date"]
    partnership.end_date = terms["end_date"]
    partnership.objectives_en = terms["objectives_en"]
    partnership.objectives_fr = terms["objectives_fr"]
    partnership.save()
    wanted = {o: (r, s) for o, r, s in terms["parties"]}
    for party in list(partnership.parties.all()):
        if party.organization_id not in wanted:
            party.delete()
        elif (party.role, party.sector) != wanted[party.organization_id]:
            party.role, party.sector = wanted.pop(party.organization_id)
            party.save()
        else:
            wanted.pop(party.organization_id)
    for organization_id, (role, sector) in wanted.items():
        Party.objects.create(
            partnership=partnership, organization_id=organization_id, role=role, sector=sector
        )
    sites = set(terms["sites"])
    partnership.sites.exclude(service_point_id__in=sites).delete()
    existing = set(partnership.sites.values_list("service_point_id", flat=True))
    for pk in sites - existing:
        Site.objects.create(partnership=partnership, service_point_id=pk)
    if partnership.status != old_status or not partnership.status_changes.exists():
        StatusChange.objects.create(
            partnership=partnership, status=partnership.status, recorded_by=user, note=note
        )


def create(user, fields, terms):
    """A new partnership with these fields and terms, by this user (PermissionDenied if they
    may not create it). Created as asked, except that a status past "proposed" with other
    government parties becomes a pending change on a proposed partnership."""
    terms = normalise(terms)
    check_terms(terms)
    if not may_create(user, [o for o, _r, _s in terms["parties"]]):
        raise PermissionDenied(_("None of the parties is an organization of your jurisdiction."))
    with transaction.atomic(), pghistory.context(user=user.pk):
        partnership = Partnership(created_by=user, **fields)
        asked = terms["status"]
        first = dict(terms)
        if asked not in DRAFT_STATUSES and not changes_all_jurisdictions(user):
            first["status"] = Status.PROPOSED
        partnership.type = PartnershipType.objects.get(code=terms["type"])
        partnership.status = first["status"]
        partnership.save()
        _write_terms(partnership, first, user)
        if first["status"] != asked:
            propose(partnership, user, terms)
    return partnership


def propose(partnership, user, terms, note=""):
    """Change the agreed terms: at once when nothing is agreed yet (or for data
    administrators, or when no other government party must approve), else a pending
    `ChangeRequest`, returned. PermissionDenied for anyone who may not edit the partnership;
    ValidationError for bad terms or while another change waits."""
    if not partnership.can_edit(user):
        raise PermissionDenied(_("Your jurisdiction is not a party to this partnership."))
    terms = normalise(terms)
    check_terms(terms)
    before = agreed_terms(partnership)
    if all(before[name] == terms[name] for name in TERMS):
        return None
    if partnership.change_requests.filter(state=ChangeState.PENDING).exists():
        raise ValidationError(
            _("A change to this partnership is already waiting for approval; decide it first.")
        )
    proposer = set(party_jurisdictions(user).values_list("pk", flat=True))
    governments = government_jurisdiction_ids(before["parties"], terms["parties"])
    if not changes_all_jurisdictions(user):
        # The proposer must stay able to answer for the partnership.
        remaining = Organization.objects.filter(
            pk__in=[o for o, _r, _s in terms["parties"]], jurisdiction_id__in=proposer
        )
        if not remaining.exists():
            raise ValidationError(
                {"parties": _("Keep at least one party of your own jurisdiction.")}
            )
    others = governments - proposer
    with transaction.atomic(), pghistory.context(user=user.pk):
        if changes_all_jurisdictions(user) or not others or not needs_approval(before, terms):
            _write_terms(partnership, terms, user, note)
            return None
        change = ChangeRequest.objects.create(
            partnership=partnership, terms=terms, previous_terms=before, proposed_by=user
        )
        change.proposed_for.set(proposer & governments)
    return change


def required_jurisdictions(change):
    """The jurisdictions whose staff must approve: every government party's, before or after
    the change, except those the change was proposed for."""
    governments = government_jurisdiction_ids(
        change.previous_terms["parties"], change.terms["parties"]
    )
    return governments - set(change.proposed_for.values_list("pk", flat=True))


def awaiting(change):
    """The jurisdictions that have not decided yet, in code order."""
    decided = set(change.approvals.values_list("jurisdiction_id", flat=True))
    return Jurisdiction.objects.filter(pk__in=required_jurisdictions(change) - decided)


def may_decide(change, user):
    """The jurisdictions this user decides for: their own among those still awaited."""
    if change.state != ChangeState.PENDING:
        return Jurisdiction.objects.none()
    return awaiting(change).filter(pk__in=party_jurisdictions(user).values("pk"))


def decide(change, user, decision, note=""):
    """Record the user's decision for each of their jurisdictions still awaited; a refusal
    refuses the change, the last approval applies it. PermissionDenied if they decide for no
    one (the proposer, a third jurisdiction, an analyst), ValidationError if already decided."""
    if decision not in Decision.values:
        raise ValidationError(_("Unknown decision: %(value)s.") % {"value": decision})
    with transaction.atomic(), pghistory.context(user=user.pk, change_request=change.pk):
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        if change.state != ChangeState.PENDING:
            raise ValidationError(_("This change has already been decided."))
        jurisdictions = list(may_decide(change, user))
        if not jurisdictions:
            raise PermissionDenied(_("No jurisdiction of yours has to decide on this change."))
        for jurisdiction in jurisdictions:
            Approval.objects.create(
                change=change,
                jurisdiction=jurisdiction,
                decision=decision,
                decided_by=user,
                note=note,
            )
        if decision == Decision.REFUSED:
            change.state = ChangeState.REFUSED
        elif not awaiting(change).exists():
            partnership = change.partnership
            if agreed_terms(partnership) != change.previous_terms:
                raise ValidationError(_("The terms changed since this was proposed."))
            _write_terms(partnership, change.terms, user, note)
            change.state = ChangeState.APPLIED
        if change.state != ChangeState.PENDING:
            change.decided_at = timezone.now()
        change.save()
    return change
