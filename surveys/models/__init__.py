from .interviews import PARTNERSHIP_TYPE_CODES, Interview, Theme
from .questionnaires import (
    FrozenVersionError,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    Status,
)
from .questions import (
    CHOICE_KINDS,
    CODED_KINDS,
    NO,
    OTHER,
    TEXT_KINDS,
    YES,
    Choice,
    GridRow,
    Kind,
    Question,
)
from .responses import Answer, Invitation, Response, hash_token

__all__ = [
    "CHOICE_KINDS",
    "CODED_KINDS",
    "NO",
    "OTHER",
    "TEXT_KINDS",
    "YES",
    "Answer",
    "Choice",
    "FrozenVersionError",
    "GridRow",
    "Interview",
    "Invitation",
    "PARTNERSHIP_TYPE_CODES",
    "Theme",
    "Kind",
    "Question",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "Section",
    "Status",
    "hash_token",
]
