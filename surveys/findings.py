"""Themes across interviews and coded text answers: frequencies, and the findings the
partnership guide shows on a partnership type's page.

`findings_for_partnership_type(code, user)` is the door for the partnerships app (built in
parallel): themes name partnership types by their code until partnerships.PartnershipType
exists to link to.
"""

from django.db.models import Count, Q

from .models import Answer, Interview, Response, Theme

TEXT_LIMIT = 20  # text answers listed per question on the results page


def _visible_answers(user):
    return Answer.objects.filter(
        response__in=Response.objects.visible_to(user).launched().submitted()
    )


def theme_frequencies(user):
    """Every theme with how many interviews and coded answers (that the user may read) carry it."""
    interviews = Interview.objects.visible_to(user)
    answers = _visible_answers(user)
    return Theme.objects.annotate(
        interview_count=Count("interviews", filter=Q(interviews__in=interviews), distinct=True),
        answer_count=Count("answers", filter=Q(answers__in=answers), distinct=True),
    ).order_by("-interview_count", "-answer_count", "code")


def findings_for_partnership_type(code, user, quotes=3):
    """[{theme, interview_count, answer_count, quotes: [(organization, text)]}] for the themes
    linked to a partnership type, most frequent first."""
    findings = []
    for theme in theme_frequencies(user).filter(partnership_types__contains=[code]):
        coded = (
            _visible_answers(user)
            .filter(themes=theme)
            .exclude(text="")
            .select_related("response__organization")
            .order_by("pk")[:quotes]
        )
        findings.append(
            {
                "theme": theme,
                "interview_count": theme.interview_count,
                "answer_count": theme.answer_count,
                "quotes": [(a.response.organization.name, a.text) for a in coded],
            }
        )
    return findings


def text_answers(version, user, question=None):
    """The text answers (and "other" texts) of a version the user may read, newest last."""
    answers = (
        _visible_answers(user)
        .filter(response__version=version)
        .filter(~Q(text="") | ~Q(other_text=""))
        .select_related("response__organization", "question")
        .order_by("question_id", "pk")
    )
    return answers.filter(question=question) if question is not None else answers
