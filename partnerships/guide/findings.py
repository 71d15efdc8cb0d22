"""The questionnaire's findings for a partnership type, shown in its guide chapter.

The surveys app is being built separately; until it exists there are no findings. To fill
the slot, make `findings_for` return, for the given PartnershipType, a list of
`Finding(title, text, respondents)` from the surveys app's results; the guide pages and the
PDF show them as they are (the text is plain text, escaped by the templates).
"""

from typing import NamedTuple


class Finding(NamedTuple):
    title: str
    text: str
    respondents: int


def findings_for(partnership_type):
    """The questionnaire's findings for this type: none yet (no surveys app)."""
    return []
