"""The partnership models (records.py), proposed changes and approvals (changes.py)."""

from .changes import Approval, ChangeRequest
from .choices import (
    DRAFT_STATUSES,
    ChangeState,
    Decision,
    Rating,
    ReadinessFactor,
    Role,
    Sector,
    Status,
)
from .records import (
    Document,
    Outcome,
    Partnership,
    PartnershipType,
    Party,
    Practice,
    Readiness,
    Site,
    StatusChange,
    party_jurisdictions,
)

__all__ = [
    "DRAFT_STATUSES",
    "Approval",
    "ChangeRequest",
    "ChangeState",
    "Decision",
    "Document",
    "Outcome",
    "Partnership",
    "PartnershipType",
    "Party",
    "Practice",
    "Rating",
    "Readiness",
    "ReadinessFactor",
    "Role",
    "Sector",
    "Site",
    "Status",
    "StatusChange",
    "party_jurisdictions",
]

# The guide and the roadmap (partnerships/guide/), models of this app too.
from ..guide.models import GuideChapter, Milestone, Stream  # noqa: E402, F401
