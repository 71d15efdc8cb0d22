"""The questionnaire's findings for a partnership type, shown in its guide chapter and PDF.

They are the surveys app's themes linked to the type (the pre-test's findings are seeded as
themes; interviews and coded text answers carry them): each theme's label and description,
how many interviews and coded answers the user may read carry it, and a few of those answers
as quotes (`surveys.findings.findings_for_partnership_type`). Without the surveys app, none.
The texts are plain text, escaped by the templates.
"""

from typing import NamedTuple

from django.apps import apps


class Finding(NamedTuple):
    title: str
    text: str
    source: str
    interviews: int
    answers: int
    quotes: list  # [(organization name, text)]


def findings_for(partnership_type, user):
    """The findings of the questionnaire for this type that `user` may read, most frequent
    first; [] when the surveys app is not installed."""
    if not apps.is_installed("surveys"):
        return []
    from surveys.findings import findings_for_partnership_type

    return [
        Finding(
            title=found["theme"].label,
            text=found["theme"].description,
            source=found["theme"].source,
            interviews=found["interview_count"],
            answers=found["answer_count"],
            quotes=found["quotes"],
        )
        for found in findings_for_partnership_type(partnership_type.code, user)
    ]
