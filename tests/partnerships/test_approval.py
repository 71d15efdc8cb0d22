"""Who may change a partnership, and the approval of every other government party."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnerships import approval
from partnerships.models import (
    Approval,
    ChangeRequest,
    ChangeState,
    Decision,
    Partnership,
    PartnershipEvent,
    Role,
    Sector,
    Status,
)

pytestmark = pytest.mark.django_db


def _with(partnership, **changes):
    return {**approval.agreed_terms(partnership), **changes}


def test_an_editor_creates_a_partnership_of_their_organization(ottawa_partnership):
    assert ottawa_partnership.status == Status.PROPOSED
    assert ottawa_partnership.parties.count() == 2
    assert ottawa_partnership.sites.count() == 2
    assert list(ottawa_partnership.status_changes.values_list("status", flat=True)) == ["proposed"]


def test_an_editor_may_not_create_one_without_their_organization(new_brunswick_editor, terms):
    with pytest.raises(PermissionDenied):
        approval.create(new_brunswick_editor, {"title_en": "x", "title_fr": "x"}, terms)
    assert not Partnership.objects.exists()


def test_an_analyst_may_not_create_one(analyst, terms):
    with pytest.raises(PermissionDenied):
        approval.create(analyst, {"title_en": "x", "title_fr": "x"}, terms)
    assert not Partnership.objects.exists()


def test_draft_terms_change_at_once(ottawa_partnership, ontario_editor):
    change = approval.propose(
        ottawa_partnership, ontario_editor, _with(ottawa_partnership, objectives_en="Changed")
    )
    assert change is None
    ottawa_partnership.refresh_from_db()
    assert ottawa_partnership.objectives_en == "Changed"


def test_going_past_proposed_waits_for_the_other_government(
    ottawa_partnership, ontario_editor, federal_editor
):
    change = approval.propose(
        ottawa_partnership, ontario_editor, _with(ottawa_partnership, status=Status.PILOT)
    )
    assert change.state == ChangeState.PENDING
    ottawa_partnership.refresh_from_db()
    assert ottawa_partnership.status == Status.PROPOSED
    assert [j.code for j in approval.awaiting(change)] == ["CA"]

    approval.decide(change, federal_editor, Decision.APPROVED, "Agreed at the table")
    change.refresh_from_db()
    ottawa_partnership.refresh_from_db()
    assert change.state == ChangeState.APPLIED
    assert ottawa_partnership.status == Status.PILOT
    decision = Approval.objects.get(change=change)
    assert (decision.jurisdiction.code, decision.decided_by, decision.note) == (
        "CA",
        federal_editor,
        "Agreed at the table",
    )
    assert list(ottawa_partnership.status_changes.values_list("status", flat=True)) == [
        "proposed",
        "pilot",
    ]


def test_a_refusal_changes_nothing(ottawa_partnership, ontario_editor, federal_editor):
    change = approval.propose(
        ottawa_partnership, ontario_editor, _with(ottawa_partnership, status=Status.PILOT)
    )
    approval.decide(change, federal_editor, Decision.REFUSED)
    change.refresh_from_db()
    ottawa_partnership.refresh_from_db()
    assert change.state == ChangeState.REFUSED
    assert ottawa_partnership.status == Status.PROPOSED


def test_the_proposer_may_not_approve_their_own_change(ottawa_partnership, ontario_editor):
    change = approval.propose(
        ottawa_partnership, ontario_editor, _with(ottawa_partnership, status=Status.PILOT)
    )
    with pytest.raises(PermissionDenied):
        approval.decide(change, ontario_editor, Decision.APPROVED)
    assert not Approval.objects.exists()


def test_a_third_jurisdiction_may_neither_approve_nor_propose(
    ottawa_partnership, ontario_editor, new_brunswick_editor
):
    change = approval.propose(
        ottawa_partnership, ontario_editor, _with(ottawa_partnership, status=Status.PILOT)
    )
    with pytest.raises(PermissionDenied):
        approval.decide(change, new_brunswick_editor, Decision.APPROVED)
    with pytest.raises(PermissionDenied):
        approval.propose(
            ottawa_partnership, new_brunswick_editor, _with(ottawa_partnership, end_date=None)
        )
    assert not Approval.objects.exists()
    assert ChangeRequest.objects.get().state == ChangeState.PENDING


def test_an_analyst_may_not_approve(ottawa_partnership, ontario_editor, analyst):
    change = approval.propose(
        ottawa_partnership, ontario_editor, _with(ottawa_partnership, status=Status.PILOT)
    )
    with pytest.raises(PermissionDenied):
        approval.decide(change, analyst, Decision.APPROVED)


def test_agreed_terms_of_a_pilot_wait_for_approval(
    ottawa_partnership, ontario_editor, federal_editor, service_new_brunswick
):
    change = approval.propose(
        ottawa_partnership, ontario_editor, _with(ottawa_partnership, status=Status.PILOT)
    )
    approval.decide(change, federal_editor, Decision.APPROVED)
    ottawa_partnership.refresh_from_db()
    # A new government party must approve too, beside the existing one.
    parties = [
        *approval.agreed_terms(ottawa_partnership)["parties"],
        [service_new_brunswick.pk, Role.FUNDER, Sector.GOVERNMENT],
    ]
    change = approval.propose(
        ottawa_partnership, ontario_editor, _with(ottawa_partnership, parties=parties)
    )
    assert sorted(j.code for j in approval.awaiting(change)) == ["CA", "NB"]
    approval.decide(change, federal_editor, Decision.APPROVED)
    assert ottawa_partnership.parties.count() == 2
    assert [j.code for j in approval.awaiting(change)] == ["NB"]


def test_one_pending_change_at_a_time(ottawa_partnership, ontario_editor):
    approval.propose(
        ottawa_partnership, ontario_editor, _with(ottawa_partnership, status=Status.PILOT)
    )
    with pytest.raises(ValidationError):
        approval.propose(
            ottawa_partnership,
            ontario_editor,
            _with(ottawa_partnership, status=Status.AGREEMENT_SIGNED),
        )


def test_a_change_already_decided_is_refused(ottawa_partnership, ontario_editor, federal_editor):
    change = approval.propose(
        ottawa_partnership, ontario_editor, _with(ottawa_partnership, status=Status.PILOT)
    )
    approval.decide(change, federal_editor, Decision.APPROVED)
    with pytest.raises(ValidationError):
        approval.decide(change, federal_editor, Decision.REFUSED)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "teleportation"}, "type"),
        ({"status": "dreaming"}, "status"),
        ({"parties": [[999999, "lead", "government"]]}, "parties"),
        ({"sites": [999999]}, "sites"),
        ({"start_date": "2020-01-01", "end_date": "2019-01-01"}, "end_date"),
    ],
)
def test_bad_terms_are_refused_and_nothing_changes(
    ottawa_partnership, ontario_editor, changes, field
):
    before = approval.agreed_terms(ottawa_partnership)
    with pytest.raises(ValidationError) as error:
        approval.propose(ottawa_partnership, ontario_editor, _with(ottawa_partnership, **changes))
    assert field in error.value.message_dict
    ottawa_partnership.refresh_from_db()
    assert approval.agreed_terms(ottawa_partnership) == before


def test_every_change_is_in_the_history_with_its_author(
    ottawa_partnership, ontario_editor, federal_editor
):
    change = approval.propose(
        ottawa_partnership, ontario_editor, _with(ottawa_partnership, status=Status.PILOT)
    )
    approval.decide(change, federal_editor, Decision.APPROVED)
    events = PartnershipEvent.objects.filter(pgh_obj_id=ottawa_partnership.pk).order_by("pgh_id")
    authors = [event.pgh_context.metadata["user"] for event in events]
    assert authors[0] == ontario_editor.pk
    assert authors[-1] == federal_editor.pk
    assert events.last().status == Status.PILOT
